//! Test pipeline for paid calls: research → write → speak, each stage making the paid calls its plan lists
//! through `ctx.paid_call` against a fake provider that counts every request it receives, can hang on one
//! (so the test can kill the engine mid-call) and can fail one.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use showrunner_domain::{ArtifactKind, Money, RunId, RunStatus, StageCode, StageId};
use showrunner_engine::{
    BudgetState, Engine, ManualClock, PaidCall, PaidCallError, PaidResult, Pipeline, RetryPolicy, StageContext,
    StageError, StageOutput, StageRunner, StageSpec, Workflow,
};
use showrunner_store::{replay_ledger, NewArtifact, NoticeKind, RunRecord, Store};
use tempfile::TempDir;
use tokio::sync::Barrier;

pub const PIPELINE: &str = "paid";

pub fn cents(n: i64) -> Money {
    Money(n * 10_000)
}

fn pipeline() -> Pipeline {
    Pipeline {
        name: PIPELINE.into(),
        budget: crate::harness::budget(),
        stages: vec![
            StageSpec::work("research", "Research", &[], "research"),
            StageSpec::work("write", "Write", &["research"], "production"),
            StageSpec::work("speak", "Speak", &["write"], "audio"),
        ],
    }
}

/// One paid call a stage makes: reserve `estimate`, get billed `cost`.
#[derive(Clone, Debug)]
pub struct Call {
    pub key: &'static str,
    pub estimate: Money,
    pub cost: Money,
}

pub fn call(key: &'static str, estimate: Money, cost: Money) -> Call {
    Call { key, estimate, cost }
}

/// What each stage does; rebuilt identically after a simulated restart.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub research: Vec<Call>,
    pub write: Vec<Call>,
    pub speak: Vec<Call>,
    /// The write stage sends all its calls at once, released together by a barrier.
    pub write_all_at_once: bool,
}

/// The provider side: survives restarts, so it can count what was really sent (and so paid for).
#[derive(Default)]
pub struct FakeProvider {
    /// Requests received per call key.
    pub sent: Mutex<HashMap<String, u32>>,
    /// A key whose request never returns: the test kills the engine while it is out.
    pub hang_on: Mutex<Option<String>>,
    /// A key whose request fails, with what the provider billed for it.
    pub fail_on: Mutex<Option<(String, Money)>>,
    /// How long each request takes.
    pub latency: Mutex<Duration>,
    pub in_flight: AtomicU32,
    pub most_in_flight: AtomicU32,
    /// The largest settled + reserved seen from inside any request.
    pub worst_committed: AtomicI64,
}

impl FakeProvider {
    pub fn sent(&self, key: &str) -> u32 {
        self.sent.lock().unwrap().get(key).copied().unwrap_or(0)
    }

    async fn send(&self, ctx: &StageContext, call: &Call) -> Result<PaidResult<String>, PaidCallError> {
        let n = {
            let mut sent = self.sent.lock().unwrap();
            let n = sent.entry(call.key.to_owned()).or_default();
            *n += 1;
            *n
        };
        let _guard = InFlight::enter(self);
        let committed = ctx.store.ledger(&ctx.run.id).await.unwrap().committed();
        self.worst_committed.fetch_max(committed.0, Ordering::SeqCst);
        if self.hang_on.lock().unwrap().as_deref() == Some(call.key) {
            tokio::time::sleep(Duration::from_secs(3_600)).await;
        }
        let latency = *self.latency.lock().unwrap();
        tokio::time::sleep(latency).await;
        if let Some((key, billed)) = self.fail_on.lock().unwrap().clone() {
            if key == call.key {
                let error = StageError::terminal(StageCode::InvalidOutput, "the answer did not match its contract");
                return Err(PaidCallError::billed(error, billed));
            }
        }
        Ok(PaidResult {
            value: format!("answer to {} #{n}", call.key),
            cost: call.cost,
            usage: serde_json::json!({ "input_tokens": 1000, "output_tokens": 500 }),
            price_row: Some("test-prices#1".into()),
            request_id: Some(format!("req-{}-{n}", call.key)),
        })
    }
}

/// Counts a request in flight until it returns or is dropped (a killed engine drops it).
struct InFlight<'a>(&'a FakeProvider);

impl<'a> InFlight<'a> {
    fn enter(provider: &'a FakeProvider) -> InFlight<'a> {
        let now = provider.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        provider.most_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(provider)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A stage that makes its planned paid calls. At 95 % of the cap it takes the cheaper "fallback" route.
pub struct PaidStage {
    provider: Arc<FakeProvider>,
    calls: Vec<Call>,
    all_at_once: bool,
    /// The error code of every refused or failed call, across runs of the stage.
    pub errors: Mutex<Vec<String>>,
    pub runs: AtomicU32,
}

impl PaidStage {
    async fn one(provider: Arc<FakeProvider>, ctx: StageContext, call: Call, model: &str) -> Result<Money, StageError> {
        let paid = PaidCall {
            key: call.key.into(),
            provider: "fake".into(),
            model: model.into(),
            estimate: call.estimate,
            prompt: None,
            reuse_key: None,
        };
        let outcome = ctx
            .paid_call(paid, || async { provider.send(&ctx, &call).await })
            .await?;
        assert_eq!(
            outcome.value.split(" #").next(),
            Some(format!("answer to {}", call.key).as_str())
        );
        Ok(outcome.cost)
    }
}

#[async_trait::async_trait]
impl StageRunner for PaidStage {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        let state = ctx.budget_state().await?;
        let route = if state.should_degrade() { "fallback" } else { "primary" };
        let results: Vec<Result<Money, StageError>> = if self.all_at_once {
            let barrier = Arc::new(Barrier::new(self.calls.len()));
            let mut tasks = tokio::task::JoinSet::new();
            for call in self.calls.clone() {
                let (provider, ctx, barrier) = (self.provider.clone(), ctx.clone(), barrier.clone());
                tasks.spawn(async move {
                    barrier.wait().await;
                    PaidStage::one(provider, ctx, call, route).await
                });
            }
            tasks.join_all().await
        } else {
            let mut results = Vec::new();
            for call in self.calls.clone() {
                let result = PaidStage::one(self.provider.clone(), ctx.clone(), call, route).await;
                let failed = result.is_err();
                results.push(result);
                if failed {
                    break;
                }
            }
            results
        };
        let mut cost = Money::ZERO;
        let mut first_error = None;
        for result in results {
            match result {
                Ok(paid) => cost += paid,
                Err(e) => {
                    self.errors.lock().unwrap().push(e.code.to_string());
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(error) = first_error {
            return Err(error);
        }
        Ok(StageOutput {
            artifacts: vec![NewArtifact {
                kind: ArtifactKind::GateReport,
                content: serde_json::json!({ "stage": ctx.spec.id, "budget": state }),
            }],
            cost,
            route: Some(showrunner_domain::Route::by(route)),
            gate: None,
        })
    }
}

pub struct PaidRig {
    pub dir: TempDir,
    pub store: Store,
    pub engine: Engine,
    pub provider: Arc<FakeProvider>,
    pub stages: HashMap<&'static str, Arc<PaidStage>>,
    pub subject: Arc<crate::harness::SubjectLog>,
    plan: Plan,
}

impl PaidRig {
    pub async fn new(plan: Plan) -> PaidRig {
        PaidRig::open(tempfile::tempdir().unwrap(), Arc::new(FakeProvider::default()), plan).await
    }

    /// Opens (or reopens, after a simulated crash) an engine on `dir`, talking to the same provider.
    pub async fn open(dir: TempDir, provider: Arc<FakeProvider>, plan: Plan) -> PaidRig {
        let store = Store::open(dir.path()).await.unwrap();
        let clock = Arc::new(ManualClock::starting_at(1_700_000_000_000));
        let mut stages = HashMap::new();
        let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
        for (id, calls) in [
            ("research", &plan.research),
            ("write", &plan.write),
            ("speak", &plan.speak),
        ] {
            let stage = Arc::new(PaidStage {
                provider: provider.clone(),
                calls: calls.clone(),
                all_at_once: id == "write" && plan.write_all_at_once,
                errors: Mutex::default(),
                runs: AtomicU32::new(0),
            });
            runners.insert(StageId::new(id), stage.clone());
            stages.insert(id, stage);
        }
        let subject = Arc::new(crate::harness::SubjectLog::default());
        let workflow = Workflow::new(pipeline(), runners).with_subject_status(subject.clone());
        let engine = Engine::new(store.clone(), clock, vec![workflow])
            .unwrap()
            .with_retry_policy(RetryPolicy::immediate(3));
        PaidRig {
            dir,
            store,
            engine,
            provider,
            stages,
            subject,
            plan,
        }
    }

    pub fn stage(&self, id: &str) -> &PaidStage {
        &self.stages[id]
    }

    /// A run held to `cap`.
    pub async fn start(&self, cap: Money) -> RunRecord {
        crate::harness::new_run(&self.store, PIPELINE, &crate::harness::budget(), cap).await
    }

    pub async fn drive(&self, run: &RunId) -> RunStatus {
        self.engine.drive_to_rest(run).await.unwrap()
    }

    /// Simulates `kill -9` while the provider holds the request for `key`: starts driving, waits until that
    /// request is out, aborts the driving task, and reopens the engine on the same files and provider. The
    /// reopened rig has closed the attempts the dead process left running (as start-up does) but does not
    /// drive the run yet.
    pub async fn kill_during(self, run: &RunId, key: &str) -> PaidRig {
        *self.provider.hang_on.lock().unwrap() = Some(key.to_owned());
        let before = self.provider.sent(key);
        let handle = self.engine.spawn_drive(run).unwrap();
        wait_for(|| self.provider.sent(key) > before).await;
        handle.abort();
        let _ = handle.await;
        // The aborted stage task drops the request it was waiting on.
        wait_for(|| self.provider.in_flight.load(Ordering::SeqCst) == 0).await;
        *self.provider.hang_on.lock().unwrap() = None;
        let PaidRig {
            dir,
            store,
            engine,
            provider,
            plan,
            ..
        } = self;
        drop(engine);
        store.close().await;
        let rig = PaidRig::open(dir, provider, plan).await;
        let now = rig.engine.clock().now_ms();
        rig.store.interrupt_running_attempts(run, now).await.unwrap();
        rig
    }
}

pub async fn wait_for(mut done: impl FnMut() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting");
}

/// How often the journal says `threshold` fired for the run.
pub async fn threshold_events(store: &Store, run: &RunId, threshold: &str) -> usize {
    store
        .events_for_run(run)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == "budget.threshold" && e.payload["threshold"] == threshold)
        .count()
}

/// The journal alone rebuilds the ledger's figures (settled, reserved, notices, ambiguous calls).
pub async fn assert_journal_rebuilds_ledger(store: &Store, run: &RunId) {
    let ledger = store.ledger(run).await.unwrap();
    let replayed = replay_ledger(&store.events_for_run(run).await.unwrap()).unwrap();
    assert_eq!(replayed.settled, ledger.settled, "settled from events vs tables");
    assert_eq!(replayed.reserved, ledger.reserved, "reserved from events vs tables");
    assert_eq!(
        replayed.unconfirmed, ledger.unconfirmed,
        "ambiguous reservations from events vs tables"
    );
    let notices: Vec<NoticeKind> = ledger.notices.iter().map(|n| n.kind.clone()).collect();
    assert_eq!(replayed.notices, notices, "notices from events vs tables");
    let ambiguous: BTreeSet<i64> = ledger.calls.iter().filter(|c| c.ambiguous).map(|c| c.id).collect();
    assert_eq!(
        replayed.ambiguous_calls, ambiguous,
        "ambiguous calls from events vs tables"
    );
}

/// The budget state the stage saw when it last ran, from its saved artifact.
pub async fn budget_seen_by(store: &Store, run: &RunId, stage: &str) -> BudgetState {
    let artifacts = store.artifacts(run).await.unwrap();
    let latest = artifacts.iter().rev().find(|a| a.stage == stage).unwrap();
    serde_json::from_value(latest.content["budget"].clone()).unwrap()
}
