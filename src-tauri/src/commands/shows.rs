use showrunner_api::domain::{BrandVoice, Show, ShowId};
use showrunner_api::shows;

use super::{AppState, Result};

#[tauri::command]
pub async fn list_shows(app: AppState<'_>) -> Result<Vec<Show>> {
    shows::list_shows(&app).await
}

#[tauri::command]
pub async fn starter_brand_voice(name: String) -> Result<BrandVoice> {
    Ok(shows::starter_brand_voice(&name))
}

#[tauri::command]
pub async fn create_show(app: AppState<'_>, brand: BrandVoice) -> Result<Show> {
    shows::create_show(&app, brand).await
}

#[tauri::command]
pub async fn update_show(app: AppState<'_>, show_id: ShowId, brand: BrandVoice) -> Result<Show> {
    shows::update_show(&app, &show_id, brand).await
}
