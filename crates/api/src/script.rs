//! Script sign-off, the script room: read any version with its facts, list versions, diff two, edit with
//! typed operations on a base version, restore, send back to the writer with a note, approve.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use showrunner_domain::artifacts::{ResearchPackage, Script};
use showrunner_domain::{ArtifactKind, DecisionKind, EpisodeId, ParkReason, RunStatus, StageId};
use showrunner_engine::HumanDecision;
use showrunner_production::stage_ids::{SCRIPT_SIGNOFF, SCRIPT_WRITE};
use showrunner_store::{ArtifactRecord, EditProvenance, NewArtifact, RunRecord, StoreError};
use ts_rs::TS;

use crate::dto::ScriptView;
use crate::runs::meta;
use crate::script_room::edits::{self, EditRules};
use crate::script_room::versions::{self, ORIGIN_EDIT, ORIGIN_RESTORE};
use crate::script_room::{diff, ScriptDiff, ScriptEdit, ScriptVersion};
use crate::{ApiError, App, ErrorCode};

pub use crate::script_room::MAX_LINE_CHARS;

/// A batch of edits made on `base_version`; saved as one new version, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScriptEditRequest {
    pub base_version: u32,
    pub edits: Vec<ScriptEdit>,
}

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

/// The current (newest) script.
pub async fn get_script(app: &App, episode_id: &EpisodeId) -> Result<ScriptView, ApiError> {
    load(app, episode_id, None).await
}

/// One version of the script; only the newest can be edited.
pub async fn get_script_version(app: &App, episode_id: &EpisodeId, version: u32) -> Result<ScriptView, ApiError> {
    load(app, episode_id, Some(version)).await
}

async fn script_records(app: &App, run: &RunRecord) -> Result<Vec<ArtifactRecord>, ApiError> {
    let mut records: Vec<ArtifactRecord> = app
        .store()
        .artifacts(&run.id)
        .await?
        .into_iter()
        .filter(|a| a.kind == ArtifactKind::Script)
        .collect();
    records.sort_by_key(|a| a.version);
    Ok(records)
}

fn decode(record: &ArtifactRecord) -> Result<Script, ApiError> {
    serde_json::from_value(record.content.clone())
        .map_err(|e| ApiError::new(ErrorCode::Storage, format!("The stored script cannot be read: {e}")))
}

async fn load(app: &App, episode_id: &EpisodeId, version: Option<u32>) -> Result<ScriptView, ApiError> {
    let run = current_run(app, episode_id).await?;
    let records = script_records(app, &run).await?;
    let latest = records
        .last()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The script has not been written yet."))?;
    let record = match version {
        None => latest,
        Some(v) => records.iter().find(|r| r.version == v).ok_or_else(|| {
            ApiError::field(
                ErrorCode::NotFound,
                "version",
                &format!(
                    "The script has versions 1 to {}; there is no version {v}.",
                    latest.version
                ),
            )
        })?,
    };
    let script = decode(record)?;
    let research = match app
        .store()
        .latest_artifact(&run.id, ArtifactKind::ResearchPackage)
        .await?
    {
        Some(r) => serde_json::from_value::<ResearchPackage>(r.content).ok(),
        None => None,
    };
    let speakers = speakers(app, episode_id, &script).await?;
    Ok(ScriptView {
        episode_id: episode_id.clone(),
        artifact: meta(record),
        latest_version: latest.version,
        editable: parked_at(&run, SCRIPT_SIGNOFF) && record.version == latest.version,
        script,
        research,
        speakers,
    })
}

/// The show's hosts, then anyone else already speaking in the script.
async fn speakers(app: &App, episode_id: &EpisodeId, script: &Script) -> Result<Vec<String>, ApiError> {
    let mut names: Vec<String> = Vec::new();
    if let Some(episode) = app.store().episode(episode_id).await? {
        if let Some(show) = app.store().show(&episode.show_id).await? {
            names.extend(show.brand.hosts.iter().map(|h| h.name.trim().to_owned()));
        }
    }
    for line in script.lines() {
        if !names.contains(&line.speaker) {
            names.push(line.speaker.clone());
        }
    }
    names.retain(|n| !n.is_empty());
    Ok(names)
}

/// Every version of the script, oldest first, with who or what made it and why.
pub async fn script_versions(app: &App, episode_id: &EpisodeId) -> Result<Vec<ScriptVersion>, ApiError> {
    let run = current_run(app, episode_id).await?;
    let artifacts = app.store().artifacts(&run.id).await?;
    let attempts = app.store().attempts(&run.id).await?;
    let provenance = app.store().provenance(&run.id).await?;
    Ok(versions::versions(&artifacts, &attempts, &provenance))
}

/// Version `from` against version `to`, line by line with changed words marked.
pub async fn diff_versions(app: &App, episode_id: &EpisodeId, from: u32, to: u32) -> Result<ScriptDiff, ApiError> {
    let run = current_run(app, episode_id).await?;
    let records = script_records(app, &run).await?;
    let pick = |v: u32, field: &str| {
        records.iter().find(|r| r.version == v).ok_or_else(|| {
            ApiError::field(
                ErrorCode::NotFound,
                field,
                &format!("The script has no version {v} (it has {}).", records.len()),
            )
        })
    };
    let (old, new) = (decode(pick(from, "from")?)?, decode(pick(to, "to")?)?);
    Ok(diff::diff(from, &old, to, &new))
}

/// Applies the edits to `base_version` and saves the result as a new version. Refused, with nothing saved,
/// once the script is signed off, when `base_version` is no longer the newest (`conflict`, the newer version
/// in `details.current`), or for any bad edit (its field named).
pub async fn edit_script(
    app: &App,
    episode_id: &EpisodeId,
    request: ScriptEditRequest,
) -> Result<ScriptView, ApiError> {
    let run = current_run(app, episode_id).await?;
    let current = editable_base(app, episode_id, &run, request.base_version).await?;
    let records = script_records(app, &run).await?;
    let mut used_ids = HashSet::new();
    for record in &records {
        if let Ok(script) = decode(record) {
            used_ids.extend(script.lines().map(|l| l.id.clone()));
        }
    }
    let mut rules = EditRules {
        speakers: &current.speakers,
        research: current.research.as_ref(),
        used_ids,
    };
    let edited = edits::apply(&current.script, &request.edits, &mut rules)?;
    if edited == current.script {
        return Ok(current);
    }
    let note = request
        .edits
        .iter()
        .map(ScriptEdit::describe)
        .collect::<Vec<_>>()
        .join("; ");
    save(app, episode_id, &run, request.base_version, &edited, ORIGIN_EDIT, note).await
}

/// One line's new text, on the version the producer was looking at (the sign-off screen's "Save line").
pub async fn edit_line(
    app: &App,
    episode_id: &EpisodeId,
    line_id: &str,
    text: &str,
    base_version: u32,
) -> Result<ScriptView, ApiError> {
    let request = ScriptEditRequest {
        base_version,
        edits: vec![ScriptEdit::SetText {
            line_id: line_id.to_owned(),
            text: text.to_owned(),
        }],
    };
    edit_script(app, episode_id, request).await
}

/// Makes an old version current again, as a new version (nothing is overwritten).
pub async fn restore_version(
    app: &App,
    episode_id: &EpisodeId,
    version: u32,
    base_version: u32,
) -> Result<ScriptView, ApiError> {
    let run = current_run(app, episode_id).await?;
    editable_base(app, episode_id, &run, base_version).await?;
    let old = get_script_version(app, episode_id, version).await?;
    save(
        app,
        episode_id,
        &run,
        base_version,
        &old.script,
        ORIGIN_RESTORE,
        format!("restored v{version}"),
    )
    .await
}

/// Sends the script back from sign-off to `stage` (normally `script.write`) with the producer's note. The
/// writer receives the note, the current script and its locks; locked lines come back verbatim.
pub async fn send_back_script(app: &App, episode_id: &EpisodeId, stage: &str, note: &str) -> Result<(), ApiError> {
    if note.trim().is_empty() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "note",
            "Say what should change, so the writer knows what to redo.",
        ));
    }
    let run = current_run(app, episode_id).await?;
    let view = get_script(app, episode_id).await?;
    let stage = if stage.trim().is_empty() {
        SCRIPT_WRITE
    } else {
        stage.trim()
    };
    let decision = HumanDecision {
        decision: DecisionKind::SendBack {
            stage: StageId::new(stage),
        },
        note: note.trim().to_owned(),
        decided_by: producer_name(),
        artifact_version: view.artifact.version,
    };
    Ok(app
        .engine()
        .decide(&run.id, &StageId::new(SCRIPT_SIGNOFF), decision)
        .await?)
}

/// The newest script, if it may be edited on `base_version`; otherwise the coded refusal.
async fn editable_base(
    app: &App,
    episode_id: &EpisodeId,
    run: &RunRecord,
    base_version: u32,
) -> Result<ScriptView, ApiError> {
    if !parked_at(run, SCRIPT_SIGNOFF) {
        return Err(signed_off());
    }
    let current = get_script(app, episode_id).await?;
    if current.artifact.version != base_version {
        return Err(stale(base_version, &current));
    }
    Ok(current)
}

fn signed_off() -> ApiError {
    ApiError::field(
        ErrorCode::Conflict,
        "script",
        "The script is no longer waiting for sign-off, so it cannot be edited; nothing was saved.",
    )
}

fn stale(base_version: u32, current: &ScriptView) -> ApiError {
    let message = format!(
        "This edit was made on version {base_version}, but version {} is newer; nothing was saved. Review it and \
         edit again.",
        current.artifact.version
    );
    let mut error = ApiError::field(ErrorCode::Conflict, "base_version", &message);
    if let (Some(details), Ok(view)) = (error.details.as_mut(), serde_json::to_value(current)) {
        details["current"] = view;
    }
    error
}

async fn save(
    app: &App,
    episode_id: &EpisodeId,
    run: &RunRecord,
    base_version: u32,
    script: &Script,
    origin: &str,
    note: String,
) -> Result<ScriptView, ApiError> {
    let content = serde_json::to_value(script).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let provenance = EditProvenance {
        origin: origin.to_owned(),
        author: producer_name(),
        note,
        base_version,
    };
    let saved = app
        .store()
        .save_producer_edit(
            &run.id,
            &StageId::new(SCRIPT_SIGNOFF),
            NewArtifact {
                kind: ArtifactKind::Script,
                content,
            },
            provenance,
            app.now_ms(),
        )
        .await;
    match saved {
        Ok(_) => get_script(app, episode_id).await,
        // The checks above ran outside the write; these are the races they could not see.
        Err(StoreError::VersionConflict { .. }) => Err(stale(base_version, &get_script(app, episode_id).await?)),
        Err(StoreError::Stale { .. }) => Err(signed_off()),
        Err(e) => Err(e.into()),
    }
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
