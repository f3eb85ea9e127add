//! Research: break the topic into questions, dig into each (concurrently), check the evidence, and
//! synthesize the numbered research package every later stage cites.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::json;
use showrunner_domain::artifacts::{
    Finding, GateCheck, GateReport, ResearchBrief, ResearchNotes, ResearchPackage, Source,
};
use showrunner_domain::{ArtifactKind, GateVerdict, Money, ProducerSource, Route, SourceChunk, SourceOwner};
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};
use showrunner_providers::WebSource;

use super::grounding::{chunks_for, citation, drawn_from, prompt_chunks, restamp_facts};
use super::{artifact, gate_output};
use crate::fan_out::all_or_first_error;
use crate::inputs::{episode, latest, store_error};
use crate::model_call::{ask, ask_checked, Question};
use crate::stage_ids::*;
use crate::Crew;
use crate::Job;

/// Evidence the research gate requires (architecture.md: source diversity ≥ 0.85).
pub const RESEARCH_THRESHOLD: f64 = 0.85;

pub struct Discover(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Discover {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let mut context = json!({
            "topic": inputs.episode.topic,
            "language": inputs.language(),
            "brand": inputs.brand,
            "target_minutes": inputs.episode.target_minutes,
        });
        // The producer's sources shape the questions too; without any, the request is what it always was.
        let chunks = chunks_for(&ctx, &inputs.episode.id, &inputs.episode.topic).await?;
        if !chunks.is_empty() {
            context["sources"] = prompt_chunks(&chunks);
        }
        let answer = ask_checked::<ResearchBrief>(
            &self.0,
            &ctx,
            Question {
                job: Job::Research,
                task: RESEARCH_DISCOVER,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::ResearchBrief,
                max_output_tokens: 2_000,
            },
            &|brief: &ResearchBrief| {
                if brief.questions.is_empty() {
                    vec!["research found no questions to ask about the topic".to_owned()]
                } else {
                    Vec::new()
                }
            },
        )
        .await?;
        let brief = stamp_brief(answer.value, &inputs.episode.topic);
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ResearchBrief, &brief)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}

pub struct DeepDive(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for DeepDive {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let brief: ResearchBrief = latest(&ctx, ArtifactKind::ResearchBrief).await?;
        let crew = &self.0;
        // One call per question, a few at a time; findings keep the brief's question order.
        let ctx = &ctx;
        let asked: Vec<String> = brief.questions.iter().map(|q| q.id.clone()).collect();
        // Each question's own ranking of the producer's chunks: what its prompt shows and its findings cite.
        let mut grounding: Vec<Vec<SourceChunk>> = Vec::with_capacity(brief.questions.len());
        for question in &brief.questions {
            let query = format!("{} {}", inputs.episode.topic, question.question);
            grounding.push(chunks_for(ctx, &inputs.episode.id, &query).await?);
        }
        let mut prompts: Vec<serde_json::Value> = Vec::with_capacity(grounding.len());
        for chunks in &grounding {
            prompts.push(prompt_chunks(chunks));
        }
        let calls = brief.questions.into_iter().zip(prompts).map(|(question, chunks)| {
            let mut context = json!({ "topic": inputs.episode.topic, "language": inputs.language(), "question": question, "feedback": ctx.feedback });
            if chunks.as_array().is_some_and(|c| !c.is_empty()) {
                context["sources"] = chunks;
            }
            let question = Question {
                job: Job::DeepResearch,
                task: RESEARCH_DEEP_DIVE,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::ResearchNotes,
                max_output_tokens: 4_000,
            };
            ask::<ResearchNotes>(crew, ctx, question)
        });
        let answers = all_or_first_error(calls, crew.concurrency).await?;
        let cost: Money = answers.iter().map(|a| a.cost).sum();
        let route = answers.first().map(|a| a.route.clone());
        // Each call answered one question: its findings are that question's, whatever id the model wrote.
        let mut findings = Vec::new();
        for (i, a) in answers.into_iter().enumerate() {
            findings.extend(stamp_findings(a.value.findings, &asked[i], &a.sources, &grounding[i]));
        }
        let notes = ResearchNotes { findings };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ResearchNotes, &notes)?],
            cost,
            route,
            gate: None,
        })
    }
}

/// The brief as the code knows it: the episode's topic, and questions numbered `Q1`, `Q2`, … in order, so
/// ids are unique and never a model's paraphrase.
fn stamp_brief(mut brief: ResearchBrief, topic: &str) -> ResearchBrief {
    topic.clone_into(&mut brief.topic);
    for (i, question) in brief.questions.iter_mut().enumerate() {
        question.id = format!("Q{}", i + 1);
    }
    brief
}

/// One deep-dive answer's findings, stamped with the question the call asked and cited to what the search
/// returned. A search-backed provider (Perplexity) returns the pages it read beside the answer: a finding
/// keeps the pages of its own that are among them, and one that names none of them (or names pages the search
/// never returned) is credited to all of them, so every fact keeps a citation the search really made.
/// Without search results, the model's own sources stand.
///
/// A finding drawn from one of the producer's chunks (most of its words are in it) cites that chunk first,
/// with its page or section; whatever a model wrote into those fields is dropped, never trusted.
fn stamp_findings(
    mut findings: Vec<Finding>,
    question_id: &str,
    web: &[WebSource],
    chunks: &[SourceChunk],
) -> Vec<Finding> {
    for finding in &mut findings {
        question_id.clone_into(&mut finding.question_id);
        finding.sources.retain(|s| s.source_id.is_none());
        let grounded = drawn_from(&finding.claim, chunks).map(citation);
        if !web.is_empty() {
            cite_web(finding, web);
        }
        if let Some(cited) = grounded {
            // A model echoing the producer's source by name is the same citation, now with its location.
            finding.sources.retain(|s| s.title != cited.title);
            finding.sources.insert(0, cited);
        }
    }
    findings
}

/// The web half of [`stamp_findings`]: keep the returned pages a finding names, else credit all of them.
fn cite_web(finding: &mut Finding, web: &[WebSource]) {
    finding
        .sources
        .retain(|s| web.iter().any(|w| same_page(&w.url, &s.url)));
    if finding.sources.is_empty() {
        finding.sources = web
            .iter()
            .map(|w| Source {
                title: w.title.clone().unwrap_or_else(|| w.url.clone()),
                url: w.url.clone(),
                publisher: publisher_of(&w.url),
                ..Source::default()
            })
            .collect();
    }
}

/// Two spellings of one page (a trailing slash, the scheme's case).
fn same_page(a: &str, b: &str) -> bool {
    let norm = |u: &str| u.trim().trim_end_matches('/').to_ascii_lowercase();
    norm(a) == norm(b)
}

/// The site's host without `www.`, which is what source diversity counts.
fn publisher_of(url: &str) -> String {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or_default();
    host.trim_start_matches("www.").to_owned()
}

pub struct Validate;

#[async_trait::async_trait]
impl StageRunner for Validate {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let brief: ResearchBrief = latest(&ctx, ArtifactKind::ResearchBrief).await?;
        let notes: ResearchNotes = latest(&ctx, ArtifactKind::ResearchNotes).await?;
        let producer = ctx
            .store
            .sources(&SourceOwner::Episode(crate::inputs::episode_id(&ctx)?.clone()))
            .await
            .map_err(store_error)?;
        let report = judge_research(&brief, &notes, &producer);
        let verdict = report.verdict;
        let feedback = report.feedback.clone();
        Ok(gate_output(
            vec![artifact(ArtifactKind::GateReport, &report)?],
            verdict,
            feedback,
            Some(Route::by("Rules")),
        ))
    }
}

/// The research gate: rules only (every question answered, every finding sourced, sources diverse; with
/// the producer's sources, how many of them the findings cite). A finding grounded in a producer's source
/// counts as well sourced: the producer vouches for it.
pub fn judge_research(brief: &ResearchBrief, notes: &ResearchNotes, producer: &[ProducerSource]) -> GateReport {
    let unanswered: Vec<&str> = brief
        .questions
        .iter()
        .filter(|q| !notes.findings.iter().any(|f| f.question_id == q.id))
        .map(|q| q.id.as_str())
        .collect();
    let unsourced = notes.findings.iter().filter(|f| f.sources.is_empty()).count();
    let sources: Vec<_> = notes.findings.iter().flat_map(|f| f.sources.iter()).collect();
    let publishers: HashSet<String> = sources.iter().map(|s| s.publisher.trim().to_lowercase()).collect();
    let well_sourced = notes
        .findings
        .iter()
        .filter(|f| {
            f.sources.iter().any(|s| s.source_id.is_some())
                || f.sources
                    .iter()
                    .map(|s| s.publisher.trim().to_lowercase())
                    .collect::<HashSet<_>>()
                    .len()
                    >= 2
        })
        .count();
    let diversity = if notes.findings.is_empty() {
        0.0
    } else {
        well_sourced as f64 / notes.findings.len() as f64
    };
    let mut checks = vec![
        GateCheck {
            name: "Every question answered".into(),
            passed: unanswered.is_empty(),
            detail: if unanswered.is_empty() {
                format!("{} questions, all answered.", brief.questions.len())
            } else {
                format!("No findings for {}.", unanswered.join(", "))
            },
        },
        GateCheck {
            name: "Every finding cites a source".into(),
            passed: unsourced == 0 && !notes.findings.is_empty(),
            detail: format!("{} findings, {} without a source.", notes.findings.len(), unsourced),
        },
        GateCheck {
            name: "Source diversity".into(),
            passed: diversity >= RESEARCH_THRESHOLD,
            detail: format!(
                "{:.0} % of findings are backed by two or more publishers ({} publishers in all; need {:.0} %).",
                diversity * 100.0,
                publishers.len(),
                RESEARCH_THRESHOLD * 100.0
            ),
        },
    ];
    if !producer.is_empty() {
        checks.push(coverage_check(notes, producer));
    }
    let all_passed = checks.iter().all(|c| c.passed);
    let mut report = GateReport::from_checks(checks, RESEARCH_THRESHOLD);
    // The score is the diversity measure; the verdict needs every rule, not just a high share of them.
    report.score = diversity;
    report.verdict = if all_passed {
        GateVerdict::Pass
    } else {
        GateVerdict::Remediate
    };
    report
}

/// Source coverage: how many of the producer's sources at least one finding cites. None cited fails (the
/// research ignored what the producer gave it); some uncited is reported, not failed (a source may simply
/// not bear on the questions asked).
fn coverage_check(notes: &ResearchNotes, producer: &[ProducerSource]) -> GateCheck {
    let cited: HashSet<&str> = notes
        .findings
        .iter()
        .flat_map(|f| f.sources.iter().filter_map(|s| s.source_id.as_deref()))
        .collect();
    let uncited: Vec<&str> = producer
        .iter()
        .filter(|s| !cited.contains(s.id.as_str()))
        .map(|s| s.name.as_str())
        .collect();
    let covered = producer.len() - uncited.len();
    GateCheck {
        name: "Source coverage".into(),
        passed: covered > 0,
        detail: if uncited.is_empty() {
            format!("All {} of your sources are cited.", producer.len())
        } else {
            format!(
                "{covered} of your {} sources are cited; not cited: {}.",
                producer.len(),
                uncited.join(", ")
            )
        },
    }
}

pub struct Synthesize(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Synthesize {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let notes: ResearchNotes = latest(&ctx, ArtifactKind::ResearchNotes).await?;
        let context = json!({ "topic": inputs.episode.topic, "language": inputs.language(), "notes": [notes] });
        let answer = ask_checked::<ResearchPackage>(
            &self.0,
            &ctx,
            Question {
                job: Job::Coordinate,
                task: RESEARCH_SYNTHESIZE,
                brand: &inputs.brand,
                context,
                kind: ArtifactKind::ResearchPackage,
                max_output_tokens: 6_000,
            },
            &|package: &ResearchPackage| {
                if package.facts.is_empty() {
                    vec!["the research package has no facts".to_owned()]
                } else {
                    Vec::new()
                }
            },
        )
        .await?;
        // The package cites what its findings cited, page and section included, whatever the model kept.
        let package = restamp_facts(answer.value, &notes);
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ResearchPackage, &package)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use showrunner_domain::artifacts::ResearchQuestion;

    use super::*;

    fn source(url: &str, publisher: &str) -> Source {
        Source {
            title: url.into(),
            url: url.into(),
            publisher: publisher.into(),
            ..Source::default()
        }
    }

    fn finding(question_id: &str, sources: Vec<Source>) -> Finding {
        Finding {
            question_id: question_id.into(),
            claim: "Lighthouses were kept by families.".into(),
            sources,
        }
    }

    #[test]
    fn findings_belong_to_the_question_asked_whatever_id_the_model_echoed() {
        let brief = stamp_brief(
            ResearchBrief {
                topic: "a paraphrase of the topic".into(),
                questions: vec![
                    ResearchQuestion {
                        id: "first".into(),
                        question: "Who kept them?".into(),
                    },
                    ResearchQuestion {
                        id: "first".into(),
                        question: "Why did it end?".into(),
                    },
                ],
            },
            "Lighthouse keepers",
        );
        assert_eq!(brief.topic, "Lighthouse keepers");
        let ids: Vec<&str> = brief.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            ["Q1", "Q2"],
            "unique ids in order, even when the model repeated one"
        );

        let sourced = || vec![source("https://a.example/1", "A"), source("https://b.example/2", "B")];
        let echoed = [
            vec![finding("Question 1: who kept them", sourced())],
            vec![finding("", sourced()), finding("q2", sourced())],
        ];
        let notes = ResearchNotes {
            findings: echoed
                .into_iter()
                .zip(["Q1", "Q2"])
                .flat_map(|(findings, id)| stamp_findings(findings, id, &[], &[]))
                .collect(),
        };
        let ids: Vec<&str> = notes.findings.iter().map(|f| f.question_id.as_str()).collect();
        assert_eq!(ids, ["Q1", "Q2", "Q2"]);
        let report = judge_research(&brief, &notes, &[]);
        assert_eq!(report.verdict, GateVerdict::Pass, "{report:?}");
    }

    #[test]
    fn with_search_results_a_finding_cites_only_pages_the_search_returned() {
        let web = [
            WebSource {
                url: "https://en.wikipedia.org/wiki/Tides".into(),
                title: Some("Tides - Wikipedia".into()),
                date: None,
            },
            WebSource {
                url: "https://www.britannica.com/science/tide".into(),
                title: None,
                date: None,
            },
        ];
        let findings = vec![
            finding("x", vec![source("https://made-up.example/tides", "Made Up")]),
            finding("x", vec![source("https://en.wikipedia.org/wiki/Tides/", "Wikipedia")]),
        ];
        let stamped = stamp_findings(findings, "Q3", &web, &[]);
        let publishers: Vec<Vec<&str>> = stamped
            .iter()
            .map(|f| f.sources.iter().map(|s| s.publisher.as_str()).collect())
            .collect();
        assert_eq!(
            publishers,
            [vec!["en.wikipedia.org", "britannica.com"], vec!["Wikipedia"]],
            "an invented page is replaced by the search's pages; a returned one is kept"
        );
        assert!(stamped.iter().all(|f| f.question_id == "Q3"));
    }

    fn producer(id: &str, name: &str) -> ProducerSource {
        ProducerSource {
            id: showrunner_domain::SourceId::from(id),
            kind: showrunner_domain::SourceKind::File,
            name: name.into(),
            origin: name.into(),
            format: "markdown".into(),
            fetched_at_ms: None,
            added_at_ms: 0,
            chars: 1,
            sections: 1,
            chunks: 1,
        }
    }

    fn chunk(id: &str, name: &str, location: &str, text: &str) -> SourceChunk {
        SourceChunk {
            source_id: showrunner_domain::SourceId::from(id),
            source_name: name.into(),
            kind: showrunner_domain::SourceKind::File,
            origin: name.into(),
            ordinal: 0,
            location: Some(location.into()),
            text: text.into(),
        }
    }

    #[test]
    fn a_finding_drawn_from_a_producers_chunk_cites_it_and_the_gate_counts_coverage() {
        let chunks = [chunk(
            "s1",
            "keepers.md",
            "§ The lamp",
            "Each night the keeper trimmed the wick.",
        )];
        let mut forged = source("https://made-up.example", "Made Up");
        forged.source_id = Some("s2".into());
        forged.location = Some("p. 99".into());
        let findings = vec![
            Finding {
                question_id: "x".into(),
                claim: "Each night, the keeper trimmed the wick.".into(),
                sources: vec![forged],
            },
            finding(
                "x",
                vec![source("https://a.example/1", "A"), source("https://b.example/2", "B")],
            ),
        ];
        let stamped = stamp_findings(findings, "Q1", &[], &chunks);
        let first = &stamped[0].sources;
        assert_eq!(first.len(), 1, "a model's own source id is never kept: {first:?}");
        assert_eq!(
            (
                first[0].source_id.as_deref(),
                first[0].location.as_deref(),
                first[0].title.as_str()
            ),
            (Some("s1"), Some("§ The lamp"), "keepers.md")
        );
        assert!(
            stamped[1].sources.iter().all(|s| s.source_id.is_none()),
            "an unrelated claim is not cited to it"
        );

        let brief = ResearchBrief {
            topic: "t".into(),
            questions: vec![ResearchQuestion {
                id: "Q1".into(),
                question: "q".into(),
            }],
        };
        let notes = ResearchNotes { findings: stamped };
        let report = judge_research(
            &brief,
            &notes,
            &[producer("s1", "keepers.md"), producer("s3", "ships.pdf")],
        );
        let coverage = report.checks.iter().find(|c| c.name == "Source coverage").unwrap();
        assert!(coverage.passed);
        assert_eq!(coverage.detail, "1 of your 2 sources are cited; not cited: ships.pdf.");
        assert_eq!(
            report.verdict,
            GateVerdict::Pass,
            "a producer-sourced finding counts as well sourced"
        );

        let none = ResearchNotes {
            findings: vec![finding(
                "Q1",
                vec![source("https://a.example/1", "A"), source("https://b.example/2", "B")],
            )],
        };
        let report = judge_research(&brief, &none, &[producer("s1", "keepers.md")]);
        assert_eq!(
            report.verdict,
            GateVerdict::Remediate,
            "research that ignores every source fails"
        );
    }
}
