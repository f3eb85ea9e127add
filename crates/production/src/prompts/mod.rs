//! Prompt templates (minijinja). The system prompt carries the show bible (brand voice) and ships with the
//! code; each stage's task prompt is data: the shipped default (version 1) unless the show saved its own
//! version, the newest of which the stage renders at call time (see `Store::prompt_for_run`). Every paid
//! call records which template and version produced it and a hash of the prompt it sent.

mod check;
#[cfg(test)]
mod override_tests;
mod shipped;

use minijinja::{context, Environment};
use serde_json::Value;
use sha2::{Digest, Sha256};
use showrunner_domain::{BrandVoice, StageCode};
use showrunner_engine::{StageContext, StageError};
use showrunner_store::{PromptStamp, SHIPPED_TEMPLATE_VERSION};

pub use check::{check_template, sample_inputs, TemplateProblem};
pub use shipped::{instructions, is_known, shipped, SHIPPED_AUTHOR, TEMPLATE_IDS};

/// The shipped defaults' version (kept for the journal's older readers).
pub const TEMPLATE_VERSION: u32 = SHIPPED_TEMPLATE_VERSION;

const SYSTEM: &str = include_str!("system.j2");

/// One version of a stage's task template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskTemplate {
    pub id: String,
    pub version: u32,
    pub content: String,
}

impl TaskTemplate {
    pub fn shipped(task: &str) -> TaskTemplate {
        TaskTemplate {
            id: task.to_owned(),
            version: SHIPPED_TEMPLATE_VERSION,
            content: shipped(task),
        }
    }

    /// The template `ctx`'s show renders for `task` now: its newest saved version, else the shipped one.
    pub async fn current(ctx: &StageContext, task: &str) -> Result<TaskTemplate, StageError> {
        let saved = ctx
            .store
            .prompt_for_run(&ctx.run.id, task)
            .await
            .map_err(StageError::from_store)?;
        Ok(match saved {
            Some(v) => TaskTemplate {
                id: v.template_id,
                version: v.version,
                content: v.content,
            },
            None => TaskTemplate::shipped(task),
        })
    }

    /// What the ledger records for a call that sent `prompt` rendered from this template.
    pub fn stamp(&self, prompt: &str) -> PromptStamp {
        PromptStamp {
            template_id: self.id.clone(),
            template_version: self.version,
            prompt_sha256: hex::encode(Sha256::digest(prompt.as_bytes())),
        }
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env
}

fn render(template: &str, ctx: minijinja::Value) -> Result<String, StageError> {
    environment().render_str(template, ctx).map_err(|e| {
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

/// What a task template can use: the task, its instructions, the template's version, the inputs as JSON
/// text, and for a segment its place, length, turns and the brand lines it must say.
pub(crate) fn task_context(task: &str, version: u32, inputs: &Value) -> minijinja::Value {
    let inputs_text = serde_json::to_string_pretty(inputs).unwrap_or_default();
    let segment = &inputs["segment"];
    context! {
        task => task,
        instructions => instructions(task),
        version => version,
        number => inputs["position"]["number"].as_u64().unwrap_or(1),
        of => inputs["position"]["of"].as_u64().unwrap_or(1),
        title => segment["title"].as_str().unwrap_or_default(),
        minutes => segment["seconds"].as_u64().unwrap_or(0).div_ceil(60),
        speakers => minijinja::value::Value::from(minijinja::value::Serde(
            inputs["turns"]["speakers"].as_array().cloned().unwrap_or_default()
        )),
        opens_with => inputs["opens_with"].as_str().unwrap_or_default(),
        closes_with => inputs["closes_with"].as_str().unwrap_or_default(),
        inputs => inputs_text,
        // The episode's format, in words the model follows (empty for tasks that are not shaped by it).
        format => inputs["format"]["guidance"].as_str().unwrap_or_default(),
        // The episode's language, likewise: every writing task is told which language to write in.
        language => inputs["language"]["guidance"].as_str().unwrap_or_default(),
        // With the producer's own sources in the inputs, the template asks to ground the answer in them.
        grounded => inputs["sources"].as_array().is_some_and(|s| !s.is_empty()),
    }
}

/// Renders `template` for `inputs`.
pub fn render_task(template: &TaskTemplate, inputs: &Value) -> Result<String, StageError> {
    render(&template.content, task_context(&template.id, template.version, inputs))
}

/// The shipped template of `task`, rendered (tests and callers without a show).
pub fn task(task: &str, inputs: &Value) -> Result<String, StageError> {
    render_task(&TaskTemplate::shipped(task), inputs)
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

    #[test]
    fn the_episode_format_is_said_before_the_inputs_of_the_plan_and_each_segment() {
        let hosts = ["Alex".to_owned(), "Sam".to_owned()];
        let format = serde_json::json!({
            "id": "debate",
            "label": "Debate",
            "guidance": showrunner_domain::EpisodeFormat::Debate.guidance(&hosts),
        });
        for template in ["plan", "script.write", "script.write_segment"] {
            let text = task(template, &serde_json::json!({"topic": "Tides", "format": format})).unwrap();
            let said = text.find("Episode format — Debate: Alex argues for the motion and Sam against it.");
            let inputs = text.find("Inputs:").unwrap();
            assert!(said.is_some_and(|at| at < inputs), "{template}: {text}");
        }
        let plain = task("plan", &serde_json::json!({"topic": "Tides"})).unwrap();
        assert!(!plain.contains("Episode format"), "no format, no line: {plain}");
    }

    #[test]
    fn the_episode_language_is_said_before_the_inputs_of_every_writing_task() {
        let language = showrunner_domain::Language::Spanish;
        let inputs = serde_json::json!({
            "topic": "Mareas",
            "language": { "code": language, "name": language.name(), "guidance": language.guidance() },
        });
        for template in TEMPLATE_IDS {
            let text = task(template, &inputs).unwrap();
            let said = text.find("Language — Write every spoken line, title and summary in Spanish (Español)");
            let at_inputs = text.find("Inputs:").unwrap();
            assert!(said.is_some_and(|at| at < at_inputs), "{template}: {text}");
        }
        let plain = task("plan", &serde_json::json!({"topic": "Tides"})).unwrap();
        assert!(!plain.contains("Language —"), "no language, no line: {plain}");
    }

    #[test]
    fn a_shipped_template_carries_its_instructions_as_editable_text() {
        let content = shipped("plan");
        assert!(content.contains("Segment seconds must add up"), "{content}");
        assert!(!content.contains("{{ instructions }}"));
    }

    #[test]
    fn an_override_renders_its_own_words_and_version() {
        let template = TaskTemplate {
            id: "plan".into(),
            version: 3,
            content: "Stage: {{ task }} v{{ version }}\nKeep it short.\n\nInputs:\n{{ inputs }}".into(),
        };
        let text = render_task(&template, &serde_json::json!({"topic": "Tides"})).unwrap();
        assert!(text.starts_with("Stage: plan v3\nKeep it short."), "{text}");
        assert_ne!(template.stamp(&text), TaskTemplate::shipped("plan").stamp(&text));
    }
}
