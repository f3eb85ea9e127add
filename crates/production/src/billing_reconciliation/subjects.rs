//! The real provider clients under reconciliation, each pointed at its fake, and the reply kinds each
//! provider can send.

use std::sync::Arc;

use serde_json::json;
use showrunner_provider_fakes::{FakeConfig, FakeServer};
use showrunner_providers::anthropic::{AnthropicClient, AnthropicConfig};
use showrunner_providers::elevenlabs::{ElevenLabs, ElevenLabsConfig};
use showrunner_providers::gemini::{GeminiClient, GeminiConfig};
use showrunner_providers::openai_compat::{OpenAiCompatClient, OpenAiCompatConfig};
use showrunner_providers::openai_tts::{OpenAiTts, OpenAiTtsConfig};
use showrunner_providers::perplexity::{PerplexityClient, PerplexityConfig};
use showrunner_providers::{LanguageModel, SpeechEngine};
use showrunner_secrets::Sensitive;

use super::Expect::{AtReservation, Exact};
use super::Kind::{Malformed, MaxTokens, Ok, PartialSpeech, PartialSpeechInEngine, Refusal, Safety, TruncatedBody};
use super::{case, Case};

const KEY: &str = "fake-reconciliation-key-1c9e";
/// The longest piece a speech engine is sent here, so a three-sentence line takes three requests.
pub(super) const SPEECH_PIECE_CHARS: usize = 80;

pub(super) enum Client {
    Model(Arc<dyn LanguageModel>),
    Speech(Arc<dyn SpeechEngine>),
}

impl Client {
    /// The price table's provider and model for what this client asks for.
    pub fn priced_as(&self) -> (&str, &str) {
        match self {
            Client::Model(m) => (m.id(), m.model()),
            Client::Speech(s) => (s.id(), s.model()),
        }
    }
}

pub(super) struct Subject {
    pub provider: &'static str,
    pub client: Client,
    pub server: FakeServer,
    /// Perplexity's search context size, which sets its request fee.
    pub search_context: Option<&'static str>,
    pub cases: &'static [Case],
}

/// A schema-matching answer long enough to be cut off at a small output limit.
fn answering() -> FakeConfig {
    FakeConfig::answering(
        KEY,
        json!({"lines": [{"speaker": "Ada", "text": "Keepers trimmed the wicks at dusk and again at midnight."}]}),
    )
}

fn key() -> Sensitive<String> {
    Sensitive::new(KEY.to_owned())
}

// The fake's `SchemaInvalid` is well-formed JSON of the wrong shape: the client hands it over as an answer and
// the stage's schema check rejects it, so it is billed like any answer.
const ANTHROPIC: &[Case] = &[
    case(Ok, "answer", Exact),
    case(MaxTokens, "output_truncated", Exact),
    case(Refusal, "refused", Exact),
    case(Malformed, "answer", Exact),
    case(TruncatedBody, "bad_response", AtReservation),
];
const GEMINI: &[Case] = &[
    case(Ok, "answer", Exact),
    case(MaxTokens, "output_truncated", Exact),
    case(Safety, "refused", Exact),
    case(Malformed, "answer", Exact),
    case(TruncatedBody, "bad_response", AtReservation),
];
const OPENAI: &[Case] = &[
    case(Ok, "answer", Exact),
    case(MaxTokens, "output_truncated", Exact),
    case(Refusal, "refused", Exact),
    case(Safety, "refused", Exact),
    case(Malformed, "answer", Exact),
    case(TruncatedBody, "bad_response", AtReservation),
];
// Perplexity documents no refusal or content-filter reply of its own.
const PERPLEXITY: &[Case] = &[
    case(Ok, "answer", Exact),
    case(MaxTokens, "output_truncated", Exact),
    case(Malformed, "answer", Exact),
    case(TruncatedBody, "bad_response", AtReservation),
];
// Speech bills characters, which a cut-off body does not hide: ElevenLabs' `character-cost` header and
// OpenAI's input length are known before the body is read.
const SPEECH: &[Case] = &[
    case(Ok, "answer", Exact),
    case(Malformed, "bad_response", Exact),
    case(TruncatedBody, "bad_response", Exact),
    case(PartialSpeech, "server_error", Exact),
    case(PartialSpeechInEngine, "server_error", Exact),
];

pub(super) async fn all() -> Vec<Subject> {
    let anthropic = showrunner_provider_fakes::anthropic::start(answering()).await;
    let mut config = AnthropicConfig::new(key(), "claude-sonnet-4-5");
    config.base_url = anthropic.base_url();
    let anthropic = Subject {
        provider: "anthropic",
        client: Client::Model(Arc::new(AnthropicClient::new(config).unwrap())),
        server: anthropic,
        search_context: None,
        cases: ANTHROPIC,
    };

    let gemini = showrunner_provider_fakes::gemini::start(answering()).await;
    let mut config = GeminiConfig::new(key(), "gemini-2.5-pro");
    config.base_url = gemini.base_url();
    let gemini = Subject {
        provider: "gemini",
        client: Client::Model(Arc::new(GeminiClient::new(config).unwrap())),
        server: gemini,
        search_context: None,
        cases: GEMINI,
    };

    let openai = showrunner_provider_fakes::openai_compat::start(answering()).await;
    let mut config = OpenAiCompatConfig::openai(key(), "gpt-4.1");
    config.base_url = format!("{}/v1", openai.base_url());
    let openai = Subject {
        provider: "openai",
        client: Client::Model(Arc::new(OpenAiCompatClient::new(config).unwrap())),
        server: openai,
        search_context: None,
        cases: OPENAI,
    };

    let perplexity = showrunner_provider_fakes::perplexity::start(answering()).await;
    let mut config = PerplexityConfig::new(key(), "sonar");
    config.base_url = perplexity.base_url();
    config.search_context_size = Some("medium".to_owned());
    let perplexity = Subject {
        provider: "perplexity",
        client: Client::Model(Arc::new(PerplexityClient::new(config).unwrap())),
        server: perplexity,
        search_context: Some("medium"),
        cases: PERPLEXITY,
    };

    let elevenlabs = elevenlabs_at("elevenlabs", "eleven_multilingual_v2").await;
    // Flash bills half a credit per character: the `character-cost` header says so, the text length does not.
    let elevenlabs_flash = elevenlabs_at("elevenlabs flash", "eleven_flash_v2_5").await;

    let openai_tts = showrunner_provider_fakes::openai_tts::start(answering()).await;
    let mut config = OpenAiTtsConfig::new(key());
    config.base_url = format!("{}/v1", openai_tts.base_url());
    config.max_chars = Some(SPEECH_PIECE_CHARS);
    let openai_tts = Subject {
        provider: "openai_tts",
        client: Client::Speech(Arc::new(OpenAiTts::new(config).unwrap())),
        server: openai_tts,
        search_context: None,
        cases: SPEECH,
    };

    vec![
        anthropic,
        gemini,
        openai,
        perplexity,
        elevenlabs,
        elevenlabs_flash,
        openai_tts,
    ]
}

async fn elevenlabs_at(provider: &'static str, model: &str) -> Subject {
    let server = showrunner_provider_fakes::elevenlabs::start(answering()).await;
    let mut config = ElevenLabsConfig::new(key());
    config.base_url = server.base_url();
    config.model = model.to_owned();
    config.max_chars = Some(SPEECH_PIECE_CHARS);
    Subject {
        provider,
        client: Client::Speech(Arc::new(ElevenLabs::new(config).unwrap())),
        server,
        search_context: None,
        cases: SPEECH,
    }
}
