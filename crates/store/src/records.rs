//! What the engine reads and writes: runs, stage attempts, artifacts and paid provider calls as stored.

use serde::{Deserialize, Serialize};
use showrunner_domain::{
    ArtifactId, ArtifactKind, AttemptStatus, EpisodeId, GateVerdict, Money, ParkReason, PhaseId, Route, RunId,
    RunStatus, StageCode, StageId,
};
use strum::{EnumString, IntoStaticStr};

use crate::BudgetThreshold;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: RunId,
    /// The episode the run produces; none for a pipeline that produces no episode (the engine's own tests).
    pub episode_id: Option<EpisodeId>,
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
    pub route: Option<Route>,
    pub verdict: Option<GateVerdict>,
    /// As stored; [`AttemptRecord::failure_code`] reads it.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

impl AttemptRecord {
    /// Why the attempt failed or parked, typed. Rows written before the codes were typed read the same way.
    pub fn failure_code(&self) -> Option<StageCode> {
        self.error_code.as_deref().map(StageCode::of)
    }
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
    pub route: Option<Route>,
    pub verdict: Option<GateVerdict>,
    pub error_code: Option<StageCode>,
    pub error_message: Option<String>,
    pub artifacts: Vec<NewArtifact>,
}

impl AttemptFinish {
    /// An ending with nothing to report but its status.
    pub fn with_status(status: AttemptStatus) -> AttemptFinish {
        AttemptFinish {
            status,
            cost: Money::ZERO,
            route: None,
            verdict: None,
            error_code: None,
            error_message: None,
            artifacts: Vec::new(),
        }
    }
}

/// An attempt as a finish left it, with the artifacts the finish saved.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedAttempt {
    pub attempt: AttemptRecord,
    pub artifacts: Vec<ArtifactRecord>,
}

/// Where a paid provider call stands. `intent` holds a reservation against the cap; the others hold none.
/// Stored by its snake_case name (`as_str`), read back with `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CallStatus {
    /// Reserved and (possibly) sent; no outcome recorded yet.
    Intent,
    /// Returned; its cost and result are recorded.
    Settled,
    /// Returned an error; cost is what the provider billed for it, usually nothing.
    Failed,
    /// Never came back (cancelled or cut off by a crash); its reservation is freed.
    Released,
}

impl CallStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One paid provider call as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    pub id: i64,
    pub run_id: RunId,
    pub stage: StageId,
    pub attempt_id: Option<i64>,
    /// The caller's stable name for the request, the same after a resume.
    pub call_key: String,
    pub phase: PhaseId,
    pub provider: String,
    pub model: String,
    /// The worst case held against the cap while the call was out.
    pub reserved: Money,
    pub status: CallStatus,
    /// What the provider billed.
    pub cost: Money,
    pub usage: Option<serde_json::Value>,
    /// The price-table row the cost was computed with, so old costs are never repriced.
    pub price_row: Option<String>,
    pub request_id: Option<String>,
    /// The call's answer, kept so a resumed stage reuses it instead of paying again.
    pub result: Option<serde_json::Value>,
    /// The stage found the answer unusable (see `Store::reject_answers`): still billed, never reused.
    pub rejected: bool,
    /// Cut off mid-flight: the provider may have billed it without us seeing the answer.
    pub ambiguous: bool,
    pub error_code: Option<String>,
    pub created_at_ms: i64,
    pub finished_at_ms: Option<i64>,
    /// The prompt template that produced a model call, when one did.
    pub prompt: Option<PromptStamp>,
    /// What the answer is regardless of run or line (see [`NewCall::reuse_key`]).
    pub reuse_key: Option<String>,
}

/// Which prompt a model call sent: the template, its version and a SHA-256 (hex) of the rendered prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptStamp {
    pub template_id: String,
    pub template_version: u32,
    pub prompt_sha256: String,
}

/// A paid call about to go out: what to reserve, and against which run, stage and phase.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCall {
    pub run_id: RunId,
    pub stage: StageId,
    pub attempt_id: Option<i64>,
    pub call_key: String,
    pub phase: PhaseId,
    pub provider: String,
    pub model: String,
    /// The worst-case cost (estimated input plus the output limit, or characters for speech).
    pub reserve: Money,
    /// The prompt template this call renders, recorded on its row.
    pub prompt: Option<PromptStamp>,
    /// Names the answer independently of the run and line (a speech take's engine, voice, settings and text),
    /// so another run of the same show can reuse it instead of paying again.
    pub reuse_key: Option<String>,
}

/// How a call ended without an answer to keep, and what the provider billed for it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CallFailure {
    pub error_code: String,
    /// What the provider billed: zero when no reply came back, the priced usage of a reply that could not be
    /// used, or the reservation when a reply came back whose usage could not be read.
    pub cost: Money,
    pub usage: Option<serde_json::Value>,
    pub price_row: Option<String>,
    pub request_id: Option<String>,
    /// A reply came back but its usage could not be read: `cost` is the reservation (the worst case), and
    /// the row says so.
    pub counted_at_reservation: bool,
}

/// The `usage` a call counted at its reservation keeps, so the ledger row says why it cost what it did.
pub const UNREADABLE_USAGE_NOTE: &str =
    "the reply came back but its usage could not be read; counted at the reservation";

impl CallRecord {
    /// A settled answer a later try may replay instead of paying again: not one the stage rejected.
    pub fn reusable(&self) -> bool {
        self.status == CallStatus::Settled && self.result.is_some() && !self.rejected
    }

    /// Whether the call is counted at its reservation because its reply's usage could not be read.
    pub fn counted_at_reservation(&self) -> bool {
        self.usage
            .as_ref()
            .and_then(|u| u.get("counted_at_reservation"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }
}

/// What a returned call really cost, and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSettlement {
    pub cost: Money,
    pub usage: serde_json::Value,
    pub price_row: Option<String>,
    pub request_id: Option<String>,
    pub result: serde_json::Value,
}

/// A ledger change and the budget notices it fired (each fires once per run).
#[derive(Debug, Clone, PartialEq)]
pub struct CallUpdate {
    pub call: CallRecord,
    pub fired: Vec<BudgetNotice>,
}

/// A notice the ledger fires at most once per run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeKind {
    Threshold {
        threshold: BudgetThreshold,
    },
    /// A phase committed more than its allocation (soft: nothing is refused for it).
    PhaseOver {
        phase: PhaseId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetNotice {
    pub kind: NoticeKind,
    /// Settled plus reserved when it fired.
    pub committed: Money,
    pub cap: Money,
    pub fired_at_ms: i64,
}

/// One phase's share of the run's spend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseSpend {
    pub phase: PhaseId,
    /// What the producer sees, from the run's split.
    pub label: String,
    /// Its planned share of the cap.
    pub allocation: Money,
    pub settled: Money,
    pub reserved: Money,
    /// Reservations of this phase's ambiguous calls, still counted.
    pub unconfirmed: Money,
}

/// A run's budget at one moment (read in one snapshot, so the figures agree with each other).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub run_id: RunId,
    pub cap: Money,
    /// Billed so far: settled calls, plus failed calls the provider charged for.
    pub settled: Money,
    /// Held by calls still out.
    pub reserved: Money,
    /// Reservations of ambiguous calls: the provider may have billed up to this much that `settled` lacks, so
    /// it counts against the cap until each call is resolved (its late answer settles it, or the producer
    /// records what the provider's usage page says).
    pub unconfirmed: Money,
    /// The run's phases in its pipeline's order.
    pub by_phase: Vec<PhaseSpend>,
    /// Oldest first.
    pub calls: Vec<CallRecord>,
    /// In the order they fired.
    pub notices: Vec<BudgetNotice>,
}

impl Ledger {
    /// What counts against the cap: settled, reserved and unconfirmed (ambiguous calls at their reservation).
    pub fn committed(&self) -> Money {
        self.settled + self.reserved + self.unconfirmed
    }

    /// Whether `kind` has fired for this run.
    pub fn has_fired(&self, kind: &NoticeKind) -> bool {
        self.notices.iter().any(|n| &n.kind == kind)
    }
}
