use showrunner_api::domain::EpisodeId;
use showrunner_api::dto::PlaybackView;
use showrunner_api::playback;
use tauri::ipc::Channel;

use super::{AppState, Result};

#[tauri::command]
pub async fn player_load(app: AppState<'_>, episode_id: EpisodeId) -> Result<PlaybackView> {
    playback::load(&app, &episode_id).await
}

#[tauri::command]
pub async fn player_play(app: AppState<'_>) -> Result<PlaybackView> {
    playback::play(&app).await
}

#[tauri::command]
pub async fn player_pause(app: AppState<'_>) -> Result<PlaybackView> {
    playback::pause(&app).await
}

#[tauri::command]
pub async fn player_seek(app: AppState<'_>, position_ms: u64) -> Result<PlaybackView> {
    playback::seek(&app, position_ms).await
}

/// Streams the player's position on `on_state` until the window stops listening.
#[tauri::command]
pub async fn watch_player(app: AppState<'_>, on_state: Channel<PlaybackView>) -> Result<()> {
    let app = app.inner().clone();
    tauri::async_runtime::spawn(async move {
        let _ = playback::watch(&app, |state| on_state.send(state).is_ok()).await;
    });
    Ok(())
}
