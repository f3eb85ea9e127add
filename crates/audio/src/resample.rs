//! Channel mixing and sample-rate conversion to the master's format.
//!
//! Speech engines each have their own output format (espeak-ng: 22.05 kHz mono; cloud engines: 24 or
//! 44.1 kHz, sometimes stereo). Rates are converted with rubato's FFT resampler (a windowed-sinc
//! anti-aliasing filter), so upsampling a 22.05 kHz take to 44.1 kHz adds no images and downsampling a
//! 48 kHz take adds no aliasing. One resampler is kept per input rate: planning the FFT is the costly
//! part, and a master has hundreds of takes from one or two engines.

use std::collections::HashMap;

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use crate::AudioError;

/// Converts interleaved `samples` from `from` channels to `to` channels (`to` is 1 or 2).
/// To mono: the average of all channels. Mono to stereo: the one channel on both sides. More than two
/// channels to stereo: the first two (front left and front right in WAV channel order).
pub(crate) fn convert_channels(samples: &[f32], from: u16, to: u16) -> Vec<f32> {
    let (from, to) = (usize::from(from.max(1)), usize::from(to.max(1)));
    if from == to {
        return samples.to_vec();
    }
    let frames = samples.chunks_exact(from);
    let mut out = Vec::with_capacity(frames.len() * to);
    for frame in frames {
        if to == 1 {
            out.push(frame.iter().sum::<f32>() / from as f32);
        } else if from == 1 {
            out.extend(std::iter::repeat_n(frame[0], to));
        } else {
            out.extend((0..to).map(|c| frame.get(c).copied().unwrap_or(0.0)));
        }
    }
    out
}

/// Resamplers to one output rate, one per input rate and channel count, reused across clips.
pub(crate) struct RateConverter {
    to_hz: u32,
    resamplers: HashMap<(u32, u16), Fft<f32>>,
}

impl RateConverter {
    pub fn new(to_hz: u32) -> RateConverter {
        RateConverter {
            to_hz,
            resamplers: HashMap::new(),
        }
    }

    /// Resamples interleaved `samples` with `channels` channels from `from_hz` to this converter's rate.
    /// The output has `ceil(frames * to / from)` frames with the resampler's delay trimmed, so a clip
    /// keeps its place on the timeline.
    pub fn convert(&mut self, samples: &[f32], channels: u16, from_hz: u32) -> Result<Vec<f32>, AudioError> {
        let ch = usize::from(channels.max(1));
        if from_hz == self.to_hz {
            return Ok(samples.to_vec());
        }
        let frames = samples.len() / ch;
        if frames == 0 {
            return Ok(Vec::new());
        }
        let failed = |e: &dyn std::fmt::Display| {
            AudioError::invalid(format!("could not resample {from_hz} Hz to {} Hz ({e})", self.to_hz))
        };
        let resampler = match self.resamplers.entry((from_hz, channels)) {
            std::collections::hash_map::Entry::Occupied(slot) => slot.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(
                Fft::<f32>::new(from_hz as usize, self.to_hz as usize, 1024, ch, FixedSync::Input)
                    .map_err(|e| failed(&e))?,
            ),
        };
        let input = InterleavedSlice::new(&samples[..frames * ch], ch, frames).map_err(|e| failed(&e))?;
        let out = resampler.process_all(&input, frames, None).map_err(|e| failed(&e))?;
        Ok(out.take_data())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stereo_to_mono_averages_and_mono_to_stereo_duplicates() {
        assert_eq!(convert_channels(&[1.0, 0.0, 0.5, -0.5], 2, 1), vec![0.5, 0.0]);
        assert_eq!(convert_channels(&[0.25, -1.0], 1, 2), vec![0.25, 0.25, -1.0, -1.0]);
        assert_eq!(
            convert_channels(&[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3, 2),
            vec![0.1, 0.2, 0.4, 0.5]
        );
        assert_eq!(convert_channels(&[0.1, 0.2], 2, 2), vec![0.1, 0.2]);
    }

    fn sine(hz: f32, rate: u32, frames: usize) -> Vec<f32> {
        (0..frames)
            .map(|i| (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn resampling_keeps_a_sines_frequency_phase_and_level() {
        // 440 Hz at 22.05 kHz → 44.1 kHz: the output is the same tone sampled twice as often.
        let mut conv = RateConverter::new(44_100);
        let out = conv.convert(&sine(440.0, 22_050, 22_050), 1, 22_050).unwrap();
        assert!((44_100..=44_102).contains(&out.len()), "{} frames", out.len());
        let crossings = out.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
        assert!((878..=882).contains(&crossings), "{crossings} zero crossings");
        // Away from the edges every sample sits on the ideal sine: no delay, no gain change.
        for j in (2_000..42_000).step_by(997) {
            let want = (2.0 * std::f32::consts::PI * 440.0 * j as f32 / 44_100.0).sin();
            assert!((out[j] - want).abs() < 0.01, "sample {j}: {} vs {want}", out[j]);
        }
    }

    #[test]
    fn downsampling_removes_what_the_new_rate_cannot_hold() {
        // A 20 kHz tone at 48 kHz has no place at 22.05 kHz (Nyquist 11.025 kHz): a linear interpolator
        // would fold it down to an audible 2.05 kHz; the sinc filter removes it.
        let mut conv = RateConverter::new(22_050);
        let out = conv.convert(&sine(20_000.0, 48_000, 48_000), 1, 48_000).unwrap();
        let middle = &out[2_000..out.len() - 2_000];
        let peak = middle.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(peak < 0.01, "aliased energy left: peak {peak}");
    }

    #[test]
    fn stereo_channels_stay_apart_and_equal_rates_pass_through() {
        let mut conv = RateConverter::new(44_100);
        let left = sine(440.0, 24_000, 24_000);
        let stereo: Vec<f32> = left.iter().flat_map(|&s| [s, -s]).collect();
        let out = conv.convert(&stereo, 2, 24_000).unwrap();
        assert_eq!(out.len() % 2, 0);
        assert!(out.chunks_exact(2).all(|f| (f[0] + f[1]).abs() < 1e-4));
        assert_eq!(conv.convert(&[0.1, 0.2], 1, 44_100).unwrap(), vec![0.1, 0.2]);
        assert!(conv.convert(&[], 1, 8_000).unwrap().is_empty());
    }
}
