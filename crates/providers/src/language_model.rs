//! The language-model contract: one structured call per stage task, answered with JSON that must match the
//! task's output schema.

use crate::{ProviderError, Usage};
use serde::{Deserialize, Serialize};

/// One structured call: the task's stable id, the prompts, the inputs as JSON and the schema the answer must
/// match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletionRequest {
    /// The stage task, e.g. `research.discover` or `script.evaluate`.
    pub task: String,
    pub system: String,
    pub prompt: String,
    /// The task's inputs (topic, brand voice, upstream artifacts…), as the prompt shows them.
    pub context: serde_json::Value,
    /// JSON Schema of the expected answer.
    pub output_schema: serde_json::Value,
    pub max_output_tokens: u32,
}

/// A model's answer: the JSON content, the usage the provider reported, and who answered. Cost is not here:
/// it is usage × the price table's row for (`provider_id`, `model`), computed by the caller's ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub content: serde_json::Value,
    pub usage: Usage,
    /// The provider as shown to the producer, e.g. "Rehearsal (offline)".
    pub provider: String,
    /// Stable provider id, the price table's key (`anthropic`, `gemini`, `rehearsal`…).
    pub provider_id: String,
    /// The model that actually answered, as the provider named it.
    pub model: String,
    /// The provider's request id, kept for support.
    pub request_id: Option<String>,
    /// Web pages a search-backed model (Perplexity) read for this answer, in its citation order.
    #[serde(default)]
    pub sources: Vec<WebSource>,
}

/// A web page a search-backed model cited: the research stage keeps it as a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSource {
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
    /// Publication date as the provider gave it (e.g. `2025-01-01`).
    #[serde(default)]
    pub date: Option<String>,
}

#[async_trait::async_trait]
pub trait LanguageModel: Send + Sync {
    /// Shown to the producer.
    fn label(&self) -> &str;
    /// Stable identifier.
    fn id(&self) -> &str;
    /// The model requests go to, as the price table names it.
    fn model(&self) -> &str;
    /// True for the offline stand-in, so every view can say the episode is a rehearsal.
    fn is_rehearsal(&self) -> bool;
    /// How long the provider stays out of the routes after failing several calls in a row (its shared
    /// limiter's outage record); `None` when it is in service.
    fn out_for(&self) -> Option<std::time::Duration> {
        None
    }
    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError>;
}
