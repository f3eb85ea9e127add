//! The pre-run estimate: what an episode of a given length should cost on the routes that would serve it
//! today, per budget phase, shown before the producer starts it. Expected usage per stage is modelled from the
//! target length (150 spoken words a minute; the script JSON carries ids, speakers and fact refs on top of the
//! words) and priced with the same price table the ledger bills with. Not a reservation: the ledger still
//! reserves the worst case call by call.
//!
//! The per-stage token figures were calibrated on measured ledgers of whole episodes against the provider
//! fakes (whose answers are rehearsal-sized); recalibrate them from real bills as they accumulate.

use std::collections::HashMap;

use showrunner_domain::{EpisodeFormat, Money, StageId};
use showrunner_engine::{estimate, PhaseEstimate, Pipeline};
use showrunner_providers::{elevenlabs, PriceError, Usage};

use crate::stage_ids::*;
use crate::stages::grounding::CHUNKS_PER_QUESTION;
use crate::stages::segment_writer;
use crate::{Crew, Job};
use showrunner_sources::CHUNK_CHARS;

/// Script tokens: a fixed intro/outro and structure, plus ~320 tokens per minute (150 words a minute at
/// ~2.1 tokens a word with the JSON's ids, speakers and fact refs). Measured: 812 tokens at 2 minutes, 8,152
/// at 25 (the crew test against the fakes; the earlier 280 a minute undercounted every stage that reads it).
fn script_tokens(minutes: u64) -> u64 {
    174 + 319 * minutes
}

/// Spoken characters: ~820 a minute (measured: 1,692 at 2 minutes, 20,478 at 25; the earlier 620 a minute
/// priced a 25-minute episode's speech 22 % short).
fn spoken_characters(minutes: u64) -> u64 {
    58 + 817 * minutes
}

/// Segments a long episode's plan typically has (a welcome, six body segments, a wrap-up): a long script is
/// written one call per segment, each carrying the whole plan and research but writing only its share.
const LONG_PLAN_SEGMENTS: u64 = 8;
/// What a segment's prompt adds to the whole script's: its place, turns and the previous segment's last lines.
const SEGMENT_PROMPT_EXTRA: u64 = 300;

/// Research questions the discover stage asks for this length (its prompt asks for 4 to 6; the offline
/// writer's rule, which the fakes answer with). A fixed 5 overpriced short episodes' research by 13 %.
fn questions(minutes: u64) -> u64 {
    match minutes {
        0..=14 => 4,
        15..=39 => 5,
        _ => 6,
    }
}

/// What shapes an episode's cost besides its routes: its length, its format (whose guidance every writing
/// prompt carries) and how much of the producer's sources research is handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeShape {
    pub target_minutes: u32,
    pub format: EpisodeFormat,
    /// Characters of text in the episode's sources (its own and its show's standing ones); 0 without.
    pub source_chars: u64,
}

impl EpisodeShape {
    /// A deep dive of `target_minutes` with no sources.
    pub fn minutes(target_minutes: u32) -> EpisodeShape {
        EpisodeShape {
            target_minutes,
            format: EpisodeFormat::DeepDive,
            source_chars: 0,
        }
    }
}

/// About four characters of prose to a token (the providers' own rule of thumb for English and its
/// neighbours); JSON adds a little per chunk.
const CHARS_PER_TOKEN: u64 = 4;
const CHUNK_OVERHEAD_TOKENS: u64 = 25;

/// The tokens a research call's grounding adds: the best chunks for its question, at most
/// [`CHUNKS_PER_QUESTION`] of [`CHUNK_CHARS`] each, however large the sources.
fn grounding_tokens(source_chars: u64) -> u64 {
    if source_chars == 0 {
        return 0;
    }
    let handed = source_chars.min(GROUNDING_CHARS_PER_CALL);
    let chunks = handed.div_ceil(CHUNK_CHARS as u64);
    handed.div_ceil(CHARS_PER_TOKEN) + chunks * CHUNK_OVERHEAD_TOKENS
}

/// The most source text one research call is handed, however large the sources: what a page not fetched
/// yet is estimated at.
pub const GROUNDING_CHARS_PER_CALL: u64 = CHUNKS_PER_QUESTION as u64 * CHUNK_CHARS as u64;

/// One stage's expected model usage: calls × (input, output) tokens.
struct TextWork {
    stage: &'static str,
    job: Job,
    calls: u64,
    input: u64,
    output: u64,
}

fn text_work(shape: &EpisodeShape) -> Vec<TextWork> {
    let minutes = u64::from(shape.target_minutes.max(1));
    let script = script_tokens(minutes);
    // The format's guidance, said before the inputs of every call shaped by it.
    let guidance = (shape.format.guidance(&["host".into(), "guest".into()]).len() as u64).div_ceil(CHARS_PER_TOKEN);
    let grounding = grounding_tokens(shape.source_chars);
    // What later prompts carry besides the script: the research package, plan and brand (grows with length).
    let research = 2_800 + 188 * minutes;
    let brand_and_plan = 650 + 153 * minutes;
    let write_input = 2_600 + 35 * minutes;
    let work = |stage, job, calls, input, output| TextWork {
        stage,
        job,
        calls,
        input,
        output,
    };
    vec![
        work(RESEARCH_DISCOVER, Job::Research, 1, 460 + grounding, 106 + minutes),
        work(
            RESEARCH_DEEP_DIVE,
            Job::DeepResearch,
            questions(minutes),
            230 + grounding,
            260,
        ),
        work(
            RESEARCH_SYNTHESIZE,
            Job::Coordinate,
            1,
            2_050 + 21 * minutes,
            1_390 + 14 * minutes,
        ),
        work(
            PLAN,
            Job::Coordinate,
            1,
            2_370 + 20 * minutes + guidance,
            142 + 9 * minutes,
        ),
        if segment_writer::is_segmented(u32::try_from(minutes).unwrap_or(u32::MAX)) {
            let per_segment = script.div_ceil(LONG_PLAN_SEGMENTS);
            let input = write_input + SEGMENT_PROMPT_EXTRA + guidance;
            work(SCRIPT_WRITE, Job::Write, LONG_PLAN_SEGMENTS, input, per_segment)
        } else {
            work(SCRIPT_WRITE, Job::Write, 1, write_input + guidance, script)
        },
        work(
            SCRIPT_BRAND_CHECK,
            Job::Coordinate,
            1,
            script + brand_and_plan + guidance,
            140,
        ),
        work(SCRIPT_EVALUATE, Job::EvaluateA, 1, script + research + guidance, 120),
        work(SCRIPT_EVALUATE, Job::EvaluateB, 1, script + research + guidance, 120),
        work(SCRIPT_POLISH, Job::Coordinate, 1, script + brand_and_plan, script),
        work(PACKAGE, Job::Coordinate, 1, script + research, 393 + 60 * minutes),
    ]
}

/// The largest context window a text job needs in an episode of `target_minutes`: its biggest prompt plus
/// the output limit the stage asks for (a server must fit both, or it cuts the answer off, billed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextNeed {
    pub job: Job,
    /// The stage that needs the most.
    pub stage: &'static str,
    pub tokens: u64,
}

/// The output limit `stage` asks for (see the stages' `max_output_tokens`).
fn output_limit(stage: &str, minutes: u32, segmented: bool) -> u64 {
    use crate::stages::output_limits::{package_tokens, script_tokens, segment_tokens};
    u64::from(match stage {
        RESEARCH_DISCOVER | SCRIPT_BRAND_CHECK => 2_000,
        RESEARCH_DEEP_DIVE => 4_000,
        RESEARCH_SYNTHESIZE => 6_000,
        PLAN | SCRIPT_EVALUATE => 3_000,
        SCRIPT_WRITE if segmented => segment_tokens(minutes.saturating_mul(60) / LONG_PLAN_SEGMENTS as u32),
        SCRIPT_WRITE | SCRIPT_POLISH => script_tokens(minutes),
        PACKAGE => package_tokens(minutes),
        _ => 4_000,
    })
}

/// Per text job, what its largest call needs; jobs no stage uses (the arbiter, when the evaluators agree)
/// get the evaluators' need, since the arbiter reads what they read and both their verdicts.
pub fn context_needs(target_minutes: u32) -> Vec<ContextNeed> {
    let segmented = segment_writer::is_segmented(target_minutes);
    let mut needs: Vec<ContextNeed> = Vec::new();
    for work in text_work(&EpisodeShape::minutes(target_minutes)) {
        let tokens = work.input + output_limit(work.stage, target_minutes, segmented);
        match needs.iter_mut().find(|n| n.job == work.job) {
            Some(need) if need.tokens >= tokens => {}
            Some(need) => {
                *need = ContextNeed {
                    job: work.job,
                    stage: work.stage,
                    tokens,
                }
            }
            None => needs.push(ContextNeed {
                job: work.job,
                stage: work.stage,
                tokens,
            }),
        }
    }
    if let Some(evaluate) = needs.iter().find(|n| n.job == Job::EvaluateA).cloned() {
        needs.push(ContextNeed {
            job: Job::Arbitrate,
            tokens: evaluate.tokens + 500,
            ..evaluate
        });
    }
    needs
}

/// The estimate, and who would do each job.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeEstimate {
    pub phases: PhaseEstimate,
    /// Stage → its expected cost.
    pub stages: HashMap<StageId, Money>,
    /// Job → the provider that would serve it now (the first one cast).
    pub providers: Vec<(Job, String)>,
}

/// Prices an episode of `shape` on the providers the crew would cast right now, each phase beside its share of
/// `cap`.
pub async fn estimate_episode(
    crew: &Crew,
    pipeline: &Pipeline,
    cap: Money,
    shape: &EpisodeShape,
) -> Result<EpisodeEstimate, PriceError> {
    let minutes = u64::from(shape.target_minutes.max(1));
    let mut stages: HashMap<StageId, Money> = HashMap::new();
    let mut providers = Vec::new();
    for work in text_work(shape) {
        let casting = crew.roster.writers(work.job).await;
        let Some(model) = casting.cast.first() else { continue };
        if !providers.iter().any(|(j, _)| *j == work.job) {
            providers.push((work.job, model.label().to_owned()));
        }
        let usage = Usage {
            input_tokens: work.input * work.calls,
            output_tokens: work.output * work.calls,
            search_requests: if model.id() == "perplexity" { work.calls } else { 0 },
            search_context: (model.id() == "perplexity").then(|| "low".to_owned()),
            ..Usage::default()
        };
        let cost = crew.prices.current().cost(model.id(), model.model(), &usage)?.cost;
        *stages.entry(StageId::new(work.stage)).or_default() += cost;
    }
    let speakers = crew.roster.speakers().await;
    if let Some(engine) = speakers.cast.first() {
        providers.push((Job::Speak, engine.label().to_owned()));
        let text = spoken_characters(minutes);
        let billed = if engine.id() == "elevenlabs" {
            elevenlabs::billed_characters(engine.model(), text)
        } else {
            text
        };
        let usage = Usage {
            characters: billed,
            ..Usage::default()
        };
        let cost = crew.prices.current().cost(engine.id(), engine.model(), &usage)?.cost;
        stages.insert(StageId::new(AUDIO_SYNTHESIZE), cost);
    }
    Ok(EpisodeEstimate {
        phases: estimate(pipeline, cap, &stages),
        stages,
        providers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_work(minutes: u64) -> Vec<TextWork> {
        super::text_work(&EpisodeShape::minutes(minutes as u32))
    }

    #[test]
    fn sources_add_their_grounding_to_each_research_call_up_to_what_one_call_is_handed() {
        let input = |source_chars: u64, stage: &str| {
            let shape = EpisodeShape {
                source_chars,
                ..EpisodeShape::minutes(25)
            };
            super::text_work(&shape)
                .into_iter()
                .find(|w| w.stage == stage)
                .map(|w| w.input)
                .unwrap()
        };
        let bare = input(0, RESEARCH_DEEP_DIVE);
        // A 1,500-character note: all of it, in two chunks.
        assert_eq!(input(1_500, RESEARCH_DEEP_DIVE), bare + 375 + 2 * CHUNK_OVERHEAD_TOKENS);
        // A 300-page book is still four chunks a call.
        let book = input(900_000, RESEARCH_DEEP_DIVE);
        assert_eq!(book, bare + 1_000 + 4 * CHUNK_OVERHEAD_TOKENS);
        assert_eq!(
            input(900_000, RESEARCH_DISCOVER) - input(0, RESEARCH_DISCOVER),
            book - bare
        );
        assert_eq!(
            input(900_000, PLAN),
            input(0, PLAN),
            "the plan reads the research, not the sources"
        );
    }

    #[test]
    fn every_writing_call_carries_the_formats_guidance() {
        let plan = |format| {
            let shape = EpisodeShape {
                format,
                ..EpisodeShape::minutes(10)
            };
            super::text_work(&shape)
                .into_iter()
                .find(|w| w.stage == PLAN)
                .map(|w| w.input)
                .unwrap()
        };
        assert!(
            plan(EpisodeFormat::Debate) > plan(EpisodeFormat::DeepDive),
            "a debate's rules are longer"
        );
    }

    #[test]
    fn longer_episodes_need_proportionally_longer_scripts() {
        let short = text_work(10);
        let long = text_work(20);
        let write = |w: &[TextWork]| w.iter().find(|t| t.stage == SCRIPT_WRITE).map(|t| t.output).unwrap();
        assert!(
            write(&long) > write(&short) * 19 / 10,
            "the script grows with the length"
        );
        // A 25-minute script: 3,750 words, about 8,150 tokens with its JSON structure.
        assert_eq!(write(&text_work(25)), 8_149);
    }

    #[test]
    fn a_long_script_is_estimated_as_one_call_per_segment_carrying_the_whole_context() {
        let write = |minutes| {
            text_work(minutes)
                .into_iter()
                .find(|t| t.stage == SCRIPT_WRITE)
                .unwrap()
        };
        let (short, long) = (write(30), write(90));
        assert_eq!(short.calls, 1);
        assert_eq!(long.calls, LONG_PLAN_SEGMENTS);
        assert!(
            long.calls * long.output >= script_tokens(90),
            "the segments add up to the script"
        );
        assert!(
            long.calls * long.input > LONG_PLAN_SEGMENTS * short.input,
            "every call reads the plan"
        );
    }
}
