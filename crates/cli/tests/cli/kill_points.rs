//! The crash harness: the `showrunner` binary is killed right after each journal commit of a produce (the store's
//! `kill-points` feature, armed by `SHOWRUNNER_KILL_AFTER_EVENT=N`), then resumed with the commands a producer
//! has (`resume`, `approve`, or `produce` again when no run was started), and the result is checked against an
//! uninterrupted production: every paid call paid once, at most one ambiguous call per call in flight, the same artifacts,
//! a journal without holes that replays to the ledger, and the run waiting at the release gate.
//!
//! Every provider is a local fake answering with the offline writer's content, reached through the real clients
//! (`SHOWRUNNER_<PROVIDER>_BASE_URL`, keys from the environment, no OS keyring), so the fakes' request logs
//! show what would have been billed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, ExitStatus, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use showrunner_domain::{EpisodeStatus, Money, ParkReason, RunStatus};
use showrunner_provider_fakes::{FakeConfig, FakeServer, FakeTask, Responder};
use showrunner_providers::{CompletionRequest, LanguageModel, RehearsalWriter};
use showrunner_store::{
    read_holder, replay_ledger, CallRecord, CallStatus, Ledger, ReplayedLedger, Store, WriterRole,
    DISK_FULL_AT_CALL_ENV, KEPT_DIR, KILL_AFTER_EVENT_ENV,
};

const KEYS: [(&str, &str); 4] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-kill-1"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-kill-2"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-kill-3"),
    ("ELEVENLABS_API_KEY", "xi-fake-key-kill-4"),
];
const TOPIC: &str = "Why tides turn";
/// The sweep runs every kill point when the run has at most this many events, else this many spread evenly.
const SWEEP_POINTS: u64 = 120;
/// Commands a kill may need to get back to the release gate: resume, approve the script, and one spare.
const MAX_RECOVERY_STEPS: usize = 4;

// ----------------------------------------------------------------------------------------------------------
// Fakes

fn key(var: &str) -> &'static str {
    KEYS.iter().find(|(v, _)| *v == var).map(|(_, k)| *k).unwrap()
}

/// Answers each task the way the offline writer would, from the inputs the prompt carried.
fn rehearsal_responder() -> Responder {
    let writer = Arc::new(RehearsalWriter::new());
    Arc::new(move |task: &FakeTask| {
        let request = CompletionRequest {
            task: task.task.clone(),
            system: String::new(),
            prompt: String::new(),
            context: task.inputs.clone(),
            output_schema: Value::Null,
            max_output_tokens: 0,
        };
        futures::executor::block_on(writer.complete(request))
            .map(|c| c.content)
            .unwrap_or_else(|e| serde_json::json!({ "fake_could_not_answer": e.to_string() }))
    })
}

/// One request as billed: which provider, which endpoint, what body. The same request sent twice was paid twice.
type Request = (String, String, Vec<u8>);
/// How often each distinct request was received.
type RequestLog = BTreeMap<Request, usize>;

/// The four providers' fakes, fresh for each production: they keep state that prices requests (Anthropic's
/// prompt cache), so a production is only comparable with one that started from the same fakes.
struct Fakes {
    servers: Vec<(&'static str, &'static str, FakeServer)>,
}

impl Fakes {
    fn start() -> Fakes {
        runtime().block_on(async {
            let responder = rehearsal_responder();
            let config = |var: &str| FakeConfig::new(key(var), responder.clone());
            Fakes {
                servers: vec![
                    (
                        "anthropic",
                        "ANTHROPIC_API_KEY",
                        showrunner_provider_fakes::anthropic::start(config("ANTHROPIC_API_KEY")).await,
                    ),
                    (
                        "gemini",
                        "GEMINI_API_KEY",
                        showrunner_provider_fakes::gemini::start(config("GEMINI_API_KEY")).await,
                    ),
                    (
                        "perplexity",
                        "PERPLEXITY_API_KEY",
                        showrunner_provider_fakes::perplexity::start(config("PERPLEXITY_API_KEY")).await,
                    ),
                    (
                        "elevenlabs",
                        "ELEVENLABS_API_KEY",
                        showrunner_provider_fakes::elevenlabs::start(config("ELEVENLABS_API_KEY")).await,
                    ),
                ],
            }
        })
    }

    /// The child's environment: every provider pointed at its fake, keys from the environment only.
    fn env(&self) -> Vec<(String, String)> {
        // No OS keyring: the keys come from the environment and go nowhere else.
        let mut env = vec![("SHOWRUNNER_KEYRING".to_owned(), "none".to_owned())];
        for (provider, key_var, server) in &self.servers {
            env.push((
                format!("SHOWRUNNER_{}_BASE_URL", provider.to_uppercase()),
                server.base_url(),
            ));
            env.push((key_var.to_string(), key(key_var).to_owned()));
        }
        env
    }

    /// Every request received.
    fn requests(&self) -> RequestLog {
        let mut log = RequestLog::new();
        for (provider, _, server) in &self.servers {
            for r in server.requests() {
                let path = r.uri.split('?').next().unwrap_or_default().to_owned();
                *log.entry((provider.to_string(), format!("{} {path}", r.method), r.body.to_vec()))
                    .or_default() += 1;
            }
        }
        log
    }
}

/// The fakes' runtime, shared by every test in this binary; the test threads themselves stay synchronous.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the fakes")
    })
}

// ----------------------------------------------------------------------------------------------------------
// Running the binary

fn showrunner(data: &Path, fakes: &Fakes, args: &[&str], kill_after: Option<u64>) -> Output {
    let mut command = showrunner_command(data, fakes, args);
    if let Some(n) = kill_after {
        command.env(KILL_AFTER_EVENT_ENV, n.to_string());
    }
    command.output().expect("run showrunner")
}

fn showrunner_command(data: &Path, fakes: &Fakes, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_showrunner"));
    command.arg("--data-dir").arg(data).args(args);
    // Nothing from the caller's environment may pick another provider, data folder or kill point.
    for var in [
        "OPENAI_API_KEY",
        "SHOWRUNNER_DATA_DIR",
        "SHOWRUNNER_OPENAI_BASE_URL",
        "SHOWRUNNER_OPENAI_TTS_BASE_URL",
        "RUST_LOG",
        KILL_AFTER_EVENT_ENV,
        DISK_FULL_AT_CALL_ENV,
    ] {
        command.env_remove(var);
    }
    command.envs(fakes.env());
    command
}

const PRODUCE: [&str; 7] = [
    "produce",
    "--topic",
    TOPIC,
    "--minutes",
    "1",
    "--auto-approve-script",
    "--json",
];

/// Died by `abort()`, i.e. at the kill point, not by finishing or by an error of its own.
fn aborted(status: ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal() == Some(6)
    }
    #[cfg(not(unix))]
    {
        !status.success()
    }
}

fn describe(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
    format!(
        "{} ({})",
        out.status,
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    )
}

// ----------------------------------------------------------------------------------------------------------
// What a data folder holds after the processes exited

/// The state of a data folder, read through the store once no process has it open.
#[derive(Debug, Clone)]
struct Observed {
    episodes: Vec<(EpisodeStatus, bool)>,
    runs: usize,
    /// The run being checked: the latest of the episode that has one.
    run: Option<(RunStatus, Option<ParkReason>)>,
    /// Every journal `seq`, in order.
    seqs: Vec<i64>,
    ledger: Option<Ledger>,
    replayed: Option<Result<ReplayedLedger, String>>,
    /// The latest version of each artifact kind, without the fields that name a moment.
    artifacts: BTreeMap<String, Value>,
    requests: RequestLog,
}

/// Where a scenario stands, to pick the next command.
#[derive(Debug, Clone, PartialEq)]
enum Stand {
    /// No run yet (or not even an episode): only `produce` can start one.
    NoRun,
    Running,
    ParkedAt(String),
    Other(String),
}

impl Observed {
    fn stand(&self) -> Stand {
        match &self.run {
            None => Stand::NoRun,
            Some((RunStatus::Running, _)) => Stand::Running,
            Some((RunStatus::Parked, Some(reason))) => Stand::ParkedAt(reason.stage().as_str().to_owned()),
            Some((status, park)) => Stand::Other(format!("{status} {park:?}")),
        }
    }

    fn total_events(&self) -> u64 {
        self.seqs.len() as u64
    }
}

/// Drops what differs between two identical productions: when things happened.
fn timeless(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.ends_with("_at_ms") && !k.ends_with("_at"))
                .map(|(k, v)| (k.clone(), timeless(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(timeless).collect()),
        other => other.clone(),
    }
}

fn observe(data: &Path, requests: RequestLog) -> Observed {
    runtime().block_on(async {
        let store = Store::open(data).await.expect("open the store the processes left");
        let episodes = store.list_episodes().await.unwrap();
        let mut runs = Vec::new();
        for e in &episodes {
            if let Some(run) = store.latest_run(&e.id).await.unwrap() {
                runs.push(run);
            }
        }
        let events = store.events_since(0, u32::MAX).await.unwrap();
        let mut observed = Observed {
            episodes: episodes.iter().map(|e| (e.status, e.run_id.is_some())).collect(),
            runs: runs.len(),
            run: None,
            seqs: events.iter().map(|e| e.seq).collect(),
            ledger: None,
            replayed: None,
            artifacts: BTreeMap::new(),
            requests,
        };
        if let Some(run) = runs.iter().max_by_key(|r| r.created_at_ms) {
            observed.run = Some((run.status, run.park.clone()));
            let run_events = store.events_for_run(&run.id).await.unwrap();
            observed.replayed = Some(replay_ledger(&run_events).map_err(|e| e.to_string()));
            observed.ledger = Some(store.ledger(&run.id).await.unwrap());
            for artifact in store.artifacts(&run.id).await.unwrap() {
                // Oldest first, so the last write per kind is the latest version.
                observed
                    .artifacts
                    .insert(artifact.kind.as_str().to_owned(), timeless(&artifact.content));
            }
        }
        store.close().await;
        observed
    })
}

// ----------------------------------------------------------------------------------------------------------
// The invariants

/// What every interrupted production must end with, taken from an uninterrupted one.
#[derive(Debug, Clone)]
struct Baseline {
    observed: Observed,
    /// Journal events the uninterrupted produce appended: the kill points.
    events: u64,
    took: Duration,
}

/// What each call key was billed, one entry per settled row.
fn settled_costs(calls: &[CallRecord]) -> BTreeMap<&str, Vec<Money>> {
    let mut per_key: BTreeMap<&str, Vec<Money>> = BTreeMap::new();
    for call in calls.iter().filter(|c| c.status == CallStatus::Settled) {
        per_key.entry(call.call_key.as_str()).or_default().push(call.cost);
    }
    per_key
}

/// Settled calls per task (the part of the call key before the request's hash).
fn paid_per_task(costs: &BTreeMap<&str, Vec<Money>>) -> BTreeMap<String, usize> {
    let mut per_task: BTreeMap<String, usize> = BTreeMap::new();
    for (key, paid) in costs {
        let task = key.split('/').next().unwrap_or(key);
        *per_task.entry(task.to_owned()).or_default() += paid.len();
    }
    per_task
}

fn short(request: &Request) -> String {
    use std::hash::{Hash, Hasher};
    let body = String::from_utf8_lossy(&request.2);
    let head: String = body.chars().take(70).collect();
    // Requests of one task share their opening; the fingerprint tells them apart.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    request.2.hash(&mut hasher);
    format!(
        "{} {} [{} bytes, #{:016x}] {head}…",
        request.0,
        request.1,
        request.2.len(),
        hasher.finish()
    )
}

/// The most paid calls the standard pipeline has out at once: the crew's concurrency of four (deep-dive
/// questions, speech lines) plus the show notes written beside speech.
const MAX_CALLS_IN_FLIGHT: usize = 5;

/// Every invariant the run broke, in words (empty when it holds them all).
fn violations(base: &Observed, got: &Observed) -> Vec<String> {
    let mut broken = Vec::new();
    let (Some(base_ledger), Some(ledger)) = (&base.ledger, &got.ledger) else {
        broken.push("no run was started".to_owned());
        return broken;
    };

    // (a) Every paid call paid once: one settled row per key, the same keys as uninterrupted, each billed the
    // same. A call re-sent after a cut-off may cost another amount (the provider's prompt cache was warmed by
    // the lost send), so only its key is held to the count.
    let ambiguous: Vec<&CallRecord> = ledger.calls.iter().filter(|c| c.ambiguous).collect();
    let base_costs = settled_costs(&base_ledger.calls);
    let costs = settled_costs(&ledger.calls);
    for (key, paid) in &costs {
        if paid.len() != 1 {
            broken.push(format!("call '{key}' was settled {} times", paid.len()));
        }
        match base_costs.get(key) {
            None => broken.push(format!(
                "call '{key}' was settled but the uninterrupted run never made it"
            )),
            Some(expected) if paid != expected && !ambiguous.iter().any(|c| &c.call_key == key) => {
                broken.push(format!("call '{key}' was billed {paid:?} instead of {expected:?}"))
            }
            Some(_) => {}
        }
    }
    for key in base_costs.keys().filter(|k| !costs.contains_key(*k)) {
        broken.push(format!("call '{key}' was never settled"));
    }
    // A stage that asks differently after a resume gets a new key, so per key it looks paid once: count per task.
    let (base_tasks, tasks) = (paid_per_task(&base_costs), paid_per_task(&costs));
    for (task, n) in &tasks {
        let expected = base_tasks.get(task).copied().unwrap_or(0);
        if *n > expected {
            broken.push(format!(
                "'{task}' paid for {n} calls where the uninterrupted run paid for {expected}"
            ));
        }
    }
    // ... and the providers agree: each request was received as often as uninterrupted, plus at most one re-send
    // of a call the ledger flagged ambiguous (the one the kill cut off after it went out).
    let mut resent = 0;
    for (request, &n) in &got.requests {
        let Some(&expected) = base.requests.get(request) else {
            broken.push(format!(
                "{} was received {n} time(s); the uninterrupted run never sent it",
                short(request)
            ));
            continue;
        };
        if n > expected + 1 {
            broken.push(format!(
                "{} was paid {n} times (uninterrupted: {expected})",
                short(request)
            ));
        }
        resent += n.saturating_sub(expected);
    }
    for (request, &expected) in &base.requests {
        let n = got.requests.get(request).copied().unwrap_or(0);
        if n < expected {
            broken.push(format!(
                "{} was received {n} times instead of {expected}",
                short(request)
            ));
        }
    }
    if resent > ambiguous.len() {
        broken.push(format!(
            "{resent} request(s) were paid again but only {} call(s) were flagged ambiguous",
            ambiguous.len()
        ));
    }

    // (b) Only calls that were out at the kill may be left not knowing whether they were billed: one per call
    // in flight. Paid calls run concurrently (four deep dives, two evaluators, four speech lines beside the
    // show notes), so a kill can cut off up to that many at once, never more.
    if ambiguous.len() > MAX_CALLS_IN_FLIGHT {
        let keys: Vec<&str> = ambiguous.iter().map(|c| c.call_key.as_str()).collect();
        broken.push(format!(
            "{} calls were flagged ambiguous, {resent} of which had reached the provider: {keys:?}",
            ambiguous.len()
        ));
    }

    // (c) The same episode as uninterrupted.
    for (kind, content) in &base.artifacts {
        if kind == "decision" {
            continue; // who decided, and when: not the production's output
        }
        match got.artifacts.get(kind) {
            None => broken.push(format!("no {kind} artifact")),
            Some(c) if c != content => broken.push(format!("the {kind} artifact differs")),
            Some(_) => {}
        }
    }
    for kind in got.artifacts.keys().filter(|k| !base.artifacts.contains_key(*k)) {
        broken.push(format!("an unexpected {kind} artifact"));
    }

    // (d) A journal without holes that tells the ledger's story.
    if let Some(hole) = got.seqs.iter().zip(1..).find(|(seq, i)| **seq != *i) {
        broken.push(format!(
            "the journal has a hole: event {} where {} was due",
            hole.0, hole.1
        ));
    }
    match &got.replayed {
        Some(Ok(replayed)) => {
            let open: BTreeMap<i64, _> = ledger
                .calls
                .iter()
                .filter(|c| c.status == CallStatus::Intent)
                .map(|c| (c.id, c.reserved))
                .collect();
            let flagged: BTreeSet<i64> = ledger
                .calls
                .iter()
                .filter(|c| c.ambiguous && c.status != CallStatus::Settled)
                .map(|c| c.id)
                .collect();
            let notices: Vec<_> = ledger.notices.iter().map(|n| n.kind.clone()).collect();
            if replayed.settled != ledger.settled
                || replayed.reserved != ledger.reserved
                || replayed.notices != notices
                || replayed.open_calls != open
                || replayed.ambiguous_calls != flagged
            {
                broken.push(format!(
                    "the journal replays to {replayed:?}, the ledger holds settled {} reserved {} notices {notices:?} \
                     open {open:?} ambiguous {flagged:?}",
                    ledger.settled, ledger.reserved
                ));
            }
        }
        Some(Err(e)) => broken.push(format!("the journal does not replay: {e}")),
        None => broken.push("the run's journal was not read".to_owned()),
    }

    // (e) Waiting at the release gate, as one run of one episode.
    if got.stand() != Stand::ParkedAt("release".into()) {
        broken.push(format!("the run ended {:?}, not parked at release", got.stand()));
    }
    if got.runs != 1 {
        broken.push(format!("{} runs were started", got.runs));
    }
    // A producer's list shows one episode; one without a run would say "producing" forever.
    let runless = got.episodes.iter().filter(|(_, has_run)| !has_run).count();
    if runless > 0 {
        let statuses: Vec<&str> = got.episodes.iter().map(|(s, _)| s.as_str()).collect();
        broken.push(format!(
            "{runless} episode(s) were left without a run (episode statuses: {statuses:?})"
        ));
    }
    broken
}

// ----------------------------------------------------------------------------------------------------------
// Scenarios

fn baseline() -> &'static Baseline {
    static BASELINE: OnceLock<Baseline> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let fakes = Fakes::start();
        let data = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let out = showrunner(data.path(), &fakes, &PRODUCE, None);
        let took = started.elapsed();
        assert!(out.status.success(), "uninterrupted produce: {}", describe(&out));
        let observed = observe(data.path(), fakes.requests());
        assert_eq!(
            observed.stand(),
            Stand::ParkedAt("release".into()),
            "the uninterrupted produce waits at release"
        );
        let problems = violations(&observed, &observed);
        assert!(
            problems.is_empty(),
            "the uninterrupted run breaks the invariants: {problems:#?}"
        );
        let ledger = observed.ledger.as_ref().unwrap();
        assert!(
            ledger.calls.iter().filter(|c| c.status == CallStatus::Settled).count() > 10,
            "the run went through the paid providers"
        );
        assert!(
            observed.requests.keys().map(|r| &r.0).collect::<BTreeSet<_>>().len() == 4,
            "every fake was called: {:?}",
            observed.requests.keys().map(|r| &r.0).collect::<BTreeSet<_>>()
        );
        eprintln!(
            "uninterrupted: {} events, {} settled calls, {} requests, {:.2?}",
            observed.total_events(),
            ledger.calls.len(),
            observed.requests.values().sum::<usize>(),
            took
        );
        Baseline {
            events: observed.total_events(),
            observed,
            took,
        }
    })
}

/// One kill point: produce dies right after event `n`'s commit, then the producer's commands take it to the
/// release gate. Returns what broke (empty when nothing did).
fn kill_at(base: &Baseline, n: u64) -> Vec<String> {
    let fakes = &Fakes::start();
    let data = tempfile::tempdir().unwrap();
    let out = showrunner(data.path(), fakes, &PRODUCE, Some(n));
    if !aborted(out.status) {
        return vec![format!("produce did not die at the kill point: {}", describe(&out))];
    }
    let at_kill = observe(data.path(), RequestLog::new()).total_events();
    if at_kill < n {
        return vec![format!(
            "produce died with {at_kill} events in the journal, before event {n}"
        )];
    }
    let mut steps = Vec::new();
    for _ in 0..MAX_RECOVERY_STEPS {
        let now = observe(data.path(), RequestLog::new());
        let out = match now.stand() {
            Stand::ParkedAt(gate) if gate == "release" => break,
            // Killed before the episode existed: the producer asks again. Killed after the episode was
            // saved but before its run: the next start (`resume`) starts it.
            Stand::NoRun if !has_episode(data.path()) => {
                steps.push("produce");
                showrunner(data.path(), fakes, &PRODUCE, None)
            }
            Stand::NoRun => {
                steps.push("resume");
                showrunner(data.path(), fakes, &["resume"], None)
            }
            Stand::Running => {
                steps.push("resume");
                showrunner(data.path(), fakes, &["resume"], None)
            }
            Stand::ParkedAt(gate) if gate == "script.signoff" => {
                steps.push("approve");
                let id = episode_id(data.path());
                showrunner(data.path(), fakes, &["approve", &id], None)
            }
            other => {
                return vec![format!("after {steps:?} the run is {other:?}; no command continues it")];
            }
        };
        if !out.status.success() {
            return vec![format!("after {steps:?} the last command failed: {}", describe(&out))];
        }
    }
    let got = observe(data.path(), fakes.requests());
    let mut broken = violations(&base.observed, &got);
    if !broken.is_empty() {
        broken.push(format!("(recovered with {steps:?})"));
    }
    broken
}

/// Whether the producer's episode was saved before the kill.
fn has_episode(data: &Path) -> bool {
    runtime().block_on(async {
        let store = Store::open(data).await.unwrap();
        let any = !store.list_episodes().await.unwrap().is_empty();
        store.close().await;
        any
    })
}

/// The episode with a run (the one to approve).
fn episode_id(data: &Path) -> String {
    runtime().block_on(async {
        let store = Store::open(data).await.unwrap();
        let id = store
            .list_episodes()
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.run_id.is_some())
            .map(|e| e.id.as_str().to_owned())
            .expect("an episode with a run");
        store.close().await;
        id
    })
}

/// Runs the kill points on a few workers, collecting every failure.
fn sweep(points: Vec<u64>) -> (usize, Vec<(u64, Vec<String>)>, Duration) {
    let base = baseline();
    let started = Instant::now();
    let jobs = std::env::var("SHOWRUNNER_KILL_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() + 1));
    let queue = Arc::new(Mutex::new(points.clone()));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            let (queue, failures, done) = (queue.clone(), failures.clone(), done.clone());
            scope.spawn(move || loop {
                let Some(n) = queue.lock().unwrap().pop() else { break };
                let broken = kill_at(base, n);
                if !broken.is_empty() {
                    failures.lock().unwrap().push((n, broken));
                }
                done.fetch_add(1, Ordering::Relaxed);
            });
        }
    });
    let mut failures = std::mem::take(&mut *failures.lock().unwrap());
    failures.sort_by_key(|(n, _)| *n);
    (done.load(Ordering::Relaxed), failures, started.elapsed())
}

fn report(what: &str, exercised: usize, failures: &[(u64, Vec<String>)], took: Duration) {
    eprintln!(
        "{what}: {exercised} kill points of {} events in {took:.1?} (one uninterrupted produce: {:.2?})",
        baseline().events,
        baseline().took
    );
    let listing: Vec<String> = failures
        .iter()
        .map(|(n, broken)| format!("  kill after event {n}:\n    {}", broken.join("\n    ")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {exercised} kill points broke an invariant:\n{}",
        failures.len(),
        listing.join("\n")
    );
}

/// Every kill point when there are few enough, else `SWEEP_POINTS` spread evenly over the whole run.
fn sweep_points(events: u64) -> Vec<u64> {
    if events <= SWEEP_POINTS {
        return (1..=events).collect();
    }
    let mut points: BTreeSet<u64> = (0..SWEEP_POINTS)
        .map(|i| 1 + i * (events - 1) / (SWEEP_POINTS - 1))
        .collect();
    points.insert(events);
    points.into_iter().collect()
}

/// A small seeded generator, so a failing soak can be replayed with `SHOWRUNNER_KILL_SEED`.
fn random_points(count: usize) -> (u64, Vec<u64>) {
    let seed = std::env::var("SHOWRUNNER_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let mut state = seed | 1;
    let events = baseline().events;
    let points = (0..count)
        .map(|_| {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            1 + state.wrapping_mul(0x2545_f491_4f6c_dd1d) % events
        })
        .collect();
    (seed, points)
}

#[test]
fn a_produce_killed_after_any_journal_event_resumes_to_the_same_episode_paying_each_call_once() {
    let points = sweep_points(baseline().events);
    assert!(points.len() as u64 >= SWEEP_POINTS.min(baseline().events));
    let (exercised, failures, took) = sweep(points);
    report("sweep", exercised, &failures, took);
}

/// 6 random kill points per run: the sweep above already kills after every event, so in the suite this keeps
/// the random harness honest rather than adding coverage. Soak with thousands locally:
/// `SHOWRUNNER_KILL_SOAK=5000 cargo test -p showrunner-cli --test cli kill_points` (`SHOWRUNNER_KILL_SEED`
/// replays a run's points).
#[test]
fn random_kill_points_resume_to_the_same_episode() {
    let count = std::env::var("SHOWRUNNER_KILL_SOAK")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6);
    let (seed, points) = random_points(count);
    let (exercised, failures, took) = sweep(points);
    report(
        &format!("soak (SHOWRUNNER_KILL_SEED={seed})"),
        exercised,
        &failures,
        took,
    );
}

/// The checks can fail: a real uninterrupted run, doctored the ways a broken resume would leave it.
#[test]
fn the_invariants_catch_a_double_payment_a_changed_artifact_and_a_stuck_run() {
    let base = &baseline().observed;
    assert!(violations(base, base).is_empty());

    // A paid call settled a second time after a resume.
    let mut doubled = base.clone();
    let ledger = doubled.ledger.as_mut().unwrap();
    let mut again = ledger
        .calls
        .iter()
        .find(|c| c.status == CallStatus::Settled)
        .cloned()
        .unwrap();
    again.id = ledger.calls.iter().map(|c| c.id).max().unwrap() + 1;
    ledger.settled += again.cost;
    ledger.calls.push(again.clone());
    let broken = violations(base, &doubled).join("\n");
    assert!(
        broken.contains(&format!("call '{}' was settled 2 times", again.call_key)),
        "{broken}"
    );

    // A stage that asked differently after the resume: a new key for the same task, paid again.
    let mut reasked = base.clone();
    let ledger = reasked.ledger.as_mut().unwrap();
    let mut again = ledger
        .calls
        .iter()
        .find(|c| c.status == CallStatus::Settled)
        .cloned()
        .unwrap();
    let task = again.call_key.split('/').next().unwrap().to_owned();
    let count = ledger
        .calls
        .iter()
        .filter(|c| c.call_key.starts_with(&format!("{task}/")))
        .count();
    again.call_key = format!("{task}/asked-differently");
    ledger.calls.push(again);
    let broken = violations(base, &reasked).join("\n");
    assert!(
        broken.contains(&format!(
            "'{task}' paid for {} calls where the uninterrupted run paid for {count}",
            count + 1
        )),
        "{broken}"
    );

    // A call billed differently, with no cut-off to explain it.
    let mut repriced = base.clone();
    let call = repriced.ledger.as_mut().unwrap().calls.last_mut().unwrap();
    call.cost += Money::from_micros(1);
    let key = call.call_key.clone();
    let broken = violations(base, &repriced).join("\n");
    assert!(broken.contains(&format!("call '{key}' was billed")), "{broken}");

    // The provider billed a request twice while the ledger saw it once and flagged nothing.
    let mut resent = base.clone();
    let request = resent.requests.keys().next().cloned().unwrap();
    *resent.requests.get_mut(&request).unwrap() += 1;
    let broken = violations(base, &resent).join("\n");
    assert!(
        broken.contains("1 request(s) were paid again but only 0 call(s) were flagged ambiguous"),
        "{broken}"
    );
    // ... which one ambiguous call would explain, but not a third copy.
    let ledger = resent.ledger.as_mut().unwrap();
    let flagged = ledger
        .calls
        .iter()
        .position(|c| c.status == CallStatus::Settled)
        .unwrap();
    let mut cut_off = ledger.calls[flagged].clone();
    cut_off.id += 10_000;
    cut_off.status = CallStatus::Released;
    cut_off.ambiguous = true;
    ledger.calls.push(cut_off);
    resent.replayed = None;
    let broken = violations(base, &resent);
    assert!(!broken.iter().any(|b| b.contains("paid again")), "{broken:?}");
    *resent.requests.get_mut(&request).unwrap() += 1;
    let broken = violations(base, &resent).join("\n");
    assert!(broken.contains("was paid 3 times"), "{broken}");

    // A script that came out different.
    let mut changed = base.clone();
    changed
        .artifacts
        .insert("script".into(), serde_json::json!({ "lines": [] }));
    let broken = violations(base, &changed).join("\n");
    assert!(broken.contains("the script artifact differs"), "{broken}");

    // Two calls left ambiguous, a hole in the journal, a journal that tells another bill, a run left running.
    let mut stuck = base.clone();
    let ledger = stuck.ledger.as_mut().unwrap();
    for call in ledger.calls.iter_mut().take(MAX_CALLS_IN_FLIGHT + 1) {
        call.ambiguous = true;
    }
    stuck.seqs.remove(3);
    if let Some(Ok(replayed)) = stuck.replayed.as_mut() {
        replayed.settled += Money::from_micros(1);
    }
    stuck.run = Some((RunStatus::Running, None));
    let broken = violations(base, &stuck).join("\n");
    assert!(
        broken.contains(&format!("{} calls were flagged ambiguous", MAX_CALLS_IN_FLIGHT + 1)),
        "{broken}"
    );
    assert!(
        broken.contains("the journal has a hole: event 5 where 4 was due"),
        "{broken}"
    );
    assert!(broken.contains("the journal replays to"), "{broken}");
    assert!(broken.contains("not parked at release"), "{broken}");
}

// ----------------------------------------------------------------------------------------------------------
// One writer per data folder, and a disk that fills up mid-run

/// Takes a folder a stopped production left to the release gate with the producer's commands.
fn recover(data: &Path, fakes: &Fakes) -> Result<Vec<&'static str>, String> {
    let mut steps = Vec::new();
    for _ in 0..MAX_RECOVERY_STEPS {
        let out = match observe(data, RequestLog::new()).stand() {
            Stand::ParkedAt(gate) if gate == "release" => return Ok(steps),
            Stand::Running => {
                steps.push("resume");
                showrunner(data, fakes, &["resume"], None)
            }
            Stand::ParkedAt(gate) if gate == "script.signoff" => {
                steps.push("approve");
                showrunner(data, fakes, &["approve", &episode_id(data)], None)
            }
            other => return Err(format!("after {steps:?} the run is {other:?}")),
        };
        if !out.status.success() {
            return Err(format!("after {steps:?} the last command failed: {}", describe(&out)));
        }
    }
    Err(format!("not at the release gate after {steps:?}"))
}

/// Each request exactly as often as the uninterrupted production sent it: nothing was bought twice.
fn assert_requests_as_uninterrupted(base: &Observed, got: &Observed) {
    let extra: Vec<String> = got
        .requests
        .iter()
        .filter(|(r, n)| base.requests.get(*r) != Some(n))
        .map(|(r, n)| format!("{} received {n} times", short(r)))
        .collect();
    assert!(
        extra.is_empty(),
        "requests differ from the uninterrupted run: {extra:#?}"
    );
    assert_eq!(
        got.requests.len(),
        base.requests.len(),
        "the same requests as uninterrupted"
    );
}

#[test]
fn a_second_process_on_the_folder_is_refused_naming_the_first_and_nothing_is_sent_twice() {
    let base = baseline();
    let fakes = Fakes::start();
    // Slow answers keep the first production mid-run while the others try.
    for (_, _, server) in &fakes.servers {
        server.script().set_latency(Duration::from_millis(150));
    }
    let data = tempfile::tempdir().unwrap();
    let first = showrunner_command(data.path(), &fakes, &PRODUCE)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the first produce");
    let started = Instant::now();
    while fakes.requests().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the first produce never called a provider"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let holder = read_holder(data.path()).expect("the first produce recorded itself as the folder's writer");
    assert_eq!((holder.role, holder.pid), (WriterRole::Cli, first.id()));

    // Two more writers: a resume (which would take the live calls for a dead process's) and a produce.
    for args in [&["resume"][..], &PRODUCE[..]] {
        let out = showrunner(data.path(), &fakes, args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{args:?} is refused: {stderr}");
        assert!(
            stderr.contains("error[data_dir_in_use]")
                && stderr.contains(&format!("a showrunner command (process {},", first.id())),
            "the refusal is coded and names the holder: {stderr}"
        );
    }
    // Reading works beside the writer.
    let listed = showrunner(data.path(), &fakes, &["episodes", "--json"], None);
    assert!(
        listed.status.success(),
        "episodes beside the writer: {}",
        describe(&listed)
    );
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    let out = first.wait_with_output().unwrap();
    assert!(out.status.success(), "the first produce finishes: {}", describe(&out));
    let got = observe(data.path(), fakes.requests());
    let broken = violations(&base.observed, &got);
    assert!(broken.is_empty(), "{broken:#?}");
    assert_requests_as_uninterrupted(&base.observed, &got);
    let ledger = got.ledger.as_ref().unwrap();
    assert!(ledger.calls.iter().all(|c| !c.ambiguous), "no call was cut off");
}

/// The paid call whose settlement fills the disk: the one with the largest answer, which needs database pages
/// of its own (more than fits on a 4 KiB page), so SQLite refuses it once the file may not grow.
fn call_that_fills_the_disk(base: &Observed) -> String {
    let (size, key) = base
        .ledger
        .as_ref()
        .unwrap()
        .calls
        .iter()
        .map(|c| (c.result.as_ref().map_or(0, |r| r.to_string().len()), c.call_key.clone()))
        .max()
        .unwrap();
    // SQLite keeps at most 4,061 bytes of a row on its page (4 KiB pages); the rest needs overflow pages.
    assert!(size > 4096, "the largest answer, {key}, is only {size} bytes");
    key
}

#[test]
fn a_full_disk_stops_the_run_as_disk_full_and_resume_settles_the_kept_answer_without_asking_again() {
    let base = baseline();
    let fills_the_disk = call_that_fills_the_disk(&base.observed);
    let fakes = Fakes::start();
    let data = tempfile::tempdir().unwrap();
    let out = showrunner_command(data.path(), &fakes, &PRODUCE)
        .env(DISK_FULL_AT_CALL_ENV, &fills_the_disk)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "produce stops on the full disk: {stderr}");
    assert!(
        stderr.contains("error[disk_full]") && stderr.contains("Free some disk space, then resume"),
        "the stop is coded and says what to do: {stderr}"
    );
    let paid_for = |observed: &Observed| {
        let ledger = observed.ledger.clone().unwrap();
        ledger
            .calls
            .into_iter()
            .filter(|c| c.call_key == fills_the_disk)
            .collect::<Vec<_>>()
    };
    let stopped = observe(data.path(), fakes.requests());
    assert_eq!(stopped.stand(), Stand::Running, "the run is left to resume, not failed");
    assert!(
        paid_for(&stopped).iter().all(|c| c.status != CallStatus::Settled),
        "the big answer's settlement did not reach the full database"
    );
    let kept = std::fs::read_dir(data.path().join(KEPT_DIR))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(kept >= 1, "the received answer is kept beside the database");

    let steps = recover(data.path(), &fakes).unwrap_or_else(|e| panic!("{e}"));
    let got = observe(data.path(), fakes.requests());
    let broken = violations(&base.observed, &got);
    assert!(broken.is_empty(), "after {steps:?}: {broken:#?}");
    assert_requests_as_uninterrupted(&base.observed, &got);
    let stopped_requests: usize = stopped.requests.values().sum();
    assert!(stopped_requests > 0, "the providers were called before the disk filled");
    let big = paid_for(&got);
    assert_eq!(big.len(), 1, "one call for the big answer: {big:?}");
    assert_eq!(big[0].status, CallStatus::Settled);
    assert!(
        !big[0].ambiguous,
        "the kept answer settled it; nothing was left in doubt"
    );
    let kept = std::fs::read_dir(data.path().join(KEPT_DIR))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(kept, 0, "the kept answer is gone once settled");
}
