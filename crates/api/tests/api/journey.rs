use std::process::Command;

use showrunner_api::domain::artifacts::{EpisodePlan, Script, SpeechTakes};
use showrunner_api::domain::{ArtifactKind, AttemptStatus, EpisodeStatus};
use showrunner_api::{episodes, export, release, runs, script};

use crate::support::ebur128::ffmpeg_reading;
use crate::{assert_status, open, settle, show, start};

#[tokio::test(flavor = "multi_thread")]
async fn an_offline_episode_goes_from_topic_to_sign_off_to_release_to_released() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;
    let episode = start(&app, &show, 2).await;

    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);
    let detail = episodes::get_episode(&app, &episode.id).await.unwrap();
    let run = detail.run.expect("a run view");
    assert!(run.rehearsal, "the offline crew is labelled as rehearsal");
    let done: Vec<&str> = run
        .stages
        .iter()
        .filter(|s| s.status == AttemptStatus::Done)
        .map(|s| s.stage.as_str())
        .collect();
    assert_eq!(
        done.len(),
        9,
        "research, plan and script stages are done before sign-off: {done:?}"
    );

    // The producer edits a line and approves; the edit becomes a new script version.
    let view = script::get_script(&app, &episode.id).await.unwrap();
    assert!(view.editable);
    let line = view.script.segments[1].lines[0].clone();
    let edited = script::edit_line(
        &app,
        &episode.id,
        &line.id,
        "A line the producer rewrote.",
        view.artifact.version,
    )
    .await
    .unwrap();
    assert!(
        edited.artifact.version > view.artifact.version,
        "edits never overwrite the previous version"
    );
    script::approve_script(&app, &episode.id, "").await.unwrap();

    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    let gate = release::get_release(&app, &episode.id).await.unwrap();
    assert!(gate.master.duration_ms > 0);
    let cue = gate.master.cues.iter().find(|c| c.line_id == line.id).unwrap();
    assert_eq!(
        cue.text, "A line the producer rewrote.",
        "the transcript follows the edited script"
    );

    // The master is exactly the takes plus the pauses between them.
    let run_id = episode.run_id.clone().unwrap();
    let takes: SpeechTakes = serde_json::from_value(
        app.store()
            .latest_artifact(&run_id, ArtifactKind::SpeechTakes)
            .await
            .unwrap()
            .unwrap()
            .content,
    )
    .unwrap();
    let takes_ms: u64 = takes.takes.iter().map(|t| t.duration_ms).sum();
    let gaps_ms = 350 * (takes.takes.len() as u64 - 1);
    let slack = takes.takes.len() as u64 + 1; // per-take rounding to whole milliseconds
    assert!(
        gate.master.duration_ms.abs_diff(takes_ms + gaps_ms) <= slack,
        "master {} ms vs takes {} ms + gaps {} ms",
        gate.master.duration_ms,
        takes_ms,
        gaps_ms
    );
    assert!(std::path::Path::new(&gate.mp3_path).exists() && std::path::Path::new(&gate.wav_path).exists());
    let checks = gate.audio_report.expect("the audio gate reported");
    assert!(checks
        .checks
        .iter()
        .any(|c| c.name == "Every line present and in order" && c.passed));

    release::approve_release(&app, &episode.id, "ship it").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::Released);
    let view = runs::run_view(&app, &run_id).await.unwrap();
    assert!(
        view.stages.iter().all(|s| s.status == AttemptStatus::Done),
        "every stage is done"
    );

    let out = tempfile::tempdir().unwrap();
    let package = export::export(&app, &episode.id, out.path(), false).await.unwrap();
    let names: Vec<&str> = package.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "episode.mp3",
            "chapters.json",
            "transcript.vtt",
            "transcript.srt",
            "show-notes.md",
            "show-notes.html",
            "promo.md",
            "item.xml"
        ]
    );
    let vtt = std::fs::read_to_string(out.path().join("transcript.vtt")).unwrap();
    assert!(vtt.starts_with("WEBVTT") && vtt.contains(&show.brand.intro_line));

    // Every event the whole journey wrote reads back typed, and the kinds a producer's journey makes are there.
    let events = app.store().events_since(0, 100_000).await.unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for event in &events {
        let typed = event
            .event()
            .unwrap_or_else(|e| panic!("event {} ({}): {e}", event.seq, event.kind));
        assert_eq!(typed.kind(), event.kind);
        kinds.insert(event.kind.clone());
    }
    for kind in [
        "show.created",
        "episode.created",
        "run.created",
        "attempt.started",
        "attempt.finished",
        "artifact.saved",
        "decision.recorded",
        "run.status_changed",
    ] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sending_the_episode_back_from_release_rewrites_the_script_and_returns_to_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let episode = start(&app, &show, 1).await;
    settle(&app, &episode).await;
    script::approve_script(&app, &episode.id, "").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);

    let missing_note = release::send_back(&app, &episode.id, "script.write", "  ")
        .await
        .unwrap_err();
    assert_eq!(missing_note.code, showrunner_api::ErrorCode::InvalidInput);
    release::send_back(&app, &episode.id, "script.write", "Open with the 1953 storm.")
        .await
        .unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);
    let view = runs::run_view(&app, episode.run_id.as_ref().unwrap()).await.unwrap();
    let write = view.stages.iter().find(|s| s.stage.as_str() == "script.write").unwrap();
    assert_eq!(write.attempts, 2, "the script was written again");
    assert_eq!(write.feedback.as_deref(), Some("Open with the 1953 storm."));
    let discover = view
        .stages
        .iter()
        .find(|s| s.stage.as_str() == "research.discover")
        .unwrap();
    assert_eq!(discover.attempts, 1, "research is reused");
}

/// An independent meter (ffmpeg's ebur128 filter and ffprobe) reads the offline master as the delivery spec
/// asks: −16 ±0.5 LUFS, at most −1.0 dBTP, 44.1 kHz, tagged, one chapter per plan segment at its first line.
#[tokio::test(flavor = "multi_thread")]
async fn an_independent_meter_reads_the_offline_master_on_spec_with_tags_and_chapters() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let episode = start(&app, &show, 1).await;
    settle(&app, &episode).await;
    script::approve_script(&app, &episode.id, "").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    let gate = release::get_release(&app, &episode.id).await.unwrap();

    let (i, tp) = ffmpeg_reading(&gate.mp3_path);
    eprintln!("ffmpeg ebur128: I {i} LUFS, TP {tp} dBTP");
    assert!((i + 16.0).abs() <= 0.5, "integrated {i} LUFS");
    assert!(tp <= -1.0, "true peak {tp} dBTP");

    // The gate's own figures agree with ffmpeg's.
    let report = gate.audio_report.expect("the audio gate reported");
    let figure = |name: &str| report.figures.iter().find(|f| f.check == name).unwrap();
    let ours_i = figure("Integrated loudness").measured.unwrap();
    let ours_tp = figure("True peak").measured.unwrap();
    assert!((ours_i - i).abs() <= 0.2, "gate {ours_i} LUFS vs ffmpeg {i}");
    assert!((ours_tp - tp).abs() <= 0.2, "gate {ours_tp} dBTP vs ffmpeg {tp}");
    assert!(report.figures.iter().all(|f| f.passed), "{}", report.feedback);

    let probe = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "-show_chapters",
        ])
        .arg(&gate.mp3_path)
        .output()
        .expect("ffprobe runs");
    let probe: serde_json::Value = serde_json::from_slice(&probe.stdout).unwrap();
    let stream = &probe["streams"][0];
    assert_eq!(stream["sample_rate"], "44100");
    assert_eq!(stream["channels"], 1);
    assert_eq!(
        probe["format"]["bit_rate"]
            .as_str()
            .map(|b| b.parse::<u32>().unwrap() / 1000),
        Some(128)
    );
    let tags = &probe["format"]["tags"];
    assert_eq!(tags["album"], "Harbour Lights");
    assert_eq!(tags["artist"], "Harbour Lights");
    assert!(tags["title"].as_str().is_some_and(|t| !t.is_empty()), "{tags}");

    // One chapter per plan segment, titled as planned, starting where the segment's first line starts.
    let run_id = episode.run_id.clone().unwrap();
    let latest = |kind| {
        let app = &app;
        let run_id = &run_id;
        async move {
            app.store()
                .latest_artifact(run_id, kind)
                .await
                .unwrap()
                .unwrap()
                .content
        }
    };
    let plan: EpisodePlan = serde_json::from_value(latest(ArtifactKind::Plan).await).unwrap();
    let script: Script = serde_json::from_value(latest(ArtifactKind::Script).await).unwrap();
    let chapters = probe["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), plan.segments.len(), "{chapters:?}");
    for (chapter, segment) in chapters.iter().zip(&plan.segments) {
        assert_eq!(chapter["tags"]["title"], segment.title.as_str());
        let first = &script.segments.iter().find(|s| s.id == segment.id).unwrap().lines[0];
        let cue = gate.master.cues.iter().find(|c| c.line_id == first.id).unwrap();
        let start: f64 = chapter["start_time"].as_str().unwrap().parse().unwrap();
        assert!(
            (start * 1000.0 - cue.start_ms as f64).abs() <= 50.0,
            "chapter '{}' starts at {start} s, its first line at {} ms",
            segment.title,
            cue.start_ms
        );
    }
}
