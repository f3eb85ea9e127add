//! The language-model contract: one structured call per stage task, answered with JSON that must match the
//! task's output schema.

use serde::{Deserialize, Serialize};
use showrunner_domain::Money;

use crate::ProviderError;

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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// A model's answer: the JSON content, what it used and cost, and who answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub content: serde_json::Value,
    pub usage: Usage,
    pub cost: Money,
    /// The provider as shown to the producer, e.g. "Rehearsal (offline)".
    pub provider: String,
    pub model: String,
}

#[async_trait::async_trait]
pub trait LanguageModel: Send + Sync {
    /// Shown to the producer.
    fn label(&self) -> &str;
    /// Stable identifier.
    fn id(&self) -> &str;
    /// True for the offline stand-in, so every view can say the episode is a rehearsal.
    fn is_rehearsal(&self) -> bool;
    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError>;
}
