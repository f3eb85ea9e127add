//! Mastering throughput against ffmpeg: `cargo bench -p showrunner-audio --bench master`.
//!
//! A 60-minute episode of 4-second speech-like takes at 22.05 kHz (espeak-ng's format), the two hosts
//! 9 LU apart, is mastered (resample to 44.1 kHz, level-match, two-pass loudness, true-peak limiter,
//! 128 kbps MP3, ID3 with chapters). The same input, assembled as one WAV, then goes through ffmpeg's
//! two-pass `loudnorm` (measure, then `linear=true`) + `libmp3lame` 128 kbps at 44.1 kHz. Both MP3s are
//! read by ffmpeg's `ebur128` filter. Then the same episode is mastered again with music (a 60 s
//! intro bed and a 40 s outro bed as stereo MP3s, a 3 s stereo 48 kHz WAV sting before six segments),
//! to show what mixing costs. Figures are printed, nothing is asserted.
//! `SHOWRUNNER_BENCH_MINUTES` shortens the episode for a quick look.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use hound::{SampleFormat, WavSpec, WavWriter};
use showrunner_audio::synthetic::{speech_like, wav16};
use showrunner_audio::{
    assemble, encode_mp3, master, master_with_music, tag_episode, ChapterTag, EpisodeTags, MasterSettings, Mastered,
    MusicBeds, Take,
};

const RATE: u32 = 22_050;

/// Speech-like test signal: drifting partials under a syllable-rate envelope, plus a little noise.
fn clip(seed: u32, secs: u32, level: f64) -> Vec<u8> {
    let voice = speech_like(RATE, u64::from(secs) * 1000, seed, 0.02, 0.02);
    let scaled: Vec<f32> = voice.into_iter().map(|s| s * level as f32).collect();
    wav16(RATE, 1, &scaled)
}

/// Music stand-in, stereo 16-bit: a chord with a slow swell, a little different on each side.
fn music(rate: u32, secs: u32) -> Vec<u8> {
    let spec = WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: SampleFormat::Int,
    };
    let mut cursor = Cursor::new(Vec::new());
    let mut w = WavWriter::new(&mut cursor, spec).unwrap();
    for i in 0..secs * rate {
        let t = f64::from(i) / f64::from(rate);
        let swell = 0.7 + 0.3 * (2.0 * std::f64::consts::PI * 0.2 * t).sin();
        let chord = |detune: f64| -> f64 {
            [220.0, 277.2, 329.6, 440.0]
                .iter()
                .map(|f| (2.0 * std::f64::consts::PI * f * detune * t).sin())
                .sum::<f64>()
                / 4.0
        };
        for side in [chord(1.0), chord(1.003)] {
            w.write_sample((0.6 * swell * side * 32767.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
    cursor.into_inner()
}

/// Six chapters over the master, tagged onto its MP3.
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

/// CPU seconds used so far by this process (all threads) and by its waited-for children, from
/// `/proc/self/stat` (Linux; `None` elsewhere). On a shared machine CPU time varies far less with
/// the load than wall time does.
fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime is field 14 of the whole line.
    let fields: Vec<f64> = stat[stat.rfind(')')? + 2..]
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    // Clock ticks: 100 per second on every Linux configuration this runs on.
    let tick = 100.0;
    Some(((fields[0] + fields[1]) / tick, (fields[2] + fields[3]) / tick))
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("ffmpeg runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn main() {
    let minutes: u32 = std::env::var("SHOWRUNNER_BENCH_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(60);
    // 4 s lines with 350 ms pauses; a handful of distinct clips, reused.
    let lines = (minutes * 60_000).div_ceil(4_350) as usize;
    let clips: Vec<Vec<u8>> = (0..16)
        .map(|i| clip(i, 4, if i % 2 == 0 { 1.0 } else { 0.35 }))
        .collect();
    let takes: Vec<Take> = (0..lines)
        .map(|i| Take {
            wav: &clips[i % clips.len()],
            speaker: i % 2,
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();

    // Ours.
    let settings = MasterSettings::default();
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let mastered = master(&takes, &settings).unwrap();
    let mp3 = tagged(&mastered);
    let ours = start.elapsed();
    let cpu_ours = cpu_seconds().zip(cpu_before).map(|(after, before)| after.0 - before.0);
    let ours_path = dir.path().join("ours.mp3");
    std::fs::write(&ours_path, &mp3).unwrap();
    drop(mastered);

    // ffmpeg, on the same takes assembled into one WAV (assembly not timed).
    let wavs: Vec<Vec<u8>> = takes.iter().map(|t| t.wav.to_vec()).collect();
    let input = dir.path().join("input.wav");
    std::fs::write(&input, assemble(&wavs, 350).unwrap().wav).unwrap();
    drop(wavs);
    let ff_path = dir.path().join("ffmpeg.mp3");
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let pass1 = run(Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i"])
        .arg(&input)
        .args([
            "-af",
            "loudnorm=I=-16:TP=-1.5:LRA=11:print_format=json",
            "-f",
            "null",
            "-",
        ]));
    let json = &pass1[pass1.rfind('{').unwrap()..];
    let field = |k: &str| -> String {
        let at = json.find(&format!("\"{k}\"")).unwrap();
        json[at..].split('"').nth(3).unwrap().to_owned()
    };
    let filter = format!(
        "loudnorm=I=-16:TP=-1.5:LRA=11:measured_I={}:measured_TP={}:measured_LRA={}:measured_thresh={}:offset={}:linear=true",
        field("input_i"),
        field("input_tp"),
        field("input_lra"),
        field("input_thresh"),
        field("target_offset")
    );
    run(Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-y", "-i"])
        .arg(&input)
        .args(["-af", &filter, "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k"])
        .arg(&ff_path));
    let theirs = start.elapsed();
    let cpu_theirs = cpu_seconds().zip(cpu_before).map(|(after, before)| after.1 - before.1);

    let (oi, otp) = ebur128(&ours_path);
    let (fi, ftp) = ebur128(&ff_path);
    println!("master a {minutes}-minute episode ({lines} takes, 22.05 kHz -> 44.1 kHz mono 128 kbps):");
    println!(
        "  showrunner: {:>6.1} s   ffmpeg ebur128: I {oi:.1} LUFS (error {:+.1} LU), TP {otp:.1} dBTP",
        ours.as_secs_f64(),
        oi + 16.0
    );
    println!(
        "  ffmpeg two-pass loudnorm + libmp3lame: {:>6.1} s   I {fi:.1} LUFS (error {:+.1} LU), TP {ftp:.1} dBTP",
        theirs.as_secs_f64(),
        fi + 16.0
    );
    println!(
        "  ratio: {:.2}x ffmpeg's time (goal <= 0.25x)",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    if let (Some(o), Some(t)) = (cpu_ours, cpu_theirs) {
        println!("  CPU time: showrunner {o:.1} s, ffmpeg {t:.1} s, ratio {:.2}x", o / t);
    }

    // Ours again, with the show's music (the files' encoding is not timed; decoding them is).
    let intro = encode_mp3(&music(44_100, 60), 192).unwrap();
    let outro = encode_mp3(&music(44_100, 40), 192).unwrap();
    let sting = music(48_000, 3);
    let sting_before: Vec<usize> = (1..=6).map(|k| lines * k / 7).collect();
    let beds = MusicBeds {
        intro: Some(&intro),
        outro: Some(&outro),
        sting: Some(&sting),
        sting_before: &sting_before,
        duck_depth_db: 15.0,
        bed_level_lu: -6.0,
    };
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let mastered = master_with_music(&takes, &beds, &settings).unwrap();
    let mp3 = tagged(&mastered);
    let with_music = start.elapsed();
    let cpu_music = cpu_seconds().zip(cpu_before).map(|(after, before)| after.0 - before.0);
    let music_path = dir.path().join("music.mp3");
    std::fs::write(&music_path, &mp3).unwrap();
    let (mi, mtp) = ebur128(&music_path);
    println!(
        "  showrunner with music (intro, outro, {} stings): {:>6.1} s   ffmpeg ebur128: I {mi:.1} LUFS (error {:+.1} LU), TP {mtp:.1} dBTP",
        sting_before.len(),
        with_music.as_secs_f64(),
        mi + 16.0
    );
    println!(
        "  music costs {:+.1} s ({:+.0} %); ratio {:.2}x ffmpeg's time",
        (with_music.as_secs_f64() - ours.as_secs_f64()),
        100.0 * (with_music.as_secs_f64() / ours.as_secs_f64() - 1.0),
        with_music.as_secs_f64() / theirs.as_secs_f64()
    );
    if let (Some(m), Some(o)) = (cpu_music, cpu_ours) {
        println!("  CPU time with music: {m:.1} s ({:+.1} s)", m - o);
    }
}
