//! A template is checked before it is saved: it must parse, and render against a sample of its stage's
//! inputs with every variable defined (strict undefined), so a typo fails here and not in a paid run.

use serde_json::{json, Value};

use super::{environment, task_context};
use crate::stage_ids::TASK_WRITE_SEGMENT;

/// Why a template cannot be saved, with the line of the template it points at (1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    pub message: String,
    pub line: Option<usize>,
}

/// Inputs shaped like the stage's real ones, for rendering a template before it is saved.
pub fn sample_inputs(template_id: &str) -> Value {
    match template_id {
        TASK_WRITE_SEGMENT => json!({
            "segment": { "id": "S1", "title": "Why tides turn", "seconds": 180 },
            "position": { "number": 1, "of": 3 },
            "turns": { "speakers": ["Alex", "Sam"] },
            "opens_with": "Welcome to the show.",
            "closes_with": "",
            "previous_lines": [],
        }),
        _ => json!({ "topic": "Why tides turn", "target_minutes": 10 }),
    }
}

/// Parses `content` and renders it against the sample inputs of `template_id`.
pub fn check_template(template_id: &str, content: &str) -> Result<String, TemplateProblem> {
    let problem = |e: minijinja::Error| TemplateProblem {
        message: match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        },
        line: e.line(),
    };
    if content.trim().is_empty() {
        return Err(TemplateProblem {
            message: "the template is empty".into(),
            line: None,
        });
    }
    let env = environment();
    let template = env.template_from_str(content).map_err(problem)?;
    template
        .render(task_context(template_id, 2, &sample_inputs(template_id)))
        .map_err(problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::{shipped, TEMPLATE_IDS};

    #[test]
    fn every_shipped_template_passes_its_own_check() {
        for id in TEMPLATE_IDS {
            assert!(check_template(id, &shipped(id)).is_ok(), "{id}");
        }
    }

    #[test]
    fn a_template_that_does_not_parse_names_its_line() {
        let problem = check_template("plan", "Stage: {{ task }}\nfine\n{% if %}\n").unwrap_err();
        assert_eq!(problem.line, Some(3), "{problem:?}");
        assert!(problem.message.contains("syntax"), "{problem:?}");
    }

    #[test]
    fn a_template_naming_an_unknown_variable_is_refused_at_its_line() {
        let problem = check_template("plan", "Stage: {{ task }}\n\n{{ topicc }}\n").unwrap_err();
        assert_eq!(problem.line, Some(3), "{problem:?}");
        assert!(problem.message.contains("undefined"), "{problem:?}");
    }
}
