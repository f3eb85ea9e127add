//! The audio gate's measurements on a finished master: is there sound, does its length fit the plan, does it
//! clip, does it fall silent. Loudness normalisation arrives with mastering; until then loudness is reported,
//! not enforced.

use showrunner_domain::artifacts::GateCheck;

/// Longest pause allowed inside an episode.
pub const MAX_SILENCE_MS: u64 = 3_000;
/// How far the master's length may stray from the target (speech engines read at different paces).
pub const DURATION_TOLERANCE: f64 = 0.30;
/// A sample at (or within a hair of) full scale counts as clipped.
const CLIP_LEVEL: i32 = 32_700;
const SILENCE_LEVEL: i32 = 200;

pub struct AudioMeasurements {
    pub duration_ms: u64,
    pub peak: i32,
    pub clipped_samples: u64,
    pub longest_silence_ms: u64,
    pub rms_dbfs: f64,
}

pub fn measure(samples: &[i16], sample_rate: u32) -> AudioMeasurements {
    let rate = sample_rate.max(1) as u64;
    let mut peak = 0i32;
    let mut clipped = 0u64;
    let mut run = 0u64;
    let mut longest = 0u64;
    let mut sum_sq = 0f64;
    for &s in samples {
        let a = (s as i32).abs();
        peak = peak.max(a);
        if a >= CLIP_LEVEL {
            clipped += 1;
        }
        if a < SILENCE_LEVEL {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
        sum_sq += (s as f64 / 32768.0).powi(2);
    }
    let rms = (sum_sq / samples.len().max(1) as f64).sqrt();
    AudioMeasurements {
        duration_ms: samples.len() as u64 * 1000 / rate,
        peak,
        clipped_samples: clipped,
        longest_silence_ms: longest * 1000 / rate,
        rms_dbfs: if rms > 0.0 {
            20.0 * rms.log10()
        } else {
            f64::NEG_INFINITY
        },
    }
}

pub fn checks(m: &AudioMeasurements, target_ms: u64, lines_expected: usize, takes: usize) -> Vec<GateCheck> {
    let ratio = m.duration_ms as f64 / target_ms.max(1) as f64;
    vec![
        GateCheck {
            name: "Has audio".into(),
            passed: m.duration_ms > 0 && m.peak > SILENCE_LEVEL,
            detail: format!(
                "{:.1} s, peak {:.1} dBFS.",
                m.duration_ms as f64 / 1000.0,
                20.0 * (m.peak.max(1) as f64 / 32768.0).log10()
            ),
        },
        GateCheck {
            name: "Every line was spoken".into(),
            passed: takes == lines_expected,
            detail: format!("{takes} of {lines_expected} lines have a take."),
        },
        GateCheck {
            name: "Length fits the plan".into(),
            passed: (ratio - 1.0).abs() <= DURATION_TOLERANCE,
            detail: format!(
                "{:.1} min against a {:.1} min target ({:+.0} %).",
                m.duration_ms as f64 / 60_000.0,
                target_ms as f64 / 60_000.0,
                (ratio - 1.0) * 100.0
            ),
        },
        GateCheck {
            name: "No clipping".into(),
            passed: m.clipped_samples == 0,
            detail: format!("{} clipped samples.", m.clipped_samples),
        },
        GateCheck {
            name: "No dead air".into(),
            passed: m.longest_silence_ms <= MAX_SILENCE_MS,
            detail: format!(
                "Longest silence {:.1} s (limit {:.1} s).",
                m.longest_silence_ms as f64 / 1000.0,
                MAX_SILENCE_MS as f64 / 1000.0
            ),
        },
        GateCheck {
            name: "Loudness (reported)".into(),
            passed: true,
            detail: format!(
                "RMS {:.1} dBFS; loudness normalisation to −16 LUFS comes with mastering.",
                m.rms_dbfs
            ),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_pause_and_clipping_are_caught() {
        let mut samples = vec![1000i16; 22_050];
        samples.extend(vec![0i16; 22_050 * 4]);
        samples.push(i16::MAX);
        let m = measure(&samples, 22_050);
        let c = checks(&m, m.duration_ms, 1, 1);
        assert!(!c[3].passed, "a full-scale sample is clipping");
        assert!(!c[4].passed, "four seconds of silence is dead air");
        assert_eq!(m.longest_silence_ms, 4_000);
    }
}
