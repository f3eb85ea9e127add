//! The providers crate's integration tests, one binary: each real client against its fake, the limiter, prices, the
//! rehearsal writer and system speech.

mod anthropic;
mod catalog;
mod elevenlabs;
mod gemini;
mod limiter;
mod openai_compat;
mod openai_tts;
mod perplexity;
mod piper;
mod pricing;
mod rehearsal;
mod support;
mod system_speech;
mod withheld;
