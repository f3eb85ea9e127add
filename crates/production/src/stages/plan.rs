//! Planning: segments with goals, time budgets, speakers and facts.

use std::sync::Arc;

use serde_json::json;
use showrunner_domain::artifacts::{EpisodePlan, ResearchPackage};
use showrunner_domain::ArtifactKind;
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};

use super::artifact;
use crate::inputs::{episode, latest};
use crate::model_call::{ask_checked, Question};
use crate::stage_ids::PLAN;
use crate::Crew;
use crate::Job;

pub struct Plan(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Plan {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let research: ResearchPackage = latest(&ctx, ArtifactKind::ResearchPackage).await?;
        let context = json!({
            "topic": inputs.episode.topic,
            "brand": inputs.brand,
            "target_minutes": inputs.episode.target_minutes,
            "format": inputs.format(),
            "language": inputs.language(),
            "research": research,
        });
        let contract = |plan: &EpisodePlan| plan_problems(plan, &research);
        let answer = ask_checked::<EpisodePlan>(
            &self.0,
            &ctx,
            Question {
                job: Job::Coordinate,
                task: PLAN,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::Plan,
                max_output_tokens: 3_000,
            },
            &contract,
        )
        .await?;
        let plan = answer.value;
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::Plan, &plan)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}

/// A plan with no segments, or one citing facts the research does not have, is sent back for correction.
fn plan_problems(plan: &EpisodePlan, research: &ResearchPackage) -> Vec<String> {
    if plan.segments.is_empty() {
        return vec!["the plan has no segments".to_owned()];
    }
    let unknown: Vec<&str> = plan
        .segments
        .iter()
        .flat_map(|s| s.facts.iter())
        .filter(|f| research.fact(f).is_none())
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "the plan cites facts that do not exist: {}",
            unknown.join(", ")
        )]
    }
}
