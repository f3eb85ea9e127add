//! The state of each stage of a run, derived from its attempts: what the Run view and the CLI show.

use showrunner_domain::{AttemptStatus, GateVerdict, Money, Route, StageId};
use showrunner_store::AttemptRecord;

use crate::{Pipeline, StageKind};

#[derive(Debug, Clone, PartialEq)]
pub struct StageProgress {
    pub stage: StageId,
    pub label: String,
    pub kind: StageKind,
    /// The latest live attempt's status; `Pending` when it has none (never run, or its work was sent back).
    pub status: AttemptStatus,
    /// Every try, superseded ones included.
    pub attempts: u32,
    pub started_at_ms: Option<i64>,
    pub finished_at_ms: Option<i64>,
    /// Settled cost of every try.
    pub cost: Money,
    pub route: Option<Route>,
    pub verdict: Option<GateVerdict>,
    pub error: Option<String>,
    pub feedback: Option<String>,
    /// The attempt whose artifacts the stage currently shows.
    pub current_attempt_id: Option<i64>,
}

/// The latest attempt of each stage that still counts (not superseded).
pub fn live_attempt<'a>(attempts: &'a [AttemptRecord], stage: &StageId) -> Option<&'a AttemptRecord> {
    attempts
        .iter()
        .filter(|a| &a.stage == stage && a.status != AttemptStatus::Superseded)
        .max_by_key(|a| a.id)
}

pub fn stage_progress(pipeline: &Pipeline, attempts: &[AttemptRecord]) -> Vec<StageProgress> {
    pipeline
        .stages
        .iter()
        .map(|spec| {
            let all: Vec<&AttemptRecord> = attempts.iter().filter(|a| a.stage == spec.id).collect();
            let live = live_attempt(attempts, &spec.id);
            let shown = live.or_else(|| all.last().copied());
            StageProgress {
                stage: spec.id.clone(),
                label: spec.label.clone(),
                kind: spec.kind,
                status: live.map(|a| a.status).unwrap_or(AttemptStatus::Pending),
                attempts: all.len() as u32,
                started_at_ms: live.map(|a| a.started_at_ms),
                finished_at_ms: live.and_then(|a| a.finished_at_ms),
                cost: all.iter().map(|a| a.cost).sum(),
                route: shown.and_then(|a| a.route.clone()),
                verdict: shown.and_then(|a| a.verdict),
                error: live.and_then(|a| a.error_message.clone()),
                feedback: live.and_then(|a| a.feedback.clone()),
                current_attempt_id: shown.map(|a| a.id),
            }
        })
        .collect()
}
