//! Which reader a file gets: by its extension, checked against its first bytes.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Format {
    Pdf,
    Markdown,
    Text,
    Html,
    Docx,
    /// Pasted by the producer.
    Note,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Format> {
        s.parse().ok()
    }

    /// By the file name's extension.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => Format::Pdf,
            "md" | "markdown" | "mdown" => Format::Markdown,
            "txt" | "text" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "docx" => Format::Docx,
            _ => return None,
        })
    }

    /// By a web server's `Content-Type` (its media type only).
    pub fn from_content_type(content_type: &str) -> Option<Format> {
        let media = content_type.split(';').next()?.trim().to_ascii_lowercase();
        Some(match media.as_str() {
            "text/html" | "application/xhtml+xml" => Format::Html,
            "text/plain" => Format::Text,
            "text/markdown" | "text/x-markdown" => Format::Markdown,
            "application/pdf" => Format::Pdf,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Format::Docx,
            _ => return None,
        })
    }

    /// Whether `bytes` look like this format: a PDF starts `%PDF-`, a DOCX is a zip, text is UTF-8 without NULs.
    pub fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Format::Pdf => bytes.windows(5).take(1024).any(|w| w == b"%PDF-"),
            Format::Docx => bytes.starts_with(b"PK\x03\x04"),
            Format::Markdown | Format::Text | Format::Html | Format::Note => looks_like_text(bytes),
        }
    }
}

/// Text, not binary: no NUL bytes and valid UTF-8 in the first 8 KB (a cut at the end is allowed).
pub(crate) fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // A multi-byte character cut by the 8 KB window is fine; an invalid sequence is not.
        Err(e) => e.error_len().is_none(),
    }
}
