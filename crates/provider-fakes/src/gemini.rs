//! Fake Gemini API: `POST /v1beta/models/{model}:generateContent` and `GET /v1beta/models/{model}`. The key
//! is accepted in `x-goog-api-key` or `?key=` like Google's; a wrong key gets Google's 400
//! `INVALID_ARGUMENT` / `API_KEY_INVALID`, a 429 carries its retry hint as `RetryInfo.retryDelay` in the
//! body. The answer is `candidates[0].content.parts[0].text`, a JSON string. Usage counts thinking
//! (`thoughtsTokenCount`, a tenth of the answer) and implicit caching (a system instruction seen before is
//! reported as `cachedContentTokenCount`, inside `promptTokenCount`). [`Fault::Safety`] sends a candidate
//! with `finishReason: "SAFETY"`, its `safetyRatings` and no content, billing the prompt and the thinking.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::{estimate_tokens, FakeConfig, FakeServer, FakeTask, Fault, Script};

struct Fake {
    config: FakeConfig,
    script: Arc<Script>,
    seen_system: Mutex<HashSet<String>>,
    served: AtomicU64,
}

pub async fn start(config: FakeConfig) -> FakeServer {
    let script = Arc::new(Script::default());
    let fake = Arc::new(Fake {
        config,
        script: script.clone(),
        seen_system: Mutex::default(),
        served: AtomicU64::new(0),
    });
    let router = Router::new()
        .route("/v1beta/models/{model}", get(model_info).post(generate))
        .with_state(fake);
    FakeServer::start(router, script).await
}

async fn model_info(
    State(fake): State<Arc<Fake>>,
    Path(model): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let fault = pace(&fake.script).await;
    if let Some(refusal) = refuse(&fake, fault.as_ref(), &headers, query.as_deref()) {
        return refusal;
    }
    if !model.starts_with("gemini-") {
        return not_found(&model);
    }
    let info = json!({
        "name": format!("models/{model}"),
        "version": "001",
        "displayName": model,
        "inputTokenLimit": 1_048_576,
        "outputTokenLimit": 65_536,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
        "thinking": true,
    });
    respond(StatusCode::OK, info.to_string())
}

async fn generate(
    State(fake): State<Arc<Fake>>,
    Path(model_action): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fault = pace(&fake.script).await;
    if let Some(refusal) = refuse(&fake, fault.as_ref(), &headers, query.as_deref()) {
        return refusal;
    }
    let (model, action) = model_action.split_once(':').unwrap_or((&model_action, ""));
    if action != "generateContent" || !model.starts_with("gemini-") {
        return not_found(model);
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return status_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.", json!([]));
    };
    let Some(contents) = request["contents"].as_array().filter(|c| !c.is_empty()) else {
        return status_error(
            400,
            "INVALID_ARGUMENT",
            "* GenerateContentRequest.contents: contents is not specified",
            json!([]),
        );
    };
    let system = parts_text(either(&request, "systemInstruction", "system_instruction"));
    let conversation: String = contents.iter().map(parts_text).collect();
    let prompt = contents
        .iter()
        .rev()
        .find(|c| c["role"] == "user" || c.get("role").is_none())
        .map(parts_text)
        .unwrap_or_default();
    let config = either(&request, "generationConfig", "generation_config");
    let schema = [
        "responseJsonSchema",
        "response_json_schema",
        "responseSchema",
        "response_schema",
    ]
    .iter()
    .find_map(|k| config.get(*k).cloned());
    let max_output = config["maxOutputTokens"]
        .as_u64()
        .or(config["max_output_tokens"].as_u64())
        .unwrap_or(65_536);
    let task = FakeTask::from_prompt(&prompt, schema);
    let answer = match fault {
        Some(Fault::SchemaInvalid) => json!({"unexpected": true}),
        _ => (fake.config.responder)(&task),
    };

    let cached = if system.is_empty() || fake.seen_system.lock().expect("cache").insert(system.clone()) {
        0
    } else {
        estimate_tokens(&system)
    };
    let prompt_tokens = estimate_tokens(&system) + estimate_tokens(&conversation);
    let mut text = answer.to_string();
    let mut candidates = estimate_tokens(&text);
    let thoughts = candidates.div_ceil(10);
    let mut finish = "STOP";
    // Thinking spends the same output budget as the answer.
    if candidates + thoughts > max_output {
        finish = "MAX_TOKENS";
        candidates = max_output.saturating_sub(thoughts);
        text = text.chars().take(candidates as usize * 4).collect();
    }
    let withheld = fault == Some(Fault::Safety);
    if withheld {
        // The filter withholds every candidate token; the thinking that led there is billed all the same.
        candidates = 0;
    }
    let mut usage = json!({
        "promptTokenCount": prompt_tokens,
        "candidatesTokenCount": candidates,
        "totalTokenCount": prompt_tokens + candidates + thoughts,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt_tokens}],
        "thoughtsTokenCount": thoughts,
    });
    if cached > 0 {
        usage["cachedContentTokenCount"] = json!(cached);
        usage["cacheTokensDetails"] = json!([{"modality": "TEXT", "tokenCount": cached}]);
    }
    let candidate = if withheld {
        // A withheld candidate has no content, and Google leaves `candidatesTokenCount` out.
        usage.as_object_mut().expect("an object").remove("candidatesTokenCount");
        json!({"finishReason": "SAFETY", "index": 0, "safetyRatings": [
            {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
            {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true},
            {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
            {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
        ]})
    } else {
        json!({"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": finish, "index": 0})
    };
    let n = fake.served.fetch_add(1, Ordering::Relaxed) + 1;
    let reply = json!({
        "candidates": [candidate],
        "usageMetadata": usage,
        "modelVersion": model,
        "responseId": format!("FakeResponse{n:010}"),
    });
    // Every 2xx reply is billed, cut off or not: cached tokens at the cache rate, thinking as output.
    fake.script.bill(crate::Bill {
        input_tokens: prompt_tokens - cached,
        cache_read_tokens: cached,
        output_tokens: candidates + thoughts,
        ..crate::Bill::default()
    });
    let mut body = reply.to_string();
    if fault == Some(Fault::TruncatedJson) {
        body.truncate(body.len() / 2);
    }
    respond(StatusCode::OK, body)
}

/// The key check and scripted faults shared by both routes: `Some` when the request gets an error.
fn refuse(fake: &Fake, fault: Option<&Fault>, headers: &HeaderMap, query: Option<&str>) -> Option<Response> {
    let header_key = headers.get("x-goog-api-key").and_then(|v| v.to_str().ok());
    let query_key = query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("key=")));
    let key = header_key.or(query_key);
    if key.is_none() && fault != Some(&Fault::BadKey) {
        let message = "Method doesn't allow unregistered callers (callers without established identity). Please use \
                       API Key or other form of API consumer identity to call this API.";
        return Some(status_error(403, "PERMISSION_DENIED", message, json!([])));
    }
    if fault == Some(&Fault::BadKey) || key != Some(fake.config.api_key.as_str()) {
        let details = json!([
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
             "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}},
            {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
             "message": "API key not valid. Please pass a valid API key."},
        ]);
        return Some(status_error(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            details,
        ));
    }
    match fault? {
        Fault::RateLimited { retry_after_secs } => {
            let mut details = vec![quota_failure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "10"), help()];
            let mut message = "You exceeded your current quota, please check your plan and billing details.".to_owned();
            if let Some(secs) = retry_after_secs {
                details.push(json!({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": format!("{secs}s")}));
                message.push_str(&format!(" Please retry in {secs}.0s."));
            }
            Some(status_error(429, "RESOURCE_EXHAUSTED", &message, Value::Array(details)))
        }
        Fault::TooManyConcurrent => Some(status_error(
            429,
            "RESOURCE_EXHAUSTED",
            "Resource has been exhausted (e.g. check quota).",
            json!([]),
        )),
        Fault::QuotaExceeded => {
            let details = json!([quota_failure("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "250"), help()]);
            let message = "You exceeded your current quota, please check your plan and billing details.";
            Some(status_error(429, "RESOURCE_EXHAUSTED", message, details))
        }
        Fault::Overloaded => Some(status_error(
            503,
            "UNAVAILABLE",
            "The model is overloaded. Please try again later.",
            json!([]),
        )),
        Fault::ServerError => Some(status_error(
            500,
            "INTERNAL",
            "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
            json!([]),
        )),
        _ => None,
    }
}

fn quota_failure(quota_id: &str, value: &str) -> Value {
    json!({"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{
        "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
        "quotaId": quota_id,
        "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash"},
        "quotaValue": value,
    }]})
}

fn help() -> Value {
    json!({"@type": "type.googleapis.com/google.rpc.Help", "links": [{
        "description": "Learn more about Gemini API quotas",
        "url": "https://ai.google.dev/gemini-api/docs/rate-limits",
    }]})
}

fn not_found(model: &str) -> Response {
    let message = format!(
        "models/{model} is not found for API version v1beta, or is not supported for generateContent. Call \
         ListModels to see the list of available models and their supported methods."
    );
    status_error(404, "NOT_FOUND", &message, json!([]))
}

/// The REST API accepts both camelCase and snake_case field names.
fn either<'a>(object: &'a Value, camel: &str, snake: &str) -> &'a Value {
    object.get(camel).or_else(|| object.get(snake)).unwrap_or(&Value::Null)
}

fn parts_text(content: &Value) -> String {
    content["parts"]
        .as_array()
        .map(|parts| parts.iter().filter_map(|p| p["text"].as_str()).collect())
        .unwrap_or_default()
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

fn status_error(code: u16, status: &str, message: &str, details: Value) -> Response {
    let mut error = json!({"code": code, "message": message, "status": status});
    if details.as_array().is_some_and(|d| !d.is_empty()) {
        error["details"] = details;
    }
    respond(
        StatusCode::from_u16(code).expect("a valid status"),
        json!({ "error": error }).to_string(),
    )
}

fn respond(status: StatusCode, body: String) -> Response {
    (status, [("content-type", "application/json; charset=UTF-8")], body).into_response()
}
