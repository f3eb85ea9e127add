//! Retry policies per stage and per provider, a time limit per try and one per stage, on a one-stage pipeline.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use showrunner_domain::{AttemptStatus, BudgetSplit, Money, RunStatus, StageId};
use showrunner_domain::{ProviderCode, StageCode};
use showrunner_engine::{
    Clock, Engine, ManualClock, Pipeline, RetryPolicy, StageContext, StageError, StageOutput, StageRunner, StageSpec,
    Workflow,
};
use showrunner_store::{AttemptRecord, Store};

/// Fails transiently `failures` times (as `provider`'s failure when given, asking for `retry_after` when
/// given), each try taking `hang` of tokio's time on its first try only and `clock_step_ms` of the manual
/// clock.
struct Flaky {
    runs: AtomicU32,
    failures: u32,
    provider: Option<&'static str>,
    retry_after: Option<Duration>,
    first_try_hangs: Option<Duration>,
    clock: Arc<ManualClock>,
    clock_step_ms: i64,
}

#[async_trait::async_trait]
impl StageRunner for Flaky {
    async fn run(&self, _ctx: StageContext) -> Result<StageOutput, StageError> {
        let n = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        self.clock.advance_ms(self.clock_step_ms);
        if let (1, Some(hang)) = (n, self.first_try_hangs) {
            tokio::time::sleep(hang).await;
        }
        if n <= self.failures {
            let error = StageError {
                retry_after: self.retry_after,
                ..StageError::transient(
                    StageCode::Provider(ProviderCode::ServerError),
                    format!("try {n}: the provider answered 500"),
                )
            };
            return Err(match self.provider {
                Some(p) => error.from_provider(p),
                None => error,
            });
        }
        Ok(StageOutput::default())
    }
}

impl Flaky {
    fn failing(failures: u32, clock: &Arc<ManualClock>) -> Flaky {
        Flaky {
            runs: AtomicU32::new(0),
            failures,
            provider: None,
            retry_after: None,
            first_try_hangs: None,
            clock: clock.clone(),
            clock_step_ms: 0,
        }
    }
}

/// Drives one run of a single stage `spec` with `runner` on `engine_with` the engine, to rest.
async fn run_one(
    spec: StageSpec,
    runner: Flaky,
    configure: impl FnOnce(Engine) -> Engine,
) -> (RunStatus, Vec<AttemptRecord>, u32) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let clock = runner.clock.clone();
    let runner = Arc::new(runner);
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    runners.insert(spec.id.clone(), runner.clone());
    let workflow = Workflow::new(
        Pipeline {
            name: "one".into(),
            budget: BudgetSplit::whole("work", "Work"),
            stages: vec![spec],
        },
        runners,
    );
    let engine = configure(Engine::new(store.clone(), clock, vec![workflow]).unwrap());
    let run = crate::harness::new_run(
        &store,
        "one",
        &BudgetSplit::whole("work", "Work"),
        Money::from_micros(1_000_000),
    )
    .await;
    let status = engine.drive_to_rest(&run.id).await.unwrap();
    let attempts = store.attempts(&run.id).await.unwrap();
    (status, attempts, runner.runs.load(Ordering::SeqCst))
}

fn stage() -> StageSpec {
    StageSpec::work("call", "Call", &[], "work")
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::starting_at(1_700_000_000_000))
}

fn last(attempts: &[AttemptRecord]) -> &AttemptRecord {
    attempts.last().expect("an attempt")
}

#[tokio::test]
async fn a_stage_with_its_own_policy_stops_at_its_own_limit() {
    let clock = clock();
    let (status, attempts, runs) = run_one(
        stage().with_retry(RetryPolicy::immediate(2)),
        Flaky::failing(10, &clock),
        |e| e.with_retry_policy(RetryPolicy::immediate(5)),
    )
    .await;
    assert_eq!(status, RunStatus::Failed);
    assert_eq!(runs, 2, "the stage's 2 tries, not the engine's 5");
    assert_eq!(last(&attempts).error_code.as_deref(), Some("server_error"));
}

#[tokio::test]
async fn a_providers_policy_governs_that_providers_failures_in_any_stage() {
    let clock = clock();
    let elevenlabs = Flaky {
        provider: Some("elevenlabs"),
        ..Flaky::failing(3, &clock)
    };
    let (status, _, runs) = run_one(stage().with_retry(RetryPolicy::immediate(2)), elevenlabs, |e| {
        e.with_provider_retry("elevenlabs", RetryPolicy::immediate(4))
    })
    .await;
    assert_eq!(
        (status, runs),
        (RunStatus::Done, 4),
        "ElevenLabs' 4 tries carry it through"
    );

    let other = Flaky {
        provider: Some("gemini"),
        ..Flaky::failing(3, &clock)
    };
    let (status, _, runs) = run_one(stage().with_retry(RetryPolicy::immediate(2)), other, |e| {
        e.with_provider_retry("elevenlabs", RetryPolicy::immediate(4))
    })
    .await;
    assert_eq!(
        (status, runs),
        (RunStatus::Failed, 2),
        "another provider's failure keeps the stage's policy"
    );
}

#[tokio::test]
async fn a_try_that_hangs_is_cut_off_at_its_time_limit_and_retried() {
    let clock = clock();
    let hangs = Flaky {
        first_try_hangs: Some(Duration::from_secs(30)),
        ..Flaky::failing(0, &clock)
    };
    let started = std::time::Instant::now();
    let (status, attempts, runs) = run_one(
        stage().with_time_limits(Duration::from_millis(100), Duration::from_secs(3_600)),
        hangs,
        |e| e.with_retry_policy(RetryPolicy::immediate(3)),
    )
    .await;
    assert_eq!((status, runs), (RunStatus::Done, 2));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the hung try was not waited out"
    );
    let cut_off = attempts
        .iter()
        .find(|a| a.error_code.as_deref() == Some("attempt_timeout"))
        .expect("the first try is recorded as timed out");
    assert!(matches!(
        cut_off.status,
        AttemptStatus::Superseded | AttemptStatus::WaitingRetry
    ));
}

#[tokio::test]
async fn retries_stop_when_the_next_try_would_start_past_the_stage_deadline() {
    let clock = clock();
    // Each try takes 10 s of the stage's clock; retries are otherwise unlimited.
    let slow = Flaky {
        clock_step_ms: 10_000,
        ..Flaky::failing(100, &clock)
    };
    let unlimited = RetryPolicy {
        initial_interval_ms: 5,
        backoff_coefficient: 1.0,
        maximum_interval_ms: 5,
        maximum_attempts: 0,
        jitter: 0.0,
    };
    let started_at = clock.now_ms();
    let (status, attempts, runs) = run_one(
        stage().with_time_limits(Duration::from_secs(60), Duration::from_secs(35)),
        slow,
        |e| e.with_retry_policy(unlimited),
    )
    .await;
    // Tries start at 0, 10, 20 and 30 s (and the 5 ms waits between them); a fifth would start after 40 s,
    // past the 35 s deadline.
    assert_eq!((status, runs), (RunStatus::Failed, 4));
    let failed = last(&attempts);
    assert_eq!(failed.error_code.as_deref(), Some("stage_deadline"));
    let message = failed.error_message.as_deref().unwrap_or_default();
    assert!(
        message.contains("4 tries") && message.contains("try 4: the provider answered 500"),
        "{message}"
    );
    assert_eq!(
        clock.now_ms() - started_at,
        40_000 + 3 * 5,
        "the tries' time and the three waits between them, all on the one clock"
    );
}

/// Real time a test allows a run whose waits are all on the manual clock. (Tokio's paused time is no help
/// here: the store's pool times out on tokio's clock while the runtime idles waiting for SQLite's thread.)
const NO_REAL_WAIT: Duration = Duration::from_secs(20);

/// A wait of ten minutes a provider asked for: the engine waits on its clock, so on a manual clock it costs
/// no real time and the next try starts ten minutes later by that clock.
#[tokio::test]
async fn a_retrys_wait_is_on_the_injected_clock() {
    let clock = clock();
    let asked = Flaky {
        retry_after: Some(Duration::from_secs(600)),
        ..Flaky::failing(1, &clock)
    };
    let started_at = clock.now_ms();
    let (status, attempts, runs) = tokio::time::timeout(NO_REAL_WAIT, run_one(stage(), asked, |e| e))
        .await
        .expect("the ten minutes pass on the manual clock, not in real time");
    assert_eq!((status, runs), (RunStatus::Done, 2));
    assert_eq!(attempts.len(), 2);
    assert_eq!(
        attempts[1].started_at_ms - attempts[0].started_at_ms,
        600_000,
        "the second try starts the Retry-After later, by the injected clock"
    );
    assert_eq!(clock.now_ms() - started_at, 600_000);
}

/// Retry waits and the stage's deadline are measured on the same clock: three tries ten minutes apart use up
/// a 25-minute deadline, however many tries the policy would still allow.
#[tokio::test]
async fn the_deadline_counts_the_waits_between_tries() {
    let clock = clock();
    let ten_minutes = RetryPolicy {
        initial_interval_ms: 600_000,
        backoff_coefficient: 1.0,
        maximum_interval_ms: 600_000,
        maximum_attempts: 6,
        jitter: 0.0,
    };
    let run = run_one(
        stage().with_time_limits(Duration::from_secs(3_600), Duration::from_secs(25 * 60)),
        Flaky::failing(100, &clock),
        |e| e.with_retry_policy(ten_minutes),
    );
    let (status, attempts, runs) = tokio::time::timeout(NO_REAL_WAIT, run)
        .await
        .expect("the waits pass on the manual clock, not in real time");
    // Tries at 0, 10 and 20 min; a fourth would start at 30 min, past the deadline.
    assert_eq!((status, runs), (RunStatus::Failed, 3));
    assert_eq!(last(&attempts).error_code.as_deref(), Some("stage_deadline"));
    assert_eq!(last(&attempts).started_at_ms - attempts[0].started_at_ms, 20 * 60_000);
}
