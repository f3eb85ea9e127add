//! App-wide events: every run change becomes a typed "episode-changed" event so lists and badges refresh.
//! High-rate data (run progress, playback position) goes over per-view channels instead.

use showrunner_api::{episodes, App};
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

pub const EPISODE_CHANGED: &str = "episode-changed";

pub fn forward_episode_changes(handle: AppHandle, app: App) {
    let mut changes = app.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(change) => {
                    if let Ok(event) = episodes::episode_changed(&app, &change).await {
                        let _ = handle.emit(EPISODE_CHANGED, event);
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    });
}
