//! Planning: segments with goals, time budgets, speakers and facts.

use std::sync::Arc;

use serde_json::json;
use showrunner_domain::artifacts::{EpisodePlan, ResearchPackage};
use showrunner_domain::ArtifactKind;
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};

use super::artifact;
use crate::inputs::{episode, latest};
use crate::model_call::{ask, Question};
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
            "research": research,
        });
        let answer = ask::<EpisodePlan>(
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
        )
        .await?;
        let plan = answer.value;
        if plan.segments.is_empty() {
            return Err(StageError::terminal("invalid_output", "the plan has no segments"));
        }
        let unknown: Vec<&str> = plan
            .segments
            .iter()
            .flat_map(|s| s.facts.iter())
            .filter(|f| research.fact(f).is_none())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(StageError::terminal(
                "invalid_output",
                format!("the plan cites facts that do not exist: {}", unknown.join(", ")),
            ));
        }
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::Plan, &plan)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}
