//! Packaging and the producer's decisions at human gates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Source;
use crate::StageId;

/// `package`: what ships beside the audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ShowNotes {
    pub title: String,
    pub summary: String,
    /// Chapter titles with their start offsets, from the plan.
    pub chapters: Vec<ChapterMark>,
    pub citations: Vec<Citation>,
    pub promo: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ChapterMark {
    pub title: String,
    #[ts(type = "number")]
    pub start_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Citation {
    pub fact_id: String,
    pub statement: String,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecisionKind {
    Approve,
    /// Continue past a gate that escalated, overriding it: the failing checks the producer saw are kept with
    /// the decision, so the record says what was waved through.
    ContinueAnyway {
        failing: Vec<String>,
    },
    /// Redo `stage` and everything after it, with the producer's note as feedback.
    SendBack {
        stage: StageId,
    },
}

/// A producer's decision at a human gate: who, when, about which artifact version, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Decision {
    pub gate: StageId,
    pub decision: DecisionKind,
    pub note: String,
    pub decided_by: String,
    #[ts(type = "number")]
    pub decided_at_ms: i64,
    /// Version of the artifact the producer looked at (the script, or the master).
    pub artifact_version: u32,
}
