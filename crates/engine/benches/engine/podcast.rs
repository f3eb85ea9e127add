//! Figure 1: the makespan of a pipeline shaped like the standard episode pipeline, against its critical-path bound and
//! against running every stage and every call one after another.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use showrunner_domain::{AttemptStatus, RunStatus};
use showrunner_engine::RetryPolicy;
use showrunner_store::{AttemptRecord, RunRecord};

use crate::rig::{approve, parked_at, wait_until, Rig};
use crate::shape::{critical_path, sequential_sum_ms, workflow, Waits, STAGES};
use crate::stats::{ms, p50, p95, Goal, Row};

const WARM_UP: usize = 1;
const REPS: usize = 5;
const SEQUENTIAL_REPS: usize = 3;

/// Start to done, with the producer approving both human gates the moment the run parks there.
async fn makespan(rig: &Rig, pipeline: &str) -> (Duration, RunRecord) {
    let run = rig.new_run(pipeline).await;
    let mut changes = rig.engine.subscribe();
    let started = Instant::now();
    rig.engine.spawn_drive(&run.id).expect("not driven yet");
    for gate in ["script.signoff", "release"] {
        wait_until(&rig.engine, &mut changes, &run.id, |r| parked_at(r, gate)).await;
        approve(&rig.engine, &run.id, gate).await;
    }
    let done = wait_until(&rig.engine, &mut changes, &run.id, |r| r.status != RunStatus::Running).await;
    let elapsed = started.elapsed();
    assert_eq!(done.status, RunStatus::Done, "the run completes");
    (elapsed, done)
}

/// Where a run's time beyond the bound went along the critical path, in milliseconds: the fake stages'
/// timers overshooting their latency (not the engine), and, from the journal's millisecond timestamps, the
/// engine between a stage's finish and the next one's start, inside an attempt around its runner (the start
/// write, the hand-off), at the human gates (park, decision, new driver), and from release to done.
struct Breakdown {
    timers: f64,
    between: i64,
    around: f64,
    gates: i64,
    after: i64,
}

async fn breakdown(rig: &Rig, waits: &Waits, run: &RunRecord) -> Breakdown {
    let attempts = rig.store.attempts(&run.id).await.expect("attempts");
    let done: HashMap<&str, &AttemptRecord> = attempts
        .iter()
        .filter(|a| a.status == AttemptStatus::Done)
        .map(|a| (a.stage.as_str(), a))
        .collect();
    let finished = |id: &str| done[id].finished_at_ms.expect("finished");
    let path = critical_path().1;
    let mut b = Breakdown {
        timers: 0.0,
        between: 0,
        around: 0.0,
        gates: 0,
        after: run.updated_at_ms - finished(path[path.len() - 1]),
    };
    for (i, id) in path.iter().enumerate() {
        let attempt = done[id];
        if i > 0 {
            b.between += attempt.started_at_ms - finished(path[i - 1]);
        }
        let took = (finished(id) - attempt.started_at_ms) as f64;
        match waits.get(id) {
            Some(wait) => {
                let def = STAGES.iter().find(|d| d.id == *id).expect("known stage");
                let waited = ms(wait.took());
                b.timers += waited - def.cost_ms(false) as f64;
                b.around += took - waited;
            }
            None => b.gates += took as i64,
        }
    }
    b
}

pub async fn run() -> Vec<Row> {
    let (parallel_flow, waits) = workflow("podcast", false);
    let (sequential_flow, _) = workflow("podcast-sequential", true);
    let rig = Rig::new(vec![parallel_flow, sequential_flow], RetryPolicy::immediate(1)).await;
    let bound = critical_path().0 as f64;
    let sequential_bound = sequential_sum_ms() as f64;

    for _ in 0..WARM_UP {
        makespan(&rig, "podcast").await;
    }
    let (mut parallel, mut engine_only) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..REPS {
        let (elapsed, run) = makespan(&rig, "podcast").await;
        let b = breakdown(&rig, &waits, &run).await;
        parallel.push(ms(elapsed));
        engine_only.push(ms(elapsed) - b.timers);
        last = Some(b);
    }
    let mut sequential = Vec::new();
    for _ in 0..SEQUENTIAL_REPS {
        sequential.push(ms(makespan(&rig, "podcast-sequential").await.0));
    }

    println!(
        "podcast pipeline: critical path {bound:.0} ms, makespan p50 {:.1} ms p95 {:.1} ms ({REPS} runs)",
        p50(&parallel),
        p95(&parallel)
    );
    if let Some(b) = last {
        println!(
            "  beyond the bound on the critical path, last run: fake timers {:.0} ms; engine between stages {} ms, \
             around runners {:.0} ms, at human gates {} ms, release to done {} ms",
            b.timers, b.between, b.around, b.gates, b.after
        );
    }
    println!(
        "  sequential: sum of latencies {sequential_bound:.0} ms, measured p50 {:.1} ms ({SEQUENTIAL_REPS} runs)",
        p50(&sequential)
    );
    vec![
        Row::new("1. makespan p50", p50(&parallel), " ms", Goal::None),
        Row::new(
            "1. makespan / critical path, p50",
            p50(&parallel) / bound,
            "x",
            Goal::AtMost(1.05),
        ),
        Row::new(
            "1. makespan / critical path, p95",
            p95(&parallel) / bound,
            "x",
            Goal::None,
        ),
        Row::new(
            "1. same, fake timers' overshoot taken out, p50",
            p50(&engine_only) / bound,
            "x",
            Goal::None,
        ),
        Row::new(
            "1. speed-up over sequential (measured)",
            p50(&sequential) / p50(&parallel),
            "x",
            Goal::AtLeast(2.5),
        ),
        Row::new(
            "1. ideal speed-up of this shape (sum / critical path)",
            sequential_bound / bound,
            "x",
            Goal::None,
        ),
    ]
}
