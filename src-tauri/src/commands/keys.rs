use showrunner_api::dto::{KeyStatusView, ProviderInfo};
use showrunner_api::{base_urls, keys};
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

/// `url: None` (or blank) puts the provider back on its own address; the reply is the provider's updated card.
#[tauri::command]
pub async fn set_base_url(app: AppState<'_>, provider: String, url: Option<String>) -> Result<ProviderInfo> {
    base_urls::set_base_url(&app, &provider, url).await
}
