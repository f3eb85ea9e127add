//! The release gate in the real window: an offline episode reaches it, the waveform is drawn, a pointer
//! click on the waveform seeks the backend player, and Export… writes the delivery package. The folder
//! picker is answered by the debug build's stand-in (`SHOWRUNNER_E2E_PICK_FOLDER`, src-tauri's
//! `picker_stand_in`): WebDriver cannot drive a native GTK dialog.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::{Client, Locator};
use showrunner_e2e::*;

/// What the waveform's canvas holds: how many pixel columns have any ink, and how many have a stroke
/// taller than a flat line (so a canvas that only drew a baseline is told apart from a waveform).
#[derive(Debug)]
struct Ink {
    width: u64,
    inked: u64,
    tall: u64,
}

async fn canvas_ink(c: &Client) -> Option<Ink> {
    let seen = c
        .execute(
            "const canvas = document.querySelector(\"[data-testid='waveform'] canvas\");
             if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
             const { width, height } = canvas;
             const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
             let inked = 0, tall = 0;
             for (let x = 0; x < width; x++) {
               let rows = 0;
               for (let y = 0; y < height; y++) if (pixels[(y * width + x) * 4 + 3] > 0) rows++;
               if (rows > 0) inked++;
               if (rows > 4) tall++;
             }
             return { width, inked, tall };",
            vec![],
        )
        .await
        .ok()?;
    let field = |k: &str| seen.get(k).and_then(|v| v.as_u64());
    Some(Ink {
        width: field("width")?,
        inked: field("inked")?,
        tall: field("tall")?,
    })
}

/// The player's position as the release screen shows it.
async fn position_ms(c: &Client) -> Option<u64> {
    attr(c, "player-position", "data-position-ms").await?.parse().ok()
}

/// A real pointer click (move, press, release through WebDriver actions) at `fraction` of the waveform's
/// width, at its vertical middle. Returns the position the click stands for.
async fn click_waveform_at(c: &Client, fraction: f64, duration_ms: u64) -> u64 {
    let waveform = find(c, "waveform", Duration::from_secs(5)).await;
    let width = c
        .execute(
            "return arguments[0].getBoundingClientRect().width;",
            vec![serde_json::to_value(&waveform).expect("the element as a script argument")],
        )
        .await
        .expect("the waveform's width")
        .as_f64()
        .expect("a width in pixels");
    // Offsets are from the element's centre; whole pixels, so the expected position is the clicked one.
    let x = (fraction * width).round() - width / 2.0;
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: waveform,
            duration: Some(Duration::from_millis(50)),
            x,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(mouse).await.expect("a pointer click on the waveform");
    c.release_actions().await.expect("release the pointer");
    ((x + width / 2.0) / width * duration_ms as f64).round() as u64
}

/// Clicks the waveform at `fraction` and waits for the player to report that point.
async fn seek_by_click(c: &Client, fraction: f64, duration_ms: u64) -> u64 {
    let wanted = (fraction * duration_ms as f64) as u64;
    let clicked = click_waveform_at(c, fraction, duration_ms).await;
    // The tolerance: 2 % of the episode plus 250 ms.
    let tolerance = duration_ms / 50 + 250;
    let within = |ms: u64| ms.abs_diff(wanted) <= tolerance;
    let started = Instant::now();
    let reached = eventually(
        Duration::from_secs(5),
        &format!("the player to report {:.0} % of the episode", fraction * 100.0),
        || async { position_ms(c).await.filter(|ms| within(*ms)) },
    )
    .await;
    println!(
        "click at {:.0} % ({clicked} ms): the player reports {reached} ms after {:?} (wanted {wanted} ± {tolerance} ms)",
        fraction * 100.0,
        started.elapsed()
    );
    reached
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("read {}: {e}", folder.display()))
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_release_gate_the_waveform_is_drawn_a_click_seeks_and_export_writes_the_package() {
    let data = tempfile::tempdir().expect("temp data dir");
    let exports = tempfile::tempdir().expect("temp export folder");
    // The app inherits this process's environment through tauri-driver and WebKitWebDriver; this binary
    // runs this one test, so nothing else reads the variable.
    std::env::set_var("SHOWRUNNER_E2E_PICK_FOLDER", exports.path());
    let driver = start_driver(data.path());
    let c = launch(&driver).await;
    let began = Instant::now();

    create_show(&c, "Gate Check", "1", None).await;

    click(&c, "nav-new-episode").await;
    type_into(&c, "episode-topic", "How tide clocks are set").await;
    let show = find(&c, "episode-show", Duration::from_secs(10)).await;
    show.select_by_label("Gate Check").await.expect("pick the show");
    type_into(&c, "episode-minutes", "1").await;
    click(&c, "episode-start").await;

    click_when_ready(&c, "open-signoff", Duration::from_secs(120)).await;
    find(&c, "script-line-S1-L1", Duration::from_secs(10)).await;
    click(&c, "approve-script").await;
    click_when_ready(&c, "open-release", Duration::from_secs(180)).await;
    let reached_gate = began.elapsed();
    let release_url = c.current_url().await.expect("the release screen's address");

    // The waveform: ink in nearly every pixel column, and a real envelope, not a flat line.
    find(&c, "player-play", Duration::from_secs(15)).await;
    let ink = eventually(Duration::from_secs(10), "the waveform canvas to be drawn", || async {
        canvas_ink(&c).await.filter(|ink| ink.inked > 0)
    })
    .await;
    println!("waveform canvas: {ink:?}");
    assert!(ink.width >= 300, "the waveform spans the card: {ink:?}");
    assert!(
        ink.inked * 100 >= ink.width * 90,
        "ink in at least 90 % of the columns: {ink:?}"
    );
    assert!(
        ink.tall * 100 >= ink.width * 25,
        "the waveform shows the speech's envelope, not just a baseline: {ink:?}"
    );
    screenshot(&c, "release-gate-waveform").await;

    // A click seeks: at 70 %, then back at 25 %, each reported by the player within the tolerance.
    let duration_ms: u64 = attr(&c, "waveform", "aria-valuemax")
        .await
        .and_then(|d| d.parse().ok())
        .expect("the waveform states the episode's duration");
    assert!(duration_ms >= 20_000, "a one-minute episode: {duration_ms} ms");
    assert!(
        position_ms(&c).await.unwrap_or(u64::MAX) < duration_ms / 10,
        "the player starts at the top"
    );
    let at_70 = seek_by_click(&c, 0.70, duration_ms).await;
    screenshot(&c, "release-gate-seek-70").await;
    let at_25 = seek_by_click(&c, 0.25, duration_ms).await;
    assert!(
        at_25 < at_70,
        "the second click moved the player back: {at_25} ms after {at_70} ms"
    );

    // And it plays from there.
    click(&c, "player-play").await;
    let playing = eventually(
        Duration::from_secs(10),
        "playback to move on from the seek point",
        || async { position_ms(&c).await.filter(|ms| *ms >= at_25 + 300) },
    )
    .await;
    assert!(
        playing < at_25 + 10_000,
        "played on from {at_25} ms, not from elsewhere: {playing} ms"
    );
    click(&c, "player-pause").await;

    // Approve, come back to the release screen, and export the released episode.
    click(&c, "approve-release").await;
    eventually(Duration::from_secs(20), "the run screen after release", || async {
        let url = c.current_url().await.ok()?;
        (url != release_url).then_some(())
    })
    .await;
    c.goto(release_url.as_str()).await.expect("back to the release screen");
    let export = find(&c, "export", Duration::from_secs(15)).await;
    eventually(
        Duration::from_secs(10),
        "the export button to offer a released export",
        || async {
            let label = export.text().await.ok()?;
            (label.trim() == "Export…").then_some(())
        },
    )
    .await;
    // Out from under the "Released" notice: dismiss every notice, then bring the button to the middle.
    for toast in c.find_all(Locator::Css(".toast button")).await.unwrap_or_default() {
        let _ = toast.click().await;
    }
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center' });",
        vec![serde_json::to_value(&export).expect("the element as a script argument")],
    )
    .await
    .expect("scroll Export… into the middle of the window");
    let report = || async {
        if let Ok(error) = c.find(Locator::Css(&testid("export-error"))).await {
            panic!("the export failed: {}", error.text().await.unwrap_or_default());
        }
        c.find(Locator::Css(&testid("export-done")))
            .await
            .ok()?
            .text()
            .await
            .ok()
    };
    export.click().await.expect("click Export…");
    // Once in a full CI run the click reached the button yet no export started (no report, no error, the
    // button idle): under load WebKitWebDriver can deliver a click before the page has settled. A click
    // on an idle button is repeated once, and said so, rather than failing on the driver's lost click.
    let mut done = None;
    for _ in 0..50 {
        if let Some(text) = report().await {
            done = Some(text);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let done = match done {
        Some(text) => text,
        None => {
            let idle = export.text().await.map(|l| l.trim() == "Export…").unwrap_or(false);
            if idle {
                eprintln!("Export… was idle 10 s after the click: clicking it again");
                export.click().await.expect("click Export… again");
            }
            eventually(Duration::from_secs(30), "the export's report", report).await
        }
    };
    screenshot(&c, "release-gate-exported").await;

    let mut folders: Vec<PathBuf> = std::fs::read_dir(exports.path())
        .expect("read the picked folder")
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    assert_eq!(
        folders.len(),
        1,
        "one package folder inside the picked folder: {folders:?}"
    );
    let package = folders.remove(0);
    assert!(
        done.contains(&package.display().to_string()),
        "the window says where the package went ({}): {done}",
        package.display()
    );
    let files = files_in(&package);
    for wanted in [
        "episode.mp3",
        "chapters.json",
        "transcript.vtt",
        "transcript.srt",
        "show-notes.md",
        "show-notes.html",
        "item.xml",
    ] {
        assert!(files.iter().any(|f| f == wanted), "{wanted} in the package: {files:?}");
        let bytes = std::fs::metadata(package.join(wanted)).expect("the file's size").len();
        assert!(bytes > 0, "{wanted} is not empty");
    }
    let mp3 = std::fs::read(package.join("episode.mp3")).expect("read the MP3");
    assert!(mp3.starts_with(b"ID3"), "the exported MP3 carries its tags");
    // The package's own marker (a dot file) is not one of the producer's files.
    let shown = files.iter().filter(|f| !f.starts_with('.')).count();
    assert!(
        done.starts_with(&format!("{shown} files in")),
        "the window counts the files written ({files:?}): {done}"
    );
    println!(
        "reached the release gate in {reached_gate:?}; the whole journey took {:?}",
        began.elapsed()
    );
    c.close().await.expect("close the session");
}

/// Waits for a link or button and clicks it.
async fn click_when_ready(c: &Client, id: &str, within: Duration) {
    find(c, id, within).await;
    click(c, id).await;
}
