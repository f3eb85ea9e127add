//! The script: segments of lines, each spoken by one host and citing the facts it relies on.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Line {
    /// Stable within a script (`S2-L4`), so edits, takes and transcript cues refer to the same line.
    pub id: String,
    pub speaker: String,
    pub text: String,
    /// Fact ids this line relies on.
    pub facts: Vec<String>,
    /// Set by the producer: every later model stage must pass the line through verbatim. A model's own
    /// value is never trusted; the stage copies locks from the version it was given.
    #[serde(default)]
    pub locked: bool,
    /// The producer's note to self about this line; kept with the version, never spoken.
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ScriptSegment {
    pub id: String,
    pub title: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Script {
    pub title: String,
    pub segments: Vec<ScriptSegment>,
}

/// Spoken words per minute used to estimate length from text (a conversational podcast pace).
pub const WORDS_PER_MINUTE: f64 = 150.0;

impl Script {
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.segments.iter().flat_map(|s| s.lines.iter())
    }

    pub fn line_mut(&mut self, id: &str) -> Option<&mut Line> {
        self.segments
            .iter_mut()
            .flat_map(|s| s.lines.iter_mut())
            .find(|l| l.id == id)
    }

    pub fn line(&self, id: &str) -> Option<&Line> {
        self.lines().find(|l| l.id == id)
    }

    pub fn locked_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines().filter(|l| l.locked)
    }

    pub fn word_count(&self) -> usize {
        self.lines().map(|l| l.text.split_whitespace().count()).sum()
    }

    /// Estimated spoken length at [`WORDS_PER_MINUTE`].
    pub fn estimated_seconds(&self) -> f64 {
        self.word_count() as f64 / WORDS_PER_MINUTE * 60.0
    }
}
