//! A soak under provider faults: many one-minute episodes produced at once by the real clients, each fake failing
//! a fifth of its requests in the ways real providers fail. Every episode must come to rest either parked at
//! release or stopped with a coded reason, and its books must still balance: the journal has no holes, the
//! ledger's total is the sum of its calls, nothing stays reserved, and no call is paid for twice.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use futures::StreamExt;
use showrunner_api::domain::{
    AttemptStatus, BrandVoice, EpisodeId, EpisodeStatus, Money, NewEpisode, ParkReason, RunId, RunStatus,
};
use showrunner_api::{episodes, runs, script, shows, App};
use showrunner_engine::RetryPolicy;
use showrunner_provider_fakes::{FakeConfig, FakeServer, Fault};
use showrunner_store::CallStatus;

use crate::support::offline_answers::rehearsal_responder;

use crate::support::keyed_app::FakeEnvironment;

const KEYS: [(&str, &str); 4] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-7f3a9c"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-52b1e8"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-0d4e61"),
    ("ELEVENLABS_API_KEY", "xi-fake-key-93c2aa"),
];

/// `SHOWRUNNER_FAULTS_EPISODES` runs a longer soak; the default keeps the suite to a few minutes on two cores.
const DEFAULT_EPISODES: usize = 50;
const CONCURRENT_EPISODES: usize = 10;
const FAULT_RATE: f64 = 0.2;

fn key(var: &str) -> String {
    KEYS.iter()
        .find(|(v, _)| *v == var)
        .map(|(_, k)| k.to_string())
        .unwrap()
}

fn faults() -> Vec<Fault> {
    vec![
        Fault::RateLimited {
            retry_after_secs: Some(1),
        },
        Fault::RateLimited { retry_after_secs: None },
        Fault::Overloaded,
        Fault::ServerError,
        // The clients' timeouts (minutes) cannot be shortened from the app, so this is a slow answer rather
        // than a timeout: it still overlaps calls and shuffles their order.
        Fault::Hang(Duration::from_millis(300)),
        Fault::TruncatedJson,
        Fault::SchemaInvalid,
    ]
}

fn point_at(env: &mut FakeEnvironment, provider: &str, server: &FakeServer, seed: u64) {
    server.script().set_fault_rate(FAULT_RATE, faults(), seed);
    // A busy ElevenLabs without a Retry-After closes its gate for 15 s (the providers tests keep that
    // default); with one second here, fifty episodes' busy spells do not add minutes of waiting.
    server.script().set_overloaded_retry_after(Some(1));
    env.point_at(provider, server);
}

/// How one episode came to rest.
#[derive(Debug)]
enum Outcome {
    Completed,
    /// Parked for the producer or failed, with the code that says why.
    Stopped {
        status: RunStatus,
        code: String,
    },
}

/// Produces one episode, approving its script, and checks it came to rest in a state the producer can act on.
async fn produce(app: App, show_id: showrunner_api::domain::ShowId, n: usize) -> (RunId, Outcome) {
    let episode = episodes::start_episode(
        &app,
        NewEpisode {
            show_id,
            topic: format!("Lighthouse keepers, part {n}"),
            target_minutes: 1,
            budget_cap: Money::from_micros(20_000_000),
            format: Default::default(),
            language: None,
        },
    )
    .await
    .unwrap();
    let run_id = episodes::episode(&app, &episode.id).await.unwrap().run_id.unwrap();
    let mut status = app.engine().drive_to_rest(&run_id).await.unwrap();
    // A script sent back by a producer would park here again; one approval per visit, a few visits at most.
    for _ in 0..3 {
        if episode_status(&app, &episode.id).await != EpisodeStatus::AwaitingScriptSignoff {
            break;
        }
        script::approve_script(&app, &episode.id, "fine").await.unwrap();
        status = app.engine().drive_to_rest(&run_id).await.unwrap();
    }
    let view = runs::run_view(&app, &run_id).await.unwrap();
    assert_eq!(view.status, status, "the run view disagrees with the engine");
    let outcome = match (&view.status, &view.park) {
        (RunStatus::Parked, Some(ParkReason::HumanGate { .. })) => {
            let now = episode_status(&app, &episode.id).await;
            assert_eq!(
                now,
                EpisodeStatus::AwaitingRelease,
                "episode {n} parked at the wrong gate"
            );
            Outcome::Completed
        }
        (RunStatus::Parked, Some(reason)) => {
            let code = match reason {
                ParkReason::GateEscalated { .. } => "gate_escalated",
                ParkReason::BudgetExhausted { .. } => "budget_exhausted",
                ParkReason::HumanGate { .. } => unreachable!(),
            };
            Outcome::Stopped {
                status: RunStatus::Parked,
                code: code.into(),
            }
        }
        (RunStatus::Failed, _) => {
            // The view shows the failed stage's message; the attempt row carries its code.
            let failed: Vec<_> = view
                .stages
                .iter()
                .filter(|s| s.status == AttemptStatus::Failed)
                .collect();
            assert!(
                !failed.is_empty(),
                "episode {n} failed with no failed stage in view: {view:?}"
            );
            for stage in &failed {
                assert!(
                    stage.error.as_deref().is_some_and(|e| !e.is_empty()),
                    "episode {n}: stage {} failed without a message",
                    stage.stage.as_str()
                );
            }
            let attempts = app.store().attempts(&run_id).await.unwrap();
            let last_failed = attempts
                .iter()
                .rev()
                .find(|a| a.status == AttemptStatus::Failed)
                .expect("a failed attempt");
            let code = last_failed.error_code.clone().unwrap_or_default();
            assert!(!code.is_empty(), "episode {n}: failed without a code: {last_failed:?}");
            Outcome::Stopped {
                status: RunStatus::Failed,
                code,
            }
        }
        (other, park) => panic!("episode {n} came to rest {other:?} ({park:?}): {view:?}"),
    };
    assert!(!app.engine().is_driving(&run_id), "episode {n} is still being driven");
    (run_id, outcome)
}

async fn episode_status(app: &App, id: &EpisodeId) -> EpisodeStatus {
    episodes::episode(app, id).await.unwrap().status
}

/// The run's books: every cent settled is a call's cost, nothing held, no call key paid twice.
async fn check_ledger(app: &App, run_id: &RunId) -> usize {
    let ledger = app.store().ledger(run_id).await.unwrap();
    let billed: Money = ledger.calls.iter().map(|c| c.cost).sum();
    assert_eq!(
        ledger.settled,
        billed,
        "run {}: settled is not the sum of its calls",
        run_id.as_str()
    );
    assert_eq!(
        ledger.reserved,
        Money::ZERO,
        "run {}: money still reserved at rest",
        run_id.as_str()
    );
    assert!(
        ledger.calls.iter().all(|c| c.status != CallStatus::Intent),
        "run {}: a call is still out at rest",
        run_id.as_str()
    );
    let mut settled_keys: HashMap<&str, u32> = HashMap::new();
    for call in ledger.calls.iter().filter(|c| c.status == CallStatus::Settled) {
        *settled_keys.entry(call.call_key.as_str()).or_default() += 1;
    }
    if let Some((key, times)) = settled_keys.iter().find(|(_, times)| **times > 1) {
        panic!("run {}: call {key} was settled {times} times", run_id.as_str());
    }
    ledger.calls.iter().filter(|c| c.status == CallStatus::Failed).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_episodes_under_provider_faults_come_to_rest_with_balanced_books() {
    let began = Instant::now();
    let responder = rehearsal_responder();
    let anthropic =
        showrunner_provider_fakes::anthropic::start(FakeConfig::new(key("ANTHROPIC_API_KEY"), responder.clone())).await;
    let gemini =
        showrunner_provider_fakes::gemini::start(FakeConfig::new(key("GEMINI_API_KEY"), responder.clone())).await;
    let perplexity =
        showrunner_provider_fakes::perplexity::start(FakeConfig::new(key("PERPLEXITY_API_KEY"), responder.clone()))
            .await;
    let elevenlabs =
        showrunner_provider_fakes::elevenlabs::start(FakeConfig::new(key("ELEVENLABS_API_KEY"), responder.clone()))
            .await;
    // Distinct seeds so the providers do not fail in lockstep; fixed so a failure replays.
    let mut env = FakeEnvironment::with_keys(&KEYS);
    point_at(&mut env, "anthropic", &anthropic, 11);
    point_at(&mut env, "gemini", &gemini, 23);
    point_at(&mut env, "perplexity", &perplexity, 37);
    point_at(&mut env, "elevenlabs", &elevenlabs, 41);

    let dir = tempfile::tempdir().unwrap();
    let app = env
        .open(dir.path())
        .await
        // Short computed backoff keeps the soak quick; a provider's Retry-After (1 s here) still overrides it.
        .with_retry_policy(RetryPolicy {
            initial_interval_ms: 10,
            backoff_coefficient: 2.0,
            maximum_interval_ms: 1_000,
            maximum_attempts: 5,
            jitter: 0.2,
        });
    let show = shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();

    let count: usize = std::env::var("SHOWRUNNER_FAULTS_EPISODES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_EPISODES);
    // Spawned, so a panic inside an episode surfaces as a join error instead of unwinding the whole stream.
    let results: Vec<_> = futures::stream::iter(0..count)
        .map(|n| tokio::spawn(produce(app.clone(), show.id.clone(), n)))
        .buffer_unordered(CONCURRENT_EPISODES)
        .collect()
        .await;

    let mut completed = 0;
    let mut stopped: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed_calls = 0;
    let mut run_ids = Vec::new();
    for result in results {
        let (run_id, outcome) = result.expect("an episode panicked");
        match outcome {
            Outcome::Completed => completed += 1,
            Outcome::Stopped { status, code } => {
                *stopped.entry(format!("{} {code}", status.as_str())).or_default() += 1;
            }
        }
        failed_calls += check_ledger(&app, &run_id).await;
        run_ids.push(run_id);
    }
    assert_eq!(run_ids.len(), count);

    // The journal is one gapless sequence; the engine's retries show up in it as waiting attempts.
    let events = app.store().events_since(0, u32::MAX).await.unwrap();
    for (i, event) in events.iter().enumerate() {
        assert_eq!(
            event.seq,
            i as i64 + 1,
            "the journal has a hole before seq {}",
            event.seq
        );
    }
    let mut retries: BTreeMap<String, usize> = BTreeMap::new();
    for event in &events {
        if event.kind == "attempt.finished" && event.payload["status"] == "waiting_retry" {
            let code = event.payload["error_code"].as_str().unwrap_or("").to_owned();
            assert!(!code.is_empty(), "a retry was scheduled without a code: {event:?}");
            *retries.entry(code).or_default() += 1;
        }
    }
    let requests: usize = [&anthropic, &gemini, &perplexity, &elevenlabs]
        .iter()
        .map(|f| f.request_count())
        .sum();
    // The faults must have reached the engine, or this soak tested nothing.
    assert!(
        failed_calls > 0 && !retries.is_empty(),
        "no fault was observed ({failed_calls} failed calls)"
    );

    eprintln!(
        "{count} episodes under a {:.0} % fault rate in {:.1} s: {completed} completed, stopped {stopped:?}",
        FAULT_RATE * 100.0,
        began.elapsed().as_secs_f64()
    );
    eprintln!(
        "  {requests} provider requests, {failed_calls} failed calls in the ledgers, stage retries by code {retries:?}"
    );
}
