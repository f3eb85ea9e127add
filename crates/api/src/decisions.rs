//! A decision at every park: what the run waits for, the decisions available there, and one `decide` that
//! applies any of them. The UI and the CLI list `available` and offer exactly that, so no screen or verb
//! hard-codes which park allows what.

use serde::{Deserialize, Serialize};
use showrunner_domain::artifacts::{EvaluationPanel, GateReport, CONSENSUS_THRESHOLD};
use showrunner_domain::{ArtifactKind, AttemptStatus, DecisionKind, Money, ParkReason, RunId, RunStatus, StageId};
use showrunner_engine::{live_attempt, HumanDecision, StageKind, Workflow};
use showrunner_production::stage_ids::{
    AUDIO_VALIDATE, RELEASE, RESEARCH_SYNTHESIZE, RESEARCH_VALIDATE, SCRIPT_BRAND_CHECK, SCRIPT_EVALUATE,
    SCRIPT_SIGNOFF,
};
use showrunner_store::{ArtifactRecord, AttemptRecord, RunRecord};
use ts_rs::TS;

use crate::dto::{ArtifactMeta, RunView, StageOption};
use crate::failure_hint::FailureHint;
use crate::runs::{meta, run_view};
use crate::script::producer_name;
use crate::{ApiError, App, ErrorCode};

/// What kind of stop a run is at. Every kind has at least one way forward (see [`available_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ParkKind {
    /// The script waits for the producer's sign-off.
    ScriptSignoff,
    /// The master waits at the release gate.
    Release,
    /// The research gate kept failing after its send-backs.
    Research,
    /// The brand-voice gate kept failing after its send-backs.
    Brand,
    /// The evaluators kept failing the script after its send-backs.
    Evaluation,
    /// The evaluators disagreed and the arbiter agreed with neither.
    Arbiter,
    /// The master failed the audio checks.
    Audio,
    /// A gate or human gate of a pipeline other than the standard one.
    OtherGate,
    /// Spending reached the cap.
    Budget,
    /// A stage failed.
    Failed,
}

/// Which artifact "edit" opens, and on which screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EditTarget {
    /// The script screen: lines are editable at sign-off, readable at every other park.
    Script,
    /// The research package's facts and sources.
    Research,
    /// The plan's segments.
    Plan,
    /// The release screen: the master, its transcript and its checks.
    Master,
}

/// One decision the producer can take at the park the run is at.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AvailableDecision {
    /// Sign off (script) or release (master).
    Approve,
    /// Go past a gate that kept failing; recorded as an override with the failing figures.
    ContinueAnyway,
    /// Redo one of `stages` and everything after it, with a note saying what should change.
    SendBack { stages: Vec<StageOption> },
    /// Open the artifact the park is about.
    Edit { target: EditTarget, artifact: ArtifactMeta },
    /// Raise the cap above what has been spent; the stopped stages run again.
    RaiseBudget { cap: Money, spent: Money },
    /// Run the failed stages again, reusing every call already paid for.
    Retry,
    /// Stop the run for good.
    Stop,
}

/// A decision the producer took.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProducerDecision {
    Approve {
        #[serde(default)]
        note: String,
    },
    ContinueAnyway {
        #[serde(default)]
        note: String,
    },
    SendBack {
        stage: StageId,
        note: String,
    },
    RaiseBudget {
        cap: Money,
    },
    Retry,
    Stop,
}

impl ProducerDecision {
    fn name(&self) -> &'static str {
        match self {
            ProducerDecision::Approve { .. } => "approve",
            ProducerDecision::ContinueAnyway { .. } => "continue anyway",
            ProducerDecision::SendBack { .. } => "send back",
            ProducerDecision::RaiseBudget { .. } => "raise the budget",
            ProducerDecision::Retry => "retry",
            ProducerDecision::Stop => "stop",
        }
    }

    fn is_offered_by(&self, offer: &AvailableDecision) -> bool {
        matches!(
            (self, offer),
            (ProducerDecision::Approve { .. }, AvailableDecision::Approve)
                | (
                    ProducerDecision::ContinueAnyway { .. },
                    AvailableDecision::ContinueAnyway
                )
                | (ProducerDecision::SendBack { .. }, AvailableDecision::SendBack { .. })
                | (
                    ProducerDecision::RaiseBudget { .. },
                    AvailableDecision::RaiseBudget { .. }
                )
                | (ProducerDecision::Retry, AvailableDecision::Retry)
                | (ProducerDecision::Stop, AvailableDecision::Stop)
        )
    }
}

/// Where the run stopped and what the producer can do about it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ParkView {
    pub kind: ParkKind,
    /// The gate (or failed stage) the run stopped at.
    pub stage: StageId,
    pub label: String,
    /// What the run waits for, in a producer's words.
    pub headline: String,
    /// What happened, in the gate's or the failure's words.
    pub summary: String,
    /// The checks that failed, with their figures (an override records these).
    pub failing: Vec<String>,
    /// For a failed run: what to do about it, and the same in words.
    pub hint: Option<FailureHint>,
    pub advice: Option<String>,
    pub available: Vec<AvailableDecision>,
}

/// The park of a run that is waiting for the producer (parked or failed); `None` while it runs or once it is
/// done or stopped.
pub(crate) fn park_view(
    run: &RunRecord,
    workflow: &Workflow,
    attempts: &[AttemptRecord],
    artifacts: &[ArtifactRecord],
    budget_cap: Money,
    spent: Money,
) -> Option<ParkView> {
    let pipeline = &workflow.pipeline;
    let (stage, failed) = match (&run.status, &run.park) {
        (RunStatus::Parked, Some(reason)) => (reason.stage().clone(), None),
        (RunStatus::Failed, _) => {
            let failed = pipeline
                .stages
                .iter()
                .filter_map(|s| live_attempt(attempts, &s.id))
                .filter(|a| a.status == AttemptStatus::Failed)
                .max_by_key(|a| a.id)?;
            (failed.stage.clone(), Some(failed))
        }
        _ => return None,
    };
    let spec = pipeline.spec(&stage)?;
    let attempt = live_attempt(attempts, &stage);
    let gate_artifacts: Vec<&ArtifactRecord> = artifacts
        .iter()
        .filter(|a| attempt.is_some_and(|at| a.attempt_id == Some(at.id)))
        .collect();
    let kind = match (&run.park, failed) {
        (_, Some(_)) => ParkKind::Failed,
        (Some(ParkReason::BudgetExhausted { .. }), _) => ParkKind::Budget,
        (Some(ParkReason::HumanGate { .. }), _) => human_gate_kind(&stage),
        _ => escalated_kind(&stage, &gate_artifacts),
    };
    let summary = match (&run.park, failed) {
        (_, Some(f)) => f.error_message.clone().unwrap_or_default(),
        (Some(ParkReason::GateEscalated { summary, .. }), _) => summary.clone(),
        (Some(ParkReason::BudgetExhausted { .. }), _) => attempt
            .and_then(|a| a.error_message.clone())
            .unwrap_or_else(|| "Spending reached the budget cap.".into()),
        _ => String::new(),
    };
    let failing = failing_figures(&gate_artifacts);
    let hint = failed.map(|f| f.failure_code().map_or(FailureHint::Retry, FailureHint::for_code));
    let send_back_to: Vec<StageOption> = pipeline
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Work && s.id != stage && pipeline.downstream_of(&s.id).contains(&stage))
        .map(|s| StageOption {
            stage: s.id.clone(),
            label: s.label.clone(),
        })
        .collect();
    let edit = edit_target(kind).and_then(|target| {
        let wanted = match target {
            EditTarget::Script => ArtifactKind::Script,
            EditTarget::Research => ArtifactKind::ResearchPackage,
            EditTarget::Plan => ArtifactKind::Plan,
            EditTarget::Master => ArtifactKind::Master,
        };
        let latest = artifacts.iter().filter(|a| a.kind == wanted).max_by_key(|a| a.version);
        // The research package is written after the gate; at the research gate the notes are what it judged.
        let latest = latest.or_else(|| {
            (target == EditTarget::Research)
                .then(|| {
                    artifacts
                        .iter()
                        .filter(|a| a.kind == ArtifactKind::ResearchNotes)
                        .max_by_key(|a| a.version)
                })
                .flatten()
        });
        latest.map(|a| AvailableDecision::Edit {
            target,
            artifact: meta(a),
        })
    });
    let available = available_for(kind, send_back_to, edit, budget_cap, spent);
    Some(ParkView {
        kind,
        stage,
        label: spec.label.clone(),
        headline: kind.describe().to_owned(),
        summary,
        failing,
        hint,
        advice: hint.map(|h| h.advice().to_owned()),
        available,
    })
}

/// The decisions at each kind of park. Exhaustive on purpose: a new kind of park does not compile until it
/// says what the producer can do there.
fn available_for(
    kind: ParkKind,
    send_back_to: Vec<StageOption>,
    edit: Option<AvailableDecision>,
    cap: Money,
    spent: Money,
) -> Vec<AvailableDecision> {
    let send_back = (!send_back_to.is_empty()).then_some(AvailableDecision::SendBack { stages: send_back_to });
    let mut offers: Vec<Option<AvailableDecision>> = match kind {
        ParkKind::ScriptSignoff | ParkKind::Release | ParkKind::OtherGate => {
            vec![Some(AvailableDecision::Approve), send_back, edit]
        }
        ParkKind::Research | ParkKind::Brand | ParkKind::Evaluation | ParkKind::Arbiter | ParkKind::Audio => {
            vec![Some(AvailableDecision::ContinueAnyway), send_back, edit]
        }
        ParkKind::Budget => vec![Some(AvailableDecision::RaiseBudget { cap, spent })],
        ParkKind::Failed => vec![Some(AvailableDecision::Retry)],
    };
    offers.push(Some(AvailableDecision::Stop));
    offers.into_iter().flatten().collect()
}

fn edit_target(kind: ParkKind) -> Option<EditTarget> {
    match kind {
        ParkKind::ScriptSignoff | ParkKind::Brand | ParkKind::Evaluation | ParkKind::Arbiter => {
            Some(EditTarget::Script)
        }
        ParkKind::Research => Some(EditTarget::Research),
        ParkKind::Release | ParkKind::Audio => Some(EditTarget::Master),
        ParkKind::OtherGate | ParkKind::Budget | ParkKind::Failed => None,
    }
}

fn human_gate_kind(stage: &StageId) -> ParkKind {
    match stage.as_str() {
        SCRIPT_SIGNOFF => ParkKind::ScriptSignoff,
        RELEASE => ParkKind::Release,
        _ => ParkKind::OtherGate,
    }
}

/// Which gate escalated. The evaluation gate escalates for two reasons: its send-backs ran out, or the
/// arbiter agreed with neither evaluator (the panel it wrote says which).
fn escalated_kind(stage: &StageId, gate_artifacts: &[&ArtifactRecord]) -> ParkKind {
    match stage.as_str() {
        RESEARCH_VALIDATE | RESEARCH_SYNTHESIZE => ParkKind::Research,
        SCRIPT_BRAND_CHECK => ParkKind::Brand,
        AUDIO_VALIDATE => ParkKind::Audio,
        SCRIPT_EVALUATE => {
            let unsettled = gate_artifacts
                .iter()
                .filter(|a| a.kind == ArtifactKind::EvaluationPanel)
                .filter_map(|a| serde_json::from_value::<EvaluationPanel>(a.content.clone()).ok())
                .any(|p| p.arbiter.is_some() && p.consensus < CONSENSUS_THRESHOLD);
            if unsettled {
                ParkKind::Arbiter
            } else {
                ParkKind::Evaluation
            }
        }
        _ => ParkKind::OtherGate,
    }
}

/// The failing checks of the gate's report (or the evaluation panel's figures), one line each.
fn failing_figures(gate_artifacts: &[&ArtifactRecord]) -> Vec<String> {
    let mut lines = Vec::new();
    for record in gate_artifacts {
        match record.kind {
            ArtifactKind::GateReport => {
                if let Ok(report) = serde_json::from_value::<GateReport>(record.content.clone()) {
                    lines.extend(
                        report
                            .checks
                            .iter()
                            .filter(|c| !c.passed)
                            .map(|c| format!("{}: {}", c.name, c.detail)),
                    );
                }
            }
            ArtifactKind::EvaluationPanel => {
                if let Ok(panel) = serde_json::from_value::<EvaluationPanel>(record.content.clone()) {
                    lines.push(format!(
                        "Consensus {:.2} (need {:.2}).",
                        panel.consensus, CONSENSUS_THRESHOLD
                    ));
                    lines.extend(
                        panel
                            .feedback
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_owned),
                    );
                }
            }
            _ => {}
        }
    }
    lines
}

/// The park of the run and its decisions (`None` while it runs or once it finished).
pub async fn park(app: &App, run_id: &RunId) -> Result<Option<ParkView>, ApiError> {
    Ok(run_view(app, run_id).await?.decision)
}

/// Applies the producer's decision at the park the run is at. `at` is the stage the producer saw the run
/// waiting at: if the run has moved on since (another window, the CLI), nothing changes and the answer is a
/// `conflict`.
pub async fn decide(app: &App, run_id: &RunId, at: &StageId, decision: ProducerDecision) -> Result<RunView, ApiError> {
    let view = run_view(app, run_id).await?;
    let park = view.decision.as_ref().ok_or_else(|| {
        ApiError::conflict(format!(
            "The run is not waiting for a decision (it is {}).",
            view.status
        ))
    })?;
    if &park.stage != at {
        return Err(ApiError::conflict(format!(
            "The run is waiting at {} now, not at {at}.",
            park.stage
        )));
    }
    let Some(offer) = park.available.iter().find(|o| decision.is_offered_by(o)) else {
        let offered: Vec<&str> = park.available.iter().map(offer_name).collect();
        return Err(ApiError::conflict(format!(
            "You cannot {} at {} ({}); the choices there are: {}.",
            decision.name(),
            park.label,
            park.kind.describe(),
            offered.join(", ")
        )));
    };
    let engine = app.engine();
    let releases = park.kind == ParkKind::Release && matches!(decision, ProducerDecision::Approve { .. });
    match decision {
        ProducerDecision::Approve { note } => {
            gate_decision(app, run_id, park, DecisionKind::Approve, note).await?;
        }
        ProducerDecision::ContinueAnyway { note } => {
            let failing = park.failing.clone();
            gate_decision(app, run_id, park, DecisionKind::ContinueAnyway { failing }, note).await?;
        }
        ProducerDecision::SendBack { stage, note } => {
            if note.trim().is_empty() {
                return Err(ApiError::field(
                    ErrorCode::InvalidInput,
                    "note",
                    "Say what should change, so the crew knows what to redo.",
                ));
            }
            let allowed =
                matches!(offer, AvailableDecision::SendBack { stages } if stages.iter().any(|s| s.stage == stage));
            if !allowed {
                return Err(ApiError::field(
                    ErrorCode::InvalidInput,
                    "stage",
                    &format!("'{stage}' is not a stage before {} that can be redone.", park.label),
                ));
            }
            gate_decision(app, run_id, park, DecisionKind::SendBack { stage }, note).await?;
        }
        ProducerDecision::RaiseBudget { cap } => {
            crate::runs::raise_budget(app, run_id, cap).await?;
        }
        ProducerDecision::Retry => engine.retry(run_id).await?,
        ProducerDecision::Stop => engine.cancel(run_id).await?,
    }
    if park.kind == ParkKind::Release {
        // The player must not keep a file open that the run is about to replace or release.
        let _ = app.player().stop().await;
    }
    if releases {
        crate::feed::publish_release(app, &view.episode_id).await?;
    }
    run_view(app, run_id).await
}

async fn gate_decision(
    app: &App,
    run_id: &RunId,
    park: &ParkView,
    decision: DecisionKind,
    note: String,
) -> Result<(), ApiError> {
    let artifact_version = park
        .available
        .iter()
        .find_map(|o| match o {
            AvailableDecision::Edit { artifact, .. } => Some(artifact.version),
            _ => None,
        })
        .unwrap_or(0);
    let decision = HumanDecision {
        decision,
        note: note.trim().to_owned(),
        decided_by: producer_name(),
        artifact_version,
    };
    Ok(app.engine().decide(run_id, &park.stage, decision).await?)
}

fn offer_name(offer: &AvailableDecision) -> &'static str {
    match offer {
        AvailableDecision::Approve => "approve",
        AvailableDecision::ContinueAnyway => "continue anyway",
        AvailableDecision::SendBack { .. } => "send back",
        AvailableDecision::Edit { .. } => "edit",
        AvailableDecision::RaiseBudget { .. } => "raise the budget",
        AvailableDecision::Retry => "retry",
        AvailableDecision::Stop => "stop",
    }
}

impl ParkKind {
    /// What the run waits for, in a producer's words.
    pub fn describe(self) -> &'static str {
        match self {
            ParkKind::ScriptSignoff => "the script waits for your sign-off",
            ParkKind::Release => "the master waits at the release gate",
            ParkKind::Research => "the research gate kept failing",
            ParkKind::Brand => "the brand-voice gate kept failing",
            ParkKind::Evaluation => "the evaluators kept failing the script",
            ParkKind::Arbiter => "the evaluators disagree and the arbiter settled nothing",
            ParkKind::Audio => "the master failed the audio checks",
            ParkKind::OtherGate => "a gate waits for your decision",
            ParkKind::Budget => "spending reached the budget cap",
            ParkKind::Failed => "a stage failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gate_of_the_standard_pipeline_is_a_named_park_kind() {
        let pipeline = showrunner_production::standard_pipeline();
        let mut gates = 0;
        for spec in &pipeline.stages {
            let kind = match spec.kind {
                StageKind::Work => continue,
                StageKind::Gate => escalated_kind(&spec.id, &[]),
                StageKind::HumanGate => human_gate_kind(&spec.id),
            };
            gates += 1;
            assert_ne!(kind, ParkKind::OtherGate, "{} has no park kind of its own", spec.id);
        }
        assert_eq!(gates, 6, "research, brand, evaluation, audio, sign-off, release");
    }
}
