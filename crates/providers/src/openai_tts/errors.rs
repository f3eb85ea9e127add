//! OpenAI error answers (`{"error":{"message","type","param","code"}}`) turned into [`ProviderError`]s. A 429
//! is either "slow down" or "out of money", told apart only by `code`/`type` `insufficient_quota`.

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::{http, ErrorClass, ProviderError};

const MESSAGE_CHARS: usize = 300;

#[derive(Debug, Default, PartialEq)]
struct Body {
    message: String,
    kind: String,
    param: String,
    /// A string, a number or null depending on the server: kept as text.
    code: String,
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn body(bytes: &[u8]) -> Body {
    let value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let error = value.get("error").unwrap_or(&Value::Null);
    Body {
        message: text(error.get("message")),
        kind: text(error.get("type")),
        param: text(error.get("param")),
        code: text(error.get("code")),
    }
}

/// The provider's message made safe to show: OpenAI echoes part of a rejected key, so a bad-key answer never
/// passes its message on, and any other message has the key removed and is kept short.
fn clean(message: &str, api_key: &str) -> String {
    let mut text = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if !api_key.is_empty() {
        text = text.replace(api_key, "<redacted>");
    }
    if text.chars().count() > MESSAGE_CHARS {
        text = format!("{}…", text.chars().take(MESSAGE_CHARS).collect::<String>());
    }
    text
}

/// A non-2xx answer from the speech or models endpoint.
pub(super) fn from_response(
    status: u16,
    headers: &HeaderMap,
    bytes: &[u8],
    voice: Option<&str>,
    api_key: &str,
) -> ProviderError {
    let b = body(bytes);
    let said = clean(&b.message, api_key);
    let said_suffix = if said.is_empty() {
        String::new()
    } else {
        format!(" OpenAI said: {said}")
    };
    let error = match status {
        401 => ProviderError::new(
            "bad_key",
            "OpenAI rejected the API key. Check it under Providers & keys.",
            ErrorClass::Auth,
        ),
        403 => ProviderError::new(
            "not_allowed",
            format!("OpenAI refused this key or region for text to speech.{said_suffix}"),
            ErrorClass::Auth,
        ),
        429 if b.code == "insufficient_quota" || b.kind == "insufficient_quota" => ProviderError::new(
            "out_of_quota",
            format!("The OpenAI account is out of credit or over its spend limit.{said_suffix}"),
            ErrorClass::Quota,
        ),
        429 => {
            let e = ProviderError::new(
                "rate_limited",
                format!("OpenAI asked to slow down.{said_suffix}"),
                ErrorClass::RateLimited,
            );
            match http::retry_after(headers) {
                Some(after) => e.with_retry_after(after),
                None => e,
            }
        }
        400 if b.param == "voice" => ProviderError::new(
            "unknown_voice",
            format!(
                "OpenAI has no voice '{}'. Pick another voice for the host.",
                voice.unwrap_or("?")
            ),
            ErrorClass::Terminal,
        ),
        404 if b.code != "model_not_found" => ProviderError::new(
            "wrong_url",
            "OpenAI answered 404 Not Found: check the base URL.",
            ErrorClass::Terminal,
        ),
        400 | 404 | 413 | 422 => ProviderError::new(
            "invalid_request",
            format!("OpenAI refused the speech request ({status}).{said_suffix}"),
            ErrorClass::Terminal,
        ),
        500..=599 => ProviderError::transient(
            "server_error",
            format!("OpenAI had a server error ({status}); trying again later may work.{said_suffix}"),
        ),
        _ => ProviderError::new(
            "provider_error",
            format!("OpenAI answered {status}.{said_suffix}"),
            ErrorClass::Terminal,
        ),
    };
    error.with_request_id(http::request_id(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ProviderError {
        from_response(
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            Some("nobody"),
            "sk-live-1234",
        )
    }

    #[test]
    fn quota_and_rate_limits_are_both_429_but_differ_in_class() {
        let quota = err(
            429,
            r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
        );
        assert_eq!((quota.code(), quota.class()), ("out_of_quota", ErrorClass::Quota));
        let slow = err(
            429,
            r#"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
        );
        assert_eq!((slow.code(), slow.class()), ("rate_limited", ErrorClass::RateLimited));
    }

    #[test]
    fn a_rejected_key_is_never_echoed() {
        let e = err(
            401,
            r#"{"error":{"message":"Incorrect API key provided: sk-live-1234.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
        );
        assert_eq!((e.code(), e.class()), ("bad_key", ErrorClass::Auth));
        assert!(!e.to_string().contains("1234"), "{e}");
    }

    #[test]
    fn an_unknown_voice_is_named_and_integer_codes_are_read() {
        let e = err(
            400,
            r#"{"error":{"message":"Invalid value: 'nobody'.","type":"invalid_request_error","param":"voice","code":"invalid_value"}}"#,
        );
        assert_eq!((e.code(), e.class()), ("unknown_voice", ErrorClass::Terminal));
        assert!(e.message().contains("'nobody'"), "{e}");
        let e = err(
            503,
            r#"{"error":{"message":"Loading model","type":"unavailable_error","code":503}}"#,
        );
        assert_eq!((e.code(), e.class()), ("server_error", ErrorClass::Transient));
        assert_eq!(err(404, "not json").code(), "wrong_url");
    }
}
