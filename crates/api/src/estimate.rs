//! What an episode should cost before it starts: per budget phase, on the providers that would serve it now.

use serde::Serialize;
use showrunner_domain::Money;
use showrunner_engine::BudgetPhase;
use showrunner_production::{estimate_episode, standard_pipeline};
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CostEstimate {
    pub research: Money,
    pub production: Money,
    pub audio: Money,
    pub total: Money,
    /// Each job and the provider that would do it, e.g. ("Script writing", "Claude (Anthropic) · claude-opus-4-5").
    pub providers: Vec<(String, String)>,
    /// Phases expected to spend more than their share of the cap (a warning; only the cap refuses).
    pub over_allocation: Vec<String>,
}

pub async fn estimate_cost(app: &App, target_minutes: u32, budget_cap: Money) -> Result<CostEstimate, ApiError> {
    let estimate = estimate_episode(app.crew(), &standard_pipeline(), target_minutes)
        .await
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let phase_name = |p: BudgetPhase| match p {
        BudgetPhase::Research => "research",
        BudgetPhase::Production => "production",
        BudgetPhase::Audio => "audio",
    };
    Ok(CostEstimate {
        research: estimate.phases.research,
        production: estimate.phases.production,
        audio: estimate.phases.audio,
        total: estimate.phases.total,
        providers: estimate
            .providers
            .iter()
            .map(|(job, who)| (job.label().to_owned(), who.clone()))
            .collect(),
        over_allocation: estimate
            .phases
            .over_allocation(budget_cap)
            .into_iter()
            .map(|p| phase_name(p).to_owned())
            .collect(),
    })
}
