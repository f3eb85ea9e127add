//! Grounding research in the producer's own sources: the chunks the index ranks highest for a question go
//! into the prompt, and each finding is cited by the code to the chunk its claim was drawn from (by the
//! words they share), with the source's page or section. A model is never asked which source it used.

use std::collections::HashSet;

use serde_json::{json, Value};
use showrunner_domain::artifacts::{ResearchNotes, ResearchPackage, Source};
use showrunner_domain::{EpisodeId, SourceChunk, SourceKind};
use showrunner_engine::{StageContext, StageError};

use crate::inputs::store_error;

/// Chunks per question: about 1,000 tokens of the producer's text, beside the question itself.
pub const CHUNKS_PER_QUESTION: u32 = 4;

/// A claim is drawn from a chunk when at least this share of its words are in that chunk.
const MIN_SHARED: f64 = 0.5;

/// The episode's chunks ranked for `query` (the topic and a question), best first.
pub async fn chunks_for(ctx: &StageContext, episode: &EpisodeId, query: &str) -> Result<Vec<SourceChunk>, StageError> {
    ctx.store
        .search_sources(episode, query, CHUNKS_PER_QUESTION)
        .await
        .map_err(store_error)
}

/// The chunks as the prompt shows them: the source's name, where in it, and the text.
pub fn prompt_chunks(chunks: &[SourceChunk]) -> Value {
    Value::Array(
        chunks
            .iter()
            .map(|c| json!({ "source": c.source_name, "location": c.location, "text": c.text }))
            .collect(),
    )
}

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// The chunk `claim` was drawn from: the one holding the largest share of its words, if that share is
/// at least half (a claim from the model's own knowledge matches none).
pub fn drawn_from<'a>(claim: &str, chunks: &'a [SourceChunk]) -> Option<&'a SourceChunk> {
    let claim_words = words(claim);
    if claim_words.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &SourceChunk)> = None;
    for chunk in chunks {
        let chunk_words = words(&chunk.text);
        let shared = claim_words.intersection(&chunk_words).count() as f64 / claim_words.len() as f64;
        if shared >= MIN_SHARED && best.is_none_or(|(b, _)| shared > b) {
            best = Some((shared, chunk));
        }
    }
    best.map(|(_, c)| c)
}

/// The citation of a chunk: its source's name (also its publisher, for the diversity count), its web
/// address or file name, its id and its page or section.
pub fn citation(chunk: &SourceChunk) -> Source {
    Source {
        title: chunk.source_name.clone(),
        url: match chunk.kind {
            SourceKind::Note => String::new(),
            SourceKind::File | SourceKind::Url => chunk.origin.clone(),
        },
        publisher: chunk.source_name.clone(),
        source_id: Some(chunk.source_id.to_string()),
        location: chunk.location.clone(),
    }
}

/// The share of `a`'s words that are in `b`.
fn shared_share(a: &str, b: &str) -> f64 {
    let a = words(a);
    if a.is_empty() {
        return 0.0;
    }
    let b = words(b);
    a.intersection(&b).count() as f64 / a.len() as f64
}

/// A synthesized package cites what its findings cited: each fact gets the producer citations (source and
/// location) of the findings it restates, since a model merging findings drops or garbles those fields.
pub fn restamp_facts(mut package: ResearchPackage, notes: &ResearchNotes) -> ResearchPackage {
    for fact in &mut package.facts {
        let mut cited: Vec<Source> = Vec::new();
        for finding in &notes.findings {
            if shared_share(&fact.statement, &finding.claim) < MIN_SHARED {
                continue;
            }
            for s in finding.sources.iter().filter(|s| s.source_id.is_some()) {
                if !cited.contains(s) {
                    cited.push(s.clone());
                }
            }
        }
        fact.sources
            .retain(|s| s.source_id.is_none() && !cited.iter().any(|c| c.title == s.title && c.url == s.url));
        fact.sources.splice(0..0, cited);
    }
    package
}

#[cfg(test)]
mod tests {
    use showrunner_domain::SourceId;

    use super::*;

    fn chunk(name: &str, location: &str, text: &str) -> SourceChunk {
        SourceChunk {
            source_id: SourceId::from(name),
            source_name: name.into(),
            kind: SourceKind::File,
            origin: name.into(),
            ordinal: 0,
            location: Some(location.into()),
            text: text.into(),
        }
    }

    #[test]
    fn a_claim_is_cited_to_the_chunk_it_was_drawn_from() {
        let chunks = [
            chunk(
                "a.md",
                "§ Food",
                "The keepers grew vegetables and kept goats on the island.",
            ),
            chunk(
                "b.pdf",
                "p. 2",
                "Each night the keeper trimmed the wick and wound the clockwork.",
            ),
        ];
        let cited = drawn_from(
            "Every night, the keeper trimmed the wick and wound the clockwork.",
            &chunks,
        )
        .unwrap();
        let source = citation(cited);
        assert_eq!(
            (source.title.as_str(), source.location.as_deref()),
            ("b.pdf", Some("p. 2"))
        );
        assert!(drawn_from("Lighthouses were automated in the 1980s by the coast guard.", &chunks).is_none());
    }
}
