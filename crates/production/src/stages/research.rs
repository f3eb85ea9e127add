//! Research: break the topic into questions, dig into each (concurrently), check the evidence, and
//! synthesize the numbered research package every later stage cites.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::json;
use showrunner_domain::artifacts::{
    Finding, GateCheck, GateReport, ResearchBrief, ResearchNotes, ResearchPackage, Source,
};
use showrunner_domain::{ArtifactKind, GateVerdict, Money};
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};
use showrunner_providers::WebSource;

use super::{artifact, gate_output};
use crate::fan_out::all_or_first_error;
use crate::inputs::{episode, latest};
use crate::model_call::{ask, Question};
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
        let context = json!({
            "topic": inputs.episode.topic,
            "brand": inputs.brand,
            "target_minutes": inputs.episode.target_minutes,
        });
        let answer = ask::<ResearchBrief>(
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
        )
        .await?;
        if answer.value.questions.is_empty() {
            return Err(StageError::terminal(
                "invalid_output",
                "research found no questions to ask about the topic",
            ));
        }
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ResearchBrief, &answer.value)?],
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
        let calls = brief.questions.into_iter().map(|question| {
            let context = json!({ "topic": inputs.episode.topic, "question": question, "feedback": ctx.feedback });
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
        let notes = ResearchNotes {
            findings: answers
                .into_iter()
                .flat_map(|a| cite_web_sources(a.value.findings, &a.sources))
                .collect(),
        };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ResearchNotes, &notes)?],
            cost,
            route,
            gate: None,
        })
    }
}

/// The research gate: rules only (every question answered, every finding sourced, sources diverse).
/// A search-backed provider (Perplexity) returns the pages it read beside the answer; findings that name no
/// source of their own are credited to those pages, so every fact keeps a traceable citation.
fn cite_web_sources(mut findings: Vec<Finding>, web: &[WebSource]) -> Vec<Finding> {
    for finding in findings.iter_mut().filter(|f| f.sources.is_empty()) {
        finding.sources = web
            .iter()
            .map(|w| Source {
                title: w.title.clone().unwrap_or_else(|| w.url.clone()),
                url: w.url.clone(),
                publisher: publisher_of(&w.url),
            })
            .collect();
    }
    findings
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
        let report = judge_research(&brief, &notes);
        let verdict = report.verdict;
        let feedback = report.feedback.clone();
        Ok(gate_output(
            vec![artifact(ArtifactKind::GateReport, &report)?],
            verdict,
            feedback,
            Some("Rules".into()),
        ))
    }
}

pub fn judge_research(brief: &ResearchBrief, notes: &ResearchNotes) -> GateReport {
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
            f.sources
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
    let checks = vec![
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

pub struct Synthesize(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Synthesize {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let notes: ResearchNotes = latest(&ctx, ArtifactKind::ResearchNotes).await?;
        let context = json!({ "topic": inputs.episode.topic, "notes": [notes] });
        let answer = ask::<ResearchPackage>(
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
        )
        .await?;
        if answer.value.facts.is_empty() {
            return Err(StageError::terminal(
                "invalid_output",
                "the research package has no facts",
            ));
        }
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::ResearchPackage, &answer.value)?],
            cost: answer.cost,
            route: Some(answer.route),
            gate: None,
        })
    }
}
