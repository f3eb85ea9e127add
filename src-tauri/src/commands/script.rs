use showrunner_api::domain::EpisodeId;
use showrunner_api::dto::ScriptView;
use showrunner_api::script::{self, ScriptEditRequest};
use showrunner_api::script_room::{ScriptDiff, ScriptVersion};

use super::{AppState, Result};

#[tauri::command]
pub async fn get_script(app: AppState<'_>, episode_id: EpisodeId) -> Result<ScriptView> {
    script::get_script(&app, &episode_id).await
}

#[tauri::command]
pub async fn get_script_version(app: AppState<'_>, episode_id: EpisodeId, version: u32) -> Result<ScriptView> {
    script::get_script_version(&app, &episode_id, version).await
}

#[tauri::command]
pub async fn script_versions(app: AppState<'_>, episode_id: EpisodeId) -> Result<Vec<ScriptVersion>> {
    script::script_versions(&app, &episode_id).await
}

#[tauri::command]
pub async fn diff_script(app: AppState<'_>, episode_id: EpisodeId, from: u32, to: u32) -> Result<ScriptDiff> {
    script::diff_versions(&app, &episode_id, from, to).await
}

#[tauri::command]
pub async fn edit_script(app: AppState<'_>, episode_id: EpisodeId, request: ScriptEditRequest) -> Result<ScriptView> {
    script::edit_script(&app, &episode_id, request).await
}

#[tauri::command]
pub async fn edit_line(
    app: AppState<'_>,
    episode_id: EpisodeId,
    line_id: String,
    text: String,
    base_version: u32,
) -> Result<ScriptView> {
    script::edit_line(&app, &episode_id, &line_id, &text, base_version).await
}

#[tauri::command]
pub async fn restore_script_version(
    app: AppState<'_>,
    episode_id: EpisodeId,
    version: u32,
    base_version: u32,
) -> Result<ScriptView> {
    script::restore_version(&app, &episode_id, version, base_version).await
}

#[tauri::command]
pub async fn send_back_script(app: AppState<'_>, episode_id: EpisodeId, stage: String, note: String) -> Result<()> {
    script::send_back_script(&app, &episode_id, &stage, &note).await
}

#[tauri::command]
pub async fn approve_script(app: AppState<'_>, episode_id: EpisodeId, note: String) -> Result<()> {
    script::approve_script(&app, &episode_id, &note).await
}
