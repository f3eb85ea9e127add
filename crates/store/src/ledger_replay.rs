//! Rebuilding a run's ledger from its journal alone. The `provider_call.*` and `budget.*` events must carry
//! everything the ledger's figures are made of; comparing this against [`Store::ledger`](crate::Store::ledger)
//! proves they do.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use showrunner_domain::Money;

use crate::{BudgetThreshold, EventRecord, LedgerPhase, NoticeKind, StoreError};

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

fn field<'a>(event: &'a EventRecord, name: &str) -> Result<&'a Value, StoreError> {
    event
        .payload
        .get(name)
        .ok_or_else(|| StoreError::corrupt(format!("event {} ({}) has no '{name}'", event.seq, event.kind)))
}

fn int(event: &EventRecord, name: &str) -> Result<i64, StoreError> {
    field(event, name)?.as_i64().ok_or_else(|| {
        StoreError::corrupt(format!(
            "event {} ({}): '{name}' is not a number",
            event.seq, event.kind
        ))
    })
}

fn text<'a>(event: &'a EventRecord, name: &str) -> Result<&'a str, StoreError> {
    field(event, name)?
        .as_str()
        .ok_or_else(|| StoreError::corrupt(format!("event {} ({}): '{name}' is not text", event.seq, event.kind)))
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
        match event.kind.as_str() {
            "provider_call.reserved" => {
                let (id, amount) = (int(event, "call_id")?, Money(int(event, "reserved")?));
                ledger.open_calls.insert(id, amount);
                reservations.insert(id, amount);
            }
            "provider_call.settled" | "provider_call.failed" | "provider_call.resolved" => {
                let id = int(event, "call_id")?;
                ledger.open_calls.remove(&id);
                ledger.settled += Money(int(event, "cost")?);
                unresolved.remove(&id);
                // A late failure keeps the call's flag (it was cut off); an answer or a resolution clears it.
                if event.kind != "provider_call.failed" {
                    ledger.ambiguous_calls.remove(&id);
                }
            }
            "provider_call.ambiguous" => cut_off(&mut ledger, int(event, "call_id")?),
            "provider_calls.released" => {
                let ids = field(event, "call_ids")?
                    .as_array()
                    .ok_or_else(|| StoreError::corrupt(format!("event {}: 'call_ids' is not a list", event.seq)))?;
                for id in ids {
                    let id = id.as_i64().ok_or_else(|| {
                        StoreError::corrupt(format!("event {}: a call id is not a number", event.seq))
                    })?;
                    cut_off(&mut ledger, id);
                }
            }
            "budget.threshold" => {
                let name = text(event, "threshold")?;
                let threshold = BudgetThreshold::parse(name)
                    .ok_or_else(|| StoreError::corrupt(format!("unknown threshold '{name}'")))?;
                ledger.notices.push(NoticeKind::Threshold { threshold });
            }
            "budget.phase_over" => {
                let name = text(event, "phase")?;
                let phase =
                    LedgerPhase::parse(name).ok_or_else(|| StoreError::corrupt(format!("unknown phase '{name}'")))?;
                ledger.notices.push(NoticeKind::PhaseOver { phase });
            }
            _ => {}
        }
    }
    ledger.reserved = ledger.open_calls.values().copied().sum();
    ledger.unconfirmed = unresolved.values().copied().sum();
    Ok(ledger)
}
