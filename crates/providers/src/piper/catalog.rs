//! The Piper voice catalog (`voices.json` of rhasspy/piper-voices): what can be downloaded, and the download
//! itself. Each file is fetched into a `.part` file in `voices/.downloads/<voice>/`, resumed with an HTTP
//! Range request after a cut, checked against the catalog's size and MD5, and only then handed to the
//! checked install ([`super::install`]). A cancel or a refused checksum removes the partial download, so
//! nothing half-downloaded is ever listed or installed.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use md5::{Digest, Md5};
use reqwest::header::{CONTENT_RANGE, RANGE};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::library::valid_name;

/// The catalog as published on Hugging Face; `voices.json` and every voice file are relative to it.
pub const DEFAULT_CATALOG_URL: &str = "https://huggingface.co/rhasspy/piper-voices/resolve/main";
/// Partial downloads live here, inside the voices folder (a dot folder: never listed as a voice).
pub const DOWNLOADS_DIR: &str = ".downloads";
/// How many times a cut transfer is resumed within one download before it gives up (the `.part` stays).
const RESUMES: u32 = 4;
/// A voice is up to ~120 MB; the whole-request timeout must allow a slow line, the read timeout catches a
/// stalled one.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60 * 30);
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// One file of a catalog voice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogFile {
    /// Relative to the catalog URL, e.g. `en/en_US/joe/medium/en_US-joe-medium.onnx`.
    pub path: String,
    pub size_bytes: u64,
    pub md5_digest: String,
}

/// One downloadable voice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogVoice {
    /// e.g. `en_US-joe-medium`: the installed voice's name.
    pub key: String,
    /// e.g. `en_US`.
    pub language: String,
    /// e.g. `English (United States)`.
    pub language_name: String,
    pub quality: String,
    pub speakers: u32,
    /// The model and its config (the catalog's other files, such as the model card, are not needed).
    pub model: CatalogFile,
    pub config: CatalogFile,
}

impl CatalogVoice {
    pub fn size_bytes(&self) -> u64 {
        self.model.size_bytes + self.config.size_bytes
    }
}

/// Why the catalog could not be read or a voice not downloaded. Each has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("The voice catalog could not be reached ({0}). Check your connection, or install a voice from files.")]
    Unreachable(String),
    #[error("The voice catalog could not be read: {0}")]
    Invalid(String),
    #[error("The catalog has no voice called '{0}'.")]
    UnknownVoice(String),
    #[error("{file} does not match the catalog ({detail}); it was deleted and nothing was installed.")]
    ChecksumMismatch { file: String, detail: String },
    #[error("The download was cancelled; nothing was installed.")]
    Cancelled,
    #[error("The download could not be saved: {0}")]
    Storage(String),
}

impl CatalogError {
    /// Stable, snake_case.
    pub fn code(&self) -> &'static str {
        match self {
            CatalogError::Unreachable(_) => "catalog_unreachable",
            CatalogError::Invalid(_) => "catalog_invalid",
            CatalogError::UnknownVoice(_) => "voice_not_in_catalog",
            CatalogError::ChecksumMismatch { .. } => "voice_checksum_mismatch",
            CatalogError::Cancelled => "download_cancelled",
            CatalogError::Storage(_) => "voice_storage",
        }
    }
}

#[derive(Deserialize)]
struct RawVoice {
    key: String,
    language: RawLanguage,
    quality: String,
    #[serde(default)]
    num_speakers: u32,
    files: BTreeMap<String, RawFile>,
}

#[derive(Deserialize)]
struct RawLanguage {
    code: String,
    #[serde(default)]
    name_english: String,
    #[serde(default)]
    country_english: String,
}

#[derive(Deserialize)]
struct RawFile {
    size_bytes: u64,
    md5_digest: String,
}

/// A catalog path is used in a URL and its last segment as a file name: no `..`, no absolute paths.
fn safe_path(path: &str) -> bool {
    !path.starts_with('/') && path.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Reads `voices.json`. Voices whose files are not a usable model and config pair are left out.
pub fn parse_catalog(json: &str) -> Result<Vec<CatalogVoice>, CatalogError> {
    let raw: BTreeMap<String, RawVoice> =
        serde_json::from_str(json).map_err(|e| CatalogError::Invalid(format!("voices.json: {e}")))?;
    let mut voices = Vec::new();
    for (_, v) in raw {
        if !valid_name(&v.key) {
            continue;
        }
        let file = |suffix: &str| {
            let wanted = format!("{}{suffix}", v.key);
            v.files.iter().find_map(|(path, f)| {
                (safe_path(path) && path.rsplit('/').next() == Some(wanted.as_str())).then(|| CatalogFile {
                    path: path.clone(),
                    size_bytes: f.size_bytes,
                    md5_digest: f.md5_digest.to_ascii_lowercase(),
                })
            })
        };
        let (Some(model), Some(config)) = (file(".onnx"), file(".onnx.json")) else {
            continue;
        };
        let language_name = match (v.language.name_english.trim(), v.language.country_english.trim()) {
            ("", _) => v.language.code.clone(),
            (name, "") => name.to_owned(),
            (name, country) => format!("{name} ({country})"),
        };
        voices.push(CatalogVoice {
            key: v.key,
            language: v.language.code,
            language_name,
            quality: v.quality,
            speakers: v.num_speakers.max(1),
            model,
            config,
        });
    }
    Ok(voices)
}

/// A client for the catalog: redirects followed (Hugging Face answers file URLs with a redirect to its
/// storage; no key is sent, so following is safe), a read timeout for stalled transfers.
pub fn client() -> Result<reqwest::Client, CatalogError> {
    crate::http::client_builder(REQUEST_TIMEOUT)
        .map_err(|e| CatalogError::Unreachable(e.to_string()))?
        .redirect(reqwest::redirect::Policy::limited(8))
        .read_timeout(READ_TIMEOUT)
        .build()
        .map_err(|e| CatalogError::Unreachable(e.to_string()))
}

fn url(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// Fetches and reads the catalog at `base` (`<base>/voices.json`).
pub async fn fetch_catalog(client: &reqwest::Client, base: &str) -> Result<Vec<CatalogVoice>, CatalogError> {
    let response = client
        .get(url(base, "voices.json"))
        .send()
        .await
        .map_err(|e| CatalogError::Unreachable(without_query(&e)))?;
    if !response.status().is_success() {
        return Err(CatalogError::Unreachable(format!(
            "HTTP {}",
            response.status().as_u16()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| CatalogError::Unreachable(without_query(&e)))?;
    parse_catalog(&text)
}

/// reqwest's text without the URL's query (storage redirects carry signed tokens there).
fn without_query(e: &reqwest::Error) -> String {
    let text = e.to_string();
    match e.url() {
        Some(u) => text.replace(u.as_str(), &format!("{}{}", u.origin().ascii_serialization(), u.path())),
        None => text,
    }
}

/// Where a download stands: bytes received over both files, of the voice's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadProgress {
    pub received_bytes: u64,
    pub total_bytes: u64,
}

/// The partial-download folder of `key` inside `voices_dir`.
pub fn partial_dir(voices_dir: &Path, key: &str) -> PathBuf {
    voices_dir.join(DOWNLOADS_DIR).join(key)
}

/// Downloads `voice`'s model and config into `voices/.downloads/<key>/`, checked against the catalog, and
/// returns the downloaded model's path (its `.onnx.json` beside it) for the checked install. Progress is
/// reported as bytes arrive, resuming counts what was already there. On cancel or a checksum mismatch the
/// partial folder is removed; after a transfer that kept failing it stays, so the next try resumes.
pub async fn download(
    client: &reqwest::Client,
    base: &str,
    voice: &CatalogVoice,
    voices_dir: &Path,
    cancel: &CancellationToken,
    progress: &(dyn Fn(DownloadProgress) + Send + Sync),
) -> Result<PathBuf, CatalogError> {
    let dir = partial_dir(voices_dir, &voice.key);
    let result = download_into(client, base, voice, &dir, cancel, progress).await;
    if matches!(
        result,
        Err(CatalogError::Cancelled | CatalogError::ChecksumMismatch { .. })
    ) {
        let _ = tokio::fs::remove_dir_all(&dir).await;
    }
    result
}

async fn download_into(
    client: &reqwest::Client,
    base: &str,
    voice: &CatalogVoice,
    dir: &Path,
    cancel: &CancellationToken,
    progress: &(dyn Fn(DownloadProgress) + Send + Sync),
) -> Result<PathBuf, CatalogError> {
    let storage = |e: std::io::Error| CatalogError::Storage(e.to_string());
    tokio::fs::create_dir_all(dir).await.map_err(storage)?;
    let total = voice.size_bytes();
    let mut done_before = 0;
    let mut model_path = PathBuf::new();
    for file in [&voice.model, &voice.config] {
        let name = file.path.rsplit('/').next().unwrap_or_default().to_owned();
        let target = dir.join(&name);
        if target.is_file() {
            // Finished (and checked) by an earlier try.
            done_before += file.size_bytes;
            progress(DownloadProgress {
                received_bytes: done_before,
                total_bytes: total,
            });
        } else {
            let part = dir.join(format!("{name}.part"));
            fetch_file(client, &url(base, &file.path), &part, file.size_bytes, cancel, &|got| {
                progress(DownloadProgress {
                    received_bytes: done_before + got,
                    total_bytes: total,
                })
            })
            .await?;
            verify(&part, &name, file).await?;
            tokio::fs::rename(&part, &target).await.map_err(storage)?;
            done_before += file.size_bytes;
        }
        if name.ends_with(".onnx") {
            model_path = target;
        }
    }
    Ok(model_path)
}

/// Fetches `url` into `part` until it holds `size` bytes, resuming from what `part` already has.
async fn fetch_file(
    client: &reqwest::Client,
    url: &str,
    part: &Path,
    size: u64,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<(), CatalogError> {
    let storage = |e: std::io::Error| CatalogError::Storage(e.to_string());
    let mut last_error = None;
    for _ in 0..=RESUMES {
        let have = tokio::fs::metadata(part).await.map(|m| m.len()).unwrap_or(0);
        if have > size {
            // Longer than the catalog says: start over rather than keep bytes that cannot be right.
            tokio::fs::remove_file(part).await.map_err(storage)?;
            continue;
        }
        if have == size {
            return Ok(());
        }
        progress(have);
        let mut request = client.get(url);
        if have > 0 {
            request = request.header(RANGE, format!("bytes={have}-"));
        }
        let response = tokio::select! {
            _ = cancel.cancelled() => return Err(CatalogError::Cancelled),
            r = request.send() => r,
        };
        let mut response = match response {
            Ok(r) => r,
            Err(e) => {
                last_error = Some(without_query(&e));
                continue;
            }
        };
        let resumed = response.status() == StatusCode::PARTIAL_CONTENT
            && response
                .headers()
                .get(CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with(&format!("bytes {have}-")));
        if !response.status().is_success() {
            return Err(CatalogError::Unreachable(format!(
                "HTTP {} for {}",
                response.status().as_u16(),
                url.rsplit('/').next().unwrap_or(url)
            )));
        }
        // A server that ignores Range sends the whole file again: write it from the start.
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resumed)
            .truncate(!resumed)
            .open(part)
            .map_err(storage)?;
        let mut got = if resumed { have } else { 0 };
        loop {
            let chunk = tokio::select! {
                _ = cancel.cancelled() => return Err(CatalogError::Cancelled),
                c = response.chunk() => c,
            };
            match chunk {
                Ok(Some(bytes)) => {
                    file.write_all(&bytes).map_err(storage)?;
                    got += bytes.len() as u64;
                    progress(got.min(size));
                }
                Ok(None) => break,
                Err(e) => {
                    last_error = Some(without_query(&e));
                    break;
                }
            }
        }
        file.sync_all().map_err(storage)?;
        if got >= size {
            return Ok(());
        }
    }
    Err(CatalogError::Unreachable(format!(
        "the transfer kept breaking off ({}); try again to resume",
        last_error.unwrap_or_else(|| "no reason given".into())
    )))
}

/// The file's size and MD5 against the catalog's.
async fn verify(part: &Path, name: &str, file: &CatalogFile) -> Result<(), CatalogError> {
    let path = part.to_path_buf();
    let digest = tokio::task::spawn_blocking(move || md5_of(&path))
        .await
        .map_err(|e| CatalogError::Storage(e.to_string()))?
        .map_err(|e| CatalogError::Storage(e.to_string()))?;
    let size = tokio::fs::metadata(part).await.map(|m| m.len()).unwrap_or(0);
    let mismatch = |detail: String| CatalogError::ChecksumMismatch {
        file: name.to_owned(),
        detail,
    };
    if size != file.size_bytes {
        return Err(mismatch(format!("{size} bytes, expected {}", file.size_bytes)));
    }
    if digest != file.md5_digest {
        return Err(mismatch(format!("MD5 {digest}, expected {}", file.md5_digest)));
    }
    Ok(())
}

/// The lowercase hex MD5 of bytes (what the catalog's `md5_digest` holds).
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The lowercase hex MD5 of a file.
pub fn md5_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Md5::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"{
      "en_US-joe-medium": {
        "key": "en_US-joe-medium", "name": "joe", "quality": "medium", "num_speakers": 1,
        "language": {"code": "en_US", "family": "en", "name_english": "English", "country_english": "United States"},
        "files": {
          "en/en_US/joe/medium/en_US-joe-medium.onnx": {"size_bytes": 63201294, "md5_digest": "ABC"},
          "en/en_US/joe/medium/en_US-joe-medium.onnx.json": {"size_bytes": 4888, "md5_digest": "def"},
          "en/en_US/joe/medium/MODEL_CARD": {"size_bytes": 280, "md5_digest": "123"}
        }
      },
      "bad": {
        "key": "../bad", "quality": "low", "language": {"code": "xx"},
        "files": {"../bad.onnx": {"size_bytes": 1, "md5_digest": "0"}}
      },
      "de_DE-thorsten-low": {
        "key": "de_DE-thorsten-low", "quality": "low", "language": {"code": "de_DE", "name_english": "German"},
        "files": {"de/de_DE/thorsten/low/de_DE-thorsten-low.onnx": {"size_bytes": 9, "md5_digest": "0"}}
      }
    }"#;

    #[test]
    fn the_catalog_keeps_voices_with_a_model_and_config_and_drops_unsafe_names() {
        let voices = parse_catalog(CATALOG).unwrap();
        assert_eq!(voices.len(), 1, "{voices:?}");
        let joe = &voices[0];
        assert_eq!(joe.key, "en_US-joe-medium");
        assert_eq!(joe.language_name, "English (United States)");
        assert_eq!(joe.model.path, "en/en_US/joe/medium/en_US-joe-medium.onnx");
        assert_eq!(joe.model.md5_digest, "abc", "digests compare lowercase");
        assert_eq!(joe.size_bytes(), 63201294 + 4888);
        assert_eq!(parse_catalog("[]").unwrap_err().code(), "catalog_invalid");
    }

    #[test]
    fn md5_is_the_files_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"The quick brown fox jumps over the lazy dog").unwrap();
        assert_eq!(md5_of(&path).unwrap(), "9e107d9d372bb6826bd81d3542a419d6");
    }
}
