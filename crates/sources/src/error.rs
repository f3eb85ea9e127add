//! Why a source was refused, as a kind the api maps to its codes, always naming the source.

/// What went wrong, in the terms a producer can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceErrorKind {
    /// Not one of the formats we read (by its name and its first bytes).
    Unsupported,
    /// Bigger than the limit for its kind.
    TooLarge { limit_bytes: u64 },
    /// A file of a format we read that could not be parsed (corrupt, encrypted, not what its name says).
    Unreadable,
    /// Read, but no text in it (a scanned PDF without a text layer, an empty page).
    NoText,
    /// A web address that is not a plain http(s) address.
    BadAddress,
    /// The server answered with an error status.
    HttpStatus { status: u16 },
    /// The server could not be reached, or did not answer in time.
    Unreachable,
    /// Reading it took longer than the limit.
    TimedOut { limit_secs: u64 },
    /// The body is binary (an image, an archive), not a page or a document.
    NotText { content_type: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {reason}")]
pub struct SourceError {
    /// The file name or web address, as the producer gave it.
    pub name: String,
    pub kind: SourceErrorKind,
    pub reason: String,
}

impl SourceError {
    pub fn new(name: &str, kind: SourceErrorKind, reason: impl Into<String>) -> SourceError {
        SourceError {
            name: name.to_owned(),
            kind,
            reason: reason.into(),
        }
    }
}
