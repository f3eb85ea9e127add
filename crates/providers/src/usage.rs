//! Usage, normalized across providers. Every client converts its provider's own usage fields into this one
//! shape, so the price table never needs to know that OpenAI's `prompt_tokens` already include cached tokens
//! or that Gemini's thinking tokens bill as output. Each token is counted in exactly one field.

use serde::{Deserialize, Serialize};
use showrunner_domain::Money;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Input tokens billed at the base input rate: cache reads and cache writes are NOT included here.
    pub input_tokens: u64,
    /// Input tokens written to a 5-minute prompt cache (Anthropic `ephemeral_5m_input_tokens`).
    pub cache_write_5m_tokens: u64,
    /// Input tokens written to a 1-hour prompt cache (Anthropic `ephemeral_1h_input_tokens`).
    pub cache_write_1h_tokens: u64,
    /// Input tokens served from a prompt cache.
    pub cache_read_tokens: u64,
    /// Output tokens, thinking/reasoning tokens included (they bill as output).
    pub output_tokens: u64,
    /// The thinking/reasoning share of `output_tokens`, for display only.
    pub reasoning_tokens: u64,
    /// Speech: characters billed (ElevenLabs `character-cost`, or the text length).
    pub characters: u64,
    /// Search-backed calls (Perplexity): requests billed with a per-request fee.
    pub search_requests: u64,
    /// Perplexity's search context size for the request fee: "low", "medium" or "high".
    pub search_context: Option<String>,
    /// What the provider itself says the call cost, when it says so (Perplexity `usage.cost.total_cost`).
    pub reported_cost: Option<Money>,
}

impl Usage {
    /// Every input token, whichever rate it bills at.
    pub fn total_input_tokens(&self) -> u64 {
        self.input_tokens + self.cache_write_5m_tokens + self.cache_write_1h_tokens + self.cache_read_tokens
    }
}
