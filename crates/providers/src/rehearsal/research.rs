//! `research.discover`, `research.deep_dive` and `research.synthesize`: the topic broken into a handful of
//! angles, two findings per angle backed by two placeholder sources each, merged into numbered facts.
//!
//! Every finding is a template filled with the topic; its sources are `offline:rehearsal/…` placeholders
//! from two different placeholder publishers, so the research gate's rules (answered, sourced, diverse)
//! are really exercised, while nobody could mistake them for citations.

use showrunner_domain::artifacts::{
    Fact, Finding, ResearchBrief, ResearchNotes, ResearchPackage, ResearchQuestion, Source,
};

use super::context::Context;
use super::grounded::{best_sentences, PromptChunk};
use super::phrasebook::Phrasebook;
use super::text::{fill, stable_hash, strip_end};
use crate::ProviderError;

/// How many research questions an episode of this length gets (the prompt asks for 4 to 6).
pub(crate) fn question_count(minutes: u32) -> usize {
    match minutes {
        0..=14 => 4,
        15..=39 => 5,
        _ => 6,
    }
}

/// Which angles, in order, for `count` questions.
fn angles_for(count: usize) -> &'static [usize] {
    match count {
        4 => &[0, 1, 3, 4],
        5 => &[0, 1, 2, 3, 4],
        _ => &[0, 1, 2, 3, 4, 5],
    }
}

/// The topic as it reads inside a sentence: "How lighthouses kept ships safe" → "how lighthouses kept ships safe".
pub(crate) fn topic_phrase(book: &Phrasebook, topic: &str) -> String {
    book.in_sentence(strip_end(topic))
}

fn question_text(book: &Phrasebook, angle: usize, topic: &str) -> String {
    let variant = (stable_hash(topic) >> angle) as usize & 1;
    fill(
        book.angles[angle].questions[variant],
        &[("t", &topic_phrase(book, topic))],
    )
}

fn finding_text(book: &Phrasebook, angle: usize, n: usize, topic: &str) -> String {
    fill(book.angles[angle].findings[n], &[("t", &topic_phrase(book, topic))])
}

/// The angle a finding or fact statement was written from, when it is one of ours.
pub(crate) fn angle_of_statement(book: &Phrasebook, topic: &str, statement: &str) -> Option<usize> {
    let statement = statement.trim();
    (0..book.angles.len()).find(|&a| (0..2).any(|n| finding_text(book, a, n, topic) == statement))
}

fn angle_of_question(book: &Phrasebook, topic: &str, question: &str) -> Option<usize> {
    let phrase = topic_phrase(book, topic);
    let question = question.trim();
    (0..book.angles.len()).find(|&a| {
        book.angles[a]
            .questions
            .iter()
            .any(|q| fill(q, &[("t", &phrase)]) == question)
    })
}

pub(crate) fn discover(ctx: &Context) -> Result<ResearchBrief, ProviderError> {
    let topic = ctx.text("topic")?;
    let book = ctx.phrasebook()?;
    let minutes = ctx.optional::<u32>("target_minutes")?.unwrap_or(25);
    let questions = angles_for(question_count(minutes))
        .iter()
        .enumerate()
        .map(|(i, &angle)| ResearchQuestion {
            id: format!("Q{}", i + 1),
            question: question_text(book, angle, &topic),
        })
        .collect();
    Ok(ResearchBrief { topic, questions })
}

fn placeholder_sources(book: &Phrasebook, question_id: &str, finding: usize, angle_title: &str) -> Vec<Source> {
    let slug: String = question_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let slug = if slug.is_empty() { "question".to_owned() } else { slug };
    ["a", "b"]
        .iter()
        .zip(book.placeholder_publishers)
        .map(|(letter, publisher)| Source {
            title: fill(
                book.placeholder_source,
                &[
                    ("letter", &letter.to_uppercase()),
                    ("angle", angle_title),
                    ("question", question_id),
                    ("finding", &finding.to_string()),
                ],
            ),
            url: format!("offline:rehearsal/{slug}/finding-{finding}/source-{letter}"),
            publisher: publisher.to_owned(),
            ..Source::default()
        })
        .collect()
}

pub(crate) fn deep_dive(ctx: &Context) -> Result<ResearchNotes, ProviderError> {
    let topic = ctx.text("topic")?;
    let book = ctx.phrasebook()?;
    let question: ResearchQuestion = ctx.get("question")?;
    if question.id.trim().is_empty() {
        return Err(ProviderError::invalid_request(
            "The research.deep_dive question has no id.",
        ));
    }
    // With the producer's sources, their own sentences are the findings; the stage cites each to its chunk.
    let chunks: Vec<PromptChunk> = ctx.optional("sources")?.unwrap_or_default();
    let question_no: usize = question.id.trim_start_matches('Q').parse().unwrap_or(0);
    let grounded = best_sentences(&chunks, &topic, &question.question, question_no);
    if !grounded.is_empty() {
        return Ok(ResearchNotes {
            findings: grounded
                .into_iter()
                .map(|claim| Finding {
                    question_id: question.id.clone(),
                    claim,
                    sources: Vec::new(),
                })
                .collect(),
        });
    }
    let (claims, title) = match angle_of_question(book, &topic, &question.question) {
        Some(angle) => (
            [
                finding_text(book, angle, 0, &topic),
                finding_text(book, angle, 1, &topic),
            ],
            book.angles[angle].title.to_owned(),
        ),
        None => {
            let q = strip_end(&question.question).to_owned();
            let t = topic_phrase(book, &topic);
            let said = |template: &str| fill(template, &[("t", &t), ("q", &q)]);
            ([said(book.generic_findings[0]), said(book.generic_findings[1])], q)
        }
    };
    let findings = claims
        .into_iter()
        .enumerate()
        .map(|(i, claim)| Finding {
            question_id: question.id.clone(),
            claim,
            sources: placeholder_sources(book, &question.id, i + 1, &title),
        })
        .collect();
    Ok(ResearchNotes { findings })
}

pub(crate) fn synthesize(ctx: &Context) -> Result<ResearchPackage, ProviderError> {
    let topic = ctx.text("topic")?;
    let book = ctx.phrasebook()?;
    // The stage sends a list of notes; a single notes object is accepted too.
    let notes: Vec<ResearchNotes> = match ctx.optional::<Vec<ResearchNotes>>("notes") {
        Ok(Some(list)) => list,
        _ => vec![ctx.get::<ResearchNotes>("notes")?],
    };
    let mut facts: Vec<Fact> = Vec::new();
    for finding in notes.iter().flat_map(|n| n.findings.iter()) {
        let statement = finding.claim.trim();
        if statement.is_empty() {
            continue;
        }
        match facts.iter_mut().find(|f| f.statement == statement) {
            Some(fact) => {
                for s in &finding.sources {
                    if !fact.sources.contains(s) {
                        fact.sources.push(s.clone());
                    }
                }
            }
            None => facts.push(Fact {
                id: format!("F{}", facts.len() + 1),
                statement: statement.to_owned(),
                sources: finding.sources.clone(),
            }),
        }
    }
    if facts.is_empty() {
        return Err(ProviderError::invalid_request(
            "The research notes hold no findings to synthesize.",
        ));
    }
    let t = topic_phrase(book, &topic);
    if facts.iter().any(|f| f.sources.iter().any(|s| s.source_id.is_some())) {
        return Ok(ResearchPackage {
            topic,
            facts,
            open_questions: vec![fill(book.next_question, &[("t", &t)])],
            uncertainties: vec![book.sourced_uncertainty.to_owned()],
        });
    }
    Ok(ResearchPackage {
        topic,
        facts,
        open_questions: vec![
            fill(book.hold_up_question, &[("t", &t)]),
            fill(book.next_question, &[("t", &t)]),
        ],
        uncertainties: book.placeholder_uncertainties.iter().map(|u| (*u).to_owned()).collect(),
    })
}
