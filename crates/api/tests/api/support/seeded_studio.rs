//! A studio seeded straight into the database with known figures: episodes across two shows and several
//! months, their runs, attempts, ledger calls (with retries and fallbacks), scripts, gate reports,
//! evaluations, masters, release decisions and budget notices. What was written is returned, so a test
//! computes the expected figures itself from the same data the store aggregates.

use showrunner_api::domain::{BrandVoice, EpisodeStatus, Show};
use showrunner_api::{shows, App};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

pub const DAY_MS: i64 = 86_400_000;
/// 2026-01-01T00:00:00Z.
pub const BASE_MS: i64 = 1_767_225_600_000;

#[derive(Debug, Clone)]
pub struct SeededCall {
    pub episode: usize,
    pub provider: &'static str,
    pub key: String,
    pub failed: bool,
    pub cost: i64,
    /// A later call of this attempt went to another provider.
    pub handed_over: bool,
}

#[derive(Debug, Clone)]
pub struct SeededEpisode {
    pub id: String,
    pub show: usize,
    pub topic: String,
    /// A word said only in this episode's script.
    pub script_word: String,
    pub status: EpisodeStatus,
    pub cap: i64,
    pub created_at_ms: i64,
    pub gate_passed: bool,
    pub gate_score: f64,
    pub evaluation_means: [f64; 2],
    pub master_ms: Option<i64>,
    pub released_at_ms: Option<i64>,
    pub warn_notice: bool,
}

pub struct SeededStudio {
    pub shows: Vec<Show>,
    pub episodes: Vec<SeededEpisode>,
    pub calls: Vec<SeededCall>,
}

impl SeededStudio {
    pub fn spent(&self, episode: usize) -> i64 {
        self.calls.iter().filter(|c| c.episode == episode).map(|c| c.cost).sum()
    }
}

const TOPIC_WORDS: [&str; 5] = ["lighthouses", "tides", "glaciers", "beacons", "harbours"];
const STATUSES: [EpisodeStatus; 6] = [
    EpisodeStatus::Released,
    EpisodeStatus::Failed,
    EpisodeStatus::NeedsAttention,
    EpisodeStatus::Producing,
    EpisodeStatus::Released,
    EpisodeStatus::AwaitingRelease,
];

fn script_json(title: &str, lines: &[String]) -> String {
    let lines: Vec<_> = lines
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": format!("S1-L{i}"), "speaker": "Ava", "text": t, "facts": []}))
        .collect();
    serde_json::json!({"title": title, "segments": [{"id": "S1", "title": "Opening", "lines": lines}]}).to_string()
}

/// Writes a newer script version for a seeded episode, as a producer's edit would.
pub async fn save_script(app: &App, episode: &SeededEpisode, version: i64, words: &str) {
    let mut db = connect(app).await;
    sqlx::query(
        "INSERT INTO artifacts (id, run_id, stage, kind, version, content, created_at_ms)
         VALUES (?, ?, 'script.write', 'script', ?, ?, ?)",
    )
    .bind(format!("art-script-{}-{version}", episode.id))
    .bind(format!("run-{}", episode.id))
    .bind(version)
    .bind(script_json("A new take", &[words.to_owned()]))
    .bind(episode.created_at_ms + version)
    .execute(&mut db)
    .await
    .expect("a script version is stored");
}

async fn connect(app: &App) -> SqliteConnection {
    let path = app.store().data_dir().join(showrunner_store_file());
    SqliteConnection::connect_with(
        &SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(std::time::Duration::from_secs(10)),
    )
    .await
    .expect("the seeding connection opens")
}

fn showrunner_store_file() -> &'static str {
    "showrunner.db"
}

pub async fn seed(app: &App, count: usize) -> SeededStudio {
    let mut show_list = Vec::new();
    for name in ["Harbour Lights", "Night Shift"] {
        show_list.push(
            shows::create_show(app, BrandVoice::starter(name))
                .await
                .expect("a valid show"),
        );
    }
    let mut db = connect(app).await;
    let mut tx = db.begin().await.expect("a seeding transaction");
    let mut episodes = Vec::with_capacity(count);
    let mut calls = Vec::new();
    for i in 0..count {
        let show = i % 2;
        // By pairs, so both shows get every status.
        let status = STATUSES[(i / 2 + i % 2) % STATUSES.len()];
        let created_at_ms = BASE_MS + i as i64 * 9 * DAY_MS / (1 + count as i64 / 40) + i as i64;
        let id = format!("ep-{i:05}");
        let run = format!("run-{id}");
        let topic = format!("Episode {i} on {}", TOPIC_WORDS[i % TOPIC_WORDS.len()]);
        let script_word = format!("zq{i}word");
        let released = matches!(status, EpisodeStatus::Released);
        let e = SeededEpisode {
            id: id.clone(),
            show,
            topic: topic.clone(),
            script_word: script_word.clone(),
            status,
            cap: (10 + (i % 5) as i64) * 1_000_000,
            created_at_ms,
            gate_passed: i % 3 != 0,
            gate_score: (i % 10) as f64 / 10.0,
            evaluation_means: [6.0 + (i % 4) as f64, 7.0 + (i % 3) as f64 * 0.5],
            master_ms: released.then_some((10 + (i % 7) as i64) * 60_000),
            released_at_ms: released.then_some(created_at_ms + (i as i64 + 1) * 3_600_000),
            warn_notice: i % 6 == 1,
        };
        sqlx::query(
            "INSERT INTO episodes (id, show_id, topic, target_minutes, budget_cap, status, created_at_ms, updated_at_ms)
             VALUES (?, ?, ?, 20, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(show_list[show].id.as_str())
        .bind(&topic)
        .bind(e.cap)
        .bind(status.as_str())
        .bind(created_at_ms)
        .bind(created_at_ms + 1000)
        .execute(&mut *tx)
        .await
        .expect("episode");
        sqlx::query("INSERT INTO runs (id, episode_id, pipeline, status, created_at_ms, updated_at_ms) VALUES (?, ?, 'standard', 'running', ?, ?)")
            .bind(&run)
            .bind(&id)
            .bind(created_at_ms)
            .bind(created_at_ms)
            .execute(&mut *tx)
            .await
            .expect("run");
        let failed = matches!(status, EpisodeStatus::Failed);
        let attempt: i64 = sqlx::query_scalar(
            "INSERT INTO attempts (run_id, stage, attempt, status, started_at_ms, finished_at_ms, error_code, error_message)
             VALUES (?, 'script.write', 1, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&run)
        .bind(if failed { "failed" } else { "done" })
        .bind(created_at_ms)
        .bind(created_at_ms + 500)
        .bind(failed.then_some("bad_key"))
        .bind(failed.then_some("Anthropic refused the key"))
        .fetch_one(&mut *tx)
        .await
        .expect("attempt");
        let mut plan: Vec<SeededCall> = (0..1 + i % 3)
            .map(|j| SeededCall {
                episode: i,
                provider: "anthropic",
                key: format!("script.write/{i}-{j}"),
                failed: false,
                cost: 1_000 * (1 + (i * 7 + j * 3) % 11) as i64,
                handed_over: false,
            })
            .collect();
        if i % 4 == 0 {
            // A failed call retried with the same request.
            let key = format!("script.write/{i}-retry");
            plan.push(SeededCall {
                episode: i,
                provider: "anthropic",
                key: key.clone(),
                failed: true,
                cost: 0,
                handed_over: false,
            });
            plan.push(SeededCall {
                episode: i,
                provider: "anthropic",
                key,
                failed: false,
                cost: 2_500,
                handed_over: false,
            });
        }
        if i % 5 == 0 {
            // A failed call the attempt handed to Gemini.
            plan.push(SeededCall {
                episode: i,
                provider: "anthropic",
                key: format!("script.write/{i}-fb"),
                failed: true,
                cost: 300,
                handed_over: true,
            });
            plan.push(SeededCall {
                episode: i,
                provider: "gemini",
                key: format!("script.write/{i}-fb-g"),
                failed: false,
                cost: 1_700,
                handed_over: false,
            });
        }
        for c in &plan {
            sqlx::query(
                "INSERT INTO provider_calls (run_id, stage, attempt_id, call_key, phase, provider, model, reserved, status, cost, created_at_ms)
                 VALUES (?, 'script.write', ?, ?, 'production', ?, 'm', 0, ?, ?, ?)",
            )
            .bind(&run)
            .bind(attempt)
            .bind(&c.key)
            .bind(c.provider)
            .bind(if c.failed { "failed" } else { "settled" })
            .bind(c.cost)
            .bind(created_at_ms)
            .execute(&mut *tx)
            .await
            .expect("call");
        }
        calls.extend(plan);
        let lines = vec![
            format!(
                "Welcome back: tonight we talk about {}.",
                TOPIC_WORDS[i % TOPIC_WORDS.len()]
            ),
            format!("And a word you hear only here, {script_word}."),
        ];
        let evaluations: Vec<_> = e
            .evaluation_means
            .iter()
            .map(|m| {
                serde_json::json!({"evaluator": "x", "comments": [], "scores": {
                    "factual_support": m - 1.0, "narrative_coherence": m + 1.0, "brand_voice": m,
                    "engagement": m, "speech_readiness": m - 0.5, "format_compliance": m + 0.5}})
            })
            .collect();
        let mut artifacts =
            vec![
            ("script", "script.write", script_json(&format!("Notes on {}", TOPIC_WORDS[i % 5]), &lines)),
            (
                "gate_report",
                "script.evaluate",
                serde_json::json!({"verdict": if e.gate_passed { "pass" } else { "remediate" }, "score": e.gate_score,
                    "threshold": 0.7, "checks": [], "feedback": ""})
                .to_string(),
            ),
            (
                "evaluation_panel",
                "script.evaluate",
                serde_json::json!({"evaluations": evaluations, "consensus": 0.9, "passed": true}).to_string(),
            ),
        ];
        if let Some(ms) = e.master_ms {
            artifacts.push((
                "master",
                "audio.master",
                serde_json::json!({"duration_ms": ms}).to_string(),
            ));
        }
        for (kind, stage, content) in artifacts {
            sqlx::query(
                "INSERT INTO artifacts (id, run_id, stage, kind, version, content, created_at_ms) VALUES (?, ?, ?, ?, 1, ?, ?)",
            )
            .bind(format!("art-{kind}-{id}"))
            .bind(&run)
            .bind(stage)
            .bind(kind)
            .bind(content)
            .bind(created_at_ms + 100)
            .execute(&mut *tx)
            .await
            .expect("artifact");
        }
        if let Some(at) = e.released_at_ms {
            sqlx::query(
                "INSERT INTO decisions (run_id, gate, decision, note, decided_by, decided_at_ms, artifact_version)
                 VALUES (?, 'release', '{}', '', 'producer', ?, 1)",
            )
            .bind(&run)
            .bind(at)
            .execute(&mut *tx)
            .await
            .expect("decision");
        }
        if e.warn_notice {
            sqlx::query(
                "INSERT INTO budget_notices (run_id, notice, committed, cap, fired_at_ms) VALUES (?, 'warn', ?, ?, ?)",
            )
            .bind(&run)
            .bind(e.cap * 8 / 10)
            .bind(e.cap)
            .bind(created_at_ms + 200)
            .execute(&mut *tx)
            .await
            .expect("notice");
        }
        episodes.push(e);
    }
    tx.commit().await.expect("the seed commits");
    SeededStudio {
        shows: show_list,
        episodes,
        calls,
    }
}

/// `YYYY-MM` of a UTC instant, as the dashboard groups by.
pub fn month_of(ms: i64) -> String {
    showrunner_domain::utc::month(ms)
}
