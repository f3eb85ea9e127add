//! Provider errors: a stable machine-readable code, a message a producer can act on, and whether trying
//! again could help.

use std::time::Duration;

pub use showrunner_domain::ProviderCode;

use crate::Usage;

/// Whether a failed call is worth repeating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Trying again later may succeed (a timeout, a busy or overloaded service).
    Transient,
    /// The provider asked us to slow down (HTTP 429 that is not a spend limit): retry later, and slow the
    /// shared per-provider limiter rather than every task retrying on its own.
    RateLimited,
    /// Trying again gives the same answer (bad input, missing program, unknown task).
    Terminal,
    /// The provider rejected the credentials.
    Auth,
    /// The account is out of quota or credit, or hit its spend limit: not retried.
    Quota,
}

impl ErrorClass {
    /// Whether the same call may succeed later.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::Transient | ErrorClass::RateLimited)
    }
}

/// What the route does after a provider failed a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fallback {
    /// "Not this provider" (credentials, quota, an unknown model or voice, a wrong or redirecting address, a
    /// refusal): the next provider on the route may work, now.
    NextProvider,
    /// The provider is failing (5xx, overloaded, timeouts, unreachable): retry it, and once it has failed
    /// several calls in a row, move on (see `limiter::OUTAGE_AFTER`).
    Outage,
    /// The provider asked us to slow down: wait, unless the wait outlasts the stage.
    SlowDown,
    /// The request itself is at fault, or the answer was unusable: another provider would not help.
    SameRequest,
}

/// Why a language model or speech engine could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    code: String,
    message: String,
    class: ErrorClass,
    retry_after: Option<Duration>,
    /// The provider's request id (`request-id`, `x-request-id`…), kept for support tickets.
    request_id: Option<String>,
    /// What the provider billed for the reply that came back, if one did: a cut-off, refused or malformed
    /// answer is paid for all the same, so the ledger must price it.
    /// Boxed: most errors carry none, and `Usage` would make every `Result` large.
    billed: Option<Box<Billed>>,
}

/// What a failed call's reply cost, as far as the reply says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Billed {
    /// The reply's usage, reported for `model` (the model the provider says answered).
    Usage { usage: Usage, model: String },
    /// A reply came back (so it was billed) but its usage could not be read: count the worst case.
    Unreadable,
}

/// Shown whenever no system speech program can be found.
pub const SPEECH_INSTALL_HINT: &str = "Install a speech engine: on Debian or Ubuntu run `sudo apt install espeak-ng` \
(Fedora: `sudo dnf install espeak-ng`, Arch: `sudo pacman -S espeak-ng`); macOS has `say` built in; \
Windows uses its built-in SAPI voices through PowerShell.";

impl ProviderError {
    pub fn new(code: impl Into<String>, message: impl Into<String>, class: ErrorClass) -> ProviderError {
        ProviderError {
            code: code.into(),
            // Messages name URLs; a credential in a base URL must not reach the journal or the screen.
            message: crate::redact::without_user_info(&message.into()),
            class,
            retry_after: None,
            request_id: None,
            billed: None,
        }
    }

    /// The provider answered (and billed) with this usage, but the answer could not be used.
    pub fn with_billed_usage(mut self, usage: Usage, model: impl Into<String>) -> ProviderError {
        self.billed = Some(Box::new(Billed::Usage {
            usage,
            model: model.into(),
        }));
        self
    }

    /// A reply came back but its usage could not be read (a body cut off mid-stream).
    pub fn with_unreadable_bill(mut self) -> ProviderError {
        self.billed = Some(Box::new(Billed::Unreadable));
        self
    }

    /// What the provider billed for the reply behind this error; `None` when no reply was billed (an HTTP
    /// error, a timeout before an answer).
    pub fn billed(&self) -> Option<&Billed> {
        self.billed.as_deref()
    }

    /// Keeps the provider's request id for support.
    pub fn with_request_id(mut self, id: Option<String>) -> ProviderError {
        self.request_id = id;
        self
    }

    /// Asks the caller to wait at least `after` before trying again (at most `http::MAX_RETRY_AFTER`).
    pub fn with_retry_after(mut self, after: Duration) -> ProviderError {
        self.retry_after = Some(after.min(crate::http::MAX_RETRY_AFTER));
        self
    }

    /// The system speech program is not installed (or could not be started).
    pub fn speech_engine_missing(program: &str) -> ProviderError {
        ProviderError::new(
            "speech_engine_missing",
            format!("The system speech program `{program}` was not found. {SPEECH_INSTALL_HINT}"),
            ErrorClass::Terminal,
        )
    }

    /// The speech program ran but did not produce usable audio.
    pub fn speech_failed(detail: impl AsRef<str>) -> ProviderError {
        ProviderError::new(
            "speech_failed",
            format!("Speech synthesis failed: {}", detail.as_ref()),
            ErrorClass::Terminal,
        )
    }

    /// The model was asked for a task it does not know.
    pub fn unknown_task(task: &str) -> ProviderError {
        ProviderError::new(
            "unknown_task",
            format!("The task '{task}' is not one this provider knows."),
            ErrorClass::Terminal,
        )
    }

    /// The request itself is unusable (empty text, a missing context key…).
    pub fn invalid_request(message: impl Into<String>) -> ProviderError {
        ProviderError::new("invalid_request", message, ErrorClass::Terminal)
    }

    /// A failure worth retrying (a timeout, an interrupted program).
    pub fn transient(code: impl Into<String>, message: impl Into<String>) -> ProviderError {
        ProviderError::new(code, message, ErrorClass::Transient)
    }

    /// Stable, snake_case: what callers match on.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The code, typed.
    pub fn kind(&self) -> ProviderCode {
        ProviderCode::of(&self.code)
    }

    /// What the route does after this failure.
    pub fn fallback(&self) -> Fallback {
        use ProviderCode as C;
        match (self.class, self.kind()) {
            (ErrorClass::Auth | ErrorClass::Quota, _) => Fallback::NextProvider,
            (_, C::UnknownModel | C::UnknownVoice | C::WrongUrl | C::Redirected | C::Refused) => Fallback::NextProvider,
            (ErrorClass::RateLimited, _) => Fallback::SlowDown,
            // A malformed answer is the answer's fault, not the service's: asking again is the remedy.
            (ErrorClass::Transient, C::MalformedOutput) => Fallback::SameRequest,
            (ErrorClass::Transient, _) => Fallback::Outage,
            (ErrorClass::Terminal, _) => Fallback::SameRequest,
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn class(&self) -> ErrorClass {
        self.class
    }

    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_speech_engine_says_how_to_install_one() {
        let e = ProviderError::speech_engine_missing("espeak-ng");
        assert_eq!(e.code(), "speech_engine_missing");
        assert_eq!(e.class(), ErrorClass::Terminal);
        let text = e.to_string();
        assert!(
            text.contains("sudo apt install espeak-ng") && text.contains("say") && text.contains("SAPI"),
            "{text}"
        );
    }

    #[test]
    fn the_route_decides_by_the_typed_code_and_class() {
        let e = |code: &str, class| ProviderError::new(code, "x", class);
        assert_eq!(e("bad_key", ErrorClass::Auth).fallback(), Fallback::NextProvider);
        assert_eq!(e("redirected", ErrorClass::Terminal).fallback(), Fallback::NextProvider);
        assert_eq!(e("overloaded", ErrorClass::Transient).fallback(), Fallback::Outage);
        assert_eq!(e("timeout", ErrorClass::Transient).fallback(), Fallback::Outage);
        assert_eq!(
            e("rate_limited", ErrorClass::RateLimited).fallback(),
            Fallback::SlowDown
        );
        assert_eq!(
            e("malformed_output", ErrorClass::Transient).fallback(),
            Fallback::SameRequest
        );
        assert_eq!(
            e("invalid_request", ErrorClass::Terminal).fallback(),
            Fallback::SameRequest
        );
        for &(name, code) in ProviderCode::NAMES {
            assert_eq!(ProviderCode::of(name), code, "{name}");
        }
        assert_eq!(ProviderCode::of("speech_failed"), ProviderCode::Other);
    }

    #[test]
    fn a_credential_in_a_url_never_reaches_the_message_and_waits_are_capped() {
        let e = ProviderError::transient("unreachable", "nothing at http://user:hunter2hunter2@10.0.0.1:8080/v1");
        assert_eq!(e.message(), "nothing at http://10.0.0.1:8080/v1");
        let e = e.with_retry_after(Duration::from_secs(u64::MAX));
        assert_eq!(e.retry_after(), Some(crate::http::MAX_RETRY_AFTER));
    }

    #[test]
    fn transient_errors_carry_their_retry_delay() {
        let e = ProviderError::transient("rate_limited", "slow down").with_retry_after(Duration::from_secs(3));
        assert_eq!(e.class(), ErrorClass::Transient);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(ProviderError::unknown_task("x").retry_after(), None);
    }
}
