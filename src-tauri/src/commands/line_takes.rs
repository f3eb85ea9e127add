use showrunner_api::domain::EpisodeId;
use showrunner_api::line_takes::{self, KeepTake, LineTakesView, RegenerateLine, TakeChosen};

use super::{AppState, Result};

#[tauri::command]
pub async fn regenerate_line(app: AppState<'_>, episode_id: EpisodeId, request: RegenerateLine) -> Result<TakeChosen> {
    line_takes::regenerate_line(&app, &episode_id, request).await
}

#[tauri::command]
pub async fn line_takes(app: AppState<'_>, episode_id: EpisodeId, line_id: String) -> Result<LineTakesView> {
    line_takes::line_takes(&app, &episode_id, &line_id).await
}

#[tauri::command]
pub async fn keep_take(app: AppState<'_>, episode_id: EpisodeId, request: KeepTake) -> Result<TakeChosen> {
    line_takes::keep_take(&app, &episode_id, request).await
}

#[tauri::command]
pub async fn player_load_take(
    app: AppState<'_>,
    episode_id: EpisodeId,
    line_id: String,
    take: u32,
) -> Result<showrunner_api::dto::PlaybackView> {
    line_takes::load_take(&app, &episode_id, &line_id, take).await
}

#[tauri::command]
pub async fn draft_master(
    app: AppState<'_>,
    episode_id: EpisodeId,
) -> Result<Option<showrunner_api::draft_master::DraftMasterView>> {
    showrunner_api::draft_master::draft_master(&app, &episode_id).await
}

#[tauri::command]
pub async fn player_load_draft(app: AppState<'_>, episode_id: EpisodeId) -> Result<showrunner_api::dto::PlaybackView> {
    showrunner_api::draft_master::load(&app, &episode_id).await
}

#[tauri::command]
pub async fn revoice_estimate(
    app: AppState<'_>,
    episode_id: EpisodeId,
    request: showrunner_api::revoice::Revoice,
) -> Result<showrunner_api::revoice::RevoiceEstimate> {
    showrunner_api::revoice::revoice_estimate(&app, &episode_id, &request).await
}

#[tauri::command]
pub async fn revoice(
    app: AppState<'_>,
    episode_id: EpisodeId,
    request: showrunner_api::revoice::Revoice,
) -> Result<showrunner_api::revoice::RevoiceEstimate> {
    showrunner_api::revoice::revoice(&app, &episode_id, request).await
}
