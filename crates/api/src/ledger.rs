//! A run's budget ledger for the Run screen: the cap, what is billed and held, each phase against its
//! allocation, the notices fired, and every paid call by stage. Answers stay out of the view (they can be
//! large and are rarely wanted); `call_answer` fetches one when the producer asks.

use serde::Serialize;
use showrunner_domain::{Money, ParkReason, PhaseId, RunId, RunStatus, StageId};
use showrunner_store::{BudgetNotice, BudgetThreshold, CallRecord, CallStatus, NoticeKind};
use ts_rs::TS;

use crate::routing::provider_label;
use crate::{ApiError, App};

/// How close the run is to its cap now (at the current cap: raising it lowers the level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BudgetLevel {
    Normal,
    /// 80 %: the producer is told.
    Warn,
    /// 95 %: stages use fallback routes and skip optional work.
    Degrade,
    /// 100 %, or a call was refused: nothing new starts until the cap is raised.
    Halt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BudgetNoticeKind {
    Warn,
    Degrade,
    Halt,
    /// A phase committed more than its share of the cap (nothing is refused for it).
    PhaseOver,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BudgetNoticeView {
    pub kind: BudgetNoticeKind,
    /// For `phase_over`: the phase, and what the producer sees for it.
    pub phase: Option<PhaseId>,
    pub phase_label: Option<String>,
    /// Billed plus held when it fired.
    pub committed: Money,
    /// The cap when it fired.
    pub cap: Money,
    #[ts(type = "number")]
    pub fired_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PhaseSpendView {
    pub phase: PhaseId,
    /// What the producer sees ("Research"), from the run's split.
    pub label: String,
    /// Its planned share of the cap (soft: only the cap refuses a call).
    pub allocation: Money,
    pub settled: Money,
    pub reserved: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallStatusView {
    /// Sent (or about to be); its worst case is held against the cap.
    InFlight,
    Settled,
    Failed,
    /// Never came back (cancelled, or cut off when the app stopped).
    Released,
}

impl From<CallStatus> for CallStatusView {
    fn from(s: CallStatus) -> CallStatusView {
        match s {
            CallStatus::Intent => CallStatusView::InFlight,
            CallStatus::Settled => CallStatusView::Settled,
            CallStatus::Failed => CallStatusView::Failed,
            CallStatus::Released => CallStatusView::Released,
        }
    }
}

/// One paid call, without its answer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CallView {
    #[ts(type = "number")]
    pub id: i64,
    pub stage: StageId,
    pub phase: PhaseId,
    pub provider: String,
    pub provider_label: String,
    pub model: String,
    /// The worst case held against the cap while it was out.
    pub reserved: Money,
    /// What the provider billed.
    pub cost: Money,
    pub status: CallStatusView,
    /// Cut off mid-flight: the provider may have billed up to `reserved` without us seeing it.
    pub ambiguous: bool,
    /// The provider's id for the request, for a support ticket.
    pub request_id: Option<String>,
    pub error_code: Option<String>,
    /// An answer is stored (`call_answer` returns it).
    pub has_answer: bool,
    /// The prompt template the call rendered (`plan`, `script.write`…), its version, and a SHA-256 of the
    /// prompt it sent; none for speech.
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
    pub prompt_sha256: Option<String>,
    #[ts(type = "number")]
    pub created_at_ms: i64,
    #[ts(type = "number | null")]
    pub finished_at_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StageCallsView {
    pub stage: StageId,
    pub label: String,
    /// Billed by this stage's calls.
    pub cost: Money,
    /// Held by its calls still out.
    pub reserved: Money,
    /// Oldest first.
    pub calls: Vec<CallView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LedgerView {
    pub run_id: RunId,
    pub cap: Money,
    /// Billed so far.
    pub settled: Money,
    /// Held by calls still out.
    pub reserved: Money,
    /// What cut-off calls may have cost on top of `settled`.
    pub unconfirmed: Money,
    /// 80 % of the cap: the bar's first mark.
    pub warn_at: Money,
    /// 95 % of the cap: past it, stages use fallback routes.
    pub degrade_at: Money,
    pub level: BudgetLevel,
    /// The run waits at the cap; raising it continues the run.
    pub parked_on_budget: bool,
    /// The cap can still be raised (the run has not finished).
    pub can_raise: bool,
    /// The run's budget phases, in its pipeline's order.
    pub phases: Vec<PhaseSpendView>,
    /// In the order they fired; they stay after a raise, as history.
    pub notices: Vec<BudgetNoticeView>,
    /// In pipeline order, only stages that made paid calls.
    pub stages: Vec<StageCallsView>,
}

fn call_view(app: &App, call: &CallRecord) -> CallView {
    CallView {
        id: call.id,
        stage: call.stage.clone(),
        phase: call.phase.clone(),
        provider: call.provider.clone(),
        provider_label: provider_label(app, &call.provider),
        model: call.model.clone(),
        reserved: call.reserved,
        cost: call.cost,
        status: call.status.into(),
        ambiguous: call.ambiguous,
        request_id: call.request_id.clone(),
        error_code: call.error_code.clone(),
        has_answer: call.result.is_some(),
        template_id: call.prompt.as_ref().map(|p| p.template_id.clone()),
        template_version: call.prompt.as_ref().map(|p| p.template_version),
        prompt_sha256: call.prompt.as_ref().map(|p| p.prompt_sha256.clone()),
        created_at_ms: call.created_at_ms,
        finished_at_ms: call.finished_at_ms,
    }
}

/// `cap` × `percent` / 100, rounded down to the micro-dollar.
fn share(cap: Money, percent: i64) -> Money {
    Money((i128::from(cap.0) * i128::from(percent) / 100) as i64)
}

pub async fn run_ledger(app: &App, run_id: &RunId) -> Result<LedgerView, ApiError> {
    let run = app
        .store()
        .run(run_id)
        .await?
        .ok_or_else(|| ApiError::not_found("That run"))?;
    let ledger = app.store().ledger(run_id).await?;
    let committed = ledger.committed();
    let parked_on_budget =
        run.status == RunStatus::Parked && matches!(run.park, Some(ParkReason::BudgetExhausted { .. }));
    let reached = |t: BudgetThreshold| t.is_reached(committed, ledger.cap);
    let level = if parked_on_budget || reached(BudgetThreshold::Halt) {
        BudgetLevel::Halt
    } else if reached(BudgetThreshold::Degrade) {
        BudgetLevel::Degrade
    } else if reached(BudgetThreshold::Warn) {
        BudgetLevel::Warn
    } else {
        BudgetLevel::Normal
    };

    // Stage labels and order come from the run's pipeline; a stage it no longer has keeps its id.
    let order: Vec<(StageId, String)> = app
        .engine()
        .workflow(&run.pipeline)
        .map(|w| {
            w.pipeline
                .stages
                .iter()
                .map(|s| (s.id.clone(), s.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut stage_ids: Vec<StageId> = order.iter().map(|(id, _)| id.clone()).collect();
    for call in &ledger.calls {
        if !stage_ids.contains(&call.stage) {
            stage_ids.push(call.stage.clone());
        }
    }
    let stages = stage_ids
        .into_iter()
        .filter_map(|stage| {
            let calls: Vec<CallView> = ledger
                .calls
                .iter()
                .filter(|c| c.stage == stage)
                .map(|c| call_view(app, c))
                .collect();
            if calls.is_empty() {
                return None;
            }
            let label = order
                .iter()
                .find(|(id, _)| *id == stage)
                .map_or_else(|| stage.as_str().to_owned(), |(_, l)| l.clone());
            Some(StageCallsView {
                cost: calls.iter().map(|c| c.cost).sum(),
                reserved: calls
                    .iter()
                    .filter(|c| c.status == CallStatusView::InFlight)
                    .map(|c| c.reserved)
                    .sum(),
                stage,
                label,
                calls,
            })
        })
        .collect();

    Ok(LedgerView {
        run_id: run.id.clone(),
        cap: ledger.cap,
        settled: ledger.settled,
        reserved: ledger.reserved,
        unconfirmed: ledger.unconfirmed,
        warn_at: share(ledger.cap, BudgetThreshold::Warn.percent()),
        degrade_at: share(ledger.cap, BudgetThreshold::Degrade.percent()),
        level,
        parked_on_budget,
        can_raise: !matches!(run.status, RunStatus::Done | RunStatus::Failed | RunStatus::Cancelled),
        phases: ledger
            .by_phase
            .iter()
            .map(|p| PhaseSpendView {
                phase: p.phase.clone(),
                label: p.label.clone(),
                allocation: p.allocation,
                settled: p.settled,
                reserved: p.reserved,
            })
            .collect(),
        notices: ledger
            .notices
            .iter()
            .map(|n| notice_view(n, |phase| phase_label(&ledger.by_phase, phase)))
            .collect(),
        stages,
    })
}

/// What the producer sees for `phase`: its label in the run's split, else its id.
pub(crate) fn phase_label(phases: &[showrunner_store::PhaseSpend], phase: &PhaseId) -> String {
    phases
        .iter()
        .find(|p| &p.phase == phase)
        .map_or_else(|| phase.to_string(), |p| p.label.clone())
}

/// A fired budget notice as the app shows it, a phase named by `label`.
pub(crate) fn notice_view(n: &BudgetNotice, label: impl Fn(&PhaseId) -> String) -> BudgetNoticeView {
    let (kind, phase) = match &n.kind {
        &NoticeKind::Threshold { threshold } => (
            match threshold {
                BudgetThreshold::Warn => BudgetNoticeKind::Warn,
                BudgetThreshold::Degrade => BudgetNoticeKind::Degrade,
                BudgetThreshold::Halt => BudgetNoticeKind::Halt,
            },
            None,
        ),
        NoticeKind::PhaseOver { phase } => (BudgetNoticeKind::PhaseOver, Some(phase.clone())),
    };
    BudgetNoticeView {
        kind,
        phase_label: phase.as_ref().map(label),
        phase,
        committed: n.committed,
        cap: n.cap,
        fired_at_ms: n.fired_at_ms,
    }
}

/// The stored answer of one of the run's calls, for the producer who asked to see it.
pub async fn call_answer(app: &App, run_id: &RunId, call_id: i64) -> Result<serde_json::Value, ApiError> {
    let ledger = app.store().ledger(run_id).await?;
    let call = ledger
        .calls
        .into_iter()
        .find(|c| c.id == call_id)
        .ok_or_else(|| ApiError::not_found("That call"))?;
    call.result
        .ok_or_else(|| ApiError::not_found("That call's answer (it did not return one)"))
}
