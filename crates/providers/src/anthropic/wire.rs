//! The Messages API body we send and the parts of the reply we read. Every field of the reply is optional so
//! that new fields, new block types and missing cache counters never break a call.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::json_content::parse_model_json;
use crate::{CompletionRequest, ErrorClass, ProviderError, Usage};

use super::PROVIDER;

const TOOL_NAME: &str = "answer";

/// The one tool Claude is made to call. Tool inputs must be JSON objects, so a schema for anything else
/// (an array, a bare string) is wrapped in `{"answer": …}` and unwrapped again on the way back.
pub(super) struct AnswerTool {
    input_schema: Value,
    wrapped: bool,
}

impl AnswerTool {
    pub fn for_schema(schema: &Value) -> AnswerTool {
        if schema.get("type").and_then(Value::as_str) == Some("object") {
            return AnswerTool {
                input_schema: schema.clone(),
                wrapped: false,
            };
        }
        let mut inner = match schema {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        };
        // `$ref`s point at the root, so shared definitions move up to the wrapper.
        let mut root = Map::new();
        for key in ["$defs", "definitions"] {
            if let Some(defs) = inner.remove(key) {
                root.insert(key.to_owned(), defs);
            }
        }
        inner.remove("$schema");
        root.insert("type".into(), json!("object"));
        root.insert("properties".into(), json!({ TOOL_NAME: Value::Object(inner) }));
        root.insert("required".into(), json!([TOOL_NAME]));
        AnswerTool {
            input_schema: Value::Object(root),
            wrapped: true,
        }
    }
}

/// The request: cached system block, the task prompt, and the forced `answer` tool.
pub(super) fn request_body(model: &str, req: &CompletionRequest, tool: &AnswerTool) -> Value {
    let mut body = json!({
        "model": model,
        "max_tokens": req.max_output_tokens.max(1),
        "messages": [{"role": "user", "content": req.prompt}],
        "tools": [{
            "name": TOOL_NAME,
            "description": "Give the answer to the task. The input must match this schema exactly.",
            "input_schema": tool.input_schema,
        }],
        "tool_choice": {"type": "tool", "name": TOOL_NAME},
    });
    // Anthropic rejects empty text blocks, so an empty system prompt is left out.
    if !req.system.trim().is_empty() {
        body["system"] = json!([{
            "type": "text",
            "text": req.system,
            "cache_control": {"type": "ephemeral"},
        }]);
    }
    body
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Message {
    pub model: Option<String>,
    pub content: Option<Vec<Block>>,
    pub stop_reason: Option<String>,
    pub usage: Option<WireUsage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Block {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub input: Option<Value>,
    pub text: Option<String>,
}

/// The answer inside a reply: the `answer` tool's input, or JSON text if the model wrote text instead.
pub(super) fn answer(message: &Message, tool: &AnswerTool) -> Result<Value, ProviderError> {
    match message.stop_reason.as_deref() {
        Some("max_tokens") => {
            return Err(ProviderError::new(
                "output_truncated",
                "Claude reached the output token limit before finishing the answer; raise the limit for this step.",
                ErrorClass::Terminal,
            ))
        }
        Some("refusal") => {
            return Err(ProviderError::new(
                "refused",
                "Claude declined to answer this request.",
                ErrorClass::Terminal,
            ))
        }
        _ => {}
    }
    let blocks = message.content.as_deref().unwrap_or_default();
    let called = blocks
        .iter()
        .find(|b| b.kind.as_deref() == Some("tool_use") && b.name.as_deref() == Some(TOOL_NAME));
    if let Some(input) = called.and_then(|b| b.input.clone()) {
        return Ok(match (tool.wrapped, input) {
            (true, Value::Object(mut map)) if map.contains_key(TOOL_NAME) => map.remove(TOOL_NAME).unwrap_or_default(),
            (_, input) => input,
        });
    }
    let text: String = blocks
        .iter()
        .filter(|b| b.kind.as_deref() == Some("text"))
        .filter_map(|b| b.text.as_deref())
        .collect();
    parse_model_json(PROVIDER, &text)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct WireUsage {
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    cache_creation_input_tokens: Option<u64>,
    cache_read_input_tokens: Option<u64>,
    cache_creation: Option<CacheCreation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CacheCreation {
    ephemeral_5m_input_tokens: Option<u64>,
    ephemeral_1h_input_tokens: Option<u64>,
}

impl WireUsage {
    /// `input_tokens` is already the uncached part; cache writes split by TTL when Anthropic says how
    /// (older replies don't, and then every write was a 5-minute one, the only kind we ask for).
    pub fn normalized(&self) -> Usage {
        let written = self.cache_creation_input_tokens.unwrap_or(0);
        let split = self.cache_creation.as_ref().map(|c| {
            (
                c.ephemeral_5m_input_tokens.unwrap_or(0),
                c.ephemeral_1h_input_tokens.unwrap_or(0),
            )
        });
        let (write_5m, write_1h) = match split {
            Some((m5, h1)) if m5 + h1 > 0 => (m5, h1),
            _ => (written, 0),
        };
        Usage {
            input_tokens: self.input_tokens.unwrap_or(0),
            cache_write_5m_tokens: write_5m,
            cache_write_1h_tokens: write_1h,
            cache_read_tokens: self.cache_read_input_tokens.unwrap_or(0),
            output_tokens: self.output_tokens.unwrap_or(0),
            ..Usage::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(v: Value) -> Usage {
        serde_json::from_value::<WireUsage>(v).unwrap().normalized()
    }

    #[test]
    fn cache_writes_split_by_ttl_and_default_to_five_minutes() {
        let split = usage(
            json!({"input_tokens": 10, "output_tokens": 5, "cache_creation_input_tokens": 300,
            "cache_read_input_tokens": 40,
            "cache_creation": {"ephemeral_5m_input_tokens": 100, "ephemeral_1h_input_tokens": 200}}),
        );
        assert_eq!(
            (
                split.input_tokens,
                split.cache_write_5m_tokens,
                split.cache_write_1h_tokens,
                split.cache_read_tokens
            ),
            (10, 100, 200, 40)
        );
        assert_eq!(split.total_input_tokens(), 350);
        let old = usage(
            json!({"input_tokens": 10, "output_tokens": 5, "cache_creation_input_tokens": 300,
            "cache_read_input_tokens": null}),
        );
        assert_eq!(
            (
                old.cache_write_5m_tokens,
                old.cache_write_1h_tokens,
                old.cache_read_tokens
            ),
            (300, 0, 0)
        );
        assert_eq!(usage(json!({})), Usage::default());
    }

    #[test]
    fn a_non_object_schema_is_wrapped_and_unwrapped() {
        let schema = json!({"type": "array", "items": {"$ref": "#/$defs/Beat"}, "$defs": {"Beat": {"type": "string"}}});
        let tool = AnswerTool::for_schema(&schema);
        assert_eq!(tool.input_schema["properties"]["answer"]["type"], "array");
        assert_eq!(tool.input_schema["$defs"]["Beat"]["type"], "string");
        let message: Message = serde_json::from_value(json!({"stop_reason": "tool_use", "content": [
            {"type": "tool_use", "id": "toolu_1", "name": "answer", "input": {"answer": ["a", "b"]}}]}))
        .unwrap();
        assert_eq!(answer(&message, &tool).unwrap(), json!(["a", "b"]));
    }

    #[test]
    fn text_answers_are_read_and_refusals_are_terminal() {
        let tool = AnswerTool::for_schema(&json!({"type": "object"}));
        let text: Message = serde_json::from_value(json!({"stop_reason": "end_turn", "content": [
            {"type": "text", "text": "```json\n{\"a\": 1}\n```"}]}))
        .unwrap();
        assert_eq!(answer(&text, &tool).unwrap(), json!({"a": 1}));
        let refused: Message = serde_json::from_value(json!({"stop_reason": "refusal", "content": []})).unwrap();
        let e = answer(&refused, &tool).unwrap_err();
        assert_eq!((e.code(), e.class()), ("refused", ErrorClass::Terminal));
    }
}
