//! One new take spliced into a finished speech-only master, so a regenerated line is playable in well
//! under a second instead of after a whole re-master (the limiter and the MP3 encode over the hour).
//!
//! The master keeps (in [`SpliceBase`]) its final gain and limiter ceiling, where each line lies, and the
//! K-weighted energy of every 100 ms of its final PCM. A splice copies the master's 16-bit PCM before the
//! line's context as it is, gains the new (level-matched) take like every other line and limits it with
//! [`CONTEXT_MS`] of the old master either side (past the limiter's look-ahead and its release, so the
//! seams meet the old audio where the limiter is idle), and copies the rest of the old PCM shifted by the
//! line's change in length. The integrated loudness is the kept sub-block energies before the line, the
//! new region's filtered again, and the old ones shifted after it. When that moves the master further
//! than [`MAX_SPLICE_SHIFT_DB`] from what its gain was fitted to, the gain would have to change, and the
//! caller masters in full instead (`Ok(None)`).

use std::ops::Range;

use crate::assemble::Placement;
use crate::gating::{gated, LoudnessProfile, SETTLE_SUB_BLOCKS};
use crate::limiter::Limiter;
use crate::mastering::{prepare_take, MasterSettings, Take};
use crate::resample::RateConverter;
use crate::wav::{frames_to_ms, ms_to_frames, to_i16};
use crate::AudioError;

/// Old master limited again on each side of the new take: the look-ahead is 5 ms and the release's
/// time constant 100 ms, so 1.5 s lets a peak at the take's very end recover to nothing before the seam.
const CONTEXT_MS: u64 = 1_500;
/// How far the spliced master may move from the loudness its gain was fitted to before it must be
/// mastered again (a full master corrects anything over its 0.1 LU aim).
pub const MAX_SPLICE_SHIFT_DB: f64 = 0.1;

/// What a finished speech-only master keeps for [`splice_take`]. It serializes (for a later process to
/// splice into the same master) without the fitted loudness, which is computed again from the energies.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(from = "StoredBase", into = "StoredBase")]
pub struct SpliceBase {
    rate: u32,
    channels: u16,
    target_lufs: f64,
    gain: f32,
    ceiling: f32,
    /// Each line's frames in the master.
    lines: Vec<Range<usize>>,
    /// K-weighted energy of each complete 100 ms sub-block of the final mono PCM.
    energy: Vec<f64>,
    sub_frames: usize,
    /// The integrated loudness (mono) the gain was fitted to: every later splice is held to it.
    fitted: f64,
}

/// [`SpliceBase`] as stored: everything but `fitted` (a silent master's is −∞, which JSON cannot hold).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredBase {
    rate: u32,
    channels: u16,
    target_lufs: f64,
    gain: f32,
    ceiling: f32,
    lines: Vec<Range<usize>>,
    energy: Vec<f64>,
    sub_frames: usize,
}

impl From<SpliceBase> for StoredBase {
    fn from(b: SpliceBase) -> StoredBase {
        StoredBase {
            rate: b.rate,
            channels: b.channels,
            target_lufs: b.target_lufs,
            gain: b.gain,
            ceiling: b.ceiling,
            lines: b.lines,
            energy: b.energy,
            sub_frames: b.sub_frames,
        }
    }
}

impl From<StoredBase> for SpliceBase {
    fn from(s: StoredBase) -> SpliceBase {
        let fitted = gated(&s.energy, s.sub_frames).unwrap_or(f64::NEG_INFINITY);
        SpliceBase {
            rate: s.rate,
            channels: s.channels,
            target_lufs: s.target_lufs,
            gain: s.gain,
            ceiling: s.ceiling,
            lines: s.lines,
            energy: s.energy,
            sub_frames: s.sub_frames,
            fitted,
        }
    }
}

impl std::fmt::Debug for SpliceBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpliceBase")
            .field("rate", &self.rate)
            .field("lines", &self.lines.len())
            .field("sub_blocks", &self.energy.len())
            .field("fitted", &self.fitted)
            .finish_non_exhaustive()
    }
}

impl SpliceBase {
    pub(crate) fn new(
        rate: u32,
        settings: &MasterSettings,
        gain: f32,
        ceiling: f32,
        lines: &[Range<usize>],
        energy: Vec<f64>,
        sub_frames: usize,
    ) -> SpliceBase {
        let fitted = gated(&energy, sub_frames).unwrap_or(f64::NEG_INFINITY);
        SpliceBase {
            rate,
            channels: settings.channels,
            target_lufs: settings.target_lufs,
            gain,
            ceiling,
            lines: lines.to_vec(),
            energy,
            sub_frames,
            fitted,
        }
    }

    /// How many lines the master holds.
    pub fn lines(&self) -> usize {
        self.lines.len()
    }
}

/// A master with one line's take replaced.
#[derive(Debug, Clone)]
pub struct Spliced {
    /// 16-bit PCM, the same rate and channels as the old master.
    pub wav: Vec<u8>,
    pub duration_ms: u64,
    /// Where each line lands now: the ones after the line moved by its change in length.
    pub placements: Vec<Placement>,
    /// From the kept and the new sub-block energies (a stereo master's, as BS.1770 sums both sides).
    pub integrated_lufs: f64,
    /// For the next splice into this master.
    pub base: SpliceBase,
}

/// Where the PCM starts in a WAV this crate wrote, and how long it is.
fn data_chunk(wav: &[u8]) -> Result<Range<usize>, AudioError> {
    let bad = || AudioError::invalid("the old master is not a WAV this crate wrote");
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return Err(bad());
    }
    let mut at = 12;
    while at + 8 <= wav.len() {
        let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().expect("four bytes")) as usize;
        if &wav[at..at + 4] == b"data" {
            let end = (at + 8).checked_add(size).filter(|&e| e <= wav.len()).ok_or_else(bad)?;
            return Ok(at + 8..end);
        }
        at += 8 + size + size % 2;
    }
    Err(bad())
}

/// Replaces line `line` of the master `old_wav` (made with `base`) by `take`, prepared as the master
/// prepares every take. `Ok(None)`: master in full instead (the settings are not the master's, or the
/// loudness moved past [`MAX_SPLICE_SHIFT_DB`]).
///
/// Errors: a line the master does not have, an `old_wav` that does not match `base`, and an unreadable
/// take (`audio_invalid`).
pub fn splice_take(
    base: &SpliceBase,
    old_wav: &[u8],
    line: usize,
    take: &[u8],
    settings: &MasterSettings,
) -> Result<Option<Spliced>, AudioError> {
    if settings.sample_rate != base.rate
        || settings.channels != base.channels
        || settings.target_lufs != base.target_lufs
    {
        return Ok(None);
    }
    let old_line = base
        .lines
        .get(line)
        .cloned()
        .ok_or_else(|| AudioError::invalid(format!("the master has no line {}", line + 1)))?;
    let data = data_chunk(old_wav)?;
    let width = 2 * usize::from(base.channels);
    let old_frames = data.len() / width;
    if base.lines.last().is_some_and(|l| l.end > old_frames) {
        return Err(AudioError::invalid("the old master is shorter than its lines"));
    }
    let pcm = &old_wav[data.clone()];
    // The first channel carries the speech (a stereo master has it on both sides).
    let old_at = |i: usize| f32::from(i16::from_le_bytes([pcm[i * width], pcm[i * width + 1]])) / 32767.0;
    let old = |range: Range<usize>| range.map(old_at);

    let prepared = prepare_take(
        &[Take { wav: take, speaker: 0 }],
        0,
        &mut RateConverter::new(base.rate),
        settings,
    )
    .map_err(|e| match e {
        AudioError::Invalid(msg) => AudioError::Invalid(format!("the new take of line {}: {msg}", line + 1)),
        other => other,
    })?;
    let (start, new_end) = (old_line.start, old_line.start + prepared.mono.len());
    let delta = new_end as i64 - old_line.end as i64;
    let new_frames = (old_frames as i64 + delta) as usize;
    let sub = base.sub_frames;
    let context = ms_to_frames(CONTEXT_MS, base.rate) as usize;

    // The region limited again, in the new master's frames: [from, to), starting on a sub-block.
    let from = start.saturating_sub(context) / sub * sub;
    let to = (new_end + context).min(new_frames);
    let old_to = (to as i64 - delta) as usize;
    let mut region: Vec<f32> = Vec::with_capacity(to - from);
    region.extend(old(from..start));
    region.extend(prepared.mono.iter().map(|s| s * base.gain));
    region.extend(old(old_line.end..old_to));
    let limiter = Limiter::new(base.rate);
    let mut peaks = limiter.peaks(&region);
    let reduction = limiter.reduction(&region, &mut peaks, 1.0, base.ceiling);
    let mut limited = Vec::with_capacity(region.len());
    reduction.apply(&region, 1.0, 0..region.len(), &mut limited);

    // The new WAV: the old header and PCM up to the region, the region, then the old PCM shifted.
    let mut wav = Vec::with_capacity(data.start + new_frames * width);
    wav.extend_from_slice(&old_wav[..data.start]);
    wav.extend_from_slice(&pcm[..from * width]);
    for &s in &limited {
        let bytes = to_i16(s).to_le_bytes();
        for _ in 0..base.channels {
            wav.extend_from_slice(&bytes);
        }
    }
    wav.extend_from_slice(&pcm[old_to * width..]);
    let data_len = u32::try_from(new_frames * width)
        .map_err(|_| AudioError::Encode("the audio is too long for a WAV file (over 4 GiB)".into()))?;
    let riff_len = u32::try_from(wav.len() - 8)
        .map_err(|_| AudioError::Encode("the audio is too long for a WAV file (over 4 GiB)".into()))?;
    wav[4..8].copy_from_slice(&riff_len.to_le_bytes());
    wav[data.start - 4..data.start].copy_from_slice(&data_len.to_le_bytes());

    // Sub-block energies: kept before the region; filtered again over it (from a few sub-blocks early,
    // where the filter's memory has settled); the old ones moved by the change in length after it.
    let complete = new_frames / sub;
    let first = from / sub;
    let last = (to.div_ceil(sub) + SETTLE_SUB_BLOCKS).min(complete);
    let lead = first.min(SETTLE_SUB_BLOCKS);
    let window_from = (first - lead) * sub;
    let window_to = last * sub;
    let mut window: Vec<f32> = Vec::with_capacity(window_to - window_from);
    window.extend(old(window_from..from));
    window.extend_from_slice(&limited);
    if window_to > to {
        window.extend(old(old_to..old_to + (window_to - to)));
    }
    window.truncate(window_to - window_from);
    let refiltered = LoudnessProfile::of(&window, base.rate);
    let mut energy = Vec::with_capacity(complete);
    energy.extend_from_slice(&base.energy[..first.min(base.energy.len())]);
    energy.extend_from_slice(&refiltered.energies()[lead..]);
    let moved = (delta as f64 / sub as f64).round() as i64;
    for k in energy.len()..complete {
        let old_k = (k as i64 - moved).clamp(0, base.energy.len() as i64 - 1) as usize;
        energy.push(base.energy[old_k]);
    }
    let Some(integrated) = gated(&energy, sub) else {
        return Ok(None);
    };
    if (integrated - base.fitted).abs() > MAX_SPLICE_SHIFT_DB {
        return Ok(None);
    }

    let lines: Vec<Range<usize>> = base
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| match i.cmp(&line) {
            std::cmp::Ordering::Less => l.clone(),
            std::cmp::Ordering::Equal => start..new_end,
            std::cmp::Ordering::Greater => (l.start as i64 + delta) as usize..(l.end as i64 + delta) as usize,
        })
        .collect();
    let placements = lines
        .iter()
        .map(|l| Placement {
            start_ms: frames_to_ms(l.start as u64, base.rate),
            end_ms: frames_to_ms(l.end as u64, base.rate),
        })
        .collect();
    let dual_mono_db = if base.channels == 2 { 10.0 * 2f64.log10() } else { 0.0 };
    Ok(Some(Spliced {
        wav,
        duration_ms: frames_to_ms(new_frames as u64, base.rate),
        placements,
        integrated_lufs: integrated + dual_mono_db,
        base: SpliceBase {
            lines,
            energy,
            ..base.clone()
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::measure_wav;
    use crate::mastering::master;
    use crate::mastering::tests::{at_lufs, float_wav, speechy};
    use crate::wav::decode;

    const RATE: u32 = 22_050;

    fn clip(rate: u32, ms: u64, seed: u32, lufs: f64) -> Vec<u8> {
        float_wav(rate, &at_lufs(speechy(rate, ms, seed), rate, lufs))
    }

    fn episode(lines: u32) -> Vec<Vec<u8>> {
        (0..lines)
            .map(|i| {
                clip(
                    RATE,
                    3_000 + u64::from(i % 3) * 700,
                    i,
                    if i % 2 == 0 { -20.0 } else { -28.0 },
                )
            })
            .collect()
    }

    fn takes(wavs: &[Vec<u8>]) -> Vec<Take<'_>> {
        wavs.iter()
            .enumerate()
            .map(|(i, wav)| Take { wav, speaker: i % 2 })
            .collect()
    }

    fn samples(wav: &[u8]) -> Vec<f32> {
        decode(wav).unwrap().samples
    }

    #[test]
    fn a_spliced_line_lands_where_a_full_master_puts_it_at_the_loudness_a_meter_reads() {
        let settings = MasterSettings::default();
        let mut wavs = episode(24);
        let old = master(&takes(&wavs), &settings).unwrap();
        let base = old
            .splice
            .clone()
            .expect("a speech-only master keeps what a splice needs");
        let line = 12;
        // Another engine's rate, hotter, and 2.6 s longer than the take it replaces.
        let fresh = clip(24_000, 5_600, 99, -14.0);
        let spliced = splice_take(&base, &old.wav, line, &fresh, &settings)
            .unwrap()
            .expect("one line of 24 moves the loudness by far less than 0.1 dB");
        wavs[line] = fresh;
        let full = master(&takes(&wavs), &settings).unwrap();

        assert_eq!(
            spliced.placements, full.placements,
            "every cue where a full master puts it"
        );
        assert_eq!(spliced.duration_ms, full.duration_ms);
        let grew = spliced.placements[line + 1].start_ms - old.placements[line + 1].start_ms;
        assert!(
            (2_550..=2_650).contains(&grew),
            "the next line moved by the 2.6 s it grew: {grew} ms"
        );

        // The splice's own loudness figure against a full measure of its WAV, and the full master's.
        let measured = measure_wav(&spliced.wav, &[]).unwrap();
        let lufs = measured.integrated_lufs.unwrap();
        assert!(
            (spliced.integrated_lufs - lufs).abs() <= 0.1,
            "kept blocks say {:.3} LUFS, the meter {lufs:.3}",
            spliced.integrated_lufs
        );
        let full_lufs = measure_wav(&full.wav, &[]).unwrap().integrated_lufs.unwrap();
        assert!(
            (lufs - full_lufs).abs() <= 0.15,
            "spliced {lufs:.3} against full {full_lufs:.3} LUFS"
        );
        let peak = measured.true_peak_dbtp.unwrap();
        assert!(
            peak <= settings.ceiling_dbtp,
            "true peak {peak:.2} dBTP over the ceiling"
        );

        // Before the line's context the PCM is the old master's, after it the old master's shifted.
        let (a, b, f) = (samples(&old.wav), samples(&spliced.wav), samples(&full.wav));
        assert_eq!(b.len(), f.len());
        let start = base.lines[line].start;
        let context = ms_to_frames(CONTEXT_MS, RATE) as usize * 2;
        assert_eq!(
            a[..start - context],
            b[..start - context],
            "the PCM before the line is reused as is"
        );
        let shift = spliced.base.lines[line].end - base.lines[line].end;
        let after = spliced.base.lines[line].end + context;
        assert_eq!(
            a[after - shift..],
            b[after..],
            "the PCM after the line is the old one, shifted"
        );
        // And the new take's audio is the full master's, up to the full master's slightly refitted gain.
        let take = spliced.base.lines[line].clone();
        let rms = |x: &[f32]| (x.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / x.len() as f64).sqrt();
        let diff: Vec<f32> = b[take.clone()]
            .iter()
            .zip(&f[take.clone()])
            .map(|(x, y)| x - y)
            .collect();
        let ratio = rms(&diff) / rms(&f[take]);
        assert!(
            ratio < 0.05,
            "the new take differs from the full master's by {ratio:.4} of its level"
        );
    }

    #[test]
    fn a_take_that_moves_the_loudness_past_the_tolerance_is_left_to_a_full_master() {
        let settings = MasterSettings::default();
        let wavs = episode(4);
        let old = master(&takes(&wavs), &settings).unwrap();
        let base = old.splice.clone().unwrap();
        // A steady tone twice as long as the rest of the episode: matched to the target like every take, it
        // has none of speech's peaks for the limiter to take down, so it plays louder than the limited
        // speech around it, and the episode's loudness moves with it.
        let tone: Vec<f32> = (0..RATE as usize * 30)
            .map(|i| {
                let t = i as f32 / RATE as f32;
                (std::f32::consts::TAU * 440.0 * t).sin() + 0.5 * (std::f32::consts::TAU * 1_250.0 * t).sin()
            })
            .collect();
        let fresh = float_wav(RATE, &at_lufs(tone, RATE, -16.0));
        let shifted = splice_take(&base, &old.wav, 1, &fresh, &settings).unwrap();
        assert!(
            shifted.is_none(),
            "spliced at {:?} LUFS",
            shifted.map(|s| s.integrated_lufs)
        );
        // And a master made to other settings is not spliced either.
        let louder = MasterSettings {
            target_lufs: -14.0,
            ..settings.clone()
        };
        let calm = clip(RATE, 3_000, 7, -20.0);
        assert!(splice_take(&base, &old.wav, 1, &calm, &louder).unwrap().is_none());
        assert!(splice_take(&base, &old.wav, 1, &calm, &settings).unwrap().is_some());
    }

    #[test]
    fn a_line_the_master_lacks_or_an_unreadable_take_is_refused() {
        let settings = MasterSettings::default();
        let wavs = episode(3);
        let old = master(&takes(&wavs), &settings).unwrap();
        let base = old.splice.clone().unwrap();
        let calm = clip(RATE, 3_000, 7, -20.0);
        let e = splice_take(&base, &old.wav, 3, &calm, &settings).unwrap_err();
        assert!(e.to_string().contains("no line 4"), "{e}");
        let e = splice_take(&base, &old.wav, 0, b"not a wav", &settings).unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        assert!(splice_take(&base, b"RIFF", 0, &calm, &settings).is_err());
    }

    #[test]
    fn a_splice_into_a_spliced_master_keeps_every_cue_in_step() {
        let settings = MasterSettings::default();
        let mut wavs = episode(10);
        let old = master(&takes(&wavs), &settings).unwrap();
        let first = clip(RATE, 2_000, 40, -22.0);
        let once = splice_take(old.splice.as_ref().unwrap(), &old.wav, 3, &first, &settings)
            .unwrap()
            .unwrap();
        let second = clip(RATE, 6_000, 41, -18.0);
        let twice = splice_take(&once.base, &once.wav, 7, &second, &settings)
            .unwrap()
            .unwrap();
        wavs[3] = first;
        wavs[7] = second;
        let full = master(&takes(&wavs), &settings).unwrap();
        assert_eq!(twice.placements, full.placements);
        let lufs = measure_wav(&twice.wav, &[]).unwrap().integrated_lufs.unwrap();
        assert!(
            (twice.integrated_lufs - lufs).abs() <= 0.1,
            "{} against {lufs}",
            twice.integrated_lufs
        );
    }

    #[test]
    fn a_base_read_back_from_json_splices_the_same_master_byte_for_byte() {
        let settings = MasterSettings::default();
        let wavs = episode(6);
        let old = master(&takes(&wavs), &settings).unwrap();
        let base = old.splice.clone().unwrap();
        let stored = serde_json::to_vec(&base).unwrap();
        let read: SpliceBase = serde_json::from_slice(&stored).unwrap();
        assert_eq!(
            read.fitted, base.fitted,
            "the fitted loudness is computed again, exactly"
        );
        let fresh = clip(RATE, 3_000, 42, -20.0);
        let a = splice_take(&base, &old.wav, 2, &fresh, &settings).unwrap().unwrap();
        let b = splice_take(&read, &old.wav, 2, &fresh, &settings).unwrap().unwrap();
        assert!(a.wav == b.wav, "the same PCM from the stored base");
        assert_eq!(a.placements, b.placements);
        assert!(serde_json::from_slice::<SpliceBase>(b"{\"rate\": 44100}").is_err());
    }
}
