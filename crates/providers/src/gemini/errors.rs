//! Gemini's `google.rpc.Status` error replies → `ProviderError`. A bad key is a 400 (`API_KEY_INVALID` in the
//! details), not a 401; the retry hint of a 429 is `RetryInfo.retryDelay` in the body, not a header; a 429
//! against a per-day quota will not clear by retrying soon, so it counts as quota.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::json_content::{provider_says, Reply};
use crate::{http, ErrorClass, ProviderError};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorReply {
    error: Option<Status>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Status {
    message: Option<String>,
    status: Option<String>,
    details: Option<Vec<Value>>,
}

impl Status {
    fn details(&self) -> &[Value] {
        self.details.as_deref().unwrap_or_default()
    }

    fn has_reason(&self, reason: &str) -> bool {
        self.details()
            .iter()
            .any(|d| d.get("reason").and_then(Value::as_str) == Some(reason))
    }

    /// `RetryInfo.retryDelay`, e.g. `"37s"` or `"1.5s"`.
    fn retry_delay(&self) -> Option<Duration> {
        self.details().iter().find_map(|d| {
            let text = d.get("retryDelay")?.as_str()?;
            let secs: f64 = text.trim().strip_suffix('s')?.parse().ok()?;
            (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
        })
    }

    /// Any `QuotaFailure` violation against a daily quota.
    fn daily_quota(&self) -> bool {
        self.details()
            .iter()
            .filter_map(|d| d.get("violations").and_then(Value::as_array))
            .flatten()
            .filter_map(|v| v.get("quotaId").and_then(Value::as_str))
            .any(|id| id.contains("PerDay"))
    }
}

pub(super) fn from_reply(reply: &Reply, model: &str, key: &str) -> ProviderError {
    let parsed = reply.error_body::<ErrorReply>().and_then(|r| r.error);
    let google = parsed.is_some();
    let error = parsed.unwrap_or_default();
    let said = provider_says(error.message.as_deref().unwrap_or_default(), Some(key));
    let status = reply.status.as_u16();
    let rpc = error.status.as_deref().unwrap_or_default();
    let mut retry_after = http::retry_after(&reply.headers);
    let e = if error.has_reason("API_KEY_INVALID") || status == 401 || rpc == "UNAUTHENTICATED" {
        ProviderError::new(
            "bad_key",
            "Google rejected the Gemini API key. Check the key in Settings.",
            ErrorClass::Auth,
        )
    } else if status == 403 || rpc == "PERMISSION_DENIED" {
        ProviderError::new(
            "permission_denied",
            format!("Google refused this key access to Gemini: {said}"),
            ErrorClass::Auth,
        )
    } else if status == 404 && google && said.contains("model") {
        ProviderError::new(
            "unknown_model",
            format!("Gemini does not offer the model '{model}'. Check the model name in Settings."),
            ErrorClass::Terminal,
        )
    } else if status == 404 {
        ProviderError::new(
            "wrong_url",
            "Nothing that speaks Gemini's API answered at the base URL. Check the base URL in Settings.",
            ErrorClass::Terminal,
        )
    } else if status == 429 && error.daily_quota() {
        ProviderError::new(
            "quota_exceeded",
            format!("The Gemini daily quota is used up: {said}"),
            ErrorClass::Quota,
        )
    } else if status == 429 || rpc == "RESOURCE_EXHAUSTED" {
        retry_after = error.retry_delay().or(retry_after);
        ProviderError::new(
            "rate_limited",
            "Gemini asked us to slow down (rate limit reached).",
            ErrorClass::RateLimited,
        )
    } else if status == 503 {
        ProviderError::transient(
            "overloaded",
            "Gemini is overloaded right now; trying again later should work.",
        )
    } else if status == 504 {
        ProviderError::transient("timeout", "Gemini timed out while answering.")
    } else if status >= 500 {
        ProviderError::transient(
            "server_error",
            format!("Gemini had an internal error (HTTP {status}); trying again later should work."),
        )
    } else if said.is_empty() {
        ProviderError::invalid_request(format!("Gemini rejected the request (HTTP {status})."))
    } else {
        ProviderError::invalid_request(format!("Gemini rejected the request: {said}"))
    };
    let e = match retry_after {
        Some(after) if e.class().is_retryable() => e.with_retry_after(after),
        _ => e,
    };
    e.with_request_id(reply.request_id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use serde_json::json;

    fn reply(status: u16, body: Value) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.to_string().into_bytes(),
        }
    }

    #[test]
    fn fractional_retry_delays_are_honoured() {
        let body = json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}]}});
        let e = from_reply(&reply(429, body), "m", "k");
        assert_eq!(e.class(), ErrorClass::RateLimited);
        assert_eq!(e.retry_after(), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn region_and_argument_errors_are_terminal_with_googles_words() {
        let body = json!({"error": {"code": 400, "status": "FAILED_PRECONDITION",
            "message": "User location is not supported for the API use."}});
        let e = from_reply(&reply(400, body), "m", "k");
        assert_eq!((e.code(), e.class()), ("invalid_request", ErrorClass::Terminal));
        assert!(
            e.message().contains("User location is not supported"),
            "{}",
            e.message()
        );
    }
}
