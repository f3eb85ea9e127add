//! What the model was asked: Showrunner's task prompts start with `Stage: <task>` and end with
//! `Inputs:` followed by the task's inputs as JSON, so a fake can answer each task with content that fits its
//! contract (tests plug in the offline rehearsal writer as the [`Responder`]).

use std::sync::Arc;

use serde_json::Value;

/// One language-model request as the fake understood it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeTask {
    /// The stage task (`research.discover`, `script.write`…), or empty when the prompt names none.
    pub task: String,
    /// The task's inputs, or `Value::Null` when the prompt carries none.
    pub inputs: Value,
    /// The JSON Schema the client asked the answer to match, when it sent one.
    pub schema: Option<Value>,
}

/// Produces the model's JSON answer for a task.
pub type Responder = Arc<dyn Fn(&FakeTask) -> Value + Send + Sync>;

impl FakeTask {
    /// Reads the task and inputs out of a Showrunner task prompt.
    pub fn from_prompt(prompt: &str, schema: Option<Value>) -> FakeTask {
        let task = prompt
            .lines()
            .find_map(|l| l.strip_prefix("Stage: "))
            .map(|rest| rest.split(' ').next().unwrap_or_default().to_owned())
            .unwrap_or_default();
        // The inputs are the first JSON value after the marker; a correction request adds its notes after it.
        let inputs = prompt
            .split_once("\nInputs:\n")
            .and_then(|(_, rest)| serde_json::Deserializer::from_str(rest).into_iter::<Value>().next())
            .and_then(Result::ok)
            .unwrap_or(Value::Null);
        FakeTask { task, inputs, schema }
    }
}

/// About four characters per token, rounded up: the rule of thumb providers document.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_prompt_is_read_back() {
        let t = FakeTask::from_prompt(
            "Stage: plan (prompt template v1)\nPlan it.\n\nInputs:\n{\"topic\": \"Tides\"}",
            None,
        );
        assert_eq!(t.task, "plan");
        assert_eq!(t.inputs["topic"], "Tides");
    }

    #[test]
    fn a_correction_request_is_read_as_the_same_task() {
        let t = FakeTask::from_prompt(
            "Stage: plan (prompt template v1)\nPlan it.\n\nInputs:\n{\"topic\": \"Tides\"}\n\nYour previous answer did \
             not match the required JSON Schema:\n- `/`: \"title\" is a required property",
            None,
        );
        assert_eq!(t.task, "plan");
        assert_eq!(t.inputs["topic"], "Tides");
    }

    #[test]
    fn tokens_are_about_four_characters() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
    }
}
