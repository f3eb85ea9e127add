//! The providers whose API keys Showrunner keeps, and the names each one goes by.
//!
//! Invariants: `id()` is the keyring user name and the IPC identifier, and `env_var()` is the variable users
//! already set for the provider's own SDKs. Changing either strands keys that users have already stored, so
//! both are append-only: add providers, never rename them.

use std::fmt;

use showrunner_domain::{KeyRule, ProviderId};

/// A provider with a keyring entry of its own: a catalog row whose key rule is [`KeyRule::Own`]. Providers
/// that share another's key (OpenAI TTS) or need none (local servers) have no entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyedProvider(ProviderId);

impl KeyedProvider {
    /// Every keyed provider, in the order the settings screen lists them (catalog order).
    pub fn all() -> impl Iterator<Item = KeyedProvider> {
        ProviderId::all().filter_map(KeyedProvider::entry)
    }

    /// `provider`'s own entry, when it has one (not OpenAI TTS, which [`KeyedProvider::owner_of`] maps to
    /// OpenAI's).
    pub fn entry(provider: ProviderId) -> Option<KeyedProvider> {
        matches!(provider.spec().key, KeyRule::Own { .. }).then_some(KeyedProvider(provider))
    }

    /// The entry whose key `provider` calls with.
    pub fn owner_of(provider: ProviderId) -> Option<KeyedProvider> {
        provider.key_owner().and_then(KeyedProvider::entry)
    }

    /// The catalog row behind this entry.
    pub fn provider(self) -> ProviderId {
        self.0
    }

    /// Stable identifier: the keyring entry's user name and the value sent over IPC.
    pub fn id(self) -> &'static str {
        self.0.as_str()
    }

    /// Name shown to the producer.
    pub fn label(self) -> &'static str {
        self.0.label()
    }

    /// The conventional environment variable for this provider's key (the CLI and CI fallback).
    pub fn env_var(self) -> &'static str {
        match self.0.spec().key {
            KeyRule::Own { env_var } => env_var,
            // Unreachable by construction: `entry` admits only `Own` rows.
            _ => "",
        }
    }

    /// The provider whose [`id`](Self::id) is `id`, exactly (ids are lowercase by contract).
    pub fn parse(id: &str) -> Option<Self> {
        ProviderId::parse(id).and_then(KeyedProvider::entry)
    }
}

impl fmt::Display for KeyedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_parses_back_to_its_provider() {
        for provider in KeyedProvider::all() {
            assert_eq!(
                KeyedProvider::parse(provider.id()),
                Some(provider),
                "ids arrive over IPC and must round-trip"
            );
        }
    }

    #[test]
    fn unknown_or_differently_cased_ids_do_not_parse() {
        for id in ["", "claude", "Anthropic", "open_ai", " openai", "openai_tts", "ollama"] {
            assert_eq!(
                KeyedProvider::parse(id),
                None,
                "'{id}' is not an id; guessing could store a key under the wrong provider"
            );
        }
    }
}
