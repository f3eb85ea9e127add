//! A server that answers every request with `302 Found` to another address (the way a misconfigured proxy or
//! a hijacked DNS name would), and a sink on another loopback host that records whatever reaches it: a client
//! that followed the redirect would show up in the sink's requests, key headers and all.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::{FakeServer, Script};

/// Redirects every request to `target` followed by the request's own path.
pub async fn start(target: String) -> FakeServer {
    let router = Router::new().fallback(move |request: Request| {
        let to = format!("{}{}", target.trim_end_matches('/'), request.uri());
        async move { (StatusCode::FOUND, [(header::LOCATION, to)]).into_response() }
    });
    FakeServer::start(router, Arc::new(Script::default())).await
}

/// Answers `200 {}` to anything, on `ip` (e.g. `127.0.0.2`, another host than the fakes' `127.0.0.1`).
pub async fn sink_on(ip: [u8; 4]) -> FakeServer {
    let router = Router::new().fallback(|| async { Response::new(axum::body::Body::from("{}")) });
    FakeServer::start_at(router, Arc::new(Script::default()), SocketAddr::from((ip, 0))).await
}
