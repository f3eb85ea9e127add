//! What the engine reads and writes: runs, stage attempts and artifacts as stored.

use serde::{Deserialize, Serialize};
use showrunner_domain::{
    ArtifactId, ArtifactKind, AttemptStatus, EpisodeId, GateVerdict, Money, ParkReason, RunId, RunStatus, StageId,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: RunId,
    pub episode_id: EpisodeId,
    /// The name of the pipeline the run follows.
    pub pipeline: String,
    pub status: RunStatus,
    /// Why the run is parked, while it is.
    pub park: Option<ParkReason>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// Row id; increases with every attempt, so it orders attempts across stages.
    pub id: i64,
    pub run_id: RunId,
    pub stage: StageId,
    /// 1-based number of this try of the stage within the run.
    pub attempt: u32,
    pub status: AttemptStatus,
    pub feedback: Option<String>,
    pub started_at_ms: i64,
    pub finished_at_ms: Option<i64>,
    pub cost: Money,
    pub route: Option<String>,
    pub verdict: Option<GateVerdict>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// An artifact about to be saved; the store gives it an id and the next version of its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewArtifact {
    pub kind: ArtifactKind,
    pub content: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactRecord {
    pub id: ArtifactId,
    pub run_id: RunId,
    pub stage: StageId,
    pub kind: ArtifactKind,
    /// 1, 2, … per run and kind, in the order saved.
    pub version: u32,
    /// The attempt that produced it; `None` for a producer's own edit.
    pub attempt_id: Option<i64>,
    pub content: serde_json::Value,
    pub created_at_ms: i64,
}

/// How an attempt ended (or paused), with what it produced.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptFinish {
    pub status: AttemptStatus,
    pub cost: Money,
    pub route: Option<String>,
    pub verdict: Option<GateVerdict>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub artifacts: Vec<NewArtifact>,
}
