//! The HTTP plumbing every provider client shares: one TLS setup (rustls with the ring provider and the
//! Mozilla roots, so no system OpenSSL or cmake is needed), timeouts, `Retry-After` parsing, request ids, and
//! the transport failures that are the same for every provider (timeouts, refused connections, bad URLs).
//!
//! Redirects are never followed: the keys ride in provider headers (`x-api-key`, `x-goog-api-key`,
//! `xi-api-key`) that reqwest would carry to whatever host a redirect names (it strips only `Authorization`).
//! A 3xx is the coded error `redirected` instead, naming where it pointed.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::StatusCode;

use crate::redact::without_user_info;
use crate::{ErrorClass, ProviderError};

/// The longest wait a provider's `Retry-After` may ask for, and the two readers of its value: one
/// implementation, `showrunner_text`'s.
pub use showrunner_text::{parse_retry_after, wait_of_seconds, MAX_RETRY_AFTER};

/// How long one request may take before it counts as a timeout (a transient failure).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for one provider: shares connections across calls.
pub fn client(timeout: Duration) -> Result<reqwest::Client, ProviderError> {
    client_builder(timeout)?.build().map_err(|e| {
        ProviderError::new(
            "http_setup",
            format!("the HTTP client could not be built: {e}"),
            ErrorClass::Terminal,
        )
    })
}

/// [`client`]'s settings, for a client that needs one more (the voice catalog follows redirects).
pub fn client_builder(timeout: Duration) -> Result<reqwest::ClientBuilder, ProviderError> {
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
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("Showrunner/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none()))
}

/// A transport failure (no HTTP status): the provider is unreachable, slow, or the URL is wrong. The base URL
/// and reqwest's own text (which names the URL) are shown without any user name or password they carry.
pub fn transport_error(provider: &str, base_url: &str, e: &reqwest::Error) -> ProviderError {
    let base_url = without_user_info(base_url);
    let detail = without_user_info(&e.to_string());
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
            format!("{provider} sent a response that could not be read: {detail}"),
        )
    } else {
        ProviderError::transient("network", format!("The request to {provider} failed: {detail}"))
    }
}

/// A 3xx answer: never followed (see the module note), so the key stays with the host it was meant for.
/// Terminal and "not this provider": the base URL needs changing, which trying again cannot do.
pub fn redirect_error(provider: &str, status: StatusCode, headers: &HeaderMap) -> Option<ProviderError> {
    if !status.is_redirection() {
        return None;
    }
    let target = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|to| format!(" to {}", without_user_info(to)))
        .unwrap_or_default();
    Some(
        ProviderError::new(
            "redirected",
            format!(
                "{provider} answered with a redirect (HTTP {}){target}. Showrunner does not follow redirects, so \
                 the API key is never sent to another server: set the base URL to the address that answers.",
                status.as_u16()
            ),
            ErrorClass::Terminal,
        )
        .with_request_id(request_id(headers)),
    )
}

/// `Retry-After` as seconds or an HTTP date; `retry-after-ms` (OpenAI) wins when present. Capped at
/// [`MAX_RETRY_AFTER`]; a value that is not a number or a date is ignored.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    parse_retry_after(text("retry-after-ms"), text("retry-after"), SystemTime::now())
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
    use proptest::prelude::*;
    use reqwest::header::HeaderValue;

    proptest! {
        /// Any header values: a wait of at most [`MAX_RETRY_AFTER`] or none, never a panic or an overflow.
        #[test]
        fn any_retry_after_is_bounded(
            millis in proptest::option::of(prop_oneof!["\\PC{0,24}", any::<f64>().prop_map(|f| f.to_string())]),
            value in proptest::option::of(prop_oneof!["\\PC{0,40}", any::<f64>().prop_map(|f| f.to_string())]),
        ) {
            let wait = parse_retry_after(millis.as_deref(), value.as_deref(), SystemTime::now());
            prop_assert!(wait.is_none_or(|w| w <= MAX_RETRY_AFTER));
        }

        /// Whole seconds are read exactly up to the cap, and anything larger (however large) is the cap.
        #[test]
        fn seconds_are_exact_up_to_the_cap(secs in any::<u64>()) {
            let wait = parse_retry_after(None, Some(&secs.to_string()), SystemTime::now());
            prop_assert_eq!(wait, Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER)));
        }

        /// A date is the time until it, capped; a date in the past is no wait.
        #[test]
        fn dates_are_the_time_until_them(ahead in 0u64..100_000, past in any::<bool>()) {
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            let when = if past { now - Duration::from_secs(ahead) } else { now + Duration::from_secs(ahead) };
            let wait = parse_retry_after(None, Some(&httpdate::fmt_http_date(when)), now);
            let expected = if past { Duration::ZERO } else { Duration::from_secs(ahead).min(MAX_RETRY_AFTER) };
            prop_assert_eq!(wait, Some(expected));
        }
    }

    #[test]
    fn a_huge_or_garbage_retry_after_is_capped_or_ignored() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after(None, Some("1e300"), now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after(None, Some("inf"), now), Some(MAX_RETRY_AFTER));
        assert_eq!(
            parse_retry_after(Some("NaN"), Some("3"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(parse_retry_after(None, Some("-5"), now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(None, Some("soon"), now), None);
        assert_eq!(wait_of_seconds(f64::MAX), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn a_redirect_is_a_coded_error_naming_the_target_without_credentials() {
        let mut h = HeaderMap::new();
        h.insert(
            LOCATION,
            HeaderValue::from_static("http://user:pw-123456789@elsewhere.example/v1"),
        );
        let e = redirect_error("Anthropic", StatusCode::FOUND, &h).unwrap();
        assert_eq!((e.code(), e.class()), ("redirected", ErrorClass::Terminal));
        assert!(e.message().contains("http://elsewhere.example/v1"), "{}", e.message());
        assert!(!e.message().contains("pw-123456789"), "{}", e.message());
        assert!(redirect_error("Anthropic", StatusCode::OK, &h).is_none());
    }

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
