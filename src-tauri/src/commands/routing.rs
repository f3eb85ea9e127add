use showrunner_api::connection::{self, ConnectionVerdict};
use showrunner_api::routing::{self, RoutePlan, RoutePlanView};

use super::{AppState, Result};

#[tauri::command]
pub async fn route_plan(app: AppState<'_>) -> Result<RoutePlanView> {
    routing::route_plan(&app).await
}

#[tauri::command]
pub async fn save_route_plan(app: AppState<'_>, plan: RoutePlan) -> Result<RoutePlanView> {
    routing::save_route_plan(&app, plan).await
}

/// Asks the provider its cheapest question with the key and base URL a run would use.
#[tauri::command]
pub async fn test_connection(app: AppState<'_>, provider: String) -> Result<ConnectionVerdict> {
    connection::test_connection(&app, &provider).await
}
