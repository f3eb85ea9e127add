//! Failure codes, typed. A code is text only where it is stored (attempt rows, provider calls, the journal)
//! and where it crosses to the UI; everything that decides by a code (the router, the retry loop, the
//! producer's next step) matches these enums.
//!
//! They live here, not in the crates that raise them, because the engine must not depend on the providers
//! and still carries a provider's code through a stage failure.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! code_names {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// Every named code with its stored text.
            pub const NAMES: &'static [(&'static str, $name)] = &[$(($text, $name::$variant)),+];

            fn named(&self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($text),)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            fn parse(code: &str) -> Option<$name> {
                match code {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// The codes the router and the stages decide by. The code stays text on a provider's error (what the
/// journal and the IPC edge carry); this is its typed reading, so no caller compares strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderCode {
    BadKey,
    PermissionDenied,
    NotAllowed,
    UnsupportedRegion,
    OutOfQuota,
    QuotaExceeded,
    RateLimited,
    TooManyConcurrent,
    Overloaded,
    SystemBusy,
    ServerError,
    Timeout,
    Unreachable,
    Network,
    TlsSetup,
    BadResponse,
    MalformedOutput,
    OutputTruncated,
    Refused,
    UnknownModel,
    UnknownVoice,
    WrongUrl,
    Redirected,
    InvalidRequest,
    RequestTooLarge,
    SpeechEngineMissing,
    /// Any code not listed (speech program failures, setup errors…).
    Other,
}

code_names!(ProviderCode {
    BadKey => "bad_key",
    PermissionDenied => "permission_denied",
    NotAllowed => "not_allowed",
    UnsupportedRegion => "unsupported_region",
    OutOfQuota => "out_of_quota",
    QuotaExceeded => "quota_exceeded",
    RateLimited => "rate_limited",
    TooManyConcurrent => "too_many_concurrent_requests",
    Overloaded => "overloaded",
    SystemBusy => "system_busy",
    ServerError => "server_error",
    Timeout => "timeout",
    Unreachable => "unreachable",
    Network => "network",
    TlsSetup => "tls_setup",
    BadResponse => "bad_response",
    MalformedOutput => "malformed_output",
    OutputTruncated => "output_truncated",
    Refused => "refused",
    UnknownModel => "unknown_model",
    UnknownVoice => "unknown_voice",
    WrongUrl => "wrong_url",
    Redirected => "redirected",
    InvalidRequest => "invalid_request",
    RequestTooLarge => "request_too_large",
    SpeechEngineMissing => "speech_engine_missing",
});

impl ProviderCode {
    /// The typed reading of a code string; [`ProviderCode::Other`] for codes not listed.
    pub fn of(code: &str) -> ProviderCode {
        ProviderCode::parse(code).unwrap_or(ProviderCode::Other)
    }
}

/// Why a stage failed (or parked). Stored as its snake_case text, so attempt rows and journal events written
/// before this type existed read back unchanged.
///
/// A code no variant names (an audio or store code nothing decides by, or one a newer version wrote) reads
/// as [`StageCode::Other`] with its text kept: a failed attempt must always be shown and retried, never fail
/// to load because its code is unfamiliar, and writing it back stores the same text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StageCode {
    /// The run was cancelled while the stage worked.
    Cancelled,
    /// The stage was in flight when the app stopped or the run was cancelled.
    Interrupted,
    /// A bug: a stage panicked or a value could not be encoded.
    Internal,
    /// The pipeline names a stage nothing runs.
    NoRunner,
    /// One try outlasted the stage's time limit per try (retried).
    AttemptTimeout,
    /// The stage's tries together outlasted its deadline.
    StageDeadline,
    /// The budget cap refused a paid call: the run parks.
    BudgetExhausted,
    /// A gate sent the work back as often as it may and handed it to the producer.
    GateEscalated,
    /// A model's answer broke its contract, even after corrections.
    InvalidOutput,
    /// Something the stage reads (the episode, the show, an upstream artifact) is missing.
    NotFound,
    /// A stored artifact cannot be read.
    CorruptArtifact,
    /// A prompt template failed to render.
    PromptTemplate,
    /// The price table cannot price the model, so the call is never made.
    MissingPrice,
    /// No provider on the route could do the job.
    NoProvider,
    /// An upstream artifact the stage needs has not been made yet.
    MissingInput,
    /// A script line is spoken by someone who is not a host.
    UnknownSpeaker,
    /// A paid call's saved answer can no longer be read.
    StoredResultUnreadable,
    /// A stage sent two calls under one key.
    DuplicateCall,
    /// A call was cut off twice before its answer was saved: it may have been billed twice.
    AmbiguousCall,
    /// The disk holding the data folder is full.
    DiskFull,
    /// The database refused a write for another reason.
    StorageError,
    /// The data folder could not be read or written.
    StorageIo,
    /// Stored data is damaged.
    StorageCorrupt,
    /// A provider's failure, typed by its code. An unlisted provider code reads as [`StageCode::Other`] with
    /// its text, so the text is never lost.
    Provider(ProviderCode),
    /// A code no variant names, kept as written.
    Other(String),
}

code_names!(StageCode {
    Cancelled => "cancelled",
    Interrupted => "interrupted",
    Internal => "internal",
    NoRunner => "no_runner",
    AttemptTimeout => "attempt_timeout",
    StageDeadline => "stage_deadline",
    BudgetExhausted => "budget_exhausted",
    GateEscalated => "gate_escalated",
    InvalidOutput => "invalid_output",
    NotFound => "not_found",
    CorruptArtifact => "corrupt_artifact",
    PromptTemplate => "prompt_template",
    MissingPrice => "missing_price",
    NoProvider => "no_provider",
    MissingInput => "missing_input",
    UnknownSpeaker => "unknown_speaker",
    StoredResultUnreadable => "stored_result_unreadable",
    DuplicateCall => "duplicate_call",
    AmbiguousCall => "ambiguous_call",
    DiskFull => "disk_full",
    StorageError => "storage_error",
    StorageIo => "storage_io",
    StorageCorrupt => "storage_corrupt",
});

/// What a provider failure with no listed code is stored as when only its typed reading is known.
const UNLISTED_PROVIDER_CODE: &str = "provider_error";

impl StageCode {
    /// The typed reading of a stored code: a stage's own, else a provider's, else [`StageCode::Other`].
    pub fn of(code: &str) -> StageCode {
        if let Some(own) = StageCode::parse(code) {
            return own;
        }
        match ProviderCode::parse(code) {
            Some(provider) => StageCode::Provider(provider),
            None => StageCode::Other(code.to_owned()),
        }
    }

    /// The stored text: the same snake_case string the code has always been written as.
    pub fn as_str(&self) -> &str {
        match self {
            StageCode::Provider(p) => p.named().unwrap_or(UNLISTED_PROVIDER_CODE),
            StageCode::Other(text) => text,
            own => own.named().unwrap_or_default(),
        }
    }
}

impl From<&str> for StageCode {
    fn from(code: &str) -> StageCode {
        StageCode::of(code)
    }
}

impl From<ProviderCode> for StageCode {
    /// An unlisted provider code has no text of its own: it reads as what it is stored as, so a code
    /// round-trips through the database to an equal value.
    fn from(code: ProviderCode) -> StageCode {
        match code {
            ProviderCode::Other => StageCode::Other(UNLISTED_PROVIDER_CODE.to_owned()),
            listed => StageCode::Provider(listed),
        }
    }
}

impl std::fmt::Display for StageCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for StageCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StageCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StageCode, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(StageCode::of(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_code_reads_back_as_itself() {
        for (text, code) in StageCode::NAMES {
            assert_eq!(StageCode::of(text), *code, "{text}");
            assert_eq!(code.as_str(), *text);
        }
        for (text, code) in ProviderCode::NAMES {
            assert_eq!(ProviderCode::of(text), *code, "{text}");
            assert_eq!(StageCode::of(text), StageCode::Provider(*code), "{text}");
            assert_eq!(StageCode::Provider(*code).as_str(), *text);
        }
    }

    #[test]
    fn stage_and_provider_codes_never_share_a_name() {
        for (text, _) in StageCode::NAMES {
            assert_eq!(ProviderCode::of(text), ProviderCode::Other, "{text} is both");
        }
    }

    #[test]
    fn an_unlisted_provider_code_round_trips_to_an_equal_value() {
        let code = StageCode::from(ProviderCode::Other);
        assert_eq!(StageCode::of(code.as_str()), code);
        assert_eq!(StageCode::of(StageCode::Provider(ProviderCode::Other).as_str()), code);
        assert_eq!(
            StageCode::from(ProviderCode::Refused),
            StageCode::Provider(ProviderCode::Refused)
        );
    }

    #[test]
    fn an_unfamiliar_code_is_kept_as_written() {
        let code = StageCode::of("audio_off_spec");
        assert_eq!(code, StageCode::Other("audio_off_spec".into()));
        assert_eq!(code.as_str(), "audio_off_spec");
        assert_eq!(StageCode::of("speech_failed"), StageCode::Other("speech_failed".into()));
    }

    #[test]
    fn the_journal_reads_and_writes_the_same_text() {
        let old: Vec<StageCode> = serde_json::from_str(r#"["bad_key","disk_full","piper_runtime_missing"]"#).unwrap();
        assert_eq!(
            old,
            vec![
                StageCode::Provider(ProviderCode::BadKey),
                StageCode::DiskFull,
                StageCode::Other("piper_runtime_missing".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&old).unwrap(),
            r#"["bad_key","disk_full","piper_runtime_missing"]"#
        );
    }
}
