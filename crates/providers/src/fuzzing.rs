//! Entry points for the fuzz targets (`fuzz/`, feature `fuzzing`): the crate-private parsers, unchanged.

use serde_json::Value;

use crate::ProviderError;

/// The model-answer parser: fences, reasoning blocks, embedded JSON.
pub fn model_json(text: &str) -> Result<Value, ProviderError> {
    crate::json_content::parse_model_json("Fuzz", text)
}

/// Speech chunking.
pub fn chunks(text: &str, max_chars: usize) -> Vec<String> {
    crate::speech_chunks::split(text, max_chars)
}

/// WAV measuring and canonical rewriting: the rewritten file and its (sample rate, channels, duration).
pub fn canonical_wav(bytes: Vec<u8>) -> Result<(Vec<u8>, (u32, u16, u64)), String> {
    crate::wav::canonical(bytes).map(|(file, info)| (file, (info.sample_rate, info.channels, info.duration_ms)))
}
