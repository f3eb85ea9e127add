//! The draft master at the release gate: after a regenerate or a kept take, the master stage splices the
//! new take into the old master and writes a draft (`showrunner_domain::DraftMaster`) before it masters
//! the episode in full. While that full master is being made, the draft is what the producer can hear the
//! line in place with; once a newer master exists, the draft is stale and no longer offered.

use serde::Serialize;
use showrunner_domain::artifacts::Cue;
use showrunner_domain::{draft_master_key, ArtifactKind, DraftMaster, EpisodeId, RunId};
use showrunner_store::ArtifactRecord;
use ts_rs::TS;

use crate::dto::PlaybackView;
use crate::script::current_run;
use crate::{ApiError, App, ErrorCode};

/// How much of the master before the line the draft plays from, so the line is heard in its context.
pub const LEAD_IN_MS: u64 = 2_000;

/// A draft the player can play now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DraftMasterView {
    pub line_id: String,
    pub take: u32,
    pub wav_path: String,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// The line's cue in the draft.
    pub cue: Cue,
    pub integrated_lufs: f64,
    /// From the master stage's start to the draft written.
    #[ts(type = "number")]
    pub took_ms: u64,
}

/// The run's draft, if one was written and the master it was spliced into is still the latest.
/// `latest_master` is the run's newest master record: the draft is current only while it is the one the
/// draft was spliced into.
pub(crate) async fn current(
    app: &App,
    run: &RunId,
    latest_master: Option<&ArtifactRecord>,
) -> Result<Option<DraftMasterView>, ApiError> {
    let Some(value) = app.store().setting(&draft_master_key(run)).await? else {
        return Ok(None);
    };
    let draft: DraftMaster = serde_json::from_value(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the draft master cannot be read: {e}")))?;
    // Only the latest master's WAV hash is needed: no need to decode its cues.
    let latest_wav = latest_master
        .and_then(|a| a.content.get("wav"))
        .and_then(|w| w.as_str());
    if latest_wav != Some(draft.replaces_wav.0.as_str()) {
        return Ok(None);
    }
    let Some(cue) = draft.cue().cloned() else {
        return Ok(None);
    };
    let view = DraftMasterView {
        line_id: draft.line_id.clone(),
        take: draft.take,
        wav_path: app
            .store()
            .blobs()
            .preview_path(&draft.wav, "wav")?
            .display()
            .to_string(),
        duration_ms: draft.duration_ms,
        cue,
        integrated_lufs: draft.integrated_lufs,
        took_ms: draft.took_ms,
    };
    Ok(Some(view))
}

/// The episode's current draft master, `None` when there is none (or the full master has replaced it).
pub async fn draft_master(app: &App, episode_id: &EpisodeId) -> Result<Option<DraftMasterView>, ApiError> {
    let run = current_run(app, episode_id).await?;
    // One row, not the run's every artifact: the CLI and the tests ask while the episode re-masters.
    let latest = app.store().latest_artifact(&run.id, ArtifactKind::Master).await?;
    current(app, &run.id, latest.as_ref()).await
}

/// Loads the draft into the player, at [`LEAD_IN_MS`] before the changed line.
///
/// Errors: no current draft (`not_found`: the full master has replaced it, or none was made), and the
/// player's own.
pub async fn load(app: &App, episode_id: &EpisodeId) -> Result<PlaybackView, ApiError> {
    let view = draft_master(app, episode_id).await?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "There is no draft master to play: the new master is ready at the release gate, or none was made.",
        )
    })?;
    app.player().load(std::path::PathBuf::from(&view.wav_path)).await?;
    app.player().seek(view.cue.start_ms.saturating_sub(LEAD_IN_MS)).await?;
    Ok(app.player().state().await.into())
}
