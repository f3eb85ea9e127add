//! ElevenLabs text to speech: `POST /v1/text-to-speech/{voice_id}/with-timestamps?output_format=pcm_24000`
//! with the key in `xi-api-key`, raw 24 kHz 16-bit mono PCM (base64 in the JSON) wrapped into a WAV here.
//!
//! A text longer than the model's per-request limit is split at sentence ends (then clauses, then words);
//! each piece is sent with the text around it as `previous_text`/`next_text` so the joins sound natural, and
//! the pieces' audio is concatenated into one take. Billed characters come from the `character-cost` header.

mod errors;
mod models;
mod voices;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use showrunner_secrets::Sensitive;

use crate::{http, speech_chunks};
use crate::{ErrorClass, ProviderError, SpeechAudio, SpeechEngine, SpeechRequest, Usage, Voice};

pub use models::{billed_characters, max_chars_for, model_name};
pub use voices::VoiceInfo;

pub const PROVIDER_ID: &str = "elevenlabs";
pub const DEFAULT_BASE_URL: &str = "https://api.elevenlabs.io";
pub const DEFAULT_MODEL: &str = "eleven_multilingual_v2";
/// Raw PCM: no decoder needed, and the sample rate every plan may use (44.1 kHz needs Pro).
const OUTPUT_FORMAT: &str = "pcm_24000";
const SAMPLE_RATE: u32 = 24_000;
/// How much of the neighbouring text goes along as context: enough for intonation, far less than a piece.
const CONTEXT_CHARS: usize = 1_000;
const NAME: &str = "ElevenLabs";

/// How a voice is rendered (every field is sent; ElevenLabs' own defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VoiceSettings {
    pub stability: f32,
    pub similarity_boost: f32,
    pub style: f32,
    pub use_speaker_boost: bool,
}

impl Default for VoiceSettings {
    fn default() -> VoiceSettings {
        VoiceSettings {
            stability: 0.5,
            similarity_boost: 0.75,
            style: 0.0,
            use_speaker_boost: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ElevenLabsConfig {
    pub api_key: Sensitive<String>,
    /// `https://api.elevenlabs.io` (a trailing `/v1` is tolerated).
    pub base_url: String,
    /// e.g. `eleven_multilingual_v2`, `eleven_flash_v2_5`, `eleven_v3`.
    pub model: String,
    pub voice_settings: VoiceSettings,
    /// A smaller per-request limit than the model's own, to keep each request short.
    pub max_chars: Option<usize>,
    pub timeout: Duration,
}

impl ElevenLabsConfig {
    pub fn new(api_key: Sensitive<String>) -> ElevenLabsConfig {
        ElevenLabsConfig {
            api_key,
            base_url: DEFAULT_BASE_URL.to_owned(),
            model: DEFAULT_MODEL.to_owned(),
            voice_settings: VoiceSettings::default(),
            max_chars: None,
            timeout: http::DEFAULT_TIMEOUT,
        }
    }
}

/// The ElevenLabs speech engine.
#[derive(Debug)]
pub struct ElevenLabs {
    config: ElevenLabsConfig,
    http: reqwest::Client,
    label: String,
    /// `maximum-concurrent-requests` as last seen; 0 before any answer carried it.
    max_concurrency: AtomicU32,
    /// The account's voices from the last successful [`ElevenLabs::list_voices`].
    known_voices: Mutex<Vec<VoiceInfo>>,
}

#[derive(Serialize)]
struct TtsBody<'a> {
    text: &'a str,
    model_id: &'a str,
    voice_settings: &'a VoiceSettings,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_text: Option<String>,
}

/// The with-timestamps answer; only the audio is needed (the alignment is ignored).
#[derive(Deserialize)]
struct WithTimestamps {
    #[serde(default)]
    audio_base64: Option<String>,
}

/// One request's audio and what it billed.
struct Piece {
    pcm: Vec<u8>,
    characters: u64,
    request_id: Option<String>,
}

impl ElevenLabs {
    pub fn new(mut config: ElevenLabsConfig) -> Result<ElevenLabs, ProviderError> {
        // Paths carry their own `/v1`; a base URL pasted with it would otherwise double it.
        let base = config.base_url.trim().trim_end_matches('/');
        config.base_url = base.strip_suffix("/v1").unwrap_or(base).to_owned();
        Ok(ElevenLabs {
            http: http::client(config.timeout)?,
            label: format!("ElevenLabs ({})", model_name(&config.model)),
            config,
            max_concurrency: AtomicU32::new(0),
            known_voices: Mutex::new(Vec::new()),
        })
    }

    pub fn config(&self) -> &ElevenLabsConfig {
        &self.config
    }

    /// The plan's limit on requests in flight at once, as ElevenLabs last reported it
    /// (`maximum-concurrent-requests`); `None` until an answer carried it.
    pub fn max_concurrency(&self) -> Option<u32> {
        Some(self.max_concurrency.load(Ordering::Relaxed)).filter(|n| *n > 0)
    }

    /// The account's voices, for the host-voice pickers. Also remembered for [`SpeechEngine::voices`].
    pub async fn list_voices(&self) -> Result<Vec<VoiceInfo>, ProviderError> {
        let url = http::url(&self.config.base_url, "v1/voices");
        let response = self
            .http
            .get(url)
            .header("xi-api-key", self.config.api_key.expose())
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
        let list = voices::parse(&body).ok_or_else(|| {
            ProviderError::new(
                "wrong_url",
                format!(
                    "{} did not answer like ElevenLabs: check the base URL.",
                    self.config.base_url
                ),
                ErrorClass::Terminal,
            )
            .with_request_id(http::request_id(&headers))
        })?;
        *self.known_voices.lock().expect("voice list") = list.clone();
        Ok(list)
    }

    /// Whether the key and base URL work: `bad_key` (Auth), `out_of_quota` (Quota), `unreachable`,
    /// `wrong_url`, or `Ok`.
    pub async fn check_connection(&self) -> Result<(), ProviderError> {
        self.list_voices().await.map(|_| ())
    }

    fn offered_voices(&self) -> Vec<VoiceInfo> {
        let known = self.known_voices.lock().expect("voice list");
        if known.is_empty() {
            voices::premade()
        } else {
            known.clone()
        }
    }

    /// A voice id ElevenLabs knows: empty means the first offered voice, and a voice's name (as shown in the
    /// picker) is accepted too. Ids are letters and digits only, so nothing else reaches the URL path.
    fn resolve_voice(&self, voice: &str) -> Result<String, ProviderError> {
        let voice = voice.trim();
        let offered = self.offered_voices();
        if voice.is_empty() {
            return Ok(offered
                .first()
                .map_or(voices::PREMADE[0].0, |v| v.id.as_str())
                .to_owned());
        }
        if let Some(v) = offered.iter().find(|v| v.name.eq_ignore_ascii_case(voice)) {
            return Ok(v.id.clone());
        }
        if voice.len() <= 64 && voice.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Ok(voice.to_owned());
        }
        Err(ProviderError::new(
            "unknown_voice",
            format!("'{voice}' is not an ElevenLabs voice. Pick one of the account's voices for the host."),
            ErrorClass::Terminal,
        ))
    }

    async fn read(&self, response: reqwest::Response) -> Result<(u16, HeaderMap, Vec<u8>), ProviderError> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(e) = http::redirect_error(NAME, response.status(), &headers) {
            return Err(e);
        }
        self.note_concurrency(&headers);
        let body = response.bytes().await.map_err(|e| {
            http::transport_error(NAME, &self.config.base_url, &e).with_request_id(http::request_id(&headers))
        })?;
        Ok((status, headers, body.to_vec()))
    }

    fn note_concurrency(&self, headers: &HeaderMap) {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u32>().ok())
        };
        if let Some(max) = number("maximum-concurrent-requests") {
            self.max_concurrency.store(max, Ordering::Relaxed);
            tracing::debug!(
                current = number("current-concurrent-requests"),
                maximum = max,
                "ElevenLabs concurrency"
            );
        }
    }

    async fn synthesize_piece(
        &self,
        voice_id: &str,
        text: &str,
        previous_text: Option<String>,
        next_text: Option<String>,
    ) -> Result<Piece, ProviderError> {
        let path = format!("v1/text-to-speech/{voice_id}/with-timestamps?output_format={OUTPUT_FORMAT}");
        let body = TtsBody {
            text,
            model_id: &self.config.model,
            voice_settings: &self.config.voice_settings,
            previous_text,
            next_text,
        };
        let response = self
            .http
            .post(http::url(&self.config.base_url, &path))
            .header("xi-api-key", self.config.api_key.expose())
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
                Some(voice_id),
                self.config.api_key.expose(),
            ));
        }
        // A 2xx answer was generated, so billed, even when its audio is unusable.
        let characters = billed_for(&headers, &self.config.model, text);
        let bad = |what: &str| {
            ProviderError::transient(
                "bad_response",
                format!("ElevenLabs sent audio that could not be read: {what}."),
            )
            .with_request_id(request_id.clone())
            .with_billed_usage(spoken(characters), self.config.model.clone())
        };
        let answer: WithTimestamps = serde_json::from_slice(&bytes).map_err(|_| bad("the JSON is incomplete"))?;
        let audio = answer
            .audio_base64
            .ok_or_else(|| bad("there is no audio in the answer"))?;
        let pcm = base64::engine::general_purpose::STANDARD
            .decode(audio.trim())
            .map_err(|_| bad("the audio is not valid base64"))?;
        if pcm.is_empty() || pcm.len() % 2 != 0 {
            return Err(bad("the audio is not whole 16-bit samples"));
        }
        Ok(Piece {
            pcm,
            characters,
            request_id,
        })
    }
}

#[async_trait::async_trait]
impl SpeechEngine for ElevenLabs {
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
        self.offered_voices().iter().map(VoiceInfo::to_voice).collect()
    }

    async fn refresh_voices(&self) {
        if let Err(e) = self.list_voices().await {
            tracing::debug!(code = e.code(), "ElevenLabs voices not refreshed; the known list stays");
        }
    }

    fn max_chars(&self) -> usize {
        let model = max_chars_for(&self.config.model);
        self.config.max_chars.map_or(model, |m| m.clamp(1, model))
    }

    async fn synthesize(&self, req: SpeechRequest) -> Result<SpeechAudio, ProviderError> {
        let text = req.text.trim();
        if text.is_empty() {
            return Err(ProviderError::invalid_request("There is no text to speak."));
        }
        let voice_id = self.resolve_voice(&req.voice)?;
        let pieces = speech_chunks::split(text, self.max_chars());
        let mut pcm = Vec::new();
        let mut characters = 0;
        let mut request_id = None;
        for (i, piece) in pieces.iter().enumerate() {
            let previous = match i {
                0 => req.previous_text.as_deref(),
                _ => Some(pieces[i - 1].as_str()),
            };
            let next = pieces.get(i + 1).map(String::as_str).or(req.next_text.as_deref());
            let take = self
                .synthesize_piece(
                    &voice_id,
                    piece,
                    previous.and_then(|t| speech_chunks::context_before(t, CONTEXT_CHARS)),
                    next.and_then(|t| speech_chunks::context_after(t, CONTEXT_CHARS)),
                )
                .await
                .map_err(|e| crate::speech::with_pieces_paid(e, characters, &self.config.model))?;
            pcm.extend_from_slice(&take.pcm);
            characters += take.characters;
            request_id = take.request_id.or(request_id);
        }
        let (wav, info) = crate::wav::from_pcm16(&pcm, SAMPLE_RATE, 1).map_err(|e| {
            ProviderError::transient("bad_response", format!("ElevenLabs audio: {e}"))
                .with_billed_usage(spoken(characters), self.config.model.clone())
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

/// What a 2xx answer for `text` billed: its `character-cost` header, or, when a proxy dropped it, what
/// ElevenLabs bills for that text on `model` (Flash and Turbo half a credit per character).
fn billed_for(headers: &HeaderMap, model: &str, text: &str) -> u64 {
    headers
        .get("character-cost")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| billed_characters(model, text.chars().count() as u64))
}

/// Usage of `characters` spoken.
fn spoken(characters: u64) -> Usage {
    Usage {
        characters,
        ..Usage::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_bill_is_the_character_cost_header_or_what_the_model_charges_for_the_text() {
        let text = "Keepers trimmed the wicks at dusk.";
        let mut headers = HeaderMap::new();
        assert_eq!(billed_for(&headers, "eleven_multilingual_v2", text), 34);
        // Flash bills half a credit per character; counting the whole text would over-bill it.
        assert_eq!(billed_for(&headers, "eleven_flash_v2_5", text), 17);
        headers.insert("character-cost", HeaderValue::from_static("20"));
        assert_eq!(billed_for(&headers, "eleven_flash_v2_5", text), 20);
    }
}
