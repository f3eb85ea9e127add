use showrunner_api::decisions::{self, ProducerDecision};
use showrunner_api::domain::{RunId, StageId};
use showrunner_api::dto::RunView;

use super::{AppState, Result};

/// Applies the producer's decision at the park the run is at (`at`: the stage the window showed waiting).
#[tauri::command]
pub async fn decide(app: AppState<'_>, run_id: RunId, at: StageId, decision: ProducerDecision) -> Result<RunView> {
    decisions::decide(&app, &run_id, &at, decision).await
}
