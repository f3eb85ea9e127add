//! OpenAI text to speech: `POST {base}/audio/speech` with a Bearer key, answered with a WAV (or raw PCM).
//! Input is capped at 4,096 characters per request, so a longer text is split at sentence ends (then
//! clauses, then words) and the pieces' audio concatenated. Billed characters are the input's length.

mod audio;
mod errors;

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use showrunner_secrets::Sensitive;

use crate::{http, speech_chunks};
use crate::{ErrorClass, ProviderError, SpeechAudio, SpeechEngine, SpeechRequest, Usage, Voice};

pub const PROVIDER_ID: &str = "openai_tts";
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// Billed per character, so the ledger's cost is exact (gpt-4o-mini-tts bills tokens and audio minutes).
pub const DEFAULT_MODEL: &str = "tts-1-hd";
/// Characters one request may carry.
pub const MAX_CHARS: usize = 4_096;
/// The built-in voices.
pub const VOICES: [&str; 10] = [
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer",
];
const NAME: &str = "OpenAI";

/// What OpenAI sends back. Both are 16-bit PCM at 24 kHz; WAV lets a cut-short answer be detected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AudioFormat {
    #[default]
    Wav,
    Pcm,
}

impl AudioFormat {
    fn wire_name(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Pcm => "pcm",
        }
    }
}

#[derive(Debug, Clone)]
pub struct OpenAiTtsConfig {
    pub api_key: Sensitive<String>,
    /// `https://api.openai.com/v1`, or a compatible server's base.
    pub base_url: String,
    /// `tts-1`, `tts-1-hd` or `gpt-4o-mini-tts`.
    pub model: String,
    /// How to speak (tone, pace, accent); sent only to models that take it (not tts-1 / tts-1-hd).
    pub instructions: Option<String>,
    /// 0.25 to 4.0; `None` leaves OpenAI's default (1.0).
    pub speed: Option<f32>,
    pub format: AudioFormat,
    /// A smaller per-request limit than [`MAX_CHARS`].
    pub max_chars: Option<usize>,
    pub timeout: Duration,
}

impl OpenAiTtsConfig {
    pub fn new(api_key: Sensitive<String>) -> OpenAiTtsConfig {
        OpenAiTtsConfig {
            api_key,
            base_url: DEFAULT_BASE_URL.to_owned(),
            model: DEFAULT_MODEL.to_owned(),
            instructions: None,
            speed: None,
            format: AudioFormat::default(),
            max_chars: None,
            timeout: http::DEFAULT_TIMEOUT,
        }
    }
}

/// The OpenAI speech engine.
#[derive(Debug)]
pub struct OpenAiTts {
    config: OpenAiTtsConfig,
    http: reqwest::Client,
    label: String,
}

#[derive(Serialize)]
struct SpeechBody<'a> {
    model: &'a str,
    input: &'a str,
    voice: Value,
    response_format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speed: Option<f32>,
}

impl OpenAiTts {
    pub fn new(config: OpenAiTtsConfig) -> Result<OpenAiTts, ProviderError> {
        Ok(OpenAiTts {
            http: http::client(config.timeout)?,
            label: format!("OpenAI TTS ({})", config.model),
            config,
        })
    }

    pub fn config(&self) -> &OpenAiTtsConfig {
        &self.config
    }

    /// Whether the key and base URL work (`GET {base}/models`): `bad_key` (Auth), `out_of_quota` (Quota),
    /// `unreachable`, `wrong_url`, or `Ok`.
    pub async fn check_connection(&self) -> Result<(), ProviderError> {
        let response = self
            .http
            .get(http::url(&self.config.base_url, "models"))
            .bearer_auth(self.config.api_key.expose())
            .send()
            .await
            .map_err(|e| http::transport_error(NAME, &self.config.base_url, &e))?;
        let (status, headers, body) = self.read(response).await?;
        if !(200..300).contains(&status) {
            return Err(errors::from_response(
                status,
                &headers,
                &body,
                None,
                self.config.api_key.expose(),
            ));
        }
        let listed = serde_json::from_slice::<Value>(&body)
            .ok()
            .is_some_and(|v| v.get("data").is_some_and(Value::is_array));
        if listed {
            Ok(())
        } else {
            Err(ProviderError::new(
                "wrong_url",
                format!(
                    "{} did not answer like OpenAI: check the base URL.",
                    self.config.base_url
                ),
                ErrorClass::Terminal,
            ))
        }
    }

    /// Instructions go only to models that understand them; tts-1 and tts-1-hd reject them.
    fn takes_instructions(&self) -> bool {
        !self.config.model.starts_with("tts-1")
    }

    async fn read(
        &self,
        response: reqwest::Response,
    ) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), ProviderError> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(e) = http::redirect_error(NAME, response.status(), &headers) {
            return Err(e);
        }
        let body = response.bytes().await.map_err(|e| {
            http::transport_error(NAME, &self.config.base_url, &e).with_request_id(http::request_id(&headers))
        })?;
        Ok((status, headers, body.to_vec()))
    }

    async fn synthesize_piece(&self, voice: &str, text: &str) -> Result<(audio::Pcm, Option<String>), ProviderError> {
        // Custom voices are addressed by id as an object; built-in ones by name.
        let voice_value = if voice.starts_with("voice_") {
            serde_json::json!({ "id": voice })
        } else {
            Value::String(voice.to_owned())
        };
        let body = SpeechBody {
            model: &self.config.model,
            input: text,
            voice: voice_value,
            response_format: self.config.format.wire_name(),
            instructions: self
                .config
                .instructions
                .as_deref()
                .filter(|_| self.takes_instructions()),
            speed: self.config.speed,
        };
        let response = self
            .http
            .post(http::url(&self.config.base_url, "audio/speech"))
            .bearer_auth(self.config.api_key.expose())
            .json(&body)
            .send()
            .await
            .map_err(|e| http::transport_error(NAME, &self.config.base_url, &e))?;
        let (status, headers, bytes) = self.read(response).await?;
        let request_id = http::request_id(&headers);
        if !(200..300).contains(&status) {
            return Err(errors::from_response(
                status,
                &headers,
                &bytes,
                Some(voice),
                self.config.api_key.expose(),
            ));
        }
        let pcm = match self.config.format {
            AudioFormat::Wav => audio::from_wav(bytes),
            AudioFormat::Pcm => audio::from_pcm(bytes),
        }
        .map_err(|e| {
            // A 2xx answer was billed by its input characters, whether or not its audio can be used.
            ProviderError::transient(
                "bad_response",
                format!("OpenAI sent audio that could not be used: {e}."),
            )
            .with_request_id(request_id.clone())
            .with_billed_usage(
                Usage {
                    characters: text.chars().count() as u64,
                    ..Usage::default()
                },
                self.config.model.clone(),
            )
        })?;
        Ok((pcm, request_id))
    }
}

/// A voice as OpenAI names it: empty means the first voice, and built-in names are case-insensitive.
fn resolve_voice(voice: &str) -> String {
    let voice = voice.trim();
    if voice.is_empty() {
        return VOICES[0].to_owned();
    }
    VOICES
        .iter()
        .find(|v| v.eq_ignore_ascii_case(voice))
        .map_or_else(|| voice.to_owned(), |v| (*v).to_owned())
}

fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[async_trait::async_trait]
impl SpeechEngine for OpenAiTts {
    fn label(&self) -> &str {
        &self.label
    }

    fn id(&self) -> &str {
        PROVIDER_ID
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn voices(&self) -> Vec<Voice> {
        VOICES
            .iter()
            .map(|v| Voice {
                id: (*v).to_owned(),
                label: title_case(v),
                // OpenAI's voices read any language they are given.
                language: None,
            })
            .collect()
    }

    fn max_chars(&self) -> usize {
        self.config.max_chars.map_or(MAX_CHARS, |m| m.clamp(1, MAX_CHARS))
    }

    async fn synthesize(&self, req: SpeechRequest) -> Result<SpeechAudio, ProviderError> {
        let text = req.text.trim();
        if text.is_empty() {
            return Err(ProviderError::invalid_request("There is no text to speak."));
        }
        let voice = resolve_voice(&req.voice);
        let mut samples = Vec::new();
        let mut shape: Option<(u32, u16)> = None;
        let mut characters = 0u64;
        let mut request_id = None;
        for piece in speech_chunks::split(text, self.max_chars()) {
            let (pcm, id) = self
                .synthesize_piece(&voice, &piece)
                .await
                .map_err(|e| crate::speech::with_pieces_paid(e, characters, &self.config.model))?;
            let piece_chars = piece.chars().count() as u64;
            let this = (pcm.sample_rate, pcm.channels);
            if shape.is_some_and(|s| s != this) {
                let error = ProviderError::transient(
                    "bad_response",
                    "OpenAI answered the pieces of one line in different audio formats.",
                )
                .with_request_id(id);
                return Err(crate::speech::with_pieces_paid(
                    error,
                    characters + piece_chars,
                    &self.config.model,
                ));
            }
            shape = Some(this);
            samples.extend_from_slice(&pcm.samples);
            characters += piece_chars;
            request_id = id.or(request_id);
        }
        let (sample_rate, channels) = shape.unwrap_or((audio::PCM_SAMPLE_RATE, 1));
        let (wav, info) = crate::wav::from_pcm16(&samples, sample_rate, channels).map_err(|e| {
            crate::speech::with_pieces_paid(
                ProviderError::transient("bad_response", format!("OpenAI audio: {e}")),
                characters,
                &self.config.model,
            )
        })?;
        Ok(SpeechAudio {
            wav,
            sample_rate: info.sample_rate,
            duration_ms: info.duration_ms,
            usage: Usage {
                characters,
                ..Usage::default()
            },
            provider_id: PROVIDER_ID.to_owned(),
            model: self.config.model.clone(),
            request_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_resolve_case_insensitively_with_a_default() {
        assert_eq!(resolve_voice(""), "alloy");
        assert_eq!(resolve_voice("Nova"), "nova");
        assert_eq!(resolve_voice("voice_abc123"), "voice_abc123");
        assert_eq!(title_case("shimmer"), "Shimmer");
    }
}
