use std::path::PathBuf;

use showrunner_api::domain::{EpisodeId, ShowId};
use showrunner_api::export::ExportedPackage;
use showrunner_api::feed::FeedSettings;
use showrunner_api::waveform::WaveformView;
use showrunner_api::{export, feed, waveform};

use super::{AppState, Result};

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
