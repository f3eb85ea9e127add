//! The Dashboard: spend per show and month against the caps, cost per finished minute, gate pass rates and
//! evaluation scores by month, retries and fallbacks per provider, time from start to release, and the budget
//! and failure alerts. Every figure is a SQL aggregate in the store (`store/src/dashboard.rs`); this module
//! only names things and divides.

use serde::Serialize;
use showrunner_domain::{EpisodeId, Money, ShowId, StageId};
use ts_rs::TS;

use crate::routing::provider_label;
use crate::{ApiError, App};

/// Alerts shown at most (newest first); the rest are in the Episodes list's filters.
pub const ALERT_LIMIT: u32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ShowMonthSpendView {
    pub show_id: ShowId,
    pub show_name: String,
    /// `YYYY-MM` (UTC) of the episodes' start.
    pub month: String,
    pub episodes: u32,
    /// The episodes' caps added up.
    pub caps: Money,
    pub spent: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CostPerMinuteView {
    pub show_id: ShowId,
    pub show_name: String,
    /// Released episodes with a master.
    pub episodes: u32,
    pub finished_minutes: f64,
    pub spent: Money,
    /// `spent ÷ finished_minutes`, micro-dollars; `None` with no finished minute.
    pub per_minute: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GateMonthView {
    pub month: String,
    /// The gate's stage id (`script.evaluate`).
    pub gate: String,
    /// The gate as the Run view names it ("Dual evaluation"); the id for a stage no pipeline declares.
    pub label: String,
    pub reports: u32,
    pub passed: u32,
    /// `passed ÷ reports`, 0–1.
    pub pass_rate: f64,
    /// 0–1.
    pub mean_score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EvaluationMonthView {
    pub month: String,
    pub evaluations: u32,
    /// Mean of the evaluators' six dimension scores, 0–10.
    pub mean_score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProviderReliabilityView {
    pub provider: String,
    pub label: String,
    pub calls: u32,
    pub failed: u32,
    /// Calls that repeated an earlier request to the same model.
    pub retries: u32,
    /// Failed calls, not retried, that the same stage try handed to another provider.
    pub fallbacks: u32,
    pub cost: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReleaseMonthView {
    pub show_id: ShowId,
    pub show_name: String,
    pub month: String,
    pub episodes: u32,
    /// From the episode's start to its release approval.
    pub mean_ms: f64,
    #[ts(type = "number")]
    pub max_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// 80 % of the cap committed.
    BudgetWarn,
    /// 95 %: stages degrade.
    BudgetDegrade,
    /// 100 % or a refused call: the run stopped.
    BudgetHalt,
    Failed,
    NeedsAttention,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DashboardAlert {
    pub kind: AlertKind,
    pub episode_id: EpisodeId,
    pub topic: String,
    pub show_name: String,
    /// What happened, in a producer's words.
    pub message: String,
    #[ts(type = "number")]
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DashboardView {
    /// The show the figures are limited to, if any.
    pub show_id: Option<ShowId>,
    pub spend: Vec<ShowMonthSpendView>,
    pub cost_per_minute: Vec<CostPerMinuteView>,
    pub gates: Vec<GateMonthView>,
    pub evaluations: Vec<EvaluationMonthView>,
    pub providers: Vec<ProviderReliabilityView>,
    pub releases: Vec<ReleaseMonthView>,
    /// Budget and failure alerts, newest first, at most [`ALERT_LIMIT`].
    pub alerts: Vec<DashboardAlert>,
}

fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub async fn dashboard(app: &App, show_id: Option<ShowId>) -> Result<DashboardView, ApiError> {
    let store = app.store();
    let show = show_id.as_ref();
    if let Some(id) = show {
        if store.show(id).await?.is_none() {
            return Err(ApiError::field(
                crate::ErrorCode::NotFound,
                "show_id",
                "That show no longer exists.",
            ));
        }
    }
    let pipeline = showrunner_production::standard_pipeline();
    // Side by side on the pool's connections (WAL readers do not block each other): the figures are
    // independent, and one after another they added up to several times the slowest.
    let (spend, finished, gates, evaluations, providers, releases, budget_alerts, failure_alerts) = tokio::try_join!(
        store.spend_by_show_month(show),
        store.finished_minutes(show),
        store.gate_months(show),
        store.evaluation_months(show),
        store.provider_reliability(show),
        store.release_months(show),
        store.budget_alerts(show, ALERT_LIMIT),
        store.failure_alerts(show, ALERT_LIMIT),
    )?;
    let mut alerts: Vec<DashboardAlert> = budget_alerts
        .into_iter()
        .filter_map(|a| {
            let (kind, what) = match a.notice.as_str() {
                "warn" => (AlertKind::BudgetWarn, "80 % of the cap committed"),
                "degrade" => (AlertKind::BudgetDegrade, "95 % of the cap committed: stages degrade"),
                "halt" => (AlertKind::BudgetHalt, "the cap was reached: the run stopped"),
                _ => return None,
            };
            Some(DashboardAlert {
                kind,
                message: format!("{what} ({} of {})", Money(a.committed), Money(a.cap)),
                episode_id: EpisodeId(a.episode_id),
                topic: a.topic,
                show_name: a.show_name,
                at_ms: a.at_ms,
            })
        })
        .collect();
    alerts.extend(failure_alerts.into_iter().map(|f| {
        let failed = f.status == "failed";
        let reason = match (&f.error_code, &f.error_message) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.clone(),
            _ => String::new(),
        };
        let what = if failed {
            "Production failed"
        } else {
            "Waiting for the producer"
        };
        DashboardAlert {
            kind: if failed {
                AlertKind::Failed
            } else {
                AlertKind::NeedsAttention
            },
            message: if reason.is_empty() {
                what.to_owned()
            } else {
                format!("{what} — {reason}")
            },
            episode_id: EpisodeId(f.episode_id),
            topic: f.topic,
            show_name: f.show_name,
            at_ms: f.at_ms,
        }
    }));
    alerts.sort_by(|a, b| {
        b.at_ms
            .cmp(&a.at_ms)
            .then_with(|| a.episode_id.as_str().cmp(b.episode_id.as_str()))
    });
    alerts.truncate(ALERT_LIMIT as usize);

    Ok(DashboardView {
        show_id,
        spend: spend
            .into_iter()
            .map(|s| ShowMonthSpendView {
                show_id: s.show_id,
                show_name: s.show_name,
                month: s.month,
                episodes: small(s.episodes),
                caps: Money(s.caps),
                spent: Money(s.spent),
            })
            .collect(),
        cost_per_minute: finished
            .into_iter()
            .map(|f| {
                let minutes = f.duration_ms as f64 / 60_000.0;
                CostPerMinuteView {
                    show_id: f.show_id,
                    show_name: f.show_name,
                    episodes: small(f.episodes),
                    finished_minutes: minutes,
                    spent: Money(f.spent),
                    per_minute: (f.duration_ms > 0).then(|| Money((f.spent as f64 / minutes).round() as i64)),
                }
            })
            .collect(),
        gates: gates
            .into_iter()
            .map(|g| GateMonthView {
                label: pipeline
                    .spec(&StageId::new(g.stage.as_str()))
                    .map_or_else(|| g.stage.clone(), |spec| spec.label.clone()),
                pass_rate: if g.reports == 0 {
                    0.0
                } else {
                    g.passed as f64 / g.reports as f64
                },
                month: g.month,
                gate: g.stage,
                reports: small(g.reports),
                passed: small(g.passed),
                mean_score: g.mean_score,
            })
            .collect(),
        evaluations: evaluations
            .into_iter()
            .map(|e| EvaluationMonthView {
                month: e.month,
                evaluations: small(e.evaluations),
                mean_score: e.mean_score,
            })
            .collect(),
        providers: providers
            .into_iter()
            .map(|p| ProviderReliabilityView {
                label: provider_label(app, &p.provider),
                provider: p.provider,
                calls: small(p.calls),
                failed: small(p.failed),
                retries: small(p.retries),
                fallbacks: small(p.fallbacks),
                cost: Money(p.cost),
            })
            .collect(),
        releases: releases
            .into_iter()
            .map(|r| ReleaseMonthView {
                show_id: r.show_id,
                show_name: r.show_name,
                month: r.month,
                episodes: small(r.episodes),
                mean_ms: r.mean_ms,
                max_ms: r.max_ms,
            })
            .collect(),
        alerts,
    })
}
