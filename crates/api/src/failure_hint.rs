//! What to do about a failed run, from the failure's code: the producer is told the next step (add a key,
//! raise the cap, free disk space, check the network), not just what broke.

use serde::Serialize;
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
    /// Reads the failure code stored with the attempt (the journal's string edge) into a hint.
    pub fn for_code(code: &str) -> FailureHint {
        match code {
            "bad_key" | "no_key" | "authentication_error" | "permission_denied" | "invalid_key" => FailureHint::AddKey,
            "quota_exceeded" | "out_of_quota" | "insufficient_quota" | "billing_error" => FailureHint::TopUpAccount,
            "budget_exhausted" | "budget_exceeded" => FailureHint::RaiseCap,
            "disk_full" => FailureHint::FreeDiskSpace,
            "network" | "unreachable" | "timeout" | "wrong_url" | "redirected" | "tls_setup" | "attempt_timeout" => {
                FailureHint::CheckNetwork
            }
            "rate_limited" | "overloaded" | "server_error" | "stage_deadline" => FailureHint::WaitForProvider,
            "speech_engine_missing" => FailureHint::InstallSpeechEngine,
            "malformed_output" | "invalid_output" | "output_truncated" | "bad_response" | "refused"
            | "unknown_model" | "unknown_voice" | "missing_price" => FailureHint::RetryOrChangeRoute,
            "internal" | "no_runner" | "prompt_template" => FailureHint::ReportBug,
            _ => FailureHint::Retry,
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
}
