//! The budget rules the ledger applies inside its transactions: a run's cap and its split over phases (both its
//! own, written when it was created), what is committed against it (settled + reserved + ambiguous), the
//! thresholds that fire once per run, and the per-phase allocations.
//!
//! The rules live here, beside the transactions that enforce them, so every process that opens the database
//! applies the same numbers. Phase allocations are soft: the cap is the only hard line, and a phase that
//! commits more than its share journals one `budget.phase_over` notice. Hard sub-caps would halt a run whose
//! total is comfortably under the cap just because research ran long, which a producer cannot act on.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use showrunner_domain::{BudgetSplit, Money, PhaseId, RunId};
use sqlx::types::{Json, Text};
use sqlx::{FromRow, SqliteConnection};
use strum::{EnumString, IntoStaticStr};

use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{BudgetNotice, NoticeKind, Store, StoreError};

/// Spend levels that fire a journaled notice the first time a run reaches them. Stored by their snake_case
/// names (`as_str`), read back with `FromStr`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BudgetThreshold {
    /// 80 %: tell the producer.
    Warn,
    /// 95 %: stages switch to fallback routes and skip optional work.
    Degrade,
    /// 100 %: a paid call no longer fits; the run parks until the cap is raised.
    Halt,
}

impl BudgetThreshold {
    pub const ALL: [BudgetThreshold; 3] = [BudgetThreshold::Warn, BudgetThreshold::Degrade, BudgetThreshold::Halt];

    pub fn percent(self) -> i64 {
        match self {
            BudgetThreshold::Warn => 80,
            BudgetThreshold::Degrade => 95,
            BudgetThreshold::Halt => 100,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether `committed` is at or past this threshold of `cap` (exact integer arithmetic).
    pub fn is_reached(self, committed: Money, cap: Money) -> bool {
        i128::from(committed.0) * 100 >= i128::from(cap.0) * i128::from(self.percent())
    }
}

impl NoticeKind {
    /// The value in `budget_notices.notice`.
    pub(crate) fn key(&self) -> String {
        match self {
            NoticeKind::Threshold { threshold } => threshold.as_str().to_owned(),
            NoticeKind::PhaseOver { phase } => format!("phase_over:{phase}"),
        }
    }
}

/// Reads a `budget_notices.notice` value back (what `NoticeKind::key` wrote).
impl FromStr for NoticeKind {
    type Err = strum::ParseError;

    fn from_str(key: &str) -> Result<NoticeKind, strum::ParseError> {
        Ok(match key.strip_prefix("phase_over:") {
            Some(phase) => NoticeKind::PhaseOver {
                phase: PhaseId::parse(phase).ok_or(strum::ParseError::VariantNotFound)?,
            },
            None => NoticeKind::Threshold {
                threshold: key.parse()?,
            },
        })
    }
}

/// One phase's spend: billed cost, reservations still held, and the reservations of ambiguous calls (cut off
/// mid-flight: the provider may have billed them, so they stay counted until resolved).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PhaseSums {
    settled: Money,
    reserved: Money,
    ambiguous: Money,
}

/// A run's spend, per phase.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spend(BTreeMap<PhaseId, PhaseSums>);

impl Spend {
    fn sum(&self, of: impl Fn(&PhaseSums) -> Money) -> Money {
        self.0.values().map(of).sum()
    }

    pub(crate) fn settled(&self) -> Money {
        self.sum(|p| p.settled)
    }

    pub(crate) fn reserved(&self) -> Money {
        self.sum(|p| p.reserved)
    }

    pub(crate) fn ambiguous(&self) -> Money {
        self.sum(|p| p.ambiguous)
    }

    /// What counts against the cap: settled + reserved + ambiguous.
    pub(crate) fn committed(&self) -> Money {
        self.settled() + self.reserved() + self.ambiguous()
    }

    fn of(&self, phase: &PhaseId) -> PhaseSums {
        self.0.get(phase).copied().unwrap_or_default()
    }

    /// (settled, reserved + ambiguous): both of the latter are money that may be spent.
    pub(crate) fn phase(&self, phase: &PhaseId) -> (Money, Money) {
        let sums = self.of(phase);
        (sums.settled, sums.reserved + sums.ambiguous)
    }
}

/// What the ledger enforces for a run: its cap and split (its own), and the episode it produces, if any.
pub(crate) struct RunBudget {
    pub(crate) cap: Money,
    pub(crate) split: Option<BudgetSplit>,
    pub(crate) episode_id: Option<String>,
}

impl RunBudget {
    /// `phase`'s planned share of the cap; nothing is planned for a phase outside the run's split.
    pub(crate) fn allocation(&self, phase: &PhaseId) -> Money {
        self.split
            .as_ref()
            .and_then(|split| split.allocation(phase, self.cap))
            .unwrap_or(Money::ZERO)
    }
}

#[derive(FromRow)]
struct RunBudgetRow {
    cap: i64,
    budget_split: Option<Json<BudgetSplit>>,
    episode_id: Option<String>,
}

/// The run's own cap (its episode's, for a run written before runs owned one) and split.
pub(crate) async fn budget_of(conn: &mut SqliteConnection, run: &RunId) -> Result<RunBudget, StoreError> {
    // A run written before runs owned their cap reads its episode's.
    let row = sqlx::query_as::<_, RunBudgetRow>(
        "SELECT COALESCE(r.budget_cap, e.budget_cap) AS cap, r.budget_split, r.episode_id
           FROM runs r LEFT JOIN episodes e ON e.id = r.episode_id WHERE r.id = ?",
    )
    .bind(run.as_str())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound {
        what: "Run",
        id: run.to_string(),
    })?;
    Ok(RunBudget {
        cap: Money(row.cap),
        split: row.budget_split.map(|split| split.0),
        episode_id: row.episode_id,
    })
}

/// One phase's sums over a run's calls.
#[derive(FromRow)]
struct PhaseRow {
    phase: Text<PhaseId>,
    settled: i64,
    reserved: i64,
    ambiguous: i64,
}

/// Billed cost (every status: a failed call may have been billed), held reservations (intents), and the
/// reservations of ambiguous calls not yet resolved (released and flagged).
pub(crate) async fn spend_of(conn: &mut SqliteConnection, run: &RunId) -> Result<Spend, StoreError> {
    let rows = sqlx::query_as::<_, PhaseRow>(
        "SELECT phase, COALESCE(SUM(cost), 0) AS settled,
                COALESCE(SUM(CASE WHEN status = 'intent' THEN reserved ELSE 0 END), 0) AS reserved,
                COALESCE(SUM(CASE WHEN status = 'released' AND ambiguous = 1 THEN reserved ELSE 0 END), 0)
                    AS ambiguous
           FROM provider_calls WHERE run_id = ? GROUP BY phase",
    )
    .bind(run.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(Spend(
        rows.into_iter()
            .map(|row| {
                let sums = PhaseSums {
                    settled: Money(row.settled),
                    reserved: Money(row.reserved),
                    ambiguous: Money(row.ambiguous),
                };
                (row.phase.0, sums)
            })
            .collect(),
    ))
}

/// Fires, inside the caller's transaction, every notice `spend` has newly reached: each threshold, and each
/// phase over its allocation. `refused` means a reservation did not fit under the cap, which is the halt
/// even when the committed amount is below 100 %. Each notice fires once per run (its primary key).
pub(crate) async fn fire_notices(
    conn: &mut SqliteConnection,
    run: &RunId,
    budget: &RunBudget,
    spend: &Spend,
    refused: bool,
    now_ms: i64,
) -> Result<Vec<BudgetNotice>, StoreError> {
    let cap = budget.cap;
    let committed = spend.committed();
    let mut due = Vec::new();
    for threshold in BudgetThreshold::ALL {
        if threshold.is_reached(committed, cap) || (refused && threshold == BudgetThreshold::Halt) {
            due.push(NoticeKind::Threshold { threshold });
        }
    }
    // Only the run's own phases have a share to go over.
    for phase in budget.split.iter().flat_map(|split| split.phases()) {
        let (settled, reserved) = spend.phase(&phase.id);
        if settled + reserved > budget.allocation(&phase.id) {
            due.push(NoticeKind::PhaseOver {
                phase: phase.id.clone(),
            });
        }
    }
    let mut fired = Vec::new();
    for kind in due {
        let inserted = sqlx::query(
            "INSERT OR IGNORE INTO budget_notices (run_id, notice, committed, cap, fired_at_ms) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(run.as_str())
        .bind(kind.key())
        .bind(committed.0)
        .bind(cap.0)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
        if inserted.rows_affected() == 0 {
            continue;
        }
        let subject = Subject {
            run_id: Some(run.as_str()),
            episode_id: None,
        };
        match &kind {
            &NoticeKind::Threshold { threshold } => {
                let event = JournalEvent::BudgetThreshold {
                    threshold,
                    percent: threshold.percent(),
                    committed,
                    cap,
                };
                append(conn, now_ms, subject, &event).await?;
            }
            NoticeKind::PhaseOver { phase } => {
                let (settled, reserved) = spend.phase(phase);
                let event = JournalEvent::BudgetPhaseOver {
                    phase: phase.clone(),
                    committed: settled + reserved,
                    allocation: budget.allocation(phase),
                    cap,
                };
                append(conn, now_ms, subject, &event).await?;
            }
        }
        fired.push(BudgetNotice {
            kind,
            committed,
            cap,
            fired_at_ms: now_ms,
        });
    }
    Ok(fired)
}

/// A `budget_notices` row as stored.
#[derive(FromRow)]
struct NoticeRow {
    notice: Text<NoticeKind>,
    committed: i64,
    cap: i64,
    fired_at_ms: i64,
}

async fn notices_of(conn: &mut SqliteConnection, run: &RunId) -> Result<Vec<BudgetNotice>, StoreError> {
    let rows = sqlx::query_as::<_, NoticeRow>("SELECT * FROM budget_notices WHERE run_id = ? ORDER BY rowid")
        .bind(run.as_str())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| BudgetNotice {
            kind: row.notice.0,
            committed: Money(row.committed),
            cap: Money(row.cap),
            fired_at_ms: row.fired_at_ms,
        })
        .collect())
}

impl Store {
    /// Raises the run's cap, and its episode's copy with it. Notices that fired stay fired (they are history, and a producer
    /// who raised the cap has already been told); a run parked at the halt can be resumed afterwards.
    /// A cap that is not higher than the current one is refused: lowering it could put the run over its cap.
    pub async fn raise_cap(&self, run: &RunId, new_cap: Money, now_ms: i64) -> Result<Money, StoreError> {
        let (store, run) = (self.clone(), run.clone());
        crate::provider_calls::detached(async move { store.raise_cap_now(&run, new_cap, now_ms).await }).await
    }

    async fn raise_cap_now(&self, run: &RunId, new_cap: Money, now_ms: i64) -> Result<Money, StoreError> {
        let mut tx = self.write().await?;
        let RunBudget { cap, episode_id, .. } = budget_of(&mut tx, run).await?;
        if new_cap <= cap {
            return Err(StoreError::CapNotRaised {
                cap,
                requested: new_cap,
            });
        }
        sqlx::query("UPDATE runs SET budget_cap = ? WHERE id = ?")
            .bind(new_cap.0)
            .bind(run.as_str())
            .execute(&mut *tx)
            .await?;
        if let Some(episode_id) = &episode_id {
            sqlx::query("UPDATE episodes SET budget_cap = ?, updated_at_ms = ? WHERE id = ?")
                .bind(new_cap.0)
                .bind(now_ms)
                .bind(episode_id)
                .execute(&mut *tx)
                .await?;
        }
        let subject = Subject {
            run_id: Some(run.as_str()),
            episode_id: episode_id.as_deref(),
        };
        append(
            &mut tx,
            now_ms,
            subject,
            &JournalEvent::BudgetCapRaised { from: cap, to: new_cap },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(cap)
    }

    /// The notices the run fired, oldest first (at most one of each kind), without the rest of the ledger: the
    /// app-wide event carries them, and reading every call on every change would be too much.
    pub async fn budget_notices(&self, run: &RunId) -> Result<Vec<BudgetNotice>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        notices_of(&mut conn, run).await
    }

    /// The run's split of its cap over its phases (`None` for a run that has none).
    pub async fn budget_split(&self, run: &RunId) -> Result<Option<BudgetSplit>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Ok(budget_of(&mut conn, run).await?.split)
    }

    /// The run's budget: cap, settled, reserved, per phase, every call and the notices fired.
    pub async fn ledger(&self, run: &RunId) -> Result<crate::Ledger, StoreError> {
        // One read transaction: a snapshot, so settled + reserved is never a mix of before and after a write.
        let mut tx = self.pool().begin().await?;
        let budget = budget_of(&mut tx, run).await?;
        let spend = spend_of(&mut tx, run).await?;
        let calls = crate::provider_calls::all_of(&mut tx, run).await?;
        let notices = notices_of(&mut tx, run).await?;
        tx.commit().await?;
        // The run's phases in its pipeline's order, then any phase spent from that the split lacks (none, unless
        // the run predates its split).
        let planned = budget.split.iter().flat_map(|split| split.phases());
        let mut phases: Vec<(PhaseId, String)> = planned.map(|p| (p.id.clone(), p.label.clone())).collect();
        for phase in spend.0.keys() {
            if !phases.iter().any(|(id, _)| id == phase) {
                phases.push((phase.clone(), phase.to_string()));
            }
        }
        let by_phase = phases
            .into_iter()
            .map(|(phase, label)| {
                let sums = spend.of(&phase);
                crate::PhaseSpend {
                    allocation: budget.allocation(&phase),
                    phase,
                    label,
                    settled: sums.settled,
                    reserved: sums.reserved,
                    unconfirmed: sums.ambiguous,
                }
            })
            .collect();
        let cap = budget.cap;
        Ok(crate::Ledger {
            run_id: run.clone(),
            cap,
            settled: spend.settled(),
            reserved: spend.reserved(),
            unconfirmed: spend.ambiguous(),
            by_phase,
            calls,
            notices,
        })
    }
}
