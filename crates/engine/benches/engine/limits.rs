//! Figure 3: twenty episodes producing at once through one shared provider limiter, against the bound the limits
//! themselves set, with a share of calls answered 429.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use showrunner_domain::{Money, RunStatus, StageId};
use showrunner_engine::{
    BudgetSplit, ErrorClass, PaidCall, PaidCallError, PaidResult, Pipeline, RetryPolicy, StageContext, StageError,
    StageOutput, StageRunner, StageSpec, Workflow,
};
use showrunner_providers::{ProviderLimiter, ProviderLimits};

use crate::rig::Rig;
use crate::stats::{ms, p50, Goal, Row};

const RUNS: usize = 20;
const REQUESTS_PER_MINUTE: u32 = 1_200;
const CONCURRENT: usize = 4;
const CALL: Duration = Duration::from_millis(50);
/// Every this many requests, the provider answers 429 and asks everyone to wait `SLOW_DOWN`.
const RATE_LIMITED_EVERY: u32 = 20;
const SLOW_DOWN: Duration = Duration::from_millis(100);
const REPS: usize = 3;

/// Calls per stage: a script call, then four spoken lines at once.
const STAGES: [(&str, usize); 2] = [("write", 1), ("speak", 4)];

/// The provider side: counts what it receives, and while a 429's wait is running, answers 429 to anyone who
/// calls anyway, so callers that do not hold back show up as extra 429s (a retry storm).
struct Provider {
    limiter: ProviderLimiter,
    requests: AtomicU32,
    injected: AtomicU32,
    during_wait: AtomicU32,
    per_key: Mutex<HashMap<String, u32>>,
    closed_until: Mutex<Option<Instant>>,
}

fn rate_limited(wait: Duration) -> PaidCallError {
    PaidCallError::from(StageError {
        code: "rate_limited".into(),
        message: "429 Too Many Requests".into(),
        class: ErrorClass::Transient,
        retry_after: Some(wait),
        provider: None,
    })
}

impl Provider {
    fn new() -> Provider {
        Provider {
            limiter: ProviderLimiter::new(ProviderLimits {
                requests_per_minute: NonZeroU32::new(REQUESTS_PER_MINUTE),
                tokens_per_minute: None,
                concurrent: Some(CONCURRENT),
            }),
            requests: AtomicU32::new(0),
            injected: AtomicU32::new(0),
            during_wait: AtomicU32::new(0),
            per_key: Mutex::default(),
            closed_until: Mutex::default(),
        }
    }

    async fn send(&self, key: String) -> Result<PaidResult<String>, PaidCallError> {
        let _permit = self.limiter.acquire().await;
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        *self.per_key.lock().expect("keys").entry(key.clone()).or_default() += 1;
        let now = Instant::now();
        {
            let mut closed = self.closed_until.lock().expect("provider gate");
            if let Some(wait) = closed.and_then(|until| until.checked_duration_since(now)) {
                self.during_wait.fetch_add(1, Ordering::SeqCst);
                self.limiter.slow_down(Some(wait));
                return Err(rate_limited(wait));
            }
            if n.is_multiple_of(RATE_LIMITED_EVERY) {
                *closed = Some(now + SLOW_DOWN);
                self.injected.fetch_add(1, Ordering::SeqCst);
                self.limiter.slow_down(Some(SLOW_DOWN));
                return Err(rate_limited(SLOW_DOWN));
            }
        }
        tokio::time::sleep(CALL).await;
        Ok(PaidResult {
            value: format!("answer to {key}"),
            cost: Money::from_micros(100),
            usage: serde_json::json!({ "input_tokens": 100, "output_tokens": 50 }),
            price_row: None,
            request_id: None,
        })
    }

    /// Spends the per-minute burst up front, so the steady rate binds from the first call, as it does for a
    /// provider that is already busy.
    async fn drain_burst(&self) {
        for _ in 0..REQUESTS_PER_MINUTE {
            drop(self.limiter.acquire().await);
        }
    }

    fn resent(&self) -> u32 {
        self.per_key.lock().expect("keys").values().map(|n| n - 1).sum()
    }
}

/// Makes its calls at once through the paid-call ledger; the limiter decides when each goes out. A 429
/// fails the stage as transient, and the engine's retry reuses the calls already paid for.
struct Calls {
    n: usize,
    provider: Arc<Provider>,
}

#[async_trait::async_trait]
impl StageRunner for Calls {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let results: Vec<_> = futures::stream::iter(0..self.n)
            .map(|i| {
                let ctx = &ctx;
                let call = PaidCall {
                    key: format!("{}/{i}", ctx.spec.id),
                    provider: "fake".into(),
                    model: "fake-1".into(),
                    estimate: Money::from_micros(1_000),
                    prompt: None,
                    reuse_key: None,
                };
                let wire_key = format!("{}/{}", ctx.run.id, call.key);
                async move { ctx.paid_call(call, || self.provider.send(wire_key)).await }
            })
            .buffer_unordered(self.n)
            .collect()
            .await;
        let mut cost = Money::ZERO;
        for result in results {
            cost += result?.cost;
        }
        Ok(StageOutput {
            artifacts: Vec::new(),
            cost,
            route: Some(showrunner_domain::Route::by("fake")),
            gate: None,
        })
    }
}

fn workflow(provider: &Arc<Provider>) -> Workflow {
    let mut stages = Vec::new();
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    let mut previous: Vec<&str> = Vec::new();
    for (id, n) in STAGES {
        stages.push(StageSpec::work(id, id, &previous, "work"));
        let runner = Calls {
            n,
            provider: provider.clone(),
        };
        runners.insert(StageId::new(id), Arc::new(runner));
        previous = vec![id];
    }
    let pipeline = Pipeline {
        name: "episode".into(),
        budget: BudgetSplit::whole("work", "Work"),
        stages,
    };
    crate::rig::following_episodes(Workflow::new(pipeline, runners))
}

struct Outcome {
    wall_ms: f64,
    bound_ms: f64,
    rate_binds: bool,
    requests: u32,
    injected: u32,
    during_wait: u32,
    resent: u32,
    stage_retries: usize,
}

async fn once() -> Outcome {
    let provider = Arc::new(Provider::new());
    let retry = RetryPolicy {
        initial_interval_ms: 100,
        backoff_coefficient: 2.0,
        maximum_interval_ms: 1_000,
        maximum_attempts: 10,
        jitter: 0.0,
    };
    let rig = Rig::new(vec![workflow(&provider)], retry).await;
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        runs.push(rig.new_run("episode").await);
    }
    provider.drain_burst().await;
    let started = Instant::now();
    let handles: Vec<_> = runs
        .iter()
        .map(|r| rig.engine.spawn_drive(&r.id).expect("not driven yet"))
        .collect();
    for handle in handles {
        let status = handle.await.expect("drive task").expect("drive");
        assert_eq!(status, RunStatus::Done, "every episode completes");
    }
    let wall = started.elapsed();

    let requests = provider.requests.load(Ordering::SeqCst);
    let injected = provider.injected.load(Ordering::SeqCst);
    let during_wait = provider.during_wait.load(Ordering::SeqCst);
    let answered = requests - injected - during_wait;
    let by_rate = requests as f64 * 60_000.0 / REQUESTS_PER_MINUTE as f64;
    let by_concurrency = answered as f64 * ms(CALL) / CONCURRENT as f64;
    let mut stage_retries = 0;
    for run in &runs {
        let attempts = rig.store.attempts(&run.id).await.expect("attempts");
        stage_retries += attempts
            .iter()
            .filter(|a| a.error_code.as_deref() == Some("rate_limited"))
            .count();
    }
    Outcome {
        wall_ms: ms(wall),
        bound_ms: by_rate.max(by_concurrency),
        rate_binds: by_rate >= by_concurrency,
        requests,
        injected,
        during_wait,
        resent: provider.resent(),
        stage_retries,
    }
}

pub async fn run() -> Vec<Row> {
    let mut outcomes = Vec::with_capacity(REPS);
    for _ in 0..REPS {
        outcomes.push(once().await);
    }
    let ratios: Vec<f64> = outcomes.iter().map(|o| o.wall_ms / o.bound_ms).collect();
    let retry_ratios: Vec<f64> = outcomes
        .iter()
        .map(|o| o.resent as f64 / o.injected.max(1) as f64)
        .collect();
    for o in &outcomes {
        println!(
            "shared limits: {RUNS} runs, {} requests ({} injected 429, {} 429 for calling during a wait), \
             {} re-sent, {} stage retries; wall {:.0} ms, bound {:.0} ms ({})",
            o.requests,
            o.injected,
            o.during_wait,
            o.resent,
            o.stage_retries,
            o.wall_ms,
            o.bound_ms,
            if o.rate_binds {
                "rate binds"
            } else {
                "concurrency binds"
            }
        );
    }
    vec![
        Row::new(
            format!("3. {RUNS} concurrent runs: wall / limit bound, p50"),
            p50(&ratios),
            "x",
            Goal::AtMost(1.10),
        ),
        Row::new(
            "3. re-sent requests / injected 429s, p50",
            p50(&retry_ratios),
            "x",
            Goal::AtMost(1.0),
        ),
        Row::new(
            "3. 429s for calling during a wait (storm), max",
            outcomes.iter().map(|o| o.during_wait).max().unwrap_or(0) as f64,
            "",
            Goal::AtMost(0.0),
        ),
    ]
}
