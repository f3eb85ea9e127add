//! The script: write it, check it against the brand, have two independent evaluators score it, polish it.

use std::sync::Arc;

use serde_json::json;
use showrunner_domain::artifacts::{
    Arbitration, EpisodePlan, Evaluation, EvaluationPanel, GateCheck, GateReport, ResearchPackage, Script,
    CONSENSUS_THRESHOLD,
};
use showrunner_domain::{ArtifactKind, GateVerdict, Route, StageCode};
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};

use super::{artifact, gate_output, segment_writer};
use crate::brand_rules;
use crate::inputs::{episode, latest, store_error, EpisodeInputs};
use crate::model_call::{ask, ask_checked, Answer, Question};
use crate::script_locks;
use crate::stage_ids::*;
use crate::Crew;
use crate::Job;

/// Brand-voice score the brand check requires.
pub const BRAND_THRESHOLD: f64 = 0.90;

pub struct Write(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Write {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let research: ResearchPackage = latest(&ctx, ArtifactKind::ResearchPackage).await?;
        // Which draft this is, counted from stored scripts: a redo after a gate asks anew even if the feedback
        // repeats, while a rerun after a crash asks exactly what it asked before (and reuses the paid answer).
        // The attempt number would not do: an interrupted attempt counts, so it changes across a crash.
        let draft = ctx
            .store
            .artifacts(&ctx.run.id)
            .await
            .map_err(store_error)?
            .iter()
            .filter(|a| a.kind == ArtifactKind::Script)
            .count()
            + 1;
        // A redo rewrites the current script (the producer's edits and locks included), not a blank page.
        let current = script_locks::current_script(&ctx).await?;
        let mut answer = if segment_writer::is_segmented(inputs.episode.target_minutes) {
            let brief = segment_writer::Brief {
                topic: &inputs.episode.topic,
                brand: &inputs.brand,
                plan: &plan,
                research: &research,
                format: inputs.format(),
                language: inputs.language(),
                feedback: ctx.feedback.as_deref(),
                draft,
                current: current.as_ref(),
            };
            segment_writer::write_by_segment(&self.0, &ctx, &brief).await?
        } else {
            write_whole(&self.0, &ctx, &inputs, &plan, &research, draft, current.as_ref()).await?
        };
        script_locks::enforce(current.as_ref(), &mut answer.value, &mut answer.route);
        // Each answer met its contract; the merged script of a segmented write is held to the whole one.
        let problems = script_problems(&answer.value, &research);
        if !problems.is_empty() {
            return Err(StageError::terminal(StageCode::InvalidOutput, problems.join("; ")));
        }
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::Script, &answer.value)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}

/// The whole script in one call: what an episode up to [`segment_writer::SEGMENTED_AFTER_MINUTES`] asks.
async fn write_whole(
    crew: &Crew,
    ctx: &StageContext,
    inputs: &EpisodeInputs,
    plan: &EpisodePlan,
    research: &ResearchPackage,
    draft: usize,
    current: Option<&Script>,
) -> Result<Answer<Script>, StageError> {
    let mut context = json!({
        "topic": inputs.episode.topic,
        "brand": inputs.brand,
        "format": inputs.format(),
        "language": inputs.language(),
        "plan": plan,
        "research": research,
        "feedback": ctx.feedback,
        "draft": draft,
    });
    if let Some(current) = current {
        context["current_script"] = json!(current);
        if let Some(locked) = script_locks::prompt_inputs(current) {
            context["locked_lines"] = locked;
        }
    }
    // The shape is checked as it will be kept, with the producer's locked lines restored.
    let contract = |script: &Script| {
        let mut kept = script.clone();
        script_locks::enforce(current, &mut kept, &mut Route::by(""));
        script_problems(&kept, research)
    };
    ask_checked::<Script>(
        crew,
        ctx,
        Question {
            job: Job::Write,
            task: SCRIPT_WRITE,
            brand: &inputs.brand,
            context,
            kind: ArtifactKind::Script,
            max_output_tokens: super::output_limits::script_tokens(inputs.episode.target_minutes),
        },
        &contract,
    )
    .await
}

/// Contract checks beyond the schema: a script with no lines, duplicate line ids or invented facts is
/// malformed output, not a matter of taste for the gates; each problem goes back in a correction request.
fn script_problems(script: &Script, research: &ResearchPackage) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for line in script.lines() {
        if !ids.insert(line.id.as_str()) {
            problems.push(format!("the script uses line id {} twice", line.id));
        }
        if let Some(f) = line.facts.iter().find(|f| research.fact(f).is_none()) {
            problems.push(format!(
                "line {} cites {f}, which is not in the research package",
                line.id
            ));
        }
    }
    if ids.is_empty() {
        problems.push("the script has no lines".to_owned());
    }
    problems
}

pub struct BrandCheck(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for BrandCheck {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let mut checks = brand_rules::check(&inputs.brand, &plan, &script);
        let rules_pass = checks.iter().all(|c| c.passed);
        let context = json!({ "brand": inputs.brand, "format": inputs.format(), "language": inputs.language(), "script": script });
        let scored = ask::<GateReport>(
            &self.0,
            &ctx,
            Question {
                job: Job::Coordinate,
                task: TASK_BRAND_SCORE,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::GateReport,
                max_output_tokens: 2_000,
            },
        )
        .await?;
        let score = scored.value.score.clamp(0.0, 1.0);
        checks.push(GateCheck {
            name: "Brand voice score".into(),
            passed: score >= BRAND_THRESHOLD,
            detail: format!("{:.2} by {} (need {:.2}).", score, scored.route, BRAND_THRESHOLD),
        });
        let mut report = GateReport::from_checks(checks, BRAND_THRESHOLD);
        report.score = score;
        report.verdict = if rules_pass && score >= BRAND_THRESHOLD {
            GateVerdict::Pass
        } else {
            GateVerdict::Remediate
        };
        if !scored.value.feedback.trim().is_empty() && report.verdict != GateVerdict::Pass {
            report.feedback = format!("{}\n{}", report.feedback, scored.value.feedback)
                .trim()
                .to_owned();
        }
        let (verdict, feedback) = (report.verdict, report.feedback.clone());
        let mut out = gate_output(
            vec![artifact(ArtifactKind::GateReport, &report)?],
            verdict,
            feedback,
            Some(scored.route),
        );
        out.cost = scored.cost;
        Ok(out)
    }
}

pub struct Evaluate(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Evaluate {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let research: ResearchPackage = latest(&ctx, ArtifactKind::ResearchPackage).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let ask_one = |job: Job, name: &'static str, disagreement: Option<[&Evaluation; 2]>| {
            let context = json!({
                "brand": inputs.brand, "format": inputs.format(), "language": inputs.language(), "plan": plan, "research": research, "script": script, "evaluator": name,
                "disagreement": disagreement,
            });
            let question = Question {
                job,
                task: SCRIPT_EVALUATE,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::Evaluation,
                max_output_tokens: 3_000,
            };
            ask::<Evaluation>(&self.0, &ctx, question)
        };
        // The two evaluators work independently and at the same time.
        let (a, b) = tokio::join!(
            ask_one(Job::EvaluateA, "Evaluator A", None),
            ask_one(Job::EvaluateB, "Evaluator B", None)
        );
        let (mut a, mut b) = (a?, b?);
        // Who evaluated is a fact the engine knows; a model's own claim about its name is not trusted.
        for (answer, slot) in [(&mut a, "A"), (&mut b, "B")] {
            answer.value.evaluator = format!("Evaluator {slot} · {}", answer.route);
        }
        // Both evaluators side by side (then the arbiter), each as its own route reads.
        let mut route = Route {
            by: format!("{} ‖ {}", a.route, b.route),
            stand_in: a.route.stand_in || b.route.stand_in,
            notes: Vec::new(),
        };
        let mut cost = a.cost + b.cost;
        let panel = EvaluationPanel::judge(vec![a.value.clone(), b.value.clone()]);
        let (panel, verdict) = if panel.consensus >= CONSENSUS_THRESHOLD {
            let verdict = if panel.passed {
                GateVerdict::Pass
            } else {
                GateVerdict::Remediate
            };
            (panel, verdict)
        } else {
            // They disagree beyond tolerance: a third evaluator, shown both evaluations, settles it or the
            // producer does.
            let mut arbiter = ask_one(Job::Arbitrate, "Arbiter", Some([&a.value, &b.value])).await?;
            arbiter.value.evaluator = format!("Arbiter · {}", arbiter.route);
            route = Route {
                by: format!("{route} → {}", arbiter.route),
                stand_in: route.stand_in || arbiter.route.stand_in,
                notes: Vec::new(),
            };
            cost += arbiter.cost;
            match EvaluationPanel::arbitrate(a.value, b.value, arbiter.value) {
                Arbitration::Settled(panel) if panel.passed => (panel, GateVerdict::Pass),
                Arbitration::Settled(panel) => (panel, GateVerdict::Remediate),
                Arbitration::Unsettled(panel) => (panel, GateVerdict::Escalate),
            }
        };
        let feedback = panel.feedback.clone();
        let mut out = gate_output(
            vec![artifact(ArtifactKind::EvaluationPanel, &panel)?],
            verdict,
            feedback,
            Some(route),
        );
        out.cost = cost;
        Ok(out)
    }
}

pub struct Polish(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Polish {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let mut context = json!({ "brand": inputs.brand, "language": inputs.language(), "script": script });
        if let Some(locked) = script_locks::prompt_inputs(&script) {
            context["locked_lines"] = locked;
        }
        let before: Vec<&str> = script.lines().map(|l| l.id.as_str()).collect();
        let contract = |polished: &Script| {
            let mut kept = polished.clone();
            script_locks::enforce(Some(&script), &mut kept, &mut Route::by(""));
            let after: Vec<&str> = kept.lines().map(|l| l.id.as_str()).collect();
            if before == after {
                Vec::new()
            } else {
                vec![
                    "polish must keep every line, with its id, in order: edit the lines' text, do not add, drop or \
                      reorder lines"
                        .to_owned(),
                ]
            }
        };
        let mut answer = ask_checked::<Script>(
            &self.0,
            &ctx,
            Question {
                job: Job::Coordinate,
                task: SCRIPT_POLISH,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::Script,
                max_output_tokens: super::output_limits::script_tokens(inputs.episode.target_minutes),
            },
            &contract,
        )
        .await?;
        script_locks::enforce(Some(&script), &mut answer.value, &mut answer.route);
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::Script, &answer.value)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}
