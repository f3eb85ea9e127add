//! Mastering throughput: `cargo bench -p showrunner-audio --bench master`.
//!
//! 1. assemble 400 clips of 4 s, 24 kHz mono (a long episode's worth of lines) with 350 ms pauses;
//! 2. encode a 25-minute 24 kHz mono master to 128 kbps MP3.
//!
//! Plain `Instant` timing, best of a few runs; figures are printed, nothing is asserted.

use std::io::Cursor;
use std::time::{Duration, Instant};

use hound::{SampleFormat, WavSpec, WavWriter};
use showrunner_audio::{assemble, encode_mp3, wav_info};

const RATE: u32 = 24_000;

/// Speech-like test signal: a few drifting partials, amplitude modulated at syllable rate, plus a little
/// noise, so the encoder has real work to do (silence or a pure tone would flatter it).
fn clip(seed: u32, secs: u32) -> Vec<u8> {
    let spec = WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: SampleFormat::Int,
    };
    let mut cursor = Cursor::new(Vec::new());
    let mut w = WavWriter::new(&mut cursor, spec).unwrap();
    let f0 = 110.0 + f64::from(seed % 17) * 7.0;
    let mut noise = seed.wrapping_mul(2_654_435_761).max(1);
    for i in 0..secs * RATE {
        let t = f64::from(i) / f64::from(RATE);
        let envelope = 0.5 + 0.5 * (2.0 * std::f64::consts::PI * 4.0 * t).sin();
        let voice: f64 = (1..=5)
            .map(|k| (2.0 * std::f64::consts::PI * f0 * f64::from(k) * t * (1.0 + 0.02 * t)).sin() / f64::from(k))
            .sum();
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let n = f64::from(noise) / f64::from(u32::MAX) - 0.5;
        let s = 0.25 * envelope * voice + 0.02 * n;
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    cursor.into_inner()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.unwrap())
}

fn main() {
    let clips: Vec<Vec<u8>> = (0..400).map(|i| clip(i, 4)).collect();

    let (took, assembled) = best_of(3, || assemble(&clips, 350).unwrap());
    println!(
        "assemble: 400 clips x 4 s @ {RATE} Hz mono, 350 ms gaps -> {:.1} min master ({} MB WAV) in {} ms",
        assembled.duration_ms as f64 / 60_000.0,
        assembled.wav.len() / 1_000_000,
        took.as_millis()
    );

    // 375 x 4 s back to back = exactly 25 minutes.
    let master = assemble(&clips[..375], 0).unwrap().wav;
    let info = wav_info(&master).unwrap();
    assert_eq!(info.duration_ms, 25 * 60 * 1000);
    let (took, mp3) = best_of(2, || encode_mp3(&master, 128).unwrap());
    println!(
        "encode_mp3: 25 min @ {RATE} Hz mono -> 128 kbps CBR ({:.1} MB) in {} ms ({:.0}x real time)",
        mp3.len() as f64 / 1e6,
        took.as_millis(),
        info.duration_ms as f64 / took.as_millis().max(1) as f64
    );
}
