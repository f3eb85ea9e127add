use showrunner_api::voices::{self, VoiceOption};

use super::{AppState, Result};

/// The voices a speech engine offers, for the host-voice pickers on the show form.
#[tauri::command]
pub async fn list_voices(app: AppState<'_>, engine_id: String) -> Result<Vec<VoiceOption>> {
    voices::list_voices(&app, &engine_id).await
}
