//! What to do about a failed run, from the failure's code: the producer is told the next step (add a key,
//! raise the cap, free disk space, check the network), not just what broke.

use serde::Serialize;
use showrunner_domain::{ProviderCode, StageCode};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FailureHint {
    /// The provider refused the key (missing, wrong, revoked).
    AddKey,
    /// The provider account is out of credit or quota.
    TopUpAccount,
    /// The run's budget cap stopped it.
    RaiseCap,
    /// The disk holding the data folder is full.
    FreeDiskSpace,
    /// The provider could not be reached, or took too long.
    CheckNetwork,
    /// The provider was overloaded or rate-limited for longer than the stage could wait.
    WaitForProvider,
    /// The offline speech program is missing.
    InstallSpeechEngine,
    /// A model's answer could not be used, even after corrections.
    RetryOrChangeRoute,
    /// A bug in Showrunner: retrying may pass it, reporting it fixes it.
    ReportBug,
    /// Nothing more specific is known.
    Retry,
}

impl FailureHint {
    /// The hint for a failure's code. Every code is listed, so a new one needs a decision here.
    pub fn for_code(code: impl Into<StageCode>) -> FailureHint {
        use ProviderCode as P;
        use StageCode as S;
        match code.into() {
            S::Provider(P::BadKey | P::PermissionDenied) => FailureHint::AddKey,
            S::Provider(P::QuotaExceeded | P::OutOfQuota) => FailureHint::TopUpAccount,
            S::BudgetExhausted => FailureHint::RaiseCap,
            S::DiskFull => FailureHint::FreeDiskSpace,
            S::Provider(P::Network | P::Unreachable | P::Timeout | P::WrongUrl | P::Redirected | P::TlsSetup)
            | S::AttemptTimeout => FailureHint::CheckNetwork,
            S::Provider(P::RateLimited | P::Overloaded | P::ServerError) | S::StageDeadline => {
                FailureHint::WaitForProvider
            }
            S::Provider(P::SpeechEngineMissing) => FailureHint::InstallSpeechEngine,
            S::Provider(
                P::MalformedOutput
                | P::OutputTruncated
                | P::BadResponse
                | P::Refused
                | P::UnknownModel
                | P::UnknownVoice,
            )
            | S::InvalidOutput
            | S::MissingPrice => FailureHint::RetryOrChangeRoute,
            S::Internal | S::NoRunner | S::PromptTemplate => FailureHint::ReportBug,
            S::Provider(
                P::NotAllowed
                | P::UnsupportedRegion
                | P::TooManyConcurrent
                | P::SystemBusy
                | P::InvalidRequest
                | P::RequestTooLarge
                | P::Other,
            )
            | S::Cancelled
            | S::Interrupted
            | S::GateEscalated
            | S::NotFound
            | S::CorruptArtifact
            | S::NoProvider
            | S::MissingInput
            | S::UnknownSpeaker
            | S::StoredResultUnreadable
            | S::DuplicateCall
            | S::AmbiguousCall
            | S::StorageError
            | S::StorageIo
            | S::StorageCorrupt
            | S::Other(_) => FailureHint::Retry,
        }
    }

    /// The next step, in a producer's words.
    pub fn advice(self) -> &'static str {
        match self {
            FailureHint::AddKey => "Add or fix the provider's API key in Providers, then retry.",
            FailureHint::TopUpAccount => "Add credit to the provider account (or route the job elsewhere), then retry.",
            FailureHint::RaiseCap => "Raise the episode's budget cap, then retry.",
            FailureHint::FreeDiskSpace => "Free some disk space on the drive that holds Showrunner's data, then retry.",
            FailureHint::CheckNetwork => "Check the network connection and the provider's address, then retry.",
            FailureHint::WaitForProvider => "The provider is busy or down; wait a few minutes, then retry.",
            FailureHint::InstallSpeechEngine => "Install the system speech program (see the message), then retry.",
            FailureHint::RetryOrChangeRoute => {
                "The model's answer could not be used; retry, or choose another model for the job in Routes."
            }
            FailureHint::ReportBug => "This is a bug in Showrunner; retry, and report it if it happens again.",
            FailureHint::Retry => "Retry the run; work already done and paid for is reused.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_names_the_next_step_for_each_kind_of_failure() {
        assert_eq!(FailureHint::for_code("bad_key"), FailureHint::AddKey);
        assert_eq!(FailureHint::for_code("disk_full"), FailureHint::FreeDiskSpace);
        assert_eq!(FailureHint::for_code("unreachable"), FailureHint::CheckNetwork);
        assert_eq!(FailureHint::for_code("internal"), FailureHint::ReportBug);
        assert_eq!(FailureHint::for_code("something_new"), FailureHint::Retry);
        assert!(FailureHint::AddKey.advice().contains("API key"));
        assert!(FailureHint::FreeDiskSpace.advice().contains("disk space"));
    }

    #[test]
    fn a_stored_code_and_its_typed_code_give_the_same_hint() {
        assert_eq!(
            FailureHint::for_code(StageCode::Provider(ProviderCode::SpeechEngineMissing)),
            FailureHint::InstallSpeechEngine
        );
        assert_eq!(FailureHint::for_code("attempt_timeout"), FailureHint::CheckNetwork);
        assert_eq!(FailureHint::for_code("budget_exhausted"), FailureHint::RaiseCap);
        assert_eq!(FailureHint::for_code("audio_off_spec"), FailureHint::Retry);
        for (text, code) in StageCode::NAMES {
            assert_eq!(
                FailureHint::for_code(*text),
                FailureHint::for_code(code.clone()),
                "{text}"
            );
        }
        for &(text, code) in ProviderCode::NAMES {
            assert_eq!(FailureHint::for_code(text), FailureHint::for_code(code), "{text}");
        }
    }
}
