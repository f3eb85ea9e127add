//! The model's answer text → JSON (the reading is `showrunner_text`'s); anything not JSON is `malformed_output`,
//! which is transient because asking again usually gets well-formed JSON.

use serde_json::Value;

use crate::ProviderError;

/// The JSON value in a model's answer text (see [`showrunner_text::model_json`]); anything still not JSON is
/// `malformed_output`.
pub(crate) fn parse_model_json(provider: &str, text: &str) -> Result<Value, ProviderError> {
    showrunner_text::model_json(text).ok_or_else(|| {
        ProviderError::transient(
            "malformed_output",
            format!("{provider} answered with text that is not JSON; asking again usually fixes this."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorClass;
    use proptest::prelude::*;
    use serde_json::json;

    /// JSON values of every kind, nested a few levels.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("\\PC{0,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// An object or array: what a model is asked for, and what the embedded-JSON rescue looks for.
    fn json_document() -> impl Strategy<Value = Value> {
        json_value().prop_map(|v| match v {
            Value::Object(_) | Value::Array(_) => v,
            other => json!({ "value": other }),
        })
    }

    proptest! {
        /// Anything a model may write: JSON or a coded `malformed_output`, never a panic.
        #[test]
        fn any_text_parses_or_is_malformed_output(text in "\\PC{0,200}") {
            if let Err(e) = parse_model_json("X", &text) {
                prop_assert_eq!(e.code(), "malformed_output");
            }
        }

        /// The same JSON comes back however the model wrapped it: bare, fenced, after a reasoning block, or
        /// between sentences that hold no brackets.
        #[test]
        fn wrapped_json_comes_back_unchanged(
            value in json_document(),
            pretty in any::<bool>(),
            lead in "[a-zA-Z ,.:!]{0,30}",
            tail in "[a-zA-Z ,.:!]{0,30}",
            thought in "[a-zA-Z {}\\[\\],.]{0,40}",
        ) {
            let body = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                value.to_string()
            };
            for text in [
                body.clone(),
                format!("```json\n{body}\n```"),
                format!("```\n{body}\n```\n"),
                format!("<think>{thought}</think>\n{body}"),
                format!("{lead}\n{body}\n{tail}"),
            ] {
                prop_assert_eq!(parse_model_json("X", &text).unwrap(), value.clone(), "{}", text);
            }
        }
    }

    #[test]
    fn plain_fenced_and_reasoned_json_all_parse() {
        assert_eq!(parse_model_json("X", r#"{"a":1}"#).unwrap(), json!({"a": 1}));
        assert_eq!(
            parse_model_json("X", "```json\n{\"a\": 1}\n```").unwrap(),
            json!({"a": 1})
        );
        assert_eq!(parse_model_json("X", "```\n[1, 2]\n```\n").unwrap(), json!([1, 2]));
        assert_eq!(
            parse_model_json("X", "<think>\nThe user wants {json}.\n</think>\n\n{\"a\": 2}").unwrap(),
            json!({"a": 2})
        );
        assert_eq!(
            parse_model_json("X", "Here is the answer:\n{\"a\": {\"b\": 3}}\nHope it helps.").unwrap(),
            json!({"a": {"b": 3}})
        );
    }

    #[test]
    fn text_that_is_not_json_is_a_retryable_malformed_output_naming_the_provider() {
        for text in [
            "Sorry, I can't help with that.",
            "{\"a\": ",
            "<think>still thinking",
            "",
        ] {
            let e = parse_model_json("Gemini", text).unwrap_err();
            assert_eq!(e.code(), "malformed_output", "{text}");
            assert_eq!(e.class(), ErrorClass::Transient);
            assert!(e.message().contains("Gemini"), "{}", e.message());
        }
    }
}
