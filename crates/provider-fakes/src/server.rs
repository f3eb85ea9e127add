//! The shared HTTP harness: bind a random local port, serve a provider's router, record every request, and
//! stop when dropped.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::Script;

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query, e.g. `/v1beta/models/gemini-2.5-pro:generateContent?key=…`.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeServer {
    addr: SocketAddr,
    script: Arc<Script>,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    stop: CancellationToken,
}

impl FakeServer {
    /// Serves `router` (already given its state) on 127.0.0.1 at a free port.
    pub async fn start(router: Router, script: Arc<Script>) -> FakeServer {
        FakeServer::start_at(router, script, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves `router` at `addr` (port 0: a free one).
    pub async fn start_at(router: Router, script: Arc<Script>, addr: SocketAddr) -> FakeServer {
        let requests: Arc<Mutex<Vec<RecordedRequest>>> = Arc::default();
        let app = router.layer(middleware::from_fn_with_state(requests.clone(), record));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("a free local port for the fake server");
        let addr = listener.local_addr().expect("the fake's address");
        let stop = CancellationToken::new();
        let stopped = stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stopped.cancelled().await })
                .await;
        });
        FakeServer {
            addr,
            script,
            requests,
            stop,
        }
    }

    /// `http://127.0.0.1:PORT` (or the host it was started at) — what the client's base URL setting points at.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn script(&self) -> &Script {
        &self.script
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().expect("request log").clone()
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().expect("request log").len()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn record(State(log): State<Arc<Mutex<Vec<RecordedRequest>>>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024 * 1024).await.unwrap_or_default();
    log.lock().expect("request log").push(RecordedRequest {
        method: parts.method.to_string(),
        uri: parts.uri.to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: bytes.clone(),
    });
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}
