//! OpenAI-style error replies → `ProviderError`. The shapes vary by server: `{"error":{message,type,param,
//! code}}` with `code` a string, an integer or null (OpenAI, Ollama, llama.cpp, Perplexity), vLLM's flat
//! `{"object":"error",message,type,code}`, vLLM's auth `{"error":"Unauthorized"}`, and HTML pages from
//! proxies. Perplexity shares this mapping.

use serde_json::Value;

use crate::json_content::{provider_says, Reply};
use crate::{http, ErrorClass, ProviderError};

/// What an error body says, whatever its shape.
#[derive(Debug, Default, PartialEq)]
struct ApiError {
    message: String,
    kind: String,
    code: String,
}

fn parse(body: &[u8]) -> ApiError {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return ApiError::default();
    };
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let fields = |o: &Value| ApiError {
        message: text(o.get("message")),
        kind: text(o.get("type")),
        code: text(o.get("code")),
    };
    match value.get("error") {
        Some(inner @ Value::Object(_)) => fields(inner),
        Some(Value::String(message)) => ApiError {
            message: message.clone(),
            ..ApiError::default()
        },
        _ => fields(&value),
    }
}

/// `provider` names the server in messages ("OpenAI", "Ollama", "Perplexity").
pub(crate) fn from_reply(provider: &str, reply: &Reply, model: &str, key: Option<&str>) -> ProviderError {
    let error = parse(&reply.body);
    let said = provider_says(&error.message, key);
    let status = reply.status.as_u16();
    let lower = error.message.to_lowercase();
    let is = |s: &str| error.code == s || error.kind == s;
    let mut e = if status == 401 {
        ProviderError::new(
            "bad_key",
            format!("{provider} rejected the API key. Check the key in Settings."),
            ErrorClass::Auth,
        )
    } else if is("unsupported_country_region_territory") {
        ProviderError::new(
            "unsupported_region",
            format!("{provider} is not available from this region: {said}"),
            ErrorClass::Terminal,
        )
    } else if status == 403 {
        ProviderError::new(
            "permission_denied",
            format!("{provider} refused this key access: {said}"),
            ErrorClass::Auth,
        )
    } else if status == 402 || is("insufficient_quota") || lower.contains("exceeded your current quota") {
        ProviderError::new(
            "quota_exceeded",
            format!("The {provider} account is out of credit or quota: {said}"),
            ErrorClass::Quota,
        )
    } else if is("model_not_found") || is("invalid_model") || (matches!(status, 400 | 404) && mentions_model(&lower)) {
        ProviderError::new(
            "unknown_model",
            format!("{provider} does not offer the model '{model}'. Check the model name in Settings."),
            ErrorClass::Terminal,
        )
    } else if status == 404 {
        ProviderError::new(
            "wrong_url",
            format!("No OpenAI-compatible API answered at the base URL for {provider}. Check the base URL."),
            ErrorClass::Terminal,
        )
    } else if status == 429 {
        ProviderError::new(
            "rate_limited",
            format!("{provider} asked us to slow down (rate limit reached)."),
            ErrorClass::RateLimited,
        )
    } else if status == 408 || status == 504 {
        ProviderError::transient("timeout", format!("{provider} timed out while answering."))
    } else if status == 503 || status == 529 {
        ProviderError::transient(
            "overloaded",
            format!("{provider} is overloaded or still loading the model; trying again later should work."),
        )
    } else if status >= 500 {
        ProviderError::transient(
            "server_error",
            format!("{provider} had an internal error (HTTP {status}); trying again later should work."),
        )
    } else if said.is_empty() {
        ProviderError::invalid_request(format!("{provider} rejected the request (HTTP {status})."))
    } else {
        ProviderError::invalid_request(format!("{provider} rejected the request: {said}"))
    };
    if let (Some(after), true) = (http::retry_after(&reply.headers), e.class().is_retryable()) {
        e = e.with_retry_after(after);
    }
    e.with_request_id(reply.request_id())
}

/// "The model `x` does not exist", "model \"x\" not found, try pulling it first".
fn mentions_model(message: &str) -> bool {
    message.contains("model") && (message.contains("not found") || message.contains("does not exist"))
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
    fn every_error_shape_is_read() {
        let nested = br#"{"error":{"message":"m","type":"t","param":null,"code":"c"}}"#;
        assert_eq!(
            parse(nested),
            ApiError {
                message: "m".into(),
                kind: "t".into(),
                code: "c".into()
            }
        );
        let int_code = br#"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#;
        assert_eq!(parse(int_code).code, "503");
        let flat = br#"{"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400}"#;
        assert_eq!(
            parse(flat),
            ApiError {
                message: "bad".into(),
                kind: "BadRequestError".into(),
                code: "400".into()
            }
        );
        assert_eq!(parse(br#"{"error":"Unauthorized"}"#).message, "Unauthorized");
        assert_eq!(parse(b"<html>502</html>"), ApiError::default());
    }

    #[test]
    fn statuses_and_codes_map_to_classes() {
        let cases = [
            (
                429,
                json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota",
                "code": "insufficient_quota"}}),
                "quota_exceeded",
                ErrorClass::Quota,
            ),
            (
                429,
                json!({"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}}),
                "rate_limited",
                ErrorClass::RateLimited,
            ),
            (
                404,
                json!({"error": {"message": "model \"llama9\" not found, try pulling it first",
                "type": "not_found_error", "code": null}}),
                "unknown_model",
                ErrorClass::Terminal,
            ),
            (
                400,
                json!({"error": {"message": "Invalid model 'x'", "type": "invalid_model", "code": 400}}),
                "unknown_model",
                ErrorClass::Terminal,
            ),
            (404, json!({"detail": "Not Found"}), "wrong_url", ErrorClass::Terminal),
            (
                503,
                json!({"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}),
                "overloaded",
                ErrorClass::Transient,
            ),
            (
                403,
                json!({"error": {"message": "Country, region, or territory not supported",
                "code": "unsupported_country_region_territory"}}),
                "unsupported_region",
                ErrorClass::Terminal,
            ),
            (
                400,
                json!({"error": {"message": "context too long", "code": "context_length_exceeded"}}),
                "invalid_request",
                ErrorClass::Terminal,
            ),
        ];
        for (status, body, code, class) in cases {
            let e = from_reply("Server", &reply(status, body.clone()), "m", None);
            assert_eq!((e.code(), e.class()), (code, class), "{status} {body}");
        }
    }
}
