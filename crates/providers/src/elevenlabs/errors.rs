//! ElevenLabs error answers (`{"detail":{"status","message"}}`, or FastAPI's validation list) turned into
//! [`ProviderError`]s a producer can act on. Note that running out of credits is a 401, like a bad key, and
//! told apart only by `detail.status`.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::{http, ErrorClass, ProviderError};

/// Waiting out a full queue of concurrent requests is short: a slot frees as soon as any request finishes.
pub(super) const CONCURRENCY_WAIT: Duration = Duration::from_secs(1);
/// `system_busy` means ElevenLabs itself is overloaded: back off for longer.
pub(super) const BUSY_WAIT: Duration = Duration::from_secs(15);
const MESSAGE_CHARS: usize = 300;

/// What the error body says: ElevenLabs' status code (e.g. `voice_not_found`) and message.
#[derive(Debug, Default, PartialEq)]
struct Detail {
    status: Option<String>,
    message: Option<String>,
}

fn detail(body: &[u8]) -> Detail {
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match value.get("detail") {
        Some(Value::Object(d)) => Detail {
            status: d.get("status").and_then(Value::as_str).map(str::to_owned),
            message: d.get("message").and_then(Value::as_str).map(str::to_owned),
        },
        Some(Value::String(message)) => Detail {
            status: None,
            message: Some(message.clone()),
        },
        // FastAPI validation errors: a list of {loc, msg, type}.
        Some(Value::Array(items)) => Detail {
            status: Some("validation_error".to_owned()),
            message: Some(
                items
                    .iter()
                    .filter_map(|i| {
                        let msg = i.get("msg").and_then(Value::as_str)?;
                        let loc = i.get("loc").and_then(Value::as_array).map(|l| {
                            l.iter()
                                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                                .collect::<Vec<_>>()
                                .join(".")
                        });
                        Some(match loc {
                            Some(loc) if !loc.is_empty() => format!("{loc}: {msg}"),
                            _ => msg.to_owned(),
                        })
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        },
        _ => Detail::default(),
    }
}

/// The provider's message made safe to show: never the key, never a wall of text.
fn clean(message: Option<&str>, api_key: &str) -> String {
    let mut text = message
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !api_key.is_empty() {
        text = text.replace(api_key, "<redacted>");
    }
    if text.chars().count() > MESSAGE_CHARS {
        text = format!("{}…", text.chars().take(MESSAGE_CHARS).collect::<String>());
    }
    text
}

/// A non-2xx answer. `voice` names the voice the request asked for, when it asked for one.
pub(super) fn from_response(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    voice: Option<&str>,
    api_key: &str,
) -> ProviderError {
    let d = detail(body);
    let code = d.status.as_deref().unwrap_or_default();
    let said = clean(d.message.as_deref(), api_key);
    let said_suffix = if said.is_empty() {
        String::new()
    } else {
        format!(" ElevenLabs said: {said}")
    };
    let retry_after = http::retry_after(headers);
    let error = match status {
        401 | 402 if code == "quota_exceeded" || status == 402 || said.to_lowercase().contains("quota") => {
            ProviderError::new(
                "out_of_quota",
                format!("The ElevenLabs account is out of credits for this request.{said_suffix}"),
                ErrorClass::Quota,
            )
        }
        401 => ProviderError::new(
            "bad_key",
            format!("ElevenLabs rejected the API key. Check it under Providers & keys.{said_suffix}"),
            ErrorClass::Auth,
        ),
        403 => ProviderError::new(
            "not_allowed",
            format!("The ElevenLabs API key is not allowed to do this.{said_suffix}"),
            ErrorClass::Auth,
        ),
        429 if code == "system_busy" => ProviderError::new(
            "system_busy",
            format!("ElevenLabs is busy right now; trying again later.{said_suffix}"),
            ErrorClass::RateLimited,
        )
        .with_retry_after(retry_after.unwrap_or(BUSY_WAIT)),
        429 if code == "too_many_concurrent_requests" => ProviderError::new(
            "too_many_concurrent_requests",
            format!("More requests were sent at once than the ElevenLabs plan allows.{said_suffix}"),
            ErrorClass::RateLimited,
        )
        .with_retry_after(retry_after.unwrap_or(CONCURRENCY_WAIT)),
        429 => {
            let e = ProviderError::new(
                "rate_limited",
                format!("ElevenLabs asked to slow down.{said_suffix}"),
                ErrorClass::RateLimited,
            );
            match retry_after {
                Some(after) => e.with_retry_after(after),
                None => e,
            }
        }
        400 | 404 if code == "voice_not_found" || (code.is_empty() && said.to_lowercase().contains("voice")) => {
            let voice = voice.unwrap_or("?");
            ProviderError::new(
                "unknown_voice",
                format!("ElevenLabs has no voice '{voice}' on this account. Pick another voice for the host."),
                ErrorClass::Terminal,
            )
        }
        404 => ProviderError::new(
            "wrong_url",
            "ElevenLabs answered 404 Not Found: check the base URL.",
            ErrorClass::Terminal,
        ),
        400 | 413 | 422 => ProviderError::new(
            "invalid_request",
            format!(
                "ElevenLabs refused the request ({status}{}).{said_suffix}",
                status_note(code)
            ),
            ErrorClass::Terminal,
        ),
        500..=599 => ProviderError::transient(
            "server_error",
            format!("ElevenLabs had a server error ({status}); trying again later may work.{said_suffix}"),
        ),
        _ => ProviderError::new(
            "provider_error",
            format!("ElevenLabs answered {status}.{said_suffix}"),
            ErrorClass::Terminal,
        ),
    };
    error.with_request_id(http::request_id(headers))
}

fn status_note(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(", {code}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ProviderError {
        from_response(status, &HeaderMap::new(), body.as_bytes(), Some("v1"), "sk_secret")
    }

    #[test]
    fn quota_and_bad_key_are_both_401_but_differ_in_class() {
        let quota = err(
            401,
            r#"{"detail":{"status":"quota_exceeded","message":"This request exceeds your quota of 10000."}}"#,
        );
        assert_eq!((quota.code(), quota.class()), ("out_of_quota", ErrorClass::Quota));
        let key = err(
            401,
            r#"{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}"#,
        );
        assert_eq!((key.code(), key.class()), ("bad_key", ErrorClass::Auth));
    }

    #[test]
    fn validation_lists_are_summarised_and_the_key_is_never_echoed() {
        let e = err(
            422,
            r#"{"detail":[{"loc":["body","text"],"msg":"field required","type":"value_error.missing"}]}"#,
        );
        assert_eq!((e.code(), e.class()), ("invalid_request", ErrorClass::Terminal));
        assert!(e.message().contains("body.text: field required"), "{e}");
        let e = err(400, r#"{"detail":{"status":"bad","message":"key sk_secret is odd"}}"#);
        assert!(
            !e.message().contains("sk_secret") && e.message().contains("<redacted>"),
            "{e}"
        );
    }

    #[test]
    fn non_json_bodies_still_classify_by_status() {
        assert_eq!(err(503, "<html>busy</html>").class(), ErrorClass::Transient);
        assert_eq!(err(404, "").code(), "wrong_url");
        assert_eq!(err(418, "").class(), ErrorClass::Terminal);
    }
}
