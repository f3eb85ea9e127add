use std::path::PathBuf;

use showrunner_api::domain::{MusicSlot, Show, ShowId};
use showrunner_api::show_assets;

use super::{AppState, Result};

#[tauri::command]
pub async fn set_show_music(app: AppState<'_>, show_id: ShowId, slot: MusicSlot, path: PathBuf) -> Result<Show> {
    show_assets::set_show_music(&app, &show_id, slot, &path).await
}

#[tauri::command]
pub async fn clear_show_music(app: AppState<'_>, show_id: ShowId, slot: MusicSlot) -> Result<Show> {
    show_assets::clear_show_music(&app, &show_id, slot).await
}

#[tauri::command]
pub async fn set_show_artwork(app: AppState<'_>, show_id: ShowId, path: PathBuf) -> Result<Show> {
    show_assets::set_show_artwork(&app, &show_id, &path).await
}

#[tauri::command]
pub async fn clear_show_artwork(app: AppState<'_>, show_id: ShowId) -> Result<Show> {
    show_assets::clear_show_artwork(&app, &show_id).await
}
