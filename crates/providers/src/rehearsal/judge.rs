//! `script.evaluate` and `script.brand_score`: scores computed from the script itself, so the rehearsal's
//! gates really judge. A script that uses a forbidden phrase, drops the intro or outro, cites facts that do
//! not exist, strays from the plan's length or leaves a host silent scores low on the dimension it breaks.

use std::collections::HashSet;

use showrunner_domain::artifacts::{
    DimensionScores, EpisodePlan, Evaluation, GateCheck, GateReport, ResearchPackage, Script, WORDS_PER_MINUTE,
};
use showrunner_domain::{BrandVoice, EpisodeFormat};

use super::context::Context;
use super::text::word_count;
use super::LABEL;
use crate::ProviderError;

/// The brand check's pass mark for the voice score (production's `BRAND_THRESHOLD`).
const BRAND_THRESHOLD: f64 = 0.90;
/// Longer lines are hard to read aloud in one breath and to re-record.
const MAX_LINE_WORDS: usize = 80;
/// Length within this of the plan costs nothing; beyond it the format score drops fast.
const LENGTH_FREE: f64 = 0.10;

/// What the rules found in one script.
struct Review {
    lines: usize,
    forbidden: Vec<String>,
    intro_ok: bool,
    outro_ok: bool,
    strangers: Vec<String>,
    host_words: Vec<(String, usize)>,
    balance: f64,
    /// Estimated spoken length ÷ planned length.
    length_ratio: Option<f64>,
    estimated_seconds: f64,
    planned_seconds: u32,
    invalid_refs: Vec<String>,
    planned_facts: usize,
    cited_planned_facts: usize,
    lines_with_facts: usize,
    plan_segments: usize,
    matched_segments: usize,
    in_order: bool,
    empty_segments: Vec<String>,
    pacing_deviation: f64,
    duplicate_ids: Vec<String>,
    hard_to_say: Vec<String>,
    body_segments: usize,
    body_segments_with_questions: usize,
    /// Lines spoken by a host the plan did not give their segment (a debate side in the other's case, a
    /// second voice in solo narration).
    off_plan: Vec<String>,
    /// An interview's interviewer lines in the body that ask nothing.
    unasked: Vec<String>,
}

/// Text a speech engine would read out literally or stumble on.
fn unspeakable(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http")
        || lower.contains("www.")
        || text.contains(['<', '>', '{', '}', '[', ']', '*', '#', '|', '_', '\\'])
}

fn review(
    brand: &BrandVoice,
    format: EpisodeFormat,
    plan: Option<&EpisodePlan>,
    research: Option<&ResearchPackage>,
    script: &Script,
) -> Review {
    let lines: Vec<_> = script.lines().collect();
    let forbidden = brand.forbidden_said(script);
    let intro_ok = lines.first().is_some_and(|l| l.text.trim() == brand.intro_line.trim());
    let outro_ok = lines.last().is_some_and(|l| l.text.trim() == brand.outro_line.trim());
    let host_key = |name: &str| name.trim().to_lowercase();
    let strangers: Vec<String> = lines
        .iter()
        .filter(|l| !brand.hosts.iter().any(|h| host_key(&h.name) == host_key(&l.speaker)))
        .map(|l| format!("{} ({})", l.id, l.speaker))
        .collect();
    // Only the hosts the format gives lines are expected to be heard.
    let names = brand.host_names();
    let host_words: Vec<(String, usize)> = format
        .speakers(&names)
        .iter()
        .map(|h| {
            (
                h.clone(),
                lines
                    .iter()
                    .filter(|l| host_key(&l.speaker) == host_key(h))
                    .map(|l| word_count(&l.text))
                    .sum(),
            )
        })
        .collect();
    let spoken: usize = host_words.iter().map(|(_, w)| w).sum();
    let balance = if host_words.len() <= 1 {
        1.0
    } else if spoken == 0 {
        0.0
    } else {
        let fair = 1.0 / host_words.len() as f64;
        let least = host_words
            .iter()
            .map(|(_, w)| *w as f64 / spoken as f64)
            .fold(f64::INFINITY, f64::min);
        (least / (0.5 * fair)).min(1.0)
    };

    let estimated_seconds = script.estimated_seconds();
    let planned_seconds = plan
        .map(|p| {
            if p.planned_seconds() > 0 {
                p.planned_seconds()
            } else {
                p.target_seconds
            }
        })
        .unwrap_or(0);
    let length_ratio = (planned_seconds > 0).then(|| estimated_seconds / planned_seconds as f64);

    let invalid_refs: Vec<String> = match research {
        Some(r) => lines
            .iter()
            .flat_map(|l| {
                l.facts
                    .iter()
                    .filter(|f| r.fact(f).is_none())
                    .map(move |f| format!("{} cites {f}", l.id))
            })
            .collect(),
        None => Vec::new(),
    };
    let cited: HashSet<&str> = lines.iter().flat_map(|l| l.facts.iter().map(String::as_str)).collect();
    let planned: HashSet<&str> = plan
        .map(|p| {
            p.segments
                .iter()
                .flat_map(|s| s.facts.iter().map(String::as_str))
                .collect()
        })
        .unwrap_or_default();
    let cited_planned_facts = planned.iter().filter(|f| cited.contains(*f)).count();
    let lines_with_facts = lines.iter().filter(|l| !l.facts.is_empty()).count();

    // Segments against the plan: present (by id or title), in order, and paced to their budgets.
    let mut matched_segments = 0;
    let mut in_order = true;
    let mut last_position = 0;
    let mut deviations = Vec::new();
    if let Some(plan) = plan {
        for planned in &plan.segments {
            let found = script
                .segments
                .iter()
                .position(|s| s.id == planned.id || s.title.trim().eq_ignore_ascii_case(planned.title.trim()));
            if let Some(position) = found {
                matched_segments += 1;
                in_order &= position >= last_position;
                last_position = position;
                let words: usize = script.segments[position]
                    .lines
                    .iter()
                    .map(|l| word_count(&l.text))
                    .sum();
                let budget = planned.seconds as f64 * WORDS_PER_MINUTE / 60.0;
                if budget > 0.0 {
                    deviations.push((words as f64 / budget - 1.0).abs());
                }
            }
        }
    }
    let pacing_deviation = if deviations.is_empty() {
        0.0
    } else {
        deviations.iter().sum::<f64>() / deviations.len() as f64
    };
    let empty_segments = script
        .segments
        .iter()
        .filter(|s| s.lines.is_empty())
        .map(|s| s.id.clone())
        .collect();

    let mut seen = HashSet::new();
    let duplicate_ids = lines
        .iter()
        .filter(|l| !seen.insert(l.id.as_str()))
        .map(|l| l.id.clone())
        .collect();
    let hard_to_say = lines
        .iter()
        .filter(|l| l.text.trim().is_empty() || word_count(&l.text) > MAX_LINE_WORDS || unspeakable(&l.text))
        .map(|l| l.id.clone())
        .collect();

    let n = script.segments.len();
    let body: Vec<_> = if n > 2 {
        script.segments[1..n - 1].iter().collect()
    } else {
        script.segments.iter().collect()
    };
    let body_segments_with_questions = body
        .iter()
        .filter(|s| s.lines.iter().any(|l| l.text.contains('?')))
        .count();

    let mut off_plan = Vec::new();
    let mut unasked = Vec::new();
    for (k, segment) in script.segments.iter().enumerate() {
        let planned = plan.and_then(|p| p.segments.iter().find(|s| s.id == segment.id));
        let allowed: Vec<String> = match planned {
            Some(p) if !p.speakers.is_empty() => p.speakers.iter().map(|s| host_key(s)).collect(),
            _ => format.speakers(&names).iter().map(|s| host_key(s)).collect(),
        };
        off_plan.extend(
            segment
                .lines
                .iter()
                .filter(|l| !allowed.contains(&host_key(&l.speaker)))
                .map(|l| format!("{} ({})", l.id, l.speaker)),
        );
        let is_body = k > 0 && k + 1 < n;
        if format == EpisodeFormat::Interview && is_body {
            let interviewer = names.first().map(|h| host_key(h));
            unasked.extend(
                segment
                    .lines
                    .iter()
                    .filter(|l| Some(host_key(&l.speaker)) == interviewer && !l.text.contains('?'))
                    .map(|l| l.id.clone()),
            );
        }
    }

    Review {
        lines: lines.len(),
        forbidden,
        intro_ok,
        outro_ok,
        strangers,
        host_words,
        balance,
        length_ratio,
        estimated_seconds,
        planned_seconds,
        invalid_refs,
        planned_facts: planned.len(),
        cited_planned_facts,
        lines_with_facts,
        plan_segments: plan.map(|p| p.segments.len()).unwrap_or(0),
        matched_segments,
        in_order,
        empty_segments,
        pacing_deviation,
        duplicate_ids,
        hard_to_say,
        body_segments: body.len(),
        body_segments_with_questions,
        off_plan,
        unasked,
    }
}

fn score(x: f64) -> f64 {
    (x.clamp(0.0, 10.0) * 10.0).round() / 10.0
}

fn scores(r: &Review) -> DimensionScores {
    let coverage = if r.planned_facts > 0 {
        r.cited_planned_facts as f64 / r.planned_facts as f64
    } else if r.lines_with_facts > 0 {
        1.0
    } else {
        0.5
    };
    let mut factual = 3.0 + 7.0 * coverage - 2.5 * r.invalid_refs.len() as f64;
    if r.lines_with_facts == 0 {
        factual = factual.min(4.0);
    }

    let matched = if r.plan_segments > 0 {
        r.matched_segments as f64 / r.plan_segments as f64
    } else {
        1.0
    };
    let pacing_penalty = ((r.pacing_deviation - 0.35).max(0.0) * 5.0).min(3.0);
    let narrative =
        10.0 * matched - 1.5 * r.empty_segments.len() as f64 - pacing_penalty - if r.in_order { 0.0 } else { 1.5 };

    let brand = 10.0
        - 4.0 * r.forbidden.len() as f64
        - if r.strangers.is_empty() { 0.0 } else { 3.0 }
        - if r.intro_ok { 0.0 } else { 1.5 }
        - if r.outro_ok { 0.0 } else { 1.5 };

    let questions = if r.body_segments > 0 {
        r.body_segments_with_questions as f64 / r.body_segments as f64
    } else {
        0.0
    };
    let engagement = 3.0 + 3.0 * questions + 4.0 * r.balance;

    let hard = if r.lines > 0 {
        r.hard_to_say.len() as f64 / r.lines as f64
    } else {
        1.0
    };
    let speech = 10.0 - 15.0 * hard;

    // A share of the lines that break the format, counted four times over (a quarter of them costs it all).
    let share = |count: usize| {
        if r.lines == 0 {
            0.0
        } else {
            (count as f64 * 4.0 / r.lines as f64).min(1.0)
        }
    };
    let length_penalty = match r.length_ratio {
        Some(ratio) => (((ratio - 1.0).abs() - LENGTH_FREE).max(0.0) * 30.0).min(8.0),
        None => 0.0,
    };
    let format = 10.0
        - if r.intro_ok { 0.0 } else { 4.0 }
        - if r.outro_ok { 0.0 } else { 4.0 }
        - length_penalty
        - if r.duplicate_ids.is_empty() { 0.0 } else { 2.0 }
        - share(r.off_plan.len()) * 6.0
        - share(r.unasked.len()) * 6.0
        - if r.lines == 0 { 10.0 } else { 0.0 };

    DimensionScores {
        factual_support: score(factual),
        narrative_coherence: score(narrative),
        brand_voice: score(brand),
        engagement: score(engagement),
        speech_readiness: score(speech),
        format_compliance: score(format),
    }
}

fn list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    if items.len() <= SHOWN {
        items.join("; ")
    } else {
        format!("{}; and {} more", items[..SHOWN].join("; "), items.len() - SHOWN)
    }
}

fn comments(r: &Review, brand: &BrandVoice) -> Vec<String> {
    let mut out = Vec::new();
    if !r.forbidden.is_empty() {
        out.push(format!(
            "Forbidden phrases: {}. Reword these lines.",
            list(&r.forbidden)
        ));
    }
    if !r.intro_ok {
        out.push(format!(
            "The first line must be the show's intro, word for word: \"{}\".",
            brand.intro_line.trim()
        ));
    }
    if !r.outro_ok {
        out.push(format!(
            "The last line must be the show's outro, word for word: \"{}\".",
            brand.outro_line.trim()
        ));
    }
    if !r.strangers.is_empty() {
        out.push(format!(
            "Lines spoken by someone who is not a host: {}.",
            list(&r.strangers)
        ));
    }
    if !r.invalid_refs.is_empty() {
        out.push(format!(
            "Fact references missing from the research package: {}.",
            list(&r.invalid_refs)
        ));
    }
    if r.planned_facts > 0 && r.cited_planned_facts < r.planned_facts {
        out.push(format!(
            "Only {} of the {} facts the plan assigns are cited; cite each where it is used.",
            r.cited_planned_facts, r.planned_facts
        ));
    }
    if let Some(ratio) = r.length_ratio {
        let line = format!(
            "About {:.1} min of speech for a {:.1} min plan ({:+.0} %).",
            r.estimated_seconds / 60.0,
            r.planned_seconds as f64 / 60.0,
            (ratio - 1.0) * 100.0
        );
        if (ratio - 1.0).abs() > LENGTH_FREE {
            out.push(format!(
                "{line} {}",
                if ratio > 1.0 {
                    "Cut it down to the plan."
                } else {
                    "Expand it to the plan."
                }
            ));
        } else {
            out.push(line);
        }
    }
    if r.matched_segments < r.plan_segments {
        out.push(format!(
            "{} of the plan's {} segments are in the script.",
            r.matched_segments, r.plan_segments
        ));
    }
    if !r.in_order {
        out.push("The segments are not in the plan's order.".into());
    }
    if !r.empty_segments.is_empty() {
        out.push(format!("Empty segments: {}.", list(&r.empty_segments)));
    }
    if !r.duplicate_ids.is_empty() {
        out.push(format!("Line ids used twice: {}.", list(&r.duplicate_ids)));
    }
    if !r.hard_to_say.is_empty() {
        out.push(format!(
            "Hard to read aloud (empty, over {MAX_LINE_WORDS} words, or links and markup): {}.",
            list(&r.hard_to_say)
        ));
    }
    if r.body_segments_with_questions < r.body_segments {
        out.push(format!(
            "{} of {} segments never ask the listener or a co-host a question.",
            r.body_segments - r.body_segments_with_questions,
            r.body_segments
        ));
    }
    let spoken: usize = r.host_words.iter().map(|(_, w)| w).sum();
    if spoken > 0 && r.host_words.len() > 1 {
        let shares: Vec<String> = r
            .host_words
            .iter()
            .map(|(h, w)| format!("{h} {:.0} %", *w as f64 * 100.0 / spoken as f64))
            .collect();
        let verdict = if r.balance < 1.0 {
            " Share the lines more evenly."
        } else {
            ""
        };
        out.push(format!("Speaker share: {}.{verdict}", shares.join(", ")));
    }
    if !r.off_plan.is_empty() {
        out.push(format!(
            "Lines by a host the plan did not give that segment: {}.",
            list(&r.off_plan)
        ));
    }
    if !r.unasked.is_empty() {
        out.push(format!(
            "In an interview the interviewer asks; these lines of theirs ask nothing: {}.",
            list(&r.unasked)
        ));
    }
    if r.intro_ok && r.outro_ok && r.forbidden.is_empty() {
        out.push("Opens and closes with the show's lines word for word, and uses no forbidden phrase.".into());
    }
    out.push("Rehearsal evaluation: every score is computed by rules from the script, not by a listener.".into());
    out
}

pub(crate) fn evaluate(ctx: &Context) -> Result<Evaluation, ProviderError> {
    let brand: BrandVoice = ctx.get("brand")?;
    let script: Script = ctx.get("script")?;
    let plan: Option<EpisodePlan> = ctx.optional("plan")?;
    let research: Option<ResearchPackage> = ctx.optional("research")?;
    let evaluator = ctx.optional_text("evaluator")?.unwrap_or_else(|| LABEL.to_owned());
    let r = review(&brand, ctx.format()?, plan.as_ref(), research.as_ref(), &script);
    Ok(Evaluation {
        evaluator,
        scores: scores(&r),
        comments: comments(&r, &brand),
    })
}

pub(crate) fn brand_score(ctx: &Context) -> Result<GateReport, ProviderError> {
    let brand: BrandVoice = ctx.get("brand")?;
    let script: Script = ctx.get("script")?;
    let r = review(&brand, ctx.format()?, None, None, &script);
    let silent: Vec<String> = r
        .host_words
        .iter()
        .filter(|(_, w)| *w == 0)
        .map(|(h, _)| h.clone())
        .collect();
    let checks = vec![
        GateCheck {
            name: "No forbidden phrases".into(),
            passed: r.forbidden.is_empty(),
            detail: if r.forbidden.is_empty() {
                "None used.".into()
            } else {
                list(&r.forbidden)
            },
        },
        GateCheck {
            name: "Opens with the intro line".into(),
            passed: r.intro_ok,
            detail: if r.intro_ok {
                "Word for word.".into()
            } else {
                format!("The first line must be \"{}\".", brand.intro_line.trim())
            },
        },
        GateCheck {
            name: "Closes with the outro line".into(),
            passed: r.outro_ok,
            detail: if r.outro_ok {
                "Word for word.".into()
            } else {
                format!("The last line must be \"{}\".", brand.outro_line.trim())
            },
        },
        GateCheck {
            name: "Only the show's hosts speak".into(),
            passed: r.strangers.is_empty(),
            detail: if r.strangers.is_empty() {
                "Every line has a host.".into()
            } else {
                format!("Not hosts: {}.", list(&r.strangers))
            },
        },
        GateCheck {
            name: "Every host speaks".into(),
            passed: silent.is_empty(),
            detail: if silent.is_empty() {
                format!("{} hosts heard.", r.host_words.len())
            } else {
                format!("Never heard: {}.", silent.join(", "))
            },
        },
        GateCheck {
            name: "Lines read well aloud".into(),
            passed: r.hard_to_say.is_empty() && r.lines > 0,
            detail: if r.hard_to_say.is_empty() {
                format!(
                    "{} lines, none over {MAX_LINE_WORDS} words or with links or markup.",
                    r.lines
                )
            } else {
                format!("Hard to read aloud: {}.", list(&r.hard_to_say))
            },
        },
    ];
    Ok(GateReport::from_checks(checks, BRAND_THRESHOLD))
}
