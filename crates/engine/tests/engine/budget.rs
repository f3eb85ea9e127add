//! The budget cap as a producer meets it: concurrent calls never commit more than the cap, thresholds fire
//! once, the run parks at the cap and continues after a raise without paying twice, stages degrade at 95 %,
//! and phase shares are soft.

use std::sync::atomic::Ordering;
use std::time::Duration;

use showrunner_domain::{AttemptStatus, DecisionKind, EpisodeStatus, Money, ParkReason, RunStatus, StageId};
use showrunner_engine::{BudgetState, EngineError, HumanDecision};
use showrunner_store::{CallStatus, StoreError};

use crate::paid_rig::{assert_journal_rebuilds_ledger, budget_seen_by, call, cents, threshold_events, PaidRig, Plan};

/// Eight $0.20 reservations released together against a $1.00 cap, each settling to $0.15.
fn eight_at_once() -> Plan {
    const KEYS: [&str; 8] = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];
    Plan {
        write: KEYS.iter().map(|k| call(k, cents(20), cents(15))).collect(),
        speak: vec![call("s1", cents(10), cents(5))],
        write_all_at_once: true,
        ..Plan::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_calls_never_commit_more_than_the_cap_and_the_halted_run_resumes_after_a_raise() {
    let rig = PaidRig::new(eight_at_once()).await;
    *rig.provider.latency.lock().unwrap() = Duration::from_millis(50);
    let run = rig.start(cents(100)).await;

    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    let worst = rig.provider.worst_committed.load(Ordering::SeqCst);
    assert!(
        worst <= cents(100).0,
        "settled + reserved reached {worst} µ$ inside a call"
    );
    let most = rig.provider.most_in_flight.load(Ordering::SeqCst);
    assert!(
        most <= 5,
        "at most five $0.20 reservations fit under $1.00 at once; saw {most}"
    );
    assert!(most >= 2, "the calls must overlap, or this test proves nothing");

    let ledger = rig.store.ledger(&run.id).await.unwrap();
    let granted = ledger.calls.len();
    assert!((5..8).contains(&granted), "{granted} calls were granted");
    assert!(ledger.calls.iter().all(|c| c.status == CallStatus::Settled));
    assert_eq!(ledger.reserved, Money::ZERO);
    let refused = rig.stage("write").errors.lock().unwrap().clone();
    assert_eq!(refused.len(), 8 - granted);
    assert!(refused.iter().all(|code| code == "budget_exhausted"), "{refused:?}");
    for threshold in ["warn", "degrade", "halt"] {
        assert_eq!(
            threshold_events(&rig.store, &run.id, threshold).await,
            1,
            "{threshold} fires once"
        );
    }
    let record = rig.store.run(&run.id).await.unwrap().unwrap();
    assert_eq!(
        record.park,
        Some(ParkReason::BudgetExhausted {
            stage: StageId::new("write")
        })
    );
    assert_eq!(rig.subject.now(), Some(EpisodeStatus::NeedsAttention));
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;

    rig.engine.raise_budget(&run.id, cents(200)).await.unwrap();
    assert_eq!(rig.drive(&run.id).await, RunStatus::Done);
    for key in ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"] {
        assert_eq!(
            rig.provider.sent(key),
            1,
            "{key} is paid for exactly once across the halt"
        );
    }
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(ledger.settled, cents(8 * 15 + 5));
    assert_eq!(ledger.reserved, Money::ZERO);
    for threshold in ["warn", "degrade", "halt"] {
        assert_eq!(
            threshold_events(&rig.store, &run.id, threshold).await,
            1,
            "{threshold} stays fired once"
        );
    }
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

fn halts_in_write() -> Plan {
    Plan {
        research: vec![call("r1", cents(30), cents(30))],
        // w1 settles, leaving $0.30 of room; w2's $0.50 worst case does not fit.
        write: vec![call("w1", cents(50), cents(40)), call("w2", cents(50), cents(40))],
        speak: vec![call("s1", cents(10), cents(10))],
        ..Plan::default()
    }
}

#[tokio::test]
async fn a_run_parked_at_the_cap_waits_for_a_raise_then_finishes_without_redoing_paid_work() {
    let rig = PaidRig::new(halts_in_write()).await;
    let run = rig.start(cents(100)).await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        rig.engine.park_reason(&run.id).await.unwrap(),
        Some(ParkReason::BudgetExhausted {
            stage: StageId::new("write")
        })
    );
    assert_eq!(rig.provider.sent("w2"), 0, "refused before it went out");
    assert_eq!(
        rig.stage("speak").runs.load(Ordering::SeqCst),
        0,
        "nothing after the halt starts"
    );

    // Approving past the cap is not a thing; a cap that is not higher is refused and changes nothing.
    let approve = HumanDecision {
        decision: DecisionKind::Approve,
        note: String::new(),
        decided_by: "pat".into(),
        artifact_version: 1,
    };
    let decided = rig.engine.decide(&run.id, &StageId::new("write"), approve).await;
    assert!(matches!(decided, Err(EngineError::NotParkedHere { .. })), "{decided:?}");
    let same = rig.engine.raise_budget(&run.id, cents(100)).await;
    assert!(
        matches!(same, Err(EngineError::Store(StoreError::CapNotRaised { .. }))),
        "{same:?}"
    );
    assert_eq!(rig.store.run(&run.id).await.unwrap().unwrap().status, RunStatus::Parked);

    // The raise lands, then the app dies before the run resumes: asking again for the same amount resumes it.
    rig.store.raise_cap(&run.id, cents(150), 10).await.unwrap();
    assert_eq!(rig.store.run(&run.id).await.unwrap().unwrap().status, RunStatus::Parked);
    rig.engine.raise_budget(&run.id, cents(150)).await.unwrap();
    assert_eq!(rig.drive(&run.id).await, RunStatus::Done);
    assert_eq!(
        rig.stage("research").runs.load(Ordering::SeqCst),
        1,
        "research is not redone"
    );
    assert_eq!(
        (rig.provider.sent("w1"), rig.provider.sent("w2")),
        (1, 1),
        "w1 reused, w2 paid once"
    );
    let writes: Vec<_> = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.stage == "write")
        .collect();
    assert_eq!(writes.len(), 2);
    assert_eq!(writes[0].status, AttemptStatus::Cancelled);
    assert_eq!(writes[0].error_code.as_deref(), Some("budget_exhausted"));
    assert_eq!(writes[1].status, AttemptStatus::Done);
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!((ledger.cap, ledger.settled), (cents(150), cents(30 + 40 + 40 + 10)));
    let events = rig.store.events_for_run(&run.id).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "budget.cap_raised").count(), 1);
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

#[tokio::test]
async fn stages_see_the_budget_degraded_from_95_percent_and_take_their_fallback_route() {
    async fn route_after_research_spends(research_cost: Money) -> (BudgetState, Option<String>) {
        let plan = Plan {
            research: vec![call("r1", research_cost, research_cost)],
            speak: vec![call("s1", cents(1), cents(1))],
            ..Plan::default()
        };
        let rig = PaidRig::new(plan).await;
        let run = rig.start(cents(100)).await;
        assert_eq!(rig.drive(&run.id).await, RunStatus::Done);
        let write = rig
            .store
            .attempts(&run.id)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.stage == "write")
            .unwrap();
        (
            budget_seen_by(&rig.store, &run.id, "write").await,
            write.route.map(|r| r.to_string()),
        )
    }

    let (state, route) = route_after_research_spends(cents(96)).await;
    assert_eq!((state, route.as_deref()), (BudgetState::Degraded, Some("fallback")));
    let (state, route) = route_after_research_spends(cents(94)).await;
    assert_eq!((state, route.as_deref()), (BudgetState::Warned, Some("primary")));
}

#[tokio::test]
async fn a_phase_over_its_share_is_noted_once_and_the_run_goes_on() {
    let plan = Plan {
        // Research's share of $1.00 is $0.20.
        research: vec![call("r1", cents(30), cents(25)), call("r2", cents(10), cents(5))],
        speak: vec![call("s1", cents(10), cents(10))],
        ..Plan::default()
    };
    let rig = PaidRig::new(plan).await;
    let run = rig.start(cents(100)).await;
    assert_eq!(
        rig.drive(&run.id).await,
        RunStatus::Done,
        "a soft share never stops a run"
    );
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    let research = &ledger.by_phase[0];
    assert_eq!(research.phase, "research");
    assert_eq!((research.settled, research.allocation), (cents(30), cents(20)));
    let events = rig.store.events_for_run(&run.id).await.unwrap();
    let over: Vec<_> = events.iter().filter(|e| e.kind == "budget.phase_over").collect();
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].payload["phase"], "research");
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

#[tokio::test]
async fn the_cap_a_run_is_held_to_is_its_own() {
    let rig = PaidRig::new(halts_in_write()).await;
    // The run was started with $1, which w2's worst case does not fit under; it has no episode whose cap
    // the engine could read instead (the store's tests show a run's cap winning over its episode's).
    let run = rig.start(cents(100)).await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        rig.engine.park_reason(&run.id).await.unwrap(),
        Some(ParkReason::BudgetExhausted {
            stage: StageId::new("write")
        })
    );
    assert_eq!(
        rig.provider.sent("w2"),
        0,
        "refused under the run's cap before it went out"
    );
    assert_eq!(rig.store.ledger(&run.id).await.unwrap().cap, cents(100));
}
