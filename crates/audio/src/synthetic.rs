//! Signals for this crate's tests and benchmarks (not for production use): a speech-like voice, loudness
//! scaling and 16-bit WAV. Public so the integration tests and the benches share one generator with the
//! unit tests instead of each keeping a copy.

use std::io::Cursor;

use hound::{SampleFormat, WavSpec, WavWriter};

/// A speech-like voice: the first five harmonics of a low voice (f0 from 110 Hz, set by `seed`) under a
/// 4 Hz syllable envelope. `noise` adds that much white noise (a fixed xorshift, so runs repeat); `drift`
/// glides the pitch up by that fraction per second, so long clips do not repeat exactly.
pub fn speech_like(rate: u32, ms: u64, seed: u32, noise: f64, drift: f64) -> Vec<f32> {
    let f0 = 110.0 + f64::from(seed % 17) * 7.0;
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..ms * u64::from(rate) / 1000)
        .map(|i| {
            let t = i as f64 / f64::from(rate);
            let envelope = 0.5 + 0.5 * (2.0 * std::f64::consts::PI * 4.0 * t).sin();
            let voice: f64 = (1..=5)
                .map(|k| (2.0 * std::f64::consts::PI * f0 * f64::from(k) * t * (1.0 + drift * t)).sin() / f64::from(k))
                .sum();
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = f64::from(state) / f64::from(u32::MAX) - 0.5;
            (0.25 * envelope * voice + noise * n) as f32
        })
        .collect()
}

/// `samples` (mono) scaled so they measure `lufs` integrated (BS.1770-4).
pub fn at_lufs(samples: Vec<f32>, rate: u32, lufs: f64) -> Vec<f32> {
    let mut meter = ebur128::EbuR128::new(1, rate, ebur128::Mode::I).expect("a meter for a test signal");
    meter.add_frames_f32(&samples).expect("a test signal to measure");
    let now = meter.loudness_global().expect("a test signal's loudness");
    let gain = 10f64.powf((lufs - now) / 20.0) as f32;
    samples.into_iter().map(|s| s * gain).collect()
}

/// Interleaved `samples` as a 16-bit PCM WAV, clipped to full scale.
pub fn wav16(rate: u32, channels: u16, samples: &[f32]) -> Vec<u8> {
    let spec = WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: SampleFormat::Int,
    };
    let mut cursor = Cursor::new(Vec::new());
    let mut w = WavWriter::new(&mut cursor, spec).expect("a WAV header for a test signal");
    for &s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .expect("a test signal's sample");
    }
    w.finalize().expect("a finished test WAV");
    cursor.into_inner()
}
