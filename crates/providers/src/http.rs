//! The HTTP plumbing every provider client shares: one TLS setup (rustls with the ring provider and the
//! Mozilla roots, so no system OpenSSL or cmake is needed), timeouts, `Retry-After` parsing, request ids, and
//! the transport failures that are the same for every provider (timeouts, refused connections, bad URLs).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::{ErrorClass, ProviderError};

/// How long one request may take before it counts as a timeout (a transient failure).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for one provider: shares connections across calls.
pub fn client(timeout: Duration) -> Result<reqwest::Client, ProviderError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            ProviderError::new(
                "tls_setup",
                format!("TLS could not be set up: {e}"),
                ErrorClass::Terminal,
            )
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("Showrunner/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            ProviderError::new(
                "http_setup",
                format!("the HTTP client could not be built: {e}"),
                ErrorClass::Terminal,
            )
        })
}

/// A transport failure (no HTTP status): the provider is unreachable, slow, or the URL is wrong.
pub fn transport_error(provider: &str, base_url: &str, e: &reqwest::Error) -> ProviderError {
    if e.is_timeout() {
        ProviderError::transient("timeout", format!("{provider} did not answer in time."))
    } else if e.is_builder() {
        ProviderError::new(
            "wrong_url",
            format!("The base URL for {provider} ({base_url}) is not a valid URL."),
            ErrorClass::Terminal,
        )
    } else if e.is_connect() {
        ProviderError::transient(
            "unreachable",
            format!("{provider} is unreachable at {base_url}. Check your connection or the base URL."),
        )
    } else if e.is_decode() || e.is_body() {
        ProviderError::transient(
            "bad_response",
            format!("{provider} sent a response that could not be read: {e}"),
        )
    } else {
        ProviderError::transient("network", format!("The request to {provider} failed: {e}"))
    }
}

/// `Retry-After` as seconds or an HTTP date; `retry-after-ms` (OpenAI) wins when present.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Some(Duration::from_millis(ms.max(0.0) as u64));
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return Some(Duration::from_millis((secs.max(0.0) * 1000.0) as u64));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

/// The provider's request id, under whichever header it uses.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["request-id", "x-request-id", "x-goog-request-id", "cf-ray"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(str::to_owned))
}

/// Joins a base URL (with or without a trailing slash) and a path.
pub fn url(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_milliseconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(1500)));
        let mut d = HeaderMap::new();
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        d.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&d).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn urls_join_with_or_without_slashes() {
        assert_eq!(
            url("http://h:1/v1/", "/chat/completions"),
            "http://h:1/v1/chat/completions"
        );
        assert_eq!(url("http://h:1", "v1/messages"), "http://h:1/v1/messages");
    }

    #[test]
    fn a_client_builds_without_system_tls() {
        assert!(client(DEFAULT_TIMEOUT).is_ok());
    }
}
