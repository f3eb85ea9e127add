//! `script.write_segment`: one planned segment of a long script. The rehearsal writer writes the whole
//! script from the plan (deterministically, as `script.write` does) and answers with the segment asked for,
//! so an episode written segment by segment says word for word what one written in a single call says: its
//! budgets stay cumulative and its sentences do not repeat across segments, which a writer seeing only one
//! segment could not promise.

use showrunner_domain::artifacts::{EpisodePlan, PlannedSegment, ResearchPackage, Script};
use showrunner_domain::BrandVoice;

use super::context::Context;
use super::script::write_script;
use crate::ProviderError;

/// Which segment is asked for, as the production stage says it.
#[derive(serde::Deserialize)]
struct Position {
    /// 1-based.
    number: usize,
}

pub(crate) fn write_segment(ctx: &Context) -> Result<Script, ProviderError> {
    let topic = ctx.text("topic")?;
    let brand: BrandVoice = ctx.get("brand")?;
    let plan: EpisodePlan = ctx.get("plan")?;
    let research: ResearchPackage = ctx.get("research")?;
    let segment: PlannedSegment = ctx.get("segment")?;
    let position: Position = ctx.get("position")?;
    let feedback = ctx.optional_text("feedback")?;
    let index = position
        .number
        .checked_sub(1)
        .filter(|i| plan.segments.get(*i).is_some_and(|s| s.id == segment.id))
        .or_else(|| plan.segments.iter().position(|s| s.id == segment.id))
        .ok_or_else(|| {
            ProviderError::invalid_request(format!(
                "The script.write_segment request asks for segment {} ({}), which is not in the plan.",
                position.number, segment.id
            ))
        })?;
    let mut whole = write_script(
        ctx.phrasebook()?,
        &topic,
        &brand,
        ctx.format()?,
        &plan,
        &research,
        feedback.as_deref(),
    )?;
    let segment = whole.segments.swap_remove(index);
    Ok(Script {
        title: whole.title,
        segments: vec![segment],
    })
}
