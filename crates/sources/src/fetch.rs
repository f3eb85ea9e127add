//! A web address, fetched once: plain http(s) only, at most a few redirects, the body streamed and cut off
//! past the size limit (a 50 MB page is refused after the limit's worth of bytes, never held whole), the whole
//! fetch under a time limit, and a binary body refused by its type and its bytes.

use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::CONTENT_TYPE;

use crate::extract::{read_in_background, too_large};
use crate::format::looks_like_text;
use crate::{Document, Format, Limits, SourceError, SourceErrorKind};

const MAX_REDIRECTS: usize = 5;

/// What a fetch brought back.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The address the page was read from (after redirects).
    pub url: String,
    pub document: Document,
    pub fetched_at: SystemTime,
    pub bytes: Vec<u8>,
}

pub async fn fetch_url(address: &str, limits: &Limits) -> Result<Fetched, SourceError> {
    let address = address.trim();
    let url = url::Url::parse(address)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            SourceError::new(
                address,
                SourceErrorKind::BadAddress,
                "not a web address (it must start with http:// or https://)",
            )
        })?;
    // A user name or password in the address is sent, never shown or stored: every message and the kept
    // address name the page without it.
    let shown = without_user_info(&url);
    let timed_out = || {
        SourceError::new(
            &shown,
            SourceErrorKind::TimedOut {
                limit_secs: limits.fetch_timeout.as_secs(),
            },
            format!("the page did not arrive within {} s", limits.fetch_timeout.as_secs()),
        )
    };
    let (final_url, content_type, bytes) = tokio::time::timeout(limits.fetch_timeout, download(&shown, url, limits))
        .await
        .map_err(|_| timed_out())??;
    let format = body_format(&shown, content_type.as_deref(), &bytes)?;
    let document = read_in_background(shown, bytes.clone(), Some(format), *limits).await?;
    Ok(Fetched {
        url: without_user_info(&final_url),
        document,
        fetched_at: SystemTime::now(),
        bytes,
    })
}

fn without_user_info(url: &url::Url) -> String {
    let mut shown = url.clone();
    // Both fail only for addresses that cannot carry user info, which then have none to strip.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

async fn download(
    address: &str,
    url: url::Url,
    limits: &Limits,
) -> Result<(url::Url, Option<String>, Vec<u8>), SourceError> {
    let unreachable = |e: reqwest::Error| {
        SourceError::new(
            address,
            SourceErrorKind::Unreachable,
            format!("the page could not be fetched ({})", without_url(&e)),
        )
    };
    let mut response = client(address)?.get(url).send().await.map_err(unreachable)?;
    let status = response.status();
    if !status.is_success() {
        return Err(SourceError::new(
            address,
            SourceErrorKind::HttpStatus {
                status: status.as_u16(),
            },
            format!("the server answered {status}"),
        ));
    }
    if response.content_length().is_some_and(|n| n > limits.max_bytes) {
        return Err(too_large(address, limits.max_bytes));
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let final_url = response.url().clone();
    let mut body = Vec::new();
    while let Some(piece) = response.chunk().await.map_err(unreachable)? {
        if (body.len() + piece.len()) as u64 > limits.max_bytes {
            return Err(too_large(address, limits.max_bytes));
        }
        body.extend_from_slice(&piece);
    }
    Ok((final_url, content_type, body))
}

/// What the body is: the server's word for it, checked against the bytes.
fn body_format(address: &str, content_type: Option<&str>, bytes: &[u8]) -> Result<Format, SourceError> {
    let not_text = || {
        SourceError::new(
            address,
            SourceErrorKind::NotText {
                content_type: content_type.map(str::to_owned),
            },
            format!(
                "the address gives a binary file ({}), not a page or a document",
                content_type.unwrap_or("no content type")
            ),
        )
    };
    let claimed = match content_type {
        Some(ct) => match Format::from_content_type(ct) {
            Some(format) => Some(format),
            // Other text types (text/csv, text/xml) read as plain text; anything else is binary.
            None if ct.trim().to_ascii_lowercase().starts_with("text/") => Some(Format::Text),
            None => None,
        },
        None => None,
    };
    let format = match claimed {
        Some(format) => format,
        None if content_type.is_none() && looks_like_text(bytes) => Format::Html,
        None => return Err(not_text()),
    };
    let text_format = matches!(format, Format::Html | Format::Text | Format::Markdown);
    if text_format && !looks_like_text(bytes) {
        return Err(not_text());
    }
    Ok(format)
}

fn client(address: &str) -> Result<reqwest::Client, SourceError> {
    let setup_failed = |e: &dyn std::fmt::Display| {
        SourceError::new(
            address,
            SourceErrorKind::Unreachable,
            format!("the connection could not be set up ({e})"),
        )
    };
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| setup_failed(&e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .user_agent(concat!("Showrunner/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .build()
        .map_err(|e| setup_failed(&e))
}

/// reqwest's message without the address it names (the producer's address is already the error's name).
fn without_url(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut last = None;
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    last.unwrap_or_else(|| {
        if e.is_timeout() {
            "timed out".into()
        } else if e.is_connect() {
            "could not connect".into()
        } else {
            "the connection failed".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use axum::http::header;
    use axum::routing::get;

    use super::*;
    use crate::Location;

    async fn serve() -> String {
        let app = axum::Router::new()
            .route(
                "/page",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        "<html><head><title>Keepers</title></head><body><nav>Menu</nav><article><h2>Fog</h2>\
                         <p>Fog horns sounded every minute.</p></article></body></html>",
                    )
                }),
            )
            .route(
                "/big",
                get(|| async { ([(header::CONTENT_TYPE, "text/plain")], "a".repeat(50 * 1024 * 1024)) }),
            )
            .route(
                "/image",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "image/png")],
                        vec![0x89u8, b'P', b'N', b'G', 0, 0, 1],
                    )
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        address
    }

    #[tokio::test]
    async fn a_page_is_extracted_and_bad_bodies_are_refused_by_kind() {
        let base = serve().await;
        let limits = Limits::default();
        let page = fetch_url(&format!("{base}/page"), &limits).await.unwrap();
        assert_eq!(page.document.title.as_deref(), Some("Keepers"));
        assert_eq!(
            page.document.sections[0].location,
            Some(Location::Section("Fog".into()))
        );
        assert_eq!(page.document.sections[0].text, "Fog horns sounded every minute.");

        let missing = fetch_url(&format!("{base}/nothing"), &limits).await.unwrap_err();
        assert_eq!(missing.kind, SourceErrorKind::HttpStatus { status: 404 });
        let big = fetch_url(&format!("{base}/big"), &limits).await.unwrap_err();
        assert_eq!(
            big.kind,
            SourceErrorKind::TooLarge {
                limit_bytes: limits.max_bytes
            }
        );
        let image = fetch_url(&format!("{base}/image"), &limits).await.unwrap_err();
        assert_eq!(
            image.kind,
            SourceErrorKind::NotText {
                content_type: Some("image/png".into())
            }
        );
        assert!(image.to_string().starts_with(&format!("{base}/image: ")), "{image}");

        // A password in the address reaches the server but never a message or the kept address.
        let credentialed = base.replacen("http://", "http://reader:hunter2@", 1);
        let page = fetch_url(&format!("{credentialed}/page"), &limits).await.unwrap();
        assert_eq!(page.url, format!("{base}/page"));
        let missing = fetch_url(&format!("{credentialed}/nothing"), &limits)
            .await
            .unwrap_err();
        assert_eq!(missing.name, format!("{base}/nothing"));
        assert!(!missing.to_string().contains("hunter2"), "{missing}");
    }
}
