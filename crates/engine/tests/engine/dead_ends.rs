//! No dead ends in the engine: a panicking stage is a failed attempt the producer can retry, a producer's
//! decision at an escalated gate starts its send-back count again, and a cancel is written before it is
//! acknowledged.

use std::sync::atomic::Ordering;
use std::time::Duration;

use showrunner_domain::{AttemptStatus, DecisionKind, GateVerdict, ParkReason, RunStatus, StageId};
use showrunner_engine::HumanDecision;

use crate::harness::Rig;

fn decision(kind: DecisionKind) -> HumanDecision {
    HumanDecision {
        decision: kind,
        note: "the producer looked at it".into(),
        decided_by: "pat".into(),
        artifact_version: 1,
    }
}

#[tokio::test]
async fn a_panicking_stage_fails_with_code_internal_and_a_retry_continues_from_it() {
    let rig = Rig::new().await;
    rig.runner("b").panics.store(1, Ordering::SeqCst);
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Failed, "not running for ever");
    let attempts = rig.store.attempts(&run.id).await.unwrap();
    let b = attempts.iter().find(|a| a.stage.as_str() == "b").unwrap();
    assert_eq!(b.status, AttemptStatus::Failed);
    assert_eq!(b.error_code.as_deref(), Some("internal"));
    assert!(
        b.error_message.as_deref().unwrap_or_default().contains("byte index 7"),
        "{:?}",
        b.error_message
    );

    rig.engine.retry(&run.id).await.unwrap();
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    let park = rig.engine.park_reason(&run.id).await.unwrap();
    assert!(matches!(park, Some(ParkReason::HumanGate { .. })), "{park:?}");
    assert_eq!(
        rig.runner("b").runs.load(Ordering::SeqCst),
        2,
        "the failed stage ran again"
    );
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        1,
        "finished work is reused"
    );
    assert_eq!(
        rig.runner("c").runs.load(Ordering::SeqCst),
        1,
        "finished work is reused"
    );

    let again = rig.engine.retry(&run.id).await;
    assert!(again.is_err(), "a run that is not failed cannot be retried: {again:?}");
}

#[tokio::test]
async fn a_failed_run_can_be_stopped() {
    let rig = Rig::new().await;
    *rig.runner("a").terminal_failure.lock().unwrap() = Some("the key was refused".into());
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Failed);
    rig.engine.cancel(&run.id).await.unwrap();
    assert_eq!(
        rig.store.run(&run.id).await.unwrap().unwrap().status,
        RunStatus::Cancelled
    );
}

async fn escalate(rig: &Rig, run: &showrunner_domain::RunId) {
    assert_eq!(rig.drive(run).await, RunStatus::Parked);
    let park = rig.engine.park_reason(run).await.unwrap();
    assert!(matches!(park, Some(ParkReason::GateEscalated { .. })), "{park:?}");
}

#[tokio::test]
async fn sending_back_from_an_escalated_gate_gives_the_gate_its_send_backs_again() {
    let rig = Rig::new().await;
    *rig.runner("gate").verdicts.lock().unwrap() = vec![GateVerdict::Remediate; 6];
    let run = rig.start().await;
    escalate(&rig, &run.id).await;
    assert_eq!(
        rig.runner("b").runs.load(Ordering::SeqCst),
        3,
        "two send-backs, then the producer"
    );

    let back = decision(DecisionKind::SendBack {
        stage: StageId::new("b"),
    });
    rig.engine.decide(&run.id, &StageId::new("gate"), back).await.unwrap();
    escalate(&rig, &run.id).await;
    assert_eq!(
        rig.runner("b").runs.load(Ordering::SeqCst),
        6,
        "the producer's send-back, then two more from the gate before it asks again"
    );
    assert!(rig.runner("gate").verdicts.lock().unwrap().is_empty());
}

#[tokio::test]
async fn continuing_anyway_at_an_escalated_gate_goes_on_to_the_next_stage_and_records_the_override() {
    let rig = Rig::new().await;
    *rig.runner("gate").verdicts.lock().unwrap() = vec![GateVerdict::Remediate; 3];
    let run = rig.start().await;
    escalate(&rig, &run.id).await;
    let failing = vec!["Score: 0.40 (need 0.80).".to_owned()];
    let go_on = decision(DecisionKind::ContinueAnyway {
        failing: failing.clone(),
    });
    rig.engine.decide(&run.id, &StageId::new("gate"), go_on).await.unwrap();
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    let park = rig.engine.park_reason(&run.id).await.unwrap();
    assert_eq!(
        park,
        Some(ParkReason::HumanGate {
            stage: StageId::new("review")
        })
    );
    let decisions = rig.store.decisions(&run.id).await.unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].decision, DecisionKind::ContinueAnyway { failing });
    assert_eq!(decisions[0].note, "the producer looked at it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_is_written_before_it_is_acknowledged() {
    let rig = Rig::new().await;
    *rig.runner("a").delay.lock().unwrap() = Duration::from_secs(30);
    let run = rig.start().await;
    rig.engine.spawn_drive(&run.id).expect("a new driver");
    while rig.runner("a").runs.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    rig.engine.cancel(&run.id).await.unwrap();
    // Read straight after the acknowledgement: no waiting for the driver to catch up.
    let record = rig.store.run(&run.id).await.unwrap().unwrap();
    assert_eq!(record.status, RunStatus::Cancelled);
    let attempts = rig.store.attempts(&run.id).await.unwrap();
    assert!(
        attempts.iter().all(|a| a.status != AttemptStatus::Running),
        "{:?}",
        rig.statuses(&run.id).await
    );
}
