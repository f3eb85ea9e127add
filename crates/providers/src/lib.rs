//! Showrunner's language-model and speech providers, including the offline rehearsal writer and system speech.

mod error;
pub mod http;
mod language_model;
mod rehearsal;
mod speech;
mod system_speech;
mod usage;
mod wav;

pub use error::{ErrorClass, ProviderError, SPEECH_INSTALL_HINT};
pub use language_model::{Completion, CompletionRequest, LanguageModel};
pub use rehearsal::RehearsalWriter;
pub use speech::{SpeechAudio, SpeechEngine, SpeechRequest, Voice};
pub use system_speech::{SpeechProgram, SystemSpeech};
pub use usage::Usage;
