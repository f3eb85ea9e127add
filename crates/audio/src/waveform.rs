//! Waveform peaks of a master for the release gate: the lowest and highest sample of each of a fixed number
//! of equal time buckets (all channels folded together), so the UI draws an hour of audio from a few
//! thousand numbers and never decodes audio itself.

use crate::wav::{decode, frames_to_ms};
use crate::AudioError;

/// Buckets in a waveform: enough for a full-width canvas on a large screen at one bucket per pixel.
pub const WAVEFORM_BUCKETS: usize = 3_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Waveform {
    pub duration_ms: u64,
    /// Per bucket, the lowest sample in `[-1.0, 1.0]`.
    pub min: Vec<f32>,
    /// Per bucket, the highest sample in `[-1.0, 1.0]`.
    pub max: Vec<f32>,
}

/// Peaks of `wav` in at most `buckets` buckets (fewer when the audio has fewer frames). Bucket `i` covers
/// frames `[i·n/b, (i+1)·n/b)`, so every frame lands in exactly one bucket.
pub fn waveform_peaks(wav: &[u8], buckets: usize) -> Result<Waveform, AudioError> {
    let pcm = decode(wav)?;
    let channels = usize::from(pcm.channels);
    let frames = pcm.frames();
    let buckets = buckets.min(frames).max(usize::from(frames > 0));
    let mut min = Vec::with_capacity(buckets);
    let mut max = Vec::with_capacity(buckets);
    for b in 0..buckets {
        let start = b * frames / buckets;
        let end = ((b + 1) * frames / buckets).max(start + 1);
        let slice = &pcm.samples[start * channels..end * channels];
        let (lo, hi) = slice.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &s| {
            (lo.min(s), hi.max(s))
        });
        min.push(lo.clamp(-1.0, 1.0));
        max.push(hi.clamp(-1.0, 1.0));
    }
    Ok(Waveform {
        duration_ms: frames_to_ms(frames as u64, pcm.sample_rate),
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{sine_f32_wav, sine_wav};

    #[test]
    fn a_half_scale_sine_peaks_at_plus_and_minus_half_in_every_bucket() {
        // 2 s of 440 Hz at 0.5: each of 100 buckets (20 ms, 8.8 periods) holds a crest and a trough.
        let w = waveform_peaks(&sine_f32_wav(44_100, 1, 2_000), 100).unwrap();
        assert_eq!(w.duration_ms, 2_000);
        assert_eq!(w.min.len(), 100);
        for (lo, hi) in w.min.iter().zip(&w.max) {
            assert!((hi - 0.5).abs() < 0.001, "max {hi}");
            assert!((lo + 0.5).abs() < 0.001, "min {lo}");
        }
    }

    #[test]
    fn silence_then_tone_shows_where_the_sound_starts() {
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let spec = hound::WavSpec {
                channels: 2,
                sample_rate: 8_000,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
            // One silent second, then a full-scale square wave on the right channel only.
            for i in 0..16_000 {
                let s = if i < 8_000 {
                    0
                } else if i % 2 == 0 {
                    i16::MAX
                } else {
                    i16::MIN
                };
                w.write_sample(0i16).unwrap();
                w.write_sample(s).unwrap();
            }
            w.finalize().unwrap();
        }
        let w = waveform_peaks(&cursor.into_inner(), 4).unwrap();
        assert_eq!(w.max[0], 0.0);
        assert_eq!(w.max[1], 0.0);
        assert!(w.max[2] > 0.99 && w.min[2] <= -1.0 + f32::EPSILON, "{w:?}");
        assert_eq!(w.duration_ms, 2_000);
    }

    #[test]
    fn a_clip_shorter_than_the_buckets_gets_one_bucket_per_frame() {
        let w = waveform_peaks(&sine_wav(8_000, 1, 1), 3_000).unwrap();
        assert_eq!(w.min.len(), 8);
        assert_eq!(w.max.len(), 8);
    }

    #[test]
    fn bytes_that_are_not_a_wav_are_refused_with_the_audio_code() {
        let err = waveform_peaks(b"not audio", 10).unwrap_err();
        assert_eq!(err.code(), "audio_invalid");
    }
}
