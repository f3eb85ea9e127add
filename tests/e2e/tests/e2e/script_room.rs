//! The script room in the real window: lock a line at sign-off, send the script back to the writer with a
//! note, and see in the version diff (shown on return to sign-off) that the locked line came back verbatim.

use std::time::Duration;

use fantoccini::{Client, Locator};
use showrunner_e2e::*;

/// The attempts a stage row counts.
async fn attempts(c: &Client, row: &str) -> u32 {
    attr(c, row, "data-attempts")
        .await
        .and_then(|a| a.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_line_locked_at_sign_off_is_kept_through_a_send_back_and_the_diff_shows_it() {
    let data = tempfile::tempdir().expect("temp data dir");
    let driver = start_driver(data.path());
    let c = launch(&driver).await;

    create_show(&c, "Harbour Lights", "1", None).await;

    click(&c, "nav-new-episode").await;
    type_into(&c, "episode-topic", "Why tides turn").await;
    let show = find(&c, "episode-show", Duration::from_secs(10)).await;
    show.select_by_label("Harbour Lights").await.expect("pick the show");
    type_into(&c, "episode-minutes", "1").await;
    click(&c, "episode-start").await;
    find(&c, "open-signoff", Duration::from_secs(180)).await;
    let writes = attempts(&c, "stage-row-script-write").await;
    click(&c, "open-signoff").await;

    // Lock a body line (the third line of the script).
    find(&c, "script-line-S1-L1", Duration::from_secs(10)).await;
    let lock = c
        .execute(
            "return document.querySelectorAll(\"[data-testid^='line-lock-']\")[2].dataset.testid;",
            vec![],
        )
        .await
        .expect("the lock buttons");
    let lock = lock.as_str().expect("a lock button's test id").to_owned();
    let line = lock.trim_start_matches("line-lock-").to_owned();
    click(&c, &lock).await;
    eventually(Duration::from_secs(10), "the line to show locked", || async {
        (attr(&c, &lock, "aria-pressed").await.as_deref() == Some("true")).then_some(())
    })
    .await;

    type_into(&c, "send-back-note", "Open with the 1953 storm.").await;
    click(&c, "send-back-script").await;
    eventually(
        Duration::from_secs(180),
        "the rewrite to wait for sign-off again",
        || async {
            let redone = attempts(&c, "stage-row-script-write").await > writes;
            let parked = c.find(Locator::Css(&testid("open-signoff"))).await.is_ok();
            (redone && parked).then_some(())
        },
    )
    .await;
    click(&c, "open-signoff").await;

    // Back at sign-off, the writer's new version is shown against the one sent back.
    let row = format!("diff-row-{line}");
    find(&c, &row, Duration::from_secs(15)).await;
    let diff = find(&c, "script-diff", Duration::from_secs(5)).await;
    let heading = diff.find(Locator::Css("h2")).await.unwrap().text().await.unwrap();
    assert!(heading.contains('→'), "{heading}");
    assert_eq!(
        attr(&c, &row, "data-change").await.as_deref(),
        Some("same"),
        "the locked line came back verbatim"
    );
    let kept = find(&c, &row, Duration::from_secs(5)).await.text().await.unwrap();
    assert!(kept.contains('🔒'), "the diff marks the line locked: {kept}");
    // The diff sits below the fold beside the script: bring it to the top of the window for the picture.
    c.execute(
        "document.querySelector(\"[data-testid='script-diff']\").scrollIntoView({ behavior: 'instant', block: 'start' });",
        vec![],
    )
    .await
    .expect("scroll to the diff");
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(&c, "script-diff").await;
    c.close().await.expect("close the session");
}
