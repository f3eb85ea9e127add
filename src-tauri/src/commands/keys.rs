use showrunner_api::dto::{KeyStatusView, ProviderInfo};
use showrunner_api::local_models::{self, LocalModelsView};
use showrunner_api::provider_limits::{self, ProviderLimitView};
use showrunner_api::routing::RoutePlanView;
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

/// `concurrent: None` puts the provider back on its usual number; refused outside 1–64 with nothing saved.
#[tauri::command]
pub async fn set_provider_limit(
    app: AppState<'_>,
    provider: String,
    concurrent: Option<u32>,
) -> Result<ProviderLimitView> {
    provider_limits::set_provider_limit(&app, &provider, concurrent).await
}

/// `requests_per_minute: None` lets the provider's own 429s pace it again; refused outside 1–100,000.
#[tauri::command]
pub async fn set_provider_rate(
    app: AppState<'_>,
    provider: String,
    requests_per_minute: Option<u32>,
) -> Result<ProviderLimitView> {
    provider_limits::set_provider_rate(&app, &provider, requests_per_minute).await
}

/// Probes Ollama and LM Studio on this computer (a short timeout each) and lists their models.
#[tauri::command]
pub async fn local_models(app: AppState<'_>) -> Result<LocalModelsView> {
    local_models::local_models(&app).await
}

/// Puts a local model first on every writing route; the reply is the updated route plan.
#[tauri::command]
pub async fn use_local_model(app: AppState<'_>, provider: Option<String>, model: String) -> Result<RoutePlanView> {
    local_models::use_local_model(&app, provider.as_deref(), &model).await
}
