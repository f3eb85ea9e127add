use showrunner_api::domain::{Money, RunId};
use showrunner_api::dto::RunView;
use showrunner_api::ledger::{self, LedgerView};
use showrunner_api::runs;

use super::{AppState, Result};

#[tauri::command]
pub async fn run_ledger(app: AppState<'_>, run_id: RunId) -> Result<LedgerView> {
    ledger::run_ledger(&app, &run_id).await
}

/// One call's stored answer, only when the producer asks to see it.
#[tauri::command]
pub async fn call_answer(app: AppState<'_>, run_id: RunId, call_id: i64) -> Result<serde_json::Value> {
    ledger::call_answer(&app, &run_id, call_id).await
}

#[tauri::command]
pub async fn raise_budget(app: AppState<'_>, run_id: RunId, new_cap: Money) -> Result<RunView> {
    runs::raise_budget(&app, &run_id, new_cap).await
}
