//! The library and Dashboard benchmark at 10,000 seeded episodes (p95 of each figure against its goal):
//! `cargo bench -p showrunner-api --bench library` (see docs/benchmarks.md). `SHOWRUNNER_BENCH_EPISODES`
//! changes the size; `SHOWRUNNER_BENCH_DIR` keeps the seeded store to read query plans with the sqlite3 shell.

#[path = "../tests/api/support/seeded_studio.rs"]
#[allow(dead_code)]
mod seeded_studio;

use std::time::Instant;

use seeded_studio::{seed, SeededStudio};
use showrunner_api::dashboard::dashboard;
use showrunner_api::library::{search_episodes, LibrarySearch};
use showrunner_api::{App, AppOptions};

async fn open(dir: &std::path::Path) -> App {
    App::open(AppOptions {
        data_dir: Some(dir.to_path_buf()),
        offline: true,
    })
    .await
    .expect("the app opens")
}

async fn search(app: &App, text: &str) -> usize {
    let page = search_episodes(
        app,
        LibrarySearch {
            text: Some(text.into()),
            page_size: Some(200),
            ..LibrarySearch::default()
        },
    )
    .await
    .expect("a search");
    page.episodes.len()
}

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(bench_library_and_dashboard());
}

fn p95(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[((ms.len() as f64 * 0.95).ceil() as usize).saturating_sub(1)]
}

async fn time<F: std::future::Future<Output = ()>>(runs: usize, mut f: impl FnMut() -> F) -> f64 {
    f().await;
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    p95(ms)
}

async fn bench_library_and_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    // SHOWRUNNER_BENCH_DIR keeps the seeded store (an empty folder), to read query plans with the sqlite3 shell.
    let kept = std::env::var_os("SHOWRUNNER_BENCH_DIR").map(std::path::PathBuf::from);
    let app = open(kept.as_deref().unwrap_or(dir.path())).await;
    let episodes: usize = std::env::var("SHOWRUNNER_BENCH_EPISODES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let t = Instant::now();
    let studio: SeededStudio = seed(&app, episodes).await;
    println!("seeded {episodes} episodes in {:.1} s", t.elapsed().as_secs_f64());
    let word = studio.episodes[episodes / 2].script_word.clone();
    let first_page = time(30, || async {
        let p = search_episodes(&app, LibrarySearch::default()).await.unwrap();
        assert_eq!(p.total as usize, episodes);
    })
    .await;
    let full_text = time(30, || async {
        assert_eq!(search(&app, &word).await, 1);
    })
    .await;
    let common = time(30, || async {
        let p = search_episodes(
            &app,
            LibrarySearch {
                text: Some("tonight lighthouses".into()),
                ..LibrarySearch::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(p.total as usize, episodes.div_ceil(5));
    })
    .await;
    let board = time(10, || async {
        dashboard(&app, None).await.unwrap();
    })
    .await;
    // Each aggregate alone, so a miss names its query.
    let store = app.store();
    let parts = [
        (
            "spend by show and month",
            time(5, || async {
                store.spend_by_show_month(None).await.unwrap();
            })
            .await,
        ),
        (
            "cost per finished minute",
            time(5, || async {
                store.finished_minutes(None).await.unwrap();
            })
            .await,
        ),
        (
            "gate months",
            time(5, || async {
                store.gate_months(None).await.unwrap();
            })
            .await,
        ),
        (
            "evaluation months",
            time(5, || async {
                store.evaluation_months(None).await.unwrap();
            })
            .await,
        ),
        (
            "provider reliability",
            time(5, || async {
                store.provider_reliability(None).await.unwrap();
            })
            .await,
        ),
        (
            "time to release",
            time(5, || async {
                store.release_months(None).await.unwrap();
            })
            .await,
        ),
        (
            "budget alerts",
            time(5, || async {
                store.budget_alerts(None, 50).await.unwrap();
            })
            .await,
        ),
        (
            "failure alerts",
            time(5, || async {
                store.failure_alerts(None, 50).await.unwrap();
            })
            .await,
        ),
    ];
    for (name, ms) in parts {
        println!("  dashboard part: {name}: {ms:.1} ms");
    }
    println!("| figure | p95 | goal |");
    println!("|---|---|---|");
    for (name, ms, goal) in [
        ("library, first page", first_page, 50.0),
        ("full-text search, one match", full_text, 50.0),
        ("full-text search, a fifth of the library", common, 50.0),
        ("dashboard aggregates", board, 100.0),
    ] {
        println!(
            "| {name} | {ms:.1} ms | ≤ {goal:.0} ms {} |",
            if ms <= goal { "PASS" } else { "MISS" }
        );
    }
}
