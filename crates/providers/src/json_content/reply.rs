//! One HTTP exchange with a provider, read completely: status, headers and body. Transport failures become
//! the shared `timeout` / `unreachable` / `wrong_url` errors; a 2xx body that is not the JSON expected (cut
//! off mid-stream, an HTML page) is `bad_response`, worth retrying.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::{http, ProviderError};

/// Non-streaming answers of several thousand tokens take minutes; the official SDKs wait up to ten.
pub(crate) const MODEL_CALL_TIMEOUT: Duration = Duration::from_secs(600);

/// How much of a provider's own error message is worth showing.
const MAX_MESSAGE_CHARS: usize = 400;

/// A provider's complete reply.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Sends the request and reads the whole body.
pub(crate) async fn send(
    provider: &str,
    base_url: &str,
    request: reqwest::RequestBuilder,
) -> Result<Reply, ProviderError> {
    let response = request
        .send()
        .await
        .map_err(|e| http::transport_error(provider, base_url, &e))?;
    let status = response.status();
    let headers = response.headers().clone();
    if let Some(e) = http::redirect_error(provider, status, &headers) {
        return Err(e);
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| http::transport_error(provider, base_url, &e))?;
    Ok(Reply {
        status,
        headers,
        body: body.to_vec(),
    })
}

impl Reply {
    /// The request id from the headers (`request-id`, `x-request-id`…).
    pub fn request_id(&self) -> Option<String> {
        http::request_id(&self.headers)
    }

    /// A successful reply's body as `T`; anything unreadable is `bad_response`.
    pub fn decode<T: DeserializeOwned>(&self, provider: &str) -> Result<T, ProviderError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ProviderError::transient(
                "bad_response",
                format!("{provider} sent a reply that could not be read ({e}); trying again usually helps."),
            )
            .with_request_id(self.request_id())
        })
    }

    /// An error reply's body as `T`, when it has that shape (it may be an HTML page from a proxy).
    pub fn error_body<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A provider's own error text made safe to show: trimmed, shortened, and with the key blanked out in case
/// the provider echoed it.
pub(crate) fn provider_says(message: &str, key: Option<&str>) -> String {
    let mut text = message.trim().to_owned();
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        text = text.replace(key, "<redacted>");
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        text = text.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "…";
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_echoed_key_never_reaches_the_message() {
        let said = provider_says(
            "  Incorrect API key provided: sk-secret-123. Check it. ",
            Some("sk-secret-123"),
        );
        assert_eq!(said, "Incorrect API key provided: <redacted>. Check it.");
        assert_eq!(
            provider_says("x".repeat(1000).as_str(), None).chars().count(),
            MAX_MESSAGE_CHARS + 1
        );
    }
}
