//! Every model answer is checked against the JSON Schema of the artifact type it must become, before it is
//! decoded: a schema failure names each wrong field, so the correction request can tell the model exactly
//! what to fix, and a half-right answer is never saved as good.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::Value;
use showrunner_domain::ArtifactKind;

/// At most this many problems are reported back to the model; more would drown the useful ones.
const MAX_REPORTED: usize = 8;

static VALIDATORS: LazyLock<Mutex<HashMap<ArtifactKind, Arc<jsonschema::Validator>>>> = LazyLock::new(Default::default);

fn validator(kind: ArtifactKind) -> Result<Arc<jsonschema::Validator>, String> {
    let mut cache = VALIDATORS
        .lock()
        .map_err(|_| "the schema cache is poisoned".to_owned())?;
    if let Some(v) = cache.get(&kind) {
        return Ok(v.clone());
    }
    let compiled = jsonschema::validator_for(&kind.schema())
        .map_err(|e| format!("the {} schema does not compile: {e}", kind.as_str()))?;
    let compiled = Arc::new(compiled);
    cache.insert(kind, compiled.clone());
    Ok(compiled)
}

/// The schema problems of `value` as an artifact of `kind`, each as "`/path`: what is wrong"; empty when it
/// fits.
pub fn schema_problems(kind: ArtifactKind, value: &Value) -> Vec<String> {
    let validator = match validator(kind) {
        Ok(v) => v,
        Err(e) => return vec![e],
    };
    let mut problems: Vec<String> = validator
        .iter_errors(value)
        .take(MAX_REPORTED + 1)
        .map(|e| {
            let path = e.instance_path().to_string();
            format!("`{}`: {e}", if path.is_empty() { "/" } else { &path })
        })
        .collect();
    if problems.len() > MAX_REPORTED {
        problems.truncate(MAX_REPORTED);
        problems.push("… and more".into());
    }
    problems
}

/// The follow-up prompt that asks the model to fix its answer. It says which correction this is: two rounds
/// with the same problems would otherwise be the same request, and the ledger would hand the second the first
/// one's (still wrong) answer instead of asking again.
pub fn correction_prompt(original_prompt: &str, problems: &[String], round: usize, rounds: usize) -> String {
    format!(
        "{original_prompt}\n\nCorrection {round} of {rounds}: your previous answer did not match the required JSON \
         Schema:\n- {}\nAnswer again with the complete JSON object, fixing these problems and changing nothing else.",
        problems.join("\n- ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,10}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        "[a-z_]{1,10}",
                        Just("questions".to_owned()),
                        Just("findings".to_owned())
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn kind() -> impl Strategy<Value = ArtifactKind> {
        proptest::sample::select(vec![
            ArtifactKind::ResearchBrief,
            ArtifactKind::ResearchNotes,
            ArtifactKind::ResearchPackage,
            ArtifactKind::Plan,
            ArtifactKind::Evaluation,
            ArtifactKind::Script,
        ])
    }

    proptest! {
        /// Any answer against any artifact's schema: never a panic; at most the reported number of problems
        /// (plus the "and more" marker), each naming a path; and an answer with no problems decodes.
        #[test]
        fn problems_are_bounded_and_named(kind in kind(), value in json_value()) {
            let problems = schema_problems(kind, &value);
            prop_assert!(problems.len() <= MAX_REPORTED + 1);
            for p in problems.iter().take(MAX_REPORTED) {
                prop_assert!(p.starts_with("`/"), "{p}");
            }
        }

        /// The correction keeps the original request first and names every problem, and each round differs.
        #[test]
        fn the_correction_names_every_problem(
            prompt in "\\PC{0,60}",
            problems in proptest::collection::vec("\\PC{1,30}", 1..5),
            round in 1usize..3,
        ) {
            let text = correction_prompt(&prompt, &problems, round, 2);
            prop_assert!(text.starts_with(&prompt));
            for p in &problems {
                prop_assert!(text.contains(p.as_str()));
            }
            prop_assert_ne!(text, correction_prompt(&prompt, &problems, round + 1, 2));
        }
    }

    #[test]
    fn a_valid_artifact_has_no_problems() {
        let brief = json!({ "topic": "Lighthouses", "questions": [{ "id": "Q1", "question": "Why lighthouses?" }] });
        let problems = schema_problems(ArtifactKind::ResearchBrief, &brief);
        assert!(problems.is_empty(), "{problems:?}");
        // The fixture really is the type, so the test follows the type if it changes.
        serde_json::from_value::<showrunner_domain::artifacts::ResearchBrief>(brief).unwrap();
    }

    #[test]
    fn each_wrong_field_is_named_with_its_path() {
        let problems = schema_problems(ArtifactKind::ResearchBrief, &json!({ "questions": [{ "id": 7 }] }));
        assert!(!problems.is_empty());
        assert!(problems.iter().any(|p| p.contains("/questions/0")), "{problems:?}");
        let none = schema_problems(ArtifactKind::ResearchBrief, &json!({ "unexpected": true }));
        assert!(none.iter().any(|p| p.contains("questions")), "{none:?}");
    }

    #[test]
    fn the_correction_prompt_lists_the_problems_after_the_task() {
        let text = correction_prompt("Stage: plan", &["`/a`: wrong".into(), "`/b`: missing".into()], 1, 2);
        assert!(text.starts_with("Stage: plan"));
        assert!(text.contains("- `/a`: wrong\n- `/b`: missing"));
    }

    #[test]
    fn two_corrections_with_the_same_problems_are_different_requests() {
        let problems = ["`/`: \"findings\" is a required property".to_string()];
        assert_ne!(
            correction_prompt("Stage: research.deep_dive", &problems, 1, 2),
            correction_prompt("Stage: research.deep_dive", &problems, 2, 2)
        );
    }
}
