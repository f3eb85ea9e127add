//! The state words of a production run and its stage attempts, shared by the engine, the store and the UI.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::StageId;

macro_rules! string_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    /// Waiting for a producer decision; survives restarts for as long as it takes.
    Parked,
    Done,
    Failed,
    Cancelled,
}
string_enum!(RunStatus { Running => "running", Parked => "parked", Done => "done", Failed => "failed", Cancelled => "cancelled" });

/// One attempt at one stage. `Superseded` marks attempts whose work was sent back and redone: kept for the
/// record, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
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
string_enum!(AttemptStatus {
    Pending => "pending",
    Running => "running",
    WaitingRetry => "waiting_retry",
    Done => "done",
    Failed => "failed",
    Parked => "parked",
    Cancelled => "cancelled",
    Superseded => "superseded",
});

/// What a gate decided about the work in front of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum GateVerdict {
    Pass,
    /// Send the work back to the stage that made it, with feedback.
    Remediate,
    /// Stop and ask the producer.
    Escalate,
}
string_enum!(GateVerdict { Pass => "pass", Remediate => "remediate", Escalate => "escalate" });

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
