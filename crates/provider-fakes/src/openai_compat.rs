//! Fake OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`) in three flavours that
//! differ the way the real servers do:
//! - [`Flavour::OpenAi`]: Bearer key required, string error codes, `prompt_tokens_details.cached_tokens`
//!   (a system prompt seen before is reported as cached) and reasoning tokens for `o*` models, which also
//!   reject `max_tokens`. [`Fault::Refusal`] answers `message.refusal` with `content: null`,
//!   [`Fault::Safety`] `finish_reason: "content_filter"`; both are billed.
//! - [`Flavour::Ollama`]: no auth, usage without details, `finish_reason: null`, `<think>` blocks from
//!   reasoning models, `code: null` errors.
//! - [`Flavour::Vllm`]: optional key (`{"error":"Unauthorized"}`), flat `{"object":"error",…,"code":<int>}`.
//! - [`Flavour::OpenRouter`]: OpenAI's auth and errors under `/api/v1`, vendor-prefixed model ids
//!   (`anthropic/claude-sonnet-4.5`), and `usage.cost` (USD) on every answer.
//!
//! Perplexity's fake reuses the request reading and pacing here.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::{estimate_tokens, FakeConfig, FakeServer, FakeTask, Fault, Script};

/// Which server the fake imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    OpenAi,
    Ollama,
    Vllm,
    OpenRouter,
}

/// The models each flavour serves; any other gets that server's "model not found".
pub const OPENAI_MODELS: [&str; 4] = ["gpt-4.1", "gpt-4.1-mini", "gpt-4o-mini", "o4-mini"];
pub const OLLAMA_MODELS: [&str; 3] = ["llama3.1:8b", "qwen2.5:7b", "deepseek-r1:8b"];
pub const VLLM_MODELS: [&str; 1] = ["Qwen/Qwen2.5-7B-Instruct"];
pub const OPENROUTER_MODELS: [&str; 3] = [
    "anthropic/claude-sonnet-4.5",
    "openai/gpt-4.1",
    "google/gemini-2.5-flash",
];
/// What the OpenRouter fake reports as `usage.cost` per million tokens in and out (USD).
pub const OPENROUTER_PRICE_PER_MTOK: (f64, f64) = (3.0, 15.0);
/// What the model says when it declines ([`Fault::Refusal`], OpenAI flavour).
const REFUSAL: &str = "I'm sorry, I can't help with that request.";

struct Fake {
    config: FakeConfig,
    flavour: Flavour,
    script: Arc<Script>,
    seen_system: Mutex<HashSet<String>>,
    served: AtomicU64,
}

/// The OpenAI flavour.
pub async fn start(config: FakeConfig) -> FakeServer {
    start_flavour(config, Flavour::OpenAi).await
}

pub async fn start_flavour(config: FakeConfig, flavour: Flavour) -> FakeServer {
    let script = Arc::new(Script::default());
    let fake = Arc::new(Fake {
        config,
        flavour,
        script: script.clone(),
        seen_system: Mutex::default(),
        served: AtomicU64::new(0),
    });
    // OpenRouter's API lives under /api/v1; the others under /v1.
    let prefix = if flavour == Flavour::OpenRouter {
        "/api/v1"
    } else {
        "/v1"
    };
    let mut router = Router::new()
        .route(&format!("{prefix}/chat/completions"), post(chat))
        .route(&format!("{prefix}/models"), get(models));
    if flavour == Flavour::Ollama {
        // Ollama's own API beside the OpenAI one: what model discovery reads.
        router = router
            .route("/api/tags", get(ollama_tags))
            .route("/api/show", post(ollama_show));
    }
    let router = router.with_state(fake);
    FakeServer::start(router, script).await
}

impl Fake {
    fn models(&self) -> &'static [&'static str] {
        match self.flavour {
            Flavour::OpenAi => &OPENAI_MODELS,
            Flavour::Ollama => &OLLAMA_MODELS,
            Flavour::Vllm => &VLLM_MODELS,
            Flavour::OpenRouter => &OPENROUTER_MODELS,
        }
    }

    fn error(&self, status: u16, message: &str, kind: &str, code: Option<&str>) -> Response {
        let body = match self.flavour {
            Flavour::OpenAi | Flavour::OpenRouter => {
                json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
            }
            Flavour::Ollama => json!({"error": {"message": message, "type": kind, "param": null, "code": null}}),
            Flavour::Vllm => {
                json!({"object": "error", "message": message, "type": kind, "param": null, "code": status})
            }
        };
        respond(status, body.to_string(), &self.headers())
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let n = self.served.load(Ordering::Relaxed);
        match self.flavour {
            Flavour::OpenAi => vec![
                ("x-request-id", format!("req_fake{n:024x}")),
                ("openai-processing-ms", "412".to_owned()),
                ("x-ratelimit-limit-requests", "500".to_owned()),
                ("x-ratelimit-remaining-requests", "499".to_owned()),
            ],
            Flavour::OpenRouter => vec![("x-generation-id", format!("gen-fake{n:016x}"))],
            Flavour::Ollama | Flavour::Vllm => Vec::new(),
        }
    }

    /// The key check and the scripted faults both routes share: `Some` when the request gets an error.
    fn refuse(&self, fault: Option<&Fault>, headers: &HeaderMap) -> Option<Response> {
        let key = bearer(headers);
        let expected = self.config.api_key.as_str();
        let openai_auth = matches!(self.flavour, Flavour::OpenAi | Flavour::OpenRouter);
        match self.flavour {
            _ if openai_auth && key.is_none() && fault != Some(&Fault::BadKey) => {
                let message = "You didn't provide an API key. You need to provide your API key in an Authorization \
                               header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API \
                               key from https://platform.openai.com/account/api-keys.";
                return Some(self.error(401, message, "invalid_request_error", None));
            }
            _ if openai_auth && (fault == Some(&Fault::BadKey) || key != Some(expected)) => {
                let message = format!(
                    "Incorrect API key provided: {}. You can find your API key at \
                     https://platform.openai.com/account/api-keys.",
                    masked(key.unwrap_or_default())
                );
                return Some(self.error(401, &message, "invalid_request_error", Some("invalid_api_key")));
            }
            Flavour::Vllm if fault == Some(&Fault::BadKey) || (!expected.is_empty() && key != Some(expected)) => {
                return Some(respond(401, json!({"error": "Unauthorized"}).to_string(), &[]));
            }
            Flavour::Ollama if fault == Some(&Fault::BadKey) => {
                return Some(self.error(401, "unauthorized", "api_error", None));
            }
            _ => {}
        }
        let retry = |secs: Option<u64>| -> Vec<(&'static str, String)> {
            let mut h = self.headers();
            if let Some(secs) = secs {
                h.push(("retry-after", secs.to_string()));
                h.push(("retry-after-ms", (secs * 1000).to_string()));
            }
            h
        };
        let body = |message: &str, kind: &str, code: Option<&str>| match self.flavour {
            Flavour::OpenAi | Flavour::OpenRouter => {
                json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
            }
            Flavour::Ollama => json!({"error": {"message": message, "type": kind, "param": null, "code": null}}),
            Flavour::Vllm => json!({"object": "error", "message": message, "type": kind, "param": null, "code": 429}),
        };
        match fault? {
            Fault::RateLimited { retry_after_secs } => {
                let message = "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1.";
                let b = body(message, "requests", Some("rate_limit_exceeded"));
                Some(respond(429, b.to_string(), &retry(*retry_after_secs)))
            }
            Fault::TooManyConcurrent => {
                let b = body("Too many concurrent requests", "requests", Some("rate_limit_exceeded"));
                Some(respond(429, b.to_string(), &retry(None)))
            }
            Fault::QuotaExceeded => {
                let message = "You exceeded your current quota, please check your plan and billing details.";
                let b = body(message, "insufficient_quota", Some("insufficient_quota"));
                Some(respond(429, b.to_string(), &retry(None)))
            }
            Fault::Overloaded => Some(self.error(
                503,
                "The engine is currently overloaded, please try again later.",
                "server_error",
                None,
            )),
            Fault::ServerError => Some(self.error(
                500,
                "The server had an error while processing your request. Sorry about that!",
                "server_error",
                None,
            )),
            _ => None,
        }
    }
}

async fn models(State(fake): State<Arc<Fake>>, headers: HeaderMap) -> Response {
    let fault = pace(&fake.script).await;
    if let Some(refusal) = fake.refuse(fault.as_ref(), &headers) {
        return refusal;
    }
    let owner = match fake.flavour {
        Flavour::OpenAi => "openai",
        Flavour::OpenRouter => "openrouter",
        Flavour::Ollama => "library",
        Flavour::Vllm => "vllm",
    };
    let data: Vec<Value> = fake
        .models()
        .iter()
        .map(|id| json!({"id": id, "object": "model", "created": 1_730_000_000, "owned_by": owner}))
        .collect();
    respond(
        200,
        json!({"object": "list", "data": data}).to_string(),
        &fake.headers(),
    )
}

async fn chat(State(fake): State<Arc<Fake>>, headers: HeaderMap, body: Bytes) -> Response {
    let fault = pace(&fake.script).await;
    let n = fake.served.fetch_add(1, Ordering::Relaxed) + 1;
    if let Some(refusal) = fake.refuse(fault.as_ref(), &headers) {
        return refusal;
    }
    let Some(chat) = Chat::read(&body) else {
        return fake.error(
            400,
            "We could not parse the JSON body of your request.",
            "invalid_request_error",
            None,
        );
    };
    if !fake.models().contains(&chat.model.as_str()) {
        let model = &chat.model;
        return match fake.flavour {
            Flavour::OpenAi | Flavour::OpenRouter => fake.error(
                404,
                &format!("The model `{model}` does not exist or you do not have access to it."),
                "invalid_request_error",
                Some("model_not_found"),
            ),
            Flavour::Ollama => fake.error(
                404,
                &format!("model \"{model}\" not found, try pulling it first"),
                "not_found_error",
                None,
            ),
            Flavour::Vllm => fake.error(
                404,
                &format!("The model `{model}` does not exist."),
                "NotFoundError",
                None,
            ),
        };
    }
    let reasoning_model = fake.flavour == Flavour::OpenAi && chat.model.starts_with('o');
    if reasoning_model && chat.used_max_tokens {
        let message = "Unsupported parameter: 'max_tokens' is not supported with this model. Use \
                       'max_completion_tokens' instead.";
        return fake.error(400, message, "invalid_request_error", Some("unsupported_parameter"));
    }
    let task = FakeTask::from_prompt(&chat.prompt, chat.schema.clone());
    let answer = match fault {
        Some(Fault::SchemaInvalid) => json!({"unexpected": true}),
        _ => (fake.config.responder)(&task),
    };
    let mut content = answer.to_string();
    if fake.flavour == Flavour::Ollama && chat.model.starts_with("deepseek-r1") {
        content = format!(
            "<think>\nThe task is {}. I will answer with JSON.\n</think>\n\n{content}",
            task.task
        );
    }
    let answer_tokens = estimate_tokens(&content);
    let reasoning = if reasoning_model { answer_tokens.div_ceil(4) } else { 0 };
    let (content, completion, truncated) = chat.limit(content, answer_tokens + reasoning);
    let cached = if fake.flavour != Flavour::OpenAi
        || chat.system.is_empty()
        || fake.seen_system.lock().expect("cache").insert(chat.system.clone())
    {
        0
    } else {
        estimate_tokens(&chat.system)
    };
    let openai = fake.flavour == Flavour::OpenAi;
    let (message, finish, completion) = match fault {
        // Structured outputs: the model's refusal replaces the content; its words are billed as output.
        Some(Fault::Refusal) if openai => (
            json!({"role": "assistant", "content": null, "refusal": REFUSAL}),
            json!("stop"),
            estimate_tokens(REFUSAL),
        ),
        // The filter withholds what was generated, which is billed all the same.
        Some(Fault::Safety) if openai => (
            json!({"role": "assistant", "content": null, "refusal": null}),
            json!("content_filter"),
            completion,
        ),
        _ => {
            let finish = match (truncated, fake.flavour) {
                (true, _) => json!("length"),
                (false, Flavour::Ollama) => Value::Null,
                (false, _) => json!("stop"),
            };
            (json!({"role": "assistant", "content": content}), finish, completion)
        }
    };
    let prompt_tokens = chat.input_tokens();
    let usage = match fake.flavour {
        Flavour::OpenAi => json!({
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": prompt_tokens + completion,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": reasoning.min(completion), "audio_tokens": 0,
                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
        }),
        Flavour::Ollama => json!({"prompt_tokens": prompt_tokens, "completion_tokens": completion,
            "total_tokens": prompt_tokens + completion}),
        Flavour::Vllm => json!({"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens + completion,
            "completion_tokens": completion, "prompt_tokens_details": null}),
        Flavour::OpenRouter => {
            let (input, output) = OPENROUTER_PRICE_PER_MTOK;
            let cost = (prompt_tokens as f64 * input + completion as f64 * output) / 1_000_000.0;
            json!({"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                "total_tokens": prompt_tokens + completion, "cost": cost})
        }
    };
    let reply = json!({
        "id": format!("chatcmpl-Fake{n:010}"),
        "object": "chat.completion",
        "created": 1_730_000_000 + n,
        "model": chat.model,
        "system_fingerprint": if fake.flavour == Flavour::Ollama { "fp_ollama" } else { "fp_fake0001" },
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish,
        }],
        "usage": usage,
    });
    // Every 2xx reply is billed, cut off, refused or not: cached prompt tokens at the cache rate.
    fake.script.bill(crate::Bill {
        input_tokens: prompt_tokens - cached,
        cache_read_tokens: cached,
        output_tokens: completion,
        ..crate::Bill::default()
    });
    let mut text = reply.to_string();
    if fault == Some(Fault::TruncatedJson) {
        text.truncate(text.len() / 2);
    }
    respond(200, text, &fake.headers())
}

/// The context each Ollama model reports: `(model, architecture length, the Modelfile's num_ctx)`.
/// deepseek-r1 runs with a small `num_ctx`, so discovery has a model to warn about.
pub const OLLAMA_CONTEXT: [(&str, u64, Option<u64>); 3] = [
    ("llama3.1:8b", 131_072, None),
    ("qwen2.5:7b", 32_768, None),
    ("deepseek-r1:8b", 131_072, Some(4_096)),
];

async fn ollama_tags(State(fake): State<Arc<Fake>>) -> Response {
    let models: Vec<Value> = fake
        .models()
        .iter()
        .map(|name| json!({"name": name, "model": name, "size": 4_920_753_328_u64, "details": {"format": "gguf"}}))
        .collect();
    respond(200, json!({ "models": models }).to_string(), &[])
}

async fn ollama_show(State(fake): State<Arc<Fake>>, body: Bytes) -> Response {
    let asked: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let name = asked["model"].as_str().or_else(|| asked["name"].as_str()).unwrap_or("");
    match OLLAMA_CONTEXT.iter().find(|(model, ..)| *model == name) {
        Some((_, length, num_ctx)) => {
            let parameters = num_ctx
                .map(|n| format!("stop \"<|eot_id|>\"\nnum_ctx {n}"))
                .unwrap_or_default();
            let reply = json!({
                "modelfile": format!("FROM {name}"),
                "parameters": parameters,
                "model_info": {"general.architecture": "llama", "llama.context_length": length},
            });
            respond(200, reply.to_string(), &[])
        }
        None => fake.error(404, &format!("model '{name}' not found"), "not_found_error", None),
    }
}

/// A chat completion request as the fakes need it.
pub(crate) struct Chat {
    pub model: String,
    /// System (and developer) messages.
    pub system: String,
    /// Every other message.
    pub conversation: String,
    /// The last user message: the task prompt.
    pub prompt: String,
    pub schema: Option<Value>,
    pub max_tokens: Option<u64>,
    /// Whether the limit came as `max_tokens` rather than `max_completion_tokens`.
    pub used_max_tokens: bool,
}

impl Chat {
    pub fn read(body: &[u8]) -> Option<Chat> {
        let request: Value = serde_json::from_slice(body).ok()?;
        let messages = request["messages"].as_array()?;
        let text = |m: &Value| match &m["content"] {
            Value::String(s) => s.clone(),
            Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect(),
            _ => String::new(),
        };
        let is_system = |m: &&Value| m["role"] == "system" || m["role"] == "developer";
        let format = &request["response_format"];
        Some(Chat {
            model: request["model"].as_str().unwrap_or_default().to_owned(),
            system: messages.iter().filter(is_system).map(text).collect(),
            conversation: messages.iter().filter(|m| !is_system(m)).map(text).collect(),
            prompt: messages
                .iter()
                .rev()
                .find(|m| m["role"] == "user")
                .map(text)
                .unwrap_or_default(),
            schema: (format["type"] == "json_schema")
                .then(|| format["json_schema"].get("schema").cloned())
                .flatten(),
            max_tokens: request["max_completion_tokens"]
                .as_u64()
                .or(request["max_tokens"].as_u64()),
            used_max_tokens: request.get("max_tokens").is_some(),
        })
    }

    /// Tokens of everything the model was sent.
    pub fn input_tokens(&self) -> u64 {
        estimate_tokens(&self.system) + estimate_tokens(&self.conversation)
    }

    /// Cuts the content to the request's output limit: (content, completion tokens, truncated).
    pub fn limit(&self, content: String, tokens: u64) -> (String, u64, bool) {
        match self.max_tokens {
            Some(max) if tokens > max => (content.chars().take(max as usize * 4).collect(), max, true),
            _ => (content, tokens, false),
        }
    }
}

/// The Bearer token, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// `sk-abc***********wxyz`, as OpenAI echoes a wrong key.
fn masked(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Latency, then the next scripted fault (sleeping through a `Hang`).
pub(crate) async fn pace(script: &Script) -> Option<Fault> {
    let latency = script.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = script.next_fault();
    if let Some(Fault::Hang(time)) = &fault {
        tokio::time::sleep(*time).await;
    }
    fault
}

/// A JSON reply with extra headers.
pub(crate) fn respond(status: u16, body: String, headers: &[(&'static str, String)]) -> Response {
    let mut map = HeaderMap::new();
    map.insert("content-type", "application/json".parse().expect("a header value"));
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            map.insert(HeaderName::from_static(name), value);
        }
    }
    (StatusCode::from_u16(status).expect("a valid status"), map, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_keys_are_echoed_masked() {
        assert_eq!(masked("sk-abcdefghijwxyz"), "sk-**********wxyz");
        assert_eq!(masked("short"), "*****");
    }
}
