use showrunner_api::domain::ShowId;
use showrunner_api::prompts::{self, PromptDiff, PromptSave, PromptTemplateView};

use super::{AppState, Result};

#[tauri::command]
pub async fn list_prompts(app: AppState<'_>, show_id: ShowId) -> Result<Vec<PromptTemplateView>> {
    prompts::list_prompts(&app, &show_id).await
}

#[tauri::command]
pub async fn prompt_history(
    app: AppState<'_>,
    show_id: ShowId,
    template_id: String,
) -> Result<Vec<PromptTemplateView>> {
    prompts::prompt_history(&app, &show_id, &template_id).await
}

#[tauri::command]
pub async fn diff_prompt(
    app: AppState<'_>,
    show_id: ShowId,
    template_id: String,
    version: Option<u32>,
) -> Result<PromptDiff> {
    prompts::diff_prompt(&app, &show_id, &template_id, version).await
}

#[tauri::command]
pub async fn save_prompt(app: AppState<'_>, show_id: ShowId, save: PromptSave) -> Result<PromptTemplateView> {
    prompts::save_prompt(&app, &show_id, save).await
}

#[tauri::command]
pub async fn rollback_prompt(
    app: AppState<'_>,
    show_id: ShowId,
    template_id: String,
    version: u32,
) -> Result<PromptTemplateView> {
    prompts::rollback_prompt(&app, &show_id, &template_id, version, "").await
}
