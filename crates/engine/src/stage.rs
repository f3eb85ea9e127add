//! What a stage is to the engine: a runner that turns a context into artifacts (and, for gates, a verdict).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use showrunner_domain::{GateVerdict, Money, ParkReason, Route, RunStatus, StageCode, StageId};
use showrunner_store::{NewArtifact, RunRecord, Store, SubjectStatus};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::{Clock, Pipeline, RunChanged, StageSpec, SubjectStatusHook};

/// Everything a runner may use. Upstream artifacts are read from the store, never passed in memory, so a
/// resumed run sees exactly what an uninterrupted one would.
#[derive(Clone)]
pub struct StageContext {
    pub run: RunRecord,
    pub spec: StageSpec,
    /// 1-based attempt number of this stage in this run (every try counts, sent-back ones included).
    pub attempt: u32,
    /// The attempt's row id: paid calls are recorded against it.
    pub attempt_id: i64,
    /// What to change, from a failed gate or a producer's send-back note.
    pub feedback: Option<String>,
    /// This try is the last one a gate will send back: if it fails the gate again, the run parks for the
    /// producer. Stages use their strongest route for it.
    pub final_remediation: bool,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// Cancelled when the run is cancelled or the app shuts down; long work should stop promptly.
    pub cancel: CancellationToken,
    /// Where the context announces the ledger changes it makes (spend, budget notices).
    pub changes: broadcast::Sender<RunChanged>,
}

impl StageContext {
    pub fn stage(&self) -> &StageId {
        &self.spec.id
    }
}

/// A gate's decision about the work in front of it.
#[derive(Debug, Clone, PartialEq)]
pub struct GateOutcome {
    pub verdict: GateVerdict,
    /// Sent to the remediated stage, or shown to the producer on escalation.
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StageOutput {
    pub artifacts: Vec<NewArtifact>,
    pub cost: Money,
    /// Which provider served the stage, and what was tried on the way.
    pub route: Option<Route>,
    /// Set by gate stages.
    pub gate: Option<GateOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Worth another try (rate limit, overload, timeout).
    Transient,
    /// Will fail the same way again (bad key, invalid request, missing engine).
    Terminal,
    /// The budget cap refused a paid call: the run parks until the producer raises the cap.
    Budget,
    /// The store could not take a write (a full disk, a failing database): the run stops with this reason
    /// until the producer frees space and resumes (see `halt`).
    Storage(crate::HaltCode),
}

/// A stage failure, coded so the UI and CLI can explain it and the engine can decide to retry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct StageError {
    /// Typed; stored as its text on the attempt row (see [`StageCode`]).
    pub code: StageCode,
    pub message: String,
    pub class: ErrorClass,
    /// A provider-requested delay before the next try.
    pub retry_after: Option<Duration>,
    /// The provider whose failure this is, when one is: its retry policy applies.
    pub provider: Option<String>,
}

impl StageError {
    pub fn terminal(code: StageCode, message: impl Into<String>) -> StageError {
        StageError {
            code,
            message: message.into(),
            class: ErrorClass::Terminal,
            retry_after: None,
            provider: None,
        }
    }

    pub fn transient(code: StageCode, message: impl Into<String>) -> StageError {
        StageError {
            code,
            message: message.into(),
            class: ErrorClass::Transient,
            retry_after: None,
            provider: None,
        }
    }

    /// Marks the failure as `provider`'s.
    pub fn from_provider(self, provider: impl Into<String>) -> StageError {
        StageError {
            provider: Some(provider.into()),
            ..self
        }
    }
}

#[async_trait::async_trait]
pub trait StageRunner: Send + Sync {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError>;
}

/// A pipeline with the runner for each of its non-human stages, and what its runs' statuses mean for what
/// they produce.
pub struct Workflow {
    pub pipeline: Pipeline,
    pub runners: HashMap<StageId, Arc<dyn StageRunner>>,
    /// Asked at every run status the engine writes; without one, a run's status moves nothing else.
    pub subject_status: Option<Arc<dyn SubjectStatusHook>>,
}

impl Workflow {
    pub fn new(pipeline: Pipeline, runners: HashMap<StageId, Arc<dyn StageRunner>>) -> Workflow {
        Workflow {
            pipeline,
            runners,
            subject_status: None,
        }
    }

    /// The same workflow, moving its runs' subject with their status as `hook` says.
    pub fn with_subject_status(self, hook: Arc<dyn SubjectStatusHook>) -> Workflow {
        Workflow {
            subject_status: Some(hook),
            ..self
        }
    }

    /// What the subject of a run of this workflow becomes once the run is `status`.
    pub(crate) fn subject_for(&self, status: RunStatus, park: Option<&ParkReason>) -> Option<SubjectStatus> {
        self.subject_status.as_ref()?.subject_status(status, park)
    }
}
