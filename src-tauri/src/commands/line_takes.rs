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
