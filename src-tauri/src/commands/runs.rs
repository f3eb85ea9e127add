use showrunner_api::domain::{ArtifactId, RunId};
use showrunner_api::dto::{ArtifactView, RunView};
use showrunner_api::runs;
use tauri::ipc::Channel;

use super::{AppState, Result};

/// Streams the run's view on `on_progress` until the window stops listening.
#[tauri::command]
pub async fn watch_run(app: AppState<'_>, run_id: RunId, on_progress: Channel<RunView>) -> Result<()> {
    let app = app.inner().clone();
    let first = runs::run_view(&app, &run_id).await?;
    tauri::async_runtime::spawn(async move {
        if on_progress.send(first).is_ok() {
            let _ = runs::watch_run(&app, &run_id, |view| on_progress.send(view).is_ok()).await;
        }
    });
    Ok(())
}

#[tauri::command]
pub async fn get_artifact(app: AppState<'_>, artifact_id: ArtifactId) -> Result<ArtifactView> {
    runs::get_artifact(&app, &artifact_id).await
}

#[tauri::command]
pub async fn cancel_run(app: AppState<'_>, run_id: RunId) -> Result<()> {
    runs::cancel_run(&app, &run_id).await
}

/// Continues a run the storage stopped (a full disk), once the producer freed space.
#[tauri::command]
pub async fn resume_run(app: AppState<'_>, run_id: RunId) -> Result<()> {
    runs::resume_run(&app, &run_id).await
}
