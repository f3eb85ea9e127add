use showrunner_api::domain::{EpisodeId, ProducerSource, ShowId, SourceId};
use showrunner_api::sources::{self, SourceInput, SourcesAdded};

use super::{AppState, Result};

#[tauri::command]
pub async fn add_episode_sources(
    app: AppState<'_>,
    episode_id: EpisodeId,
    inputs: Vec<SourceInput>,
) -> Result<SourcesAdded> {
    sources::add_episode_sources(&app, &episode_id, &inputs).await
}

#[tauri::command]
pub async fn list_episode_sources(app: AppState<'_>, episode_id: EpisodeId) -> Result<Vec<ProducerSource>> {
    sources::list_episode_sources(&app, &episode_id).await
}

#[tauri::command]
pub async fn remove_episode_source(app: AppState<'_>, episode_id: EpisodeId, source_id: SourceId) -> Result<()> {
    sources::remove_episode_source(&app, &episode_id, &source_id).await
}

#[tauri::command]
pub async fn add_show_sources(app: AppState<'_>, show_id: ShowId, inputs: Vec<SourceInput>) -> Result<SourcesAdded> {
    sources::add_show_sources(&app, &show_id, &inputs).await
}

#[tauri::command]
pub async fn list_show_sources(app: AppState<'_>, show_id: ShowId) -> Result<Vec<ProducerSource>> {
    sources::list_show_sources(&app, &show_id).await
}

#[tauri::command]
pub async fn remove_show_source(app: AppState<'_>, show_id: ShowId, source_id: SourceId) -> Result<()> {
    sources::remove_show_source(&app, &show_id, &source_id).await
}
