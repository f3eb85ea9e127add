use showrunner_api::dto::{KeyStatusView, ProviderInfo};
use showrunner_api::keys;
use showrunner_secrets::Sensitive;

use super::{AppState, Result};

#[tauri::command]
pub async fn list_providers(app: AppState<'_>) -> Result<Vec<ProviderInfo>> {
    keys::list_providers(&app).await
}

/// The key arrives wrapped: it cannot be logged or serialized back, and the reply carries only its status.
#[tauri::command]
pub async fn set_api_key(app: AppState<'_>, provider: String, key: Sensitive<String>) -> Result<KeyStatusView> {
    keys::set_api_key(&app, &provider, key).await
}

#[tauri::command]
pub async fn clear_api_key(app: AppState<'_>, provider: String) -> Result<KeyStatusView> {
    keys::clear_api_key(&app, &provider).await
}
