//! The errors this crate returns, each with a stable snake_case `code()`.
//!
//! Invariants:
//! - No message ever contains a key, whole or in part. Messages are built from fixed text, provider ids and
//!   the keyring's own error descriptions (which describe the store, never the stored value).
//! - `code()` strings are part of the IPC contract (the UI branches on them); never rename one.

/// Why a keyring operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// There is no usable OS keyring: no D-Bus session or Secret Service provider, a kernel keyring that
    /// refuses to store, a backend not built for this platform, or the keyring switched off by configuration.
    #[error(
        "No OS keyring is available ({detail}). Keys are never written anywhere else: install or unlock a \
         keyring (GNOME Keyring, KWallet) or use environment variables such as ANTHROPIC_API_KEY."
    )]
    Unavailable { detail: String },

    /// The keyring exists but is locked, or the user dismissed the unlock prompt.
    #[error(
        "The OS keyring is locked or access to it was refused. Unlock it (or accept the unlock prompt) and try \
         again."
    )]
    Locked,

    /// The key was rejected before reaching the keyring; the message says why (and never quotes the key).
    #[error("{0}")]
    InvalidKey(String),

    /// The keyring answered with an error this crate has no better name for.
    #[error("The OS keyring reported an error: {0}")]
    Platform(String),
}

impl SecretsError {
    /// The stable code for this error, shared with the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unavailable { .. } => "keyring_unavailable",
            Self::Locked => "keyring_locked",
            Self::InvalidKey(_) => "invalid_key",
            Self::Platform(_) => "keyring_error",
        }
    }

    pub(crate) fn unavailable(detail: impl Into<String>) -> Self {
        Self::Unavailable { detail: detail.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_documented_code() {
        let cases = [
            (SecretsError::unavailable("x"), "keyring_unavailable"),
            (SecretsError::Locked, "keyring_locked"),
            (SecretsError::InvalidKey("x".into()), "invalid_key"),
            (SecretsError::Platform("x".into()), "keyring_error"),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code, "codes are an IPC contract and must not drift");
        }
    }

    #[test]
    fn the_unavailable_message_names_the_cause_and_the_way_out() {
        let message = SecretsError::unavailable("no D-Bus session").to_string();
        assert_eq!(
            message,
            "No OS keyring is available (no D-Bus session). Keys are never written anywhere else: install or \
             unlock a keyring (GNOME Keyring, KWallet) or use environment variables such as ANTHROPIC_API_KEY.",
            "the producer must learn both why and what to do, and that no plaintext fallback exists"
        );
    }
}
