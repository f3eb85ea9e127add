use std::sync::atomic::Ordering;

use showrunner_domain::{EpisodeStatus, GateVerdict, ParkReason, RunStatus};

use crate::harness::Rig;

#[tokio::test]
async fn a_failing_gate_sends_work_back_with_feedback_then_passes() {
    let rig = Rig::new().await;
    *rig.runner("gate").verdicts.lock().unwrap() = vec![GateVerdict::Remediate, GateVerdict::Pass];
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(rig.runner("b").runs.load(Ordering::SeqCst), 2, "b is redone once");
    assert_eq!(
        rig.runner("c").runs.load(Ordering::SeqCst),
        1,
        "c is not downstream of b and is reused"
    );
    let feedback = rig.runner("b").seen_feedback.lock().unwrap().clone();
    assert_eq!(
        feedback,
        vec![None, Some("make it shorter".into())],
        "the redo carries the gate's feedback"
    );
    let record = rig.store.run(&run.id).await.unwrap().unwrap();
    assert!(
        matches!(record.park, Some(ParkReason::HumanGate { .. })),
        "after passing, the run reaches the human gate"
    );
}

#[tokio::test]
async fn a_gate_that_keeps_failing_escalates_to_the_producer_after_three_tries() {
    let rig = Rig::new().await;
    *rig.runner("gate").verdicts.lock().unwrap() = vec![GateVerdict::Remediate; 5];
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        rig.runner("b").runs.load(Ordering::SeqCst),
        3,
        "b is tried three times in all"
    );
    assert_eq!(
        *rig.runner("b").seen_final.lock().unwrap(),
        vec![false, false, true],
        "only the third try is told it is the last, so it can take the strongest route"
    );
    assert_eq!(rig.runner("gate").runs.load(Ordering::SeqCst), 3);
    let record = rig.store.run(&run.id).await.unwrap().unwrap();
    assert!(
        matches!(&record.park, Some(ParkReason::GateEscalated { stage, .. }) if stage.as_str() == "gate"),
        "the run waits for the producer at the gate: {:?}",
        record.park
    );
    let episode = rig.store.episode(&run.episode_id).await.unwrap().unwrap();
    assert_eq!(episode.status, EpisodeStatus::NeedsAttention);
}
