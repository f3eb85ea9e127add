use std::sync::atomic::Ordering;
use std::time::Duration;

use showrunner_domain::{AttemptStatus, EpisodeStatus, RunStatus};

use crate::harness::Rig;

#[tokio::test]
async fn independent_stages_run_at_the_same_time_and_dependents_wait() {
    let rig = Rig::new().await;
    *rig.runner("b").delay.lock().unwrap() = Duration::from_millis(150);
    *rig.runner("c").delay.lock().unwrap() = Duration::from_millis(150);
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        rig.runner("b").max_concurrent.load(Ordering::SeqCst),
        2,
        "b and c depend only on a, so they must overlap"
    );
    let attempts = rig.store.attempts(&run.id).await.unwrap();
    let a = attempts.iter().find(|x| x.stage == "a").unwrap();
    let b = attempts.iter().find(|x| x.stage == "b").unwrap();
    assert!(a.id < b.id, "a's result is persisted before b starts");
}

#[tokio::test]
async fn a_transient_failure_is_retried_as_a_new_attempt_and_the_run_continues() {
    let rig = Rig::new().await;
    rig.runner("a").transient_failures.store(2, Ordering::SeqCst);
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        3,
        "two failures, then success"
    );
    let a: Vec<_> = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.stage == "a")
        .collect();
    assert_eq!(a.len(), 3, "every try is journaled as its own attempt");
    assert_eq!(a.last().unwrap().status, AttemptStatus::Done);
}

#[tokio::test]
async fn a_terminal_failure_fails_the_run_with_the_reason_kept() {
    let rig = Rig::new().await;
    *rig.runner("c").terminal_failure.lock().unwrap() = Some("the model rejected the request".into());
    let run = rig.start().await;
    assert_eq!(rig.drive(&run.id).await, RunStatus::Failed);
    let c = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.stage == "c")
        .unwrap();
    assert_eq!(c.error_message.as_deref(), Some("the model rejected the request"));
    assert_eq!(
        rig.runner("c").runs.load(Ordering::SeqCst),
        1,
        "terminal errors are not retried"
    );
    assert_eq!(rig.subject.now(), Some(EpisodeStatus::Failed));
}

#[tokio::test]
async fn a_run_interrupted_mid_stage_resumes_without_redoing_finished_stages() {
    let rig = Rig::new().await;
    *rig.runner("b").delay.lock().unwrap() = Duration::from_secs(30);
    let run = rig.start().await;
    let handle = rig.engine.spawn_drive(&run.id).unwrap();
    // Wait until b is running, then "quit": abort the driving task mid-stage.
    for _ in 0..200 {
        if rig
            .statuses(&run.id)
            .await
            .iter()
            .any(|(s, st)| s == "b" && st == "running")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    handle.abort();
    let _ = handle.await;
    let dir = rig.dir;
    drop(rig.engine);

    let rig = crate::harness::Rig::open(dir).await;
    let resumed = rig.engine.resume_interrupted().await.unwrap();
    assert_eq!(resumed, vec![run.id.clone()]);
    assert_eq!(rig.drive(&run.id).await, RunStatus::Parked);
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        0,
        "a finished before the quit and is not paid for again"
    );
    assert_eq!(
        rig.runner("b").runs.load(Ordering::SeqCst),
        1,
        "the interrupted stage runs again once"
    );
    let b: Vec<_> = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.stage == "b")
        .collect();
    assert_eq!(
        b[0].status,
        AttemptStatus::Cancelled,
        "the interrupted attempt is kept, marked interrupted"
    );
    assert_eq!(b[0].error_code.as_deref(), Some("interrupted"));
}

#[tokio::test]
async fn cancelling_a_parked_run_marks_it_and_its_episode_cancelled() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    rig.drive(&run.id).await;
    rig.engine.cancel(&run.id).await.unwrap();
    let record = rig.store.run(&run.id).await.unwrap().unwrap();
    assert_eq!(record.status, RunStatus::Cancelled);
    assert_eq!(rig.subject.now(), Some(EpisodeStatus::Cancelled));
}
