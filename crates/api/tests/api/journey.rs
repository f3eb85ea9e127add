use showrunner_api::domain::artifacts::SpeechTakes;
use showrunner_api::domain::{ArtifactKind, AttemptStatus, EpisodeStatus};
use showrunner_api::{episodes, export, release, runs, script};

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
        .any(|c| c.name == "Every line was spoken" && c.passed));

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
