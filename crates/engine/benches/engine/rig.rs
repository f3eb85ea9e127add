//! What every bench shares: an engine over a real SQLite store in a temp dir, runs of fresh episodes, a
//! stage runner that only waits, and waiting for a run to reach a state.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use showrunner_domain::{
    ArtifactKind, BrandVoice, DecisionKind, EpisodeStatus, GateVerdict, Money, NewEpisode, ParkReason, RunId,
    RunStatus, StageId,
};
use showrunner_engine::{
    Engine, GateOutcome, HumanDecision, RetryPolicy, StageContext, StageError, StageOutput, StageRunner,
    SubjectStatusHook, SystemClock, Workflow,
};
use showrunner_store::{NewArtifact, RunRecord, Store, SubjectStatus};
use tempfile::TempDir;
use tokio::sync::broadcast::error::RecvError;

/// A cap no bench reaches: spending is not what is measured.
pub const NO_CAP: Money = Money(1_000_000_000_000);

pub struct Rig {
    /// Kept so the store's files live as long as the rig.
    pub _dir: TempDir,
    pub store: Store,
    pub engine: Engine,
}

impl Rig {
    pub async fn new(workflows: Vec<Workflow>, retry: RetryPolicy) -> Rig {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).await.expect("open store");
        let engine = Engine::new(store.clone(), Arc::new(SystemClock), workflows)
            .expect("valid pipelines")
            .with_retry_policy(retry);
        Rig {
            _dir: dir,
            store,
            engine,
        }
    }

    /// A new running run of `pipeline` for a new episode (not driven yet).
    pub async fn new_run(&self, pipeline: &str) -> RunRecord {
        new_run(&self.store, pipeline).await
    }
}

pub async fn new_run(store: &Store, pipeline: &str) -> RunRecord {
    // Show names are unique per store.
    static SHOWS: AtomicUsize = AtomicUsize::new(0);
    let name = format!("Bench show {}", SHOWS.fetch_add(1, Ordering::Relaxed));
    let show = store.create_show(&BrandVoice::starter(&name), 1).await.expect("show");
    let input = NewEpisode {
        show_id: show.id,
        topic: "Tides".into(),
        target_minutes: 5,
        budget_cap: NO_CAP,
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 1).await.expect("episode");
    let producing = EpisodeFollowsRun.subject_status(RunStatus::Running, None);
    store
        .create_run(
            Some(&episode.id),
            pipeline,
            NO_CAP,
            &showrunner_domain::BudgetSplit::whole("work", "Work"),
            producing,
            2,
        )
        .await
        .expect("run")
}

/// The bench's episodes follow their runs as production's do, so each status write also moves an episode.
struct EpisodeFollowsRun;

impl SubjectStatusHook for EpisodeFollowsRun {
    fn subject_status(&self, status: RunStatus, park: Option<&ParkReason>) -> Option<SubjectStatus> {
        Some(SubjectStatus::Episode(match (status, park) {
            (RunStatus::Running, _) => EpisodeStatus::Producing,
            (RunStatus::Done, _) => EpisodeStatus::Released,
            (RunStatus::Failed, _) => EpisodeStatus::Failed,
            (RunStatus::Cancelled, _) => EpisodeStatus::Cancelled,
            (RunStatus::Parked, Some(ParkReason::HumanGate { .. })) => EpisodeStatus::AwaitingRelease,
            (RunStatus::Parked, _) => EpisodeStatus::NeedsAttention,
        }))
    }
}

pub fn following_episodes(workflow: Workflow) -> Workflow {
    workflow.with_subject_status(Arc::new(EpisodeFollowsRun))
}

/// Waits until the stored run satisfies `done`. Subscribe before causing the change, so none is missed.
pub async fn wait_until(
    engine: &Engine,
    changes: &mut tokio::sync::broadcast::Receiver<showrunner_engine::RunChanged>,
    run: &RunId,
    done: impl Fn(&RunRecord) -> bool,
) -> RunRecord {
    loop {
        let record = engine.store().run(run).await.expect("read run").expect("run exists");
        if done(&record) {
            return record;
        }
        loop {
            match tokio::time::timeout(Duration::from_secs(30), changes.recv()).await {
                Ok(Ok(change)) if &change.run_id != run => continue,
                Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) => break,
                Ok(Err(RecvError::Closed)) | Err(_) => panic!("run {run} stopped changing: {record:?}"),
            }
        }
    }
}

pub fn parked_at(record: &RunRecord, gate: &str) -> bool {
    record.status == RunStatus::Parked && record.park.as_ref().is_some_and(|p| p.stage().as_str() == gate)
}

/// The producer approves at once.
pub async fn approve(engine: &Engine, run: &RunId, gate: &str) {
    // The parked driver announces before it lets go of the run; a decision in between would find the run
    // still "being driven" and not start a new driver.
    while engine.is_driving(run) {
        tokio::task::yield_now().await;
    }
    let decision = HumanDecision {
        decision: DecisionKind::Approve,
        note: String::new(),
        decided_by: "bench".into(),
        artifact_version: 1,
    };
    engine
        .decide(run, &StageId::new(gate), decision)
        .await
        .expect("decision applies");
}

/// A stage that only waits: `latency` alone, or `calls` fake calls of `latency` each, `concurrency` at a time.
pub struct Wait {
    latency: Duration,
    calls: usize,
    concurrency: usize,
    gate: bool,
    /// How long the last run really waited (a sleep overshoots a little).
    took: Mutex<Duration>,
}

impl Wait {
    pub fn new(latency: Duration, calls: usize, concurrency: usize, gate: bool) -> Wait {
        Wait {
            latency,
            calls,
            concurrency: concurrency.max(1),
            gate,
            took: Mutex::default(),
        }
    }

    pub fn took(&self) -> Duration {
        *self.took.lock().expect("took")
    }
}

/// A fake provider's answer arriving after exactly `latency`, as a socket read would. Tokio's timer would
/// round every wait up to its next millisecond tick, adding up to a millisecond per call that no engine
/// causes; a blocking-pool thread sleeps to within tens of microseconds.
async fn answer_after(latency: Duration) {
    tokio::task::spawn_blocking(move || std::thread::sleep(latency))
        .await
        .expect("the fake's sleep");
}

#[async_trait::async_trait]
impl StageRunner for Wait {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let started = Instant::now();
        if self.calls > 0 {
            futures::stream::iter(0..self.calls)
                .map(|_| answer_after(self.latency))
                .buffered(self.concurrency)
                .collect::<Vec<()>>()
                .await;
        } else if !self.latency.is_zero() {
            answer_after(self.latency).await;
        }
        *self.took.lock().expect("took") = started.elapsed();
        Ok(StageOutput {
            artifacts: vec![NewArtifact {
                kind: ArtifactKind::GateReport,
                content: serde_json::json!({ "stage": ctx.spec.id }),
            }],
            cost: Money::ZERO,
            route: None,
            gate: self.gate.then(|| GateOutcome {
                verdict: GateVerdict::Pass,
                feedback: String::new(),
            }),
        })
    }
}
