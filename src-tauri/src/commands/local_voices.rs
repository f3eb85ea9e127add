//! The Voices section: installed Piper voices (list, install from files, remove, ▶ sample) and the voice
//! catalog (list, download with progress, cancel).

use std::sync::Arc;

use showrunner_api::dto::PlaybackView;
use showrunner_api::local_voices::{self, InstalledVoiceView, VoicesView};
use showrunner_api::voice_catalog::{self, CatalogAddress, VoiceCatalogView, VoiceDownloadProgress};
use tauri::ipc::Channel;

use super::{AppState, Result};

#[tauri::command]
pub async fn list_installed_voices(app: AppState<'_>) -> Result<VoicesView> {
    local_voices::list_installed_voices(&app).await
}

/// `path` is the `.onnx` the file dialog picked; `config_path` its `.onnx.json` when not beside it.
#[tauri::command]
pub async fn install_voice(app: AppState<'_>, path: String, config_path: Option<String>) -> Result<InstalledVoiceView> {
    local_voices::install_voice_pair(&app, &path, config_path.as_deref()).await
}

#[tauri::command]
pub async fn remove_voice(app: AppState<'_>, name: String) -> Result<()> {
    local_voices::remove_voice(&app, &name).await
}

#[tauri::command]
pub async fn play_voice_sample(app: AppState<'_>, voice: String) -> Result<PlaybackView> {
    local_voices::play_voice_sample(&app, &voice).await
}

#[tauri::command]
pub async fn voice_catalog(app: AppState<'_>, language: Option<String>) -> Result<VoiceCatalogView> {
    voice_catalog::list_catalog_voices(&app, language.as_deref()).await
}

#[tauri::command]
pub async fn voice_catalog_address(app: AppState<'_>) -> Result<CatalogAddress> {
    Ok(voice_catalog::catalog_address(&app).await)
}

/// `url` null or blank: back to the default catalog.
#[tauri::command]
pub async fn set_voice_catalog_address(app: AppState<'_>, url: Option<String>) -> Result<CatalogAddress> {
    voice_catalog::set_catalog_url(&app, url).await
}

/// Downloads and installs a catalog voice, sending its progress on `on_progress`.
#[tauri::command]
pub async fn download_catalog_voice(
    app: AppState<'_>,
    key: String,
    on_progress: Channel<VoiceDownloadProgress>,
) -> Result<InstalledVoiceView> {
    let progress = Arc::new(move |p: VoiceDownloadProgress| {
        let _ = on_progress.send(p);
    });
    voice_catalog::download_catalog_voice(&app, &key, progress).await
}

#[tauri::command]
pub async fn cancel_voice_download(app: AppState<'_>, key: String) -> Result<bool> {
    Ok(voice_catalog::cancel_voice_download(&app, &key))
}
