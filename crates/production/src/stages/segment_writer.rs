//! Long scripts written one planned segment at a time. A 90-minute script in one reply is about 30,000 output
//! tokens: slow, near what the writing models can return at all, and a reply cut off at the limit is billed in
//! full and asked again in full. One call per segment keeps each reply a few thousand tokens under its own
//! limit, and a failure costs one segment.
//!
//! The calls run one after another, not at once: each is shown the closing lines of the segment before it so
//! the conversation carries on rather than restarting, and that segment exists only once its call answers.
//! Each goes through [`ask_checked`] like any other call, so the ledger, routes, corrections and call keys work as
//! they do for one call: the keys differ by segment, and a rerun after a crash asks the same questions in the
//! same order and reuses every answer that was already paid for.
//!
//! What the code knows is not asked of the model: segment ids and titles come from the plan, line ids from
//! the segment and the line's place, and speakers from the turn order the plan's speakers fix. The model's
//! echo of any of them is ignored. The show's intro and outro lines are placed word for word where the
//! model left them out.

use serde_json::{json, Value};
use showrunner_domain::artifacts::{EpisodePlan, Line, PlannedSegment, ResearchPackage, Script, ScriptSegment};
use showrunner_domain::{ArtifactKind, BrandVoice, Money, Route};
use showrunner_engine::{StageContext, StageError};

use super::output_limits::segment_tokens;
use crate::model_call::{ask_checked, Answer, Question};
use crate::script_locks;
use crate::stage_ids::TASK_WRITE_SEGMENT;
use crate::{Crew, Job};

/// Episodes longer than this are written segment by segment. A 30-minute script (about 10,000 tokens)
/// still fits comfortably in one reply under the 16,000-token floor every episode had; past it, one reply
/// grows towards what the models can return and a cut-off costs the whole script.
pub(crate) const SEGMENTED_AFTER_MINUTES: u32 = 30;

/// How many of the previous segment's last lines each call is shown: enough to pick up the thread, little
/// enough that the prompt does not grow with the episode.
const CONTINUITY_LINES: usize = 3;

/// Whether an episode of `target_minutes` is written segment by segment.
pub(crate) fn is_segmented(target_minutes: u32) -> bool {
    target_minutes > SEGMENTED_AFTER_MINUTES
}

/// What every segment's call shares.
pub(crate) struct Brief<'a> {
    pub topic: &'a str,
    pub brand: &'a BrandVoice,
    pub plan: &'a EpisodePlan,
    pub research: &'a ResearchPackage,
    /// The episode's format (`EpisodeInputs::format`).
    pub format: Value,
    /// The episode's language (`EpisodeInputs::language`).
    pub language: Value,
    pub feedback: Option<&'a str>,
    /// Which draft this is (see the `Write` stage): a redo asks anew, a rerun asks the same.
    pub draft: usize,
    /// The script a redo rewrites, with the producer's locks.
    pub current: Option<&'a Script>,
}

/// Writes the plan's segments one call each and merges them into one script.
pub(crate) async fn write_by_segment(
    crew: &Crew,
    ctx: &StageContext,
    brief: &Brief<'_>,
) -> Result<Answer<Script>, StageError> {
    let ids = segment_ids(brief.plan);
    let hosts = brief.brand.host_names();
    let mut segments: Vec<ScriptSegment> = Vec::with_capacity(ids.len());
    let mut cost = Money::ZERO;
    let mut routes: Vec<Route> = Vec::new();
    let mut title = brief.plan.title.trim().to_owned();
    for (index, planned) in brief.plan.segments.iter().enumerate() {
        let previous = segments.last();
        let order = turn_order(
            planned,
            &hosts,
            previous.and_then(|s| s.lines.last()).map(|l| l.speaker.as_str()),
        );
        let context = segment_context(brief, index, &ids[index], &order, previous);
        let contract = |answer: &Script| segment_problems(answer, brief.research);
        let answer = ask_checked::<Script>(
            crew,
            ctx,
            Question {
                job: Job::Write,
                task: TASK_WRITE_SEGMENT,
                brand: brief.brand,
                context,
                kind: ArtifactKind::Script,
                max_output_tokens: segment_tokens(planned.seconds),
            },
            &contract,
        )
        .await?;
        cost += answer.cost;
        if title.is_empty() {
            title = answer.value.title.trim().to_owned();
        }
        if !routes.contains(&answer.route) {
            routes.push(answer.route);
        }
        let first = index == 0;
        let last = index + 1 == brief.plan.segments.len();
        segments.push(stamp(
            planned,
            &ids[index],
            &order,
            answer.value,
            BrandLines {
                intro: first.then_some(brief.brand.intro_line.as_str()),
                outro: last.then_some(brief.brand.outro_line.as_str()),
            },
        ));
    }
    Ok(Answer {
        value: Script { title, segments },
        cost,
        route: merged(&routes, ids.len()),
        sources: Vec::new(),
    })
}

/// One route for the script: who wrote its segments ("…; … · written in 6 segments") and every note any
/// segment's call made, once each, so the writers stay apart from what was passed over on the way.
fn merged(routes: &[Route], segments: usize) -> Route {
    let mut by: Vec<&str> = Vec::new();
    let mut notes = Vec::new();
    for route in routes {
        if !by.contains(&route.by.as_str()) {
            by.push(&route.by);
        }
        for note in &route.notes {
            if !notes.contains(note) {
                notes.push(note.clone());
            }
        }
    }
    Route {
        by: format!("{} · written in {segments} segments", by.join("; ")),
        stand_in: routes.iter().any(|r| r.stand_in),
        notes,
    }
}

/// A segment must say something and cite only facts the research has (its ids are stamped by the code, so
/// they are not the model's to get right); each problem goes back in a correction request.
fn segment_problems(answer: &Script, research: &ResearchPackage) -> Vec<String> {
    let mut problems: Vec<String> = answer
        .lines()
        .filter_map(|line| {
            let unknown = line.facts.iter().find(|f| research.fact(f).is_none())?;
            Some(format!(
                "line {} cites {unknown}, which is not in the research package",
                line.id
            ))
        })
        .collect();
    if answer.lines().all(|line| line.text.trim().is_empty()) {
        problems.push("the segment has no lines".to_owned());
    }
    problems
}

/// The plan's segment ids, made unique: a blank or repeated one becomes `S<n>` by its place.
pub(crate) fn segment_ids(plan: &EpisodePlan) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    plan.segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = s.id.trim();
            if id.is_empty() || !seen.insert(id.to_owned()) {
                format!("S{}", i + 1)
            } else {
                id.to_owned()
            }
        })
        .collect()
}

/// Who speaks the segment's lines, in turn: the segment's planned speakers that are hosts (in the plan's
/// order, spelled as the show spells them; every host when it names none), starting after whoever spoke
/// last in the segment before.
pub(crate) fn turn_order(planned: &PlannedSegment, hosts: &[String], last_speaker: Option<&str>) -> Vec<String> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let mut order: Vec<String> = Vec::new();
    for speaker in &planned.speakers {
        if let Some(host) = hosts.iter().find(|h| same(h, speaker)) {
            if !order.contains(host) {
                order.push(host.clone());
            }
        }
    }
    if order.is_empty() {
        order = hosts.to_vec();
    }
    if let Some(at) = last_speaker.and_then(|last| order.iter().position(|h| same(h, last))) {
        let len = order.len();
        order.rotate_left((at + 1) % len);
    }
    order
}

fn segment_context(
    brief: &Brief<'_>,
    index: usize,
    id: &str,
    order: &[String],
    previous: Option<&ScriptSegment>,
) -> Value {
    let planned = &brief.plan.segments[index];
    let count = brief.plan.segments.len();
    let mut context = json!({
        "topic": brief.topic,
        "brand": brief.brand,
        "format": brief.format,
        "language": brief.language,
        "plan": brief.plan,
        "research": brief.research,
        "feedback": brief.feedback,
        "draft": brief.draft,
        "segment": planned,
        "position": { "number": index + 1, "of": count },
        "turns": {
            "rule": "Lines alternate between these speakers in this order, starting with the first; a line's \
                     speaker is set by its place, so write each line for the speaker whose turn it is.",
            "speakers": order,
        },
    });
    if index == 0 {
        context["opens_with"] = json!(brief.brand.intro_line);
    }
    if index + 1 == count {
        context["closes_with"] = json!(brief.brand.outro_line);
    }
    if let Some(previous) = previous {
        let from = previous.lines.len().saturating_sub(CONTINUITY_LINES);
        let closing: Vec<Value> = previous.lines[from..]
            .iter()
            .map(|l| json!({ "speaker": l.speaker, "text": l.text }))
            .collect();
        context["previous_lines"] = json!(closing);
    }
    if let Some(current) = brief.current.and_then(|s| s.segments.iter().find(|s| s.id == id)) {
        context["current_segment"] = json!(current);
        let own = Script {
            title: String::new(),
            segments: vec![current.clone()],
        };
        if let Some(locked) = script_locks::prompt_inputs(&own) {
            context["locked_lines"] = locked;
        }
    }
    context
}

/// The lines the show's rules put at the start and end of the script, when this segment holds them.
pub(crate) struct BrandLines<'a> {
    pub intro: Option<&'a str>,
    pub outro: Option<&'a str>,
}

/// One answer as the plan's segment: the model's words and fact citations, the code's ids, title and turns.
pub(crate) fn stamp(
    planned: &PlannedSegment,
    id: &str,
    order: &[String],
    answer: Script,
    brand_lines: BrandLines<'_>,
) -> ScriptSegment {
    let mut lines: Vec<Line> = answer
        .segments
        .into_iter()
        .flat_map(|s| s.lines)
        .filter(|l| !l.text.trim().is_empty())
        .collect();
    let said = |line: Option<&Line>, words: &str| line.is_some_and(|l| l.text.trim() == words.trim());
    if let Some(intro) = brand_lines.intro {
        if !said(lines.first(), intro) {
            lines.insert(0, brand_line(intro));
        }
    }
    if let Some(outro) = brand_lines.outro {
        if !said(lines.last(), outro) {
            lines.push(brand_line(outro));
        }
    }
    for (place, line) in lines.iter_mut().enumerate() {
        line.id = format!("{id}-L{}", place + 1);
        line.speaker = order.get(place % order.len().max(1)).cloned().unwrap_or_default();
        // Locks and comments are the producer's; the Write stage copies them from the script it was given.
        line.locked = false;
        line.comment.clear();
    }
    ScriptSegment {
        id: id.to_owned(),
        title: planned.title.trim().to_owned(),
        lines,
    }
}

fn brand_line(words: &str) -> Line {
    Line {
        text: words.trim().to_owned(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_route_names_each_writer_once_and_keeps_every_note_once() {
        use showrunner_domain::RouteNote;
        let passed = RouteNote::PassedOver(vec!["anthropic · claude: no API key".into()]);
        let a = Route::stand_in("Rehearsal (offline)").noting(passed.clone());
        let b = Route::stand_in("Rehearsal (offline)").noting(passed);
        let merged = merged(&[a.clone(), b], 6);
        assert_eq!(merged.by, "Rehearsal (offline) · written in 6 segments");
        assert_eq!(merged.notes, a.notes, "the note said by both calls is kept once");
        assert!(merged.stand_in);
        assert_eq!(
            merged.to_string(),
            "Rehearsal (offline) · written in 6 segments (passed over: anthropic · claude: no API key)"
        );
    }

    fn planned(id: &str, speakers: &[&str]) -> PlannedSegment {
        PlannedSegment {
            id: id.into(),
            title: format!("  Title of {id} "),
            goal: "g".into(),
            seconds: 600,
            speakers: speakers.iter().map(|s| (*s).to_owned()).collect(),
            facts: vec![],
        }
    }

    fn said(id: &str, speaker: &str, text: &str) -> Line {
        Line {
            id: id.into(),
            speaker: speaker.into(),
            text: text.into(),
            facts: vec!["F1".into()],
            locked: true,
            comment: "the model's own".into(),
        }
    }

    fn hosts() -> Vec<String> {
        vec!["Alex".into(), "Sam".into(), "Priya".into()]
    }

    #[test]
    fn turns_follow_the_plan_and_carry_on_from_the_last_speaker() {
        let seg = planned("S2", &["sam", "Alex", "Nobody"]);
        assert_eq!(
            turn_order(&seg, &hosts(), None),
            ["Sam", "Alex"],
            "hosts only, plan order"
        );
        assert_eq!(turn_order(&seg, &hosts(), Some("Sam")), ["Alex", "Sam"]);
        assert_eq!(
            turn_order(&seg, &hosts(), Some("Priya")),
            ["Sam", "Alex"],
            "a speaker not in this segment starts nothing"
        );
        assert_eq!(
            turn_order(&planned("S3", &[]), &hosts(), Some("Alex")),
            ["Sam", "Priya", "Alex"]
        );
    }

    #[test]
    fn ids_titles_and_speakers_are_the_codes_whatever_the_model_echoed() {
        let answer = Script {
            title: "echo".into(),
            segments: vec![
                ScriptSegment {
                    id: "S9".into(),
                    title: "Wrong".into(),
                    lines: vec![said("x", "Narrator", "One."), said("x", "Narrator", "  ")],
                },
                ScriptSegment {
                    id: "S9".into(),
                    title: "Wrong".into(),
                    lines: vec![said("S9-L1", "Alex", "Two."), said("", "Sam", "Three.")],
                },
            ],
        };
        let order = vec!["Sam".to_owned(), "Alex".to_owned()];
        let seg = stamp(
            &planned("S2", &["Sam", "Alex"]),
            "S2",
            &order,
            answer,
            BrandLines {
                intro: None,
                outro: None,
            },
        );
        assert_eq!((seg.id.as_str(), seg.title.as_str()), ("S2", "Title of S2"));
        let got: Vec<(&str, &str, &str)> = seg
            .lines
            .iter()
            .map(|l| (l.id.as_str(), l.speaker.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("S2-L1", "Sam", "One."),
                ("S2-L2", "Alex", "Two."),
                ("S2-L3", "Sam", "Three.")
            ],
            "a blank line is dropped; the rest keep their words in order"
        );
        assert!(seg
            .lines
            .iter()
            .all(|l| !l.locked && l.comment.is_empty() && l.facts == ["F1"]));
    }

    #[test]
    fn the_intro_and_outro_are_placed_word_for_word_only_where_missing() {
        let brand = BrandVoice::starter("Tides");
        let answer = |lines: Vec<Line>| Script {
            title: String::new(),
            segments: vec![ScriptSegment {
                id: String::new(),
                title: String::new(),
                lines,
            }],
        };
        let order = vec!["Alex".to_owned(), "Sam".to_owned()];
        let both = BrandLines {
            intro: Some(&brand.intro_line),
            outro: Some(&brand.outro_line),
        };
        let seg = stamp(
            &planned("S1", &[]),
            "S1",
            &order,
            answer(vec![said("", "", "Middle.")]),
            both,
        );
        let texts: Vec<&str> = seg.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, [brand.intro_line.trim(), "Middle.", brand.outro_line.trim()]);
        let kept = answer(vec![
            said("", "", &format!("  {} ", brand.intro_line)),
            said("", "", &brand.outro_line),
        ]);
        let both = BrandLines {
            intro: Some(&brand.intro_line),
            outro: Some(&brand.outro_line),
        };
        assert_eq!(
            stamp(&planned("S1", &[]), "S1", &order, kept, both).lines.len(),
            2,
            "not doubled"
        );
    }

    #[test]
    fn a_blank_or_repeated_plan_id_becomes_its_place() {
        let plan = EpisodePlan {
            title: "t".into(),
            target_seconds: 1_800,
            segments: vec![planned("S1", &[]), planned(" ", &[]), planned("S1", &[])],
        };
        assert_eq!(segment_ids(&plan), ["S1", "S2", "S3"]);
    }
}
