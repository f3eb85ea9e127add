//! The state words of a production run and its stage attempts, shared by the engine, the store and the UI.
//!
//! Each word is its variant's snake_case name, the same for serde and strum: `as_str` and `Display` give it (the
//! store keeps it as TEXT), `FromStr` reads it back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::StageId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString, Display)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RunStatus {
    Running,
    /// Waiting for a producer decision; survives restarts for as long as it takes.
    Parked,
    Done,
    Failed,
    Cancelled,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One attempt at one stage. `Superseded` marks attempts whose work was sent back and redone: kept for the
/// record, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString, Display)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AttemptStatus {
    Pending,
    Running,
    WaitingRetry,
    Done,
    Failed,
    Parked,
    Cancelled,
    Superseded,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a gate decided about the work in front of it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS, IntoStaticStr, EnumString, Display,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum GateVerdict {
    Pass,
    /// Send the work back to the stage that made it, with feedback.
    Remediate,
    /// Stop and ask the producer.
    Escalate,
}

impl GateVerdict {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Why a run is parked, so the app can say what it is waiting for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParkReason {
    /// A human gate (script sign-off, release) waits for the producer.
    HumanGate { stage: StageId },
    /// A gate kept failing after its remediation attempts; the producer decides.
    GateEscalated { stage: StageId, summary: String },
    /// Spending reached the cap; raise it or stop.
    BudgetExhausted { stage: StageId },
}

impl ParkReason {
    pub fn stage(&self) -> &StageId {
        match self {
            ParkReason::HumanGate { stage }
            | ParkReason::GateEscalated { stage, .. }
            | ParkReason::BudgetExhausted { stage } => stage,
        }
    }
}
