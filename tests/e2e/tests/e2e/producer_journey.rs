//! A producer's first episode, in the real window: create a show, start an offline episode, sign off the
//! script, listen at the release gate (real playback through rodio), approve, and see it released.

use std::time::Duration;

use fantoccini::Locator;
use showrunner_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_producer_takes_an_offline_episode_from_topic_to_release() {
    let data = tempfile::tempdir().expect("temp data dir");
    let driver = start_driver(data.path());
    let c = launch(&driver).await;
    assert_eq!(c.title().await.unwrap(), "Showrunner");

    // Episodes: the empty library invites the first episode.
    find(&c, "episodes-empty", Duration::from_secs(10)).await;
    screenshot(&c, "01-episodes-empty").await;

    // Shows & brand voice: create a show from the starter brand voice.
    click(&c, "nav-shows").await;
    click(&c, "show-new").await;
    type_into(&c, "show-name", "E2E Weekly").await;
    type_into(&c, "show-minutes", "2").await;
    screenshot(&c, "02-show-form").await;
    click(&c, "show-save").await;
    eventually(Duration::from_secs(10), "the new show in the list", || async {
        let body = c.find(Locator::Css("body")).await.ok()?.text().await.ok()?;
        body.contains("E2E Weekly").then_some(())
    })
    .await;

    // New episode: topic, show, two minutes, start.
    click(&c, "nav-new-episode").await;
    type_into(&c, "episode-topic", "How lighthouses kept ships safe").await;
    let show_select = find(&c, "episode-show", Duration::from_secs(10)).await;
    show_select.select_by_label("E2E Weekly").await.expect("pick the show");
    type_into(&c, "episode-minutes", "2").await;
    screenshot(&c, "03-new-episode").await;
    click(&c, "episode-start").await;

    // Run: the live stage list reaches script sign-off.
    find(&c, "stage-row-research-discover", Duration::from_secs(20)).await;
    find(&c, "open-signoff", Duration::from_secs(120)).await;
    let discover = attr(&c, "stage-row-research-discover", "data-status").await;
    assert_eq!(discover.as_deref(), Some("done"), "research finished before sign-off");
    screenshot(&c, "04-run-parked-at-signoff").await;

    // Script sign-off.
    click(&c, "open-signoff").await;
    find(&c, "script-line-S1-L1", Duration::from_secs(10)).await;
    screenshot(&c, "05-script-signoff").await;
    click(&c, "approve-script").await;

    // Release gate: the master is ready; play it and watch the position advance.
    find(&c, "open-release", Duration::from_secs(180)).await;
    screenshot(&c, "06-run-parked-at-release").await;
    click(&c, "open-release").await;
    find(&c, "player-play", Duration::from_secs(15)).await;
    click(&c, "player-play").await;
    let position: u64 = eventually(Duration::from_secs(10), "playback position to pass 300 ms", || async {
        let ms: u64 = attr(&c, "player-position", "data-position-ms").await?.parse().ok()?;
        (ms >= 300).then_some(ms)
    })
    .await;
    assert!(position >= 300, "the backend player is really playing");
    screenshot(&c, "07-release-gate-playing").await;
    click(&c, "player-pause").await;
    click(&c, "approve-release").await;

    // Episodes: listed as released.
    eventually(Duration::from_secs(20), "the episode to be released", || async {
        click(&c, "nav-episodes").await;
        let row = c.find(Locator::Css("[data-testid^='episode-row-']")).await.ok()?;
        (row.attr("data-status").await.ok()?? == "released").then_some(())
    })
    .await;
    screenshot(&c, "08-episodes-released").await;
    c.close().await.expect("close the session");
}
