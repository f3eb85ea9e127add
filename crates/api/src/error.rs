//! `ApiError`: the one error shape that crosses to the frontend and the CLI. A small code enum both sides
//! know, a message a producer can act on, and optional details (field errors for forms). Callers branch on
//! the code, never on the message.

use serde::Serialize;
use showrunner_domain::ValidationErrors;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    Duplicate,
    Conflict,
    KeyringUnavailable,
    /// A keyed provider has no API key yet; the message says where to add one.
    NoKey,
    SpeechEngineMissing,
    /// A voice file pair that cannot be installed (broken model, incomplete or mismatched config).
    VoiceInvalid,
    AudioDeviceUnavailable,
    Storage,
    DiskFull,
    /// Another program (the app, or a command) drives runs in this data folder; the message names it.
    DataDirInUse,
    /// The database or data folder failed a write (not for lack of space); the run stopped, resumable.
    StoreFailed,
    Provider,
    /// Export of an episode that is not released, without asking for a draft.
    NotReleased,
    /// An export or feed folder that cannot be created or written (permissions, a read-only disk) or that
    /// holds something else.
    TargetNotWritable,
    /// A show's music file that will not decode (or is silent, too short, too long); the message names it.
    MusicUnreadable,
    /// Cover art that is not a square PNG or JPEG of 1400–3000 px; the message gives its measured size.
    ArtworkInvalid,
    /// A show's file over the size limit.
    AssetTooLarge,
    /// A run whose pre-run estimate exceeds its budget cap, not confirmed; details carry both figures.
    EstimateOverCap,
    /// A prompt template that does not parse or render against its stage's sample inputs; `details` names
    /// the field and the template's line.
    TemplateInvalid,
    /// The producer cancelled a long action (a voice download); nothing was changed.
    Cancelled,
    /// A source file or page that cannot be read (corrupt, not a format we read, no text, binary); the
    /// message names it.
    SourceUnreadable,
    /// A source over the size limit; the message names it.
    SourceTooLarge,
    /// A web source that could not be fetched (an error status, unreachable, too slow); the message names it.
    SourceUnreachable,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[ts(type = "unknown")]
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            details: None,
        }
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(ErrorCode::NotFound, format!("{what} was not found"))
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Conflict, message)
    }

    /// A form error on one field.
    pub fn field(code: ErrorCode, field: &str, message: &str) -> ApiError {
        let mut errors = ValidationErrors::default();
        errors.add(field, message);
        ApiError {
            code,
            message: message.to_owned(),
            details: Some(serde_json::json!({ "errors": errors.errors })),
        }
    }

    /// The process exit code the CLI uses for this error.
    pub fn exit_code(&self) -> i32 {
        match self.code {
            ErrorCode::InvalidInput
            | ErrorCode::Duplicate
            | ErrorCode::MusicUnreadable
            | ErrorCode::ArtworkInvalid
            | ErrorCode::AssetTooLarge
            | ErrorCode::EstimateOverCap
            | ErrorCode::TemplateInvalid
            | ErrorCode::SourceUnreadable
            | ErrorCode::SourceTooLarge
            | ErrorCode::SourceUnreachable => 2,
            ErrorCode::NotFound => 3,
            ErrorCode::Conflict => 4,
            // Someone else has the folder: try again later, nothing was wrong with the request.
            ErrorCode::DataDirInUse => 5,
            _ => 1,
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> ApiError {
        let message = match errors.errors.as_slice() {
            [one] => one.message.clone(),
            many => format!("{} fields need attention: {}", many.len(), errors),
        };
        ApiError {
            code: ErrorCode::InvalidInput,
            message,
            details: Some(serde_json::json!({ "errors": errors.errors })),
        }
    }
}

impl From<showrunner_store::StoreError> for ApiError {
    fn from(e: showrunner_store::StoreError) -> ApiError {
        use showrunner_store::StoreError as S;
        match &e {
            S::DuplicateShowName(_) => ApiError::field(ErrorCode::Duplicate, "name", &e.to_string()),
            S::UnknownShow(_) => ApiError::field(ErrorCode::NotFound, "show_id", &e.to_string()),
            S::NotFound { .. } => ApiError::new(ErrorCode::NotFound, e.to_string()),
            S::VersionConflict { .. } => ApiError::field(ErrorCode::Conflict, "base_version", &e.to_string()),
            S::Stale { .. } | S::BudgetExceeded { .. } => ApiError::new(ErrorCode::Conflict, e.to_string()),
            S::CapNotRaised { .. } => ApiError::field(ErrorCode::InvalidInput, "budget_cap", &e.to_string()),
            S::DiskFull => ApiError::new(ErrorCode::DiskFull, e.to_string()),
            S::RunExists { .. } => ApiError::new(ErrorCode::Conflict, e.to_string()),
            S::DataDirInUse { holder, .. } => ApiError {
                code: ErrorCode::DataDirInUse,
                message: e.to_string(),
                details: holder.as_ref().map(|h| serde_json::json!({ "holder": h })),
            },
            _ => ApiError::new(ErrorCode::Storage, e.to_string()),
        }
    }
}

impl From<showrunner_engine::EngineError> for ApiError {
    fn from(e: showrunner_engine::EngineError) -> ApiError {
        use showrunner_engine::EngineError as E;
        match e {
            E::Store(s) => s.into(),
            E::UnknownRun(_) | E::UnknownPipeline(_) => ApiError::new(ErrorCode::NotFound, e.to_string()),
            E::NotParkedHere { .. } | E::Finished(_) | E::NotFailed(_) => {
                ApiError::new(ErrorCode::Conflict, e.to_string())
            }
            E::UnknownStage(_) => ApiError::field(ErrorCode::InvalidInput, "stage", &e.to_string()),
            E::Pipeline(_) => ApiError::new(ErrorCode::Internal, e.to_string()),
            E::Halted(halt) => {
                let code = match halt.code {
                    showrunner_engine::HaltCode::DiskFull => ErrorCode::DiskFull,
                    showrunner_engine::HaltCode::StoreFailed => ErrorCode::StoreFailed,
                };
                ApiError::new(code, halt.message)
            }
        }
    }
}

impl From<showrunner_secrets::SecretsError> for ApiError {
    fn from(e: showrunner_secrets::SecretsError) -> ApiError {
        use showrunner_secrets::SecretsError as S;
        let code = match e {
            S::Unavailable { .. } | S::Locked => ErrorCode::KeyringUnavailable,
            S::InvalidKey(_) => return ApiError::field(ErrorCode::InvalidInput, "key", &e.to_string()),
            S::Platform(_) => ErrorCode::Internal,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<showrunner_audio::AudioError> for ApiError {
    fn from(e: showrunner_audio::AudioError) -> ApiError {
        let code = match e {
            showrunner_audio::AudioError::DeviceUnavailable { .. } => ErrorCode::AudioDeviceUnavailable,
            showrunner_audio::AudioError::MusicUnreadable(_) => ErrorCode::MusicUnreadable,
            _ => ErrorCode::Internal,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<showrunner_providers::ProviderError> for ApiError {
    fn from(e: showrunner_providers::ProviderError) -> ApiError {
        let code = if e.kind() == showrunner_providers::ProviderCode::SpeechEngineMissing {
            ErrorCode::SpeechEngineMissing
        } else {
            ErrorCode::Provider
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<crate::delivery::package_dir::PackageDirError> for ApiError {
    fn from(e: crate::delivery::package_dir::PackageDirError) -> ApiError {
        use crate::delivery::package_dir::PackageDirError as P;
        let code = match &e {
            P::DiskFull { .. } => ErrorCode::DiskFull,
            P::NotWritable { .. } | P::Occupied { .. } => ErrorCode::TargetNotWritable,
        };
        ApiError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_shape_is_code_message_details() {
        let e = ApiError::field(ErrorCode::Duplicate, "name", "A show called 'X' already exists.");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "duplicate");
        assert_eq!(json["message"], "A show called 'X' already exists.");
        assert_eq!(json["details"]["errors"][0]["field"], "name");
    }
}
