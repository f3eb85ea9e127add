//! The paid-call protocol: every provider call that costs money goes through [`StageContext::paid_call`].
//!
//! 1. A call already settled under the same run and key is not made again: its stored answer is returned.
//! 2. An intent left open by an earlier attempt (the process died mid-call) is flagged ambiguous, and the call
//!    is re-sent once. The ambiguous call stays counted at its reservation (the provider may have billed it),
//!    so the re-send needs room for both. If a key already has two cut-off calls, it is not sent a third
//!    time: the producer is asked to check the provider's billing first.
//! 3. Otherwise the worst case is reserved (a refusal is a `budget_exhausted` error, on which the engine parks
//!    the run), the call is made, and the reservation is settled to what the provider billed. A failed call is
//!    settled too: to the priced usage of a reply that came back unusable, to its reservation when that
//!    reply's usage was unreadable, or to nothing when no reply came back.
//!
//! 4. An answer the stage rejects (it broke its contract after every correction request) is marked so: still
//!    billed, never replayed, so retrying the stage asks anew instead of failing on the same paid answer.
//!
//! The engine also flags, before it drives a run again, every intent a crashed process left open, so no call
//! rests as an open intent even if the stage no longer makes it.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use showrunner_domain::{EpisodeId, Money, StageCode};
use showrunner_store::{CallFailure, CallSettlement, CallStatus, NewCall, PromptStamp, StoreError};
use tracing::{info, warn};

use crate::{BudgetState, ErrorClass, RunChanged, StageContext, StageError};

/// A paid call about to be made.
#[derive(Debug, Clone, PartialEq)]
pub struct PaidCall {
    /// Stable across a resume, and different for different requests: e.g. the stage id and a hash of the
    /// request. A finished call with the same key is reused instead of made again.
    pub key: String,
    pub provider: String,
    pub model: String,
    /// The worst case, reserved against the cap before the call goes out (estimated input plus the output
    /// limit at full price, or characters for speech).
    pub estimate: Money,
    /// The prompt template the request was rendered from, recorded on the ledger row.
    pub prompt: Option<PromptStamp>,
    /// Names the answer regardless of run and line: a settled answer under it in any run of the same show is
    /// reused, and nothing is paid (a speech take another episode already bought).
    pub reuse_key: Option<String>,
}

/// What a successful provider call returns to the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct PaidResult<T> {
    pub value: T,
    /// What the provider billed, from its reported usage.
    pub cost: Money,
    pub usage: serde_json::Value,
    /// The price-table row the cost was computed with.
    pub price_row: Option<String>,
    pub request_id: Option<String>,
}

/// A failed provider call, with what the provider billed for it: nothing when no reply came back, but an
/// answer that came back and could not be used (cut off, refused, malformed) was paid for all the same.
#[derive(Debug, Clone, PartialEq)]
pub struct PaidCallError {
    pub error: StageError,
    pub billed: Money,
    /// The usage the bill was priced from, kept on the ledger row.
    pub usage: Option<serde_json::Value>,
    pub price_row: Option<String>,
    pub request_id: Option<String>,
    /// A reply came back but what it cost cannot be known (its usage was unreadable): the call is counted
    /// at its reservation, the worst case, and the ledger row says so.
    pub at_reservation: bool,
}

impl PaidCallError {
    pub fn billed(error: StageError, billed: Money) -> PaidCallError {
        PaidCallError {
            billed,
            ..PaidCallError::from(error)
        }
    }

    /// An unusable reply priced from its usage.
    pub fn priced(
        error: StageError,
        billed: Money,
        usage: serde_json::Value,
        price_row: Option<String>,
        request_id: Option<String>,
    ) -> PaidCallError {
        PaidCallError {
            error,
            billed,
            usage: Some(usage),
            price_row,
            request_id,
            at_reservation: false,
        }
    }

    /// A reply came back whose cost cannot be read: count the reservation.
    pub fn at_reservation(error: StageError) -> PaidCallError {
        PaidCallError {
            at_reservation: true,
            ..PaidCallError::from(error)
        }
    }
}

impl From<StageError> for PaidCallError {
    fn from(error: StageError) -> PaidCallError {
        PaidCallError {
            error,
            billed: Money::ZERO,
            usage: None,
            price_row: None,
            request_id: None,
            at_reservation: false,
        }
    }
}

/// A paid call's answer and what this call added to the bill.
#[derive(Debug, Clone, PartialEq)]
pub struct PaidOutcome<T> {
    pub value: T,
    /// Zero when the answer was reused from an earlier, already paid call.
    pub cost: Money,
    pub reused: bool,
    /// The episode whose paid call answered, when the answer came from another call under the same reuse key.
    pub reused_from: Option<EpisodeId>,
}

impl StageError {
    /// The cap refused a paid call. Not retried: the run parks until the producer raises the budget.
    pub fn budget_exhausted(message: impl Into<String>) -> StageError {
        StageError {
            code: StageCode::BudgetExhausted,
            message: message.into(),
            class: ErrorClass::Budget,
            retry_after: None,
            provider: None,
        }
    }
}

fn store_error(e: StoreError) -> StageError {
    StageError::from_store(e)
}

impl StageContext {
    /// Makes a paid provider call through the ledger (see the module docs for the protocol). `send` is called
    /// at most once, and not at all when the key's answer is already paid for.
    pub async fn paid_call<T, F, Fut>(&self, call: PaidCall, send: F) -> Result<PaidOutcome<T>, StageError>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<PaidResult<T>, PaidCallError>>,
    {
        let history = self
            .store
            .calls_with_key(&self.run.id, &call.key)
            .await
            .map_err(store_error)?;
        if let Some(done) = history.iter().rev().find(|c| c.reusable()) {
            info!(key = %call.key, call_id = done.id, "reused a paid call's answer");
            let stored = done.result.clone().unwrap_or_default();
            let value = serde_json::from_value(stored).map_err(|e| {
                StageError::terminal(
                    StageCode::StoredResultUnreadable,
                    format!(
                        "the saved answer of '{}' can no longer be read ({e}); run the episode again",
                        call.key
                    ),
                )
            })?;
            return Ok(PaidOutcome {
                value,
                cost: Money::ZERO,
                reused: true,
                reused_from: None,
            });
        }
        if let Some(reuse_key) = &call.reuse_key {
            let shared = self
                .store
                .shared_answer(&self.run.id, reuse_key)
                .await
                .map_err(store_error)?;
            if let Some((done, episode)) = shared {
                // Unreadable (an older format): pay for a fresh answer rather than fail the stage.
                if let Some(value) = done.result.clone().and_then(|r| serde_json::from_value(r).ok()) {
                    info!(key = %call.key, call_id = done.id, "reused a show's paid answer from another call");
                    return Ok(PaidOutcome {
                        value,
                        cost: Money::ZERO,
                        reused: true,
                        reused_from: Some(episode),
                    });
                }
            }
        }

        let mut cut_off = history.iter().filter(|c| c.ambiguous).count();
        if let Some(open) = history.iter().find(|c| c.status == CallStatus::Intent) {
            if open.attempt_id == Some(self.attempt_id) {
                return Err(StageError::terminal(
                    StageCode::DuplicateCall,
                    format!(
                        "'{}' is already being called by this stage; give each request its own key",
                        call.key
                    ),
                ));
            }
            // Left by an earlier attempt: a run is driven by one task, so that attempt's process is gone.
            self.store
                .mark_ambiguous(open.id, self.clock.now_ms())
                .await
                .map_err(store_error)?;
            self.announce();
            cut_off += 1;
        }
        if cut_off >= 2 {
            return Err(StageError::terminal(
                StageCode::AmbiguousCall,
                format!(
                    "the call to {} for '{}' was cut off twice before its answer was saved, so it may have been \
                     billed twice already; check the provider's usage page before running the episode again",
                    call.provider, call.key
                ),
            ));
        }
        if cut_off == 1 {
            warn!(key = %call.key, "an earlier try of this call was cut off mid-flight; re-sending it once");
        }
        if self.cancel.is_cancelled() {
            return Err(StageError::terminal(StageCode::Cancelled, "the run was cancelled"));
        }

        let intent = NewCall {
            run_id: self.run.id.clone(),
            stage: self.spec.id.clone(),
            attempt_id: Some(self.attempt_id),
            call_key: call.key.clone(),
            // Booked under the stage's phase: the pipeline declares it, the call does not restate it.
            phase: self.spec.phase.clone(),
            provider: call.provider.clone(),
            model: call.model.clone(),
            reserve: call.estimate,
            prompt: call.prompt.clone(),
            reuse_key: call.reuse_key.clone(),
        };
        let reserved = match self.store.reserve_call(&intent, self.clock.now_ms()).await {
            Ok(reserved) => reserved,
            Err(refused @ StoreError::BudgetExceeded { .. }) => {
                // The refusal was journaled and may have fired the halt.
                self.announce();
                warn!(key = %call.key, "the budget cap refused a paid call");
                return Err(StageError::budget_exhausted(refused.to_string()));
            }
            Err(e) => return Err(store_error(e)),
        };
        for notice in &reserved.fired {
            info!(notice = ?notice.kind, committed = %notice.committed, cap = %notice.cap, "budget notice fired");
        }
        self.announce();
        let call_id = reserved.call.id;

        let outcome = tokio::select! {
            outcome = send() => outcome,
            _ = self.cancel.cancelled() => {
                // Cut off mid-flight by a cancel: the provider may have billed it.
                if let Err(e) = self.store.mark_ambiguous(call_id, self.clock.now_ms()).await {
                    warn!(error = %e, "could not release a cancelled call; cancelling the run releases it");
                }
                self.announce();
                return Err(StageError::terminal(StageCode::Cancelled, "the run was cancelled"));
            }
        };
        let now = self.clock.now_ms();
        let result = match outcome {
            Ok(paid) => match serde_json::to_value(&paid.value) {
                Ok(answer) => {
                    let settlement = CallSettlement {
                        cost: paid.cost,
                        usage: paid.usage,
                        price_row: paid.price_row,
                        request_id: paid.request_id,
                        result: answer,
                    };
                    self.store
                        .settle_call(call_id, &settlement, now)
                        .await
                        .map(|_| PaidOutcome {
                            value: paid.value,
                            cost: paid.cost,
                            reused: false,
                            reused_from: None,
                        })
                        .map_err(store_error)
                }
                Err(e) => {
                    // Paid for, but not storable, so it could not be reused: record the cost, fail the call.
                    let error =
                        StageError::terminal(StageCode::InvalidOutput, format!("the answer cannot be saved: {e}"));
                    self.store
                        .fail_call(call_id, error.code.as_str(), paid.cost, now)
                        .await
                        .map_err(store_error)
                        .and(Err(error))
                }
            },
            Err(failure) => {
                let record = CallFailure {
                    error_code: failure.error.code.to_string(),
                    cost: failure.billed,
                    usage: failure.usage,
                    price_row: failure.price_row,
                    request_id: failure.request_id,
                    counted_at_reservation: failure.at_reservation,
                };
                self.store
                    .fail_billed_call(call_id, &record, now)
                    .await
                    .map_err(store_error)
                    .and(Err(failure.error))
            }
        };
        self.announce();
        result
    }

    /// The answers under `keys` broke their contract after every correction: they stay on the bill, but a
    /// retry of the stage asks the provider again rather than replaying answers known to be unusable.
    pub async fn reject_answers(&self, keys: &[String]) -> Result<(), StageError> {
        if keys.is_empty() {
            return Ok(());
        }
        let marked = self
            .store
            .reject_answers(&self.run.id, keys, self.clock.now_ms())
            .await
            .map_err(store_error)?;
        info!(marked, "unusable answers will be asked again on a retry");
        Ok(())
    }

    /// Where the run stands against its cap now, so a stage can take a cheaper route or skip optional work
    /// from 95 % on.
    pub async fn budget_state(&self) -> Result<BudgetState, StageError> {
        let ledger = self.store.ledger(&self.run.id).await.map_err(store_error)?;
        Ok(BudgetState::of_ledger(&ledger))
    }

    /// Ledger changes are run changes: the Run view shows spend and notices.
    fn announce(&self) {
        // No listener is fine: announcements are hints to refresh.
        let _ = self.changes.send(RunChanged {
            run_id: self.run.id.clone(),
            episode_id: self.run.episode_id.clone(),
        });
    }
}
