//! Rows the code cannot read: a stored value of an unknown name, the wrong JSON or the wrong type is damage
//! (`storage_corrupt`) naming its column, whichever read meets it; never guessed at, never a panic.

use serde_json::json;
use showrunner_domain::artifacts::{Decision, DecisionKind};
use showrunner_domain::{
    ArtifactKind, BrandVoice, EpisodeId, EpisodeStatus, Money, NewEpisode, PhaseId, RunId, SourceKind, SourceOwner,
    StageId,
};
use showrunner_store::{
    EditProvenance, LibraryQuery, NewArtifact, NewCall, NewChunk, NewPromptVersion, NewSource, Store, StoreError,
    SubjectStatus,
};
use sqlx::{Connection, SqliteConnection};

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    (dir, store)
}

async fn episode_and_run(store: &Store) -> (EpisodeId, RunId) {
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "Rip currents".into(),
        target_minutes: 25,
        budget_cap: Money(10_000_000),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 2).await.unwrap();
    let producing = Some(SubjectStatus::Episode(EpisodeStatus::Producing));
    let run = store
        .create_run(
            Some(&episode.id),
            "standard",
            input.budget_cap,
            &crate::split(),
            producing,
            3,
        )
        .await
        .unwrap()
        .id;
    (episode.id, run)
}

/// Reserves 96 % of the cap, so the call is open and the warn and degrade notices have fired.
async fn reserved_call(store: &Store, run: &RunId) -> i64 {
    let call = NewCall {
        run_id: run.clone(),
        stage: StageId::new("script.write"),
        attempt_id: None,
        call_key: "draft".into(),
        phase: PhaseId::new("production"),
        provider: "anthropic".into(),
        model: "claude-sonnet".into(),
        reserve: Money(9_600_000),
        prompt: None,
        reuse_key: None,
    };
    store.reserve_call(&call, 4).await.unwrap().call.id
}

/// Writes `sql` straight to the file, past the schema's CHECKs, as damage (or a newer version) would.
async fn tamper(store: &Store, sql: &str) {
    let url = format!("sqlite://{}", store.database_path().display());
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("PRAGMA ignore_check_constraints = ON")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

#[track_caller]
fn assert_damaged<T: std::fmt::Debug>(read: Result<T, StoreError>, column: &str) {
    let err = read.expect_err("a damaged row must not read");
    assert_eq!(err.code(), "storage_corrupt", "{err}");
    let named = format!("column \"{column}\"");
    assert!(err.to_string().contains(&named), "{err} should name {named}");
}

#[tokio::test]
async fn a_call_with_an_unknown_status_or_phase_is_damage_naming_the_column() {
    let (_dir, store) = open().await;
    let (_, run) = episode_and_run(&store).await;
    let id = reserved_call(&store, &run).await;
    tamper(
        &store,
        &format!("UPDATE provider_calls SET status = 'paused' WHERE id = {id}"),
    )
    .await;
    assert_damaged(store.ledger(&run).await, "status");
    assert_damaged(store.calls_with_key(&run, "draft").await, "status");
    // A write that reads the row first refuses on the same grounds, and changes nothing.
    assert_damaged(store.mark_ambiguous(id, 5).await, "status");

    tamper(
        &store,
        &format!("UPDATE provider_calls SET status = 'intent', phase = 'Mixing -->' WHERE id = {id}"),
    )
    .await;
    assert_damaged(store.ledger(&run).await, "phase");
}

#[tokio::test]
async fn a_call_whose_json_or_amount_does_not_read_is_damage_naming_the_column() {
    let (_dir, store) = open().await;
    let (_, run) = episode_and_run(&store).await;
    let id = reserved_call(&store, &run).await;
    tamper(
        &store,
        &format!("UPDATE provider_calls SET usage = '{{\"input_tokens\": ' WHERE id = {id}"),
    )
    .await;
    assert_damaged(store.calls_with_key(&run, "draft").await, "usage");

    // Text where an amount belongs was a plain database error before; it is damage like the rest.
    tamper(
        &store,
        &format!("UPDATE provider_calls SET usage = NULL, reserved = 'lots' WHERE id = {id}"),
    )
    .await;
    assert_damaged(store.calls_with_key(&run, "draft").await, "reserved");
}

#[tokio::test]
async fn a_budget_notice_with_an_unknown_key_is_damage_naming_the_column() {
    let (_dir, store) = open().await;
    let (_, run) = episode_and_run(&store).await;
    reserved_call(&store, &run).await;
    assert!(!store.budget_notices(&run).await.unwrap().is_empty());
    tamper(
        &store,
        "UPDATE budget_notices SET notice = 'phase_over:Mixing -->' WHERE notice = 'warn'",
    )
    .await;
    assert_damaged(store.budget_notices(&run).await, "notice");
    assert_damaged(store.ledger(&run).await, "notice");
}

#[tokio::test]
async fn a_run_attempt_or_artifact_with_an_unknown_word_is_damage_naming_the_column() {
    let (_dir, store) = open().await;
    let (_, run) = episode_and_run(&store).await;
    let stage = StageId::new("script.write");
    let attempt = store.start_attempt(&run, &stage, None, 4).await.unwrap();
    let plan = NewArtifact {
        kind: ArtifactKind::Plan,
        content: json!({}),
    };
    let saved = store.save_artifact(&run, &stage, plan, 5).await.unwrap();

    tamper(&store, "UPDATE runs SET status = 'paused'").await;
    assert_damaged(store.run(&run).await, "status");
    tamper(
        &store,
        r#"UPDATE runs SET status = 'running', park = '{"kind": "coffee_break"}'"#,
    )
    .await;
    assert_damaged(store.run(&run).await, "park");
    tamper(&store, "UPDATE runs SET park = NULL").await;
    assert!(store.run(&run).await.unwrap().is_some(), "the repaired row reads again");

    tamper(
        &store,
        &format!("UPDATE attempts SET verdict = 'maybe' WHERE id = {}", attempt.id),
    )
    .await;
    assert_damaged(store.attempts(&run).await, "verdict");

    tamper(&store, "UPDATE artifacts SET kind = 'mixtape'").await;
    assert_damaged(store.artifact(&saved.id).await, "kind");
}

#[tokio::test]
async fn an_episode_with_an_unknown_status_is_damage_wherever_it_is_listed() {
    let (_dir, store) = open().await;
    let (episode, _) = episode_and_run(&store).await;
    tamper(&store, "UPDATE episodes SET status = 'on_hold'").await;
    assert_damaged(store.episode(&episode).await, "status");
    assert_damaged(store.list_episodes().await, "status");
    let page = LibraryQuery {
        limit: 10,
        ..LibraryQuery::default()
    };
    assert_damaged(store.search_library(&page).await, "status");
}

#[tokio::test]
async fn an_episode_in_a_language_showrunner_does_not_make_is_damage() {
    let (_dir, store) = open().await;
    let (episode, _) = episode_and_run(&store).await;
    assert_eq!(
        store.episode(&episode).await.unwrap().unwrap().language,
        showrunner_domain::Language::English
    );
    tamper(&store, "UPDATE episodes SET language = 'ja'").await;
    assert_damaged(store.episode(&episode).await, "language");
    assert_damaged(store.list_episodes().await, "language");
}

#[tokio::test]
async fn a_source_show_setting_or_prompt_that_does_not_read_is_damage_naming_the_column() {
    let (_dir, store) = open().await;
    let (episode, _) = episode_and_run(&store).await;
    let owner = SourceOwner::Episode(episode.clone());
    let note = NewSource {
        kind: SourceKind::Note,
        name: "Note: tides".into(),
        origin: String::new(),
        format: "text".into(),
        fetched_at_ms: None,
        sections: json!([{ "location": null, "text": "The tide turns twice a day." }]),
        chars: 27,
        chunks: vec![NewChunk {
            location: None,
            text: "The tide turns twice a day.".into(),
        }],
    };
    let source = store.add_source(&owner, &note, 4).await.unwrap();
    tamper(&store, "UPDATE sources SET kind = 'podcast'").await;
    assert_damaged(store.source(&source.id).await, "kind");
    assert_damaged(store.sources(&owner).await, "kind");
    assert_damaged(store.source_chunks(&episode).await, "kind");

    let show = store.list_shows().await.unwrap().remove(0);
    let prompt = NewPromptVersion {
        show_id: show.id.clone(),
        template_id: "script.write".into(),
        content: "Write it.".into(),
        author: "producer".into(),
        note: String::new(),
    };
    store.save_prompt_version(&prompt, 5).await.unwrap();
    tamper(&store, "UPDATE prompt_templates SET version = -1").await;
    assert_damaged(store.prompt_versions(&show.id, "script.write").await, "version");

    tamper(&store, r#"UPDATE shows SET brand = '{"name": 7}'"#).await;
    assert_damaged(store.show(&show.id).await, "brand");
    // A write that reads the stored brand first refuses on the same grounds.
    assert_damaged(store.update_show(&show.id, &show.brand, 6).await, "brand");

    store.put_setting("theme", &json!("dark"), 7).await.unwrap();
    tamper(&store, "UPDATE settings SET value = '{' WHERE key = 'theme'").await;
    assert_damaged(store.setting("theme").await, "value");
}

#[tokio::test]
async fn a_decision_or_a_gate_check_meeting_an_unknown_word_is_damage_not_stale_state() {
    let (_dir, store) = open().await;
    let (_, run) = episode_and_run(&store).await;
    let gate = StageId::new("script.signoff");
    let attempt = store.start_attempt(&run, &gate, None, 4).await.unwrap();
    tamper(
        &store,
        &format!("UPDATE attempts SET status = 'snoozing' WHERE id = {}", attempt.id),
    )
    .await;
    let decision = Decision {
        gate: gate.clone(),
        decision: DecisionKind::Approve,
        note: String::new(),
        decided_by: "producer".into(),
        decided_at_ms: 5,
        artifact_version: 1,
    };
    assert_damaged(store.record_decision(&run, attempt.id, &decision, 5).await, "status");

    tamper(&store, "UPDATE runs SET status = 'snoozing'").await;
    let edit = NewArtifact {
        kind: ArtifactKind::Script,
        content: json!({}),
    };
    let provenance = EditProvenance {
        origin: "producer_edit".into(),
        author: "producer".into(),
        note: String::new(),
        base_version: 0,
    };
    assert_damaged(
        store.save_producer_edit(&run, &gate, edit, provenance, 6).await,
        "status",
    );

    tamper(
        &store,
        &format!(
            r#"INSERT INTO decisions (run_id, gate, decision, note, decided_by, decided_at_ms, artifact_version)
               VALUES ('{run}', 'script.signoff', '{{"kind": "shrug"}}', '', 'producer', 7, 1)"#
        ),
    )
    .await;
    assert_damaged(store.decisions(&run).await, "decision");
}

#[tokio::test]
async fn a_run_whose_stored_split_does_not_add_up_is_damage_and_reserves_nothing() {
    let (_dir, store) = open().await;
    let (_, run) = episode_and_run(&store).await;
    tamper(
        &store,
        &format!(
            "UPDATE runs SET budget_split = '[{{\"id\":\"research\",\"label\":\"Research\",\"share_percent\":99}}]'
              WHERE id = '{run}'"
        ),
    )
    .await;
    assert_damaged(store.ledger(&run).await, "budget_split");
    assert_damaged(store.budget_split(&run).await, "budget_split");
    let before = store.events_for_run(&run).await.unwrap().len();
    let refused = store
        .reserve_call(
            &NewCall {
                run_id: run.clone(),
                stage: StageId::new("plan"),
                attempt_id: None,
                call_key: "after-damage".into(),
                phase: PhaseId::new("research"),
                provider: "anthropic".into(),
                model: "claude".into(),
                reserve: Money(1),
                prompt: None,
                reuse_key: None,
            },
            9,
        )
        .await;
    assert_damaged(refused, "budget_split");
    assert_eq!(
        store.events_for_run(&run).await.unwrap().len(),
        before,
        "nothing was written"
    );
}
