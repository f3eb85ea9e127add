//! Fake Perplexity Sonar (`POST /chat/completions`): OpenAI-style chat plus `citations`, `search_results` and
//! `usage.cost`. A wrong key gets the HTML 401 page Perplexity's gateway sends; an unknown model gets
//! `invalid_model`. Reasoning models put `<think>…</think>` before the JSON. Costs follow Sonar's price list
//! (token prices per million, a request fee per thousand by search context size), rendered as decimal
//! dollars like the real API.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use crate::openai_compat::{bearer, pace, respond, Chat};
use crate::{estimate_tokens, FakeConfig, FakeServer, FakeTask, Fault, Script};

/// Model, dollars per million input and output tokens, and the request fee per thousand requests for
/// low / medium / high search context.
pub const PRICES: [(&str, u64, u64, [u64; 3]); 5] = [
    ("sonar", 1, 1, [5, 8, 12]),
    ("sonar-pro", 3, 15, [6, 10, 14]),
    ("sonar-reasoning", 1, 5, [5, 8, 12]),
    ("sonar-reasoning-pro", 2, 8, [6, 10, 14]),
    ("sonar-deep-research", 2, 8, [5, 8, 12]),
];

struct Fake {
    config: FakeConfig,
    script: Arc<Script>,
    served: AtomicU64,
}

pub async fn start(config: FakeConfig) -> FakeServer {
    let script = Arc::new(Script::default());
    let fake = Arc::new(Fake {
        config,
        script: script.clone(),
        served: AtomicU64::new(0),
    });
    let router = Router::new().route("/chat/completions", post(chat)).with_state(fake);
    FakeServer::start(router, script).await
}

/// The pages the fake "searched" for a topic: (url, title, date).
pub fn search_results(topic: &str) -> Vec<(String, String, Option<String>)> {
    let slug: String = topic
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    vec![
        (
            format!("https://en.wikipedia.org/wiki/{slug}"),
            format!("{topic} - Wikipedia"),
            Some("2024-11-02".to_owned()),
        ),
        (
            format!(
                "https://www.britannica.com/topic/{}",
                slug.to_lowercase().replace('_', "-")
            ),
            format!("{topic} | Britannica"),
            None,
        ),
        (
            format!(
                "https://www.smithsonianmag.com/science/{}",
                slug.to_lowercase().replace('_', "-")
            ),
            format!("What we now know about {topic}"),
            Some("2025-03-14".to_owned()),
        ),
    ]
}

async fn chat(State(fake): State<Arc<Fake>>, headers: HeaderMap, body: Bytes) -> Response {
    let fault = pace(&fake.script).await;
    let n = fake.served.fetch_add(1, Ordering::Relaxed) + 1;
    if fault == Some(Fault::BadKey) || bearer(&headers) != Some(fake.config.api_key.as_str()) {
        return unauthorized();
    }
    let retry = |secs: Option<u64>| secs.map(|s| vec![("retry-after", s.to_string())]).unwrap_or_default();
    match fault {
        Some(Fault::RateLimited { retry_after_secs }) => {
            return error(
                429,
                "Rate limit exceeded. Please try again later.",
                "rate_limit_exceeded",
                &retry(retry_after_secs),
            )
        }
        Some(Fault::TooManyConcurrent) => {
            return error(429, "Too many concurrent requests.", "rate_limit_exceeded", &[]);
        }
        Some(Fault::QuotaExceeded) => {
            let message = "Insufficient credits. Add credits in the API billing settings to continue.";
            return error(402, message, "insufficient_quota", &[]);
        }
        Some(Fault::Overloaded) => return error(503, "Service temporarily unavailable.", "service_unavailable", &[]),
        Some(Fault::ServerError) => return error(500, "Internal server error.", "internal_server_error", &[]),
        _ => {}
    }
    let Some(chat) = Chat::read(&body) else {
        return error(400, "Invalid request body.", "invalid_message", &[]);
    };
    let Some(&(_, input_price, output_price, fees)) = PRICES.iter().find(|p| p.0 == chat.model) else {
        let message = format!(
            "Invalid model '{}'. Permitted models can be found in the documentation at \
             https://docs.perplexity.ai/getting-started/models.",
            chat.model
        );
        return error(400, &message, "invalid_model", &[]);
    };
    let request: Value = serde_json::from_slice(&body).unwrap_or_default();
    let context = request["web_search_options"]["search_context_size"]
        .as_str()
        .unwrap_or("low")
        .to_owned();
    let fee = match context.as_str() {
        "high" => fees[2],
        "medium" => fees[1],
        _ => fees[0],
    };

    let task = FakeTask::from_prompt(&chat.prompt, chat.schema.clone());
    let topic = task.inputs["topic"].as_str().unwrap_or("Podcasting").to_owned();
    let answer = match fault {
        Some(Fault::SchemaInvalid) => json!({"unexpected": true}),
        _ => (fake.config.responder)(&task),
    };
    let mut content = answer.to_string();
    if chat.model.contains("reasoning") || chat.model.contains("deep-research") {
        content = format!("<think>\nI need sources about {topic}; the search results cover it.\n</think>\n{content}");
    }
    let (content, completion, truncated) = chat.limit(content.clone(), estimate_tokens(&content));
    let prompt_tokens = chat.input_tokens();

    // Micro-dollars: a price in dollars per million tokens is micro-dollars per token.
    let input_cost = prompt_tokens * input_price;
    let output_cost = completion * output_price;
    let request_cost = fee * 1000;
    let results = search_results(&topic);
    let reply = json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "model": chat.model,
        "created": 1_730_000_000 + n,
        "object": "chat.completion",
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": prompt_tokens + completion,
            "search_context_size": context,
            "citation_tokens": null,
            "num_search_queries": 1,
            "reasoning_tokens": null,
            "cost": {
                "input_tokens_cost": dollars(input_cost),
                "output_tokens_cost": dollars(output_cost),
                "request_cost": dollars(request_cost),
                "total_cost": dollars(input_cost + output_cost + request_cost),
                "citation_tokens_cost": null,
                "reasoning_tokens_cost": null,
                "search_queries_cost": null,
            },
        },
        "citations": results.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        "search_results": results.iter().map(|(url, title, date)| json!({
            "title": title, "url": url, "date": date, "last_updated": date,
            "snippet": format!("An overview of {topic}."), "source": "web",
        })).collect::<Vec<_>>(),
        "choices": [{
            "index": 0,
            "finish_reason": if truncated { "length" } else { "stop" },
            "message": {"role": "assistant", "content": content},
        }],
    });
    // Every 2xx reply is billed, cut off or not: its tokens and one request fee at its context size.
    fake.script.bill(crate::Bill {
        input_tokens: prompt_tokens,
        output_tokens: completion,
        search_requests: 1,
        ..crate::Bill::default()
    });
    let mut text = reply.to_string();
    if fault == Some(Fault::TruncatedJson) {
        text.truncate(text.len() / 2);
    }
    respond(200, text, &[])
}

/// Micro-dollars as a JSON number in dollars, from its decimal text (`5210` → `0.00521`).
fn dollars(micros: u64) -> Value {
    let text = format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000);
    serde_json::from_str(&text).expect("a decimal number")
}

fn error(status: u16, message: &str, kind: &str, headers: &[(&'static str, String)]) -> Response {
    let body = json!({"error": {"message": message, "type": kind, "code": status}});
    respond(status, body.to_string(), headers)
}

/// What Perplexity's gateway answers to a missing or wrong key: an HTML page, not JSON.
fn unauthorized() -> Response {
    let page = "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 \
                Authorization Required</h1></center>\r\n<hr><center>openresty/1.27.4</center>\r\n</body>\r\n</html>\r\n";
    (StatusCode::UNAUTHORIZED, [("content-type", "text/html")], page).into_response()
}
