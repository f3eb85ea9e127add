//! The default "Standard episode" pipeline as data (architecture.md, "The pipeline").

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use showrunner_domain::{EpisodeStatus, StageId};
use showrunner_engine::{BudgetPhase, Pipeline, StageKind, StageRunner, StageSpec, Workflow};

use crate::stage_ids::*;
use crate::stages;
use crate::Crew;

pub const STANDARD_PIPELINE: &str = "standard";

pub fn standard_pipeline() -> Pipeline {
    use BudgetPhase::{Audio, Production, Research};
    let stages = vec![
        StageSpec::work(RESEARCH_DISCOVER, "Research · discover", &[], Research),
        StageSpec::work(
            RESEARCH_DEEP_DIVE,
            "Research · deep dive",
            &[RESEARCH_DISCOVER],
            Research,
        ),
        StageSpec::gate(
            RESEARCH_VALIDATE,
            "Research · validate",
            &[RESEARCH_DEEP_DIVE],
            Research,
            Some(RESEARCH_DEEP_DIVE),
        ),
        StageSpec::work(
            RESEARCH_SYNTHESIZE,
            "Research · synthesize",
            &[RESEARCH_VALIDATE],
            Research,
        ),
        StageSpec::work(PLAN, "Plan", &[RESEARCH_SYNTHESIZE], Production),
        StageSpec::work(SCRIPT_WRITE, "Script · write", &[PLAN], Production),
        StageSpec::gate(
            SCRIPT_BRAND_CHECK,
            "Script · brand check",
            &[SCRIPT_WRITE],
            Production,
            Some(SCRIPT_WRITE),
        ),
        StageSpec::gate(
            SCRIPT_EVALUATE,
            "Script · evaluate",
            &[SCRIPT_BRAND_CHECK],
            Production,
            Some(SCRIPT_WRITE),
        ),
        StageSpec::work(SCRIPT_POLISH, "Script · polish", &[SCRIPT_EVALUATE], Production),
        StageSpec::human_gate(
            SCRIPT_SIGNOFF,
            "Script · sign-off",
            &[SCRIPT_POLISH],
            Production,
            EpisodeStatus::AwaitingScriptSignoff,
        ),
        StageSpec::work(TTS_PREPARE, "Speech · prepare text", &[SCRIPT_SIGNOFF], Audio),
        StageSpec::work(AUDIO_SYNTHESIZE, "Audio · synthesize", &[TTS_PREPARE], Audio),
        StageSpec::work(AUDIO_MASTER, "Audio · master", &[AUDIO_SYNTHESIZE], Audio),
        StageSpec::gate(
            AUDIO_VALIDATE,
            "Audio · validate",
            &[AUDIO_MASTER],
            Audio,
            Some(AUDIO_MASTER),
        ),
        StageSpec::work(PACKAGE, "Package", &[SCRIPT_SIGNOFF], Production),
        StageSpec::human_gate(
            RELEASE,
            "Release",
            &[AUDIO_VALIDATE, PACKAGE],
            Audio,
            EpisodeStatus::AwaitingRelease,
        ),
    ];
    Pipeline {
        name: STANDARD_PIPELINE.into(),
        stages: stages.into_iter().map(with_time_limits).collect(),
    }
}

/// How long one try of a stage may take, and all its tries together. A model call is bounded by its client's
/// timeout, but a stage makes several (corrections, fallbacks, fan-outs), and a provider's Retry-After can ask
/// for hours; past these limits the producer hears about it instead of watching a spinner.
fn with_time_limits(spec: StageSpec) -> StageSpec {
    const MIN: u64 = 60;
    let (attempt, deadline) = match spec.id.as_str() {
        // Every line of a long episode, through a provider that queues concurrent requests.
        AUDIO_SYNTHESIZE => (45 * MIN, 180 * MIN),
        AUDIO_MASTER | AUDIO_VALIDATE | TTS_PREPARE => (10 * MIN, 30 * MIN),
        // Script writing and polishing generate the longest answers (up to 3 rounds with corrections).
        SCRIPT_WRITE | SCRIPT_POLISH => (20 * MIN, 90 * MIN),
        _ if spec.kind == StageKind::HumanGate => return spec,
        _ => (15 * MIN, 60 * MIN),
    };
    spec.with_time_limits(Duration::from_secs(attempt), Duration::from_secs(deadline))
}

/// The standard pipeline with every stage's runner, staffed by `crew`.
pub fn standard_workflow(crew: Crew) -> Workflow {
    let crew = Arc::new(crew);
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    let mut add = |id: &str, runner: Arc<dyn StageRunner>| {
        runners.insert(StageId::new(id), runner);
    };
    add(RESEARCH_DISCOVER, Arc::new(stages::research::Discover(crew.clone())));
    add(RESEARCH_DEEP_DIVE, Arc::new(stages::research::DeepDive(crew.clone())));
    add(RESEARCH_VALIDATE, Arc::new(stages::research::Validate));
    add(
        RESEARCH_SYNTHESIZE,
        Arc::new(stages::research::Synthesize(crew.clone())),
    );
    add(PLAN, Arc::new(stages::plan::Plan(crew.clone())));
    add(SCRIPT_WRITE, Arc::new(stages::script::Write(crew.clone())));
    add(SCRIPT_BRAND_CHECK, Arc::new(stages::script::BrandCheck(crew.clone())));
    add(SCRIPT_EVALUATE, Arc::new(stages::script::Evaluate(crew.clone())));
    add(SCRIPT_POLISH, Arc::new(stages::script::Polish(crew.clone())));
    add(TTS_PREPARE, Arc::new(stages::speech::Prepare));
    add(AUDIO_SYNTHESIZE, Arc::new(stages::speech::Synthesize(crew.clone())));
    add(
        AUDIO_MASTER,
        Arc::new(stages::master::Master(crew.master_takes.clone())),
    );
    add(AUDIO_VALIDATE, Arc::new(stages::master::Validate));
    add(PACKAGE, Arc::new(stages::package::Package(crew)));
    Workflow {
        pipeline: standard_pipeline(),
        runners,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_pipeline_has_the_sixteen_stages_of_the_map_and_is_valid() {
        let p = standard_pipeline();
        assert_eq!(p.stages.len(), 16);
        p.validate().expect("the default pipeline must be a valid DAG");
    }

    #[test]
    fn sending_the_script_back_redoes_everything_after_it_but_not_the_research() {
        let p = standard_pipeline();
        let redo = p.downstream_of(&StageId::new(SCRIPT_WRITE));
        assert!(redo.contains(&StageId::new(RELEASE)));
        assert!(!redo.contains(&StageId::new(PLAN)), "upstream artifacts are reused");
    }

    #[test]
    fn every_stage_but_the_human_gates_is_time_limited_and_parked_runs_are_not() {
        for spec in standard_pipeline().stages {
            match (spec.kind, spec.attempt_timeout_ms, spec.deadline_ms) {
                (StageKind::HumanGate, None, None) => {}
                (StageKind::HumanGate, ..) => panic!("{} would time out a producer", spec.id),
                (_, Some(attempt), Some(deadline)) => {
                    assert!(deadline >= 3 * attempt, "{}: room for three tries", spec.id)
                }
                _ => panic!("{} has no time limits", spec.id),
            }
        }
    }
}
