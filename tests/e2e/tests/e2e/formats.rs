//! Episode formats in the real window: a show saved with a default format starts its episodes in it, a brief
//! starts at four minutes, and a debate's script gives each side its own segment.

use std::time::Duration;

use fantoccini::Locator;
use showrunner_e2e::*;

async fn selected(c: &fantoccini::Client, id: &str) -> bool {
    find(c, id, Duration::from_secs(10))
        .await
        .is_selected()
        .await
        .unwrap_or_else(|e| panic!("{id} selected: {e}"))
}

async fn value(c: &fantoccini::Client, id: &str) -> String {
    find(c, id, Duration::from_secs(10))
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("{id} value: {e}"))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_show_that_debates_starts_a_debate_whose_sides_each_get_a_segment() {
    let data = tempfile::tempdir().expect("temp data dir");
    let driver = start_driver(data.path());
    let c = launch(&driver).await;

    // A show whose episodes are debates by default.
    create_show(&c, "Both Sides", "25", Some("Debate")).await;

    // New episode: the show's default is picked; a brief would start at four minutes.
    click(&c, "nav-new-episode").await;
    type_into(&c, "episode-topic", "Should every harbour keep its lighthouse").await;
    let show = find(&c, "episode-show", Duration::from_secs(10)).await;
    show.select_by_label("Both Sides").await.expect("pick the show");
    eventually(Duration::from_secs(5), "the show's default format", || async {
        selected(&c, "episode-format-debate").await.then_some(())
    })
    .await;
    click(&c, "episode-format-brief").await;
    assert_eq!(
        value(&c, "episode-minutes").await,
        "4",
        "a brief starts at four minutes"
    );
    click(&c, "episode-format-debate").await;
    type_into(&c, "episode-minutes", "3").await;
    screenshot(&c, "formats-new-episode-debate").await;
    click(&c, "episode-start").await;

    // Sign-off: each side's case is a segment of its own.
    find(&c, "open-signoff", Duration::from_secs(120)).await;
    click(&c, "open-signoff").await;
    find(&c, "script-line-S1-L1", Duration::from_secs(10)).await;
    let body = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
    assert!(
        body.contains("The case for") && body.contains("The case against"),
        "the debate's sides are segments: {body}"
    );
    screenshot(&c, "formats-debate-script").await;
    c.close().await.expect("close the session");
}
