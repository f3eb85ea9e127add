//! The dashboard's summary tables (migration 0011, kept by triggers) against the straightforward computation
//! (`dashboard_reference`): after rows are inserted, after calls, episodes, artifacts and decisions change or go,
//! and on a store written before the migration, whose summaries the migration fills in. Rows are written with
//! plain SQL, as any writer could, so a change a trigger misses shows up as a figure that differs.

use showrunner_domain::ShowId;
use showrunner_store::Store;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::dashboard_reference::{figures, Figures};

const DAY_MS: i64 = 86_400_000;
/// 2026-01-01T00:00:00Z.
const BASE_MS: i64 = 1_767_225_600_000;
const STATUSES: [&str; 5] = ["released", "failed", "producing", "released", "awaiting_release"];
const SHOWS: [&str; 2] = ["show-harbour", "show-night"];

async fn connect(path: &std::path::Path) -> SqliteConnection {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    SqliteConnection::connect_with(&options).await.expect("a connection")
}

async fn run(db: &mut SqliteConnection, sql: &str) {
    sqlx::query(sql)
        .execute(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn seed_shows(db: &mut SqliteConnection) {
    for (i, id) in SHOWS.iter().enumerate() {
        run(
            db,
            &format!(
                "INSERT INTO shows (id, name, name_key, brand, created_at_ms, updated_at_ms)
                 VALUES ('{id}', 'Show {i}', 'show {i}', '{{}}', 0, 0)"
            ),
        )
        .await;
    }
}

/// Episode `i` with a run (and for some a second, older duplicate run), an attempt, calls with retries,
/// fallbacks and calls outside any attempt, a gate report, an evaluation panel, masters and release decisions;
/// some reports lack a verdict or a score, some evaluators a dimension, some masters a length.
async fn seed_episode(db: &mut SqliteConnection, i: i64) {
    let show = SHOWS[(i % 2) as usize];
    let status = STATUSES[(i % 5) as usize];
    let at = BASE_MS + i * 11 * DAY_MS + i;
    let ep = format!("ep-{i:03}");
    let run_id = format!("run-{ep}");
    let cap = (10 + i % 4) * 1_000_000;
    run(
        db,
        &format!(
            "INSERT INTO episodes (id, show_id, topic, target_minutes, budget_cap, status, created_at_ms, updated_at_ms)
             VALUES ('{ep}', '{show}', 'Topic {i}', 20, {cap}, '{status}', {at}, {})",
            at + 1000
        ),
    )
    .await;
    run(db, &format!("INSERT INTO runs (id, episode_id, pipeline, status, created_at_ms, updated_at_ms) VALUES ('{run_id}', '{ep}', 'standard', 'running', {at}, {at})")).await;
    let mut runs = vec![run_id.clone()];
    if i % 6 == 3 {
        // A duplicate run left by an old race: its ledger still counts for the episode.
        let dup = format!("run-{ep}-dup");
        run(db, &format!("INSERT INTO runs (id, episode_id, pipeline, status, duplicate_of, created_at_ms, updated_at_ms) VALUES ('{dup}', '{ep}', 'standard', 'running', '{run_id}', {at}, {at})")).await;
        runs.push(dup);
    }
    for (r, run_of) in runs.iter().enumerate() {
        let attempt: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO attempts (run_id, stage, attempt, status, started_at_ms) VALUES ('{run_of}', 'script.write', 1, 'done', {at}) RETURNING id"
        ))
        .fetch_one(&mut *db)
        .await
        .unwrap();
        let mut calls = vec![
            (format!("k{i}-{r}-a"), "anthropic", "settled", 1_000 + i * 10),
            (format!("k{i}-{r}-b"), "anthropic", "settled", 2_000),
        ];
        if i % 3 == 0 {
            // Failed, then retried with the same request.
            calls.push((format!("k{i}-{r}-retry"), "anthropic", "failed", 0));
            calls.push((format!("k{i}-{r}-retry"), "anthropic", "settled", 2_500));
        }
        if i % 4 == 1 {
            // Failed (and billed), then handed to another provider.
            calls.push((format!("k{i}-{r}-fb"), "anthropic", "failed", 300));
            calls.push((format!("k{i}-{r}-fb-g"), "gemini", "settled", 1_700));
        }
        if i % 5 == 2 {
            calls.push((format!("k{i}-{r}-open"), "gemini", "intent", 0));
        }
        for (key, provider, call_status, cost) in calls {
            run(
                db,
                &format!(
                    "INSERT INTO provider_calls (run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
                     VALUES ('{run_of}', 'script.write', {attempt}, '{key}', 'production', '{provider}', 'm', 500, '{call_status}', {cost}, {at})"
                ),
            )
            .await;
        }
    }
    // A call outside any attempt (a research lookup): never a fallback.
    run(db, &format!("INSERT INTO provider_calls (run_id, stage, call_key, phase, provider, model, reserved, status, cost, created_at_ms) VALUES ('{run_id}', 'research', 'r{i}', 'research', 'gemini', 'm', 0, 'failed', 50, {at})")).await;

    let verdict = match i % 7 {
        0 => String::new(),
        1 | 4 => r#""verdict": "remediate","#.to_owned(),
        _ => r#""verdict": "pass","#.to_owned(),
    };
    let score = if i % 11 == 5 {
        String::new()
    } else {
        format!(r#", "score": {}"#, (i % 10) as f64 / 10.0 + 0.05)
    };
    let gate = format!(r#"{{{verdict} "threshold": 0.7{score}}}"#);
    let evaluators: Vec<String> = (0..2 + i % 2)
        .map(|k| {
            let m = 6.0 + ((i + k) % 4) as f64 * 0.7;
            let engagement = if (i + k) % 9 == 4 {
                String::new()
            } else {
                format!(r#", "engagement": {m}"#)
            };
            format!(
                r#"{{"evaluator": "e{k}", "scores": {{"factual_support": {}, "narrative_coherence": {}, "brand_voice": {m}{engagement}, "speech_readiness": {}, "format_compliance": {}}}}}"#,
                m - 1.0,
                m + 1.0,
                m - 0.5,
                m + 0.5
            )
        })
        .collect();
    let panel = format!(r#"{{"evaluations": [{}], "passed": true}}"#, evaluators.join(", "));
    let mut artifacts = vec![
        ("gate_report", "script.evaluate", 1, gate, at + 100),
        ("evaluation_panel", "script.evaluate", 1, panel, at + 120),
    ];
    if i % 5 == 0 || i % 5 == 3 {
        // Version 2 is the newer master, and for some it has no length (the episode has no finished minutes).
        let newer = if i % 9 == 0 {
            "{}".to_owned()
        } else {
            format!(r#"{{"duration_ms": {}}}"#, 600_000 + i * 1_000)
        };
        artifacts.push((
            "master",
            "audio.master",
            1,
            format!(r#"{{"duration_ms": {}}}"#, 400_000 + i),
            at + 300,
        ));
        artifacts.push(("master", "audio.master", 2, newer, at + 400));
    }
    for (kind, stage, version, content, created) in artifacts {
        run(
            db,
            &format!(
                "INSERT INTO artifacts (id, run_id, stage, kind, version, content, created_at_ms)
                 VALUES ('art-{kind}-{ep}-{version}', '{run_id}', '{stage}', '{kind}', {version}, '{content}', {created})"
            ),
        )
        .await;
    }
    if status == "released" || i % 5 == 4 {
        for (n, gate) in ["release", "release", "script"]
            .iter()
            .enumerate()
            .take(1 + (i % 3) as usize)
        {
            let when = at + (i + 1) * 3_600_000 + n as i64 * 1_000;
            run(
                db,
                &format!(
                    "INSERT INTO decisions (run_id, gate, decision, note, decided_by, decided_at_ms, artifact_version)
                     VALUES ('{run_id}', '{gate}', '{{}}', '', 'producer', {when}, 1)"
                ),
            )
            .await;
        }
    }
}

async fn current(store: &Store, show: Option<&ShowId>) -> Figures {
    Figures {
        spend: store.spend_by_show_month(show).await.unwrap(),
        finished: store.finished_minutes(show).await.unwrap(),
        gates: store.gate_months(show).await.unwrap(),
        evaluations: store.evaluation_months(show).await.unwrap(),
        providers: store.provider_reliability(show).await.unwrap(),
        releases: store.release_months(show).await.unwrap(),
    }
}

/// Every figure, for all shows and for each, equals the recount; returns the all-shows figures.
async fn check(store: &Store, db: &mut SqliteConnection, when: &str) -> Figures {
    for show in SHOWS {
        let show = ShowId(show.to_owned());
        assert_eq!(
            current(store, Some(&show)).await,
            figures(db, Some(&show)).await,
            "{when}, {show}"
        );
    }
    let all = figures(db, None).await;
    assert_eq!(current(store, None).await, all, "{when}");
    all
}

/// The seed touches every kind of figure, so a stale summary cannot hide behind an empty one.
fn assert_covers(f: &Figures) {
    assert!(
        f.spend.len() > 4 && f.finished.len() == 2 && f.releases.len() > 2,
        "{f:#?}"
    );
    assert!(f.gates.iter().all(|g| g.reports > 0) && f.gates.len() > 4);
    assert!(f.evaluations.len() > 4);
    let anthropic = f.providers.iter().find(|p| p.provider == "anthropic").unwrap();
    assert!(anthropic.retries > 0 && anthropic.fallbacks > 0 && anthropic.failed > anthropic.fallbacks);
}

#[tokio::test]
async fn the_dashboard_summaries_follow_every_write_and_equal_a_recount() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let mut db = connect(&store.database_path()).await;
    seed_shows(&mut db).await;
    for i in 0..30 {
        seed_episode(&mut db, i).await;
    }
    let before = check(&store, &mut db, "after the inserts").await;
    assert_covers(&before);

    // The ledger: an intent settles with a cost, a settled call turns out failed and billed, a failed call's
    // bill is corrected, a call is removed.
    run(
        &mut db,
        "UPDATE provider_calls SET status = 'settled', cost = 4200 WHERE status = 'intent' AND call_key = 'k2-0-open'",
    )
    .await;
    run(
        &mut db,
        "UPDATE provider_calls SET status = 'failed', cost = 900 WHERE call_key = 'k8-0-b'",
    )
    .await;
    run(
        &mut db,
        "UPDATE provider_calls SET cost = 777 WHERE call_key = 'k5-0-fb'",
    )
    .await;
    run(&mut db, "DELETE FROM provider_calls WHERE call_key = 'k6-0-a'").await;
    check(&store, &mut db, "after calls changed").await;
    // A status alone decides a fallback when the attempt already went on with another provider (checked one
    // at a time: the two would cancel out in the totals).
    run(
        &mut db,
        "UPDATE provider_calls SET status = 'failed' WHERE call_key = 'k1-0-a'",
    )
    .await;
    check(&store, &mut db, "after a call failed").await;
    run(
        &mut db,
        "UPDATE provider_calls SET status = 'settled' WHERE call_key = 'k17-0-fb'",
    )
    .await;
    check(&store, &mut db, "after a failed call settled").await;

    // Fallbacks and retries decided by later calls: a failed, handed-over call retried after all (no longer a
    // fallback), a failed call whose attempt then goes to another provider (now one), a retry removed again,
    // and a call moved to another key and provider.
    run(&mut db, "INSERT INTO provider_calls (run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
                  SELECT run_id, stage, attempt_id, call_key, phase, provider, model, 0, 'settled', 1100, created_at_ms
                    FROM provider_calls WHERE call_key = 'k9-0-fb'").await;
    run(
        &mut db,
        "UPDATE provider_calls SET status = 'failed' WHERE call_key = 'k10-0-a'",
    )
    .await;
    run(&mut db, "INSERT INTO provider_calls (run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
                  SELECT run_id, stage, attempt_id, 'k10-0-later', phase, 'gemini', model, 0, 'settled', 60, created_at_ms
                    FROM provider_calls WHERE call_key = 'k10-0-a'").await;
    run(
        &mut db,
        "DELETE FROM provider_calls WHERE id = (SELECT MAX(id) FROM provider_calls WHERE call_key = 'k3-0-retry')",
    )
    .await;
    run(
        &mut db,
        "UPDATE provider_calls SET call_key = 'k12-0-a', provider = 'gemini' WHERE call_key = 'k12-0-b'",
    )
    .await;
    let after = check(&store, &mut db, "after retries and fallbacks changed").await;
    assert_ne!(
        before.providers, after.providers,
        "the changes moved the provider figures"
    );

    // Episodes: a released one reopened, another released, a cap raised, a start moved to another month.
    run(&mut db, "UPDATE episodes SET status = 'producing' WHERE id = 'ep-000'").await;
    run(&mut db, "UPDATE episodes SET status = 'released' WHERE id = 'ep-004'").await;
    run(
        &mut db,
        "UPDATE episodes SET budget_cap = budget_cap + 5000000 WHERE id = 'ep-007'",
    )
    .await;
    run(
        &mut db,
        &format!(
            "UPDATE episodes SET created_at_ms = {} WHERE id = 'ep-011'",
            BASE_MS + 200 * DAY_MS
        ),
    )
    .await;
    check(&store, &mut db, "after episodes changed").await;

    // Artifacts and decisions: a newer master, a master deleted, a report's verdict rewritten, a panel deleted,
    // a later release approval and an approval taken back.
    run(
        &mut db,
        "INSERT INTO artifacts (id, run_id, stage, kind, version, content, created_at_ms)
                  SELECT 'art-master-ep-003-3', run_id, stage, kind, 3, '{\"duration_ms\": 123456}', created_at_ms + 1
                    FROM artifacts WHERE id = 'art-master-ep-003-2'",
    )
    .await;
    run(&mut db, "DELETE FROM artifacts WHERE id = 'art-master-ep-005-2'").await;
    run(&mut db, "UPDATE artifacts SET content = '{\"verdict\": \"pass\", \"score\": 0.99}' WHERE id = 'art-gate_report-ep-001-1'").await;
    run(
        &mut db,
        "DELETE FROM artifacts WHERE id = 'art-evaluation_panel-ep-002-1'",
    )
    .await;
    run(
        &mut db,
        "INSERT INTO decisions (run_id, gate, decision, note, decided_by, decided_at_ms, artifact_version)
                  VALUES ('run-ep-010', 'release', '{}', '', 'producer', 1900000000000, 1)",
    )
    .await;
    run(&mut db, "DELETE FROM decisions WHERE id = (SELECT MAX(id) FROM decisions WHERE run_id = 'run-ep-015' AND gate = 'release')").await;
    check(&store, &mut db, "after artifacts and decisions changed").await;

    // More episodes on top of changed ones.
    for i in 30..36 {
        seed_episode(&mut db, i).await;
    }
    check(&store, &mut db, "after more episodes").await;

    // The summaries file rows under their show when written: moving them is refused, and changes nothing.
    for sql in [
        "UPDATE runs SET episode_id = 'ep-001' WHERE id = 'run-ep-000'",
        "UPDATE episodes SET show_id = 'show-night' WHERE id = 'ep-000'",
    ] {
        let refused = sqlx::query(sql).execute(&mut db).await.unwrap_err();
        assert!(refused.to_string().contains("for good"), "{refused}");
    }
    check(&store, &mut db, "after the refused moves").await;
}

#[tokio::test]
async fn a_store_written_before_the_summaries_gets_them_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(showrunner_store::DATABASE_FILE);
    // The schema as it was before migration 0011, with a studio's worth of rows.
    let mut db = crate::schema_before(&path, 11).await;
    let summaries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'dashboard_%'")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(summaries, 0, "the old schema has no summaries");
    seed_shows(&mut db).await;
    for i in 0..30 {
        seed_episode(&mut db, i).await;
    }
    let mut old = Vec::new();
    for show in SHOWS {
        old.push(figures(&mut db, Some(&ShowId(show.to_owned()))).await);
    }
    let all_old = figures(&mut db, None).await;
    assert_covers(&all_old);
    db.close().await.unwrap();

    // Opening the store runs 0011: the old rows' figures are the same as before it.
    let store = Store::open(dir.path()).await.unwrap();
    for (show, old) in SHOWS.iter().zip(&old) {
        assert_eq!(&current(&store, Some(&ShowId((*show).to_owned()))).await, old, "{show}");
    }
    assert_eq!(current(&store, None).await, all_old);

    // And the triggers carry on from the filled-in summaries.
    let mut db = connect(&path).await;
    run(
        &mut db,
        "UPDATE provider_calls SET cost = cost + 1 WHERE call_key LIKE 'k1-%'",
    )
    .await;
    run(&mut db, "UPDATE episodes SET status = 'released' WHERE id = 'ep-002'").await;
    run(&mut db, "INSERT INTO provider_calls (run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
                  SELECT run_id, stage, attempt_id, call_key, phase, provider, model, 0, 'settled', 10, created_at_ms
                    FROM provider_calls WHERE call_key = 'k13-0-fb'").await;
    for i in 30..34 {
        seed_episode(&mut db, i).await;
    }
    check(&store, &mut db, "after writes on a filled-in store").await;
}
