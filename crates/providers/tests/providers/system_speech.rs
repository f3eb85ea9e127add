//! System speech with the real espeak-ng (the offline voice every machine of this project installs).

use std::path::Path;

use showrunner_providers::{SpeechEngine, SpeechProgram, SystemSpeech};

use crate::support::{assert_pcm_wav, line};

const ESPEAK_NG: &str = "/usr/bin/espeak-ng";

fn espeak() -> SystemSpeech {
    assert!(
        Path::new(ESPEAK_NG).exists(),
        "these tests need espeak-ng: sudo apt install espeak-ng"
    );
    SystemSpeech::with_program(ESPEAK_NG)
}

/// Checks the canonical PCM header against the bytes that follow it and the duration the engine reported;
/// returns the samples.
fn assert_valid_wav(wav: &[u8], sample_rate: u32, duration_ms: u64) -> Vec<i16> {
    let (channels, pcm) = assert_pcm_wav(wav, sample_rate);
    let frames = pcm.len() as u64 / (2 * channels as u64);
    assert_eq!(frames * 1000 / sample_rate as u64, duration_ms);
    pcm.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect()
}

#[tokio::test]
async fn speaks_a_sentence_into_a_valid_wav() {
    let engine = espeak();
    assert_eq!(engine.label(), "System speech (espeak-ng)");
    assert_eq!(engine.id(), "system-speech");
    let audio = engine
        .synthesize(line("The lighthouse keeper climbed the stairs at dusk.", "en-us"))
        .await
        .unwrap();
    assert_eq!(audio.usage.characters, 49, "billed characters are the spoken text");
    assert_eq!(audio.sample_rate, 22_050);
    assert!(audio.duration_ms > 300, "{} ms", audio.duration_ms);
    assert!(audio.duration_ms < 10_000, "{} ms", audio.duration_ms);
    let samples = assert_valid_wav(&audio.wav, audio.sample_rate, audio.duration_ms);
    let peak = samples.iter().map(|s| (*s as i32).abs()).max().unwrap();
    assert!(peak > 1_000, "there is sound, not silence (peak {peak})");
}

#[tokio::test]
async fn each_voice_sounds_different() {
    let engine = espeak();
    let voices = engine.voices();
    assert!(voices.len() >= 4);
    let mut takes = Vec::new();
    for voice in &voices {
        let audio = engine
            .synthesize(line("Welcome aboard, and mind the fog.", &voice.id))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", voice.id));
        assert!(audio.duration_ms > 300, "{}", voice.id);
        takes.push(audio.wav);
    }
    for i in 0..takes.len() {
        for j in i + 1..takes.len() {
            assert_ne!(
                takes[i], takes[j],
                "{} and {} sound the same",
                voices[i].id, voices[j].id
            );
        }
    }
    // The same request always sounds the same.
    let again = engine
        .synthesize(line("Welcome aboard, and mind the fog.", &voices[0].id))
        .await
        .unwrap();
    assert_eq!(again.wav, takes[0]);
}

#[tokio::test]
async fn text_that_looks_like_options_is_spoken_not_obeyed() {
    let engine = espeak();
    let dir = tempfile::tempdir().unwrap();
    let injected = dir.path().join("injected.wav");
    let text = format!("-w {} --version -v en-gb and then some words", injected.display());
    let audio = engine.synthesize(line(&text, "en-us")).await.unwrap();
    assert!(
        audio.duration_ms > 1_000,
        "the whole text was read aloud ({} ms)",
        audio.duration_ms
    );
    assert!(!injected.exists(), "the text was never parsed as options");
    assert!(engine.synthesize(line("-", "en-us")).await.is_ok());
}

#[tokio::test]
async fn a_missing_program_says_what_to_install() {
    let engine = SystemSpeech::with_program("/nonexistent/bin/espeak-ng");
    let e = engine.synthesize(line("Hello there.", "en-us")).await.unwrap_err();
    assert_eq!(e.code(), "speech_engine_missing");
    let message = e.to_string();
    assert!(message.contains("sudo apt install espeak-ng"), "{message}");
    assert!(message.contains("say") && message.contains("SAPI"), "{message}");
}

#[tokio::test]
async fn detection_finds_espeak_ng_here_and_the_default_program_is_the_platform_one() {
    let found = SystemSpeech::detect().expect("espeak-ng is on PATH");
    assert_eq!(found.program(), SpeechProgram::EspeakNg);
    assert_eq!(found.label(), "System speech (espeak-ng)");
    assert!(found.synthesize(line("Found it.", "")).await.unwrap().duration_ms > 300);
    let default = SystemSpeech::default_program();
    assert_eq!(default.program(), SpeechProgram::platform_default());
    assert_eq!(
        default.path(),
        Path::new(SpeechProgram::platform_default().program_name())
    );
}

#[tokio::test]
async fn empty_overlong_and_malformed_requests_are_refused_before_running_anything() {
    // A missing program proves nothing ran: validation answers first.
    let engine = SystemSpeech::with_program("/nonexistent/bin/espeak-ng");
    for text in ["", "   \n "] {
        assert_eq!(
            engine.synthesize(line(text, "en-us")).await.unwrap_err().code(),
            "invalid_request"
        );
    }
    let long = "word ".repeat(engine.max_chars() / 5 + 1);
    assert_eq!(
        engine.synthesize(line(&long, "en-us")).await.unwrap_err().code(),
        "invalid_request"
    );
    assert_eq!(
        engine.synthesize(line("Hi.", "-w /tmp/x")).await.unwrap_err().code(),
        "invalid_request"
    );
    assert_eq!(
        engine.synthesize(line("Hi.", "en;rm -rf")).await.unwrap_err().code(),
        "invalid_request"
    );
}

#[tokio::test]
async fn a_failing_program_reports_what_it_said() {
    let e = espeak()
        .synthesize(line("Hello.", "xx-no-such-voice"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "speech_failed");
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_program_that_writes_no_audio_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("espeak-ng");
    std::fs::write(&fake, "#!/bin/sh\necho 'pretending' >&2\nexit 0\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let e = SystemSpeech::with_program(&fake)
        .synthesize(line("Hello.", "en-us"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "speech_failed");
    assert!(e.to_string().contains("pretending"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_never_share_files() {
    let engine = std::sync::Arc::new(espeak());
    let texts = [
        "One lamp.",
        "Two keepers on the rock tonight.",
        "Three ships passed the headland safely before dawn.",
        "Four.",
    ];
    let handles: Vec<_> = texts
        .iter()
        .map(|t| {
            let engine = engine.clone();
            let t = t.to_string();
            tokio::spawn(async move { engine.synthesize(line(&t, "en-gb")).await.unwrap() })
        })
        .collect();
    let mut takes = Vec::new();
    for h in handles {
        takes.push(h.await.unwrap());
    }
    for (t, audio) in texts.iter().zip(&takes) {
        let alone = engine.synthesize(line(t, "en-gb")).await.unwrap();
        assert_eq!(alone.wav, audio.wav, "{t} came back as its own audio");
    }
    assert!(takes[2].duration_ms > takes[3].duration_ms);
}
