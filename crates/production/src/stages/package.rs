//! Packaging: show notes with citations, chapters and promo copy, written while the audio is produced.

use std::sync::Arc;

use serde_json::json;
use showrunner_domain::artifacts::{ChapterMark, EpisodePlan, ResearchPackage, Script, ShowNotes};
use showrunner_domain::ArtifactKind;
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};

use super::artifact;
use crate::inputs::{episode, latest};
use crate::model_call::{ask, Question};
use crate::stage_ids::PACKAGE;
use crate::Crew;
use crate::Job;

pub struct Package(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Package {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let research: ResearchPackage = latest(&ctx, ArtifactKind::ResearchPackage).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let chapters = estimated_chapters(&script);
        let context = json!({
            "topic": inputs.episode.topic,
            "language": inputs.language(),
            "brand": inputs.brand,
            "research": research,
            "plan": plan,
            "script": script,
            "chapters": chapters,
        });
        let answer = ask::<ShowNotes>(
            &self.0,
            &ctx,
            Question {
                job: Job::Coordinate,
                task: PACKAGE,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::ShowNotes,
                max_output_tokens: super::output_limits::package_tokens(inputs.episode.target_minutes),
            },
        )
        .await?;
        // A citation names its fact; the fact's sources (the producer's, with page or section) are the
        // research's, not whatever the model copied of them.
        let mut notes = answer.value;
        for citation in &mut notes.citations {
            if let Some(fact) = research.fact(&citation.fact_id) {
                citation.sources.clone_from(&fact.sources);
            }
        }
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ShowNotes, &notes)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}

/// Chapter starts estimated from the words before each segment; the export replaces them with the master's
/// exact cue times.
pub fn estimated_chapters(script: &Script) -> Vec<ChapterMark> {
    let mut words = 0usize;
    script
        .segments
        .iter()
        .map(|segment| {
            let start_ms = (words as f64 / showrunner_domain::artifacts::WORDS_PER_MINUTE * 60_000.0) as u64;
            words += segment
                .lines
                .iter()
                .map(|l| l.text.split_whitespace().count())
                .sum::<usize>();
            ChapterMark {
                title: segment.title.clone(),
                start_ms,
            }
        })
        .collect()
}
