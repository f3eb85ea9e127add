//! The Chat Completions body we send and the parts of the reply we read. Servers differ: `usage` details may
//! be missing, `finish_reason` may be null or unknown, `content` may be a string or a list of parts. All of
//! it is optional here.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::json_content::parse_model_json;
use crate::{CompletionRequest, ErrorClass, ProviderError, Usage};

use super::TokenLimitField;

pub(super) fn request_body(model: &str, limit: TokenLimitField, req: &CompletionRequest) -> Value {
    let mut messages = Vec::new();
    if !req.system.trim().is_empty() {
        messages.push(json!({"role": "system", "content": req.system}));
    }
    messages.push(json!({"role": "user", "content": req.prompt}));
    let limit_field = match limit {
        TokenLimitField::MaxTokens => "max_tokens",
        TokenLimitField::MaxCompletionTokens => "max_completion_tokens",
    };
    json!({
        "model": model,
        "messages": messages,
        limit_field: req.max_output_tokens.max(1),
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "answer", "strict": false, "schema": req.output_schema},
        },
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ChatCompletion {
    pub id: Option<String>,
    pub model: Option<String>,
    pub choices: Option<Vec<Choice>>,
    pub usage: Option<ChatUsage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Choice {
    message: Option<ChoiceMessage>,
    finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChoiceMessage {
    /// A string, or (some servers) a list of `{type: "text", text}` parts.
    content: Option<Value>,
    refusal: Option<String>,
}

/// The JSON answer in the first choice.
pub(crate) fn answer(provider: &str, choices: &[Choice]) -> Result<Value, ProviderError> {
    let choice = choices.first().ok_or_else(|| {
        ProviderError::transient("malformed_output", format!("{provider} answered without any choices."))
    })?;
    match choice.finish_reason.as_deref() {
        Some("length") => {
            return Err(ProviderError::new(
                "output_truncated",
                format!("{provider} reached the output token limit before finishing the answer; raise the limit."),
                ErrorClass::Terminal,
            ))
        }
        Some("content_filter") => return Err(refused(provider)),
        _ => {}
    }
    let message = choice.message.as_ref();
    if message
        .and_then(|m| m.refusal.as_deref())
        .is_some_and(|r| !r.trim().is_empty())
    {
        return Err(refused(provider));
    }
    let text = match message.and_then(|m| m.content.as_ref()) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    };
    parse_model_json(provider, &text)
}

fn refused(provider: &str) -> ProviderError {
    ProviderError::new(
        "refused",
        format!("{provider} declined to answer this request."),
        ErrorClass::Terminal,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ChatUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
    prompt_tokens_details: Option<PromptDetails>,
    completion_tokens_details: Option<CompletionDetails>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PromptDetails {
    cached_tokens: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompletionDetails {
    reasoning_tokens: Option<u64>,
}

impl ChatUsage {
    /// `prompt_tokens` already include the cached ones, and `completion_tokens` the reasoning ones.
    pub fn normalized(&self) -> Usage {
        let prompt = self.prompt_tokens.unwrap_or(0);
        let cached = self
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens)
            .unwrap_or(0)
            .min(prompt);
        Usage {
            input_tokens: prompt - cached,
            cache_read_tokens: cached,
            output_tokens: self.completion_tokens.unwrap_or(0),
            reasoning_tokens: self
                .completion_tokens_details
                .as_ref()
                .and_then(|d| d.reasoning_tokens)
                .unwrap_or(0),
            ..Usage::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(v: Value) -> Vec<Choice> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn null_finish_reasons_and_content_parts_are_tolerated() {
        let null_finish = choices(
            json!([{"index": 0, "message": {"role": "assistant", "content": "{\"a\":1}"},
            "finish_reason": null}]),
        );
        assert_eq!(answer("Ollama", &null_finish).unwrap(), json!({"a": 1}));
        let parts = choices(json!([{"message": {"content": [{"type": "text", "text": "{\"b\":"},
            {"type": "text", "text": "2}"}]}, "finish_reason": "brand_new_reason"}]));
        assert_eq!(answer("X", &parts).unwrap(), json!({"b": 2}));
    }

    #[test]
    fn refusals_and_filters_are_terminal() {
        for v in [
            json!([{"message": {"content": null, "refusal": "I can't help with that."}, "finish_reason": "stop"}]),
            json!([{"message": {"content": ""}, "finish_reason": "content_filter"}]),
        ] {
            let e = answer("OpenAI", &choices(v)).unwrap_err();
            assert_eq!((e.code(), e.class()), ("refused", ErrorClass::Terminal));
        }
        assert_eq!(answer("X", &[]).unwrap_err().code(), "malformed_output");
    }

    #[test]
    fn usage_without_details_is_all_input_and_output() {
        let u: ChatUsage = serde_json::from_value(json!({"prompt_tokens": 7, "completion_tokens": 3,
            "prompt_tokens_details": null}))
        .unwrap();
        let u = u.normalized();
        assert_eq!(
            (u.input_tokens, u.cache_read_tokens, u.output_tokens, u.reasoning_tokens),
            (7, 0, 3, 0)
        );
    }
}
