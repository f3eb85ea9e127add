//! The release gate: everything a producer needs to decide (the master, its transcript, every check, the
//! cost), then approve or send back with a note and a stage to redo.

use showrunner_domain::artifacts::{EvaluationPanel, GateReport, Master, ShowNotes};
use showrunner_domain::{ArtifactKind, EpisodeId, StageId};
use showrunner_engine::StageKind;
use showrunner_production::stage_ids::{AUDIO_VALIDATE, RELEASE};
use showrunner_store::ArtifactRecord;

use crate::decisions::{decide, ProducerDecision};
use crate::dto::{GateReportView, ReleaseView, StageOption};
use crate::episodes::episode;
use crate::script::current_run;
use crate::{ApiError, App, ErrorCode};

fn decode<T: serde::de::DeserializeOwned>(record: Option<&ArtifactRecord>) -> Option<T> {
    record.and_then(|r| serde_json::from_value(r.content.clone()).ok())
}

struct GateReportEntry {
    stage: StageId,
    report: GateReport,
}

pub async fn get_release(app: &App, episode_id: &EpisodeId) -> Result<ReleaseView, ApiError> {
    let episode = episode(app, episode_id).await?;
    let run = current_run(app, episode_id).await?;
    let artifacts = app.store().artifacts(&run.id).await?;
    let last = |kind: ArtifactKind, stage: Option<&str>| {
        artifacts
            .iter()
            .rev()
            .find(|a| a.kind == kind && stage.is_none_or(|s| a.stage.as_str() == s))
    };
    let master_record = last(ArtifactKind::Master, None);
    let master_version = master_record.map_or(0, |r| r.version);
    let master: Master =
        decode(master_record).ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no master yet."))?;
    let audio_report: Option<GateReport> = decode(last(ArtifactKind::GateReport, Some(AUDIO_VALIDATE)));
    // The latest report of each gate, in pipeline order.
    let mut gate_reports: Vec<GateReportEntry> = Vec::new();
    for a in artifacts.iter().filter(|a| a.kind == ArtifactKind::GateReport) {
        if let Some(report) = decode::<GateReport>(Some(a)) {
            gate_reports.retain(|g| g.stage != a.stage);
            gate_reports.push(GateReportEntry {
                stage: a.stage.clone(),
                report,
            });
        }
    }
    let evaluation: Option<EvaluationPanel> = decode(last(ArtifactKind::EvaluationPanel, None));
    let show_notes: Option<ShowNotes> = decode(last(ArtifactKind::ShowNotes, None));
    let workflow = app
        .engine()
        .workflow(&run.pipeline)
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "pipeline missing"))?;
    let redo_stages = workflow
        .pipeline
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Work)
        .map(|s| StageOption {
            stage: s.id.clone(),
            label: s.label.clone(),
        })
        .collect();
    let blobs = app.store().blobs();
    Ok(ReleaseView {
        mp3_path: blobs.path(&master.mp3, "mp3")?.display().to_string(),
        wav_path: blobs.path(&master.wav, "wav")?.display().to_string(),
        spent: episode.spent,
        budget_cap: episode.budget_cap,
        episode,
        master,
        master_version,
        audio_report,
        evaluation,
        show_notes,
        redo_stages,
        gate_reports: gate_reports
            .into_iter()
            .map(|g| {
                let label = workflow
                    .pipeline
                    .stages
                    .iter()
                    .find(|s| s.id == g.stage)
                    .map_or_else(|| g.stage.as_str().to_owned(), |s| s.label.clone());
                GateReportView {
                    stage: g.stage,
                    label,
                    report: g.report,
                }
            })
            .collect(),
    })
}

/// Approves the master: the same decision the Run screen's panel and the CLI make (`decisions::decide`), so
/// the player stops and the show's feed is published in one place.
pub async fn approve_release(app: &App, episode_id: &EpisodeId, note: &str) -> Result<(), ApiError> {
    let run = current_run(app, episode_id).await?;
    let note = note.to_owned();
    decide(app, &run.id, &StageId::new(RELEASE), ProducerDecision::Approve { note }).await?;
    Ok(())
}

/// Sends the episode back from the release gate to redo `stage`, with the producer's note.
pub async fn send_back(app: &App, episode_id: &EpisodeId, stage: &str, note: &str) -> Result<(), ApiError> {
    let run = current_run(app, episode_id).await?;
    let decision = ProducerDecision::SendBack {
        stage: StageId::new(stage),
        note: note.to_owned(),
    };
    decide(app, &run.id, &StageId::new(RELEASE), decision).await?;
    Ok(())
}
