//! What counts as a storable API key: the checks `Keychain::set` runs before touching the keyring.
//!
//! Invariants:
//! - Surrounding whitespace is trimmed (copying from a web console often adds a newline); anything left that
//!   is whitespace or a control character means the paste was wrong, so it's rejected, not "cleaned".
//! - Rejection messages describe the problem and never quote any part of the key.

use crate::{KeyedProvider, SecretsError, Sensitive};

/// Longer than any provider's key by an order of magnitude; a longer value is a pasted file, not a key.
const MAX_KEY_CHARS: usize = 1024;

/// Returns the trimmed key, or `InvalidKey` saying what is wrong with it.
pub(crate) fn normalize(provider: KeyedProvider, key: &Sensitive<String>) -> Result<Sensitive<String>, SecretsError> {
    let trimmed = key.expose().trim();
    let label = provider.label();
    if trimmed.is_empty() {
        return Err(SecretsError::InvalidKey(format!(
            "The {label} API key is empty. Paste the key from the provider's console."
        )));
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(SecretsError::InvalidKey(format!(
            "The {label} API key contains spaces, line breaks or control characters. Paste only the key itself."
        )));
    }
    if trimmed.chars().count() > MAX_KEY_CHARS {
        return Err(SecretsError::InvalidKey(format!(
            "The {label} API key is longer than {MAX_KEY_CHARS} characters, which no provider issues. \
             Paste only the key itself."
        )));
    }
    Ok(Sensitive::new(trimmed.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str) -> Result<String, SecretsError> {
        normalize(
            KeyedProvider::entry(showrunner_domain::ProviderId::OpenAi).expect("OpenAI has a key"),
            &Sensitive::new(raw.to_owned()),
        )
        .map(|key| key.expose().clone())
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(
            check("  sk-proj-abc123\n"),
            Ok("sk-proj-abc123".to_owned()),
            "a trailing newline from copy-paste must not become part of the stored key"
        );
    }

    #[test]
    fn empty_whitespace_and_oversized_keys_are_rejected_without_quoting_them() {
        let oversized = "k".repeat(MAX_KEY_CHARS + 1);
        for raw in [
            "",
            " \t\n",
            "sk-proj abc",
            "sk-proj\nabc",
            "sk-\u{7}x",
            oversized.as_str(),
        ] {
            let error = check(raw).expect_err("a malformed key must never reach the keyring");
            assert_eq!(error.code(), "invalid_key");
            let message = error.to_string();
            assert!(
                raw.trim().is_empty() || !message.contains(raw.trim()),
                "the rejection message must not echo the key: {message}"
            );
            assert!(
                message.contains("OpenAI"),
                "the message must say which provider's key was rejected: {message}"
            );
        }
    }
}
