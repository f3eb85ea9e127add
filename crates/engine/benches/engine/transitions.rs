//! Figure 2: what the engine costs per durable stage transition: a long chain of stages that do nothing, so the
//! time is all scheduling and journaled writes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use showrunner_domain::{RunStatus, StageId};
use showrunner_engine::{
    BudgetSplit, Pipeline, RetryPolicy, StageContext, StageError, StageOutput, StageRunner, StageSpec, Workflow,
};
use showrunner_store::AttemptFinish;

use crate::rig::Rig;
use crate::stats::{ms, p50, p95, Goal, Row};

/// Chain lengths: the cost per transition should not grow with the run.
const LENGTHS: [usize; 3] = [50, 200, 1_000];
/// The length the goal and the store's floor are measured at.
const LONG: usize = 200;
const WARM_UP: usize = 1;
const REPS: usize = 5;

struct Noop;

#[async_trait::async_trait]
impl StageRunner for Noop {
    async fn run(&self, _ctx: StageContext) -> Result<StageOutput, StageError> {
        Ok(StageOutput::default())
    }
}

fn chain(stages: usize) -> Workflow {
    let ids: Vec<String> = (0..stages).map(|i| format!("s{i:04}")).collect();
    let mut specs = Vec::new();
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let after: Vec<&str> = if i == 0 { Vec::new() } else { vec![ids[i - 1].as_str()] };
        specs.push(StageSpec::work(id, id, &after, "work"));
        runners.insert(StageId::new(id.as_str()), Arc::new(Noop));
    }
    let pipeline = Pipeline {
        name: format!("chain-{stages}"),
        budget: BudgetSplit::whole("work", "Work"),
        stages: specs,
    };
    crate::rig::following_episodes(Workflow::new(pipeline, runners))
}

/// Milliseconds per durable transition (attempt started or finished, as counted in the journal) for one run
/// of the chain, on a fresh store.
async fn per_transition(stages: usize) -> f64 {
    let workflow = chain(stages);
    let name = workflow.pipeline.name.clone();
    let rig = Rig::new(vec![workflow], RetryPolicy::immediate(1)).await;
    let run = rig.new_run(&name).await;
    let started = Instant::now();
    let handle = rig.engine.spawn_drive(&run.id).expect("not driven yet");
    let status = handle.await.expect("drive task").expect("drive");
    let elapsed = started.elapsed();
    assert_eq!(status, RunStatus::Done);
    let events = rig.store.events_for_run(&run.id).await.expect("journal");
    let transitions = events
        .iter()
        .filter(|e| e.kind == "attempt.started" || e.kind == "attempt.finished")
        .count();
    assert_eq!(transitions, 2 * stages, "one start and one finish per stage");
    ms(elapsed) / transitions as f64
}

async fn samples(stages: usize) -> Vec<f64> {
    for _ in 0..WARM_UP {
        per_transition(stages).await;
    }
    let mut out = Vec::with_capacity(REPS);
    for _ in 0..REPS {
        out.push(per_transition(stages).await);
    }
    out
}

/// The store's own floor: the same journaled writes (start, finish) made directly, no engine in between; then
/// the two reads a drive makes once, when it starts (all attempts, the decided ones), on the finished run.
/// Returns milliseconds per write and per pair of reads.
async fn store_floor(stages: usize) -> (f64, f64) {
    let rig = Rig::new(Vec::new(), RetryPolicy::immediate(1)).await;
    let run = rig.new_run("none").await;
    let started = Instant::now();
    for i in 0..stages {
        let attempt = rig
            .store
            .start_attempt(&run.id, &StageId::new(format!("s{i:04}")), None, 3)
            .await
            .expect("start");
        let finish = AttemptFinish {
            status: showrunner_domain::AttemptStatus::Done,
            cost: Default::default(),
            route: None,
            verdict: None,
            error_code: None,
            error_message: None,
            artifacts: Vec::new(),
        };
        rig.store.finish_attempt(attempt.id, finish, 3).await.expect("finish");
    }
    let write = ms(started.elapsed()) / (2 * stages) as f64;
    let started = Instant::now();
    for _ in 0..stages {
        rig.store.attempts(&run.id).await.expect("attempts");
        rig.store.decided_attempts(&run.id).await.expect("decided attempts");
    }
    (write, ms(started.elapsed()) / stages as f64)
}

pub async fn run() -> Vec<Row> {
    let mut rows = Vec::new();
    let mut p50s = Vec::new();
    for stages in LENGTHS {
        let costs = samples(stages).await;
        println!(
            "transition cost: {stages}-stage chain p50 {:.3} ms p95 {:.3} ms ({REPS} runs)",
            p50(&costs),
            p95(&costs)
        );
        let goal = if stages == LONG { Goal::AtMost(1.0) } else { Goal::None };
        rows.push(Row::new(
            format!("2. engine cost per transition, {stages}-stage chain, p50"),
            p50(&costs),
            " ms",
            goal,
        ));
        rows.push(Row::new(
            format!("2. engine cost per transition, {stages}-stage chain, p95"),
            p95(&costs),
            " ms",
            Goal::None,
        ));
        p50s.push(p50(&costs));
    }
    let (first, last) = (LENGTHS[0], LENGTHS[LENGTHS.len() - 1]);
    rows.push(Row::new(
        format!("2. cost per transition, {last}-stage ÷ {first}-stage chain, p50"),
        p50s[p50s.len() - 1] / p50s[0],
        "x",
        Goal::AtMost(1.25),
    ));
    let (mut floor, mut reads) = (Vec::new(), Vec::new());
    for _ in 0..REPS {
        let (write, read) = store_floor(LONG).await;
        floor.push(write);
        reads.push(read);
    }
    println!("  store alone p50 {:.3} ms per write ({REPS} runs)", p50(&floor));
    rows.push(Row::new(
        "2. store alone, one journaled write, p50",
        p50(&floor),
        " ms",
        Goal::None,
    ));
    rows.push(Row::new(
        format!("2. store alone, a drive's two reads at its start, at {LONG} attempts, p50"),
        p50(&reads),
        " ms",
        Goal::None,
    ));
    rows
}
