//! Play → first sound, and seek, on a 60-minute MP3: `cargo bench -p showrunner-audio --bench playback`.
//! Needs a sound output (run it under `.ci/with-audio-and-keyring.sh` on a headless machine).
//!
//! A 60-minute speech-like episode (the master bench's generator: 4-second takes with 350 ms pauses, 44.1 kHz
//! mono, as a master is) is encoded to 128 kbps CBR MP3 and loaded in a `PlayerHandle` on the default output. Then, each repeated
//! `SHOWRUNNER_BENCH_REPS` times (default 30) at seeded random points:
//!
//! * **play → first sound**: paused at a point, `play()` is called and the player's state polled until the
//!   position moves past the point. The position is rodio's count of the file's samples that the output has
//!   pulled (published by its 5 ms control tick, and nothing advances it while paused, when the output pulls
//!   silence), so it moving is the first of the file's samples being handed to the output.
//! * **seek**: while playing, `seek(point)` is called; measured until the state reports the point (the
//!   reply) and until the position moves on from it (samples flowing from there), checking it is the point
//!   and not somewhere else.
//! * **where a seek lands**: the player seeks coarsely (by byte offset; see `open_decoder` in player.rs). At the
//!   same points, what a coarse seek decodes is matched against an accurate seek's (which parses every frame
//!   from the start), giving how far before the point playback really starts; and both seeks are timed.
//!
//! Figures are nearest-rank p50/p95/max; nothing is asserted. `SHOWRUNNER_BENCH_MINUTES` shortens the file.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rodio::{Decoder, Source};
use showrunner_audio::synthetic::{speech_like, wav16};
use showrunner_audio::{assemble, encode_mp3, PlayerHandle};

/// A master's rate (the mastering chain resamples every take to 44.1 kHz).
const RATE: u32 = 44_100;

/// Speech-like test signal: drifting partials under a syllable-rate envelope, plus a little noise (the
/// master bench's generator, at the master's rate).
fn clip(seed: u32, secs: u32, level: f64) -> Vec<u8> {
    let voice = speech_like(RATE, u64::from(secs) * 1000, seed, 0.02, 0.02);
    let scaled: Vec<f32> = voice.into_iter().map(|s| s * level as f32).collect();
    wav16(RATE, 1, &scaled)
}

/// A seeded xorshift, so every run seeks to the same points.
struct Points(u64);

impl Points {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

/// Nearest-rank percentile of sorted figures.
fn rank(sorted: &[Duration], p: f64) -> Duration {
    let at = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[at.clamp(1, sorted.len()) - 1]
}

fn report(what: &str, goal: Duration, mut figures: Vec<Duration>) {
    figures.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let max = *figures.last().unwrap();
    println!(
        "  {what:<44} p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms   (goal <= {} ms, {}, n = {})",
        ms(rank(&figures, 50.0)),
        ms(rank(&figures, 95.0)),
        ms(max),
        goal.as_millis(),
        if rank(&figures, 95.0) <= goal {
            "PASS at p95"
        } else {
            "MISS at p95"
        },
        figures.len()
    );
}

/// Polls the player (each poll a round trip to its thread) until `done` holds for the position.
async fn until(player: &PlayerHandle, within: Duration, done: impl Fn(u64) -> bool) -> Option<(Instant, u64)> {
    let deadline = Instant::now() + within;
    loop {
        let position = player.state().await.position_ms;
        if done(position) {
            return Some((Instant::now(), position));
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn episode(minutes: u32) -> (tempfile::TempDir, PathBuf) {
    let started = Instant::now();
    let lines = (minutes * 60_000).div_ceil(4_350) as usize;
    let clips: Vec<Vec<u8>> = (0..16)
        .map(|i| clip(i, 4, if i % 2 == 0 { 1.0 } else { 0.35 }))
        .collect();
    let takes: Vec<Vec<u8>> = (0..lines).map(|i| clips[i % clips.len()].clone()).collect();
    let wav = assemble(&takes, 350).unwrap().wav;
    drop(takes);
    let mp3 = encode_mp3(&wav, 128).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("episode.mp3");
    std::fs::write(&path, &mp3).unwrap();
    println!(
        "built a {minutes}-minute 128 kbps MP3 ({:.1} MB) in {:.1} s",
        mp3.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    (dir, path)
}

fn decoder(path: &std::path::Path, coarse: bool) -> Decoder<std::io::BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).unwrap();
    let len = file.metadata().unwrap().len();
    Decoder::builder()
        .with_data(std::io::BufReader::new(file))
        .with_byte_len(len)
        .with_seekable(true)
        .with_gapless(true)
        .with_hint("mp3")
        .with_coarse_seek(coarse)
        .build()
        .unwrap()
}

/// Seeks a fresh decoder (as the player does for every seek) to `at_ms`, timing the seek.
fn seek_fresh(
    path: &std::path::Path,
    coarse: bool,
    at_ms: u64,
) -> (Duration, Decoder<std::io::BufReader<std::fs::File>>) {
    let mut d = decoder(path, coarse);
    let start = Instant::now();
    d.try_seek(Duration::from_millis(at_ms)).unwrap();
    (start.elapsed(), d)
}

/// How many ms before `at_ms` a coarse seek starts playback: the accurate seek's samples 100 ms after the
/// point are found in the coarse seek's output (decoded MP3 frames match exactly once both are warmed up).
/// `None` when those samples are a pause between takes, which would match any silence.
fn coarse_landing(path: &std::path::Path, at_ms: u64) -> Option<f64> {
    const LEAD: usize = RATE as usize / 10;
    const WINDOW: usize = 1_024;
    let (_, accurate) = seek_fresh(path, false, at_ms);
    let reference: Vec<f32> = accurate.skip(LEAD).take(WINDOW).collect();
    let energy: f32 = reference.iter().map(|s| s * s).sum();
    if energy < 1.0 {
        return None;
    }
    let (_, coarse) = seek_fresh(path, true, at_ms);
    let got: Vec<f32> = coarse.take(LEAD + RATE as usize / 2).collect();
    let error = |k: usize| -> f32 { (0..WINDOW).map(|n| (got[k + n] - reference[n]).powi(2)).sum() };
    let best = (0..got.len() - WINDOW)
        .min_by(|&a, &b| error(a).total_cmp(&error(b)))
        .unwrap();
    assert!(
        error(best) < energy * 1e-4,
        "no match for the accurate seek's samples at {at_ms} ms (the coarse seek landed more than 100 ms late?)"
    );
    Some((best as f64 - LEAD as f64) * 1000.0 / f64::from(RATE))
}

/// The 1-minute load average: this machine's other work shows in every wall-time figure.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let env =
        |name: &str, default: u32| -> u32 { std::env::var(name).ok().and_then(|m| m.parse().ok()).unwrap_or(default) };
    let minutes = env("SHOWRUNNER_BENCH_MINUTES", 60);
    let reps = env("SHOWRUNNER_BENCH_REPS", 30).max(1);
    let (_dir, path) = episode(minutes);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let player = PlayerHandle::spawn();
        let started = Instant::now();
        let loaded = player
            .load(path.clone())
            .await
            .expect("a sound output (run under .ci/with-audio-and-keyring.sh)");
        let load = started.elapsed();
        let duration = loaded.duration_ms;
        println!(
            "loaded ({} ms of audio) in {:.1} ms, output opened included",
            duration,
            load.as_secs_f64() * 1000.0
        );
        // Points from 1 s in to 5 s before the end, so playing on from one never reaches the end.
        let mut points = Points(0x5eed_cafe_f00d_d00d);
        let mut point = || 1_000 + points.next_below(duration.saturating_sub(6_000).max(1));

        // Play → first sound: paused at a point, play, wait for the position to move on.
        let mut first_sound = Vec::new();
        for _ in 0..reps {
            let at = point();
            player.seek(at).await.unwrap();
            // Let the output settle on the paused track, as a producer's click would find it.
            tokio::time::sleep(Duration::from_millis(100)).await;
            let held = player.state().await.position_ms;
            let start = Instant::now();
            player.play().await.unwrap();
            let (moved, position) = until(&player, Duration::from_secs(5), |p| p > held)
                .await
                .expect("playback started within 5 s");
            assert!(position < held + 1_000, "played from {held} ms, got to {position} ms");
            first_sound.push(moved - start);
            tokio::time::sleep(Duration::from_millis(50)).await;
            player.pause().await.unwrap();
        }

        // Seek while playing: the reply reports the point, then the position moves on from it.
        player.play().await.unwrap();
        let (mut replied, mut flowing) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let at = point();
            let start = Instant::now();
            player.seek(at).await.unwrap();
            let reported = player.subscribe().borrow().position_ms;
            replied.push(start.elapsed());
            assert!(
                reported.abs_diff(at) <= 30,
                "the seek reported {reported} ms for {at} ms"
            );
            let (moved, position) = until(&player, Duration::from_secs(5), |p| p > at)
                .await
                .expect("samples flowed after the seek within 5 s");
            assert!(position < at + 1_000, "sought {at} ms, played from {position} ms");
            flowing.push(moved - start);
        }
        player.stop().await.unwrap();

        println!(
            "playback of a {minutes}-minute MP3, {reps} repetitions each ({} cores, load average {}):",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            load_average()
        );
        report(
            "play -> first sample handed to the output",
            Duration::from_millis(150),
            first_sound,
        );
        report(
            "seek -> position reported at the point",
            Duration::from_millis(50),
            replied,
        );
        report(
            "seek -> samples flowing from the point",
            Duration::from_millis(50),
            flowing,
        );
    });

    // Where a coarse seek lands, and what each kind of seek costs, at fresh points.
    let mut points = Points(0xd1ce_5eed_0bad_cafe);
    let (mut early, mut coarse_cost, mut accurate_cost) = (Vec::new(), Vec::new(), Vec::new());
    while early.len() < reps.min(10) as usize {
        let at = 1_000 + points.next_below((u64::from(minutes) * 60_000).saturating_sub(6_000).max(1));
        let Some(landing) = coarse_landing(&path, at) else {
            continue;
        };
        early.push(landing);
        coarse_cost.push(seek_fresh(&path, true, at).0);
        accurate_cost.push(seek_fresh(&path, false, at).0);
    }
    early.sort_by(f64::total_cmp);
    println!(
        "  a coarse seek starts playback {:.1} to {:.1} ms before the point (n = {})",
        early[0],
        early[early.len() - 1],
        early.len()
    );
    coarse_cost.sort();
    accurate_cost.sort();
    println!(
        "  seek on a fresh decoder, max: coarse {:.3} ms, accurate (parses from the start) {:.3} ms",
        coarse_cost.last().unwrap().as_secs_f64() * 1000.0,
        accurate_cost.last().unwrap().as_secs_f64() * 1000.0
    );
}
