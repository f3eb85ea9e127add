//! The shipped default of each stage's task template (version 1, author "Showrunner"): the embedded task or
//! segment template with the stage's instructions written in, so a producer overriding it edits real wording.

/// Every stage task with its own template, in pipeline order.
pub const TEMPLATE_IDS: [&str; 10] = [
    "research.discover",
    "research.deep_dive",
    "research.synthesize",
    "plan",
    "script.write",
    "script.write_segment",
    "script.brand_score",
    "script.evaluate",
    "script.polish",
    "package",
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
        "research.discover" => "Break the topic into 4 to 6 research questions a listener would ask.",
        "research.deep_dive" => "Answer the research question with specific findings, each backed by at least two sources from different publishers.",
        "research.synthesize" => "Merge the findings into numbered facts F1…Fn, each with its sources; list open questions and uncertainties.",
        "plan" => "Plan the episode: an intro, body segments with goals, time budgets, speakers and the facts each uses, and an outro. Segment seconds must add up to the target length.",
        "script.write" => "Write the script segment by segment. Open with the intro line and close with the outro line word for word. Every factual claim cites its fact id.",
        "script.write_segment" => "Write only the one segment of the script named below, as a script holding that one segment. Carry on from previous_lines when given, without greeting again; only the first segment opens the show and only the last closes it. Every factual claim cites its fact id.",
        "script.brand_score" => "Score how well the script keeps the brand voice, 0 to 1, with a check per rule.",
        "script.evaluate" => "Score the script 0 to 10 on factual support, narrative coherence, brand voice, engagement, speech readiness and format compliance. Comment specifically, naming line ids.",
        "script.polish" => "Polish the script for flow and for being spoken aloud. Keep every line id, speaker and fact reference.",
        "package" => "Write show notes: a summary, the chapters, citations for every fact the script uses, and three promo lines.",
        _ => "Produce the artifact described by the output schema.",
    }
}

/// The shipped template for `template_id` (any task, known or not, has one).
pub fn shipped(template_id: &str) -> String {
    let body = if template_id == "script.write_segment" {
        SEGMENT
    } else {
        TASK
    };
    body.replace("{{ instructions }}", instructions(template_id))
}

pub fn is_known(template_id: &str) -> bool {
    TEMPLATE_IDS.contains(&template_id)
}
