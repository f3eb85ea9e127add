//! A draft master: one new take spliced into the master it replaces, written by the master stage before
//! it masters the episode in full, so the producer hears the line in place within a second or two instead
//! of after the whole chain (the limiter, the MP3 encode and its measurement over the hour). Kept as a
//! setting per run (`draft_master.<run id>`); it is current only while the master it was spliced into is
//! still the run's latest.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::artifacts::{ChapterCue, Cue};
use crate::BlobHash;

/// The setting key of a run's draft master.
pub fn draft_master_key(run_id: &crate::RunId) -> String {
    format!("draft_master.{run_id}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DraftMaster {
    /// The line whose take changed.
    pub line_id: String,
    /// Its take number (as in the line's take history).
    pub take: u32,
    /// The master's WAV the draft was spliced into: once a newer master exists the draft is stale.
    pub replaces_wav: BlobHash,
    /// 16-bit PCM at the master's rate, as the release gate's player plays a master: a preview file
    /// beside the blobs (never synced, remade when lost), not a blob.
    pub wav: BlobHash,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Every line where it lies in the draft: the ones after the line moved by its change in length.
    pub cues: Vec<Cue>,
    pub chapters: Vec<ChapterCue>,
    /// Measured on the draft's PCM (kept loudness blocks, the new region's measured again).
    pub integrated_lufs: f64,
    #[ts(type = "number")]
    pub made_at_ms: i64,
    /// From the master stage's start to the draft written.
    #[ts(type = "number")]
    pub took_ms: u64,
}

impl DraftMaster {
    /// The changed line's cue in the draft.
    pub fn cue(&self) -> Option<&Cue> {
        self.cues.iter().find(|c| c.line_id == self.line_id)
    }
}
