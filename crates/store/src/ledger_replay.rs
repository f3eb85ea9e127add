//! Rebuilding a run's ledger from its journal alone. The `provider_call.*` and `budget.*` events must carry
//! everything the ledger's figures are made of; comparing this against [`Store::ledger`](crate::Store::ledger)
//! proves they do.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use showrunner_domain::Money;

use crate::{EventRecord, JournalEvent, NoticeKind, StoreError};

/// The ledger's figures as the journal tells them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReplayedLedger {
    pub settled: Money,
    pub reserved: Money,
    /// Notices in the order they fired.
    pub notices: Vec<NoticeKind>,
    /// Calls flagged ambiguous and never settled or resolved afterwards.
    pub ambiguous_calls: BTreeSet<i64>,
    /// The reservations of ambiguous calls with no outcome yet: still counted against the cap.
    pub unconfirmed: Money,
    /// Calls still holding a reservation, with the amount.
    pub open_calls: BTreeMap<i64, Money>,
}

/// A call's outcome: its reservation released, its cost counted.
fn settle(ledger: &mut ReplayedLedger, unresolved: &mut BTreeMap<i64, Money>, call_id: i64, cost: Money) {
    ledger.open_calls.remove(&call_id);
    ledger.settled += cost;
    unresolved.remove(&call_id);
}

/// Folds a run's events (oldest first; other kinds are skipped) into its ledger figures.
pub fn replay_ledger(events: &[EventRecord]) -> Result<ReplayedLedger, StoreError> {
    let mut ledger = ReplayedLedger::default();
    // Every call's reservation, and the ambiguous calls still waiting for an outcome.
    let mut reservations: BTreeMap<i64, Money> = BTreeMap::new();
    let mut unresolved: BTreeMap<i64, Money> = BTreeMap::new();
    for event in events {
        let mut cut_off = |ledger: &mut ReplayedLedger, id: i64| {
            ledger.open_calls.remove(&id);
            ledger.ambiguous_calls.insert(id);
            unresolved.insert(id, reservations.get(&id).copied().unwrap_or_default());
        };
        match event.event()? {
            JournalEvent::ProviderCallReserved { call_id, reserved, .. } => {
                ledger.open_calls.insert(call_id, reserved);
                reservations.insert(call_id, reserved);
            }
            JournalEvent::ProviderCallSettled { call_id, cost, .. }
            | JournalEvent::ProviderCallResolved { call_id, cost, .. } => {
                settle(&mut ledger, &mut unresolved, call_id, cost);
                // An answer or a resolution clears the call's flag.
                ledger.ambiguous_calls.remove(&call_id);
            }
            // A late failure keeps the call's flag (it was cut off).
            JournalEvent::ProviderCallFailed { call_id, cost, .. } => {
                settle(&mut ledger, &mut unresolved, call_id, cost)
            }
            JournalEvent::ProviderCallAmbiguous { call_id, .. } => cut_off(&mut ledger, call_id),
            JournalEvent::ProviderCallsReleased { call_ids, .. } => {
                for id in call_ids {
                    cut_off(&mut ledger, id);
                }
            }
            JournalEvent::BudgetThreshold { threshold, .. } => {
                ledger.notices.push(NoticeKind::Threshold { threshold });
            }
            JournalEvent::BudgetPhaseOver { phase, .. } => {
                ledger.notices.push(NoticeKind::PhaseOver { phase });
            }
            _ => {}
        }
    }
    ledger.reserved = ledger.open_calls.values().copied().sum();
    ledger.unconfirmed = unresolved.values().copied().sum();
    Ok(ledger)
}
