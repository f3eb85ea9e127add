//! A fake Piper voice catalog: serves files by path (`voices.json` and voice files) over plain HTTP/1.1 with
//! Range support, and can cut the first transfer of a file part-way (headers promise the whole file, the
//! connection closes early) or send slowly, so resume and cancel can be tested. Written on a bare socket
//! because the faults are at the transport level.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogRequest {
    pub path: String,
    /// The `Range` header, if any (e.g. `bytes=1000-`).
    pub range: Option<String>,
}

/// Faults to script.
#[derive(Debug, Clone, Default)]
pub struct CatalogFaults {
    /// The first transfer of a path ending with this is cut after `cut_after` bytes.
    pub cut_suffix: Option<String>,
    pub cut_after: usize,
    /// Body bytes are sent in 16 KiB pieces with this pause between them.
    pub piece_delay: Option<Duration>,
}

pub struct FakeCatalog {
    /// The catalog's base URL (no trailing slash).
    pub url: String,
    requests: Arc<Mutex<Vec<CatalogRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeCatalog {
    pub fn requests(&self) -> Vec<CatalogRequest> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeCatalog {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct State {
    files: BTreeMap<String, Vec<u8>>,
    faults: CatalogFaults,
    requests: Arc<Mutex<Vec<CatalogRequest>>>,
    cut_done: Mutex<bool>,
}

/// Where [`two_voice_catalog`] serves its English voice's files.
pub const EN_US_DIR: &str = "en/en_US/joe/medium";

/// A catalog's files with two voices, laid out as rhasspy/piper-voices lays them out: `key` (an en_US voice)
/// served from `model`/`config` with the digests given (a wrong one makes a checksum test), and a German
/// voice that is only listed (its files are not served).
pub fn two_voice_catalog(
    key: &str,
    model: Vec<u8>,
    model_md5: String,
    config: Vec<u8>,
    config_md5: String,
) -> BTreeMap<String, Vec<u8>> {
    let json = serde_json::json!({
        key: {
            "key": key, "name": "joe", "quality": "medium", "num_speakers": 1,
            "language": {"code": "en_US", "family": "en", "name_english": "English", "country_english": "United States"},
            "files": {
                format!("{EN_US_DIR}/{key}.onnx"): {"size_bytes": model.len(), "md5_digest": model_md5},
                format!("{EN_US_DIR}/{key}.onnx.json"): {"size_bytes": config.len(), "md5_digest": config_md5},
                format!("{EN_US_DIR}/MODEL_CARD"): {"size_bytes": 3, "md5_digest": "00"}
            }
        },
        "de_DE-thorsten-low": {
            "key": "de_DE-thorsten-low", "name": "thorsten", "quality": "low", "num_speakers": 1,
            "language": {"code": "de_DE", "family": "de", "name_english": "German", "country_english": "Germany"},
            "files": {
                "de/de_DE/thorsten/low/de_DE-thorsten-low.onnx": {"size_bytes": 10, "md5_digest": "00"},
                "de/de_DE/thorsten/low/de_DE-thorsten-low.onnx.json": {"size_bytes": 10, "md5_digest": "00"}
            }
        }
    });
    BTreeMap::from([
        ("voices.json".to_owned(), json.to_string().into_bytes()),
        (format!("{EN_US_DIR}/{key}.onnx"), model),
        (format!("{EN_US_DIR}/{key}.onnx.json"), config),
    ])
}

/// Serves `files` (path without a leading slash → bytes).
pub async fn start(files: BTreeMap<String, Vec<u8>>, faults: CatalogFaults) -> FakeCatalog {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(State {
        files,
        faults,
        requests: requests.clone(),
        cut_done: Mutex::new(false),
    });
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, state.clone()));
        }
    });
    FakeCatalog { url, requests, task }
}

async fn serve(mut socket: TcpStream, state: Arc<State>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .trim_start_matches('/')
        .to_owned();
    let range = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("range").then(|| value.trim().to_owned())
    });
    state.requests.lock().unwrap().push(CatalogRequest {
        path: path.clone(),
        range: range.clone(),
    });
    let Some(body) = state.files.get(&path) else {
        let _ = socket
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return;
    };
    let start = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
        .filter(|s| *s < body.len());
    let (status, from) = match start {
        Some(s) => ("206 Partial Content", s),
        None => ("200 OK", 0),
    };
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n",
        body.len() - from
    );
    if start.is_some() {
        response.push_str(&format!(
            "Content-Range: bytes {from}-{}/{}\r\n",
            body.len() - 1,
            body.len()
        ));
    }
    response.push_str("\r\n");
    if socket.write_all(response.as_bytes()).await.is_err() {
        return;
    }
    let mut end = body.len();
    if let Some(suffix) = &state.faults.cut_suffix {
        let mut done = state.cut_done.lock().unwrap();
        if path.ends_with(suffix.as_str()) && !*done {
            *done = true;
            end = (from + state.faults.cut_after).min(body.len());
        }
    }
    for piece in body[from..end].chunks(16 * 1024) {
        if socket.write_all(piece).await.is_err() {
            return;
        }
        if let Some(delay) = state.faults.piece_delay {
            let _ = socket.flush().await;
            tokio::time::sleep(delay).await;
        }
    }
    let _ = socket.flush().await;
    let _ = socket.shutdown().await;
}
