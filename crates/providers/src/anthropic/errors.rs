//! Anthropic's error replies (`{"type":"error","error":{"type","message"},"request_id"}`) → `ProviderError`.
//! The error type decides, the status is the fallback for bodies that are not Anthropic's (a 413 from the
//! CDN, an HTML page from a proxy). Running out of credit or hitting the spend limit is quota, never retried.

use serde::Deserialize;
use serde_json::Value;

use crate::json_content::{provider_says, Reply};
use crate::{http, ErrorClass, ProviderError};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorReply {
    error: Option<ErrorObject>,
    request_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorObject {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
    details: Option<Value>,
}

pub(super) fn from_reply(reply: &Reply, model: &str, key: &str) -> ProviderError {
    let parsed = reply.error_body::<ErrorReply>().unwrap_or_default();
    let request_id = reply.request_id().or(parsed.request_id);
    let error = parsed.error.unwrap_or_default();
    let said = provider_says(error.message.as_deref().unwrap_or_default(), Some(key));
    let status = reply.status.as_u16();
    let retry_after = http::retry_after(&reply.headers);
    let mut e = match (error.kind.as_deref(), status) {
        (Some("authentication_error"), _) | (None, 401) => ProviderError::new(
            "bad_key",
            "Anthropic rejected the API key. Check the key in Settings.",
            ErrorClass::Auth,
        ),
        (Some("permission_error"), _) | (None, 403) => ProviderError::new(
            "permission_denied",
            format!("Anthropic refused this key access: {said}"),
            ErrorClass::Auth,
        ),
        (Some("billing_error"), _) | (_, 402) => quota(&said),
        _ if is_out_of_credit(&error) => quota(&said),
        // A wrong path gets `not_found_error` too, with "Not Found" rather than "model: …".
        (Some("not_found_error"), _) if said.contains("model") => ProviderError::new(
            "unknown_model",
            format!("Anthropic does not offer the model '{model}'. Check the model name in Settings."),
            ErrorClass::Terminal,
        ),
        (None | Some("not_found_error"), 404) => ProviderError::new(
            "wrong_url",
            "Nothing that speaks Anthropic's API answered at the base URL. Check the base URL in Settings.",
            ErrorClass::Terminal,
        ),
        (Some("rate_limit_error"), _) | (_, 429) => ProviderError::new(
            "rate_limited",
            "Anthropic asked us to slow down (rate limit reached).",
            ErrorClass::RateLimited,
        ),
        (Some("overloaded_error"), _) | (_, 529) => ProviderError::transient(
            "overloaded",
            "Anthropic is overloaded right now; trying again later should work.",
        ),
        (Some("timeout_error"), _) | (_, 504) => {
            ProviderError::transient("timeout", "Anthropic timed out while answering.")
        }
        (Some("request_too_large"), _) | (_, 413) => ProviderError::new(
            "request_too_large",
            "The request is too large for Anthropic; shorten the inputs of this step.",
            ErrorClass::Terminal,
        ),
        (Some("api_error"), _) | (_, 500..=599) => ProviderError::transient(
            "server_error",
            format!("Anthropic had an internal error (HTTP {status}); trying again later should work."),
        ),
        _ => ProviderError::invalid_request(if said.is_empty() {
            format!("Anthropic rejected the request (HTTP {status}).")
        } else {
            format!("Anthropic rejected the request: {said}")
        }),
    };
    if let (Some(after), true) = (retry_after, e.class().is_retryable()) {
        e = e.with_retry_after(after);
    }
    e.with_request_id(request_id)
}

fn quota(said: &str) -> ProviderError {
    ProviderError::new(
        "quota_exceeded",
        format!("The Anthropic account is out of credit or at its spend limit: {said}"),
        ErrorClass::Quota,
    )
}

/// The spend-limit 429 (`details.error_code`) and the "credit balance is too low" / "usage limits" 400s.
fn is_out_of_credit(error: &ErrorObject) -> bool {
    let code = error
        .details
        .as_ref()
        .and_then(|d| d.get("error_code"))
        .and_then(Value::as_str);
    if code == Some("enforced_spend_limit_reached") {
        return true;
    }
    let message = error.message.as_deref().unwrap_or_default().to_lowercase();
    ["credit balance", "usage limit", "spend limit"]
        .iter()
        .any(|phrase| message.contains(phrase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};
    use reqwest::StatusCode;
    use serde_json::json;

    fn reply(status: u16, body: &str, retry_after: Option<&'static str>) -> Reply {
        let mut headers = HeaderMap::new();
        if let Some(secs) = retry_after {
            headers.insert("retry-after", HeaderValue::from_static(secs));
        }
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    fn error(kind: &str, message: &str) -> String {
        json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_1"}).to_string()
    }

    #[test]
    fn the_spend_limit_429_is_quota_not_a_rate_limit() {
        let body = json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Spend limit reached.",
            "details": {"error_code": "enforced_spend_limit_reached"}}})
        .to_string();
        let e = from_reply(&reply(429, &body, None), "claude-x", "k");
        assert_eq!((e.code(), e.class()), ("quota_exceeded", ErrorClass::Quota));
        let plain = from_reply(
            &reply(429, &error("rate_limit_error", "Too many"), Some("12")),
            "claude-x",
            "k",
        );
        assert_eq!(plain.class(), ErrorClass::RateLimited);
        assert_eq!(plain.retry_after(), Some(std::time::Duration::from_secs(12)));
        assert_eq!(plain.request_id(), Some("req_1"));
    }

    #[test]
    fn usage_limits_and_billing_errors_are_quota() {
        let limits = error(
            "invalid_request_error",
            "You have reached your specified API usage limits.",
        );
        assert_eq!(
            from_reply(&reply(400, &limits, None), "m", "k").class(),
            ErrorClass::Quota
        );
        let billing = error("billing_error", "Payment required");
        assert_eq!(
            from_reply(&reply(402, &billing, None), "m", "k").class(),
            ErrorClass::Quota
        );
        let bad = error("invalid_request_error", "messages: field required");
        let e = from_reply(&reply(400, &bad, None), "m", "k");
        assert_eq!((e.code(), e.class()), ("invalid_request", ErrorClass::Terminal));
        assert!(e.message().contains("messages: field required"), "{}", e.message());
    }

    #[test]
    fn bodies_that_are_not_anthropics_fall_back_on_the_status() {
        let html = "<html><body>413 Request Entity Too Large</body></html>";
        assert_eq!(
            from_reply(&reply(413, html, None), "m", "k").code(),
            "request_too_large"
        );
        assert_eq!(from_reply(&reply(404, "", None), "m", "k").code(), "wrong_url");
        let no_path = error("not_found_error", "Not Found");
        assert_eq!(from_reply(&reply(404, &no_path, None), "m", "k").code(), "wrong_url");
        let gateway = from_reply(&reply(502, "Bad gateway", None), "m", "k");
        assert_eq!(
            (gateway.code(), gateway.class()),
            ("server_error", ErrorClass::Transient)
        );
        let missing = from_reply(
            &reply(404, &error("not_found_error", "model: claude-9"), None),
            "claude-9",
            "k",
        );
        assert_eq!(missing.code(), "unknown_model");
        assert!(missing.message().contains("claude-9"));
    }
}
