//! The API end to end: the offline crew on a real SQLite file, real espeak-ng speech and real WAV/MP3 masters,
//! and the real provider clients against their fakes. One test binary for the crate: each app reads its
//! configuration from an environment of its own (`support::keyed_app`), so nothing here sets a process-wide
//! variable.

mod arbiter;
mod base_url_env;
mod base_urls;
mod batch;
mod bindings;
mod connection;
mod crew;
mod decisions;
mod delivery;
mod faults;
mod formats;
mod journey;
mod languages;
mod ledger;
mod library;
mod line_takes;
mod local_voices;
mod one_writer;
mod outage;
mod prices;
mod prompts;
mod provider_catalog;
mod routing;
mod script_room;
mod show_assets;
mod sources;
mod speech_cache;
mod support;
mod validation;
mod voice_catalog;
mod voices;

use serde::de::DeserializeOwned;
use showrunner_api::domain::{
    ArtifactKind, BrandVoice, Episode, EpisodeFormat, EpisodeStatus, Money, NewEpisode, Show,
};
use showrunner_api::{episodes, shows, App, AppOptions};

pub async fn open(dir: &std::path::Path) -> App {
    App::open(AppOptions {
        data_dir: Some(dir.to_path_buf()),
        // These tests set keys in the keyring; the crew must stay offline regardless.
        offline: true,
    })
    .await
    .expect("the app opens on an empty folder")
}

pub async fn show(app: &App, minutes: u32) -> Show {
    let mut brand = BrandVoice::starter("Harbour Lights");
    brand.target_minutes = minutes;
    shows::create_show(app, brand).await.expect("a valid show")
}

pub async fn start(app: &App, show: &Show, minutes: u32) -> Episode {
    start_as(app, show, minutes, EpisodeFormat::DeepDive).await
}

/// [`start`] in another format.
pub async fn start_as(app: &App, show: &Show, minutes: u32, format: EpisodeFormat) -> Episode {
    episodes::start_episode(
        app,
        NewEpisode {
            show_id: show.id.clone(),
            topic: "How lighthouses kept ships safe".into(),
            target_minutes: minutes,
            budget_cap: Money::from_micros(33_250_000),
            format,
            language: None,
        },
    )
    .await
    .expect("the episode starts")
}

/// The latest artifact of `kind` in the episode's run, decoded.
pub async fn latest<T: DeserializeOwned>(app: &App, episode: &Episode, kind: ArtifactKind) -> T {
    let run = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    let record = app
        .store()
        .latest_artifact(&run, kind)
        .await
        .unwrap()
        .expect("the artifact");
    serde_json::from_value(record.content).unwrap()
}

/// Waits (driving the run in this task) until the episode's run rests.
pub async fn settle(app: &App, episode: &Episode) -> Episode {
    let fresh = episodes::episode(app, &episode.id).await.unwrap();
    let run = fresh.run_id.clone().expect("a run");
    app.engine().drive_to_rest(&run).await.expect("the run rests");
    episodes::episode(app, &episode.id).await.unwrap()
}

pub fn assert_status(e: &Episode, status: EpisodeStatus) {
    assert_eq!(
        e.status, status,
        "episode {} is {:?}, expected {:?}",
        e.id, e.status, status
    );
}
