//! Line-level audio in the real window: at the release gate one line is regenerated with new words, the
//! run re-masters and parks at the gate again, the A/B panel plays the new take in the shared player, and
//! "Back to the master" puts the new master back, where a cue's (new) times are where the player plays.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use showrunner_e2e::*;

/// One transcript cue as the release screen shows it.
#[derive(Debug, Clone)]
struct Cue {
    line_id: String,
    start_ms: u64,
    end_ms: u64,
    text: String,
}

async fn cues(c: &Client) -> Vec<Cue> {
    let seen = c
        .execute(
            "return [...document.querySelectorAll(\"[data-testid^='cue-']\")].map((b) => ({
               id: b.dataset.testid.slice(4),
               start: Number(b.dataset.startMs),
               end: Number(b.dataset.endMs),
               text: b.querySelector('.text')?.textContent ?? '',
             }));",
            vec![],
        )
        .await
        .expect("read the transcript's cues");
    seen.as_array()
        .map(|all| {
            all.iter()
                .filter_map(|cue| {
                    Some(Cue {
                        line_id: cue.get("id")?.as_str()?.to_owned(),
                        start_ms: cue.get("start")?.as_u64()?,
                        end_ms: cue.get("end")?.as_u64()?,
                        text: cue.get("text")?.as_str()?.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn number(c: &Client, id: &str, name: &str) -> Option<u64> {
    attr(c, id, name).await?.parse().ok()
}

async fn text_of(c: &Client, id: &str) -> Option<String> {
    c.find(Locator::Css(&testid(id))).await.ok()?.text().await.ok()
}

/// Clicks `id` and waits for `check`; under load WebKitWebDriver can deliver a click before the page has
/// settled (see release_gate.rs), so a click that changed nothing within 5 s is repeated once, and said so.
async fn click_until<T, F, Fut>(c: &Client, id: &str, what: &str, within: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    click(c, id).await;
    for _ in 0..25 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!("{id}: nothing changed 5 s after the click: clicking it again");
    click(c, id).await;
    eventually(within, what, check).await
}

/// From the run screen, opens the release gate once it holds a master whose `line_id` cue reads `words`.
async fn open_gate_with(c: &Client, line_id: &str, words: &str, within: Duration) -> Vec<Cue> {
    let deadline = Instant::now() + within;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        assert!(
            !remaining.is_zero(),
            "the gate did not park again with the new words within {within:?}"
        );
        find(c, "open-release", remaining).await;
        let run_url = c.current_url().await.expect("the run screen's address");
        click(c, "open-release").await;
        let fresh = eventually(Duration::from_secs(15), "the release screen's transcript", || async {
            let all = cues(c).await;
            (!all.is_empty()).then_some(all)
        })
        .await;
        if fresh
            .iter()
            .any(|cue| cue.line_id == line_id && cue.text.contains(words))
        {
            return fresh;
        }
        // A gate seen before the run went back (a stale park): back to the run screen and wait again.
        c.goto(run_url.as_str()).await.expect("back to the run screen");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regenerated_line_plays_in_the_ab_panel_and_the_new_master_plays_it_at_its_new_cue() {
    let data = tempfile::tempdir().expect("temp data dir");
    let driver = start_driver(data.path());
    let c = launch(&driver).await;
    let began = Instant::now();

    create_show(&c, "Take Two", "1", None).await;
    click(&c, "nav-new-episode").await;
    type_into(&c, "episode-topic", "How lighthouse lamps are trimmed").await;
    let show = find(&c, "episode-show", Duration::from_secs(10)).await;
    show.select_by_label("Take Two").await.expect("pick the show");
    type_into(&c, "episode-minutes", "1").await;
    click(&c, "episode-start").await;
    find(&c, "open-signoff", Duration::from_secs(120)).await;
    click(&c, "open-signoff").await;
    find(&c, "script-line-S1-L1", Duration::from_secs(10)).await;
    click(&c, "approve-script").await;
    find(&c, "open-release", Duration::from_secs(180)).await;
    click(&c, "open-release").await;
    find(&c, "player-play", Duration::from_secs(15)).await;
    let reached_gate = began.elapsed();

    // A line in the middle, so cues after it move when it grows.
    let before = eventually(Duration::from_secs(10), "the transcript's cues", || async {
        let all = cues(&c).await;
        (all.len() >= 3).then_some(all)
    })
    .await;
    let at = before.len() / 2;
    let line = before[at].clone();
    let next_before = before[at + 1].start_ms;
    let words = format!(
        "{} And, said slowly, one more sentence that the first take never had.",
        line.text.trim()
    );
    let added = "one more sentence that the first take never had";

    click(&c, &format!("regenerate-{}", line.line_id)).await;
    type_into(&c, "take-text", &words).await;
    let gate_url = c.current_url().await.expect("the release screen's address");
    click_until(
        &c,
        "regenerate-submit",
        "the run screen after the regenerate",
        Duration::from_secs(20),
        || async {
            let url = c.current_url().await.ok()?;
            (url != gate_url).then_some(())
        },
    )
    .await;
    let regenerated_at = Instant::now();

    let after = open_gate_with(&c, &line.line_id, added, Duration::from_secs(120)).await;
    let parked_again = regenerated_at.elapsed();
    let cue = after
        .iter()
        .find(|cue| cue.line_id == line.line_id)
        .cloned()
        .expect("the line is still in the transcript");
    let next_after = after[at + 1].start_ms;
    println!("old cue {line:?}; new cue {cue:?}; next cue {next_before} → {next_after} ms");
    assert_eq!(cue.start_ms, line.start_ms, "nothing before the line moved");
    assert!(
        cue.end_ms - cue.start_ms > line.end_ms - line.start_ms,
        "the re-worded line is longer: {line:?} → {cue:?}"
    );
    let grew = (cue.end_ms - cue.start_ms) as i64 - (line.end_ms - line.start_ms) as i64;
    assert!(
        (next_after as i64 - next_before as i64 - grew).abs() <= 2,
        "the next cue moved by what the line grew ({grew} ms): {next_before} → {next_after} ms"
    );
    let master_ms = eventually(Duration::from_secs(15), "the new master in the player", || async {
        number(&c, "player-position", "data-duration-ms")
            .await
            .filter(|ms| *ms > 0)
    })
    .await;

    // The A/B panel: the new take is in the master now, so "old" is take 1 and "new" take 2.
    click(&c, &format!("regenerate-{}", line.line_id)).await;
    find(&c, "play-new", Duration::from_secs(15)).await;
    let old_label = text_of(&c, "play-old").await.unwrap_or_default();
    assert!(old_label.contains("take 1"), "▶ old plays take 1: {old_label}");
    let take_ms = number(&c, "take-2", "data-duration-ms")
        .await
        .expect("take 2 states its length");
    assert!(
        take_ms + 200 >= cue.end_ms - cue.start_ms,
        "take 2 ({take_ms} ms) is the new cue's audio ({cue:?})"
    );
    let panel = find(&c, "ab-panel", Duration::from_secs(5)).await;
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center' });",
        vec![serde_json::to_value(&panel).expect("the element as a script argument")],
    )
    .await
    .expect("scroll the A/B panel into view");
    screenshot(&c, "ab-panel").await;

    click_until(
        &c,
        "play-new",
        "take 2 in the player",
        Duration::from_secs(10),
        || async {
            let said = text_of(&c, "in-player").await?;
            said.contains("take 2").then_some(())
        },
    )
    .await;
    let take_in_player = eventually(Duration::from_secs(10), "the player to hold take 2", || async {
        number(&c, "player-position", "data-duration-ms")
            .await
            .filter(|ms| ms.abs_diff(take_ms) <= 50)
    })
    .await;
    let playing = eventually(Duration::from_secs(10), "take 2 to play", || async {
        number(&c, "player-position", "data-position-ms")
            .await
            .filter(|ms| *ms >= 300)
    })
    .await;
    println!("take 2: {take_in_player} ms in the player, playing at {playing} ms");
    assert!(
        playing <= take_ms,
        "the position ({playing} ms) lies inside take 2 ({take_ms} ms)"
    );

    // Back to the master, then into the line's new cue.
    click_until(
        &c,
        "play-master",
        "the master back in the player",
        Duration::from_secs(10),
        || async {
            let said = text_of(&c, "in-player").await?;
            said.contains("the master").then_some(())
        },
    )
    .await;
    eventually(Duration::from_secs(10), "the master's length in the player", || async {
        number(&c, "player-position", "data-duration-ms")
            .await
            .filter(|ms| ms.abs_diff(master_ms) <= 50)
    })
    .await;
    let cue_id = format!("cue-{}", line.line_id);
    click_until(
        &c,
        &cue_id,
        "the player at the line's cue",
        Duration::from_secs(10),
        || async {
            number(&c, "player-position", "data-position-ms")
                .await
                .filter(|ms| ms.abs_diff(cue.start_ms) <= 100)
        },
    )
    .await;
    click(&c, "player-play").await;
    let inside = eventually(
        Duration::from_secs(10),
        "the master to play on into the cue",
        || async {
            number(&c, "player-position", "data-position-ms")
                .await
                .filter(|ms| *ms >= cue.start_ms + 200)
        },
    )
    .await;
    click(&c, "player-pause").await;
    println!(
        "master: playing at {inside} ms inside the cue {}–{} ms",
        cue.start_ms, cue.end_ms
    );
    assert!(
        (cue.start_ms..cue.end_ms).contains(&inside),
        "the player plays the line's new cue: {inside} ms in {cue:?}"
    );
    println!(
        "reached the gate in {reached_gate:?}; parked again {parked_again:?} after the regenerate; all in {:?}",
        began.elapsed()
    );
    c.close().await.expect("close the session");
}
