//! Channel mixing and sample-rate conversion for clips that don't match the master's format.
//!
//! Speech engines each have their own output format (espeak-ng: 22.05 kHz mono; cloud engines: 24 or
//! 44.1 kHz, sometimes stereo), and a master mixes them only when a show switches engines or voices.
//! Linear interpolation is enough for that: it is exact at equal rates, costs one multiply-add per
//! sample, and speech has little energy near the Nyquist limit, so the aliasing a plain interpolator
//! lets through when downsampling is not audible in practice. A windowed-sinc resampler would be the
//! upgrade if music beds are ever mixed in.

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

/// Resamples interleaved `samples` with `channels` channels from `from_hz` to `to_hz` by linear
/// interpolation. The output has `round(frames * to_hz / from_hz)` frames; positions are computed in
/// exact integer arithmetic so long clips don't drift.
pub(crate) fn resample_linear(samples: &[f32], channels: u16, from_hz: u32, to_hz: u32) -> Vec<f32> {
    let ch = usize::from(channels.max(1));
    if from_hz == to_hz || from_hz == 0 || to_hz == 0 {
        return samples.to_vec();
    }
    let in_frames = samples.len() / ch;
    if in_frames == 0 {
        return Vec::new();
    }
    let (from, to) = (u64::from(from_hz), u64::from(to_hz));
    let out_frames = ((in_frames as u64 * to + from / 2) / from) as usize;
    let last = in_frames - 1;
    let mut out = Vec::with_capacity(out_frames * ch);
    for j in 0..out_frames as u64 {
        // Source position j * from / to, split into whole frame and fraction.
        let num = j * from;
        let i = ((num / to) as usize).min(last);
        let frac = (num % to) as f32 / to as f32;
        let next = (i + 1).min(last);
        for c in 0..ch {
            let a = samples[i * ch + c];
            let b = samples[next * ch + c];
            out.push(a + (b - a) * frac);
        }
    }
    out
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

    #[test]
    fn upsampling_interpolates_between_samples() {
        let out = resample_linear(&[0.0, 1.0, 0.0], 1, 1, 2);
        assert_eq!(out, vec![0.0, 0.5, 1.0, 0.5, 0.0, 0.0]);
    }

    #[test]
    fn downsampling_keeps_length_proportional_and_channels_apart() {
        let stereo: Vec<f32> = (0..44_100).flat_map(|i| [i as f32, -(i as f32)]).collect();
        let out = resample_linear(&stereo, 2, 44_100, 22_050);
        assert_eq!(out.len(), 22_050 * 2);
        assert_eq!(&out[..6], &[0.0, -0.0, 2.0, -2.0, 4.0, -4.0]);
    }

    #[test]
    fn resampling_preserves_a_sine_frequency() {
        // 440 Hz at 22.05 kHz → 24 kHz: count zero crossings over one second.
        let input: Vec<f32> = (0..22_050)
            .map(|i| (2.0 * std::f32::consts::PI * 440.0 * i as f32 / 22_050.0).sin())
            .collect();
        let out = resample_linear(&input, 1, 22_050, 24_000);
        assert_eq!(out.len(), 24_000);
        let crossings = out.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
        assert!((878..=882).contains(&crossings), "{crossings} zero crossings");
        for (j, s) in out.iter().enumerate().step_by(997) {
            let want = (2.0 * std::f32::consts::PI * 440.0 * j as f32 / 24_000.0).sin();
            assert!((s - want).abs() < 0.02, "sample {j}: {s} vs {want}");
        }
    }

    #[test]
    fn equal_rates_and_empty_input_pass_through() {
        assert_eq!(resample_linear(&[0.1, 0.2], 1, 8_000, 8_000), vec![0.1, 0.2]);
        assert!(resample_linear(&[], 1, 8_000, 16_000).is_empty());
    }
}
