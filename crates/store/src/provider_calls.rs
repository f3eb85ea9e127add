//! Paid provider calls: reserve before the call goes out, settle (or fail, or release) when it is over.
//!
//! The invariant, under any concurrency of tasks or processes: settled + reserved + ambiguous ≤ cap. It holds
//! because the check and the insert of a reservation are one `BEGIN IMMEDIATE` transaction, so no two
//! reservations can both see the same room under the cap (a pre-call check with spend updated afterwards lets
//! concurrent calls through together). An ambiguous call (cut off mid-flight, maybe billed) keeps its
//! reservation counted until it is resolved, so re-sending it needs room for both. The one exception is a
//! provider billing more than was reserved; see `settle_call`.

use std::future::Future;

use serde_json::json;
use showrunner_domain::{EpisodeId, Money, PhaseId, RunId, StageId};
use sqlx::types::{Json, Text};
use sqlx::{FromRow, SqliteConnection};

use crate::budget::{budget_of, fire_notices, spend_of};
use crate::error::is_unique_violation;
use crate::journal::{append, Subject};
use crate::kept_outcomes::{Kept, KeptOutcome};
use crate::JournalEvent;
use crate::{
    CallFailure, CallRecord, CallSettlement, CallStatus, CallUpdate, NewCall, PromptStamp, Store, StoreError,
    UNREADABLE_USAGE_NOTE,
};

/// Runs a ledger write on its own task. A caller dropped mid-write (a stage aborted when its run is cancelled)
/// could otherwise cut sqlx off between `BEGIN IMMEDIATE` and handing back the transaction, leaving a pooled
/// connection that holds the write lock and locks every other writer out.
pub(crate) async fn detached<T: Send + 'static>(
    work: impl Future<Output = Result<T, StoreError>> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::spawn(work).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Only when the runtime shuts down under it.
        Err(_) => Err(StoreError::Database(sqlx::Error::PoolClosed)),
    }
}

/// A `provider_calls` row as stored.
#[derive(FromRow)]
struct CallRow {
    id: i64,
    run_id: String,
    stage: String,
    attempt_id: Option<i64>,
    call_key: String,
    phase: Text<PhaseId>,
    provider: String,
    model: String,
    reserved: i64,
    status: Text<CallStatus>,
    cost: i64,
    // `Option<Json<_>>`, not `#[sqlx(json(nullable))]`: that reads a stored JSON `null` as no value.
    usage: Option<Json<serde_json::Value>>,
    price_row: Option<String>,
    request_id: Option<String>,
    result: Option<Json<serde_json::Value>>,
    rejected_at_ms: Option<i64>,
    ambiguous: bool,
    error_code: Option<String>,
    created_at_ms: i64,
    finished_at_ms: Option<i64>,
    #[sqlx(flatten)]
    prompt: StampRow,
    reuse_key: Option<String>,
}

impl From<CallRow> for CallRecord {
    fn from(row: CallRow) -> CallRecord {
        CallRecord {
            id: row.id,
            run_id: RunId(row.run_id),
            stage: StageId(row.stage),
            attempt_id: row.attempt_id,
            call_key: row.call_key,
            phase: row.phase.0,
            provider: row.provider,
            model: row.model,
            reserved: Money(row.reserved),
            status: row.status.0,
            cost: Money(row.cost),
            usage: row.usage.map(|u| u.0),
            price_row: row.price_row,
            request_id: row.request_id,
            result: row.result.map(|r| r.0),
            rejected: row.rejected_at_ms.is_some(),
            ambiguous: row.ambiguous,
            error_code: row.error_code,
            created_at_ms: row.created_at_ms,
            finished_at_ms: row.finished_at_ms,
            prompt: row.prompt.stamp(),
            reuse_key: row.reuse_key,
        }
    }
}

/// The prompt columns of a call row, all NULL unless a model call rendered a template.
#[derive(FromRow)]
struct StampRow {
    template_id: Option<String>,
    template_version: Option<i64>,
    prompt_sha256: Option<String>,
}

impl StampRow {
    fn stamp(self) -> Option<PromptStamp> {
        Some(PromptStamp {
            template_id: self.template_id?,
            template_version: u32::try_from(self.template_version.unwrap_or(1)).unwrap_or(1),
            prompt_sha256: self.prompt_sha256.unwrap_or_default(),
        })
    }
}

/// A call row with the episode whose run paid for it (see `shared_answer`).
#[derive(FromRow)]
struct SharedRow {
    #[sqlx(flatten)]
    call: CallRow,
    paid_episode: String,
}

async fn load(conn: &mut SqliteConnection, id: i64) -> Result<CallRecord, StoreError> {
    let row = sqlx::query_as::<_, CallRow>("SELECT * FROM provider_calls WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "Provider call",
            id: id.to_string(),
        })?;
    Ok(row.into())
}

pub(crate) async fn all_of(conn: &mut SqliteConnection, run: &RunId) -> Result<Vec<CallRecord>, StoreError> {
    let rows = sqlx::query_as::<_, CallRow>("SELECT * FROM provider_calls WHERE run_id = ? ORDER BY id")
        .bind(run.as_str())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(CallRecord::from).collect())
}

fn run_subject(call: &CallRecord) -> Subject<'_> {
    Subject {
        run_id: Some(call.run_id.as_str()),
        episode_id: None,
    }
}

/// Refuses to close a call that already has an outcome. A `released` call may still get one: it was cut off
/// (cancel, or judged lost after a crash) but its answer arrived after all, and that cost is real.
fn ensure_closable(current: &CallRecord) -> Result<(), StoreError> {
    match current.status {
        CallStatus::Intent | CallStatus::Released => Ok(()),
        CallStatus::Settled | CallStatus::Failed => Err(StoreError::Stale {
            what: "Provider call",
            id: current.id.to_string(),
            status: current.status.as_str().to_owned(),
        }),
    }
}

/// Closes, in one transaction, the run's open intents (only `attempt`'s, when given), flagging them
/// ambiguous: each was out when the run stopped, so the provider may have billed it, and its reservation stays
/// counted until it is resolved. `reason` is kept as the calls' error code.
async fn release_open(
    store: &Store,
    run: &RunId,
    attempt: Option<i64>,
    reason: &str,
    now_ms: i64,
) -> Result<Vec<CallRecord>, StoreError> {
    let mut tx = store.write().await?;
    let rows = sqlx::query_as::<_, CallRow>(
        "UPDATE provider_calls SET status = 'released', ambiguous = 1, error_code = ?1, finished_at_ms = ?2
          WHERE run_id = ?3 AND status = 'intent' AND (?4 IS NULL OR attempt_id = ?4) RETURNING *",
    )
    .bind(reason)
    .bind(now_ms)
    .bind(run.as_str())
    .bind(attempt)
    .fetch_all(&mut *tx)
    .await?;
    let released: Vec<CallRecord> = rows.into_iter().map(CallRecord::from).collect();
    if !released.is_empty() {
        let ids: Vec<i64> = released.iter().map(|c| c.id).collect();
        let total: Money = released.iter().map(|c| c.reserved).sum();
        let subject = Subject {
            run_id: Some(run.as_str()),
            episode_id: None,
        };
        let event = JournalEvent::ProviderCallsReleased {
            call_ids: ids,
            reason: reason.to_string(),
            released: total,
        };
        append(&mut tx, now_ms, subject, &event).await?;
    }
    crate::kill_points::commit(tx).await?;
    Ok(released)
}

impl Store {
    /// Reserves `call.reserve` against the run's cap and records the call's intent, in one transaction.
    ///
    /// Refused with [`StoreError::BudgetExceeded`] (nothing reserved) when settled + reserved + this would
    /// cross the cap; the refusal is journaled and fires the halt notice. Otherwise returns the intent row and
    /// the notices the new total fired. A second open intent for the same key is refused as stale.
    pub async fn reserve_call(&self, call_in: &NewCall, now_ms: i64) -> Result<CallUpdate, StoreError> {
        let (store, call_in) = (self.clone(), call_in.clone());
        detached(async move { store.reserve_now(&call_in, now_ms).await }).await
    }

    async fn reserve_now(&self, call_in: &NewCall, now_ms: i64) -> Result<CallUpdate, StoreError> {
        if call_in.reserve < Money::ZERO {
            return Err(StoreError::InvalidAmount(format!(
                "a reservation of {}",
                call_in.reserve
            )));
        }
        let mut tx = self.write().await?;
        let budget = budget_of(&mut tx, &call_in.run_id).await?;
        let cap = budget.cap;
        let spend = spend_of(&mut tx, &call_in.run_id).await?;
        let committed = spend.committed();
        let subject = Subject {
            run_id: Some(call_in.run_id.as_str()),
            episode_id: None,
        };
        if committed.saturating_add(call_in.reserve) > cap {
            let event = JournalEvent::ProviderCallRefused {
                stage: call_in.stage.clone(),
                call_key: call_in.call_key.clone(),
                phase: call_in.phase.clone(),
                requested: call_in.reserve,
                committed,
                cap,
            };
            append(&mut tx, now_ms, subject, &event).await?;
            fire_notices(&mut tx, &call_in.run_id, &budget, &spend, true, now_ms).await?;
            crate::kill_points::commit(tx).await?;
            return Err(StoreError::BudgetExceeded {
                cap,
                committed,
                requested: call_in.reserve,
            });
        }
        let inserted = sqlx::query_as::<_, CallRow>(
            "INSERT INTO provider_calls (run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status,
                                         created_at_ms, template_id, template_version, prompt_sha256, reuse_key)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'intent', ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(call_in.run_id.as_str())
        .bind(call_in.stage.as_str())
        .bind(call_in.attempt_id)
        .bind(&call_in.call_key)
        .bind(call_in.phase.as_str())
        .bind(&call_in.provider)
        .bind(&call_in.model)
        .bind(call_in.reserve.0)
        .bind(now_ms)
        .bind(call_in.prompt.as_ref().map(|p| p.template_id.as_str()))
        .bind(call_in.prompt.as_ref().map(|p| i64::from(p.template_version)))
        .bind(call_in.prompt.as_ref().map(|p| p.prompt_sha256.as_str()))
        .bind(call_in.reuse_key.as_deref())
        .fetch_one(&mut *tx)
        .await;
        let row = match inserted {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Stale {
                    what: "Provider call",
                    id: call_in.call_key.clone(),
                    status: "in flight".into(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        let record = CallRecord::from(row);
        let event = JournalEvent::ProviderCallReserved {
            call_id: record.id,
            stage: record.stage.clone(),
            attempt_id: record.attempt_id,
            call_key: record.call_key.clone(),
            phase: record.phase.clone(),
            provider: record.provider.clone(),
            model: record.model.clone(),
            reserved: record.reserved,
        };
        append(&mut tx, now_ms, subject, &event).await?;
        let spend = spend_of(&mut tx, &call_in.run_id).await?;
        let fired = fire_notices(&mut tx, &call_in.run_id, &budget, &spend, false, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(CallUpdate { call: record, fired })
    }

    /// Records what a returned call cost and its answer; its reservation is replaced by the actual cost. When
    /// the storage fails the write, the settlement is kept and written later (see `kept_outcomes`).
    ///
    /// The cost is recorded as billed even when it exceeds the reservation (the provider reported more than the
    /// worst case we estimated). That is the one way settled + reserved can pass the cap: the money is already
    /// spent, and hiding it would be worse. The overshoot is bounded by that call's excess, the halt notice
    /// fires, and no further reservation fits until the cap is raised.
    pub async fn settle_call(
        &self,
        call_id: i64,
        settlement: &CallSettlement,
        now_ms: i64,
    ) -> Result<CallUpdate, StoreError> {
        let (store, kept) = (self.clone(), settlement.clone());
        let settled = detached(async move { store.settle_now(call_id, &kept, now_ms).await }).await;
        if let Err(e) = &settled {
            if e.is_storage_failure() {
                let outcome = KeptOutcome::Settled {
                    settlement: settlement.clone(),
                };
                self.keep_outcome(Kept { call_id, outcome });
            }
        }
        settled
    }

    pub(crate) async fn settle_now(
        &self,
        call_id: i64,
        settlement: &CallSettlement,
        now_ms: i64,
    ) -> Result<CallUpdate, StoreError> {
        if settlement.cost < Money::ZERO {
            return Err(StoreError::InvalidAmount(format!("a cost of {}", settlement.cost)));
        }
        let mut tx = self.write().await?;
        let current = load(&mut tx, call_id).await?;
        ensure_closable(&current)?;
        crate::disk_full_fault::before_settle(&mut tx, &current.call_key).await?;
        let row = sqlx::query_as::<_, CallRow>(
            "UPDATE provider_calls SET status = 'settled', cost = ?, usage = ?, price_row = ?, request_id = ?,
                    result = ?, ambiguous = 0, error_code = NULL, finished_at_ms = ?
              WHERE id = ? RETURNING *",
        )
        .bind(settlement.cost.0)
        .bind(settlement.usage.to_string())
        .bind(&settlement.price_row)
        .bind(&settlement.request_id)
        .bind(settlement.result.to_string())
        .bind(now_ms)
        .bind(call_id)
        .fetch_one(&mut *tx)
        .await?;
        let record = CallRecord::from(row);
        let event = JournalEvent::ProviderCallSettled {
            call_id: record.id,
            call_key: record.call_key.clone(),
            stage: record.stage.clone(),
            phase: record.phase.clone(),
            reserved: record.reserved,
            cost: record.cost,
            over_reservation: record.cost > record.reserved,
            was: current.status.as_str().to_owned(),
            price_row: record.price_row.clone(),
            request_id: record.request_id.clone(),
        };
        append(&mut tx, now_ms, run_subject(&record), &event).await?;
        let fired = notices_after_change(&mut tx, &record.run_id, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(CallUpdate { call: record, fired })
    }

    /// Records that a call failed with nothing billed but `billed`, freeing its reservation: shorthand for
    /// [`Store::fail_billed_call`] without usage.
    pub async fn fail_call(
        &self,
        call_id: i64,
        error_code: &str,
        billed: Money,
        now_ms: i64,
    ) -> Result<CallUpdate, StoreError> {
        let failure = CallFailure {
            error_code: error_code.to_owned(),
            cost: billed,
            ..CallFailure::default()
        };
        self.fail_billed_call(call_id, &failure, now_ms).await
    }

    /// Records that a call failed, replacing its reservation with what the provider billed for it: nothing
    /// when no reply came back, the priced usage of a reply that could not be used (cut off, refused,
    /// malformed), or the whole reservation when a reply came back whose usage could not be read.
    pub async fn fail_billed_call(
        &self,
        call_id: i64,
        failure: &CallFailure,
        now_ms: i64,
    ) -> Result<CallUpdate, StoreError> {
        let (store, kept) = (self.clone(), failure.clone());
        let failed = detached(async move { store.fail_now(call_id, &kept, now_ms).await }).await;
        if let Err(e) = &failed {
            // The provider billed this reply; a full disk must not make the next run pay for it again.
            if e.is_storage_failure() {
                let outcome = KeptOutcome::Failed {
                    failure: failure.clone(),
                };
                self.keep_outcome(Kept { call_id, outcome });
            }
        }
        failed
    }

    pub(crate) async fn fail_now(
        &self,
        call_id: i64,
        failure: &CallFailure,
        now_ms: i64,
    ) -> Result<CallUpdate, StoreError> {
        let mut tx = self.write().await?;
        let current = load(&mut tx, call_id).await?;
        ensure_closable(&current)?;
        let (cost, usage) = if failure.counted_at_reservation {
            // The worst case is all that is known: never less than the truth, and the row says why.
            let mut usage = failure.usage.clone().unwrap_or_else(|| json!({}));
            if let Some(map) = usage.as_object_mut() {
                map.insert("counted_at_reservation".into(), json!(true));
                map.insert("note".into(), json!(UNREADABLE_USAGE_NOTE));
            }
            (current.reserved.max(failure.cost), Some(usage))
        } else {
            (failure.cost, failure.usage.clone())
        };
        if cost < Money::ZERO {
            return Err(StoreError::InvalidAmount(format!("a cost of {cost}")));
        }
        let row = sqlx::query_as::<_, CallRow>(
            "UPDATE provider_calls SET status = 'failed', cost = ?, error_code = ?, finished_at_ms = ?,
                    usage = COALESCE(?, usage), price_row = COALESCE(?, price_row),
                    request_id = COALESCE(?, request_id)
              WHERE id = ? RETURNING *",
        )
        .bind(cost.0)
        .bind(&failure.error_code)
        .bind(now_ms)
        .bind(usage.as_ref().map(|u| u.to_string()))
        .bind(&failure.price_row)
        .bind(&failure.request_id)
        .bind(call_id)
        .fetch_one(&mut *tx)
        .await?;
        let record = CallRecord::from(row);
        let event = JournalEvent::ProviderCallFailed {
            call_id: record.id,
            call_key: record.call_key.clone(),
            stage: record.stage.clone(),
            phase: record.phase.clone(),
            error_code: failure.error_code.clone(),
            cost: record.cost,
            was: current.status.as_str().to_owned(),
            price_row: record.price_row.clone(),
            request_id: record.request_id.clone(),
            counted_at_reservation: failure.counted_at_reservation,
        };
        append(&mut tx, now_ms, run_subject(&record), &event).await?;
        let fired = notices_after_change(&mut tx, &record.run_id, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(CallUpdate { call: record, fired })
    }

    /// An intent whose outcome will never be known (its process died, or its task was cut off): flags it
    /// ambiguous, in one transaction. Its reservation stays counted until it is resolved.
    pub async fn mark_ambiguous(&self, call_id: i64, now_ms: i64) -> Result<CallRecord, StoreError> {
        let store = self.clone();
        detached(async move { store.mark_ambiguous_now(call_id, now_ms).await }).await
    }

    async fn mark_ambiguous_now(&self, call_id: i64, now_ms: i64) -> Result<CallRecord, StoreError> {
        let mut tx = self.write().await?;
        let current = load(&mut tx, call_id).await?;
        if current.status != CallStatus::Intent {
            return Err(StoreError::Stale {
                what: "Provider call",
                id: call_id.to_string(),
                status: current.status.as_str().to_owned(),
            });
        }
        let row = sqlx::query_as::<_, CallRow>(
            "UPDATE provider_calls SET status = 'released', ambiguous = 1, error_code = 'interrupted',
                    finished_at_ms = ?
              WHERE id = ? RETURNING *",
        )
        .bind(now_ms)
        .bind(call_id)
        .fetch_one(&mut *tx)
        .await?;
        let record = CallRecord::from(row);
        let event = JournalEvent::ProviderCallAmbiguous {
            call_id: record.id,
            call_key: record.call_key.clone(),
            stage: record.stage.clone(),
            reserved: record.reserved,
        };
        append(&mut tx, now_ms, run_subject(&record), &event).await?;
        crate::kill_points::commit(tx).await?;
        Ok(record)
    }

    /// Cancellation: closes every intent the run still holds. The calls are flagged ambiguous (they were cut
    /// off mid-flight and may have been billed), so their reservations stay counted. Returns how many.
    pub async fn release_open_calls(&self, run: &RunId, now_ms: i64) -> Result<u64, StoreError> {
        let (store, run) = (self.clone(), run.clone());
        let released = detached(async move { release_open(&store, &run, None, "cancelled", now_ms).await }).await?;
        Ok(released.len() as u64)
    }

    /// Before a run is driven again after a crash: every intent left open belongs to a process that died
    /// mid-call. They are flagged ambiguous (still counted at their reservation); returns them.
    pub async fn release_interrupted_calls(&self, run: &RunId, now_ms: i64) -> Result<Vec<CallRecord>, StoreError> {
        let (store, run) = (self.clone(), run.clone());
        detached(async move { release_open(&store, &run, None, "interrupted", now_ms).await }).await
    }

    /// After a stage attempt's work returned: an intent of that attempt still open is a call the stage
    /// dropped mid-flight (nothing of the attempt runs any more). Flagged ambiguous, so no call rests as an
    /// open intent; its reservation stays counted. Returns them.
    pub async fn release_abandoned_calls(
        &self,
        run: &RunId,
        attempt_id: i64,
        now_ms: i64,
    ) -> Result<Vec<CallRecord>, StoreError> {
        let (store, run) = (self.clone(), run.clone());
        detached(async move { release_open(&store, &run, Some(attempt_id), "abandoned", now_ms).await }).await
    }

    /// The producer checked the provider's usage page: an ambiguous call cost `billed`. Its reservation is
    /// replaced by that amount (zero when the provider never billed it), which frees the rest for the run.
    pub async fn resolve_ambiguous(&self, call_id: i64, billed: Money, now_ms: i64) -> Result<CallUpdate, StoreError> {
        let store = self.clone();
        detached(async move { store.resolve_now(call_id, billed, now_ms).await }).await
    }

    async fn resolve_now(&self, call_id: i64, billed: Money, now_ms: i64) -> Result<CallUpdate, StoreError> {
        if billed < Money::ZERO {
            return Err(StoreError::InvalidAmount(format!("a cost of {billed}")));
        }
        let mut tx = self.write().await?;
        let current = load(&mut tx, call_id).await?;
        if !(current.ambiguous && current.status == CallStatus::Released) {
            return Err(StoreError::Stale {
                what: "Ambiguous call",
                id: call_id.to_string(),
                status: current.status.as_str().to_owned(),
            });
        }
        let row = sqlx::query_as::<_, CallRow>(
            "UPDATE provider_calls SET status = 'failed', cost = ?, ambiguous = 0, error_code = 'resolved_by_producer',
                    finished_at_ms = ?
              WHERE id = ? RETURNING *",
        )
        .bind(billed.0)
        .bind(now_ms)
        .bind(call_id)
        .fetch_one(&mut *tx)
        .await?;
        let record = CallRecord::from(row);
        let event = JournalEvent::ProviderCallResolved {
            call_id: record.id,
            call_key: record.call_key.clone(),
            stage: record.stage.clone(),
            phase: record.phase.clone(),
            reserved: record.reserved,
            cost: record.cost,
        };
        append(&mut tx, now_ms, run_subject(&record), &event).await?;
        let fired = notices_after_change(&mut tx, &record.run_id, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(CallUpdate { call: record, fired })
    }

    /// Every call the run made under `call_key`, oldest first.
    pub async fn calls_with_key(&self, run: &RunId, call_key: &str) -> Result<Vec<CallRecord>, StoreError> {
        let rows =
            sqlx::query_as::<_, CallRow>("SELECT * FROM provider_calls WHERE run_id = ? AND call_key = ? ORDER BY id")
                .bind(run.as_str())
                .bind(call_key)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(CallRecord::from).collect())
    }

    /// The newest reusable answer under `reuse_key` from any run of the show `run` belongs to, with the
    /// episode that paid for it: a speech take another episode already bought is not bought again.
    pub async fn shared_answer(
        &self,
        run: &RunId,
        reuse_key: &str,
    ) -> Result<Option<(CallRecord, EpisodeId)>, StoreError> {
        let row = sqlx::query_as::<_, SharedRow>(
            "SELECT pc.*, paid.episode_id AS paid_episode FROM provider_calls pc
               JOIN runs paid ON paid.id = pc.run_id
               JOIN episodes paid_ep ON paid_ep.id = paid.episode_id
               JOIN episodes this_ep ON this_ep.show_id = paid_ep.show_id
               JOIN runs this ON this.episode_id = this_ep.id
              WHERE this.id = ? AND pc.reuse_key = ? AND pc.status = 'settled' AND pc.rejected_at_ms IS NULL
                AND pc.result IS NOT NULL
              ORDER BY pc.id DESC LIMIT 1",
        )
        .bind(run.as_str())
        .bind(reuse_key)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|row| (row.call.into(), EpisodeId(row.paid_episode))))
    }

    /// The latest settled call under `call_key`, whose result a resumed stage reuses instead of paying again.
    pub async fn finished_call(&self, run: &RunId, call_key: &str) -> Result<Option<CallRecord>, StoreError> {
        let calls = self.calls_with_key(run, call_key).await?;
        Ok(calls.into_iter().rev().find(CallRecord::reusable))
    }

    /// Marks the settled answers under `call_keys` unusable: they stay on the bill, but a later try asks the
    /// provider again instead of replaying them. Returns how many answers were marked.
    pub async fn reject_answers(&self, run: &RunId, call_keys: &[String], now_ms: i64) -> Result<u64, StoreError> {
        let (store, run, keys) = (self.clone(), run.clone(), call_keys.to_vec());
        detached(async move {
            let mut tx = store.write().await?;
            let mut marked = 0;
            for key in &keys {
                marked += sqlx::query(
                    "UPDATE provider_calls SET rejected_at_ms = ?
                      WHERE run_id = ? AND call_key = ? AND status = 'settled' AND rejected_at_ms IS NULL",
                )
                .bind(now_ms)
                .bind(run.as_str())
                .bind(key)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            crate::kill_points::commit(tx).await?;
            Ok(marked)
        })
        .await
    }

    /// The open intent under `call_key`, if any (at most one can exist).
    pub async fn open_intent(&self, run: &RunId, call_key: &str) -> Result<Option<CallRecord>, StoreError> {
        let calls = self.calls_with_key(run, call_key).await?;
        Ok(calls.into_iter().find(|c| c.status == CallStatus::Intent))
    }
}

/// Notices a settled or failed call may fire: a cost above its reservation can cross a threshold.
async fn notices_after_change(
    conn: &mut SqliteConnection,
    run: &RunId,
    now_ms: i64,
) -> Result<Vec<crate::BudgetNotice>, StoreError> {
    let budget = budget_of(conn, run).await?;
    let spend = spend_of(conn, run).await?;
    fire_notices(conn, run, &budget, &spend, false, now_ms).await
}
