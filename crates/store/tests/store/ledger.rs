//! The budget ledger against a real SQLite file: reservations, settlement, thresholds, phases, and the
//! invariant settled + reserved + ambiguous ≤ cap under concurrent writers, including two store handles on one
//! file.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use showrunner_domain::{BrandVoice, Money, NewEpisode, PhaseId, RunId, StageId};
use showrunner_store::{
    replay_ledger, BudgetThreshold, CallFailure, CallSettlement, CallStatus, NewCall, NoticeKind, Store, StoreError,
};
use tokio::sync::Barrier;

fn cents(n: i64) -> Money {
    Money(n * 10_000)
}

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    (dir, store)
}

/// A run with `cap`, of an episode with the same.
async fn run_with_cap(store: &Store, cap: Money) -> RunId {
    run_with_split(store, cap, &crate::split()).await
}

/// A run with `cap` split as `split`, of an episode with the same cap.
async fn run_with_split(store: &Store, cap: Money, split: &showrunner_domain::BudgetSplit) -> RunId {
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "Rip currents".into(),
        target_minutes: 25,
        budget_cap: cap,
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    store
        .create_run(Some(&episode.id), "standard", cap, split, None, 3)
        .await
        .unwrap()
        .id
}

fn call(run: &RunId, key: &str, phase: PhaseId, reserve: Money) -> NewCall {
    NewCall {
        run_id: run.clone(),
        stage: StageId::new("script.write"),
        attempt_id: None,
        call_key: key.into(),
        phase,
        provider: "anthropic".into(),
        model: "claude-sonnet".into(),
        reserve,
        prompt: None,
        reuse_key: None,
    }
}

fn settlement(cost: Money, answer: serde_json::Value) -> CallSettlement {
    CallSettlement {
        cost,
        usage: json!({ "input_tokens": 1200, "output_tokens": 800 }),
        price_row: Some("prices-2025-06#claude-sonnet".into()),
        request_id: Some("req_123".into()),
        result: answer,
    }
}

fn count(events: &[showrunner_store::EventRecord], kind: &str, threshold: &str) -> usize {
    events
        .iter()
        .filter(|e| e.kind == kind && e.payload["threshold"] == threshold)
        .count()
}

/// The highest committed total (settled + reserved) the journal's reservations and settlements passed through.
fn highest_committed(events: &[showrunner_store::EventRecord]) -> Money {
    let amount = |e: &showrunner_store::EventRecord, field: &str| -> Money {
        serde_json::from_value(e.payload[field].clone()).expect("journaled amounts are money")
    };
    let (mut committed, mut highest) = (Money::ZERO, Money::ZERO);
    for e in events {
        match e.kind.as_str() {
            "provider_call.reserved" => committed += amount(e, "reserved"),
            "provider_call.settled" => committed += amount(e, "cost") - amount(e, "reserved"),
            _ => continue,
        }
        highest = highest.max(committed);
    }
    highest
}

/// The journal alone rebuilds the ledger's figures: every change to a call was journaled with its amounts.
async fn assert_journal_rebuilds_ledger(store: &Store, run: &RunId) {
    let ledger = store.ledger(run).await.unwrap();
    let replayed = replay_ledger(&store.events_for_run(run).await.unwrap()).unwrap();
    assert_eq!(replayed.settled, ledger.settled, "settled from events vs tables");
    assert_eq!(replayed.reserved, ledger.reserved, "reserved from events vs tables");
    assert_eq!(
        replayed.unconfirmed, ledger.unconfirmed,
        "ambiguous reservations from events vs tables"
    );
    let notices: Vec<NoticeKind> = ledger.notices.iter().map(|n| n.kind.clone()).collect();
    assert_eq!(replayed.notices, notices, "notices from events vs tables");
    let ambiguous: BTreeSet<i64> = ledger.calls.iter().filter(|c| c.ambiguous).map(|c| c.id).collect();
    assert_eq!(
        replayed.ambiguous_calls, ambiguous,
        "ambiguous calls from events vs tables"
    );
    assert!(
        ledger.committed() <= ledger.cap || ledger.calls.iter().any(|c| c.cost > c.reserved),
        "settled + reserved + ambiguous ({}) passed the cap ({})",
        ledger.committed(),
        ledger.cap
    );
}

#[tokio::test]
async fn a_reservation_that_would_cross_the_cap_is_refused_and_reserves_nothing() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    store
        .reserve_call(&call(&run, "a", PhaseId::new("production"), cents(60)), 10)
        .await
        .unwrap();
    let err = store
        .reserve_call(&call(&run, "b", PhaseId::new("production"), cents(41)), 11)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "budget_exhausted");
    match err {
        StoreError::BudgetExceeded {
            cap,
            committed,
            requested,
        } => {
            assert_eq!((cap, committed, requested), (cents(100), cents(60), cents(41)));
        }
        other => panic!("expected BudgetExceeded, got {other:?}"),
    }
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(ledger.reserved, cents(60), "the refused call holds nothing");
    assert_eq!(ledger.calls.len(), 1);
    assert!(ledger.has_fired(&NoticeKind::Threshold {
        threshold: BudgetThreshold::Halt
    }));
    // Exactly at the cap still fits.
    store
        .reserve_call(&call(&run, "c", PhaseId::new("production"), cents(40)), 12)
        .await
        .unwrap();
    assert_eq!(store.ledger(&run).await.unwrap().committed(), cents(100));
    let events = store.events_for_run(&run).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "provider_call.refused").count(), 1);
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn a_rejected_answer_stays_on_the_bill_but_is_never_offered_for_reuse() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let first = store
        .reserve_call(&call(&run, "plan#1", PhaseId::new("production"), cents(20)), 10)
        .await
        .unwrap();
    store
        .settle_call(first.call.id, &settlement(cents(15), json!({"segments": []})), 20)
        .await
        .unwrap();
    assert_eq!(
        store
            .reject_answers(&run, &["plan#1".to_owned(), "never-made".to_owned()], 30)
            .await
            .unwrap(),
        1,
        "only the settled answer is marked"
    );
    assert!(
        store.finished_call(&run, "plan#1").await.unwrap().is_none(),
        "not replayed"
    );
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(ledger.settled, cents(15), "still paid for");
    assert!(ledger.calls.iter().any(|c| c.rejected));

    // Asking again under the same key is a new call; its answer is the one reused from now on.
    let second = store
        .reserve_call(&call(&run, "plan#1", PhaseId::new("production"), cents(20)), 40)
        .await
        .unwrap();
    let good = json!({"segments": ["intro"]});
    store
        .settle_call(second.call.id, &settlement(cents(10), good.clone()), 50)
        .await
        .unwrap();
    let reused = store.finished_call(&run, "plan#1").await.unwrap().unwrap();
    assert_eq!((reused.id, reused.result), (second.call.id, Some(good)));
    assert_eq!(store.ledger(&run).await.unwrap().settled, cents(25));
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn settling_replaces_the_reservation_with_the_billed_cost_and_keeps_the_answer_for_reuse() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let reserved = store
        .reserve_call(&call(&run, "plan#1", PhaseId::new("production"), cents(20)), 10)
        .await
        .unwrap();
    assert_eq!(reserved.call.status, CallStatus::Intent);
    assert!(store.finished_call(&run, "plan#1").await.unwrap().is_none());
    assert_eq!(
        store.open_intent(&run, "plan#1").await.unwrap().map(|c| c.id),
        Some(reserved.call.id)
    );

    let answer = json!({ "segments": ["intro", "body", "outro"] });
    store
        .settle_call(reserved.call.id, &settlement(cents(15), answer.clone()), 20)
        .await
        .unwrap();
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!((ledger.settled, ledger.reserved), (cents(15), Money::ZERO));
    let production = &ledger.by_phase[1];
    assert_eq!(production.phase, PhaseId::new("production"));
    assert_eq!((production.settled, production.allocation), (cents(15), cents(51)));
    let finished = store.finished_call(&run, "plan#1").await.unwrap().unwrap();
    assert_eq!(finished.result, Some(answer));
    assert_eq!(finished.request_id.as_deref(), Some("req_123"));
    assert_eq!(finished.price_row.as_deref(), Some("prices-2025-06#claude-sonnet"));
    assert!(store.open_intent(&run, "plan#1").await.unwrap().is_none());

    let again = store
        .settle_call(reserved.call.id, &settlement(cents(15), json!({})), 21)
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Stale { .. }),
        "a call is settled once: {again:?}"
    );
    assert_eq!(store.ledger(&run).await.unwrap().settled, cents(15));
    assert_journal_rebuilds_ledger(&store, &run).await;
}

/// A JSON `null` is an answer like any other (SQL's NULL is none): it is stored, read back and reused as is.
#[tokio::test]
async fn an_answer_of_json_null_reads_back_as_that_answer() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let reserved = store
        .reserve_call(&call(&run, "plan#1", PhaseId::new("production"), cents(20)), 10)
        .await
        .unwrap();
    let mut nothing = settlement(cents(15), serde_json::Value::Null);
    nothing.usage = serde_json::Value::Null;
    store.settle_call(reserved.call.id, &nothing, 20).await.unwrap();
    let finished = store.finished_call(&run, "plan#1").await.unwrap().unwrap();
    assert_eq!(finished.result, Some(serde_json::Value::Null));
    assert_eq!(finished.usage, Some(serde_json::Value::Null));
}

#[tokio::test]
async fn a_failed_call_frees_its_reservation_and_counts_only_what_the_provider_billed() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let unbilled = store
        .reserve_call(&call(&run, "a", PhaseId::new("research"), cents(30)), 10)
        .await
        .unwrap();
    let billed = store
        .reserve_call(&call(&run, "b", PhaseId::new("research"), cents(30)), 10)
        .await
        .unwrap();
    store
        .fail_call(unbilled.call.id, "overloaded", Money::ZERO, 11)
        .await
        .unwrap();
    store
        .fail_call(billed.call.id, "invalid_output", cents(4), 11)
        .await
        .unwrap();
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!((ledger.settled, ledger.reserved), (cents(4), Money::ZERO));
    assert!(
        store.finished_call(&run, "b").await.unwrap().is_none(),
        "a failed call is never reused"
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn a_provider_billing_more_than_reserved_is_recorded_as_billed_and_halts_further_calls() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let first = store
        .reserve_call(&call(&run, "a", PhaseId::new("audio"), cents(90)), 10)
        .await
        .unwrap();
    let update = store
        .settle_call(first.call.id, &settlement(cents(105), json!("audio")), 11)
        .await
        .unwrap();
    let fired: Vec<NoticeKind> = update.fired.iter().map(|n| n.kind.clone()).collect();
    assert!(
        fired.contains(&NoticeKind::Threshold {
            threshold: BudgetThreshold::Halt
        }),
        "{fired:?}"
    );
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(ledger.settled, cents(105), "the truth, even past the cap");
    let next = store
        .reserve_call(&call(&run, "b", PhaseId::new("audio"), Money(1)), 12)
        .await;
    assert!(matches!(next, Err(StoreError::BudgetExceeded { .. })), "{next:?}");
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn each_threshold_fires_once_even_when_spend_dips_below_it_and_crosses_again() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let first = store
        .reserve_call(&call(&run, "a", PhaseId::new("production"), cents(85)), 10)
        .await
        .unwrap();
    assert_eq!(
        first.fired.iter().map(|n| n.kind.clone()).collect::<Vec<_>>(),
        vec![
            NoticeKind::Threshold {
                threshold: BudgetThreshold::Warn
            },
            NoticeKind::PhaseOver {
                phase: PhaseId::new("production")
            },
        ]
    );
    assert_eq!((first.fired[0].committed, first.fired[0].cap), (cents(85), cents(100)));
    store
        .fail_call(first.call.id, "overloaded", Money::ZERO, 11)
        .await
        .unwrap();
    let second = store
        .reserve_call(&call(&run, "a", PhaseId::new("production"), cents(96)), 12)
        .await
        .unwrap();
    assert_eq!(
        second.fired.iter().map(|n| n.kind.clone()).collect::<Vec<_>>(),
        vec![NoticeKind::Threshold {
            threshold: BudgetThreshold::Degrade
        }],
        "warn and the phase notice already fired; only 95 % is new"
    );
    let events = store.events_for_run(&run).await.unwrap();
    assert_eq!(count(&events, "budget.threshold", "warn"), 1);
    assert_eq!(count(&events, "budget.threshold", "degrade"), 1);
    assert_eq!(count(&events, "budget.threshold", "halt"), 0, "96 % is not the cap");
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn phase_allocations_are_soft_an_over_allocated_phase_is_served_and_noted_once() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    // Research's share of $1.00 is $0.20; a $0.30 research call still fits under the cap.
    let over = store
        .reserve_call(&call(&run, "r1", PhaseId::new("research"), cents(30)), 10)
        .await
        .unwrap();
    assert_eq!(
        over.fired.iter().map(|n| n.kind.clone()).collect::<Vec<_>>(),
        vec![NoticeKind::PhaseOver {
            phase: PhaseId::new("research")
        }]
    );
    let more = store
        .reserve_call(&call(&run, "r2", PhaseId::new("research"), cents(10)), 11)
        .await
        .unwrap();
    assert!(more.fired.is_empty(), "the phase notice fires once: {:?}", more.fired);
    let ledger = store.ledger(&run).await.unwrap();
    let research = &ledger.by_phase[0];
    assert_eq!((research.allocation, research.reserved), (cents(20), cents(40)));
    let events = store.events_for_run(&run).await.unwrap();
    let phase_over: Vec<_> = events.iter().filter(|e| e.kind == "budget.phase_over").collect();
    assert_eq!(phase_over.len(), 1);
    assert_eq!(phase_over[0].payload["phase"], "research");
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[test]
fn phase_allocations_split_the_seed_cap_20_51_29_and_add_up_to_it() {
    let cap = Money(33_250_000);
    let split = crate::split();
    let shares: Vec<Money> = split
        .phases()
        .iter()
        .map(|p| split.allocation(&p.id, cap).unwrap())
        .collect();
    assert_eq!(shares, vec![Money(6_650_000), Money(16_957_500), Money(9_642_500)]);
    assert_eq!(shares.iter().copied().sum::<Money>(), cap);
}

#[tokio::test]
async fn raising_the_cap_makes_room_keeps_fired_notices_and_refuses_a_lower_amount() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    store
        .reserve_call(&call(&run, "a", PhaseId::new("production"), cents(90)), 10)
        .await
        .unwrap();
    assert!(store
        .reserve_call(&call(&run, "b", PhaseId::new("production"), cents(20)), 11)
        .await
        .is_err());

    let before = store.raise_cap(&run, cents(200), 12).await.unwrap();
    assert_eq!(before, cents(100));
    let granted = store
        .reserve_call(&call(&run, "b", PhaseId::new("production"), cents(20)), 13)
        .await
        .unwrap();
    assert!(granted.fired.is_empty(), "55 % of the new cap fires nothing new");
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(ledger.cap, cents(200));
    assert!(
        ledger.has_fired(&NoticeKind::Threshold {
            threshold: BudgetThreshold::Halt
        }),
        "notices are history; they stay fired"
    );

    let lower = store.raise_cap(&run, cents(150), 14).await.unwrap_err();
    assert!(matches!(lower, StoreError::CapNotRaised { .. }), "{lower:?}");
    assert_eq!(lower.code(), "invalid_input");
    let events = store.events_for_run(&run).await.unwrap();
    let raised: Vec<_> = events.iter().filter(|e| e.kind == "budget.cap_raised").collect();
    assert_eq!(raised.len(), 1);
    assert_eq!(
        (raised[0].payload["from"].clone(), raised[0].payload["to"].clone()),
        (json!(1_000_000), json!(2_000_000))
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn cancelling_releases_every_open_reservation_and_flags_the_calls_ambiguous() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    for key in ["a", "b", "c"] {
        store
            .reserve_call(&call(&run, key, PhaseId::new("audio"), cents(10)), 10)
            .await
            .unwrap();
    }
    let done = store.open_intent(&run, "c").await.unwrap().unwrap();
    store
        .settle_call(done.id, &settlement(cents(7), json!("ok")), 11)
        .await
        .unwrap();
    assert_eq!(store.release_open_calls(&run, 12).await.unwrap(), 2);
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!((ledger.reserved, ledger.settled), (Money::ZERO, cents(7)));
    assert_eq!(
        ledger.unconfirmed,
        cents(20),
        "two cut-off calls may have been billed up to their reservations"
    );
    let released: Vec<_> = ledger
        .calls
        .iter()
        .filter(|c| c.status == CallStatus::Released)
        .collect();
    assert_eq!(released.len(), 2);
    assert!(released
        .iter()
        .all(|c| c.ambiguous && c.error_code.as_deref() == Some("cancelled")));
    assert_eq!(
        store.release_open_calls(&run, 13).await.unwrap(),
        0,
        "nothing left to release"
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn an_intent_left_by_a_dead_process_is_found_after_reopening_and_released_as_ambiguous() {
    let (dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let left = store
        .reserve_call(&call(&run, "tts#7", PhaseId::new("audio"), cents(25)), 10)
        .await
        .unwrap();
    store.close().await;

    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(
        store.ledger(&run).await.unwrap().reserved,
        cents(25),
        "the reservation survived the restart"
    );
    let released = store.release_interrupted_calls(&run, 20).await.unwrap();
    assert_eq!(released.iter().map(|c| c.id).collect::<Vec<_>>(), vec![left.call.id]);
    let after = store.calls_with_key(&run, "tts#7").await.unwrap();
    assert_eq!(after.len(), 1);
    assert!(after[0].ambiguous);
    assert_eq!(after[0].error_code.as_deref(), Some("interrupted"));
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(ledger.reserved, Money::ZERO);
    assert_eq!(
        (ledger.unconfirmed, ledger.committed()),
        (cents(25), cents(25)),
        "the cut-off call stays counted at its reservation"
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn an_ambiguous_call_keeps_its_reservation_counted_so_its_resend_cannot_pass_the_cap() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let lost = store
        .reserve_call(&call(&run, "script#1", PhaseId::new("production"), cents(60)), 10)
        .await
        .unwrap();
    // The process died mid-call; the next one flags it before driving the run again.
    store.release_interrupted_calls(&run, 20).await.unwrap();
    let refused = store
        .reserve_call(&call(&run, "script#1", PhaseId::new("production"), cents(60)), 21)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::BudgetExceeded { committed, .. } if committed == cents(60)),
        "re-sending with fresh room would let spend reach cap + the lost call: {refused:?}"
    );
    let small = store
        .reserve_call(&call(&run, "polish#1", PhaseId::new("production"), cents(40)), 22)
        .await
        .expect("what is left under the cap still fits");
    assert_eq!(store.ledger(&run).await.unwrap().committed(), cents(100));
    assert_journal_rebuilds_ledger(&store, &run).await;

    // The producer checked the provider's usage page: the lost call cost 10¢. The rest is free again.
    let resolved = store.resolve_ambiguous(lost.call.id, cents(10), 30).await.unwrap();
    assert_eq!(
        (resolved.call.status, resolved.call.cost, resolved.call.ambiguous),
        (CallStatus::Failed, cents(10), false)
    );
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(
        (ledger.settled, ledger.reserved, ledger.unconfirmed),
        (cents(10), cents(40), Money::ZERO)
    );
    store
        .reserve_call(&call(&run, "script#1", PhaseId::new("production"), cents(50)), 31)
        .await
        .expect("the freed room takes the re-send");
    assert!(
        store.resolve_ambiguous(lost.call.id, cents(10), 32).await.is_err(),
        "a call is resolved once"
    );
    assert!(
        store.resolve_ambiguous(small.call.id, Money::ZERO, 33).await.is_err(),
        "an open call is not ambiguous"
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn an_ambiguous_call_whose_answer_arrives_late_is_settled_at_its_bill() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let cut = store
        .reserve_call(&call(&run, "line#4", PhaseId::new("audio"), cents(30)), 10)
        .await
        .unwrap();
    let late = store
        .reserve_call(&call(&run, "line#5", PhaseId::new("audio"), cents(20)), 10)
        .await
        .unwrap();
    assert_eq!(store.release_open_calls(&run, 11).await.unwrap(), 2);
    assert_eq!(store.ledger(&run).await.unwrap().unconfirmed, cents(50));
    store
        .settle_call(cut.call.id, &settlement(cents(12), json!("audio")), 12)
        .await
        .unwrap();
    // The other one's reply came back cut off: billed, usage unreadable, so it counts at its reservation.
    let failure = CallFailure {
        error_code: "bad_response".into(),
        counted_at_reservation: true,
        ..CallFailure::default()
    };
    let counted = store.fail_billed_call(late.call.id, &failure, 13).await.unwrap();
    assert_eq!(counted.call.cost, cents(20));
    assert!(counted.call.counted_at_reservation(), "{:?}", counted.call.usage);
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!(
        (ledger.settled, ledger.reserved, ledger.unconfirmed),
        (cents(32), Money::ZERO, Money::ZERO)
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn settled_reserved_and_ambiguous_never_pass_the_cap_through_crashes_and_resends() {
    let (_dir, store) = open().await;
    let cap = cents(100);
    let run = run_with_cap(&store, cap).await;
    // Each round: a call goes out, the process dies, the call is re-sent. Without counting the lost calls,
    // every round would find the whole cap free again.
    let mut refused = 0;
    for round in 0..8 {
        let key = format!("call#{round}");
        let now = 10 + round * 10;
        match store
            .reserve_call(&call(&run, &key, PhaseId::new("research"), cents(30)), now)
            .await
        {
            Ok(_) => {}
            Err(StoreError::BudgetExceeded { .. }) => refused += 1,
            Err(e) => panic!("{e}"),
        }
        store.release_interrupted_calls(&run, now + 1).await.unwrap();
        let ledger = store.ledger(&run).await.unwrap();
        assert!(ledger.committed() <= cap, "round {round}: {}", ledger.committed());
    }
    assert_eq!(refused, 5, "three lost calls of 30¢ fill a $1 cap");
    assert_eq!(store.ledger(&run).await.unwrap().unconfirmed, cents(90));
    assert_journal_rebuilds_ledger(&store, &run).await;
}

#[tokio::test]
async fn a_second_open_intent_for_the_same_request_is_refused() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let first = store
        .reserve_call(&call(&run, "same", PhaseId::new("research"), cents(10)), 10)
        .await
        .unwrap();
    let twin = store
        .reserve_call(&call(&run, "same", PhaseId::new("research"), cents(10)), 11)
        .await
        .unwrap_err();
    assert!(matches!(twin, StoreError::Stale { .. }), "{twin:?}");
    assert_eq!(store.ledger(&run).await.unwrap().reserved, cents(10));
    store.mark_ambiguous(first.call.id, 12).await.unwrap();
    store
        .reserve_call(&call(&run, "same", PhaseId::new("research"), cents(10)), 13)
        .await
        .expect("once the first is closed the request may go out again");
    assert_journal_rebuilds_ledger(&store, &run).await;
}

/// Eight calls released together by a barrier, each reserving $0.20 and settling to $0.15 against a $1.00 cap,
/// alternating between two store handles (two pools on one file, as two processes would be).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_from_two_store_handles_never_commit_more_than_the_cap() {
    let (dir, first) = open().await;
    let second = Store::open(dir.path()).await.unwrap();
    let run = run_with_cap(&first, cents(100)).await;
    let barrier = Arc::new(Barrier::new(8));
    let in_flight = Arc::new(AtomicU32::new(0));
    let most_in_flight = Arc::new(AtomicU32::new(0));
    let worst_committed = Arc::new(AtomicI64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let store = if i % 2 == 0 { first.clone() } else { second.clone() };
        let (run, barrier) = (run.clone(), barrier.clone());
        let (in_flight, most_in_flight, worst) = (in_flight.clone(), most_in_flight.clone(), worst_committed.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let granted = match store
                .reserve_call(
                    &call(&run, &format!("call-{i}"), PhaseId::new("production"), cents(20)),
                    10,
                )
                .await
            {
                Ok(granted) => granted,
                Err(StoreError::BudgetExceeded { .. }) => return false,
                Err(e) => panic!("{e}"),
            };
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most_in_flight.fetch_max(now, Ordering::SeqCst);
            // From inside the call, the committed total as any reader sees it.
            worst.fetch_max(store.ledger(&run).await.unwrap().committed().0, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            in_flight.fetch_sub(1, Ordering::SeqCst);
            store
                .settle_call(granted.call.id, &settlement(cents(15), json!(i)), 20)
                .await
                .unwrap();
            true
        });
    }
    let mut granted = 0;
    while let Some(outcome) = tasks.join_next().await {
        granted += u32::from(outcome.unwrap());
    }

    assert!(worst_committed.load(Ordering::SeqCst) <= cents(100).0);
    let most = most_in_flight.load(Ordering::SeqCst);
    assert!(
        most <= 5,
        "$0.20 reservations under $1.00: at most 5 at once, saw {most}"
    );
    assert!(
        most >= 2,
        "the barrier must make reservations overlap, or this proves nothing"
    );
    assert!(granted < 8, "8 × $0.15 is over the cap, so some calls must be refused");
    let ledger = first.ledger(&run).await.unwrap();
    assert_eq!(ledger.settled, cents(15 * i64::from(granted)));
    assert_eq!(ledger.reserved, Money::ZERO);
    let events = first.events_for_run(&run).await.unwrap();
    // Warn and halt are always reached (a $0.20 step cannot jump 80 %, and a refusal is the halt); 95 % is
    // reached only when the writes happened to interleave onto it: from 90 % the next $0.20 is refused.
    let highest = highest_committed(&events);
    for (threshold, reached) in [("warn", true), ("degrade", highest >= cents(95)), ("halt", true)] {
        assert_eq!(
            count(&events, "budget.threshold", threshold),
            usize::from(reached),
            "{threshold} fires once if the committed total reached it (highest {highest})"
        );
    }
    assert_eq!(
        events.iter().filter(|e| e.kind == "provider_call.refused").count(),
        8 - granted as usize
    );
    assert_journal_rebuilds_ledger(&second, &run).await;
}

/// The vacuity check for the test above: the same race with the check and the insert in separate statements
/// (the pre-call check LiteLLM shipped) does overspend, so the invariant assertion can fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_check_then_insert_outside_one_transaction_overspends_which_the_invariant_check_catches() {
    let (_dir, store) = open().await;
    let run = run_with_cap(&store, cents(100)).await;
    let url = format!("sqlite://{}", store.database_path().display());
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(8)
        .connect(&url)
        .await
        .unwrap();
    let barrier = Arc::new(Barrier::new(8));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (pool, run, barrier) = (pool.clone(), run.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let committed: i64 = sqlx::query_scalar(
                "SELECT COALESCE(SUM(reserved), 0) FROM provider_calls WHERE run_id = ? AND status = 'intent'",
            )
            .bind(run.as_str())
            .fetch_one(&pool)
            .await
            .unwrap();
            barrier.wait().await;
            if committed + cents(20).0 <= cents(100).0 {
                sqlx::query(
                    "INSERT INTO provider_calls (run_id, stage, call_key, phase, provider, model, reserved, status,
                                                 created_at_ms)
                     VALUES (?, 'script.write', ?, 'production', 'p', 'm', ?, 'intent', 0)",
                )
                .bind(run.as_str())
                .bind(format!("naive-{i}"))
                .bind(cents(20).0)
                .execute(&pool)
                .await
                .unwrap();
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    pool.close().await;
    let committed = store.ledger(&run).await.unwrap().committed();
    assert!(
        committed > cents(100),
        "without one transaction all eight see room: {committed} committed"
    );
}

/// The ledger enforces the run's own cap, not its episode's, and a raise moves both, so the Episodes list
/// shows the cap the run is held to.
#[tokio::test]
async fn the_cap_enforced_is_the_runs_own_and_a_raise_keeps_the_episodes_copy_in_step() {
    let (_dir, store) = open().await;
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "Rip currents".into(),
        target_minutes: 25,
        budget_cap: cents(100),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    let run = store
        .create_run(Some(&episode.id), "standard", cents(50), &crate::split(), None, 3)
        .await
        .unwrap()
        .id;
    assert_eq!(store.ledger(&run).await.unwrap().cap, cents(50));
    let refused = store
        .reserve_call(&call(&run, "a", PhaseId::new("production"), cents(60)), 10)
        .await;
    assert!(
        matches!(refused, Err(StoreError::BudgetExceeded { .. })),
        "the episode's $1.00 does not apply: {refused:?}"
    );
    let created = store.events_for_run(&run).await.unwrap();
    assert_eq!(created[0].payload["budget_cap"], json!(cents(50)));

    assert_eq!(store.raise_cap(&run, cents(80), 11).await.unwrap(), cents(50));
    assert_eq!(store.ledger(&run).await.unwrap().cap, cents(80));
    let shown = store.episode(&episode.id).await.unwrap().unwrap();
    assert_eq!(shown.budget_cap, cents(80));
    store
        .reserve_call(&call(&run, "a", PhaseId::new("production"), cents(60)), 12)
        .await
        .expect("fits under the raised cap");
    assert_eq!(
        store
            .create_run(Some(&episode.id), "standard", Money::ZERO, &crate::split(), None, 13)
            .await
            .err()
            .map(|e| e.code()),
        Some("invalid_input"),
        "a run needs a cap above zero"
    );
}

/// A run whose pipeline splits its cap its own way: the ledger allocates, lists and notes by that split, and
/// knows nothing of the seed's phases.
#[tokio::test]
async fn a_runs_own_split_is_what_the_ledger_allocates_lists_and_notes() {
    use showrunner_domain::{BudgetPhase, BudgetSplit};
    let (_dir, store) = open().await;
    let split = BudgetSplit::new(vec![
        BudgetPhase::new("drafting", "Drafting", 70),
        BudgetPhase::new("review", "Review", 30),
    ])
    .unwrap();
    let run = run_with_split(&store, cents(100), &split).await;
    assert_eq!(store.budget_split(&run).await.unwrap(), Some(split));

    let drafted = store
        .reserve_call(&call(&run, "draft", PhaseId::new("drafting"), cents(60)), 10)
        .await
        .unwrap();
    assert!(
        drafted.fired.is_empty(),
        "60 of drafting's 70 cents is within its share"
    );
    let reviewed = store
        .reserve_call(&call(&run, "review", PhaseId::new("review"), cents(31)), 11)
        .await
        .unwrap();
    let fired: Vec<NoticeKind> = reviewed.fired.iter().map(|n| n.kind.clone()).collect();
    assert!(
        fired.contains(&NoticeKind::PhaseOver {
            phase: PhaseId::new("review")
        }),
        "31 cents is over review's 30: {fired:?}"
    );

    let ledger = store.ledger(&run).await.unwrap();
    let listed: Vec<(&str, &str, Money, Money)> = ledger
        .by_phase
        .iter()
        .map(|p| (p.phase.as_str(), p.label.as_str(), p.allocation, p.reserved))
        .collect();
    assert_eq!(
        listed,
        vec![
            ("drafting", "Drafting", cents(70), cents(60)),
            ("review", "Review", cents(30), cents(31)),
        ]
    );
    let events = store.events_for_run(&run).await.unwrap();
    let created = events.iter().find(|e| e.kind == "run.created").unwrap();
    assert_eq!(
        created.payload["budget_split"][1]["id"], "review",
        "the journal keeps the split"
    );
    assert_journal_rebuilds_ledger(&store, &run).await;
}

/// A database from before runs owned their split: its calls keep their ids and amounts through the rebuilt
/// ledger table, its runs are split the seed's way, and a phase the seed never had can be booked afterwards.
#[tokio::test]
async fn a_ledger_written_before_runs_owned_their_split_reads_the_same_and_takes_new_phases() {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(showrunner_store::DATABASE_FILE);
    let mut db = crate::schema_before(&path, 14).await;
    for sql in [
        "INSERT INTO shows (id, name, name_key, brand, created_at_ms, updated_at_ms) VALUES ('show-1', 'Tides', 'tides', '{}', 1, 1)",
        "INSERT INTO episodes (id, show_id, topic, target_minutes, budget_cap, status, created_at_ms, updated_at_ms)
         VALUES ('ep-1', 'show-1', 'Rip currents', 25, 1000000, 'producing', 1, 1)",
        "INSERT INTO runs (id, episode_id, pipeline, status, created_at_ms, updated_at_ms, budget_cap)
         VALUES ('run-1', 'ep-1', 'standard', 'running', 2, 2, 1000000)",
        "INSERT INTO provider_calls (id, run_id, stage, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
         VALUES (7, 'run-1', 'research.discover', 'k1', 'research', 'perplexity', 'sonar', 300000, 'settled', 250000, 3),
                (9, 'run-1', 'script.write', 'k2', 'production', 'anthropic', 'claude', 200000, 'intent', 0, 4)",
    ] {
        sqlx::query(sql).execute(&mut db).await.unwrap();
    }
    db.close().await.unwrap();

    let store = Store::open(dir.path()).await.unwrap();
    let run = RunId("run-1".into());
    assert_eq!(store.budget_split(&run).await.unwrap(), Some(crate::split()));
    let ledger = store.ledger(&run).await.unwrap();
    let ids: Vec<i64> = ledger.calls.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![7, 9], "the rebuilt table keeps every call and its id");
    assert_eq!((ledger.settled, ledger.reserved), (cents(25), cents(20)));
    let phases: Vec<(&str, Money, Money)> = ledger
        .by_phase
        .iter()
        .map(|p| (p.label.as_str(), p.allocation, p.settled + p.reserved))
        .collect();
    assert_eq!(
        phases,
        vec![
            ("Research", cents(20), cents(25)),
            ("Writing & review", cents(51), cents(20)),
            ("Audio", cents(29), Money::ZERO),
        ]
    );

    // The CHECK that named the seed's phases is gone; a malformed phase is still refused by the schema.
    let booked = store
        .reserve_call(&call(&run, "k4", PhaseId::new("mixing"), cents(1)), 6)
        .await
        .unwrap();
    assert_eq!(booked.call.phase, "mixing");
    assert!(booked.call.id > 9, "ids carry on after the rebuilt table's");
    let mut db = SqliteConnectOptions::new().filename(&path).connect().await.unwrap();
    let refused = sqlx::query(
        "INSERT INTO provider_calls (run_id, stage, call_key, phase, provider, model, reserved, status, created_at_ms)
         VALUES ('run-1', 's', 'k5', 'Mixing -->', 'p', 'm', 0, 'intent', 7)",
    )
    .execute(&mut db)
    .await;
    assert!(refused.is_err(), "a phase must be a well-formed id");
    db.close().await.unwrap();
}
