//! `KeyStatus`: what the settings screen may know about a key without seeing it.
//!
//! Invariants: a status carries at most the last four characters of a key, and only for keys long enough
//! that four characters are a small fraction of them; it is plain serializable data for IPC.

use serde::Serialize;

use crate::{KeyedProvider, Sensitive};

/// Keys shorter than this get no hint, so a hint never gives away more than a third of a key.
const HINT_MIN_CHARS: usize = 12;
/// How many trailing characters the hint shows.
const HINT_CHARS: usize = 4;

/// Where the key that would be used for a provider comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// The OS keyring (set in the app).
    Keyring,
    /// The provider's conventional environment variable (CLI and CI).
    Environment,
    /// Nowhere: the provider can't be called.
    None,
}

/// Whether a provider has a key, and a hint to recognise it by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyStatus {
    /// The provider's [`KeyedProvider::id`].
    pub provider: String,
    pub set: bool,
    /// The key's last four characters, e.g. `"x9Qa"`, so a producer can tell which key is stored.
    pub ends_with: Option<String>,
    pub source: KeySource,
}

impl KeyStatus {
    /// The status of `provider` given the key that would be used, if any, and where it came from.
    pub(crate) fn describe(provider: KeyedProvider, found: Option<(&Sensitive<String>, KeySource)>) -> Self {
        match found {
            Some((key, source)) => Self {
                provider: provider.id().to_owned(),
                set: true,
                ends_with: hint(key.expose()),
                source,
            },
            None => Self {
                provider: provider.id().to_owned(),
                set: false,
                ends_with: None,
                source: KeySource::None,
            },
        }
    }
}

fn hint(key: &str) -> Option<String> {
    let chars = key.chars().count();
    (chars >= HINT_MIN_CHARS).then(|| key.chars().skip(chars - HINT_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_is_the_last_four_characters_counted_as_characters_not_bytes() {
        assert_eq!(hint("sk-ant-api03-abcdé123"), Some("é123".to_owned()));
    }

    #[test]
    fn short_keys_get_no_hint() {
        assert_eq!(
            hint("abcdefghijk"),
            None,
            "four characters of an eleven-character value would reveal too much of it"
        );
    }

    #[test]
    fn key_source_serializes_in_snake_case() {
        let json = serde_json::to_string(&[KeySource::Keyring, KeySource::Environment, KeySource::None]);
        assert_eq!(
            json.ok().as_deref(),
            Some(r#"["keyring","environment","none"]"#),
            "the UI matches on these strings"
        );
    }
}
