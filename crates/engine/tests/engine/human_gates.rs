use std::sync::atomic::Ordering;

use showrunner_domain::{DecisionKind, EpisodeStatus, ParkReason, RunStatus, StageId};
use showrunner_engine::{Clock, EngineError, HumanDecision};

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
    assert_eq!(decision_events(&rig, &run.id).await, 1);
}

async fn decision_events(rig: &Rig, run: &showrunner_domain::RunId) -> usize {
    let events = rig.store.events_for_run(run).await.unwrap();
    events.iter().filter(|e| e.kind == "decision.recorded").count()
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

/// Everything a refused or idle step must leave untouched: attempts, decisions and the run's journal.
async fn snapshot(rig: &Rig, run: &showrunner_domain::RunId) -> (usize, usize, usize) {
    (
        rig.store.attempts(run).await.unwrap().len(),
        rig.store.decisions(run).await.unwrap().len(),
        rig.store.events_for_run(run).await.unwrap().len(),
    )
}

#[tokio::test]
async fn a_gate_parked_72_hours_across_a_restart_takes_exactly_one_approval_stamped_with_the_late_time() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    let parked = snapshot(&rig, &run.id).await;
    // Three days pass with the app open: nothing wakes a parked run.
    rig.clock.advance_ms(72 * 3_600_000);
    assert_eq!(rig.store.run(&run.id).await.unwrap().unwrap().status, RunStatus::Parked);
    assert_eq!(snapshot(&rig, &run.id).await, parked);
    let started = rig.clock.now_ms();

    // Restart: the engine and its store go away, a new process opens the same folder three days on.
    let dir = rig.dir;
    drop(rig.engine);
    rig.store.close().await;
    let rig = Rig::open(dir).await;
    rig.clock.advance_ms(72 * 3_600_000);
    let reopened_at = rig.clock.now_ms();
    assert!(
        rig.engine.resume_interrupted().await.unwrap().is_empty(),
        "a parked run is not an interrupted one"
    );
    let run_now = rig.store.run(&run.id).await.unwrap().unwrap();
    assert_eq!(run_now.status, RunStatus::Parked);
    assert!(
        matches!(&run_now.park, Some(ParkReason::HumanGate { stage }) if stage.as_str() == "review"),
        "{:?}",
        run_now.park
    );
    assert_eq!(
        snapshot(&rig, &run.id).await,
        parked,
        "the restart started or failed nothing"
    );
    assert!(rig.runners.values().all(|r| r.runs.load(Ordering::SeqCst) == 0));

    rig.engine
        .decide(&run.id, &StageId::new("review"), approve())
        .await
        .unwrap();
    let decisions = rig.store.decisions(&run.id).await.unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(
        decisions[0].decided_at_ms, reopened_at,
        "the decision is stamped with the clock after the wait (parked at {started})"
    );
    // The same approval sent twice (a double click) is refused and records nothing. (The run itself is already
    // moving on in the background, so only the decisions are compared.)
    let twice = rig.engine.decide(&run.id, &StageId::new("review"), approve()).await;
    assert!(twice.is_err(), "{twice:?}");
    assert_eq!(rig.store.decisions(&run.id).await.unwrap().len(), 1);
    assert_eq!(decision_events(&rig, &run.id).await, 1);

    assert_eq!(rig.drive(&run.id).await, RunStatus::Done);
    assert_eq!(rig.runner("done").runs.load(Ordering::SeqCst), 1);
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        0,
        "nothing upstream is redone"
    );
    assert_eq!(decisions[0].decided_by, "pat");
    assert_eq!(rig.subject.now(), Some(EpisodeStatus::Released));
    let done = snapshot(&rig, &run.id).await;
    let late = rig.engine.decide(&run.id, &StageId::new("review"), approve()).await;
    assert!(matches!(late, Err(EngineError::Finished(_))), "{late:?}");
    assert_eq!(snapshot(&rig, &run.id).await, done, "a refused approval writes nothing");
    assert_eq!(rig.store.decisions(&run.id).await.unwrap().len(), 1);
    assert_eq!(decision_events(&rig, &run.id).await, 1);
}
