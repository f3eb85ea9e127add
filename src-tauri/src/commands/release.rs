use showrunner_api::domain::EpisodeId;
use showrunner_api::dto::ReleaseView;
use showrunner_api::release;

use super::{AppState, Result};

#[tauri::command]
pub async fn get_release(app: AppState<'_>, episode_id: EpisodeId) -> Result<ReleaseView> {
    release::get_release(&app, &episode_id).await
}

#[tauri::command]
pub async fn approve_release(app: AppState<'_>, episode_id: EpisodeId, note: String) -> Result<()> {
    release::approve_release(&app, &episode_id, &note).await
}

#[tauri::command]
pub async fn send_back(app: AppState<'_>, episode_id: EpisodeId, stage: String, note: String) -> Result<()> {
    release::send_back(&app, &episode_id, &stage, &note).await
}
