//! Fake ElevenLabs: `POST /v1/text-to-speech/{voice_id}/with-timestamps?output_format=pcm_<rate>` and
//! `GET /v1/voices`, key in `xi-api-key`, errors as `{"detail":{"status","message"}}` (quota is a 401, like a
//! bad key). The audio is real PCM: a quiet tone lasting about one second per [`CHARS_PER_SECOND`]
//! characters, with an alignment spreading the characters over it. Answers carry `request-id`,
//! `character-cost` (halved for Flash/Turbo, as ElevenLabs bills them) and the concurrency headers.
//!
//! Concurrency is enforced for real: requests in flight are counted, and one beyond the limit gets
//! ElevenLabs' 429 `too_many_concurrent_requests`. Scripted latency is spent while a request counts as in
//! flight, so tests can make requests overlap.

use std::collections::HashMap;
use std::f64::consts::TAU;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::{FakeConfig, FakeServer, Fault, Script};

/// How many requests may be in flight at once unless a test says otherwise (ElevenLabs' free plan).
pub const DEFAULT_MAX_CONCURRENT: usize = 2;
/// The fake voices' speaking pace.
pub const CHARS_PER_SECOND: f64 = 15.0;

/// The voices the fake knows: `(voice_id, name, category, accent, gender)`.
pub const VOICES: [(&str, &str, &str, &str, &str); 4] = [
    ("21m00Tcm4TlvDq8ikWAM", "Rachel", "premade", "american", "female"),
    ("ErXwobaYiN019PkySvjV", "Antoni", "premade", "american", "male"),
    ("EXAVITQu4vr4xnSDxMaL", "Bella", "premade", "american", "female"),
    ("Zq7hostClonedVoice01", "Nadia", "cloned", "british", "female"),
];

/// Characters one request may carry, per model, as ElevenLabs documents them.
fn model_limit(model: &str) -> usize {
    match model {
        "eleven_flash_v2_5" | "eleven_turbo_v2_5" => 40_000,
        "eleven_flash_v2" | "eleven_turbo_v2" => 30_000,
        "eleven_v3" => 5_000,
        _ => 10_000,
    }
}

#[derive(Clone)]
struct Fake {
    config: FakeConfig,
    script: Arc<Script>,
    in_flight: Arc<AtomicUsize>,
    max_concurrent: usize,
    served: Arc<AtomicU64>,
}

/// Counts a request as in flight until dropped.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Starts the fake with the default concurrency limit.
pub async fn start(config: FakeConfig) -> FakeServer {
    start_with_concurrency(config, DEFAULT_MAX_CONCURRENT).await
}

/// Starts the fake allowing `max_concurrent` requests in flight at once.
pub async fn start_with_concurrency(config: FakeConfig, max_concurrent: usize) -> FakeServer {
    let script = Arc::new(Script::default());
    let fake = Fake {
        config,
        script: script.clone(),
        in_flight: Arc::default(),
        max_concurrent: max_concurrent.max(1),
        served: Arc::default(),
    };
    let router = Router::new()
        .route("/v1/voices", get(voices))
        .route("/v1/text-to-speech/{voice_id}/with-timestamps", post(speak))
        .route("/previews/{voice_id}", get(preview))
        .with_state(fake);
    FakeServer::start(router, script).await
}

/// 16-bit mono PCM of a quiet 220 Hz tone lasting as long as `chars` characters take to say.
pub fn speech_pcm(chars: usize, sample_rate: u32) -> Vec<u8> {
    let seconds = (chars as f64 / CHARS_PER_SECOND).max(0.1);
    let samples = (seconds * f64::from(sample_rate)).round() as usize;
    // A plain loop: the fakes are built unoptimised, and an iterator chain per byte made tone generation a
    // sixth of a keyed test episode's time.
    let step = TAU * 220.0 / f64::from(sample_rate);
    let mut pcm = Vec::with_capacity(samples * 2);
    for i in 0..samples {
        let sample = ((step * i as f64).sin() * 3_000.0) as i16;
        pcm.extend_from_slice(&sample.to_le_bytes());
    }
    pcm
}

/// A complete 16-bit mono WAV file around `pcm`.
pub fn wav_file(pcm: &[u8], sample_rate: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(44 + pcm.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + pcm.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(pcm.len() as u32).to_le_bytes());
    out.extend_from_slice(pcm);
    out
}

/// `response` with a `Retry-After` header of `secs`, when there is one.
fn with_retry_after(mut response: Response, secs: Option<u64>) -> Response {
    if let Some(secs) = secs {
        response
            .headers_mut()
            .insert("retry-after", secs.to_string().parse().expect("a header value"));
    }
    response
}

fn detail(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [("content-type", "application/json")],
        json!({ "detail": { "status": code, "message": message } }).to_string(),
    )
        .into_response()
}

fn bad_key() -> Response {
    detail(StatusCode::UNAUTHORIZED, "invalid_api_key", "Invalid API key")
}

impl Fake {
    fn authorized(&self, headers: &HeaderMap) -> bool {
        headers.get("xi-api-key").and_then(|v| v.to_str().ok()) == Some(self.config.api_key.as_str())
    }

    fn request_id(&self) -> String {
        format!("fake-el-{:06}", self.served.fetch_add(1, Ordering::SeqCst) + 1)
    }

    /// The scripted fault's answer, or `None` to answer normally (after any scripted hang).
    async fn fault(&self, text_chars: usize, whole: &Value) -> Option<Response> {
        let fault = self.script.next_fault()?;
        Some(match fault {
            Fault::BadKey => bad_key(),
            Fault::QuotaExceeded => detail(
                StatusCode::UNAUTHORIZED,
                "quota_exceeded",
                &format!(
                    "This request exceeds your quota of 10000. You have 0 credits remaining, while {text_chars} \
                     credits are required for this request."
                ),
            ),
            Fault::RateLimited { retry_after_secs } => with_retry_after(
                detail(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limit_exceeded",
                    "You are sending requests too quickly.",
                ),
                retry_after_secs,
            ),
            Fault::TooManyConcurrent => self.too_many(self.max_concurrent + 1),
            Fault::Overloaded => with_retry_after(
                detail(
                    StatusCode::TOO_MANY_REQUESTS,
                    "system_busy",
                    "We are experiencing a high volume of requests. Please try again later.",
                ),
                self.script.overloaded_retry_after(),
            ),
            Fault::ServerError => detail(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_server_error",
                "An internal error occurred.",
            ),
            Fault::Hang(duration) => {
                tokio::time::sleep(duration).await;
                return None;
            }
            // Speech has no refusal or safety reply of its own.
            Fault::Refusal | Fault::Safety => return None,
            Fault::TruncatedJson => {
                let text = whole.to_string();
                let cut: String = text.chars().take(text.chars().count() / 2).collect();
                (StatusCode::OK, [("content-type", "application/json")], cut).into_response()
            }
            Fault::SchemaInvalid => (
                StatusCode::OK,
                [("content-type", "application/json")],
                json!({ "audio_base64": "%%% this is not audio %%%", "alignment": null }).to_string(),
            )
                .into_response(),
        })
    }

    fn too_many(&self, running: usize) -> Response {
        let mut response = detail(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_concurrent_requests",
            &format!(
                "Your current subscription is associated with a maximum of {} concurrent requests \
                 ({running} running). Please reduce concurrency or upgrade.",
                self.max_concurrent
            ),
        );
        let headers = response.headers_mut();
        headers.insert("current-concurrent-requests", running.into());
        headers.insert("maximum-concurrent-requests", self.max_concurrent.into());
        response
    }
}

async fn voices(State(fake): State<Fake>, headers: HeaderMap) -> Response {
    if !fake.authorized(&headers) {
        return bad_key();
    }
    tokio::time::sleep(fake.script.latency()).await;
    let host = headers.get("host").and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1");
    let list: Vec<Value> = VOICES
        .iter()
        .map(|(id, name, category, accent, gender)| {
            json!({
                "voice_id": id,
                "name": name,
                "category": category,
                "labels": { "accent": accent, "gender": gender, "use_case": "narration" },
                "description": null,
                "preview_url": format!("http://{host}/previews/{id}"),
                "available_for_tiers": [],
                "settings": null,
                "samples": null,
                "high_quality_base_model_ids": ["eleven_multilingual_v2", "eleven_flash_v2_5"],
                "is_legacy": false
            })
        })
        .collect();
    let body = json!({ "voices": list });
    if let Some(response) = fake.fault(0, &body).await {
        return response;
    }
    let mut response = (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response();
    response
        .headers_mut()
        .insert("request-id", fake.request_id().parse().expect("a header value"));
    response
}

async fn preview(Path(voice_id): Path<String>) -> Response {
    if !VOICES.iter().any(|v| v.0 == voice_id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let wav = wav_file(&speech_pcm(30, 24_000), 24_000);
    (StatusCode::OK, [("content-type", "audio/wav")], wav).into_response()
}

async fn speak(
    State(fake): State<Fake>,
    Path(voice_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !fake.authorized(&headers) {
        return bad_key();
    }
    let running = fake.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _counted = InFlight(fake.in_flight.clone());
    if running > fake.max_concurrent {
        return fake.too_many(running);
    }
    tokio::time::sleep(fake.script.latency()).await;

    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(text) = request
        .get("text")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
    else {
        let body =
            json!({ "detail": [{ "loc": ["body", "text"], "msg": "field required", "type": "value_error.missing" }] });
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response();
    };
    let chars = text.chars().count();
    let model = request
        .get("model_id")
        .and_then(Value::as_str)
        .unwrap_or("eleven_multilingual_v2");
    let rate = match query
        .get("output_format")
        .and_then(|f| f.strip_prefix("pcm_"))
        .map(str::parse::<u32>)
    {
        Some(Ok(rate)) if [8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000].contains(&rate) => rate,
        _ => {
            return detail(
                StatusCode::BAD_REQUEST,
                "invalid_output_format",
                "This fake serves output_format=pcm_<rate> only.",
            )
        }
    };
    // Flash and Turbo bill half a credit per character.
    let cost = if model.contains("flash") || model.contains("turbo") {
        chars.div_ceil(2)
    } else {
        chars
    };
    let answer = with_timestamps(text, rate);
    if let Some(mut response) = fake.fault(chars, &answer).await {
        // A 2xx reply was generated, so billed, however broken its body: the headers say by how much.
        if response.status().is_success() {
            fake.bill(&mut response, cost, running);
        }
        return response;
    }
    if !VOICES.iter().any(|v| v.0 == voice_id) {
        return detail(
            StatusCode::BAD_REQUEST,
            "voice_not_found",
            &format!("A voice with the voice_id {voice_id} was not found."),
        );
    }
    let limit = model_limit(model);
    if chars > limit {
        return detail(
            StatusCode::BAD_REQUEST,
            "max_character_limit_exceeded",
            &format!("Text is too long: {chars} characters, the maximum for {model} is {limit}."),
        );
    }
    let mut response = (
        StatusCode::OK,
        [("content-type", "application/json")],
        Body::from(answer.to_string()),
    )
        .into_response();
    fake.bill(&mut response, cost, running);
    response
}

impl Fake {
    /// Counts a 2xx reply on the meter and sends what ElevenLabs sends with it: `request-id`,
    /// `character-cost` and the concurrency headers.
    fn bill(&self, response: &mut Response, cost: usize, running: usize) {
        self.script.bill(crate::Bill {
            characters: cost as u64,
            ..crate::Bill::default()
        });
        let h = response.headers_mut();
        h.insert("request-id", self.request_id().parse().expect("a header value"));
        h.insert(
            "history-item-id",
            "fakehistory0000000001".parse().expect("a header value"),
        );
        h.insert("character-cost", cost.into());
        h.insert("current-concurrent-requests", running.into());
        h.insert("maximum-concurrent-requests", self.max_concurrent.into());
    }
}

/// The with-timestamps answer: base64 PCM and each character's start and end time.
fn with_timestamps(text: &str, sample_rate: u32) -> Value {
    let pcm = speech_pcm(text.chars().count(), sample_rate);
    let seconds = pcm.len() as f64 / 2.0 / f64::from(sample_rate);
    let characters: Vec<String> = text.chars().map(String::from).collect();
    let step = seconds / characters.len().max(1) as f64;
    let starts: Vec<f64> = (0..characters.len()).map(|i| round3(i as f64 * step)).collect();
    let ends: Vec<f64> = (0..characters.len()).map(|i| round3((i + 1) as f64 * step)).collect();
    let alignment = json!({
        "characters": characters,
        "character_start_times_seconds": starts,
        "character_end_times_seconds": ends,
    });
    json!({
        "audio_base64": base64::engine::general_purpose::STANDARD.encode(&pcm),
        "alignment": alignment,
        "normalized_alignment": alignment,
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_lasts_about_one_second_per_fifteen_characters() {
        assert_eq!(speech_pcm(30, 24_000).len(), 2 * 48_000);
        assert_eq!(speech_pcm(0, 24_000).len(), 2 * 2_400, "never empty");
        let wav = wav_file(&speech_pcm(15, 8_000), 8_000);
        assert_eq!(wav.len(), 44 + 16_000);
    }

    #[test]
    fn the_alignment_covers_the_audio() {
        let answer = with_timestamps("Hi there", 24_000);
        let ends = answer["alignment"]["character_end_times_seconds"].as_array().unwrap();
        assert_eq!(ends.len(), 8);
        let audio = base64::engine::general_purpose::STANDARD
            .decode(answer["audio_base64"].as_str().unwrap())
            .unwrap();
        let seconds = audio.len() as f64 / 48_000.0;
        assert!((ends[7].as_f64().unwrap() - seconds).abs() < 0.002);
    }
}
