//! Script sign-off: read the script with its facts, edit a line, approve.

use showrunner_domain::artifacts::{ResearchPackage, Script};
use showrunner_domain::{ArtifactKind, DecisionKind, EpisodeId, ParkReason, RunStatus, StageId};
use showrunner_engine::HumanDecision;
use showrunner_production::stage_ids::SCRIPT_SIGNOFF;
use showrunner_store::{NewArtifact, RunRecord};

use crate::dto::ScriptView;
use crate::runs::meta;
use crate::{ApiError, App, ErrorCode};

pub const MAX_LINE_CHARS: usize = 2_000;

pub(crate) async fn current_run(app: &App, episode_id: &EpisodeId) -> Result<RunRecord, ApiError> {
    app.store()
        .latest_run(episode_id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "This episode has not started production yet."))
}

pub(crate) fn parked_at(run: &RunRecord, stage: &str) -> bool {
    run.status == RunStatus::Parked
        && matches!(&run.park, Some(ParkReason::HumanGate { stage: s }) if s.as_str() == stage)
}

pub async fn get_script(app: &App, episode_id: &EpisodeId) -> Result<ScriptView, ApiError> {
    let run = current_run(app, episode_id).await?;
    let record = app
        .store()
        .latest_artifact(&run.id, ArtifactKind::Script)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The script has not been written yet."))?;
    let script: Script = serde_json::from_value(record.content.clone())
        .map_err(|e| ApiError::new(ErrorCode::Storage, format!("The stored script cannot be read: {e}")))?;
    let research = match app
        .store()
        .latest_artifact(&run.id, ArtifactKind::ResearchPackage)
        .await?
    {
        Some(r) => serde_json::from_value::<ResearchPackage>(r.content).ok(),
        None => None,
    };
    Ok(ScriptView {
        episode_id: episode_id.clone(),
        artifact: meta(&record),
        script,
        research,
        editable: parked_at(&run, SCRIPT_SIGNOFF),
    })
}

/// Saves an edited line as a new script version (the previous one is kept).
pub async fn edit_line(app: &App, episode_id: &EpisodeId, line_id: &str, text: &str) -> Result<ScriptView, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "text",
            "A line cannot be empty; delete words, not the line.",
        ));
    }
    if text.chars().count() > MAX_LINE_CHARS {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "text",
            &format!("Keep a line under {MAX_LINE_CHARS} characters."),
        ));
    }
    let run = current_run(app, episode_id).await?;
    if !parked_at(&run, SCRIPT_SIGNOFF) {
        return Err(ApiError::conflict(
            "The script can be edited only while it waits for sign-off.",
        ));
    }
    let mut view = get_script(app, episode_id).await?;
    let line = view.script.line_mut(line_id).ok_or_else(|| {
        ApiError::field(
            ErrorCode::NotFound,
            "line_id",
            &format!("The script has no line {line_id}."),
        )
    })?;
    if line.text == text {
        return Ok(view);
    }
    line.text = text.to_owned();
    let content = serde_json::to_value(&view.script).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let record = app
        .store()
        .save_artifact(
            &run.id,
            &StageId::new(SCRIPT_SIGNOFF),
            NewArtifact {
                kind: ArtifactKind::Script,
                content,
            },
            app.now_ms(),
        )
        .await?;
    view.artifact = meta(&record);
    Ok(view)
}

pub async fn approve_script(app: &App, episode_id: &EpisodeId, note: &str) -> Result<(), ApiError> {
    let run = current_run(app, episode_id).await?;
    let view = get_script(app, episode_id).await?;
    let decision = HumanDecision {
        decision: DecisionKind::Approve,
        note: note.trim().to_owned(),
        decided_by: producer_name(),
        artifact_version: view.artifact.version,
    };
    Ok(app
        .engine()
        .decide(&run.id, &StageId::new(SCRIPT_SIGNOFF), decision)
        .await?)
}

/// Who decided: the OS user, as the desktop has no accounts.
pub(crate) fn producer_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "producer".to_owned())
}
