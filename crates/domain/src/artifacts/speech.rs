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
    /// The episode's language: each engine speaks it with a voice that does (speech scripts made before
    /// languages were English).
    #[serde(default)]
    pub language: crate::Language,
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
    /// Which take of the line this is: 1 is the stage's own, each regenerate at the release gate adds one.
    #[serde(default = "first_take")]
    pub take: u32,
}

fn first_take() -> u32 {
    1
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Master {
    pub wav: BlobHash,
    pub mp3: BlobHash,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub cues: Vec<Cue>,
    /// What the shipped MP3 measures and what it was mastered to. Absent on masters made before mastering
    /// measured loudness.
    #[serde(default)]
    pub figures: Option<MasterFigures>,
    /// One chapter per plan segment, from the real cue times (the MP3 carries them as ID3 CHAP frames).
    #[serde(default)]
    pub chapters: Vec<ChapterCue>,
}

/// The master's loudness, measured on the encoded MP3 (BS.1770-4 gated, true peak 4× oversampled), and
/// the settings it was mastered to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MasterFigures {
    pub integrated_lufs: f64,
    pub true_peak_dbtp: f64,
    pub loudness_range_lu: f64,
    pub target_lufs: f64,
    pub ceiling_dbtp: f64,
    pub channels: u16,
    pub bitrate_kbps: u32,
    /// Limiter/gain passes it took to land on the target (at least 1).
    pub passes: u32,
    /// Integrated loudness of each host's lines in the master, for the speaker-balance check.
    pub speakers: Vec<SpeakerLoudness>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct SpeakerLoudness {
    pub speaker: String,
    /// `None` when the host's lines are too quiet to measure (below the −70 LUFS gate).
    pub integrated_lufs: Option<f64>,
}

/// A chapter of the master: a plan segment with where its first line starts and where the next begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ChapterCue {
    pub segment_id: String,
    pub title: String,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
}

/// What the audio gate asks `audio.master` to change when a technical check fails: applied on top of
/// the show's settings on the next mastering pass.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema, TS)]
pub struct MasterCorrection {
    /// Added to the loudness target (the gate measured this far off).
    pub gain_db: f64,
    /// Extra headroom under the ceiling for the limiter (the gate measured a peak this far over).
    pub ceiling_margin_db: f64,
}

impl Master {
    /// The cue playing at `position_ms`, for highlighting the transcript during playback.
    pub fn cue_at(&self, position_ms: u64) -> Option<&Cue> {
        self.cues
            .iter()
            .find(|c| c.start_ms <= position_ms && position_ms < c.end_ms)
    }
}
