//! The providers whose API keys Showrunner keeps, and the names each one goes by.
//!
//! Invariants: `id()` is the keyring user name and the IPC identifier, and `env_var()` is the variable users
//! already set for the provider's own SDKs. Changing either strands keys that users have already stored, so
//! both are append-only: add providers, never rename them.

use std::fmt;

/// A provider that needs an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyedProvider {
    Anthropic,
    Gemini,
    Perplexity,
    OpenAi,
    ElevenLabs,
}

impl KeyedProvider {
    /// Every keyed provider, in the order the settings screen lists them.
    pub const ALL: [Self; 5] = [
        Self::Anthropic,
        Self::Gemini,
        Self::Perplexity,
        Self::OpenAi,
        Self::ElevenLabs,
    ];

    /// Stable identifier: the keyring entry's user name and the value sent over IPC.
    pub fn id(self) -> &'static str {
        match self {
            Self::Anthropic => "anthropic",
            Self::Gemini => "gemini",
            Self::Perplexity => "perplexity",
            Self::OpenAi => "openai",
            Self::ElevenLabs => "elevenlabs",
        }
    }

    /// Name shown to the producer.
    pub fn label(self) -> &'static str {
        match self {
            Self::Anthropic => "Anthropic (Claude)",
            Self::Gemini => "Google Gemini",
            Self::Perplexity => "Perplexity Sonar",
            Self::OpenAi => "OpenAI",
            Self::ElevenLabs => "ElevenLabs",
        }
    }

    /// The conventional environment variable for this provider's key (the CLI and CI fallback).
    pub fn env_var(self) -> &'static str {
        match self {
            Self::Anthropic => "ANTHROPIC_API_KEY",
            Self::Gemini => "GEMINI_API_KEY",
            Self::Perplexity => "PERPLEXITY_API_KEY",
            Self::OpenAi => "OPENAI_API_KEY",
            Self::ElevenLabs => "ELEVENLABS_API_KEY",
        }
    }

    /// The provider whose [`id`](Self::id) is `id`, exactly (ids are lowercase by contract).
    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|provider| provider.id() == id)
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
        for provider in KeyedProvider::ALL {
            assert_eq!(
                KeyedProvider::parse(provider.id()),
                Some(provider),
                "ids arrive over IPC and must round-trip"
            );
        }
    }

    #[test]
    fn unknown_or_differently_cased_ids_do_not_parse() {
        for id in ["", "claude", "Anthropic", "open_ai", " openai"] {
            assert_eq!(
                KeyedProvider::parse(id),
                None,
                "'{id}' is not an id; guessing could store a key under the wrong provider"
            );
        }
    }
}
