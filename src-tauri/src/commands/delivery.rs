use std::path::PathBuf;

use showrunner_api::domain::{EpisodeId, ShowId};
use showrunner_api::export::ExportedPackage;
use showrunner_api::feed::FeedSettings;
use showrunner_api::waveform::WaveformView;
use showrunner_api::{export, feed, waveform, ApiError, ErrorCode};

use tauri_plugin_dialog::DialogExt;

use super::{AppState, Result};
use crate::picker_stand_in;

/// Export…'s folder picker; `None` when the producer cancels. Asked from Rust rather than the dialog
/// plugin's JS so a debug build under test can answer it (`picker_stand_in`).
#[tauri::command]
pub async fn pick_export_folder(window: tauri::WebviewWindow, title: String) -> Result<Option<PathBuf>> {
    if let Some(folder) = picker_stand_in::picked_folder() {
        tracing::info!(folder = %folder.display(), "folder picker answered by {}", picker_stand_in::VARIABLE);
        return Ok(Some(folder));
    }
    let (reply, picked) = tokio::sync::oneshot::channel();
    let dialog = window.dialog().file().set_title(title);
    // As the plugin's own `open` does: GTK dialogs misbehave with a parent set.
    #[cfg(any(windows, target_os = "macos"))]
    let dialog = dialog.set_parent(&window);
    dialog.pick_folder(move |folder| {
        let _ = reply.send(folder);
    });
    let folder = picked
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the folder picker closed without an answer"))?;
    folder
        .map(|f| {
            f.into_path()
                .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("that folder cannot be used: {e}")))
        })
        .transpose()
}

/// Exports into a folder the producer picked: the package is a new folder inside it.
#[tauri::command]
pub async fn export_episode(
    app: AppState<'_>,
    episode_id: EpisodeId,
    parent: PathBuf,
    draft: bool,
) -> Result<ExportedPackage> {
    export::export_into(&app, &episode_id, &parent, draft).await
}

#[tauri::command]
pub async fn get_waveform(app: AppState<'_>, episode_id: EpisodeId) -> Result<WaveformView> {
    waveform::get_waveform(&app, &episode_id).await
}

#[tauri::command]
pub async fn feed_settings(app: AppState<'_>, show_id: ShowId) -> Result<Option<FeedSettings>> {
    feed::feed_settings(&app, &show_id).await
}

#[tauri::command]
pub async fn set_feed_settings(app: AppState<'_>, show_id: ShowId, settings: FeedSettings) -> Result<FeedSettings> {
    feed::set_feed_settings(&app, &show_id, settings).await
}
