//! Fake OpenAI text to speech: `POST /v1/audio/speech` (Bearer key) answering a real 24 kHz 16-bit mono WAV
//! (`response_format: "wav"`) or raw PCM (`"pcm"`), and `GET /v1/models`. Errors use OpenAI's
//! `{"error":{"message","type","param","code"}}`; a 429 is either `rate_limit_exceeded` or
//! `insufficient_quota`. The speaking pace matches the ElevenLabs fake.
//!
//! Stricter than the real service where a client bug would otherwise go unnoticed: `instructions` sent to
//! tts-1 / tts-1-hd is refused, and formats other than wav and pcm are refused (the fake cannot encode them).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::elevenlabs::{speech_pcm, wav_file};
use crate::{FakeConfig, FakeServer, Fault, Script};

/// The voices the fake accepts by name.
pub const VOICES: [&str; 10] = [
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer",
];
pub const MODELS: [&str; 3] = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"];
/// Characters one request may carry.
pub const MAX_INPUT_CHARS: usize = 4_096;
const SAMPLE_RATE: u32 = 24_000;

#[derive(Clone)]
struct Fake {
    config: FakeConfig,
    script: Arc<Script>,
    served: Arc<AtomicU64>,
}

pub async fn start(config: FakeConfig) -> FakeServer {
    let script = Arc::new(Script::default());
    let fake = Fake {
        config,
        script: script.clone(),
        served: Arc::default(),
    };
    let router = Router::new()
        .route("/v1/audio/speech", post(speech))
        .route("/v1/models", get(models))
        .with_state(fake);
    FakeServer::start(router, script).await
}

fn error(status: StatusCode, message: &str, kind: &str, param: Option<&str>, code: Option<&str>) -> Response {
    let body = json!({ "error": { "message": message, "type": kind, "param": param, "code": code } });
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

/// Shows a key the way OpenAI's error does: its first and last few characters.
fn masked(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 8 {
        return "****".to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

fn invalid(status: StatusCode, message: &str, param: &str, code: &str) -> Response {
    error(status, message, "invalid_request_error", Some(param), Some(code))
}

impl Fake {
    /// `None` when the key is right, else OpenAI's answer.
    fn check_key(&self, headers: &HeaderMap) -> Option<Response> {
        let sent = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match sent {
            Some(key) if key == self.config.api_key => None,
            Some(key) => Some(invalid(
                StatusCode::UNAUTHORIZED,
                &format!(
                    "Incorrect API key provided: {}. You can find your API key at https://platform.openai.com/account/api-keys.",
                    masked(key)
                ),
                "",
                "invalid_api_key",
            )),
            None => Some(error(
                StatusCode::UNAUTHORIZED,
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.",
                "invalid_request_error",
                None,
                None,
            )),
        }
    }

    /// Counts a 2xx reply on the meter: tts-1 and tts-1-hd bill the input's characters. gpt-4o-mini-tts bills
    /// text and audio tokens, which the fake does not model: its replies are counted without units.
    fn bill(&self, model: &str, input: &str) {
        let characters = if model.starts_with("tts-1") {
            input.chars().count() as u64
        } else {
            0
        };
        self.script.bill(crate::Bill {
            characters,
            ..crate::Bill::default()
        });
    }

    fn with_request_id(&self, mut response: Response) -> Response {
        let id = format!("req_fake{:08}", self.served.fetch_add(1, Ordering::SeqCst) + 1);
        response
            .headers_mut()
            .insert("x-request-id", id.parse().expect("a header value"));
        response
    }

    /// The scripted fault's answer, or `None` to answer normally (after any scripted hang). `whole` is the
    /// normal answer, for faults that send part of it.
    async fn fault(&self, whole: &[u8], content_type: &'static str) -> Option<Response> {
        let fault = self.script.next_fault()?;
        Some(match fault {
            Fault::BadKey => invalid(
                StatusCode::UNAUTHORIZED,
                "Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.",
                "",
                "invalid_api_key",
            ),
            Fault::QuotaExceeded => error(
                StatusCode::TOO_MANY_REQUESTS,
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota",
                None,
                Some("insufficient_quota"),
            ),
            Fault::RateLimited { retry_after_secs } => {
                let mut response = error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Rate limit reached for requests per minute. Please try again later.",
                    "requests",
                    None,
                    Some("rate_limit_exceeded"),
                );
                if let Some(secs) = retry_after_secs {
                    response
                        .headers_mut()
                        .insert("retry-after", secs.to_string().parse().expect("a header value"));
                }
                response
            }
            // OpenAI has no concurrency limit of its own: too many at once shows up as a rate limit.
            Fault::TooManyConcurrent => error(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit reached for requests per minute. Please try again later.",
                "requests",
                None,
                Some("rate_limit_exceeded"),
            ),
            Fault::Overloaded => error(
                StatusCode::SERVICE_UNAVAILABLE,
                "The engine is currently overloaded, please try again later.",
                "server_error",
                None,
                None,
            ),
            Fault::ServerError => error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The server had an error while processing your request. Sorry about that!",
                "server_error",
                None,
                None,
            ),
            Fault::Hang(duration) => {
                tokio::time::sleep(duration).await;
                return None;
            }
            // Speech has no refusal or safety reply of its own.
            Fault::Refusal | Fault::Safety => return None,
            Fault::TruncatedJson => {
                (StatusCode::OK, [("content-type", content_type)], whole[..whole.len() / 2].to_vec()).into_response()
            }
            Fault::SchemaInvalid => (
                StatusCode::OK,
                [("content-type", content_type)],
                json!({ "object": "not audio at all" }).to_string(),
            )
                .into_response(),
        })
    }
}

async fn models(State(fake): State<Fake>, headers: HeaderMap) -> Response {
    if let Some(refused) = fake.check_key(&headers) {
        return refused;
    }
    tokio::time::sleep(fake.script.latency()).await;
    let data: Vec<Value> = MODELS
        .iter()
        .map(|id| json!({ "id": id, "object": "model", "created": 1_699_046_015, "owned_by": "system" }))
        .collect();
    let body = json!({ "object": "list", "data": data }).to_string();
    if let Some(response) = fake.fault(body.as_bytes(), "application/json").await {
        return fake.with_request_id(response);
    }
    fake.with_request_id((StatusCode::OK, [("content-type", "application/json")], body).into_response())
}

/// Checks the request the way OpenAI does; `Err` is the answer to send (boxed: a response is large).
fn validate(request: &Value) -> Result<(&str, &str, &str), Box<Response>> {
    let model = request.get("model").and_then(Value::as_str).unwrap_or_default();
    if !(MODELS.contains(&model) || model.starts_with("gpt-4o-mini-tts")) {
        return Err(Box::new(error(
            StatusCode::NOT_FOUND,
            &format!("The model `{model}` does not exist or you do not have access to it."),
            "invalid_request_error",
            None,
            Some("model_not_found"),
        )));
    }
    let input = request.get("input").and_then(Value::as_str).unwrap_or_default();
    let chars = input.chars().count();
    if chars == 0 {
        return Err(Box::new(invalid(
            StatusCode::BAD_REQUEST,
            "Missing required parameter: 'input'.",
            "input",
            "missing_required_parameter",
        )));
    }
    if chars > MAX_INPUT_CHARS {
        return Err(Box::new(invalid(
            StatusCode::BAD_REQUEST,
            &format!(
                "Invalid 'input': string too long. Expected a string with maximum length {MAX_INPUT_CHARS}, but got a string with length {chars} instead."
            ),
            "input",
            "string_above_max_length",
        )));
    }
    let voice_ok = match request.get("voice") {
        Some(Value::String(v)) => VOICES.contains(&v.as_str()),
        Some(Value::Object(o)) => o
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.starts_with("voice_")),
        _ => false,
    };
    if !voice_ok {
        let shown = request.get("voice").map(|v| v.to_string()).unwrap_or_default();
        return Err(Box::new(invalid(
            StatusCode::BAD_REQUEST,
            &format!("Invalid value: {shown}. Supported values are: {}.", VOICES.join(", ")),
            "voice",
            "invalid_value",
        )));
    }
    if request.get("instructions").is_some_and(|i| !i.is_null()) && model.starts_with("tts-1") {
        return Err(Box::new(invalid(
            StatusCode::BAD_REQUEST,
            "instructions are not supported for tts-1 and tts-1-hd.",
            "instructions",
            "unsupported_parameter",
        )));
    }
    if let Some(speed) = request.get("speed").and_then(Value::as_f64) {
        if !(0.25..=4.0).contains(&speed) {
            return Err(Box::new(invalid(
                StatusCode::BAD_REQUEST,
                "speed must be between 0.25 and 4.0.",
                "speed",
                "invalid_value",
            )));
        }
    }
    let format = request.get("response_format").and_then(Value::as_str).unwrap_or("mp3");
    if !matches!(format, "wav" | "pcm") {
        return Err(Box::new(invalid(
            StatusCode::BAD_REQUEST,
            "This fake serves response_format wav and pcm only.",
            "response_format",
            "unsupported_value",
        )));
    }
    Ok((model, input, format))
}

async fn speech(State(fake): State<Fake>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = fake.check_key(&headers) {
        return refused;
    }
    tokio::time::sleep(fake.script.latency()).await;
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (model, input, format) = match validate(&request) {
        Ok(ok) => ok,
        Err(refused) => return fake.with_request_id(*refused),
    };
    let pcm = speech_pcm(input.chars().count(), SAMPLE_RATE);
    let (audio, content_type) = match format {
        "wav" => (wav_file(&pcm, SAMPLE_RATE), "audio/wav"),
        _ => (pcm, "audio/pcm"),
    };
    if let Some(response) = fake.fault(&audio, content_type).await {
        // A 2xx reply was generated, so billed, however broken its body.
        if response.status().is_success() {
            fake.bill(model, input);
        }
        return fake.with_request_id(response);
    }
    fake.bill(model, input);
    let mut response = (StatusCode::OK, [("content-type", content_type)], audio).into_response();
    response
        .headers_mut()
        .insert("openai-processing-ms", "42".parse().expect("a header value"));
    fake.with_request_id(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_masked_like_openai_does() {
        assert_eq!(masked("sk-abcdefghijkl"), "sk-********ijkl");
        assert_eq!(masked("short"), "****");
    }
}
