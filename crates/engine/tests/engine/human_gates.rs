use std::sync::atomic::Ordering;

use showrunner_domain::{DecisionKind, EpisodeStatus, RunStatus, StageId};
use showrunner_engine::{EngineError, HumanDecision};

use crate::harness::Rig;

fn approve() -> HumanDecision {
    HumanDecision {
        decision: DecisionKind::Approve,
        note: "sounds right".into(),
        decided_by: "pat".into(),
        artifact_version: 1,
    }
}

#[tokio::test]
async fn a_parked_run_survives_a_restart_and_three_days_then_continues_on_approval() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    let dir = rig.dir;
    drop(rig.engine);

    let rig = Rig::open(dir).await;
    rig.clock.advance_ms(72 * 3_600_000);
    assert!(
        rig.engine.resume_interrupted().await.unwrap().is_empty(),
        "parked runs stay parked at start"
    );
    assert_eq!(rig.store.run(&run.id).await.unwrap().unwrap().status, RunStatus::Parked);
    rig.engine
        .decide(&run.id, &StageId::new("review"), approve())
        .await
        .unwrap();
    assert_eq!(rig.drive(&run.id).await, RunStatus::Done);
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        0,
        "nothing upstream is redone"
    );
    assert_eq!(rig.runner("done").runs.load(Ordering::SeqCst), 1);
    let decisions = rig.store.decisions(&run.id).await.unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].decided_by, "pat");
    assert_eq!(
        rig.store.episode(&run.episode_id).await.unwrap().unwrap().status,
        EpisodeStatus::Released
    );
}

#[tokio::test]
async fn a_second_approval_is_refused_without_changing_anything() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    rig.drive(&run.id).await;
    rig.engine
        .decide(&run.id, &StageId::new("review"), approve())
        .await
        .unwrap();
    rig.drive(&run.id).await;
    let again = rig.engine.decide(&run.id, &StageId::new("review"), approve()).await;
    assert!(matches!(again, Err(EngineError::Finished(_))), "{again:?}");
    assert_eq!(rig.store.decisions(&run.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn sending_back_redoes_the_stage_and_everything_after_it_with_the_note() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    rig.drive(&run.id).await;
    let send_back = HumanDecision {
        decision: DecisionKind::SendBack {
            stage: StageId::new("c"),
        },
        note: "add the 1953 storm".into(),
        ..approve()
    };
    rig.engine
        .decide(&run.id, &StageId::new("review"), send_back)
        .await
        .unwrap();
    assert_eq!(
        rig.drive(&run.id).await,
        RunStatus::Parked,
        "it comes back to the review gate"
    );
    assert_eq!(rig.runner("c").runs.load(Ordering::SeqCst), 2);
    assert_eq!(
        rig.runner("b").runs.load(Ordering::SeqCst),
        1,
        "b is not downstream of c"
    );
    assert_eq!(
        rig.runner("gate").runs.load(Ordering::SeqCst),
        2,
        "the gate judges the new work"
    );
    let feedback = rig.runner("c").seen_feedback.lock().unwrap().clone();
    assert_eq!(feedback.last().unwrap().as_deref(), Some("add the 1953 storm"));
}

#[tokio::test]
async fn a_decision_for_a_gate_the_run_is_not_parked_at_is_refused() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    rig.drive(&run.id).await;
    let wrong = rig.engine.decide(&run.id, &StageId::new("gate"), approve()).await;
    assert!(matches!(wrong, Err(EngineError::NotParkedHere { .. })), "{wrong:?}");
}
