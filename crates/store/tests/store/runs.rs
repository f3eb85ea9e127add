//! Runs with and without an episode: a run's episode is what production makes of it, not something every
//! run has (migration 0015).

use showrunner_domain::{BrandVoice, EpisodeStatus, Money, NewEpisode, PhaseId, RunId, RunStatus, StageId};
use showrunner_store::{NewCall, Store, StoreError, SubjectStatus};

fn cents(n: i64) -> Money {
    Money(n * 10_000)
}

fn call(run: &RunId, key: &str) -> NewCall {
    NewCall {
        run_id: run.clone(),
        stage: StageId::new("work"),
        attempt_id: None,
        call_key: key.into(),
        phase: PhaseId::new("research"),
        provider: "anthropic".into(),
        model: "claude-sonnet".into(),
        reserve: cents(10),
        prompt: None,
        reuse_key: None,
    }
}

#[tokio::test]
async fn a_run_that_produces_no_episode_needs_no_show_and_names_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let run = store
        .create_run(None, "plain", cents(100), &crate::split(), None, 2)
        .await
        .unwrap();
    // Any number of them: the one-run-per-episode index holds only for runs that have an episode.
    let other = store
        .create_run(None, "plain", cents(100), &crate::split(), None, 2)
        .await
        .unwrap();
    assert_ne!(run.id, other.id);
    assert_eq!(store.run(&run.id).await.unwrap().unwrap().episode_id, None);

    store.reserve_call(&call(&run.id, "k1"), 3).await.unwrap();
    assert_eq!(store.raise_cap(&run.id, cents(150), 4).await.unwrap(), cents(100));
    assert_eq!(store.ledger(&run.id).await.unwrap().cap, cents(150));
    store
        .set_run_status(&run.id, RunStatus::Cancelled, None, None, 5)
        .await
        .unwrap();
    let events = store.events_for_run(&run.id).await.unwrap();
    assert!(events.len() >= 3, "{events:?}");
    assert!(events.iter().all(|e| e.episode_id.is_none()), "{events:?}");
    assert!(store.list_episodes().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_episode_status_for_a_run_without_an_episode_is_refused_and_nothing_moves() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let producing = Some(SubjectStatus::Episode(EpisodeStatus::Producing));
    let refused = store
        .create_run(None, "plain", cents(100), &crate::split(), producing, 2)
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
    assert!(store.runs_with_status(RunStatus::Running).await.unwrap().is_empty());

    let run = store
        .create_run(None, "plain", cents(100), &crate::split(), None, 2)
        .await
        .unwrap();
    let failed = Some(SubjectStatus::Episode(EpisodeStatus::Failed));
    let refused = store.set_run_status(&run.id, RunStatus::Failed, None, failed, 3).await;
    assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{refused:?}");
    assert_eq!(store.run(&run.id).await.unwrap().unwrap().status, RunStatus::Running);
}

#[tokio::test]
async fn without_a_subject_status_a_runs_status_leaves_its_episode_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "Tides".into(),
        target_minutes: 5,
        budget_cap: cents(100),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 1).await.unwrap();
    let created = store.episode(&episode.id).await.unwrap().unwrap().status;
    let run = store
        .create_run(Some(&episode.id), "plain", cents(50), &crate::split(), None, 2)
        .await
        .unwrap();
    store
        .set_run_status(&run.id, RunStatus::Cancelled, None, None, 3)
        .await
        .unwrap();
    assert_eq!(
        store.episode(&episode.id).await.unwrap().unwrap().status,
        created,
        "the episode is as it was created: nothing said what a cancelled run means for it"
    );
    let events = store.events_for_run(&run.id).await.unwrap();
    assert!(events
        .iter()
        .all(|e| e.episode_id.as_deref() == Some(episode.id.as_str())));
}

#[tokio::test]
async fn runs_written_before_0015_keep_their_rows_children_and_guards() {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection, Row};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(showrunner_store::DATABASE_FILE);
    let mut db = crate::schema_before(&path, 15).await;
    for sql in [
        "INSERT INTO shows (id, name, name_key, brand, created_at_ms, updated_at_ms) VALUES ('show-1', 'Tides', 'tides', '{}', 1, 1)",
        "INSERT INTO episodes (id, show_id, topic, target_minutes, budget_cap, status, created_at_ms, updated_at_ms)
         VALUES ('ep-1', 'show-1', 'Rip currents', 25, 1000000, 'producing', 1, 1)",
        // An older duplicate of the run (0003), written first: the newest of equal times is told by rowid. (It
        // names the run it duplicates before that is written, so the keys are checked only from here on.)
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO runs (id, episode_id, pipeline, status, created_at_ms, updated_at_ms, duplicate_of, budget_cap)
         VALUES ('run-0', 'ep-1', 'standard', 'cancelled', 2, 2, 'run-1', 1000000)",
        "INSERT INTO runs (id, episode_id, pipeline, status, park, created_at_ms, updated_at_ms, budget_cap, budget_split)
         VALUES ('run-1', 'ep-1', 'standard', 'parked', '{\"kind\":\"human_gate\",\"stage\":\"release\"}', 2, 3, 1000000,
                 '[{\"id\":\"research\",\"label\":\"Research\",\"share_percent\":100}]')",
        "INSERT INTO attempts (id, run_id, stage, attempt, status, started_at_ms) VALUES (4, 'run-1', 'plan', 1, 'done', 2)",
        "INSERT INTO provider_calls (id, run_id, stage, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
         VALUES (7, 'run-1', 'plan', 'k1', 'research', 'perplexity', 'sonar', 300000, 'settled', 250000, 3)",
        "PRAGMA foreign_keys = ON",
    ] {
        sqlx::query(sql).execute(&mut db).await.unwrap();
    }
    db.close().await.unwrap();

    let store = Store::open(dir.path()).await.unwrap();
    let run = RunId("run-1".into());
    let episode = showrunner_domain::EpisodeId("ep-1".into());
    assert_eq!(
        store.latest_run(&episode).await.unwrap().unwrap().id,
        run,
        "rowids kept"
    );
    let record = store.run(&run).await.unwrap().unwrap();
    assert_eq!(record.episode_id.as_ref().map(|e| e.as_str()), Some("ep-1"));
    assert_eq!(
        (record.status, record.created_at_ms, record.updated_at_ms),
        (RunStatus::Parked, 2, 3)
    );
    assert!(record.park.is_some());
    assert_eq!(store.attempts(&run).await.unwrap().len(), 1);
    let ledger = store.ledger(&run).await.unwrap();
    assert_eq!((ledger.cap, ledger.settled), (Money(1_000_000), Money(250_000)));

    let mut db = SqliteConnectOptions::new()
        .filename(&path)
        .foreign_keys(true)
        .connect()
        .await
        .unwrap();
    let broken: Vec<_> = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut db)
        .await
        .unwrap();
    assert!(broken.is_empty(), "every child still has its run");
    let parent: String = sqlx::query("SELECT \"table\" FROM pragma_foreign_key_list('attempts')")
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get(0);
    assert_eq!(parent, "runs", "children reference the rebuilt table by its name");
    let orphan = sqlx::query(
        "INSERT INTO attempts (run_id, stage, attempt, status, started_at_ms) VALUES ('no-such-run', 'plan', 1, 'done', 2)",
    )
    .execute(&mut db)
    .await;
    assert!(
        orphan.is_err(),
        "the children's foreign keys hold against the rebuilt table"
    );
    let moved = sqlx::query("UPDATE runs SET episode_id = NULL WHERE id = 'run-1'")
        .execute(&mut db)
        .await;
    assert!(moved.is_err(), "a run keeps its episode for good");
    db.close().await.unwrap();

    // The dashboard's triggers still reach the run's episode through the rebuilt table.
    store.reserve_call(&call(&run, "k2"), 5).await.unwrap();
    let providers = store.provider_reliability(None).await.unwrap();
    let calls: Vec<(&str, u64)> = providers.iter().map(|p| (p.provider.as_str(), p.calls)).collect();
    assert!(calls.contains(&("anthropic", 1)), "{providers:?}");
    let spend = store.spend_by_show_month(None).await.unwrap();
    assert_eq!(spend.iter().map(|s| s.spent).sum::<i64>(), 250_000, "{spend:?}");
    let second = store
        .create_run(Some(&episode), "standard", cents(100), &crate::split(), None, 6)
        .await;
    assert!(
        matches!(second, Err(StoreError::RunExists { .. })),
        "one run per episode still holds: {second:?}"
    );
}
