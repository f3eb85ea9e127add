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
use super::text::{fill, lower_first, stable_hash, strip_end};
use crate::ProviderError;

/// One way into a topic: the question it asks, the findings it yields and the segment it becomes.
pub(crate) struct Angle {
    pub title: &'static str,
    questions: [&'static str; 2],
    findings: [&'static str; 2],
    /// Sentences the hosts can say in this angle's segment.
    pub talk: &'static [&'static str],
}

pub(crate) const ANGLES: [Angle; 6] = [
    Angle {
        title: "Where it began",
        questions: [
            "Where does the story of {t} begin?",
            "What set the story of {t} in motion?",
        ],
        findings: [
            "The story of {t} starts with an early, well-documented chapter that sets up everything that follows.",
            "Early accounts of {t} differ on the details but agree on the broad outline of how it started.",
        ],
        talk: &[
            "Beginnings are always messier than the tidy version suggests.",
            "It helps to picture the world before any of this existed.",
            "Nobody at the start knew how the story would turn out.",
        ],
    },
    Angle {
        title: "How it works",
        questions: [
            "What are the moving parts behind {t}?",
            "What is the mechanism at the heart of {t}?",
        ],
        findings: [
            "At its core, the story of {t} rests on a few simple mechanisms that add up over time.",
            "Most of the practical detail behind {t} comes down to trade-offs between cost, reliability and scale.",
        ],
        talk: &[
            "Once you see the mechanism, a lot of the history starts to make sense.",
            "Every part of the system is there because something once went wrong without it.",
            "The clever part is how simple the underlying idea turns out to be.",
        ],
    },
    Angle {
        title: "The people behind it",
        questions: [
            "Who are the people at the heart of {t}?",
            "Whose work made the story of {t} possible?",
        ],
        findings: [
            "A small group of practitioners shaped the story of {t} more than any single institution did.",
            "Much of the everyday work behind {t} was done by people whose names were rarely recorded.",
        ],
        talk: &[
            "Behind every one of these steps there were people making hard choices.",
            "Their routines sound dull on paper, and they were anything but.",
            "It's a reminder that expertise often lives in habits, not headlines.",
        ],
    },
    Angle {
        title: "What people get wrong",
        questions: [
            "What do people most often get wrong about {t}?",
            "Which popular stories about {t} don't hold up?",
        ],
        findings: [
            "The popular telling of {t} skips the slow, incremental steps that mattered most.",
            "Several widely repeated claims about {t} trace back to a single, thinly sourced account.",
        ],
        talk: &[
            "Myths stick around because they make a better story than the record does.",
            "The corrected version is less dramatic and far more interesting.",
            "A good rule is to ask who first told the story, and why.",
        ],
    },
    Angle {
        title: "Why it matters now",
        questions: [
            "Why does the story of {t} still matter today?",
            "What can the story of {t} teach us now?",
        ],
        findings: [
            "The lessons from {t} carry over to problems people face today.",
            "Interest in {t} has grown as new evidence and new tools have made it easier to study.",
        ],
        talk: &[
            "The same trade-offs show up in problems we're still working on.",
            "Looking back like this is really a way of looking forward.",
            "It changes how you notice the systems you rely on every day.",
        ],
    },
    Angle {
        title: "What we still don't know",
        questions: [
            "What is still uncertain about {t}?",
            "Where do the experts still disagree about {t}?",
        ],
        findings: [
            "Researchers still debate the key turning point in the story of {t}.",
            "Parts of the record on {t} are incomplete, so some of the story rests on careful estimates.",
        ],
        talk: &[
            "It's fine to say we don't fully know yet.",
            "Open questions are where the next good episode comes from.",
            "Uncertainty is part of the story, not a flaw in it.",
        ],
    },
];

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
pub(crate) fn topic_phrase(topic: &str) -> String {
    lower_first(strip_end(topic))
}

fn question_text(angle: usize, topic: &str) -> String {
    let variant = (stable_hash(topic) >> angle) as usize & 1;
    fill(ANGLES[angle].questions[variant], &[("t", &topic_phrase(topic))])
}

fn finding_text(angle: usize, n: usize, topic: &str) -> String {
    fill(ANGLES[angle].findings[n], &[("t", &topic_phrase(topic))])
}

/// The angle a finding or fact statement was written from, when it is one of ours.
pub(crate) fn angle_of_statement(topic: &str, statement: &str) -> Option<usize> {
    let statement = statement.trim();
    (0..ANGLES.len()).find(|&a| (0..2).any(|n| finding_text(a, n, topic) == statement))
}

fn angle_of_question(topic: &str, question: &str) -> Option<usize> {
    let phrase = topic_phrase(topic);
    let question = question.trim();
    (0..ANGLES.len()).find(|&a| {
        ANGLES[a]
            .questions
            .iter()
            .any(|q| fill(q, &[("t", &phrase)]) == question)
    })
}

pub(crate) fn discover(ctx: &Context) -> Result<ResearchBrief, ProviderError> {
    let topic = ctx.text("topic")?;
    let minutes = ctx.optional::<u32>("target_minutes")?.unwrap_or(25);
    let questions = angles_for(question_count(minutes))
        .iter()
        .enumerate()
        .map(|(i, &angle)| ResearchQuestion {
            id: format!("Q{}", i + 1),
            question: question_text(angle, &topic),
        })
        .collect();
    Ok(ResearchBrief { topic, questions })
}

fn placeholder_sources(question_id: &str, finding: usize, angle_title: &str) -> Vec<Source> {
    let slug: String = question_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let slug = if slug.is_empty() { "question".to_owned() } else { slug };
    [
        ("a", "Rehearsal archive (offline placeholder)"),
        ("b", "Rehearsal library (offline placeholder)"),
    ]
    .iter()
    .map(|(letter, publisher)| Source {
        title: format!(
            "Placeholder source {} for \"{angle_title}\" ({question_id}, finding {finding})",
            letter.to_uppercase()
        ),
        url: format!("offline:rehearsal/{slug}/finding-{finding}/source-{letter}"),
        publisher: (*publisher).to_owned(),
        ..Source::default()
    })
    .collect()
}

pub(crate) fn deep_dive(ctx: &Context) -> Result<ResearchNotes, ProviderError> {
    let topic = ctx.text("topic")?;
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
    let (claims, title) = match angle_of_question(&topic, &question.question) {
        Some(angle) => (
            [finding_text(angle, 0, &topic), finding_text(angle, 1, &topic)],
            ANGLES[angle].title.to_owned(),
        ),
        None => {
            let q = strip_end(&question.question).to_owned();
            let t = topic_phrase(&topic);
            (
                [
                    format!("The standard accounts of {t} give a consistent first answer to the question \"{q}\"."),
                    format!("A second, independent line of evidence on \"{q}\" broadly agrees with the first."),
                ],
                q,
            )
        }
    };
    let findings = claims
        .into_iter()
        .enumerate()
        .map(|(i, claim)| Finding {
            question_id: question.id.clone(),
            claim,
            sources: placeholder_sources(&question.id, i + 1, &title),
        })
        .collect();
    Ok(ResearchNotes { findings })
}

pub(crate) fn synthesize(ctx: &Context) -> Result<ResearchPackage, ProviderError> {
    let topic = ctx.text("topic")?;
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
    let t = topic_phrase(&topic);
    if facts.iter().any(|f| f.sources.iter().any(|s| s.source_id.is_some())) {
        return Ok(ResearchPackage {
            topic,
            facts,
            open_questions: vec![format!("What would a listener most want to ask next about {t}?")],
            uncertainties: vec![
                "The rehearsal writer chose these sentences from your sources offline, by the words they share with each question; no model read or checked them.".into(),
            ],
        });
    }
    Ok(ResearchPackage {
        topic,
        facts,
        open_questions: vec![
            format!("Which of these placeholder facts about {t} hold up against real sources?"),
            format!("What would a listener most want to ask next about {t}?"),
        ],
        uncertainties: vec![
            "Every fact here was written offline from templates by the rehearsal writer; none has been checked against a source.".into(),
            "The sources are offline placeholders (offline:rehearsal/…), standing in for real citations.".into(),
        ],
    })
}
