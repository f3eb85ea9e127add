//! The standard episode pipeline's shape with fixed fake latencies, its critical-path bound, and the same
//! stages run strictly one after another.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use showrunner_domain::StageId;
use showrunner_engine::{BudgetSplit, Pipeline, StageKind, StageRunner, StageSpec, Workflow};

use crate::rig::Wait;

/// Every fake provider call takes this long.
const CALL_MS: u64 = 30;

pub struct Def {
    pub id: &'static str,
    pub kind: StageKind,
    after: &'static [&'static str],
    /// Latency of a stage without calls.
    ms: u64,
    /// Calls made inside the stage, `concurrency` at a time.
    calls: usize,
    concurrency: usize,
}

const fn stage(id: &'static str, kind: StageKind, after: &'static [&'static str], ms: u64) -> Def {
    Def {
        id,
        kind,
        after,
        ms,
        calls: 0,
        concurrency: 1,
    }
}

const fn fan_out(id: &'static str, kind: StageKind, after: &'static [&'static str], calls: usize, c: usize) -> Def {
    Def {
        id,
        kind,
        after,
        ms: 0,
        calls,
        concurrency: c,
    }
}

use StageKind::{Gate, HumanGate, Work};

/// The standard pipeline's shape: same stages, same dependencies, with fixed fake latencies. The fan-outs make
/// as many calls as a standard 25-minute episode does against the provider fakes (5 research questions, 2
/// evaluators, 110 spoken turns), at the concurrency the crew uses.
pub const STAGES: [Def; 16] = [
    stage("research.discover", Work, &[], 40),
    fan_out("research.deep_dive", Work, &["research.discover"], 5, 5),
    stage("research.validate", Gate, &["research.deep_dive"], 20),
    stage("research.synthesize", Work, &["research.validate"], 50),
    stage("plan", Work, &["research.synthesize"], 40),
    stage("script.write", Work, &["plan"], 80),
    stage("script.brand_check", Gate, &["script.write"], 20),
    fan_out("script.evaluate", Gate, &["script.brand_check"], 2, 2),
    stage("script.polish", Work, &["script.evaluate"], 40),
    stage("script.signoff", HumanGate, &["script.polish"], 0),
    stage("tts.prepare", Work, &["script.signoff"], 30),
    fan_out("audio.synthesize", Work, &["tts.prepare"], 110, 4),
    stage("audio.master", Work, &["audio.synthesize"], 60),
    stage("audio.validate", Gate, &["audio.master"], 20),
    stage("package", Work, &["script.signoff"], 40),
    stage("release", HumanGate, &["audio.validate", "package"], 0),
];

impl Def {
    /// The stage's share of the bound: its latency, or its calls' rounds (all of them when sequential).
    pub fn cost_ms(&self, sequential: bool) -> u64 {
        match (self.calls, sequential) {
            (0, _) => self.ms,
            (n, true) => n as u64 * CALL_MS,
            (n, false) => n.div_ceil(self.concurrency) as u64 * CALL_MS,
        }
    }
}

/// The longest dependency path, summing stage latencies, and its stages (STAGES is in dependency order).
pub fn critical_path() -> (u64, Vec<&'static str>) {
    let mut finish: HashMap<&str, (u64, Option<&str>)> = HashMap::new();
    for def in &STAGES {
        let before = def.after.iter().map(|d| (finish[d].0, *d)).max();
        let start = before.map_or(0, |(t, _)| t);
        finish.insert(def.id, (start + def.cost_ms(false), before.map(|(_, d)| d)));
    }
    let (mut last, &(total, _)) = finish.iter().max_by_key(|(_, (t, _))| *t).expect("stages");
    let mut path = vec![*last];
    while let Some(previous) = finish[last].1 {
        path.push(previous);
        last = STAGES
            .iter()
            .map(|d| &d.id)
            .find(|id| **id == previous)
            .expect("known stage");
    }
    path.reverse();
    (total, path)
}

pub fn sequential_sum_ms() -> u64 {
    STAGES.iter().map(|d| d.cost_ms(true)).sum()
}

/// The fake runner of each stage, to read how long it really waited.
pub type Waits = HashMap<&'static str, Arc<Wait>>;

/// The pipeline as declared, or (`sequential`) every stage after the previous one, each call after the last.
pub fn workflow(name: &str, sequential: bool) -> (Workflow, Waits) {
    let mut stages = Vec::new();
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    let mut waits = Waits::new();
    for (i, def) in STAGES.iter().enumerate() {
        let after: Vec<&str> = match (sequential, i) {
            (true, 0) => Vec::new(),
            (true, _) => vec![STAGES[i - 1].id],
            (false, _) => def.after.to_vec(),
        };
        let spec = match def.kind {
            Work => StageSpec::work(def.id, def.id, &after, "work"),
            Gate => StageSpec::gate(def.id, def.id, &after, "work", None),
            HumanGate => StageSpec::human_gate(def.id, def.id, &after, "work"),
        };
        stages.push(spec);
        if def.kind != HumanGate {
            let latency = Duration::from_millis(if def.calls > 0 { CALL_MS } else { def.ms });
            let concurrency = if sequential { 1 } else { def.concurrency };
            let runner = Arc::new(Wait::new(latency, def.calls, concurrency, def.kind == Gate));
            runners.insert(StageId::new(def.id), runner.clone());
            waits.insert(def.id, runner);
        }
    }
    let pipeline = Pipeline {
        name: name.into(),
        budget: BudgetSplit::whole("work", "Work"),
        stages,
    };
    (crate::rig::following_episodes(Workflow::new(pipeline, runners)), waits)
}

/// The standard pipeline's shape, for benches that bring their own runners.
pub fn pipeline() -> Pipeline {
    workflow("podcast", false).0.pipeline
}
