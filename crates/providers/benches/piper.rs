//! Piper's real-time factor (synthesis time ÷ audio time) on this machine, one line at a time and two at
//! once (the speech stage runs lines concurrently), and the process's memory with the model loaded.
//! Needs `ORT_DYLIB_PATH` and `SHOWRUNNER_TEST_PIPER_VOICE` (.ci/setup.sh prints both).
//! `cargo bench -p showrunner-providers --bench piper`

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use showrunner_providers::piper::{self, PiperSpeech};
use showrunner_providers::{SpeechEngine, SpeechRequest};

const LINES: [&str; 6] = [
    "Welcome back to the show, where we take one small question and follow it as far as it goes.",
    "Today that question is about lighthouses: who kept them lit, and what it cost them every winter.",
    "The keepers logged every storm, every ship, and every gallon of oil, in books that still survive.",
    "Some of those logs read like diaries; others are nothing but numbers, written in a steady hand.",
    "By the nineteen sixties most lights were automatic, and the last keepers packed up and left.",
    "Stay with us, because after the break we visit one of the few towers that still has a keeper.",
];

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

async fn speak(engine: &PiperSpeech, line: &str) -> u64 {
    let req = SpeechRequest {
        text: line.into(),
        voice: String::new(),
        ..Default::default()
    };
    engine.synthesize(req).await.expect("Piper speaks").duration_ms
}

#[tokio::main]
async fn main() {
    let Some(model) = std::env::var_os("SHOWRUNNER_TEST_PIPER_VOICE").map(PathBuf::from) else {
        eprintln!("piper bench: set SHOWRUNNER_TEST_PIPER_VOICE and ORT_DYLIB_PATH (see .ci/setup.sh)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    piper::install(dir.path(), &model).expect("the voice installs");
    let rss_before = rss_mb();
    let engine = Arc::new(PiperSpeech::open(dir.path(), "espeak-ng").expect("Piper opens"));
    speak(&engine, "Warming up.").await;
    println!(
        "piper: RSS {rss_before:.0} MB before the model, {:.0} MB with it loaded",
        rss_mb()
    );

    let start = Instant::now();
    let mut audio_ms = 0;
    for line in LINES {
        audio_ms += speak(&engine, line).await;
    }
    let wall = start.elapsed().as_secs_f64();
    println!(
        "piper: one line at a time: {:.1} s of audio in {wall:.1} s wall, real-time factor {:.3}",
        audio_ms as f64 / 1000.0,
        wall / (audio_ms as f64 / 1000.0)
    );

    let start = Instant::now();
    let mut handles = Vec::new();
    for pair in LINES.chunks(LINES.len() / 2) {
        let (engine, pair) = (engine.clone(), pair.to_vec());
        handles.push(tokio::spawn(async move {
            let mut ms = 0;
            for line in pair {
                ms += speak(&engine, line).await;
            }
            ms
        }));
    }
    let mut audio_ms = 0;
    for h in handles {
        audio_ms += h.await.unwrap();
    }
    let wall = start.elapsed().as_secs_f64();
    println!(
        "piper: two lines at once: {:.1} s of audio in {wall:.1} s wall, real-time factor {:.3}; RSS {:.0} MB",
        audio_ms as f64 / 1000.0,
        wall / (audio_ms as f64 / 1000.0),
        rss_mb()
    );
}
