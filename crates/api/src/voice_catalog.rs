//! The Piper voice catalog in the Voices section and `showrunner voices catalog / download`: list the
//! downloadable voices (by language), download one with progress, checked against the catalog's MD5 and
//! resumable after a cut, cancel it, and install it through the same checked install as a file pair.
//!
//! The catalog's address is `SHOWRUNNER_PIPER_CATALOG_URL`, else the `piper.catalog_url` setting, else
//! rhasspy/piper-voices on Hugging Face.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use showrunner_providers::piper::catalog::{self, CatalogError, CatalogVoice, DownloadProgress};
use showrunner_providers::piper::{self, PiperError};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::base_urls::check_address;
use crate::local_voices::InstalledVoiceView;
use crate::{ApiError, App, ErrorCode};

/// Overrides the catalog's address (a mirror, or a local server in tests).
pub const CATALOG_URL_ENV: &str = "SHOWRUNNER_PIPER_CATALOG_URL";
/// The saved address, when the producer set one.
pub const CATALOG_URL_SETTING: &str = "piper.catalog_url";

/// One downloadable voice.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CatalogVoiceView {
    /// e.g. `en_US-joe-medium`: what `voices download` takes, and the installed voice's name.
    pub key: String,
    /// e.g. `en_US`.
    pub language: String,
    /// e.g. `English (United States)`.
    pub language_name: String,
    pub quality: String,
    pub speakers: u32,
    /// Model and config together: what the download fetches.
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub installed: bool,
    /// A download of this voice is under way.
    pub downloading: bool,
}

/// A language the catalog has voices in, for the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CatalogLanguage {
    pub code: String,
    pub name: String,
    pub voices: u32,
}

/// The catalog as the Catalog tab shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VoiceCatalogView {
    /// The voices in the chosen language (all when none was chosen), by key.
    pub voices: Vec<CatalogVoiceView>,
    /// Every language in the catalog, by code.
    pub languages: Vec<CatalogLanguage>,
    /// Where the catalog was read from.
    pub url: String,
}

/// Where a download stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct VoiceDownloadProgress {
    #[ts(type = "number")]
    pub received_bytes: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

impl From<DownloadProgress> for VoiceDownloadProgress {
    fn from(p: DownloadProgress) -> VoiceDownloadProgress {
        VoiceDownloadProgress {
            received_bytes: p.received_bytes,
            total_bytes: p.total_bytes,
        }
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> ApiError {
        let code = match &e {
            CatalogError::Unreachable(_) | CatalogError::Invalid(_) => ErrorCode::Provider,
            CatalogError::UnknownVoice(_) => ErrorCode::NotFound,
            CatalogError::ChecksumMismatch { .. } => ErrorCode::VoiceInvalid,
            CatalogError::Cancelled => ErrorCode::Cancelled,
            CatalogError::Storage(_) => ErrorCode::Storage,
        };
        ApiError {
            code,
            message: e.to_string(),
            details: Some(serde_json::json!({ "reason": e.code() })),
        }
    }
}

/// Where the catalog's address in force came from: the Voices section lets the producer change it only when
/// the environment does not pin it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CatalogAddressSource {
    /// `SHOWRUNNER_PIPER_CATALOG_URL` was set when the app opened; a saved address is ignored.
    Environment,
    /// The producer saved it.
    Setting,
    /// Hugging Face's rhasspy/piper-voices.
    Default,
}

/// The catalog's address in force and where it came from. Read on its own, so a producer whose catalog is
/// unreachable can still see and change the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CatalogAddress {
    pub url: String,
    pub source: CatalogAddressSource,
    /// The address used when none is saved.
    pub default_url: String,
}

/// The catalog's address in force.
pub async fn catalog_address(app: &App) -> CatalogAddress {
    let (url, source) = if let Some(url) = app.environment().get(CATALOG_URL_ENV) {
        (url.trim().to_owned(), CatalogAddressSource::Environment)
    } else {
        match app.store().setting(CATALOG_URL_SETTING).await {
            Ok(Some(serde_json::Value::String(url))) if !url.trim().is_empty() => (url, CatalogAddressSource::Setting),
            _ => (catalog::DEFAULT_CATALOG_URL.to_owned(), CatalogAddressSource::Default),
        }
    };
    CatalogAddress {
        url,
        source,
        default_url: catalog::DEFAULT_CATALOG_URL.to_owned(),
    }
}

/// Saves the catalog's address (`None` or blank: back to Hugging Face). Plain http only on this machine or
/// the local network, as for provider addresses. Refused while the environment pins the address, since the
/// saved one would silently not apply.
pub async fn set_catalog_url(app: &App, url: Option<String>) -> Result<CatalogAddress, ApiError> {
    if app.environment().get(CATALOG_URL_ENV).is_some() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "url",
            &format!(
                "The catalog's address is set by {CATALOG_URL_ENV} in the environment; unset it to choose one here."
            ),
        ));
    }
    let url = url
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty());
    if let Some(url) = &url {
        check_address("the voice catalog", url)
            .map_err(|e| ApiError::field(ErrorCode::InvalidInput, "url", e.message()))?;
    }
    let value = url.map(serde_json::Value::String).unwrap_or(serde_json::Value::Null);
    app.store()
        .put_setting(CATALOG_URL_SETTING, &value, app.now_ms())
        .await?;
    Ok(catalog_address(app).await)
}

async fn fetch(app: &App) -> Result<(String, Vec<CatalogVoice>), ApiError> {
    let url = catalog_address(app).await.url;
    check_address("the voice catalog", &url)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.message().to_owned()))?;
    let client = catalog::client()?;
    let voices = catalog::fetch_catalog(&client, &url).await?;
    Ok((url, voices))
}

/// The downloadable voices, in `language` (a code such as `en_US`, or a family such as `en`) when given.
pub async fn list_catalog_voices(app: &App, language: Option<&str>) -> Result<VoiceCatalogView, ApiError> {
    let (url, voices) = fetch(app).await?;
    let local = app.local_speech();
    let installed: Vec<String> = {
        let dir = local.voices_dir().to_path_buf();
        tokio::task::spawn_blocking(move || piper::installed(&dir).into_iter().map(|v| v.name).collect())
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
    };
    let mut languages: BTreeMap<String, CatalogLanguage> = BTreeMap::new();
    for v in &voices {
        languages
            .entry(v.language.clone())
            .or_insert_with(|| CatalogLanguage {
                code: v.language.clone(),
                name: v.language_name.clone(),
                voices: 0,
            })
            .voices += 1;
    }
    let wanted = language.map(str::trim).filter(|l| !l.is_empty());
    let matches = |code: &str| match wanted {
        None => true,
        Some(w) => code.eq_ignore_ascii_case(w) || code.split('_').next().is_some_and(|f| f.eq_ignore_ascii_case(w)),
    };
    let mut listed: Vec<CatalogVoiceView> = voices
        .iter()
        .filter(|v| matches(&v.language))
        .map(|v| CatalogVoiceView {
            key: v.key.clone(),
            language: v.language.clone(),
            language_name: v.language_name.clone(),
            quality: v.quality.clone(),
            speakers: v.speakers,
            size_bytes: v.size_bytes(),
            installed: installed.contains(&v.key),
            downloading: local.downloading(&v.key),
        })
        .collect();
    listed.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(VoiceCatalogView {
        voices: listed,
        languages: languages.into_values().collect(),
        url,
    })
}

/// Removes the cancel handle of a download when it ends, however it ends.
struct DownloadSlot<'a> {
    app: &'a App,
    key: String,
}

impl Drop for DownloadSlot<'_> {
    fn drop(&mut self) {
        self.app.local_speech().end_download(&self.key);
    }
}

/// Downloads the catalog voice `key` (progress through `progress`), checks it against the catalog and
/// installs it. Refused: an unknown key, a voice already installed, a download of it already running.
pub async fn download_catalog_voice(
    app: &App,
    key: &str,
    progress: Arc<dyn Fn(VoiceDownloadProgress) + Send + Sync>,
) -> Result<InstalledVoiceView, ApiError> {
    let key = key.trim().to_owned();
    let local = app.local_speech().clone();
    if local.voices_dir().join(&key).is_dir() && piper::valid_name(&key) {
        return Err(PiperError::AlreadyInstalled(key).into());
    }
    let (url, voices) = fetch(app).await?;
    let voice = voices
        .into_iter()
        .find(|v| v.key == key)
        .ok_or_else(|| CatalogError::UnknownVoice(key.clone()))?;
    let cancel = local
        .begin_download(&key)
        .ok_or_else(|| ApiError::new(ErrorCode::Conflict, format!("{key} is already being downloaded.")))?;
    let _slot = DownloadSlot { app, key: key.clone() };
    let client = catalog::client()?;
    let report = move |p: DownloadProgress| progress(p.into());
    let model = catalog::download(&client, &url, &voice, local.voices_dir(), &cancel, &report).await?;
    let dir = local.voices_dir().to_path_buf();
    let partial = catalog::partial_dir(&dir, &key);
    let installed = tokio::task::spawn_blocking(move || {
        let installed = piper::install(&dir, &model);
        // Without ONNX Runtime the checked files are kept, so installing the runtime and trying again needs
        // no second download; any other refusal means the files are of no use.
        if !matches!(installed, Err(PiperError::RuntimeMissing { .. })) {
            let _ = std::fs::remove_dir_all(&partial);
        }
        installed
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    Ok(InstalledVoiceView::from(&installed))
}

/// Cancels the download of `key`; false when none was running.
pub fn cancel_voice_download(app: &App, key: &str) -> bool {
    app.local_speech().cancel_download(key.trim())
}

/// The cancel handles of running downloads, by voice key (kept in [`crate::local_voices::LocalSpeech`]).
#[derive(Default)]
pub(crate) struct Downloads(std::sync::Mutex<BTreeMap<String, CancellationToken>>);

impl Downloads {
    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, CancellationToken>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn begin(&self, key: &str) -> Option<CancellationToken> {
        let mut map = self.map();
        if map.contains_key(key) {
            return None;
        }
        let token = CancellationToken::new();
        map.insert(key.to_owned(), token.clone());
        Some(token)
    }

    pub(crate) fn end(&self, key: &str) {
        self.map().remove(key);
    }

    pub(crate) fn cancel(&self, key: &str) -> bool {
        match self.map().get(key) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    pub(crate) fn running(&self, key: &str) -> bool {
        self.map().contains_key(key)
    }
}
