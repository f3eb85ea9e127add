//! What an episode should cost before it starts: per budget phase, on the providers that would serve it now,
//! for its length, format and sources (its own and its show's standing ones).

use serde::{Deserialize, Serialize};
use showrunner_domain::SourceOwner;
use showrunner_domain::{EpisodeFormat, Money, PhaseId, ShowId};
use showrunner_production::{estimate_episode, standard_pipeline, EpisodeShape, GROUNDING_CHARS_PER_CALL};
use ts_rs::TS;

use crate::sources::SourceInput;
use crate::{ApiError, App, ErrorCode};

/// One budget phase of the pipeline: what it is expected to cost beside its planned share of the cap.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PhaseCostView {
    pub phase: PhaseId,
    /// What the producer sees ("Research").
    pub label: String,
    pub cost: Money,
    pub allocation: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CostEstimate {
    /// The pipeline's phases, in its order.
    pub phases: Vec<PhaseCostView>,
    pub total: Money,
    /// Each job and the provider that would do it, e.g. ("Script writing", "Claude (Anthropic) · claude-opus-4-5").
    pub providers: Vec<(String, String)>,
    /// Phases expected to spend more than their share of the cap (a warning; only the cap refuses).
    pub over_allocation: Vec<PhaseId>,
}

/// The estimate's phases in a line, for a terminal: "research $0.12, writing & review $0.40, audio $0.30".
pub fn phase_costs(estimate: &CostEstimate) -> String {
    let phases: Vec<String> = estimate
        .phases
        .iter()
        .map(|p| format!("{} {}", p.label.to_lowercase(), p.cost))
        .collect();
    phases.join(", ")
}

/// What the New episode form (and a batch row) is estimated for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EstimateRequest {
    pub target_minutes: u32,
    pub budget_cap: Money,
    /// `None` is a deep dive.
    #[serde(default)]
    pub format: Option<EpisodeFormat>,
    /// The show whose standing sources join the episode's.
    #[serde(default)]
    pub show_id: Option<ShowId>,
    /// The sources on the form, not read yet.
    #[serde(default)]
    pub sources: Vec<SourceInput>,
}

impl EstimateRequest {
    /// A deep dive of `target_minutes` with no sources.
    pub fn plain(target_minutes: u32, budget_cap: Money) -> EstimateRequest {
        EstimateRequest {
            target_minutes,
            budget_cap,
            format: None,
            show_id: None,
            sources: Vec::new(),
        }
    }
}

/// What a source on the form may hand research, without reading it: a note's text, a file's size (its text is
/// never longer), and for a page not fetched yet as much as one research call is ever handed.
async fn unread_chars(source: &SourceInput) -> u64 {
    match source {
        SourceInput::Note { text } => text.chars().count() as u64,
        SourceInput::File { path } => tokio::fs::metadata(path).await.map_or(0, |m| m.len()),
        SourceInput::Url { .. } => GROUNDING_CHARS_PER_CALL,
    }
}

pub async fn estimate_cost(app: &App, request: &EstimateRequest) -> Result<CostEstimate, ApiError> {
    let mut source_chars = 0;
    for source in &request.sources {
        source_chars += unread_chars(source).await;
    }
    if let Some(show) = &request.show_id {
        let standing = app.store().sources(&SourceOwner::Show(show.clone())).await?;
        source_chars += standing.iter().map(|s| u64::from(s.chars)).sum::<u64>();
    }
    let shape = EpisodeShape {
        target_minutes: request.target_minutes,
        format: request.format.unwrap_or_default(),
        source_chars,
    };
    let estimate = estimate_episode(app.crew(), &standard_pipeline(), request.budget_cap, &shape)
        .await
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))?;
    Ok(CostEstimate {
        phases: estimate
            .phases
            .phases
            .iter()
            .map(|p| PhaseCostView {
                phase: p.phase.clone(),
                label: p.label.clone(),
                cost: p.cost,
                allocation: p.allocation,
            })
            .collect(),
        total: estimate.phases.total,
        providers: estimate
            .providers
            .iter()
            .map(|(job, who)| (job.label().to_owned(), who.clone()))
            .collect(),
        over_allocation: estimate.phases.over_allocation(),
    })
}
