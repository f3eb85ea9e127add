//! App-wide events: every run change becomes a typed "episode-changed" event so lists and badges refresh,
//! and an OS notification when a run starts waiting for the producer or fails while the window is in the
//! background. High-rate data (run progress, playback position) goes over per-view channels instead.

use std::collections::HashMap;

use showrunner_api::domain::{EpisodeId, EpisodeStatus};
use showrunner_api::{episodes, App};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

pub const EPISODE_CHANGED: &str = "episode-changed";

/// What to tell a producer who is not looking, for the statuses that need them.
fn attention(status: EpisodeStatus, topic: &str) -> Option<(&'static str, String)> {
    match status {
        EpisodeStatus::AwaitingScriptSignoff => Some(("Script ready to sign off", format!("“{topic}” waits for you."))),
        EpisodeStatus::AwaitingRelease => Some(("Ready to release", format!("Listen to “{topic}” and decide."))),
        EpisodeStatus::NeedsAttention => Some(("A run needs you", format!("“{topic}” stopped for your decision."))),
        EpisodeStatus::Failed => Some(("A run failed", format!("“{topic}” failed; open it to retry."))),
        _ => None,
    }
}

fn window_focused(handle: &AppHandle) -> bool {
    handle
        .get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false)
}

pub fn forward_episode_changes(handle: AppHandle, app: App) {
    let mut changes = app.subscribe();
    tauri::async_runtime::spawn(async move {
        // Notify once per status an episode enters, not on every change while it rests there.
        let mut last: HashMap<EpisodeId, EpisodeStatus> = HashMap::new();
        loop {
            match changes.recv().await {
                Ok(change) => {
                    if let Ok(event) = episodes::episode_changed(&app, &change).await {
                        let entered = last.insert(event.episode_id.clone(), event.status) != Some(event.status);
                        if entered && !window_focused(&handle) {
                            if let Some((title, body)) = attention(event.status, &event.topic) {
                                if let Err(e) = handle.notification().builder().title(title).body(body).show() {
                                    tracing::warn!("could not show a notification: {e}");
                                }
                            }
                        }
                        let _ = handle.emit(EPISODE_CHANGED, event);
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    });
}
