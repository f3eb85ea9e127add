//! The default "Standard episode" pipeline as data (architecture.md, "The pipeline"): its budget phases with
//! their shares of the cap, and each stage declared once, with its place in the graph, its phase, its time
//! limits and who does it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use showrunner_domain::{BudgetPhase, BudgetSplit, EpisodeStatus, StageId};
use showrunner_engine::{Pipeline, StageRunner, StageSpec, Workflow};

use crate::stage_ids::*;
use crate::stages;
use crate::{Crew, EpisodeFollowsRun};

pub const STANDARD_PIPELINE: &str = "standard";

/// The standard pipeline's budget phases (stable ids: the ledger books every paid call under one).
pub const RESEARCH: &str = "research";
pub const WRITING: &str = "production";
pub const AUDIO: &str = "audio";

/// The seed's split of an episode's cap: research 20 %, writing and review 51 %, audio 29 %.
pub fn standard_budget() -> BudgetSplit {
    BudgetSplit::new(vec![
        BudgetPhase::new(RESEARCH, "Research", 20),
        BudgetPhase::new(WRITING, "Writing & review", 51),
        BudgetPhase::new(AUDIO, "Audio", 29),
    ])
    .expect("the standard split adds up to 100 %")
}

/// How long one try of a stage may take, and all its tries together, in minutes. A model call is bounded by
/// its client's timeout, but a stage makes several (corrections, fallbacks, fan-outs), and a provider's
/// Retry-After can ask for hours; past these limits the producer hears about it instead of watching a spinner.
type Limits = (u64, u64);
/// A few model calls.
const MODEL_CALLS: Limits = (15, 60);
/// Script writing and polishing generate the longest answers (up to 3 rounds with corrections).
const LONG_ANSWERS: Limits = (20, 90);
/// Every line of a long episode, through a provider that queues concurrent requests.
const EVERY_LINE: Limits = (45, 180);
/// Local work over the whole episode's audio or text.
const LOCAL_AUDIO: Limits = (10, 30);

/// Who does a stage, given the crew.
type Staff = fn(&Arc<Crew>) -> Arc<dyn StageRunner>;

/// One stage: its spec (with its limits) and its runner; a human gate has none (the producer decides), but
/// the episode status it parks its episode in.
struct Declared {
    spec: StageSpec,
    staff: Option<Staff>,
    parks_as: Option<EpisodeStatus>,
}

fn work(spec: StageSpec, (attempt, deadline): Limits, staff: Staff) -> Declared {
    let minutes = |m: u64| Duration::from_secs(m * 60);
    Declared {
        spec: spec.with_time_limits(minutes(attempt), minutes(deadline)),
        staff: Some(staff),
        parks_as: None,
    }
}

fn producer(spec: StageSpec, parks_as: EpisodeStatus) -> Declared {
    Declared {
        spec,
        staff: None,
        parks_as: Some(parks_as),
    }
}

/// The standard pipeline, in order.
fn declared() -> Vec<Declared> {
    use stages::{master, package, plan, research, script, speech};
    vec![
        work(
            StageSpec::work(RESEARCH_DISCOVER, "Research · discover", &[], RESEARCH),
            MODEL_CALLS,
            |c| Arc::new(research::Discover(c.clone())),
        ),
        work(
            StageSpec::work(
                RESEARCH_DEEP_DIVE,
                "Research · deep dive",
                &[RESEARCH_DISCOVER],
                RESEARCH,
            ),
            MODEL_CALLS,
            |c| Arc::new(research::DeepDive(c.clone())),
        ),
        work(
            StageSpec::gate(
                RESEARCH_VALIDATE,
                "Research · validate",
                &[RESEARCH_DEEP_DIVE],
                RESEARCH,
                Some(RESEARCH_DEEP_DIVE),
            ),
            MODEL_CALLS,
            |_| Arc::new(research::Validate),
        ),
        work(
            StageSpec::work(
                RESEARCH_SYNTHESIZE,
                "Research · synthesize",
                &[RESEARCH_VALIDATE],
                RESEARCH,
            ),
            MODEL_CALLS,
            |c| Arc::new(research::Synthesize(c.clone())),
        ),
        work(
            StageSpec::work(PLAN, "Plan", &[RESEARCH_SYNTHESIZE], WRITING),
            MODEL_CALLS,
            |c| Arc::new(plan::Plan(c.clone())),
        ),
        work(
            StageSpec::work(SCRIPT_WRITE, "Script · write", &[PLAN], WRITING),
            LONG_ANSWERS,
            |c| Arc::new(script::Write(c.clone())),
        ),
        work(
            StageSpec::gate(
                SCRIPT_BRAND_CHECK,
                "Script · brand check",
                &[SCRIPT_WRITE],
                WRITING,
                Some(SCRIPT_WRITE),
            ),
            MODEL_CALLS,
            |c| Arc::new(script::BrandCheck(c.clone())),
        ),
        work(
            StageSpec::gate(
                SCRIPT_EVALUATE,
                "Script · evaluate",
                &[SCRIPT_BRAND_CHECK],
                WRITING,
                Some(SCRIPT_WRITE),
            ),
            MODEL_CALLS,
            |c| Arc::new(script::Evaluate(c.clone())),
        ),
        work(
            StageSpec::work(SCRIPT_POLISH, "Script · polish", &[SCRIPT_EVALUATE], WRITING),
            LONG_ANSWERS,
            |c| Arc::new(script::Polish(c.clone())),
        ),
        producer(
            StageSpec::human_gate(SCRIPT_SIGNOFF, "Script · sign-off", &[SCRIPT_POLISH], WRITING),
            EpisodeStatus::AwaitingScriptSignoff,
        ),
        work(
            StageSpec::work(TTS_PREPARE, "Speech · prepare text", &[SCRIPT_SIGNOFF], AUDIO),
            LOCAL_AUDIO,
            |_| Arc::new(speech::Prepare),
        ),
        work(
            StageSpec::work(AUDIO_SYNTHESIZE, "Audio · synthesize", &[TTS_PREPARE], AUDIO),
            EVERY_LINE,
            |c| Arc::new(speech::Synthesize(c.clone())),
        ),
        work(
            StageSpec::work(AUDIO_MASTER, "Audio · master", &[AUDIO_SYNTHESIZE], AUDIO),
            LOCAL_AUDIO,
            |c| Arc::new(master::Master(c.master_takes.clone())),
        ),
        work(
            StageSpec::gate(
                AUDIO_VALIDATE,
                "Audio · validate",
                &[AUDIO_MASTER],
                AUDIO,
                Some(AUDIO_MASTER),
            ),
            LOCAL_AUDIO,
            |_| Arc::new(master::Validate),
        ),
        work(
            StageSpec::work(PACKAGE, "Package", &[SCRIPT_SIGNOFF], WRITING),
            MODEL_CALLS,
            |c| Arc::new(package::Package(c.clone())),
        ),
        producer(
            StageSpec::human_gate(RELEASE, "Release", &[AUDIO_VALIDATE, PACKAGE], AUDIO),
            EpisodeStatus::AwaitingRelease,
        ),
    ]
}

pub fn standard_pipeline() -> Pipeline {
    Pipeline {
        name: STANDARD_PIPELINE.into(),
        budget: standard_budget(),
        stages: declared().into_iter().map(|d| d.spec).collect(),
    }
}

/// How the standard pipeline's episodes follow their runs: parked at a human gate, as that gate declares.
pub fn episode_follows_run() -> EpisodeFollowsRun {
    let parked_at = declared()
        .into_iter()
        .filter_map(|d| Some((d.spec.id, d.parks_as?)))
        .collect();
    EpisodeFollowsRun { parked_at }
}

/// The standard pipeline with every stage's runner, staffed by `crew`, its episodes following its runs.
pub fn standard_workflow(crew: Crew) -> Workflow {
    let crew = Arc::new(crew);
    let mut stages = Vec::new();
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    for Declared { spec, staff, .. } in declared() {
        if let Some(staff) = staff {
            runners.insert(spec.id.clone(), staff(&crew));
        }
        stages.push(spec);
    }
    let pipeline = Pipeline {
        name: STANDARD_PIPELINE.into(),
        budget: standard_budget(),
        stages,
    };
    Workflow::new(pipeline, runners).with_subject_status(Arc::new(episode_follows_run()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_engine::StageKind;

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
    fn the_producer_alone_decides_the_human_gates_and_every_other_stage_is_staffed() {
        for Declared { spec, staff, parks_as } in declared() {
            assert_eq!(
                staff.is_none(),
                spec.kind == StageKind::HumanGate,
                "{} is staffed exactly when it is not the producer's",
                spec.id
            );
            assert_eq!(
                parks_as.is_some(),
                spec.kind == StageKind::HumanGate,
                "{} says what its episode shows exactly when it parks for the producer",
                spec.id
            );
        }
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
