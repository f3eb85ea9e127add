use showrunner_api::batch::{self, BatchRow, BatchRowResult};
use showrunner_api::domain::{Episode, EpisodeId, NewEpisode};
use showrunner_api::dto::EpisodeDetail;
use showrunner_api::episodes;
use showrunner_api::estimate::{self, CostEstimate, EstimateRequest};

use super::{AppState, Result};

#[tauri::command]
pub async fn list_episodes(app: AppState<'_>) -> Result<Vec<Episode>> {
    episodes::list_episodes(&app).await
}

#[tauri::command]
pub async fn start_episode(
    app: AppState<'_>,
    input: NewEpisode,
    sources: Option<Vec<showrunner_api::sources::SourceInput>>,
) -> Result<Episode> {
    episodes::start_episode_with_sources(&app, input, &sources.unwrap_or_default()).await
}

#[tauri::command]
pub async fn get_episode(app: AppState<'_>, episode_id: EpisodeId) -> Result<EpisodeDetail> {
    episodes::get_episode(&app, &episode_id).await
}

#[tauri::command]
pub async fn start_episodes(app: AppState<'_>, rows: Vec<BatchRow>) -> Result<Vec<BatchRowResult>> {
    batch::start_episodes(&app, rows).await
}

#[tauri::command]
pub async fn estimate_cost(app: AppState<'_>, request: EstimateRequest) -> Result<CostEstimate> {
    estimate::estimate_cost(&app, &request).await
}
