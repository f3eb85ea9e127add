//! Regenerate one line to a playable new master: `cargo bench -p showrunner-audio --bench regenerate`.
//!
//! A 60-minute episode of 4-second speech-like takes at 22.05 kHz (espeak-ng's format, every take its own
//! key, as every real line is), the two hosts 9 LU apart, is mastered from scratch through
//! `master_cached` with an empty cache (what the master stage pays, and what fills the cache). Then the
//! line in the middle comes back 1.5 s longer from another engine (24 kHz) and the episode is mastered
//! again from the same cache, then the old take is kept again (the A/B "keep"). Each is timed end to end
//! with `tag_episode` (six chapters), and read by our meter and ffmpeg's `ebur128`.
//! `SHOWRUNNER_BENCH_MINUTES` shortens the episode for a quick look.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use showrunner_audio::synthetic::{at_lufs, speech_like, wav16};
use showrunner_audio::{
    encode_mp3, master_cached, measure_mp3, splice_take, tag_episode, ChapterTag, EpisodeTags, MasterSettings,
    Mastered, MusicBeds, Take, TakeCache,
};

const RATE: u32 = 22_050;
const GOAL: Duration = Duration::from_secs(3);

fn clip(rate: u32, seed: u32, ms: u64, lufs: f64) -> Vec<u8> {
    wav16(rate, 1, &at_lufs(speech_like(rate, ms, seed, 0.02, 0.02), rate, lufs))
}

fn tagged(mastered: &Mastered) -> Vec<u8> {
    let chapters: Vec<ChapterTag> = (0..6)
        .map(|i| ChapterTag {
            title: format!("Segment {}", i + 1),
            start_ms: mastered.duration_ms * i / 6,
            end_ms: mastered.duration_ms * (i + 1) / 6,
        })
        .collect();
    let tags = EpisodeTags {
        title: "Benchmark".into(),
        show: "Showrunner".into(),
        chapters,
        ..EpisodeTags::default()
    };
    tag_episode(&mastered.mp3, &tags).unwrap()
}

/// ffmpeg's reading of a file: (integrated LUFS, true peak dBTP).
fn ebur128(path: &Path) -> (f64, f64) {
    let out = Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i"])
        .arg(path)
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    let text = String::from_utf8_lossy(&out.stderr);
    let summary = &text[text.rfind("Summary:").expect("ebur128 summary")..];
    let value = |label: &str| -> f64 {
        let line = summary.lines().find(|l| l.trim_start().starts_with(label)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (value("I:"), value("Peak:"))
}

/// CPU seconds this process has used (all threads), from `/proc/self/stat` (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<f64> = stat[stat.rfind(')')? + 2..]
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    Some((fields[0] + fields[1]) / 100.0)
}

struct Timed {
    wall: Duration,
    cpu: Option<f64>,
    mastered: Mastered,
    mp3: Vec<u8>,
}

fn timed(takes: &[Take<'_>], keys: &[&str], cache: &TakeCache) -> Timed {
    let settings = MasterSettings::default();
    let cpu = cpu_seconds();
    let start = Instant::now();
    let mastered = master_cached(takes, keys, &MusicBeds::default(), &settings, cache).unwrap();
    let mp3 = tagged(&mastered);
    let wall = start.elapsed();
    Timed {
        wall,
        cpu: cpu_seconds().zip(cpu).map(|(after, before)| after - before),
        mastered,
        mp3,
    }
}

fn report(label: &str, t: &Timed, dir: &Path) {
    let path = dir.join(format!("{label}.mp3"));
    std::fs::write(&path, &t.mp3).unwrap();
    let (fi, ftp) = ebur128(&path);
    let ours = t.mastered.measured.integrated_lufs.unwrap_or(f64::NAN);
    let cpu = t.cpu.map_or(String::new(), |c| format!(", {c:.1} s CPU"));
    println!(
        "  {label:<22} {:>6.2} s wall{cpu}; ours {ours:.2} LUFS, ffmpeg I {fi:.1} LUFS TP {ftp:.1} dBTP, {} passes",
        t.wall.as_secs_f64(),
        t.mastered.passes
    );
}

fn main() {
    let minutes: u32 = std::env::var("SHOWRUNNER_BENCH_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(60);
    let lines = (minutes * 60_000).div_ceil(4_350) as usize;
    let clips: Vec<Vec<u8>> = (0..16)
        .map(|i| clip(RATE, i, 4_000, if i % 2 == 0 { -20.0 } else { -29.0 }))
        .collect();
    let mut takes: Vec<Take> = (0..lines)
        .map(|i| Take {
            wav: &clips[i % clips.len()],
            speaker: i % 2,
        })
        .collect();
    let names: Vec<String> = (0..lines).map(|i| format!("line-{i}-take-1")).collect();
    let mut keys: Vec<&str> = names.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    let cache = TakeCache::new();

    println!("regenerate one line of a {minutes}-minute episode ({lines} takes, 22.05 kHz -> 44.1 kHz mono 128 kbps):");
    let mut scratch = timed(&takes, &keys, &cache);
    report("master from scratch", &scratch, dir.path());
    let before = scratch.mastered.placements.clone();
    // What the splice starts from: the master's WAV and what it kept.
    let old_wav = std::mem::take(&mut scratch.mastered.wav);
    let base = scratch
        .mastered
        .splice
        .take()
        .expect("a speech-only master keeps its splice base");
    drop(scratch);

    let line = lines / 2;
    let fresh = clip(24_000, 99, 5_500, -14.0);
    let old = takes[line];
    takes[line] = Take {
        wav: &fresh,
        speaker: old.speaker,
    };
    keys[line] = "line-mid-take-2";
    let misses = cache.stats().misses;
    let regenerated = timed(&takes, &keys, &cache);
    report("regenerate one line", &regenerated, dir.path());
    let after = &regenerated.mastered.placements;
    let shift = after[line + 1].start_ms as i64 - before[line + 1].start_ms as i64;
    let last_shift = after[lines - 1].start_ms as i64 - before[lines - 1].start_ms as i64;
    println!(
        "    takes prepared again: {}; later cues moved {shift} ms (last cue {last_shift} ms)",
        cache.stats().misses - misses
    );
    let wall = regenerated.wall;
    let full_placements = regenerated.mastered.placements.clone();
    drop(regenerated);

    // The same line spliced into the master from scratch: the playable WAV, its cues and loudness.
    let cpu = cpu_seconds();
    let start = Instant::now();
    let spliced = splice_take(&base, &old_wav, line, &fresh, &MasterSettings::default())
        .unwrap()
        .expect("one line of hundreds keeps the loudness within 0.1 dB");
    let splice_wall = start.elapsed();
    let splice_cpu = cpu_seconds().zip(cpu).map(|(after, before)| after - before);
    let old_path = dir.path().join("from-scratch.wav");
    std::fs::write(&old_path, &old_wav).unwrap();
    let (oi, otp) = ebur128(&old_path);
    println!(
        "  {:<22} the master from scratch's WAV: ffmpeg I {oi:.1} LUFS TP {otp:.1} dBTP (its MP3 is on target)",
        ""
    );
    let path = dir.path().join("spliced.wav");
    std::fs::write(&path, &spliced.wav).unwrap();
    let (fi, ftp) = ebur128(&path);
    println!(
        "  {:<22} {:>6.2} s wall{}; ours {:.2} LUFS, ffmpeg I {fi:.1} LUFS TP {ftp:.1} dBTP (the WAV)",
        "splice the line (WAV)",
        splice_wall.as_secs_f64(),
        splice_cpu.map_or(String::new(), |c| format!(", {c:.1} s CPU")),
        spliced.integrated_lufs,
    );
    println!(
        "    cues as the full regenerate puts them: {}",
        if spliced.placements == full_placements {
            "yes"
        } else {
            "NO"
        }
    );
    // What the master stage adds after the splice: the MP3 from the spliced WAV, and its measure.
    let start = Instant::now();
    let mp3 = encode_mp3(&spliced.wav, 128).unwrap();
    let measured = measure_mp3(&mp3, &[]).unwrap();
    let with_mp3 = splice_wall + start.elapsed();
    println!(
        "  {:<22} {:>6.2} s wall; ours {:.2} LUFS, {:.2} dBTP (the MP3)",
        "splice + MP3 + measure",
        with_mp3.as_secs_f64(),
        measured.integrated_lufs.unwrap_or(f64::NAN),
        measured.true_peak_dbtp.unwrap_or(f64::NAN),
    );
    drop((spliced, old_wav, base));

    takes[line] = old;
    keys[line] = names[line].as_str();
    let kept = timed(&takes, &keys, &cache);
    report("keep the old take", &kept, dir.path());
    println!(
        "  goal: regenerate one line to a playable master <= {:.0} s: {} ({:.2} s spliced; {:.2} s mastered in full)",
        GOAL.as_secs_f64(),
        if splice_wall <= GOAL { "PASS" } else { "MISS" },
        splice_wall.as_secs_f64(),
        wall.as_secs_f64()
    );
}
