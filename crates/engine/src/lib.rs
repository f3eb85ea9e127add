//! The orchestrator. A deterministic engine drives a pipeline of stages for a run: it schedules stages whose
//! dependencies are done (independent ones concurrently), persists every attempt and its artifacts before
//! anything downstream starts, applies gate verdicts (remediate the producing stage with feedback, or escalate),
//! parks durably at human gates, and resumes interrupted runs.
//!
//! It knows nothing about podcasts: stages are data ([`Pipeline`]), their work is a [`StageRunner`], a run
//! holds its own cap, and what a run's status means for what it produces is its workflow's
//! [`SubjectStatusHook`].

mod budget;
mod clock;
mod decision;
mod drive;
mod error;
mod feedback;
mod halt;
mod notify;
mod paid_call;
mod pipeline;
mod progress;
mod retry;
mod run_state;
mod stage;
mod subject_status;

pub use budget::{estimate, BudgetState, PhaseCost, PhaseEstimate};
pub use clock::{Clock, ManualClock, Sleep, SystemClock};
pub use decision::HumanDecision;
pub use error::EngineError;
pub use halt::{HaltCode, RunHalt};
pub use notify::RunChanged;
pub use paid_call::{PaidCall, PaidCallError, PaidOutcome, PaidResult};
pub use pipeline::{Pipeline, PipelineError, StageKind, StageSpec};
pub use progress::{live_attempt, stage_progress, StageProgress};
pub use retry::RetryPolicy;
pub use showrunner_domain::{BudgetPhase, BudgetSplit, PhaseId};
pub use showrunner_domain::{ProviderCode, StageCode};
pub use stage::{ErrorClass, GateOutcome, StageContext, StageError, StageOutput, StageRunner, Workflow};
pub use subject_status::SubjectStatusHook;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use showrunner_domain::RunId;
use showrunner_store::Store;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// The engine: cheap to clone, shared by the desktop shell, the CLI and tests.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    workflows: HashMap<String, Arc<Workflow>>,
    changes: broadcast::Sender<RunChanged>,
    /// Runs being driven right now. A run is driven by at most one task.
    active: Mutex<HashMap<RunId, Driver>>,
    /// For stages without their own policy.
    retry: RetryPolicy,
    /// For failures a provider caused, by provider id: the provider's limits matter more than the stage's.
    provider_retry: HashMap<String, RetryPolicy>,
    /// Runs the storage stopped, until driven again (see `halt`).
    halts: Mutex<HashMap<RunId, RunHalt>>,
}

/// The task driving a run.
pub(crate) struct Driver {
    pub(crate) cancel: CancellationToken,
    /// Someone moved the run on (a decision, a raised cap) while this task was on its way out after the run
    /// came to rest; it must look at the run once more instead of leaving it undriven.
    pub(crate) again: bool,
}

impl Engine {
    pub fn new(store: Store, clock: Arc<dyn Clock>, workflows: Vec<Workflow>) -> Result<Engine, EngineError> {
        let mut map = HashMap::new();
        for workflow in workflows {
            workflow.pipeline.validate()?;
            map.insert(workflow.pipeline.name.clone(), Arc::new(workflow));
        }
        let (changes, _) = broadcast::channel(1024);
        Ok(Engine {
            inner: Arc::new(Inner {
                store,
                clock,
                workflows: map,
                changes,
                active: Mutex::new(HashMap::new()),
                retry: RetryPolicy::default(),
                provider_retry: HashMap::new(),
                halts: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// Replaces the retry policy of stages without their own (tests use zero delays).
    pub fn with_retry_policy(self, retry: RetryPolicy) -> Engine {
        self.rebuilt(|inner| Inner { retry, ..inner })
    }

    /// Retries failures `provider` caused with `retry`, whatever stage they happen in.
    pub fn with_provider_retry(self, provider: &str, retry: RetryPolicy) -> Engine {
        self.rebuilt(|mut inner| {
            inner.provider_retry.insert(provider.to_owned(), retry);
            inner
        })
    }

    /// Configuration happens before any run is driven, so a shared engine is copied rather than mutated.
    fn rebuilt(self, change: impl FnOnce(Inner) -> Inner) -> Engine {
        let inner = Arc::try_unwrap(self.inner).unwrap_or_else(|arc| Inner {
            store: arc.store.clone(),
            clock: arc.clock.clone(),
            workflows: arc.workflows.clone(),
            changes: arc.changes.clone(),
            active: Mutex::new(HashMap::new()),
            retry: arc.retry.clone(),
            provider_retry: arc.provider_retry.clone(),
            halts: Mutex::new(HashMap::new()),
        });
        Engine {
            inner: Arc::new(change(inner)),
        }
    }

    /// The policy for a failure of `spec`: the provider's if it has one, else the stage's, else the engine's.
    pub(crate) fn retry_policy<'a>(&'a self, spec: &'a StageSpec, error: &StageError) -> &'a RetryPolicy {
        error
            .provider
            .as_ref()
            .and_then(|p| self.inner.provider_retry.get(p))
            .or(spec.retry.as_ref())
            .unwrap_or(&self.inner.retry)
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    pub fn workflow(&self, pipeline: &str) -> Option<&Arc<Workflow>> {
        self.inner.workflows.get(pipeline)
    }

    /// Every persisted change to a run is announced here (after it is durable).
    pub fn subscribe(&self) -> broadcast::Receiver<RunChanged> {
        self.inner.changes.subscribe()
    }

    pub fn is_driving(&self, run: &RunId) -> bool {
        self.inner.active.lock().map(|a| a.contains_key(run)).unwrap_or(false)
    }
}
