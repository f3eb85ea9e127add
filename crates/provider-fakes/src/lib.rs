//! Test-only fake provider servers. Each one listens on 127.0.0.1 at a random port and speaks its provider's
//! exact wire format: paths, auth headers, status codes, response headers, error bodies and usage fields.
//! Tests script faults (429 with and without Retry-After, 529, 5xx, hangs, truncated or schema-invalid JSON,
//! refusals and safety stops) and latency, and read back every request the client sent (to count calls and to scan for leaked keys).
//!
//! Usage is counted from the actual request (about four characters per token, characters for speech), so
//! costs computed in tests follow real prompt sizes. Every 2xx reply a fake sends goes on its meter
//! ([`Script::billed`]), usable or not, which billing tests reconcile the ledger against.

pub mod anthropic;
mod billing;
mod config;
mod fault;
pub mod gemini;
pub mod openai_compat;
pub mod perplexity;
mod prompt;
pub mod redirect;
mod server;

pub use billing::Bill;
pub use config::FakeConfig;
pub use fault::{Fault, Script};
pub use prompt::{estimate_tokens, FakeTask, Responder};
pub use server::{FakeServer, RecordedRequest};

// Provider modules (one file each): each has `pub async fn start(config: FakeConfig) -> FakeServer`.
pub mod elevenlabs;
pub mod openai_tts;
pub mod voice_catalog;
