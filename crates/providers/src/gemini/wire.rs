//! The `generateContent` body we send and the parts of the reply we read, all optional: Gemini adds finish
//! reasons and usage fields over time.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::json_content::parse_model_json;
use crate::{CompletionRequest, ErrorClass, ProviderError, Usage};

use super::PROVIDER;

pub(super) fn request_body(req: &CompletionRequest) -> Value {
    let mut body = json!({
        "contents": [{"role": "user", "parts": [{"text": req.prompt}]}],
        "generationConfig": {
            "responseMimeType": "application/json",
            "responseJsonSchema": req.output_schema,
            "maxOutputTokens": req.max_output_tokens.max(1),
        },
    });
    if !req.system.trim().is_empty() {
        body["systemInstruction"] = json!({"parts": [{"text": req.system}]});
    }
    body
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct GenerateContentResponse {
    candidates: Option<Vec<Candidate>>,
    prompt_feedback: Option<PromptFeedback>,
    pub usage_metadata: Option<UsageMetadata>,
    pub model_version: Option<String>,
    pub response_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Candidate {
    content: Option<Content>,
    finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Content {
    parts: Option<Vec<Part>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Part {
    text: Option<String>,
    /// Thought summaries, when asked for: not part of the answer.
    thought: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PromptFeedback {
    block_reason: Option<String>,
}

/// Finish reasons that mean Gemini withheld the answer.
const WITHHELD: [&str; 7] = [
    "SAFETY",
    "RECITATION",
    "LANGUAGE",
    "BLOCKLIST",
    "PROHIBITED_CONTENT",
    "SPII",
    "IMAGE_SAFETY",
];

pub(super) fn answer(response: &GenerateContentResponse) -> Result<Value, ProviderError> {
    let Some(candidate) = response.candidates.as_deref().and_then(<[Candidate]>::first) else {
        if let Some(reason) = response
            .prompt_feedback
            .as_ref()
            .and_then(|f| f.block_reason.as_deref())
        {
            return Err(refused(reason));
        }
        return Err(ProviderError::transient(
            "malformed_output",
            "Gemini answered without any candidate.",
        ));
    };
    match candidate.finish_reason.as_deref() {
        Some("MAX_TOKENS") => {
            return Err(ProviderError::new(
                "output_truncated",
                "Gemini reached the output token limit (thinking included) before finishing the answer; raise the \
                 limit.",
                ErrorClass::Terminal,
            ))
        }
        Some(reason) if WITHHELD.contains(&reason) => return Err(refused(reason)),
        _ => {}
    }
    let text: String = candidate
        .content
        .as_ref()
        .and_then(|c| c.parts.as_deref())
        .unwrap_or_default()
        .iter()
        .filter(|p| p.thought != Some(true))
        .filter_map(|p| p.text.as_deref())
        .collect();
    parse_model_json(PROVIDER, &text)
}

fn refused(reason: &str) -> ProviderError {
    ProviderError::new(
        "refused",
        format!("Gemini withheld the answer ({reason})."),
        ErrorClass::Terminal,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct UsageMetadata {
    prompt_token_count: Option<u64>,
    candidates_token_count: Option<u64>,
    cached_content_token_count: Option<u64>,
    thoughts_token_count: Option<u64>,
    tool_use_prompt_token_count: Option<u64>,
}

impl UsageMetadata {
    /// `promptTokenCount` includes the cached tokens; thinking bills as output.
    pub fn normalized(&self) -> Usage {
        let prompt = self.prompt_token_count.unwrap_or(0);
        let cached = self.cached_content_token_count.unwrap_or(0).min(prompt);
        let thoughts = self.thoughts_token_count.unwrap_or(0);
        Usage {
            input_tokens: prompt - cached + self.tool_use_prompt_token_count.unwrap_or(0),
            cache_read_tokens: cached,
            output_tokens: self.candidates_token_count.unwrap_or(0) + thoughts,
            reasoning_tokens: thoughts,
            ..Usage::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(v: Value) -> GenerateContentResponse {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn cached_tokens_leave_the_input_and_thoughts_join_the_output() {
        let u = response(
            json!({"usageMetadata": {"promptTokenCount": 1000, "candidatesTokenCount": 500,
            "totalTokenCount": 1700, "cachedContentTokenCount": 300, "thoughtsTokenCount": 200}}),
        )
        .usage_metadata
        .unwrap()
        .normalized();
        assert_eq!(
            (u.input_tokens, u.cache_read_tokens, u.output_tokens, u.reasoning_tokens),
            (700, 300, 700, 200)
        );
        assert_eq!(u.total_input_tokens(), 1000);
    }

    #[test]
    fn blocked_prompts_and_safety_stops_are_refusals() {
        let blocked = response(json!({"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}));
        assert_eq!(answer(&blocked).unwrap_err().code(), "refused");
        let safety = response(json!({"candidates": [{"content": {"parts": []}, "finishReason": "SAFETY"}]}));
        assert_eq!(answer(&safety).unwrap_err().class(), ErrorClass::Terminal);
    }

    #[test]
    fn thought_parts_are_not_the_answer() {
        let r = response(json!({"candidates": [{"content": {"role": "model", "parts": [
            {"text": "Planning the outline…", "thought": true}, {"text": "{\"title\": \"Tides\"}"}]},
            "finishReason": "A_REASON_FROM_THE_FUTURE"}]}));
        assert_eq!(answer(&r).unwrap(), json!({"title": "Tides"}));
    }
}
