//! Showrunner's language-model and speech providers, including the offline rehearsal writer and system speech.

pub mod anthropic;
pub mod elevenlabs;
mod error;
pub mod gemini;
pub mod http;
mod json_content;
mod language_model;
pub mod limiter;
pub mod openai_compat;
pub mod openai_tts;
pub mod perplexity;
pub mod piper;
pub mod pricing;
pub mod redact;
mod rehearsal;
mod speech;
mod speech_chunks;
mod system_speech;
mod usage;
// The WAV reader is its own dependency-free crate (fuzzed alone); `crate::wav` keeps its old path.
use showrunner_wav as wav;

pub use error::{Billed, ErrorClass, Fallback, ProviderCode, ProviderError, SPEECH_INSTALL_HINT};
pub use language_model::WebSource;
pub use language_model::{Completion, CompletionRequest, LanguageModel};
pub use limiter::{Limited, Limiters, Permit, ProviderLimiter, ProviderLimits};
pub use piper::{PiperError, PiperSpeech};
pub use pricing::{PriceError, PriceTable, PricedCall};
pub use rehearsal::RehearsalWriter;
pub use speech::{SpeechAudio, SpeechEngine, SpeechRequest, Voice};
pub use system_speech::{SpeechProgram, SystemSpeech};
pub use usage::Usage;
