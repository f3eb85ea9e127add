//! `plan`: the episode's segments with goals, time budgets, speakers and the facts each will use.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct PlannedSegment {
    /// `S1`, `S2`, …
    pub id: String,
    pub title: String,
    pub goal: String,
    /// Time budget for this segment.
    pub seconds: u32,
    pub speakers: Vec<String>,
    /// Fact ids (`F3`) this segment should use.
    pub facts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct EpisodePlan {
    pub title: String,
    pub target_seconds: u32,
    pub segments: Vec<PlannedSegment>,
}

impl EpisodePlan {
    pub fn planned_seconds(&self) -> u32 {
        self.segments.iter().map(|s| s.seconds).sum()
    }
}
