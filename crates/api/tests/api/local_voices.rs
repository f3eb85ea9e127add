//! Offline voices through the API: before a Piper voice is installed, system speech reads the episode and
//! the route says why Piper was passed over; after installing one (the real voice, the real ONNX Runtime),
//! an offline episode is read by Piper and the Run view names the voice each host spoke with.

use std::path::PathBuf;

use showrunner_api::domain::artifacts::SpeechTakes;
use showrunner_api::domain::{ArtifactKind, EpisodeStatus};
use showrunner_api::{local_voices, release, runs, script, ErrorCode};

use crate::{assert_status, open, settle, show, start};

/// The test voice, or `None` (after saying why) on a developer machine without one; CI must have it.
pub fn test_voice() -> Option<PathBuf> {
    let voice = std::env::var_os("SHOWRUNNER_TEST_PIPER_VOICE").map(PathBuf::from);
    let runtime = std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from);
    if let (Some(v), Some(r)) = (&voice, &runtime) {
        if v.is_file() && r.is_file() {
            return voice;
        }
    }
    let why = "SHOWRUNNER_TEST_PIPER_VOICE and ORT_DYLIB_PATH must name a Piper voice and libonnxruntime";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI must run the real Piper engine: {why} (see .ci/setup.sh)");
    }
    eprintln!("skipping the Piper episode test: {why}");
    None
}

fn speech_route(view: &showrunner_api::dto::RunView) -> String {
    view.stages
        .iter()
        .find(|s| s.stage.as_str() == "audio.synthesize")
        .and_then(|s| s.route.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_offline_episode_is_read_by_an_installed_piper_voice_and_the_route_names_it() {
    let Some(model) = test_voice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;

    let before = local_voices::list_installed_voices(&app).await.unwrap();
    assert!(before.voices.is_empty() && !before.piper_ready);
    assert_eq!(
        before.problem.as_ref().map(|p| p.code.as_str()),
        Some("voice_not_installed")
    );
    assert!(
        before.offline_speaker.starts_with("System speech"),
        "{}",
        before.offline_speaker
    );

    let broken = dir.path().join("broken.onnx");
    std::fs::write(&broken, b"\x08\x07truncated").unwrap();
    std::fs::copy(format!("{}.json", model.display()), dir.path().join("broken.onnx.json")).unwrap();
    let refused = local_voices::install_voice(&app, &broken.to_string_lossy())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::VoiceInvalid, "{}", refused.message);
    assert_eq!(refused.details.as_ref().unwrap()["reason"], "voice_model_invalid");

    let installed = local_voices::install_voice(&app, &model.to_string_lossy())
        .await
        .unwrap();
    let after = local_voices::list_installed_voices(&app).await.unwrap();
    assert_eq!(after.voices, std::slice::from_ref(&installed));
    assert!(after.piper_ready && after.problem.is_none(), "{after:?}");
    assert_eq!(after.offline_speaker, "Piper (offline neural voice)");
    let sample = local_voices::sample_voice(&app, &installed.name).await.unwrap();
    assert_eq!(sample.sample_rate, installed.sample_rate);
    assert!(sample.duration_ms > 2_000 && std::path::Path::new(&sample.path).exists());

    // Two minutes: long enough that Piper reads many sentences per host and the master is a real episode
    // (the real-time factor is the piper bench's).
    const MINUTES: u64 = 2;
    let started = std::time::Instant::now();
    let show = show(&app, MINUTES as u32).await;
    let episode = start(&app, &show, MINUTES as u32).await;
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);
    script::approve_script(&app, &episode.id, "").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);

    let run_id = episode.run_id.clone().unwrap();
    let view = runs::run_view(&app, &run_id).await.unwrap();
    let route = speech_route(&view);
    assert!(route.starts_with("Piper (offline neural voice) · "), "{route}");
    let name = &installed.name;
    assert!(
        route.contains(&format!("Alex: {name}"))
            && route.contains(&format!("Sam: {name}"))
            && route.contains("slower pace"),
        "each host is named with their voice, and the two differ: {route}"
    );
    let takes: SpeechTakes = serde_json::from_value(
        app.store()
            .latest_artifact(&run_id, ArtifactKind::SpeechTakes)
            .await
            .unwrap()
            .unwrap()
            .content,
    )
    .unwrap();
    assert!(takes.takes.iter().all(|t| t.engine == "Piper (offline neural voice)"));
    let gate = release::get_release(&app, &episode.id).await.unwrap();
    eprintln!(
        "a {:.1}-minute episode read by Piper in {:.0} s wall",
        gate.master.duration_ms as f64 / 60_000.0,
        started.elapsed().as_secs_f64()
    );
    // Within 40 % of the length asked for, as the plan's length rule allows.
    assert!(
        (MINUTES * 36_000..=MINUTES * 84_000).contains(&gate.master.duration_ms),
        "a {MINUTES}-minute episode: {} ms",
        gate.master.duration_ms
    );
    let report = gate.audio_report.expect("the audio gate reported");
    assert!(report
        .checks
        .iter()
        .any(|c| c.name == "Every line present and in order" && c.passed));
    assert!(!report.figures.is_empty(), "the audio gate measured the master");
    assert!(
        report.figures.iter().all(|f| f.passed),
        "the master is within spec: {}",
        report.feedback
    );

    local_voices::remove_voice(&app, name).await.unwrap();
    assert!(!local_voices::list_installed_voices(&app).await.unwrap().piper_ready);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_voice_system_speech_reads_and_the_route_says_how_to_get_piper() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let episode = start(&app, &show, 1).await;
    let episode = settle(&app, &episode).await;
    script::approve_script(&app, &episode.id, "").await.unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    let view = runs::run_view(&app, &episode.run_id.clone().unwrap()).await.unwrap();
    let route = speech_route(&view);
    assert!(route.starts_with("System speech"), "{route}");
    assert!(
        route.contains("Piper (offline neural voice): no voice installed"),
        "{route}"
    );
    let missing = local_voices::remove_voice(&app, "nope").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_model_whose_config_is_elsewhere_installs_once_the_config_is_chosen_second() {
    let Some(model) = test_voice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let (models, downloads) = (dir.path().join("models"), dir.path().join("downloads"));
    std::fs::create_dir_all(&models).unwrap();
    std::fs::create_dir_all(&downloads).unwrap();
    let lone = models.join("en_US-joe-medium.onnx");
    std::fs::copy(&model, &lone).unwrap();
    let config = downloads.join("joe config.json");
    std::fs::copy(format!("{}.json", model.display()), &config).unwrap();

    let refused = local_voices::install_voice_pair(&app, &lone.to_string_lossy(), None)
        .await
        .unwrap_err();
    assert_eq!(refused.details.as_ref().unwrap()["reason"], "voice_files_missing");
    assert!(refused.message.contains(".onnx.json"), "{}", refused.message);

    let installed = local_voices::install_voice_pair(&app, &lone.to_string_lossy(), Some(&config.to_string_lossy()))
        .await
        .unwrap();
    assert_eq!(installed.name, "en_US-joe-medium");
    let view = local_voices::list_installed_voices(&app).await.unwrap();
    assert_eq!(view.voices, vec![installed]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("voices"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["en_US-joe-medium"], "no staging folder is left");
}
