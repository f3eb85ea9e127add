use showrunner_api::domain::EpisodeId;
use showrunner_api::dto::ScriptView;
use showrunner_api::script;

use super::{AppState, Result};

#[tauri::command]
pub async fn get_script(app: AppState<'_>, episode_id: EpisodeId) -> Result<ScriptView> {
    script::get_script(&app, &episode_id).await
}

#[tauri::command]
pub async fn edit_line(app: AppState<'_>, episode_id: EpisodeId, line_id: String, text: String) -> Result<ScriptView> {
    script::edit_line(&app, &episode_id, &line_id, &text).await
}

#[tauri::command]
pub async fn approve_script(app: AppState<'_>, episode_id: EpisodeId, note: String) -> Result<()> {
    script::approve_script(&app, &episode_id, &note).await
}
