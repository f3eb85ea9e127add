//! Runs: the live view of a production run, streamed to the Run screen; artifacts; cancellation.

use std::time::Duration;

use showrunner_domain::{ArtifactId, EpisodeId, Money, Route, RunId};
use showrunner_engine::{stage_progress, HaltCode, StageKind};
use showrunner_store::{ArtifactRecord, CallRecord, RunRecord, SHIPPED_TEMPLATE_VERSION};
use tokio::sync::broadcast::error::RecvError;

use crate::decisions::park_view;
use crate::dto::{ArtifactMeta, ArtifactView, HaltCodeView, RunHaltView, RunView, StageKindView, StageView};
use crate::{ApiError, App, ErrorCode};

/// Changes arriving closer together than this are shown as one update (a synthesize stage can emit many).
const VIEW_THROTTLE: Duration = Duration::from_millis(100);

pub(crate) fn meta(record: &ArtifactRecord) -> ArtifactMeta {
    ArtifactMeta {
        id: record.id.clone(),
        kind: record.kind,
        stage: record.stage.clone(),
        version: record.version,
        created_at_ms: record.created_at_ms,
    }
}

/// The episode a run produces. The app's runs all produce one; a run without (an engine-only pipeline's) has no
/// view here.
pub(crate) fn episode_of(run: &RunRecord) -> Result<&EpisodeId, ApiError> {
    run.episode_id
        .as_ref()
        .ok_or_else(|| ApiError::not_found("The run's episode"))
}

pub async fn run_view(app: &App, run_id: &RunId) -> Result<RunView, ApiError> {
    let store = app.store();
    let run = store
        .run(run_id)
        .await?
        .ok_or_else(|| ApiError::not_found("That run"))?;
    let episode_id = episode_of(&run)?.clone();
    let episode = store
        .episode(&episode_id)
        .await?
        .ok_or_else(|| ApiError::not_found("The run's episode"))?;
    let workflow = app.engine().workflow(&run.pipeline).ok_or_else(|| {
        ApiError::new(
            ErrorCode::Internal,
            format!("pipeline '{}' is not installed", run.pipeline),
        )
    })?;
    let attempts = store.attempts(run_id).await?;
    let artifacts = store.artifacts(run_id).await?;
    let calls = store.ledger(run_id).await?.calls;
    let progress = stage_progress(&workflow.pipeline, &attempts);
    // A run is a rehearsal as soon as any stage was done by the offline stand-in.
    let rehearsal = progress.iter().any(|p| p.route.as_ref().is_some_and(|r| r.stand_in));
    let stages = progress
        .into_iter()
        .map(|p| StageView {
            kind: match p.kind {
                StageKind::Work => StageKindView::Work,
                StageKind::Gate => StageKindView::Gate,
                StageKind::HumanGate => StageKindView::HumanGate,
            },
            duration_ms: p.started_at_ms.zip(p.finished_at_ms).map(|(s, f)| f - s),
            artifacts: artifacts
                .iter()
                .filter(|a| a.attempt_id.is_some() && a.attempt_id == p.current_attempt_id)
                .map(meta)
                .collect(),
            prompts: prompts_of(&calls, p.current_attempt_id),
            stage: p.stage,
            label: p.label,
            status: p.status,
            attempts: p.attempts,
            started_at_ms: p.started_at_ms,
            finished_at_ms: p.finished_at_ms,
            cost: p.cost,
            route: p.route.as_ref().map(Route::to_string),
            verdict: p.verdict,
            error: p.error,
            feedback: p.feedback,
        })
        .collect::<Vec<_>>();
    let halt = app.engine().halt(&run.id).map(|h| RunHaltView {
        code: match h.code {
            HaltCode::DiskFull => HaltCodeView::DiskFull,
            HaltCode::StoreFailed => HaltCodeView::StoreFailed,
        },
        message: h.message,
        stage: h.stage,
    });
    let spent: Money = stages.iter().map(|s| s.cost).sum();
    let decision = park_view(&run, workflow, &attempts, &artifacts, episode.budget_cap, spent);
    let latest_master = artifacts
        .iter()
        .filter(|a| a.kind == showrunner_domain::ArtifactKind::Master)
        .max_by_key(|a| a.version);
    let draft_master = crate::draft_master::current(app, &run.id, latest_master).await?;
    Ok(RunView {
        run_id: run.id,
        episode_id,
        status: run.status,
        park: run.park,
        spent,
        budget_cap: episode.budget_cap,
        stages,
        rehearsal,
        halt,
        decision,
        draft_master,
    })
}

/// "plan v2 (override)" for each template the attempt's calls rendered, in the order first used.
fn prompts_of(calls: &[CallRecord], attempt: Option<i64>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for call in calls.iter().filter(|c| attempt.is_some() && c.attempt_id == attempt) {
        if let Some(stamp) = &call.prompt {
            let source = if stamp.template_version == SHIPPED_TEMPLATE_VERSION {
                "shipped"
            } else {
                "override"
            };
            let label = format!("{} v{} ({source})", stamp.template_id, stamp.template_version);
            if !seen.contains(&label) {
                seen.push(label);
            }
        }
    }
    seen
}

/// Continues a run the storage stopped (after the producer freed space), settling the answers it kept first.
pub async fn resume_run(app: &App, run_id: &RunId) -> Result<(), ApiError> {
    if !app.is_writer() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This program opened the data folder read-only; resume the run where it is produced.",
        ));
    }
    Ok(app.engine().resume_run(run_id).await?)
}

/// Sends a fresh view of the run to `sink` now and after every change, until `sink` says stop (its
/// receiver went away). Bursts of changes are coalesced.
pub async fn watch_run<F>(app: &App, run_id: &RunId, mut sink: F) -> Result<(), ApiError>
where
    F: FnMut(RunView) -> bool,
{
    let mut changes = app.subscribe();
    if !sink(run_view(app, run_id).await?) {
        return Ok(());
    }
    loop {
        match changes.recv().await {
            Ok(change) if &change.run_id != run_id => continue,
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return Ok(()),
        }
        tokio::time::sleep(VIEW_THROTTLE).await;
        while let Ok(_) | Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) = changes.try_recv() {}
        if !sink(run_view(app, run_id).await?) {
            return Ok(());
        }
    }
}

pub async fn get_artifact(app: &App, id: &ArtifactId) -> Result<ArtifactView, ApiError> {
    let record = app
        .store()
        .artifact(id)
        .await?
        .ok_or_else(|| ApiError::not_found("That artifact"))?;
    Ok(ArtifactView {
        meta: meta(&record),
        content: record.content,
    })
}

pub async fn cancel_run(app: &App, run_id: &RunId) -> Result<(), ApiError> {
    Ok(app.engine().cancel(run_id).await?)
}

/// The most a run may be given, the same limit a new episode's budget has.
const MAX_BUDGET: Money = Money(10_000_000_000);

/// Raises the run's budget cap; a run waiting at the cap continues. The new cap must be above the current
/// one (the ledger refuses anything else, so a raise can never put a run over its cap).
pub async fn raise_budget(app: &App, run_id: &RunId, new_cap: Money) -> Result<RunView, ApiError> {
    if new_cap > MAX_BUDGET {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "budget_cap",
            "The budget must be at most $10,000.",
        ));
    }
    app.engine().raise_budget(run_id, new_cap).await?;
    run_view(app, run_id).await
}
