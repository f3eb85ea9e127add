//! The provider catalog: every provider Showrunner can call, with everything the rest of the code needs to
//! know about it in one row (label, kind, whose key it uses, its default address, its default concurrency,
//! how patiently to retry it, which price-table rows bill it). Adding a provider is one row here plus its
//! client; the roster, routing, the keyring, the retry policies and the UI's lists read the table.
//!
//! Invariant: a provider's id ([`ProviderId::as_str`]) is the keyring user name, the price table's key, the
//! route plan's stored text and the IPC value. Ids are append-only: renaming one strands stored keys and plans.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;
use ts_rs::TS;

/// A provider Showrunner knows. Its id (serde's and strum's, the same word) is the variant's name in lower
/// case, except OpenAI TTS's.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, TS, IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum ProviderId {
    Anthropic,
    Gemini,
    Perplexity,
    OpenAi,
    OpenRouter,
    Ollama,
    LmStudio,
    ElevenLabs,
    #[serde(rename = "openai_tts")]
    #[strum(serialize = "openai_tts")]
    OpenAiTts,
}

/// What a provider does for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Writes text: plans, scripts, evaluations.
    LanguageModel,
    /// Writes text with web sources (Perplexity); takes any text job.
    Research,
    /// Turns a script into audio.
    Speech,
}

/// Which request/response format a provider speaks, and so which client calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    Anthropic,
    Gemini,
    Perplexity,
    /// OpenAI's Chat Completions. `max_completion_tokens`: the server rejects the older `max_tokens`
    /// (OpenAI's own current models); local servers only know `max_tokens`.
    OpenAiCompat {
        max_completion_tokens: bool,
    },
    ElevenLabs,
    OpenAiTts,
}

/// Whose API key a provider calls with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRule {
    /// Its own keyring entry (user name = its id), else this conventional environment variable.
    Own { env_var: &'static str },
    /// Another provider's key (OpenAI TTS bills to the OpenAI account).
    SameAs(ProviderId),
    /// Runs on this computer and takes no key.
    None,
}

/// How patiently to retry a provider's failed calls; production turns each into the engine's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryProfile {
    /// The engine's default.
    Standard,
    /// Overloads clear within seconds to a minute (Anthropic's 529): more tries.
    Overloads,
    /// Concurrency refusals clear as soon as one of our own calls ends (ElevenLabs): start sooner.
    ConcurrencyCap,
}

/// One provider's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderSpec {
    pub id: ProviderId,
    /// Shown to the producer on cards and in lists.
    pub label: &'static str,
    /// The short name in "OpenRouter · openai/gpt-4.1" and in error messages.
    pub name: &'static str,
    pub kind: ProviderKind,
    pub wire: Wire,
    pub key: KeyRule,
    /// The provider's own address; `SHOWRUNNER_<ID>_BASE_URL` or the `base_urls` setting override it.
    pub default_base_url: &'static str,
    /// Calls in flight at once until the producer sets another number (ElevenLabs' smallest plan allows 2).
    pub default_concurrency: u32,
    pub retry: RetryProfile,
    /// Sent with every request besides the key.
    pub headers: &'static [(&'static str, &'static str)],
}

/// Every provider, in the order the Providers page and the route editor list them.
pub const CATALOG: [ProviderSpec; 9] = [
    ProviderSpec {
        id: ProviderId::Anthropic,
        label: "Anthropic (Claude)",
        name: "Anthropic",
        kind: ProviderKind::LanguageModel,
        wire: Wire::Anthropic,
        key: KeyRule::Own {
            env_var: "ANTHROPIC_API_KEY",
        },
        default_base_url: "https://api.anthropic.com",
        default_concurrency: 8,
        retry: RetryProfile::Overloads,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::Gemini,
        label: "Google Gemini",
        name: "Gemini",
        kind: ProviderKind::LanguageModel,
        wire: Wire::Gemini,
        key: KeyRule::Own {
            env_var: "GEMINI_API_KEY",
        },
        default_base_url: "https://generativelanguage.googleapis.com",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::Perplexity,
        label: "Perplexity Sonar",
        name: "Perplexity",
        kind: ProviderKind::Research,
        wire: Wire::Perplexity,
        key: KeyRule::Own {
            env_var: "PERPLEXITY_API_KEY",
        },
        default_base_url: "https://api.perplexity.ai",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::OpenAi,
        label: "OpenAI",
        name: "OpenAI",
        kind: ProviderKind::LanguageModel,
        wire: Wire::OpenAiCompat {
            max_completion_tokens: true,
        },
        key: KeyRule::Own {
            env_var: "OPENAI_API_KEY",
        },
        default_base_url: "https://api.openai.com/v1",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::OpenRouter,
        label: "OpenRouter",
        name: "OpenRouter",
        kind: ProviderKind::LanguageModel,
        // OpenRouter forwards `max_tokens` to every upstream model.
        wire: Wire::OpenAiCompat {
            max_completion_tokens: false,
        },
        key: KeyRule::Own {
            env_var: "OPENROUTER_API_KEY",
        },
        default_base_url: "https://openrouter.ai/api/v1",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        // Names the app on the producer's OpenRouter activity page.
        headers: &[("X-Title", "Showrunner")],
    },
    ProviderSpec {
        id: ProviderId::Ollama,
        label: "Ollama (on this computer)",
        name: "Ollama",
        kind: ProviderKind::LanguageModel,
        wire: Wire::OpenAiCompat {
            max_completion_tokens: false,
        },
        key: KeyRule::None,
        default_base_url: "http://localhost:11434/v1",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::LmStudio,
        label: "LM Studio (on this computer)",
        name: "LM Studio",
        kind: ProviderKind::LanguageModel,
        wire: Wire::OpenAiCompat {
            max_completion_tokens: false,
        },
        key: KeyRule::None,
        default_base_url: "http://localhost:1234/v1",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::ElevenLabs,
        label: "ElevenLabs",
        name: "ElevenLabs",
        kind: ProviderKind::Speech,
        wire: Wire::ElevenLabs,
        key: KeyRule::Own {
            env_var: "ELEVENLABS_API_KEY",
        },
        default_base_url: "https://api.elevenlabs.io",
        default_concurrency: 2,
        retry: RetryProfile::ConcurrencyCap,
        headers: &[],
    },
    ProviderSpec {
        id: ProviderId::OpenAiTts,
        label: "OpenAI text-to-speech",
        name: "OpenAI TTS",
        kind: ProviderKind::Speech,
        wire: Wire::OpenAiTts,
        key: KeyRule::SameAs(ProviderId::OpenAi),
        default_base_url: "https://api.openai.com/v1",
        default_concurrency: 8,
        retry: RetryProfile::Standard,
        headers: &[],
    },
];

/// The most calls in flight a producer may set for one provider; more is a typo, not a plan.
pub const MAX_CONCURRENCY: u32 = 64;
/// The most requests a minute a provider card accepts (above every plan's published limit).
pub const MAX_REQUESTS_PER_MINUTE: u32 = 100_000;

impl ProviderId {
    /// Every provider, in catalog order.
    pub fn all() -> impl Iterator<Item = ProviderId> {
        CATALOG.iter().map(|spec| spec.id)
    }

    /// This provider's row.
    pub fn spec(self) -> &'static ProviderSpec {
        // The catalog has one row per variant (a test walks them all), so this always finds one.
        CATALOG.iter().find(|spec| spec.id == self).unwrap_or(&CATALOG[0])
    }

    /// The stable id: keyring user name, price-table key, stored route text, IPC value.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The provider whose id is `id`, exactly (ids are lowercase by contract; guessing could store a key
    /// under the wrong provider).
    pub fn parse(id: &str) -> Option<ProviderId> {
        ProviderId::all().find(|p| p.as_str() == id)
    }

    pub fn label(self) -> &'static str {
        self.spec().label
    }

    pub fn kind(self) -> ProviderKind {
        self.spec().kind
    }

    /// Takes text jobs (writing, research, evaluation).
    pub fn writes_text(self) -> bool {
        self.kind() != ProviderKind::Speech
    }

    /// Runs on this computer: no key, no bill.
    pub fn is_local(self) -> bool {
        self.spec().key == KeyRule::None
    }

    /// The provider whose keyring entry and environment variable hold this provider's key.
    pub fn key_owner(self) -> Option<ProviderId> {
        match self.spec().key {
            KeyRule::Own { .. } => Some(self),
            KeyRule::SameAs(owner) => Some(owner),
            KeyRule::None => None,
        }
    }

    /// The environment variable a key is read from when the keyring has none.
    pub fn key_env_var(self) -> Option<&'static str> {
        match self.key_owner()?.spec().key {
            KeyRule::Own { env_var } => Some(env_var),
            _ => None,
        }
    }

    /// `SHOWRUNNER_OPENAI_TTS_BASE_URL` for OpenAI TTS: overrides the saved address.
    pub fn base_url_env_var(self) -> String {
        format!("SHOWRUNNER_{}_BASE_URL", self.as_str().to_ascii_uppercase())
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An id no catalog row has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a provider Showrunner knows")]
pub struct UnknownProvider(pub String);

impl FromStr for ProviderId {
    type Err = UnknownProvider;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        ProviderId::parse(id).ok_or_else(|| UnknownProvider(id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, written out so a new variant without a row fails here.
    const VARIANTS: [ProviderId; 9] = [
        ProviderId::Anthropic,
        ProviderId::Gemini,
        ProviderId::Perplexity,
        ProviderId::OpenAi,
        ProviderId::OpenRouter,
        ProviderId::Ollama,
        ProviderId::LmStudio,
        ProviderId::ElevenLabs,
        ProviderId::OpenAiTts,
    ];

    #[test]
    fn every_id_round_trips_through_its_text_and_json() {
        for id in VARIANTS {
            assert_eq!(id.spec().id, id, "{id} has no row of its own");
            assert_eq!(ProviderId::parse(id.as_str()), Some(id));
            assert_eq!(id.to_string().parse::<ProviderId>(), Ok(id));
            let json = serde_json::to_value(id).unwrap();
            assert_eq!(json, serde_json::json!(id.as_str()), "the stored form is the id");
            assert_eq!(serde_json::from_value::<ProviderId>(json).unwrap(), id);
        }
        assert_eq!(ProviderId::all().count(), VARIANTS.len(), "one row per provider");
    }

    #[test]
    fn unknown_or_differently_cased_ids_do_not_parse() {
        for id in ["", "claude", "Anthropic", "open_ai", " openai", "OPENROUTER"] {
            assert_eq!(ProviderId::parse(id), None, "'{id}'");
            assert!(serde_json::from_value::<ProviderId>(serde_json::json!(id)).is_err());
        }
    }

    #[test]
    fn keys_follow_their_owner_and_local_servers_need_none() {
        assert_eq!(ProviderId::OpenAiTts.key_owner(), Some(ProviderId::OpenAi));
        assert_eq!(ProviderId::OpenAiTts.key_env_var(), Some("OPENAI_API_KEY"));
        assert_eq!(ProviderId::OpenRouter.key_env_var(), Some("OPENROUTER_API_KEY"));
        for local in [ProviderId::Ollama, ProviderId::LmStudio] {
            assert!(local.is_local());
            assert_eq!(local.key_env_var(), None);
        }
        assert_eq!(ProviderId::ElevenLabs.spec().default_concurrency, 2);
        assert_eq!(
            ProviderId::OpenAiTts.base_url_env_var(),
            "SHOWRUNNER_OPENAI_TTS_BASE_URL"
        );
    }
}
