//! The library and the Dashboard against a studio seeded with known calls, attempts, reports and decisions:
//! every figure is recomputed here from what was seeded.

use std::collections::BTreeMap;

use crate::support::seeded_studio::{self, month_of, save_script, seed};
use showrunner_api::dashboard::{dashboard, AlertKind};
use showrunner_api::domain::EpisodeStatus;
use showrunner_api::library::{search_episodes, LibraryOrder, LibrarySearch};
use showrunner_api::{App, AppOptions, ErrorCode};

async fn open(dir: &std::path::Path) -> App {
    App::open(AppOptions {
        data_dir: Some(dir.to_path_buf()),
        offline: true,
    })
    .await
    .expect("the app opens")
}

fn ids(page: &showrunner_api::library::LibraryPageView) -> Vec<String> {
    page.episodes.iter().map(|e| e.id.to_string()).collect()
}

async fn search(app: &App, text: &str) -> Vec<String> {
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
    ids(&page)
}

#[tokio::test]
async fn full_text_finds_an_episode_by_a_script_word_and_follows_new_versions() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let studio = seed(&app, 30).await;
    let e7 = &studio.episodes[7];
    assert_eq!(search(&app, &e7.script_word).await, vec![e7.id.clone()]);
    assert!(
        search(&app, "zeppelin").await.is_empty(),
        "a word no script says finds nothing"
    );
    // Topic words count too, and every word must appear.
    let glaciers: Vec<String> = studio
        .episodes
        .iter()
        .filter(|e| e.topic.contains("glaciers"))
        .map(|e| e.id.clone())
        .collect();
    let mut found = search(&app, "GLACIERS").await;
    found.sort();
    assert_eq!(found, glaciers);
    assert!(search(&app, &format!("tides {}", e7.script_word)).await.is_empty());

    // A newer script version replaces the old words.
    save_script(&app, e7, 2, "Tonight a zeppelin crosses the bay.").await;
    assert_eq!(search(&app, "zeppelin").await, vec![e7.id.clone()]);
    assert!(search(&app, &e7.script_word).await.is_empty());
    // Operators a producer types are words, never a syntax error.
    assert!(search(&app, "\"zeppelin OR (").await.is_empty());
    assert_eq!(
        search(&app, "zeppel").await,
        vec![e7.id.clone()],
        "the last word may be a prefix"
    );
}

#[tokio::test]
async fn filters_combine_and_pages_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let studio = seed(&app, 40).await;
    let show = &studio.shows[0];
    let page = search_episodes(
        &app,
        LibrarySearch {
            text: Some("tides".into()),
            show_id: Some(show.id.clone()),
            status: Some(EpisodeStatus::Released),
            order: LibraryOrder::Oldest,
            ..LibrarySearch::default()
        },
    )
    .await
    .unwrap();
    let mut want: Vec<&seeded_studio::SeededEpisode> = studio
        .episodes
        .iter()
        .filter(|e| e.show == 0 && e.status == EpisodeStatus::Released && e.topic.contains("tides"))
        .collect();
    want.sort_by_key(|e| e.created_at_ms);
    assert!(!want.is_empty(), "the seed has such episodes");
    assert_eq!(ids(&page), want.iter().map(|e| e.id.clone()).collect::<Vec<_>>());
    assert_eq!(page.total as usize, want.len());

    // Pages of 7 newest first: together every episode once, in order, the same on a second read.
    let mut seen = Vec::new();
    for n in 1..=6 {
        let request = LibrarySearch {
            order: LibraryOrder::Newest,
            page: Some(n),
            page_size: Some(7),
            ..LibrarySearch::default()
        };
        let p = search_episodes(&app, request.clone()).await.unwrap();
        assert_eq!(p.pages, 6);
        assert_eq!(p.total, 40);
        assert_eq!(ids(&search_episodes(&app, request).await.unwrap()), ids(&p));
        seen.extend(ids(&p));
    }
    let mut newest: Vec<&seeded_studio::SeededEpisode> = studio.episodes.iter().collect();
    newest.sort_by_key(|e| std::cmp::Reverse(e.created_at_ms));
    assert_eq!(seen, newest.iter().map(|e| e.id.clone()).collect::<Vec<_>>());

    // Dearest first follows the ledger.
    let dear = search_episodes(
        &app,
        LibrarySearch {
            order: LibraryOrder::Spent,
            page_size: Some(1),
            ..LibrarySearch::default()
        },
    )
    .await
    .unwrap();
    let max = (0..40).map(|i| studio.spent(i)).max().unwrap();
    assert_eq!(dear.episodes[0].spent.0, max);

    let bad = search_episodes(
        &app,
        LibrarySearch {
            page: Some(0),
            ..LibrarySearch::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn dashboard_figures_equal_the_seeded_ledger_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let studio = seed(&app, 48).await;
    let view = dashboard(&app, None).await.unwrap();

    // Spend and caps per show and month.
    let mut spend: BTreeMap<(String, String), (u32, i64, i64)> = BTreeMap::new();
    for (i, e) in studio.episodes.iter().enumerate() {
        let row = spend
            .entry((month_of(e.created_at_ms), studio.shows[e.show].brand.name.clone()))
            .or_default();
        row.0 += 1;
        row.1 += e.cap;
        row.2 += studio.spent(i);
    }
    let got: BTreeMap<(String, String), (u32, i64, i64)> = view
        .spend
        .iter()
        .map(|s| {
            (
                (s.month.clone(), s.show_name.clone()),
                (s.episodes, s.caps.0, s.spent.0),
            )
        })
        .collect();
    assert!(got.len() > 2, "the seed spans months: {got:?}");
    assert_eq!(got, spend);

    // Providers: calls, failures, retries (same key again), fallbacks (handed to another provider).
    for p in &view.providers {
        let mine: Vec<&seeded_studio::SeededCall> = studio.calls.iter().filter(|c| c.provider == p.provider).collect();
        let keys: std::collections::BTreeSet<&str> = mine.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(p.calls as usize, mine.len(), "{}", p.provider);
        assert_eq!(p.failed as usize, mine.iter().filter(|c| c.failed).count());
        assert_eq!(p.retries as usize, mine.len() - keys.len());
        assert_eq!(p.fallbacks as usize, mine.iter().filter(|c| c.handed_over).count());
        assert_eq!(p.cost.0, mine.iter().map(|c| c.cost).sum::<i64>());
    }
    assert_eq!(view.providers.len(), 2);

    // Gate pass rates and evaluation means per month.
    for g in &view.gates {
        // Named as the Run view names the stage, not by its id.
        assert_eq!(
            (g.gate.as_str(), g.label.as_str()),
            ("script.evaluate", "Script · evaluate")
        );
        let month: Vec<_> = studio
            .episodes
            .iter()
            .filter(|e| month_of(e.created_at_ms + 100) == g.month)
            .collect();
        let passed = month.iter().filter(|e| e.gate_passed).count();
        assert_eq!(
            (g.reports as usize, g.passed as usize),
            (month.len(), passed),
            "{}",
            g.month
        );
        assert!((g.pass_rate - passed as f64 / month.len() as f64).abs() < 1e-9);
        let mean = month.iter().map(|e| e.gate_score).sum::<f64>() / month.len() as f64;
        assert!((g.mean_score - mean).abs() < 1e-9);
    }
    for ev in &view.evaluations {
        let means: Vec<f64> = studio
            .episodes
            .iter()
            .filter(|e| month_of(e.created_at_ms + 100) == ev.month)
            .flat_map(|e| e.evaluation_means)
            .collect();
        assert_eq!(ev.evaluations as usize, means.len());
        assert!((ev.mean_score - means.iter().sum::<f64>() / means.len() as f64).abs() < 1e-9);
    }

    // Cost per finished minute: released episodes' spend over their masters' minutes.
    for c in &view.cost_per_minute {
        let show = studio.shows.iter().position(|s| s.id == c.show_id).unwrap();
        let released: Vec<usize> = (0..studio.episodes.len())
            .filter(|&i| studio.episodes[i].show == show && studio.episodes[i].master_ms.is_some())
            .collect();
        let minutes = released
            .iter()
            .map(|&i| studio.episodes[i].master_ms.unwrap())
            .sum::<i64>() as f64
            / 60_000.0;
        let spent: i64 = released.iter().map(|&i| studio.spent(i)).sum();
        assert_eq!(c.spent.0, spent);
        assert_eq!(c.per_minute.unwrap().0, (spent as f64 / minutes).round() as i64);
    }
    let shows_released: std::collections::BTreeSet<usize> = studio
        .episodes
        .iter()
        .filter(|e| e.master_ms.is_some())
        .map(|e| e.show)
        .collect();
    assert_eq!(view.cost_per_minute.len(), shows_released.len());

    // Time to release.
    let released: usize = view.releases.iter().map(|r| r.episodes as usize).sum();
    assert_eq!(
        released,
        studio.episodes.iter().filter(|e| e.released_at_ms.is_some()).count()
    );
    for r in &view.releases {
        let spans: Vec<i64> = studio
            .episodes
            .iter()
            .filter(|e| studio.shows[e.show].id == r.show_id)
            .filter_map(|e| {
                e.released_at_ms
                    .filter(|at| month_of(*at) == r.month)
                    .map(|at| at - e.created_at_ms)
            })
            .collect();
        assert_eq!(r.max_ms, *spans.iter().max().unwrap());
    }

    // Alerts: each warn notice and each failed or waiting episode, newest first, linking to the episode.
    let warns = studio.episodes.iter().filter(|e| e.warn_notice).count();
    let failed = studio
        .episodes
        .iter()
        .filter(|e| e.status == EpisodeStatus::Failed)
        .count();
    let attention = studio
        .episodes
        .iter()
        .filter(|e| e.status == EpisodeStatus::NeedsAttention)
        .count();
    let count = |k: AlertKind| view.alerts.iter().filter(|a| a.kind == k).count();
    assert_eq!(
        (
            count(AlertKind::BudgetWarn),
            count(AlertKind::Failed),
            count(AlertKind::NeedsAttention)
        ),
        (warns, failed, attention)
    );
    let a_failure = view.alerts.iter().find(|a| a.kind == AlertKind::Failed).unwrap();
    assert!(a_failure.message.contains("bad_key"), "{}", a_failure.message);
    assert!(view.alerts.windows(2).all(|w| w[0].at_ms >= w[1].at_ms));

    // One show's dashboard holds only its episodes.
    let one = dashboard(&app, Some(studio.shows[0].id.clone())).await.unwrap();
    assert!(one.spend.iter().all(|s| s.show_id == studio.shows[0].id));
    let total: i64 = one.spend.iter().map(|s| s.spent.0).sum();
    let want: i64 = (0..studio.episodes.len())
        .filter(|&i| studio.episodes[i].show == 0)
        .map(|i| studio.spent(i))
        .sum();
    assert_eq!(total, want);
}
