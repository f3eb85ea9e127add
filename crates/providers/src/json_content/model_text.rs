//! The model's answer text → JSON. Models wrap JSON in Markdown fences, reasoning models put `<think>…</think>`
//! before it, and some add a sentence around it; anything still not JSON is `malformed_output`, which is
//! transient because asking again usually gets well-formed JSON.

use serde_json::Value;

use crate::ProviderError;

/// The JSON value in a model's answer text. Whether it matches the task's schema is the caller's concern.
pub(crate) fn parse_model_json(provider: &str, text: &str) -> Result<Value, ProviderError> {
    let body = strip_fences(strip_thinking(text).trim());
    if let Ok(value) = serde_json::from_str(body) {
        return Ok(value);
    }
    embedded_json(body).ok_or_else(|| {
        ProviderError::transient(
            "malformed_output",
            format!("{provider} answered with text that is not JSON; asking again usually fixes this."),
        )
    })
}

/// Drops every `<think>…</think>` block; an unclosed one means the answer never came.
fn strip_thinking(text: &str) -> &str {
    let mut rest = text;
    while let Some(start) = rest.find("<think>") {
        if !rest[..start].trim().is_empty() {
            break;
        }
        rest = match rest[start..].find("</think>") {
            Some(end) => &rest[start + end + "</think>".len()..],
            None => "",
        };
    }
    rest
}

/// ```` ```json … ``` ```` → the inside.
fn strip_fences(text: &str) -> &str {
    let Some(after) = text.strip_prefix("```") else {
        return text;
    };
    let inner = after.split_once('\n').map_or("", |(_, rest)| rest);
    inner.trim_end().strip_suffix("```").unwrap_or(inner).trim()
}

/// The outermost `{…}` or `[…]` when the model put words around its JSON.
fn embedded_json(text: &str) -> Option<Value> {
    let start = text.find(['{', '['])?;
    let close = if text[start..].starts_with('{') { '}' } else { ']' };
    let end = text.rfind(close)?;
    (end > start)
        .then(|| serde_json::from_str(&text[start..=end]).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorClass;
    use serde_json::json;

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
