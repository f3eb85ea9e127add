//! The shipped default of each stage's task template (version 1, author "Showrunner"): the embedded task or
//! segment template with the stage's instructions written in, so a producer overriding it edits real wording.

use crate::stage_ids::{
    PACKAGE, PLAN, RESEARCH_DEEP_DIVE, RESEARCH_DISCOVER, RESEARCH_SYNTHESIZE, SCRIPT_EVALUATE, SCRIPT_POLISH,
    SCRIPT_WRITE, TASK_BRAND_SCORE, TASK_WRITE_SEGMENT,
};

/// Every stage task with its own template, in pipeline order.
pub const TEMPLATE_IDS: [&str; 10] = [
    RESEARCH_DISCOVER,
    RESEARCH_DEEP_DIVE,
    RESEARCH_SYNTHESIZE,
    PLAN,
    SCRIPT_WRITE,
    TASK_WRITE_SEGMENT,
    TASK_BRAND_SCORE,
    SCRIPT_EVALUATE,
    SCRIPT_POLISH,
    PACKAGE,
];

/// Who wrote the shipped defaults, as the history shows it.
pub const SHIPPED_AUTHOR: &str = "Showrunner";

const TASK: &str = include_str!("task.j2");
/// One segment of a long script: the segment's place, length and turns said up front, so a model reading
/// only the header knows what this call is for.
const SEGMENT: &str = include_str!("segment.j2");

/// What each stage is asked to do.
pub fn instructions(template_id: &str) -> &'static str {
    match template_id {
        RESEARCH_DISCOVER => "Break the topic into 4 to 6 research questions a listener would ask.",
        RESEARCH_DEEP_DIVE => "Answer the research question with specific findings, each backed by at least two sources from different publishers.",
        RESEARCH_SYNTHESIZE => "Merge the findings into numbered facts F1…Fn, each with its sources; list open questions and uncertainties.",
        PLAN => "Plan the episode: an intro, body segments with goals, time budgets, speakers and the facts each uses, and an outro. Segment seconds must add up to the target length.",
        SCRIPT_WRITE => "Write the script segment by segment. Open with the intro line and close with the outro line word for word. Every factual claim cites its fact id.",
        TASK_WRITE_SEGMENT => "Write only the one segment of the script named below, as a script holding that one segment. Carry on from previous_lines when given, without greeting again; only the first segment opens the show and only the last closes it. Every factual claim cites its fact id.",
        TASK_BRAND_SCORE => "Score how well the script keeps the brand voice, 0 to 1, with a check per rule.",
        SCRIPT_EVALUATE => "Score the script 0 to 10 on factual support, narrative coherence, brand voice, engagement, speech readiness and format compliance. Comment specifically, naming line ids.",
        SCRIPT_POLISH => "Polish the script for flow and for being spoken aloud. Keep every line id, speaker and fact reference.",
        PACKAGE => "Write show notes: a summary, the chapters, citations for every fact the script uses, and three promo lines.",
        _ => "Produce the artifact described by the output schema.",
    }
}

/// The shipped template for `template_id` (any task, known or not, has one).
pub fn shipped(template_id: &str) -> String {
    let body = if template_id == TASK_WRITE_SEGMENT {
        SEGMENT
    } else {
        TASK
    };
    body.replace("{{ instructions }}", instructions(template_id))
}

pub fn is_known(template_id: &str) -> bool {
    TEMPLATE_IDS.contains(&template_id)
}
