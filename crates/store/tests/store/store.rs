//! The store against a real SQLite file in a temporary folder.

use serde_json::json;
use showrunner_domain::{
    ArtifactKind, AttemptStatus, BlobHash, BrandVoice, Decision, DecisionKind, EpisodeStatus, GateVerdict, Money,
    NewEpisode, ParkReason, PhaseId, ProviderCode, RunStatus, StageCode, StageId,
};
use showrunner_store::{
    AttemptFinish, CallSettlement, NewArtifact, NewCall, Store, StoreError, SubjectStatus, WAL_SIZE_LIMIT,
};

/// New runs start their episode producing, as production's hook has them.
fn producing() -> Option<SubjectStatus> {
    Some(SubjectStatus::Episode(EpisodeStatus::Producing))
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    (dir, store)
}

fn done(artifacts: Vec<NewArtifact>, cost: i64) -> AttemptFinish {
    AttemptFinish {
        status: AttemptStatus::Done,
        cost: Money(cost),
        route: Some(showrunner_domain::Route::stand_in("Rehearsal (offline)")),
        verdict: None,
        error_code: None,
        error_message: None,
        artifacts,
    }
}

async fn episode_with_run(store: &Store) -> (showrunner_domain::Episode, showrunner_store::RunRecord) {
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "  Rip currents ".into(),
        target_minutes: 25,
        budget_cap: Money(33_250_000),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    let run = store
        .create_run(
            Some(&episode.id),
            "standard",
            input.budget_cap,
            &crate::split(),
            producing(),
            3,
        )
        .await
        .unwrap();
    (episode, run)
}

#[tokio::test]
async fn the_database_is_one_wal_file_in_the_data_folder() {
    let (dir, store) = store().await;
    assert!(dir.path().join("showrunner.db").exists());
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.database_path().display()))
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    pool.close().await;
}

/// A reader that holds a snapshot keeps every checkpoint from recycling the WAL, so it grows; once the reader
/// is gone and the engine checkpoints at a run's rest, the file must shrink back instead of staying that size.
#[tokio::test]
async fn the_wal_shrinks_back_after_a_long_reader_let_it_grow() {
    let (dir, store) = store().await;
    let (_episode, run) = episode_with_run(&store).await;
    let wal = dir.path().join("showrunner.db-wal");
    let wal_size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);

    let reader_pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.database_path().display()))
        .await
        .unwrap();
    let mut reader = reader_pool.begin().await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut *reader)
        .await
        .unwrap();
    let page = "x".repeat(256 * 1024);
    for n in 0..100 {
        let script = NewArtifact {
            kind: ArtifactKind::Script,
            content: json!({ "draft": n, "text": page }),
        };
        store
            .save_artifact(&run.id, &StageId::new("script.write"), script, 10 + n)
            .await
            .unwrap();
    }
    let grown = wal_size();
    assert!(
        grown > WAL_SIZE_LIMIT,
        "the reader should have let the WAL grow: {grown} bytes"
    );

    reader.rollback().await.unwrap();
    reader_pool.close().await;
    store.checkpoint().await.unwrap();
    // The next write starts the WAL over and cuts the file back.
    let note = NewArtifact {
        kind: ArtifactKind::Script,
        content: json!({ "draft": 100 }),
    };
    store
        .save_artifact(&run.id, &StageId::new("script.write"), note, 200)
        .await
        .unwrap();
    let after = wal_size();
    assert!(
        after <= WAL_SIZE_LIMIT,
        "the WAL stayed at {after} bytes (it had grown to {grown})"
    );
    let latest = store
        .latest_artifact(&run.id, ArtifactKind::Script)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.content["draft"], 100, "nothing was lost on the way");
}

#[tokio::test]
async fn show_names_are_unique_regardless_of_case_and_spaces() {
    let (_dir, store) = store().await;
    store.create_show(&BrandVoice::starter("Deep Dive"), 1).await.unwrap();
    let err = store
        .create_show(&BrandVoice::starter(" deep dive "), 2)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DuplicateShowName(ref n) if n == "deep dive"),
        "{err:?}"
    );
    assert_eq!(err.code(), "duplicate_show_name");
    assert_eq!(store.list_shows().await.unwrap().len(), 1);
    assert!(store.show_by_name("DEEP DIVE").await.unwrap().is_some());
}

#[tokio::test]
async fn renaming_a_show_onto_another_is_refused_and_changes_nothing() {
    let (_dir, store) = store().await;
    let a = store.create_show(&BrandVoice::starter("Alpha"), 1).await.unwrap();
    store.create_show(&BrandVoice::starter("Beta"), 1).await.unwrap();
    let err = store
        .update_show(&a.id, &BrandVoice::starter("beta"), 2)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateShowName(_)));
    assert_eq!(store.show(&a.id).await.unwrap().unwrap().brand.name, "Alpha");
    let unknown = store
        .update_show(&showrunner_domain::ShowId::new(), &BrandVoice::starter("Gamma"), 2)
        .await
        .unwrap_err();
    assert!(matches!(unknown, StoreError::UnknownShow(_)));
}

#[tokio::test]
async fn an_episode_for_an_unknown_show_is_refused() {
    let (_dir, store) = store().await;
    let input = NewEpisode {
        show_id: showrunner_domain::ShowId::new(),
        topic: "x".into(),
        target_minutes: 5,
        budget_cap: Money(1),
        format: Default::default(),
        language: None,
    };
    assert!(matches!(
        store.create_episode(&input, 1).await.unwrap_err(),
        StoreError::UnknownShow(_)
    ));
    assert!(store.list_episodes().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_episode_shows_its_latest_run_spend_parking_and_master_length() {
    let (_dir, store) = store().await;
    let (episode, run) = episode_with_run(&store).await;
    assert_eq!(episode.topic, "Rip currents");
    assert_eq!(episode.show_name, "Tides");
    assert_eq!(episode.spent, Money::ZERO);
    assert_eq!(episode.duration_ms, None);

    let a = store
        .start_attempt(&run.id, &StageId::new("research"), None, 10)
        .await
        .unwrap();
    store.finish_attempt(a.id, done(vec![], 120_000), 20).await.unwrap();
    let m = store
        .start_attempt(&run.id, &StageId::new("master"), None, 30)
        .await
        .unwrap();
    let master = NewArtifact {
        kind: ArtifactKind::Master,
        content: json!({ "duration_ms": 1_499_000 }),
    };
    store
        .finish_attempt(m.id, done(vec![master], 30_000), 40)
        .await
        .unwrap();
    let park = ParkReason::HumanGate {
        stage: StageId::new("release"),
    };
    store
        .set_run_status(
            &run.id,
            RunStatus::Parked,
            Some(&park),
            Some(SubjectStatus::Episode(EpisodeStatus::AwaitingRelease)),
            50,
        )
        .await
        .unwrap();

    // Spend is what the ledger billed ($0.10 + $0.025), not the attempts' own cost figures.
    for (key, cost) in [("research/1", 100_000), ("master/1", 25_000)] {
        let call = NewCall {
            run_id: run.id.clone(),
            stage: StageId::new("research"),
            attempt_id: Some(a.id),
            call_key: key.into(),
            phase: PhaseId::new("research"),
            provider: "anthropic".into(),
            model: "claude-sonnet-4".into(),
            reserve: Money(200_000),
            prompt: None,
            reuse_key: None,
        };
        let reserved = store.reserve_call(&call, 60).await.unwrap();
        let settled = CallSettlement {
            cost: Money(cost),
            usage: json!({}),
            price_row: None,
            request_id: None,
            result: json!(null),
        };
        store.settle_call(reserved.call.id, &settled, 61).await.unwrap();
    }

    let listed = store.list_episodes().await.unwrap();
    assert_eq!(listed.len(), 1);
    let e = &listed[0];
    assert_eq!(e.run_id.as_ref(), Some(&run.id));
    assert_eq!(e.spent, Money(125_000));
    assert_eq!(e.duration_ms, Some(1_499_000));
    assert_eq!(e.parked_at, Some(StageId::new("release")));
    assert_eq!(e.status, EpisodeStatus::AwaitingRelease);
    assert_eq!(store.run(&run.id).await.unwrap().unwrap().park, Some(park));
}

#[tokio::test]
async fn attempts_are_numbered_per_stage_and_artifacts_versioned_per_kind() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let write = StageId::new("script.write");
    for n in 1..=3 {
        let a = store.start_attempt(&run.id, &write, Some("shorter"), n).await.unwrap();
        assert_eq!(a.attempt, n as u32);
        assert_eq!(a.feedback.as_deref(), Some("shorter"));
        let script = NewArtifact {
            kind: ArtifactKind::Script,
            content: json!({ "draft": n }),
        };
        let saved = store.finish_attempt(a.id, done(vec![script], 0), n).await.unwrap();
        assert_eq!(saved[0].version, n as u32);
        assert_eq!(saved[0].attempt_id, Some(a.id));
    }
    let latest = store
        .latest_artifact(&run.id, ArtifactKind::Script)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.content, json!({ "draft": 3 }));
    assert_eq!(
        store.artifacts(&run.id).await.unwrap().len(),
        3,
        "older versions are kept"
    );
    let edit = store
        .save_artifact(
            &run.id,
            &StageId::new("script.signoff"),
            NewArtifact {
                kind: ArtifactKind::Script,
                content: json!({ "edited": true }),
            },
            9,
        )
        .await
        .unwrap();
    assert_eq!((edit.version, edit.attempt_id), (4, None));
    assert_eq!(store.artifact(&edit.id).await.unwrap().unwrap(), edit);
}

#[tokio::test]
async fn a_finished_attempt_cannot_be_finished_again() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let a = store
        .start_attempt(&run.id, &StageId::new("plan"), None, 1)
        .await
        .unwrap();
    store.finish_attempt(a.id, done(vec![], 5), 2).await.unwrap();
    let again = store.finish_attempt(a.id, done(vec![], 5), 3).await.unwrap_err();
    assert!(matches!(again, StoreError::Stale { .. }), "{again:?}");
    assert_eq!(store.attempts(&run.id).await.unwrap()[0].cost, Money(5), "paid once");
}

#[tokio::test]
async fn late_work_on_a_superseded_stage_keeps_its_cost_but_not_its_output() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let polish = StageId::new("script.polish");
    let a = store.start_attempt(&run.id, &polish, None, 1).await.unwrap();
    assert_eq!(
        store
            .supersede_stages(&run.id, std::slice::from_ref(&polish), 2)
            .await
            .unwrap(),
        1
    );
    let late = NewArtifact {
        kind: ArtifactKind::Script,
        content: json!({ "stale": true }),
    };
    store.finish_attempt(a.id, done(vec![late], 700), 3).await.unwrap();
    let attempts = store.attempts(&run.id).await.unwrap();
    assert_eq!(attempts[0].status, AttemptStatus::Superseded);
    assert_eq!(attempts[0].cost, Money(700));
    assert!(store
        .latest_artifact(&run.id, ArtifactKind::Script)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn interrupted_attempts_are_closed_as_cancelled_with_a_reason() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let running = store.start_attempt(&run.id, &StageId::new("a"), None, 1).await.unwrap();
    let waiting = store.start_attempt(&run.id, &StageId::new("b"), None, 1).await.unwrap();
    let mut wait = done(vec![], 0);
    wait.status = AttemptStatus::WaitingRetry;
    wait.error_code = Some("rate_limited".into());
    store.finish_attempt(waiting.id, wait, 2).await.unwrap();
    let finished = store.start_attempt(&run.id, &StageId::new("c"), None, 1).await.unwrap();
    store.finish_attempt(finished.id, done(vec![], 0), 2).await.unwrap();

    assert_eq!(store.interrupt_running_attempts(&run.id, 5).await.unwrap(), 2);
    let attempts = store.attempts(&run.id).await.unwrap();
    for id in [running.id, waiting.id] {
        let a = attempts.iter().find(|a| a.id == id).unwrap();
        assert_eq!(
            (a.status, a.error_code.as_deref(), a.finished_at_ms),
            (AttemptStatus::Cancelled, Some("interrupted"), Some(5))
        );
    }
    assert_eq!(
        attempts.iter().find(|a| a.id == finished.id).unwrap().status,
        AttemptStatus::Done
    );
}

/// Failure codes are typed in the program and text in the database: a row an older version wrote reads back as
/// the same typed code, an unfamiliar code keeps its text, and the journal carries the text it always did.
#[tokio::test]
async fn stored_failure_codes_read_back_typed_and_unchanged() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let old = store.start_attempt(&run.id, &StageId::new("a"), None, 1).await.unwrap();
    let unfamiliar = store.start_attempt(&run.id, &StageId::new("b"), None, 1).await.unwrap();
    let typed = store.start_attempt(&run.id, &StageId::new("c"), None, 1).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.database_path().display()))
        .await
        .unwrap();
    for (id, code) in [(old.id, "bad_key"), (unfamiliar.id, "audio_off_spec")] {
        sqlx::query("UPDATE attempts SET status = 'failed', error_code = ? WHERE id = ?")
            .bind(code)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    let mut failed = done(vec![], 0);
    failed.status = AttemptStatus::Failed;
    failed.error_code = Some(StageCode::DiskFull);
    store.finish_attempt(typed.id, failed, 2).await.unwrap();

    let attempts = store.attempts(&run.id).await.unwrap();
    let code = |id: i64| attempts.iter().find(|a| a.id == id).unwrap().failure_code();
    assert_eq!(code(old.id), Some(StageCode::Provider(ProviderCode::BadKey)));
    assert_eq!(code(unfamiliar.id), Some(StageCode::Other("audio_off_spec".into())));
    assert_eq!(code(typed.id), Some(StageCode::DiskFull));
    let row = attempts.iter().find(|a| a.id == typed.id).unwrap();
    assert_eq!(row.error_code.as_deref(), Some("disk_full"));
    let events = store.events_for_run(&run.id).await.unwrap();
    let finished = events.iter().rfind(|e| e.kind == "attempt.finished").unwrap();
    assert_eq!(finished.payload["error_code"], json!("disk_full"));
}

#[tokio::test]
async fn of_two_decisions_at_one_gate_exactly_one_applies() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let gate = StageId::new("release");
    let parked = store.start_attempt(&run.id, &gate, None, 1).await.unwrap();
    let mut park = done(vec![], 0);
    park.status = AttemptStatus::Parked;
    park.verdict = Some(GateVerdict::Pass);
    store.finish_attempt(parked.id, park, 2).await.unwrap();

    let decision = |note: &str| Decision {
        gate: gate.clone(),
        decision: DecisionKind::Approve,
        note: note.into(),
        decided_by: "producer".into(),
        decided_at_ms: 3,
        artifact_version: 1,
    };
    let (first, second) = (decision("first"), decision("second"));
    let (a, b) = tokio::join!(
        store.record_decision(&run.id, parked.id, &first, 3),
        store.record_decision(&run.id, parked.id, &second, 3)
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} {b:?}"
    );
    assert_eq!(store.decisions(&run.id).await.unwrap().len(), 1);
    let attempt = store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == parked.id)
        .unwrap();
    assert_eq!(
        (attempt.status, attempt.verdict),
        (AttemptStatus::Done, Some(GateVerdict::Pass))
    );
    let kinds: Vec<_> = store.artifacts(&run.id).await.unwrap().iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [ArtifactKind::Decision]);
}

#[tokio::test]
async fn every_change_appends_its_event_in_order() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let a = store
        .start_attempt(&run.id, &StageId::new("plan"), None, 4)
        .await
        .unwrap();
    let plan = NewArtifact {
        kind: ArtifactKind::Plan,
        content: json!({}),
    };
    store.finish_attempt(a.id, done(vec![plan], 9), 5).await.unwrap();
    store
        .set_run_status(
            &run.id,
            RunStatus::Done,
            None,
            Some(SubjectStatus::Episode(EpisodeStatus::Released)),
            6,
        )
        .await
        .unwrap();

    let kinds: Vec<String> = store
        .events_for_run(&run.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "run.created",
            "attempt.started",
            "attempt.finished",
            "artifact.saved",
            "run.status_changed"
        ]
    );
    let all = store.events_since(0, 1000).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.kind.as_str()).take(2).collect::<Vec<_>>(),
        ["show.created", "episode.created"]
    );
    assert!(
        all.windows(2).all(|w| w[1].seq == w[0].seq + 1),
        "no holes in the journal"
    );
}

#[tokio::test]
async fn everything_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let run_id = {
        let store = Store::open(dir.path()).await.unwrap();
        let (_, run) = episode_with_run(&store).await;
        store.put_setting("theme", &json!("light"), 1).await.unwrap();
        store.close().await;
        run.id
    };
    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(store.run(&run_id).await.unwrap().unwrap().status, RunStatus::Running);
    assert_eq!(store.runs_with_status(RunStatus::Running).await.unwrap().len(), 1);
    assert_eq!(store.setting("theme").await.unwrap(), Some(json!("light")));
    assert_eq!(store.setting("missing").await.unwrap(), None);
}

#[tokio::test]
async fn blobs_are_content_addressed_and_checked_on_read() {
    let (_dir, store) = store().await;
    let blobs = store.blobs();
    let a = blobs.put(b"RIFF take one", "wav").await.unwrap();
    assert_eq!(
        blobs.put(b"RIFF take one", "wav").await.unwrap(),
        a,
        "same bytes, same file"
    );
    assert_eq!(blobs.read(&a, "wav").await.unwrap(), b"RIFF take one");
    std::fs::write(blobs.path(&a, "wav").unwrap(), b"tampered").unwrap();
    assert_eq!(blobs.read(&a, "wav").await.unwrap_err().code(), "storage_corrupt");
    let escape = BlobHash("../../etc/passwd".into());
    assert!(blobs.path(&escape, "wav").is_err());
    let missing = BlobHash("0".repeat(64));
    assert_eq!(blobs.read(&missing, "wav").await.unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn a_preview_lives_beside_the_blobs_is_rewritten_whole_and_can_be_removed() {
    let (_dir, store) = store().await;
    let blobs = store.blobs();
    let draft = blobs.put_preview(b"RIFF draft".to_vec(), "wav").await.unwrap();
    let path = blobs.preview_path(&draft, "wav").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"RIFF draft");
    assert_eq!(
        blobs.read(&draft, "wav").await.unwrap_err().code(),
        "not_found",
        "a preview is not a blob"
    );
    // A half-written file under the same name (a power cut) is replaced by the next write.
    std::fs::write(&path, b"RIFF dr").unwrap();
    assert_eq!(blobs.put_preview(b"RIFF draft".to_vec(), "wav").await.unwrap(), draft);
    assert_eq!(std::fs::read(&path).unwrap(), b"RIFF draft");
    assert!(blobs.preview_path(&BlobHash("../x".into()), "wav").is_err());
    blobs.remove_preview(&draft, "wav").await;
    assert!(!path.exists());
    blobs.remove_preview(&draft, "wav").await;
}

#[tokio::test]
async fn an_episode_gets_one_run_even_when_two_writers_race_to_create_it() {
    let (_dir, store) = store().await;
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "Rip currents".into(),
        target_minutes: 25,
        budget_cap: Money(33_250_000),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    let split = crate::split();
    let (a, b) = tokio::join!(
        store.create_run(Some(&episode.id), "standard", input.budget_cap, &split, producing(), 3),
        store.create_run(Some(&episode.id), "standard", input.budget_cap, &split, producing(), 3)
    );
    let (created, refused): (Vec<_>, Vec<_>) = [a, b].into_iter().partition(Result::is_ok);
    assert_eq!(created.len(), 1, "one of the two creates the run");
    assert!(
        matches!(refused[0], Err(StoreError::RunExists { .. })),
        "the other is refused by the schema: {:?}",
        refused[0]
    );
    let run = created.into_iter().next().unwrap().unwrap();
    assert_eq!(store.latest_run(&episode.id).await.unwrap().map(|r| r.id), Some(run.id));
    let journaled = store.events_since(0, u32::MAX).await.unwrap();
    assert_eq!(
        journaled.iter().filter(|e| e.kind == "run.created").count(),
        1,
        "the refused create left nothing behind"
    );
}

/// The drive loop keeps its run's state from what its writes return, so those rows must be the stored ones;
/// and a re-attempt reads the artifacts of its feedback's sources alone.
#[tokio::test]
async fn writes_return_the_rows_as_stored_and_feedback_reads_only_the_attempts_asked_for() {
    let (_dir, store) = store().await;
    let (_, run) = episode_with_run(&store).await;
    let report = |feedback: &str| NewArtifact {
        kind: ArtifactKind::GateReport,
        content: json!({ "feedback": feedback }),
    };
    let write = store
        .start_attempt(&run.id, &StageId::new("script.write"), None, 1)
        .await
        .unwrap();
    let written = store
        .finish_attempt_returning(write.id, done(vec![report("a draft")], 7), 2)
        .await
        .unwrap();
    let gate = store
        .start_attempt(&run.id, &StageId::new("script.evaluate"), None, 3)
        .await
        .unwrap();
    let mut remediate = done(vec![report("shorter"), report("warmer")], 0);
    remediate.verdict = Some(GateVerdict::Remediate);
    let judged = store.finish_attempt_returning(gate.id, remediate, 4).await.unwrap();
    let stored = store.attempts(&run.id).await.unwrap();
    assert_eq!(vec![written.attempt.clone(), judged.attempt.clone()], stored);
    assert_eq!((written.attempt.cost, written.artifacts.len()), (Money(7), 1));

    let superseded = store
        .supersede_stages_returning(
            &run.id,
            &[StageId::new("script.write"), StageId::new("script.evaluate")],
            5,
        )
        .await
        .unwrap();
    assert_eq!(superseded, store.attempts(&run.id).await.unwrap());
    assert!(superseded
        .iter()
        .all(|a| a.status == AttemptStatus::Superseded && a.finished_at_ms.is_some()));

    let of_gate = store.artifacts_of_attempts(&run.id, &[gate.id]).await.unwrap();
    let feedback: Vec<_> = of_gate.iter().map(|a| a.content["feedback"].clone()).collect();
    assert_eq!(feedback, [json!("shorter"), json!("warmer")], "in the order saved");
    assert!(store.artifacts_of_attempts(&run.id, &[]).await.unwrap().is_empty());
    assert!(store.decided_attempts(&run.id).await.unwrap().is_empty());

    let release = store
        .start_attempt(&run.id, &StageId::new("release"), None, 6)
        .await
        .unwrap();
    let mut park = done(vec![], 0);
    park.status = AttemptStatus::Parked;
    store.finish_attempt(release.id, park, 7).await.unwrap();
    let approve = Decision {
        gate: StageId::new("release"),
        decision: DecisionKind::Approve,
        note: String::new(),
        decided_by: "producer".into(),
        decided_at_ms: 8,
        artifact_version: 1,
    };
    store.record_decision(&run.id, release.id, &approve, 8).await.unwrap();
    assert_eq!(store.decided_attempts(&run.id).await.unwrap(), [release.id]);
}
