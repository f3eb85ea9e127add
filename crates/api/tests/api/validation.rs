use showrunner_api::domain::{BrandVoice, Money, NewEpisode, ShowId};
use showrunner_api::{episodes, shows, ErrorCode};

use crate::open;

#[tokio::test]
async fn a_second_show_with_the_same_name_is_a_duplicate_error_on_the_name_field() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();
    let err = shows::create_show(&app, BrandVoice::starter("harbour lights "))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Duplicate);
    assert_eq!(err.details.as_ref().unwrap()["errors"][0]["field"], "name");
    assert_eq!(shows::list_shows(&app).await.unwrap().len(), 1, "nothing was written");
}

#[tokio::test]
async fn bad_episode_input_is_reported_per_field_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();
    let bad = NewEpisode {
        show_id: show.id.clone(),
        topic: "  ".into(),
        target_minutes: 0,
        budget_cap: Money::ZERO,
        format: Default::default(),
        language: None,
    };
    let err = episodes::start_episode(&app, bad).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let fields: Vec<String> = err.details.unwrap()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["topic", "target_minutes", "budget_cap"]);

    let unknown = NewEpisode {
        show_id: ShowId::new(),
        topic: "Tides".into(),
        target_minutes: 5,
        budget_cap: Money::from_micros(1),
        format: Default::default(),
        language: None,
    };
    let err = episodes::start_episode(&app, unknown).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(
        episodes::list_episodes(&app).await.unwrap().is_empty(),
        "no episode was created"
    );
}
