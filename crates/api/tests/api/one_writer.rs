//! One writer per data folder: the writer lock, read-only access beside it, and one run per episode.

use showrunner_api::domain::{EpisodeStatus, Money, NewEpisode};
use showrunner_api::{episodes, Access, App, AppOptions, ErrorCode};
use showrunner_store::StoreError;

use crate::{open, show};

fn options(dir: &std::path::Path) -> AppOptions {
    AppOptions {
        data_dir: Some(dir.to_path_buf()),
        offline: true,
    }
}

#[tokio::test]
async fn a_second_writer_is_refused_naming_the_holder_while_readers_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;

    let refused = App::open(options(dir.path()))
        .await
        .err()
        .expect("a second writer is refused");
    assert_eq!(refused.code, ErrorCode::DataDirInUse);
    assert!(
        refused.message.contains("the Showrunner app") && refused.message.contains(&std::process::id().to_string()),
        "the refusal names the holder: {}",
        refused.message
    );
    assert_eq!(refused.details.as_ref().unwrap()["holder"]["role"], "app");

    let reader = App::open_with(options(dir.path()), Access::ReadOnly)
        .await
        .expect("a reader opens beside the writer");
    assert!(!reader.is_writer());
    let shows = showrunner_api::shows::list_shows(&reader).await.unwrap();
    assert_eq!(shows[0].id, show.id, "the reader sees what the writer wrote");
    assert!(
        reader.resume_interrupted().await.is_err(),
        "a read-only app cannot drive runs"
    );

    drop(app);
    let writer = App::open(options(dir.path()))
        .await
        .expect("the folder is free once the writer is gone");
    assert!(writer.is_writer());
}

#[tokio::test]
async fn two_resumes_at_once_start_one_run_for_an_episode_saved_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    // Saved, and the process died before its run was created: the next start creates it.
    let episode = app
        .store()
        .create_episode(
            &NewEpisode {
                show_id: show.id.clone(),
                topic: "How lighthouses kept ships safe".into(),
                target_minutes: 1,
                budget_cap: Money::from_micros(33_250_000),
                format: Default::default(),
                language: None,
            },
            app.now_ms(),
        )
        .await
        .unwrap();
    assert_eq!(episode.status, EpisodeStatus::Producing);

    let (a, b) = tokio::join!(app.resume_interrupted(), app.resume_interrupted());
    let (a, b) = (a.expect("the first resume"), b.expect("the second resume"));
    let started: Vec<_> = a.iter().chain(b.iter()).collect();
    assert!(!started.is_empty(), "one of them started the run");

    let run = app.store().latest_run(&episode.id).await.unwrap().expect("a run");
    let second = app
        .store()
        .create_run(
            Some(&episode.id),
            &run.pipeline,
            episode.budget_cap,
            &showrunner_production::standard_budget(),
            None,
            app.now_ms(),
        )
        .await;
    assert!(
        matches!(second, Err(StoreError::RunExists { .. })),
        "the schema keeps one run per episode: {second:?}"
    );
    assert!(
        started.iter().all(|id| **id == run.id),
        "every resume names the one run: {started:?}"
    );
    let fresh = episodes::episode(&app, &episode.id).await.unwrap();
    assert_eq!(fresh.run_id.as_ref(), Some(&run.id));
    app.engine().drive_to_rest(&run.id).await.expect("the run rests");
}
