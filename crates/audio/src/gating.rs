//! BS.1770-4 integrated loudness kept as 100 ms K-weighted energies.
//!
//! The mastering chain asks "how loud is this at gain g, after the limiter?" several times for one
//! timeline. K-weighting is linear, so filtering the timeline once and keeping each 100 ms sub-block's
//! energy answers any plain gain by scaling and re-gating a few thousand numbers. The limiter only turns
//! the gain down in short stretches: those sub-blocks (and a short tail while the filter settles) are
//! filtered again from the stored filter state, which also scales with the gain. The gating is
//! libebur128's (the `ebur128` crate's, which the audio gate and ffmpeg use): 400 ms blocks every
//! 100 ms, an absolute gate at −70 LUFS and a relative one 10 LU under the mean of the rest.

use crate::limiter::Reduction;

/// Energy of a −70 LUFS block, 10^((−70 + 0.691) / 10): blocks under it are ignored.
const ABSOLUTE_GATE: f64 = 1.172_465_304_582_298e-7;
/// The relative gate, −10 LU, as an energy ratio.
const RELATIVE_GATE: f64 = 0.1;
/// Sub-blocks filtered again after a limited stretch: the K-filter's slowest pole (38 Hz) has decayed
/// by e^-40 within 200 ms, so the rest match the plain-gain energies to the last bit that matters.
pub(crate) const SETTLE_SUB_BLOCKS: usize = 2;

/// BS.1770's K-weighting (high shelf, then 38 Hz high-pass) as one 4th-order section, with the
/// coefficients `ebur128` derives for any sample rate so both meters read the same.
#[derive(Clone)]
struct KFilter {
    b: [f64; 5],
    a: [f64; 5],
}

/// Filter memory: scales with the input, which is what lets a stored state serve any gain.
type KState = [f64; 4];

impl KFilter {
    #[allow(non_snake_case)]
    fn new(rate: u32) -> KFilter {
        let rate = f64::from(rate);
        let (f0, G, Q) = (1681.974450955533, 3.999843853973347, 0.7071752369554196);
        let K = (std::f64::consts::PI * f0 / rate).tan();
        let Vh = 10f64.powf(G / 20.0);
        let Vb = Vh.powf(0.4996667741545416);
        let a0 = 1.0 + K / Q + K * K;
        let pb = [
            (Vh + Vb * K / Q + K * K) / a0,
            2.0 * (K * K - Vh) / a0,
            (Vh - Vb * K / Q + K * K) / a0,
        ];
        let pa = [1.0, 2.0 * (K * K - 1.0) / a0, (1.0 - K / Q + K * K) / a0];
        let (f0, Q) = (38.13547087602444, 0.5003270373238773);
        let K = (std::f64::consts::PI * f0 / rate).tan();
        let rb = [1.0, -2.0, 1.0];
        let ra = [
            1.0,
            2.0 * (K * K - 1.0) / (1.0 + K / Q + K * K),
            (1.0 - K / Q + K * K) / (1.0 + K / Q + K * K),
        ];
        let convolve = |p: [f64; 3], r: [f64; 3]| {
            [
                p[0] * r[0],
                p[0] * r[1] + p[1] * r[0],
                p[0] * r[2] + p[1] * r[1] + p[2] * r[0],
                p[1] * r[2] + p[2] * r[1],
                p[2] * r[2],
            ]
        };
        KFilter {
            b: convolve(pb, rb),
            a: convolve(pa, ra),
        }
    }

    /// Filters `samples * gain`, returning the sum of the squared output.
    fn energy(&self, samples: &[f32], gain: f64, s: &mut KState) -> f64 {
        let (a, b) = (&self.a, &self.b);
        let mut sum = 0.0;
        for &x in samples {
            let s0 = f64::from(x) * gain - a[1] * s[0] - a[2] * s[1] - a[3] * s[2] - a[4] * s[3];
            let y = b[0] * s0 + b[1] * s[0] + b[2] * s[1] + b[3] * s[2] + b[4] * s[3];
            *s = [s0, s[0], s[1], s[2]];
            sum += y * y;
        }
        // A long silence decays the memory into subnormals, which are very slow to compute with.
        for v in s.iter_mut() {
            if v.abs() < 1e-30 {
                *v = 0.0;
            }
        }
        sum
    }
}

/// A mono signal's K-weighted energy per 100 ms, built by pushing it in order.
#[derive(Clone)]
pub(crate) struct LoudnessProfile {
    filter: KFilter,
    sub_frames: usize,
    /// Energy of each complete sub-block.
    energy: Vec<f64>,
    /// Filter memory entering each complete sub-block.
    entry: Vec<KState>,
    state: KState,
    /// Sum and length of the sub-block being filled.
    partial: (f64, usize),
}

impl LoudnessProfile {
    pub fn new(rate: u32) -> LoudnessProfile {
        LoudnessProfile {
            filter: KFilter::new(rate),
            // libebur128's rounding of 100 ms to frames.
            sub_frames: (rate as usize + 5) / 10,
            energy: Vec::new(),
            entry: Vec::new(),
            state: [0.0; 4],
            partial: (0.0, 0),
        }
    }

    pub fn of(samples: &[f32], rate: u32) -> LoudnessProfile {
        let mut profile = LoudnessProfile::new(rate);
        profile.push(samples);
        profile
    }

    pub fn push(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() {
            let (sum, len) = self.partial;
            if len == 0 {
                self.entry.push(self.state);
            }
            let take = (self.sub_frames - len).min(samples.len());
            let sum = sum + self.filter.energy(&samples[..take], 1.0, &mut self.state);
            samples = &samples[take..];
            if len + take == self.sub_frames {
                self.energy.push(sum);
                self.partial = (0.0, 0);
            } else {
                self.partial = (sum, len + take);
            }
        }
    }

    /// Filters `samples[range]` again after it changed (music laid on the speech); `samples` is the
    /// whole signal this profile was built from. The sub-blocks after the range are filtered again until
    /// the old state has decayed (see [`SETTLE_SUB_BLOCKS`]); a range near the end is filtered to it.
    pub fn refilter(&mut self, samples: &[f32], range: std::ops::Range<usize>) {
        let from = range.start / self.sub_frames;
        if from >= self.entry.len() {
            return;
        }
        let to = range.end.div_ceil(self.sub_frames) + SETTLE_SUB_BLOCKS;
        if to >= self.complete() {
            self.state = self.entry[from];
            self.energy.truncate(from);
            self.entry.truncate(from);
            self.partial = (0.0, 0);
            self.push(&samples[from * self.sub_frames..]);
            return;
        }
        let mut state = self.entry[from];
        for sub in from..to {
            self.entry[sub] = state;
            let block = &samples[sub * self.sub_frames..(sub + 1) * self.sub_frames];
            self.energy[sub] = self.filter.energy(block, 1.0, &mut state);
        }
    }

    fn complete(&self) -> usize {
        self.energy.len()
    }

    /// Integrated loudness of the signal times `gain` (linear), `None` under the −70 LUFS gate.
    pub fn integrated(&self, gain: f64) -> Option<f64> {
        let g2 = gain * gain;
        gated(&self.energy.iter().map(|e| e * g2).collect::<Vec<_>>(), self.sub_frames)
    }

    /// Integrated loudness of `samples` (the signal this profile was built from) times `gain` and then
    /// turned down by `reduction`: only the sub-blocks the reduction touches are filtered again.
    pub fn integrated_limited(&self, samples: &[f32], gain: f64, reduction: &Reduction) -> Option<f64> {
        gated(&self.limited_energies(samples, gain, reduction), self.sub_frames)
    }

    /// The complete sub-blocks' energies of `samples` times `gain`, turned down by `reduction` (see
    /// [`LoudnessProfile::integrated_limited`]): the final master's, kept for a later splice.
    pub fn limited_energies(&self, samples: &[f32], gain: f64, reduction: &Reduction) -> Vec<f64> {
        let g2 = gain * gain;
        let mut energy: Vec<f64> = self.energy.iter().map(|e| e * g2).collect();
        let mut scratch = Vec::new();
        for (from, to) in self.touched(reduction) {
            let mut state = self.entry[from].map(|v| v * gain);
            for (sub, slot) in energy.iter_mut().enumerate().take(to).skip(from) {
                let range = sub * self.sub_frames..(sub + 1) * self.sub_frames;
                scratch.clear();
                reduction.apply(samples, gain as f32, range, &mut scratch);
                *slot = self.filter.energy(&scratch, 1.0, &mut state);
            }
        }
        energy
    }

    /// Energy of each complete 100 ms sub-block, in order.
    pub fn energies(&self) -> &[f64] {
        &self.energy
    }

    /// Frames per sub-block.
    pub fn sub_frames(&self) -> usize {
        self.sub_frames
    }

    /// Runs of complete sub-blocks `[from, to)` that a reduction changes, merged, each with its tail.
    fn touched(&self, reduction: &Reduction) -> Vec<(usize, usize)> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for r in reduction.runs() {
            let from = r.start / self.sub_frames;
            let to = ((r.end - 1) / self.sub_frames + 1 + SETTLE_SUB_BLOCKS).min(self.complete());
            if from >= to {
                continue;
            }
            match runs.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => runs.push((from, to)),
            }
        }
        runs
    }
}

/// libebur128's integrated loudness from 100 ms sub-block energies: 400 ms blocks every 100 ms.
pub(crate) fn gated(sub_energy: &[f64], sub_frames: usize) -> Option<f64> {
    let block_frames = (4 * sub_frames) as f64;
    let blocks: Vec<f64> = sub_energy
        .windows(4)
        .map(|w| (w[0] + w[1] + w[2] + w[3]) / block_frames)
        .filter(|&e| e >= ABSOLUTE_GATE)
        .collect();
    if blocks.is_empty() {
        return None;
    }
    let threshold = blocks.iter().sum::<f64>() / blocks.len() as f64 * RELATIVE_GATE;
    let (sum, count) = blocks
        .iter()
        .filter(|&&e| e >= threshold)
        .fold((0.0, 0usize), |(s, c), &e| (s + e, c + 1));
    (count > 0).then(|| 10.0 * (sum / count as f64).log10() - 0.691)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::integrated;
    use crate::mastering::tests::speechy;

    #[test]
    fn the_profile_reads_what_the_ebur128_meter_reads() {
        for rate in [22_050, 44_100, 48_000] {
            let samples = speechy(rate, 7_300, 4);
            let want = integrated(&samples, 1, rate).unwrap().unwrap();
            let profile = LoudnessProfile::of(&samples, rate);
            let got = profile.integrated(1.0).unwrap();
            assert!((got - want).abs() < 1e-6, "{rate} Hz: {got} vs {want}");
            // A gain is a shift, without filtering again.
            let loud: Vec<f32> = samples.iter().map(|s| s * 2.0).collect();
            let want = integrated(&loud, 1, rate).unwrap().unwrap();
            assert!((profile.integrated(2.0).unwrap() - want).abs() < 1e-6);
        }
    }

    #[test]
    fn pushing_in_pieces_is_the_same_as_all_at_once() {
        let samples = speechy(44_100, 3_000, 2);
        let mut pieces = LoudnessProfile::new(44_100);
        for chunk in samples.chunks(1_234) {
            pieces.push(chunk);
        }
        let (got, want) = (
            pieces.integrated(1.0).unwrap(),
            LoudnessProfile::of(&samples, 44_100).integrated(1.0).unwrap(),
        );
        // Only the order of the additions differs.
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    }

    #[test]
    fn a_changed_stretch_filtered_again_reads_as_the_changed_signal() {
        let rate = 44_100;
        let mut samples = speechy(rate, 20_000, 7);
        let mut profile = LoudnessProfile::of(&samples, rate);
        // Loud stretches at the start, in the middle and reaching the end, as music would be laid.
        let stretches = [0..50_000, 300_123..400_456, samples.len() - 90_000..samples.len()];
        for r in &stretches {
            for (i, s) in samples[r.clone()].iter_mut().enumerate() {
                *s += 0.4 * (i as f32 * 0.05).sin();
            }
        }
        for r in stretches {
            profile.refilter(&samples, r);
        }
        let want = LoudnessProfile::of(&samples, rate);
        assert_eq!(profile.energy.len(), want.energy.len());
        for (sub, (got, want)) in profile.energy.iter().zip(&want.energy).enumerate() {
            assert!(
                (got - want).abs() <= 1e-9 * want.max(1e-9),
                "sub-block {sub}: {got} vs {want}"
            );
        }
        let (got, want) = (profile.integrated(1.0).unwrap(), want.integrated(1.0).unwrap());
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    }

    #[test]
    fn silence_is_under_the_gate() {
        assert_eq!(LoudnessProfile::of(&vec![0.0; 44_100], 44_100).integrated(1.0), None);
        assert_eq!(
            LoudnessProfile::of(&[0.5; 100], 44_100).integrated(1.0),
            None,
            "shorter than a block"
        );
    }
}
