//! Prompt templates, versioned with the code (minijinja). The system prompt carries the show bible (brand
//! voice); each task's prompt names the stage's job. Changing a template's wording changes its version.

use minijinja::{context, Environment};
use serde_json::Value;
use showrunner_domain::{BrandVoice, StageCode};
use showrunner_engine::StageError;

/// Bumped whenever a template's wording changes, so a run's journal says which prompts produced it.
pub const TEMPLATE_VERSION: u32 = 1;

const SYSTEM: &str = include_str!("system.j2");
const TASK: &str = include_str!("task.j2");
/// One segment of a long script: the segment's place, length and turns said up front, so a model reading
/// only the header knows what this call is for.
const SEGMENT: &str = include_str!("segment.j2");

fn render(template: &str, ctx: minijinja::Value) -> Result<String, StageError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.render_str(template, ctx).map_err(|e| {
        StageError::terminal(
            StageCode::PromptTemplate,
            format!("a prompt template failed to render: {e}"),
        )
    })
}

pub fn system(brand: &BrandVoice) -> Result<String, StageError> {
    render(
        SYSTEM,
        context! { brand => minijinja::value::Value::from(minijinja::value::Serde(brand)) },
    )
}

pub fn task(task: &str, inputs: &Value) -> Result<String, StageError> {
    let instructions = match task {
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
    };
    let inputs_text = serde_json::to_string_pretty(inputs).unwrap_or_default();
    if task == "script.write_segment" {
        let segment = &inputs["segment"];
        return render(
            SEGMENT,
            context! {
                task => task,
                instructions => instructions,
                version => TEMPLATE_VERSION,
                number => inputs["position"]["number"].as_u64().unwrap_or(1),
                of => inputs["position"]["of"].as_u64().unwrap_or(1),
                title => segment["title"].as_str().unwrap_or_default(),
                minutes => segment["seconds"].as_u64().unwrap_or(0).div_ceil(60),
                speakers => minijinja::value::Value::from(minijinja::value::Serde(&inputs["turns"]["speakers"])),
                opens_with => inputs["opens_with"].as_str().unwrap_or_default(),
                closes_with => inputs["closes_with"].as_str().unwrap_or_default(),
                inputs => inputs_text,
            },
        );
    }
    let grounded = inputs["sources"].as_array().is_some_and(|s| !s.is_empty());
    let instructions = if grounded {
        format!(
            "{instructions} Ground it in the producer's own sources under `sources`: state what they say in \
             their words where you can. The citations to them (source, page or section) are added for you."
        )
    } else {
        instructions.to_owned()
    };
    render(
        TASK,
        context! { task => task, instructions => instructions, version => TEMPLATE_VERSION, inputs => inputs_text },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_prompt_carries_the_brand_rules() {
        let brand = BrandVoice::starter("Deep Dive");
        let text = system(&brand).unwrap();
        assert!(text.contains("Deep Dive"));
        assert!(text.contains("game changer"), "forbidden phrases must reach the model");
        assert!(text.contains(&brand.intro_line));
    }

    #[test]
    fn a_segment_prompt_says_its_place_turns_and_brand_line_and_still_carries_its_inputs() {
        let inputs = serde_json::json!({
            "segment": { "id": "S1", "title": "Welcome", "seconds": 150 },
            "position": { "number": 1, "of": 8 },
            "turns": { "speakers": ["Alex", "Sam"] },
            "opens_with": "Welcome to Tides.",
        });
        let text = task("script.write_segment", &inputs).unwrap();
        assert!(text.starts_with("Stage: script.write_segment "), "{text}");
        assert!(
            text.contains("segment 1 of 8: \"Welcome\"") && text.contains("about 3 minutes"),
            "{text}"
        );
        assert!(text.contains("Alex, Sam") && text.contains("Open with exactly: \"Welcome to Tides.\""));
        assert!(!text.contains("Close with"), "only the last segment closes the show");
        let (_, after) = text.split_once("\nInputs:\n").unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(after).unwrap(),
            inputs,
            "the fakes read the inputs back"
        );
    }

    #[test]
    fn a_task_prompt_names_the_stage_and_its_inputs() {
        let text = task("plan", &serde_json::json!({"topic": "Tides"})).unwrap();
        assert!(text.contains("plan") && text.contains("Tides"));
    }
}
