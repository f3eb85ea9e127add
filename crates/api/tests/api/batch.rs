use showrunner_api::batch::{start_episodes, BatchRow};
use showrunner_api::domain::{EpisodeFormat, EpisodeStatus, Money, ShowId};
use showrunner_api::{episodes, ErrorCode};

use crate::{open, settle, show};

fn row(show_id: &ShowId, topic: &str) -> BatchRow {
    BatchRow {
        show_id: show_id.clone(),
        topic: topic.into(),
        target_minutes: 1,
        budget_cap: Money::from_micros(5_000_000),
        format: None,
        language: None,
        sources: vec![],
        over_cap_confirmed: false,
    }
}

fn fields(error: &showrunner_api::ApiError) -> Vec<String> {
    error.details.as_ref().map_or(vec![], |d| {
        d["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect()
    })
}

#[tokio::test]
async fn a_batch_checks_every_row_starts_the_valid_ones_and_codes_each_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let rows = vec![
        row(&show.id, "Why tides turn"),
        BatchRow {
            target_minutes: 0,
            budget_cap: Money::ZERO,
            ..row(&show.id, " ")
        },
        BatchRow {
            // A one-minute brief: briefs run 2 to 5 minutes.
            format: Some(EpisodeFormat::Brief),
            ..row(&show.id, "The moon in brief")
        },
        row(&ShowId::new(), "A show that is gone"),
        row(&show.id, "The first lighthouse"),
    ];
    let results = start_episodes(&app, rows).await.unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(
        results.iter().map(|r| r.index).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4],
        "one result per row, in order"
    );

    let started: Vec<_> = results.iter().filter_map(|r| r.episode.clone()).collect();
    assert_eq!(
        started.iter().map(|e| e.topic.as_str()).collect::<Vec<_>>(),
        ["Why tides turn", "The first lighthouse"]
    );
    assert!(results[0].estimate.is_some(), "a started row carries its estimate");

    let error = |i: usize| results[i].error.clone().expect("a refused row has its error");
    assert_eq!(error(1).code, ErrorCode::InvalidInput);
    assert_eq!(fields(&error(1)), ["topic", "target_minutes", "budget_cap"]);
    assert_eq!(error(2).code, ErrorCode::InvalidInput);
    assert_eq!(fields(&error(2)), ["format"]);
    assert_eq!(error(3).code, ErrorCode::NotFound);
    assert!(results[1..4].iter().all(|r| r.episode.is_none()));

    let listed = episodes::list_episodes(&app).await.unwrap();
    assert_eq!(listed.len(), 2, "only the valid rows became episodes");
    // Both run at once on the one engine, and both reach the sign-off.
    for episode in &started {
        let rested = settle(&app, episode).await;
        assert_eq!(rested.status, EpisodeStatus::AwaitingScriptSignoff, "{rested:?}");
    }
}
