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
    assert_eq!(rig.subject.now(), Some(EpisodeStatus::NeedsAttention));
}

#[tokio::test]
async fn a_run_resumed_after_its_gate_sent_work_back_redoes_the_stage_with_the_gates_stored_feedback() {
    use showrunner_domain::{ArtifactKind, AttemptStatus, StageId};
    use showrunner_store::{AttemptFinish, NewArtifact};

    let rig = Rig::new().await;
    let run = rig.start().await;
    // What a process that died right after the gate's send-back left behind: a, b and c done (c's report
    // mentions feedback too, but c is no gate of b's), the gate's remediation with its report, and b and
    // everything after it superseded.
    let finish = |verdict, feedback: &str| AttemptFinish {
        status: AttemptStatus::Done,
        cost: Default::default(),
        route: None,
        verdict,
        error_code: None,
        error_message: None,
        artifacts: vec![NewArtifact {
            kind: ArtifactKind::GateReport,
            content: serde_json::json!({ "feedback": feedback }),
        }],
    };
    for (stage, verdict, feedback) in [
        ("a", None, "not for b"),
        ("b", None, "not for b"),
        ("c", None, "not for b either"),
        ("gate", Some(GateVerdict::Remediate), "cut the intro"),
    ] {
        let attempt = rig
            .store
            .start_attempt(&run.id, &StageId::new(stage), None, 3)
            .await
            .unwrap();
        rig.store
            .finish_attempt(attempt.id, finish(verdict, feedback), 4)
            .await
            .unwrap();
    }
    let redo: Vec<StageId> = ["b", "gate", "review", "done"].into_iter().map(StageId::new).collect();
    rig.store.supersede_stages(&run.id, &redo, 5).await.unwrap();

    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        *rig.runner("b").seen_feedback.lock().unwrap(),
        vec![Some("cut the intro".to_owned())],
        "the redo carries the gate's feedback, read back from the store"
    );
    assert_eq!(
        *rig.runner("b").seen_final.lock().unwrap(),
        vec![false],
        "one send-back of two is used"
    );
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        0,
        "finished work is not redone"
    );
    assert_eq!(
        rig.runner("c").runs.load(Ordering::SeqCst),
        0,
        "c is not downstream of b"
    );
    assert_eq!(
        rig.runner("gate").runs.load(Ordering::SeqCst),
        1,
        "the gate judges the redo"
    );
}
