//! Test pipeline: a → (b ‖ c) → gate → review (human) → done, with runners whose behaviour each test scripts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use showrunner_domain::{ArtifactKind, EpisodeStatus, GateVerdict, Money, RunId, StageId};
use showrunner_domain::{BudgetPhase, BudgetSplit};
use showrunner_domain::{ParkReason, ProviderCode, RunStatus, StageCode};
use showrunner_engine::{
    Engine, GateOutcome, ManualClock, Pipeline, RetryPolicy, StageContext, StageError, StageOutput, StageRunner,
    StageSpec, SubjectStatusHook, Workflow,
};
use showrunner_store::{NewArtifact, RunRecord, Store, SubjectStatus};
use tempfile::TempDir;

pub const PIPELINE: &str = "test";

/// The test pipelines split their cap as the seed does: research 20 %, production 51 %, audio 29 %.
pub fn budget() -> BudgetSplit {
    BudgetSplit::new(vec![
        BudgetPhase::new("research", "Research", 20),
        BudgetPhase::new("production", "Production", 51),
        BudgetPhase::new("audio", "Audio", 29),
    ])
    .unwrap()
}

pub fn pipeline() -> Pipeline {
    Pipeline {
        name: PIPELINE.into(),
        budget: budget(),
        stages: vec![
            StageSpec::work("a", "A", &[], "research"),
            StageSpec::work("b", "B", &["a"], "production"),
            StageSpec::work("c", "C", &["a"], "production"),
            StageSpec::gate("gate", "Gate", &["b", "c"], "production", Some("b")),
            StageSpec::human_gate("review", "Review", &["gate"], "audio"),
            StageSpec::work("done", "Done", &["review"], "audio"),
        ],
    }
}

/// What the test pipelines' runs make of what they produce, as production's hook does for an episode: parked
/// at `review` it awaits release, parked anywhere else it needs attention. The runs produce nothing the store
/// knows (the engine needs no show or episode), so the hook keeps what the engine asked it, in order, and
/// leaves the store nothing to write; that the store writes a hook's answer with the run's status, in one
/// transaction, is the store's tests' and production's to show.
#[derive(Default)]
pub struct SubjectLog(Mutex<Vec<EpisodeStatus>>);

impl SubjectLog {
    /// What the engine said last that the subject became.
    pub fn now(&self) -> Option<EpisodeStatus> {
        self.0.lock().unwrap().last().copied()
    }
}

impl SubjectStatusHook for SubjectLog {
    fn subject_status(&self, status: RunStatus, park: Option<&ParkReason>) -> Option<SubjectStatus> {
        let becomes = match (status, park) {
            (RunStatus::Running, _) => EpisodeStatus::Producing,
            (RunStatus::Done, _) => EpisodeStatus::Released,
            (RunStatus::Failed, _) => EpisodeStatus::Failed,
            (RunStatus::Cancelled, _) => EpisodeStatus::Cancelled,
            (RunStatus::Parked, Some(ParkReason::HumanGate { stage })) if stage.as_str() == "review" => {
                EpisodeStatus::AwaitingRelease
            }
            (RunStatus::Parked, _) => EpisodeStatus::NeedsAttention,
        };
        self.0.lock().unwrap().push(becomes);
        None
    }
}

/// A run of `pipeline` held to `cap`, producing no episode: what every engine test starts from.
pub async fn new_run(store: &Store, pipeline: &str, split: &BudgetSplit, cap: Money) -> RunRecord {
    store.create_run(None, pipeline, cap, split, None, 2).await.unwrap()
}

/// A runner that records how often it ran, can sleep, fail, and (for the gate) follow a script of verdicts.
#[derive(Default)]
pub struct Scripted {
    pub runs: AtomicU32,
    pub delay: Mutex<Duration>,
    pub verdicts: Mutex<Vec<GateVerdict>>,
    pub transient_failures: AtomicU32,
    pub terminal_failure: Mutex<Option<String>>,
    /// Runs left that panic (a bug in a stage, e.g. a byte index out of range).
    pub panics: AtomicU32,
    pub seen_feedback: Mutex<Vec<Option<String>>>,
    /// Whether each run was told it was the gates' last chance.
    pub seen_final: Mutex<Vec<bool>>,
    pub concurrent: Arc<AtomicU32>,
    pub max_concurrent: Arc<AtomicU32>,
}

#[async_trait::async_trait]
impl StageRunner for Scripted {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        self.seen_feedback.lock().unwrap().push(ctx.feedback.clone());
        self.seen_final.lock().unwrap().push(ctx.final_remediation);
        let now = self.concurrent.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_concurrent.fetch_max(now, Ordering::SeqCst);
        let delay = *self.delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        self.concurrent.fetch_sub(1, Ordering::SeqCst);
        if self.transient_failures.load(Ordering::SeqCst) > 0 {
            self.transient_failures.fetch_sub(1, Ordering::SeqCst);
            return Err(StageError::transient(
                StageCode::Provider(ProviderCode::RateLimited),
                "the provider asked us to slow down",
            ));
        }
        if self.panics.load(Ordering::SeqCst) > 0 {
            self.panics.fetch_sub(1, Ordering::SeqCst);
            panic!("byte index 7 is out of range");
        }
        if let Some(message) = self.terminal_failure.lock().unwrap().clone() {
            return Err(StageError::terminal(StageCode::Other("bad_request".into()), message));
        }
        let gate = {
            let mut verdicts = self.verdicts.lock().unwrap();
            if verdicts.is_empty() {
                None
            } else {
                Some(verdicts.remove(0))
            }
        };
        let content =
            serde_json::json!({ "stage": ctx.spec.id, "attempt": ctx.attempt, "feedback": "make it shorter" });
        Ok(StageOutput {
            artifacts: vec![NewArtifact {
                kind: ArtifactKind::GateReport,
                content,
            }],
            cost: Money::from_micros(1_000),
            route: Some(showrunner_domain::Route::by("Scripted")),
            gate: gate.map(|verdict| GateOutcome {
                verdict,
                feedback: "make it shorter".into(),
            }),
        })
    }
}

pub struct Rig {
    pub dir: TempDir,
    pub store: Store,
    pub engine: Engine,
    pub clock: Arc<ManualClock>,
    pub runners: HashMap<&'static str, Arc<Scripted>>,
    pub subject: Arc<SubjectLog>,
}

impl Rig {
    pub async fn new() -> Rig {
        let dir = tempfile::tempdir().unwrap();
        Rig::open(dir).await
    }

    /// Opens (or reopens, after a simulated restart) an engine on `dir`.
    pub async fn open(dir: TempDir) -> Rig {
        let store = Store::open(dir.path()).await.unwrap();
        let clock = Arc::new(ManualClock::starting_at(1_700_000_000_000));
        let concurrent = Arc::new(AtomicU32::new(0));
        let max_concurrent = Arc::new(AtomicU32::new(0));
        let mut runners = HashMap::new();
        let mut map: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
        for id in ["a", "b", "c", "gate", "done"] {
            let runner = Arc::new(Scripted {
                concurrent: concurrent.clone(),
                max_concurrent: max_concurrent.clone(),
                ..Scripted::default()
            });
            map.insert(StageId::new(id), runner.clone());
            runners.insert(id, runner);
        }
        let subject = Arc::new(SubjectLog::default());
        let engine = Engine::new(
            store.clone(),
            clock.clone(),
            vec![Workflow::new(pipeline(), map).with_subject_status(subject.clone())],
        )
        .unwrap()
        .with_retry_policy(RetryPolicy::immediate(3));
        Rig {
            dir,
            store,
            engine,
            clock,
            runners,
            subject,
        }
    }

    pub fn runner(&self, id: &str) -> &Scripted {
        &self.runners[id]
    }

    pub async fn start(&self) -> RunRecord {
        new_run(&self.store, PIPELINE, &budget(), Money::from_micros(1_000_000)).await
    }

    pub async fn drive(&self, run: &RunId) -> showrunner_domain::RunStatus {
        self.engine.drive_to_rest(run).await.unwrap()
    }

    pub async fn statuses(&self, run: &RunId) -> Vec<(String, String)> {
        let attempts = self.store.attempts(run).await.unwrap();
        attempts
            .iter()
            .map(|a| (a.stage.as_str().to_owned(), a.status.as_str().to_owned()))
            .collect()
    }
}
