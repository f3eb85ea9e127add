//! Text handling shared by the providers and the production stages, kept free of I/O and async so it is
//! cheap to build, test and fuzz (`fuzz/`). Each function has one implementation, here; the crates above
//! re-export or wrap it.

pub mod model_json;
pub mod retry_after;
pub mod speech_chunks;
pub mod speech_text;

pub use model_json::model_json;
pub use retry_after::{parse_retry_after, wait_of_seconds, MAX_RETRY_AFTER};
pub use speech_text::prepare_speech_text;
