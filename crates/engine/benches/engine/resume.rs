//! Figure 4: restart with a long journal: open the store, build the engine, resume the interrupted run, until the
//! interrupted stage is running again, and on until the run parks at the next human gate.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use showrunner_domain::StageId;
use showrunner_engine::{Engine, StageContext, StageError, StageKind, StageOutput, StageRunner, SystemClock, Workflow};
use showrunner_store::Store;
use tokio::sync::mpsc;

use crate::journal::{self, MIN_EVENTS};
use crate::rig::{parked_at, wait_until, Wait};
use crate::stats::{ms, p50, p95, Goal, Row};

const WARM_UP: usize = 1;
const REPS: usize = 5;
const INTERRUPTED: &str = "audio.synthesize";

/// Tells the bench when the interrupted stage is being worked on again.
struct Signal(mpsc::UnboundedSender<Instant>);

#[async_trait::async_trait]
impl StageRunner for Signal {
    async fn run(&self, _ctx: StageContext) -> Result<StageOutput, StageError> {
        let _ = self.0.send(Instant::now());
        Ok(StageOutput::default())
    }
}

/// The standard shape with runners that return at once, so the time measured is the engine's.
fn workflow(signal: mpsc::UnboundedSender<Instant>) -> Workflow {
    let pipeline = crate::shape::pipeline();
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    for spec in pipeline.stages.iter().filter(|s| s.kind != StageKind::HumanGate) {
        let runner: Arc<dyn StageRunner> = if spec.id == INTERRUPTED {
            Arc::new(Signal(signal.clone()))
        } else {
            Arc::new(Wait::new(Duration::ZERO, 0, 1, spec.kind == StageKind::Gate))
        };
        runners.insert(spec.id.clone(), runner);
    }
    crate::rig::following_episodes(Workflow::new(pipeline, runners))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

struct Timing {
    open: f64,
    working: f64,
    parked: f64,
    /// One read of every artifact of the run, which a stage's re-attempt made for its feedback before.
    artifacts: f64,
    /// A re-attempt's feedback read now: the artifacts of the attempts that can hold it.
    feedback: f64,
}

/// One restart on a fresh copy of the interrupted store (the copy is not timed).
async fn restart(template: &Path, run: &showrunner_domain::RunId) -> Timing {
    let copy = tempfile::tempdir().expect("temp dir");
    copy_dir(template, copy.path());
    let (signal, mut working) = mpsc::unbounded_channel();
    let started = Instant::now();
    let store = Store::open(copy.path()).await.expect("open store");
    let open = started.elapsed();
    let engine = Engine::new(store.clone(), Arc::new(SystemClock), vec![workflow(signal)]).expect("engine");
    let mut changes = engine.subscribe();
    let resumed = engine.resume_interrupted().await.expect("resume");
    assert_eq!(&resumed, std::slice::from_ref(run), "the interrupted run is resumed");
    let at_work = working.recv().await.expect("the interrupted stage runs again");
    wait_until(&engine, &mut changes, run, |r| parked_at(r, "release")).await;
    let parked = started.elapsed();
    let reading = Instant::now();
    store.artifacts(run).await.expect("artifacts");
    let artifacts = ms(reading.elapsed());
    // The last send-back from release, which script.write's redo read its note from.
    let decided = store.decided_attempts(run).await.expect("decided attempts");
    let reading = Instant::now();
    let sources = store
        .artifacts_of_attempts(run, &decided[decided.len().saturating_sub(1)..])
        .await
        .expect("feedback sources");
    let feedback = ms(reading.elapsed());
    assert!(!sources.is_empty(), "the send-back's decision is found");
    store.close().await;
    Timing {
        open: ms(open),
        working: ms(at_work - started),
        parked: ms(parked),
        artifacts,
        feedback,
    }
}

pub async fn run() -> Vec<Row> {
    let template = tempfile::tempdir().expect("temp dir");
    let built = Instant::now();
    let journal = journal::build(template.path(), &crate::shape::pipeline()).await;
    let (run, events) = (journal.run.clone(), journal.events);
    assert!(events >= MIN_EVENTS, "the journal holds {events} events");
    let size = std::fs::metadata(template.path().join(showrunner_store::DATABASE_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "resume: journal of {events} events ({} attempts, {} artifacts of {:.1} MB), database {:.1} MB, \
         written in {:.1} s",
        journal.attempts,
        journal.artifacts,
        journal.artifact_bytes as f64 / 1e6,
        size as f64 / 1e6,
        built.elapsed().as_secs_f64()
    );
    for _ in 0..WARM_UP {
        restart(template.path(), &run).await;
    }
    let mut timings = Vec::with_capacity(REPS);
    for _ in 0..REPS {
        timings.push(restart(template.path(), &run).await);
    }
    let working: Vec<f64> = timings.iter().map(|t| t.working).collect();
    let parked: Vec<f64> = timings.iter().map(|t| t.parked).collect();
    let open: Vec<f64> = timings.iter().map(|t| t.open).collect();
    let artifacts: Vec<f64> = timings.iter().map(|t| t.artifacts).collect();
    let feedback: Vec<f64> = timings.iter().map(|t| t.feedback).collect();
    println!(
        "  open p50 {:.1} ms; stage running again p50 {:.1} ms p95 {:.1} ms; parked at release p50 {:.1} ms",
        p50(&open),
        p50(&working),
        p95(&working),
        p50(&parked)
    );
    vec![
        Row::new(
            "4. journal events at restart",
            events as f64,
            "",
            Goal::AtLeast(MIN_EVENTS as f64),
        ),
        Row::new(
            "4. resume: open to interrupted stage running, p50",
            p50(&working),
            " ms",
            Goal::AtMost(300.0),
        ),
        Row::new("4. resume: of which Store::open, p50", p50(&open), " ms", Goal::None),
        Row::new(
            "4. resume: open to parked at release, p50",
            p50(&parked),
            " ms",
            Goal::None,
        ),
        Row::new(
            "4. one read of all the run's artifacts (a re-attempt's read before), p50",
            p50(&artifacts),
            " ms",
            Goal::None,
        ),
        Row::new(
            "4. a re-attempt's feedback read (its sources' artifacts), p50",
            p50(&feedback),
            " ms",
            Goal::None,
        ),
    ]
}
