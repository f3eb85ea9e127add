//! Speech artifacts: the prepared speech text, one take per line, and the assembled master with cues.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::BlobHash;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct SpeechLine {
    pub line_id: String,
    pub speaker: String,
    /// The host's system speech voice.
    pub voice: String,
    /// The host's picked voice per other speech engine (engine id → voice id), as in [`crate::Host`].
    #[serde(default)]
    pub voices: BTreeMap<String, String>,
    /// The text as the speech engine should read it (numbers spelled, pronunciations applied).
    pub text: String,
}

impl SpeechLine {
    /// The voice picked for this line's host on `engine_id`, if any (see [`crate::Host::voice_for`]).
    pub fn voice_for(&self, engine_id: &str) -> Option<&str> {
        crate::brand_voice::voice_for(&self.voice, &self.voices, engine_id)
    }
}

/// `tts.prepare`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct SpeechScript {
    pub lines: Vec<SpeechLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct SpeechTake {
    pub line_id: String,
    pub speaker: String,
    /// The WAV file, content-addressed beside the database.
    pub audio: BlobHash,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// The engine that spoke it, as shown to the producer (e.g. "System speech (espeak-ng)").
    pub engine: String,
}

/// `audio.synthesize`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct SpeechTakes {
    pub takes: Vec<SpeechTake>,
}

/// One transcript line placed on the master's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Cue {
    pub line_id: String,
    pub speaker: String,
    pub text: String,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
}

/// `audio.master`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Master {
    pub wav: BlobHash,
    pub mp3: BlobHash,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub cues: Vec<Cue>,
}

impl Master {
    /// The cue playing at `position_ms`, for highlighting the transcript during playback.
    pub fn cue_at(&self, position_ms: u64) -> Option<&Cue> {
        self.cues
            .iter()
            .find(|c| c.start_ms <= position_ms && position_ms < c.end_ms)
    }
}
