//! The speech-engine contract: text and a voice in, a WAV take out.

use crate::{ProviderError, Usage};
use serde::{Deserialize, Serialize};
use showrunner_domain::Language;

/// A voice a host can be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// What goes in `Host::voices` (or `Host::voice` for system speech) and `SpeechRequest::voice`.
    pub id: String,
    /// Shown to the producer.
    pub label: String,
    /// The language the voice speaks, as a tag ("de", "en_US"); `None` for a voice that speaks whatever
    /// language its text is in (ElevenLabs' multilingual voices, OpenAI's).
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeechRequest {
    pub text: String,
    pub voice: String,
    /// What is spoken just before this text, so the take joins naturally (ElevenLabs `previous_text`).
    /// Engines that cannot use it ignore it.
    #[serde(default)]
    pub previous_text: Option<String>,
    /// What is spoken just after this text (ElevenLabs `next_text`).
    #[serde(default)]
    pub next_text: Option<String>,
}

/// One synthesized take: a complete WAV file, what it measured, and the usage the provider reported (billed
/// characters). Cost is usage × the price table's row for (`provider_id`, `model`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechAudio {
    pub wav: Vec<u8>,
    pub sample_rate: u32,
    pub duration_ms: u64,
    pub usage: Usage,
    /// Stable provider id, the price table's key (`elevenlabs`, `openai_tts`, `system_speech`).
    pub provider_id: String,
    pub model: String,
    pub request_id: Option<String>,
}

#[async_trait::async_trait]
pub trait SpeechEngine: Send + Sync {
    /// Shown to the producer, e.g. "System speech (espeak-ng)".
    fn label(&self) -> &str;
    /// Stable identifier.
    fn id(&self) -> &str;
    /// The model requests go to, as the price table names it.
    fn model(&self) -> &str;
    /// Voices worth offering; the first few are distinct enough to tell hosts apart.
    fn voices(&self) -> Vec<Voice>;
    /// The longest text one request may carry; callers split longer text.
    fn max_chars(&self) -> usize;
    /// How long the engine stays out of the routes after failing several calls in a row; `None` in service.
    fn out_for(&self) -> Option<std::time::Duration> {
        None
    }
    /// The voice a host given `voice` speaks `language` with. Most engines' voices speak any language; system
    /// speech has a voice per language and maps the host's to the language's at the same place.
    fn voice_in(&self, voice: &str, _language: Language) -> String {
        voice.to_owned()
    }
    /// Brings [`SpeechEngine::voices`] up to date when the engine's list comes from the account (ElevenLabs
    /// knows only its premade voices until asked). Best effort: the old list stays if asking fails.
    async fn refresh_voices(&self) {}
    async fn synthesize(&self, req: SpeechRequest) -> Result<SpeechAudio, ProviderError>;
}

/// A line spoken in pieces failed at a later piece: the earlier pieces (`paid_characters`) were billed all the
/// same, and so was this piece if its reply came back unusable. The error carries their sum.
pub(crate) fn with_pieces_paid(error: ProviderError, paid_characters: u64, model: &str) -> ProviderError {
    let this_piece = match error.billed() {
        Some(crate::Billed::Usage { usage, .. }) => usage.characters,
        _ => 0,
    };
    let characters = paid_characters + this_piece;
    if characters == 0 {
        return error;
    }
    error.with_billed_usage(
        Usage {
            characters,
            ..Usage::default()
        },
        model,
    )
}
