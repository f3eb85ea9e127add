//! The paid-call protocol across crashes, failures and cancellation: nothing finished is paid for twice, a
//! call cut off mid-flight is re-sent once and flagged, and no reservation outlives its run.

use std::sync::atomic::Ordering;

use showrunner_domain::{AttemptStatus, Money, RunStatus};
use showrunner_store::CallStatus;

use crate::paid_rig::{assert_journal_rebuilds_ledger, call, cents, wait_for, PaidRig, Plan};

fn two_writes() -> Plan {
    Plan {
        research: vec![call("r1", cents(10), cents(8))],
        write: vec![call("w1", cents(20), cents(15)), call("w2", cents(20), cents(15))],
        speak: vec![call("s1", cents(10), cents(5))],
        ..Plan::default()
    }
}

#[tokio::test]
async fn after_a_crash_a_finished_call_is_reused_and_the_cut_off_one_is_resent_once_and_flagged() {
    let rig = PaidRig::new(two_writes()).await;
    let run = rig.start(cents(100)).await;
    let rig = rig.kill_during(&run.id, "w2").await;

    // The crash really happened mid-call: w2 was out, w1 was paid for, and the write attempt was cut off.
    assert_eq!(rig.provider.sent("w2"), 1);
    let before = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(
        before.reserved,
        cents(20),
        "the lost call still holds its reservation until the run resumes"
    );

    assert_eq!(rig.engine.resume_interrupted().await.unwrap(), vec![run.id.clone()]);
    assert_eq!(rig.drive(&run.id).await, RunStatus::Done);
    assert_eq!(rig.provider.sent("r1"), 1, "research finished before the crash");
    assert_eq!(
        rig.provider.sent("w1"),
        1,
        "w1 was settled before the crash and is reused, not paid again"
    );
    assert_eq!(rig.provider.sent("w2"), 2, "the cut-off call is re-sent exactly once");
    let w2 = rig.store.calls_with_key(&run.id, "w2").await.unwrap();
    assert_eq!(w2.len(), 2);
    assert!(w2[0].ambiguous && w2[0].status == CallStatus::Released);
    assert_eq!(w2[0].error_code.as_deref(), Some("interrupted"));
    assert!(!w2[1].ambiguous && w2[1].status == CallStatus::Settled);

    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(
        ledger.calls.iter().filter(|c| c.ambiguous).count(),
        1,
        "one ambiguous call per kill"
    );
    assert_eq!(
        ledger.unconfirmed,
        cents(20),
        "the lost call may have cost up to its reservation"
    );
    assert_eq!(ledger.settled, cents(8 + 15 + 15 + 5));
    assert_eq!(ledger.reserved, Money::ZERO);
    let writes: Vec<_> = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.stage == "write")
        .collect();
    assert_eq!(writes[0].error_code.as_deref(), Some("interrupted"));
    assert_eq!(writes.last().unwrap().status, AttemptStatus::Done);
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

#[tokio::test]
async fn a_call_cut_off_twice_is_not_sent_a_third_time_and_the_run_stops_for_the_producer() {
    let rig = PaidRig::new(two_writes()).await;
    let run = rig.start(cents(100)).await;
    let rig = rig.kill_during(&run.id, "w2").await;
    let rig = rig.kill_during(&run.id, "w2").await;
    assert_eq!(rig.provider.sent("w2"), 2, "sent before each kill");

    assert_eq!(rig.drive(&run.id).await, RunStatus::Failed);
    assert_eq!(
        rig.provider.sent("w2"),
        2,
        "a key cut off twice is never sent a third time"
    );
    let write = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .rfind(|a| a.stage == "write")
        .unwrap();
    assert_eq!(write.error_code.as_deref(), Some("ambiguous_call"));
    assert!(
        write.error_message.unwrap().contains("usage page"),
        "it tells the producer what to check"
    );
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(ledger.calls.iter().filter(|c| c.ambiguous).count(), 2, "one per kill");
    assert_eq!(rig.provider.sent("w1"), 1);
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

#[tokio::test]
async fn cancelling_a_run_while_a_call_is_out_releases_every_reservation() {
    let rig = PaidRig::new(two_writes()).await;
    let run = rig.start(cents(100)).await;
    *rig.provider.hang_on.lock().unwrap() = Some("w2".into());
    let handle = rig.engine.spawn_drive(&run.id).unwrap();
    wait_for(|| rig.provider.sent("w2") == 1).await;
    assert_eq!(
        rig.store.ledger(&run.id).await.unwrap().reserved,
        cents(20),
        "w2 holds its reservation"
    );

    rig.engine.cancel(&run.id).await.unwrap();
    assert_eq!(handle.await.unwrap().unwrap(), RunStatus::Cancelled);
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(ledger.reserved, Money::ZERO);
    assert_eq!(ledger.settled, cents(8 + 15), "what finished stays billed");
    let w2 = rig.store.calls_with_key(&run.id, "w2").await.unwrap();
    assert_eq!(w2.len(), 1);
    assert_eq!(w2[0].status, CallStatus::Released);
    assert!(w2[0].ambiguous, "cut off mid-flight: it may have been billed");
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

#[tokio::test]
async fn cancelling_a_run_after_a_crash_releases_the_dead_process_reservation_without_driving_it() {
    let rig = PaidRig::new(two_writes()).await;
    let run = rig.start(cents(100)).await;
    *rig.provider.hang_on.lock().unwrap() = Some("w2".into());
    let handle = rig.engine.spawn_drive(&run.id).unwrap();
    wait_for(|| rig.provider.sent("w2") == 1).await;
    handle.abort();
    let _ = handle.await;
    wait_for(|| rig.provider.in_flight.load(Ordering::SeqCst) == 0).await;
    let dir = rig.dir;
    drop(rig.engine);
    rig.store.close().await;

    let rig = PaidRig::open(dir, rig.provider, two_writes()).await;
    assert_eq!(
        rig.store.ledger(&run.id).await.unwrap().reserved,
        cents(20),
        "the dead call still holds money"
    );
    rig.engine.cancel(&run.id).await.unwrap();
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(ledger.reserved, Money::ZERO);
    assert_eq!(
        rig.store.run(&run.id).await.unwrap().unwrap().status,
        RunStatus::Cancelled
    );
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}

#[tokio::test]
async fn a_failed_call_frees_its_reservation_keeps_what_was_billed_and_is_not_reused() {
    let rig = PaidRig::new(two_writes()).await;
    *rig.provider.fail_on.lock().unwrap() = Some(("w2".into(), cents(3)));
    let run = rig.start(cents(100)).await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Failed);
    let ledger = rig.store.ledger(&run.id).await.unwrap();
    assert_eq!(ledger.reserved, Money::ZERO);
    assert_eq!(
        ledger.settled,
        cents(8 + 15 + 3),
        "the unusable answer was still paid for"
    );
    let w2 = rig.store.calls_with_key(&run.id, "w2").await.unwrap();
    assert_eq!(
        (w2[0].status, w2[0].error_code.as_deref()),
        (CallStatus::Failed, Some("invalid_output"))
    );
    assert!(rig.store.finished_call(&run.id, "w2").await.unwrap().is_none());
    assert_eq!(rig.stage("write").errors.lock().unwrap().as_slice(), ["invalid_output"]);
    assert_journal_rebuilds_ledger(&rig.store, &run.id).await;
}
