//! Fake Anthropic Messages API (`POST /v1/messages`): `x-api-key` and `anthropic-version` checked, `request-id`
//! and `anthropic-ratelimit-*` headers, errors as `{"type":"error","error":{type,message},"request_id"}`.
//! A forced tool call is answered with a `tool_use` block holding the responder's JSON; without tools the
//! JSON comes back as text. Prompt caching is modelled: the first request carrying a `cache_control` system
//! text writes it to the cache, later ones with the same text read it. [`Fault::Refusal`] stops with
//! `stop_reason: "refusal"` and a short text block, billed as output.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use crate::{estimate_tokens, FakeConfig, FakeServer, FakeTask, Fault, Script};

/// Requests per minute the fake claims in its rate-limit headers.
const REQUESTS_PER_MINUTE: u64 = 50;
/// What Claude says when it declines ([`Fault::Refusal`]).
const REFUSAL: &str = "I can't help with writing this segment.";

struct Fake {
    config: FakeConfig,
    script: Arc<Script>,
    cached: Mutex<HashSet<String>>,
    served: AtomicU64,
}

pub async fn start(config: FakeConfig) -> FakeServer {
    let script = Arc::new(Script::default());
    let fake = Arc::new(Fake {
        config,
        script: script.clone(),
        cached: Mutex::default(),
        served: AtomicU64::new(0),
    });
    let router = Router::new().route("/v1/messages", post(messages)).with_state(fake);
    FakeServer::start(router, script).await
}

async fn messages(State(fake): State<Arc<Fake>>, headers: HeaderMap, body: Bytes) -> Response {
    let fault = pace(&fake.script).await;
    let n = fake.served.fetch_add(1, Ordering::Relaxed) + 1;
    let id = format!("req_011CFake{n:014}");
    let key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    if fault == Some(Fault::BadKey) || key != Some(fake.config.api_key.as_str()) {
        return error(401, "authentication_error", "invalid x-api-key", &id, &[]);
    }
    if !headers.contains_key("anthropic-version") {
        return error(
            400,
            "invalid_request_error",
            "anthropic-version: header is required",
            &id,
            &[],
        );
    }
    match fault {
        Some(Fault::RateLimited { retry_after_secs }) => {
            let mut extra = vec![("anthropic-ratelimit-requests-remaining".to_owned(), "0".to_owned())];
            if let Some(secs) = retry_after_secs {
                extra.push(("retry-after".to_owned(), secs.to_string()));
            }
            let message = format!(
                "This request would exceed the rate limit for your organization of {REQUESTS_PER_MINUTE} requests per \
                 minute. For details, refer to: https://docs.claude.com/en/api/rate-limits."
            );
            return error(429, "rate_limit_error", &message, &id, &extra);
        }
        Some(Fault::TooManyConcurrent) => {
            return error(
                429,
                "rate_limit_error",
                "Number of concurrent connections has exceeded your rate limit.",
                &id,
                &[],
            )
        }
        Some(Fault::Overloaded) => return error(529, "overloaded_error", "Overloaded", &id, &[]),
        Some(Fault::ServerError) => return error(500, "api_error", "Internal server error", &id, &[]),
        Some(Fault::QuotaExceeded) => {
            let message =
                "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to \
                           upgrade or purchase credits.";
            return error(400, "invalid_request_error", message, &id, &[]);
        }
        _ => {}
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        let message = "There was an error parsing the body of your request. Please make sure it is valid JSON.";
        return error(400, "invalid_request_error", message, &id, &[]);
    };
    let model = request["model"].as_str().unwrap_or_default().to_owned();
    let Some(max_tokens) = request["max_tokens"].as_u64() else {
        return error(400, "invalid_request_error", "max_tokens: Field required", &id, &[]);
    };
    let Some(messages) = request["messages"].as_array().filter(|m| !m.is_empty()) else {
        return error(400, "invalid_request_error", "messages: Field required", &id, &[]);
    };
    if !model.starts_with("claude-") {
        return error(404, "not_found_error", &format!("model: {model}"), &id, &[]);
    }

    let system = System::read(&request["system"]);
    let conversation: String = messages.iter().map(|m| text_of(&m["content"])).collect();
    let prompt = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .map(|m| text_of(&m["content"]))
        .unwrap_or_default();
    let tool = forced_tool(&request);
    let task = FakeTask::from_prompt(&prompt, tool.as_ref().map(|t| t["input_schema"].clone()));
    let answer = match fault {
        Some(Fault::SchemaInvalid) => json!({"unexpected": true}),
        _ => (fake.config.responder)(&task),
    };

    let cache_tokens = estimate_tokens(&system.cached);
    let first_time = !system.cached.is_empty() && fake.cached.lock().expect("cache").insert(system.cached.clone());
    let (written, read) = match (system.cached.is_empty(), first_time) {
        (true, _) => (0, 0),
        (false, true) => (cache_tokens, 0),
        (false, false) => (0, cache_tokens),
    };
    let (write_5m, write_1h) = if system.one_hour { (0, written) } else { (written, 0) };

    let answer_text = answer.to_string();
    let wanted = estimate_tokens(&answer_text);
    let truncated = wanted > max_tokens;
    let (content, stop_reason, output_tokens) = if fault == Some(Fault::Refusal) {
        // The model stops with its own words instead of the tool call; they are billed as output.
        (
            json!([{"type": "text", "text": REFUSAL}]),
            "refusal",
            estimate_tokens(REFUSAL),
        )
    } else {
        let content = match (&tool, truncated) {
            (Some(tool), false) => json!([{"type": "tool_use", "id": format!("toolu_01Fake{n:012}"),
                "name": tool["name"], "input": answer}]),
            (Some(tool), true) => json!([{"type": "tool_use", "id": format!("toolu_01Fake{n:012}"),
                "name": tool["name"], "input": {}}]),
            (None, _) => {
                let text: String = answer_text.chars().take(max_tokens as usize * 4).collect();
                json!([{"type": "text", "text": text}])
            }
        };
        let stop_reason = match (truncated, tool.is_some()) {
            (true, _) => "max_tokens",
            (false, true) => "tool_use",
            (false, false) => "end_turn",
        };
        (content, stop_reason, wanted.min(max_tokens))
    };
    let reply = json!({
        "id": format!("msg_01Fake{n:014}"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": null,
        "usage": {
            "input_tokens": estimate_tokens(&system.uncached) + estimate_tokens(&conversation),
            "cache_creation_input_tokens": written,
            "cache_read_input_tokens": read,
            "cache_creation": {"ephemeral_5m_input_tokens": write_5m, "ephemeral_1h_input_tokens": write_1h},
            "output_tokens": output_tokens,
            "service_tier": "standard",
        },
    });
    // Every 2xx reply is billed, cut off or not.
    fake.script.bill(crate::Bill {
        input_tokens: estimate_tokens(&system.uncached) + estimate_tokens(&conversation),
        cache_write_5m_tokens: write_5m,
        cache_write_1h_tokens: write_1h,
        cache_read_tokens: read,
        output_tokens,
        ..crate::Bill::default()
    });
    let mut text = reply.to_string();
    if fault == Some(Fault::TruncatedJson) {
        text.truncate(text.len() / 2);
    }
    respond(StatusCode::OK, text, &id, &[])
}

/// The system prompt split into the part marked for caching (up to the last `cache_control`) and the rest.
struct System {
    cached: String,
    uncached: String,
    one_hour: bool,
}

impl System {
    fn read(system: &Value) -> System {
        let blocks = match system {
            Value::String(text) => vec![json!({"type": "text", "text": text})],
            Value::Array(blocks) => blocks.clone(),
            _ => Vec::new(),
        };
        let breakpoint = blocks.iter().rposition(|b| b.get("cache_control").is_some());
        let text = |bs: &[Value]| bs.iter().filter_map(|b| b["text"].as_str()).collect::<String>();
        match breakpoint {
            Some(last) => System {
                cached: text(&blocks[..=last]),
                uncached: text(&blocks[last + 1..]),
                one_hour: blocks[..=last].iter().any(|b| b["cache_control"]["ttl"] == "1h"),
            },
            None => System {
                cached: String::new(),
                uncached: text(&blocks),
                one_hour: false,
            },
        }
    }
}

/// The tool `tool_choice` forces, when it forces one.
fn forced_tool(request: &Value) -> Option<Value> {
    if request["tool_choice"]["type"] != "tool" {
        return None;
    }
    let name = request["tool_choice"]["name"].as_str()?;
    request["tools"].as_array()?.iter().find(|t| t["name"] == name).cloned()
}

/// A message's text: a string, or the text blocks of a block list.
fn text_of(content: &Value) -> String {
    match content {
        Value::String(text) => text.clone(),
        Value::Array(blocks) => blocks.iter().filter_map(|b| b["text"].as_str()).collect(),
        _ => String::new(),
    }
}

async fn pace(script: &Script) -> Option<Fault> {
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

fn error(status: u16, kind: &str, message: &str, id: &str, extra: &[(String, String)]) -> Response {
    let body = json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": id});
    let status = StatusCode::from_u16(status).expect("a valid status");
    respond(status, body.to_string(), id, extra)
}

fn respond(status: StatusCode, body: String, id: &str, extra: &[(String, String)]) -> Response {
    let reset = rfc3339(SystemTime::now() + Duration::from_secs(60));
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("request-id".to_owned(), id.to_owned()),
        (
            "anthropic-organization-id".to_owned(),
            "00000000-0000-4000-8000-0000000fa4e0".to_owned(),
        ),
        (
            "anthropic-ratelimit-requests-limit".to_owned(),
            REQUESTS_PER_MINUTE.to_string(),
        ),
        (
            "anthropic-ratelimit-requests-remaining".to_owned(),
            (REQUESTS_PER_MINUTE - 1).to_string(),
        ),
        ("anthropic-ratelimit-requests-reset".to_owned(), reset.clone()),
        ("anthropic-ratelimit-tokens-limit".to_owned(), "40000".to_owned()),
        ("anthropic-ratelimit-tokens-remaining".to_owned(), "39000".to_owned()),
        ("anthropic-ratelimit-tokens-reset".to_owned(), reset),
    ];
    for (name, value) in extra {
        headers.retain(|(n, _)| n != name);
        headers.push((name.clone(), value.clone()));
    }
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (name.parse::<axum::http::HeaderName>(), value.parse()) {
            map.insert(name, value);
        }
    }
    (status, map, body).into_response()
}

/// `2025-08-21T10:15:00Z`, the format of the rate-limit reset headers.
fn rfc3339(at: SystemTime) -> String {
    use time::format_description::well_known::Rfc3339;
    let at = time::OffsetDateTime::from(at);
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn reset_times_are_rfc3339() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_755_771_300)),
            "2025-08-21T10:15:00Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }
}
