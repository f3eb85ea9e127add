//! The mastering chain: every take resampled to the master rate (rubato), level-matched to the target
//! loudness so hosts voiced by different engines sit level, placed on one timeline, normalised to the
//! target (BS.1770-4 integrated, measured on the assembly), true-peak limited to the ceiling, encoded
//! to CBR MP3, and measured again on the decoded MP3. A pass that misses the target or the ceiling is
//! corrected and run again, a bounded number of times; a master that still misses is an error, never
//! a shipped file.
//!
//! With music ([`master_with_music`]) the speech is laid out with the room the music needs (a lead-in,
//! a pause around each sting, the outro's play-out), the music is mixed onto it (see `mixing`), and
//! the mix is what the rest of the chain fits, limits, encodes and measures.
//!
//! Speech is processed as one mono `f32` channel (a stereo master carries it on both sides), so a
//! three-hour episode at 48 kHz needs about 2 GB of working memory rather than 4 or 8.

use std::io::Cursor;
use std::time::Instant;

use crate::assemble::Placement;
use crate::gating::LoudnessProfile;
use crate::limiter::{Limiter, Reduction, TruePeaks};
use crate::loudness::{from_db, integrated, measure_mp3_loudness, measure_mp3_stream, Measurements, Span};
use crate::mixing::{Laid, Music, MusicPlacement};
use crate::mp3::Mp3Stream;
use crate::music::MusicBeds;
use crate::resample::{convert_channels, RateConverter};
use crate::splice::SpliceBase;
use crate::take_cache::{PreparedTake, TakeCache};
use crate::wav::{decode, frames_to_ms, ms_to_frames, WavOut};
use crate::AudioError;

/// The final master must land this close to the target.
pub const LOUDNESS_TOLERANCE_LU: f64 = 0.5;
/// Inner aim: correct when the limiter pass is further off than this.
const AIM_LU: f64 = 0.1;
/// Limiter headroom under the ceiling before MP3 encoding, for the encoder's overshoot.
const ENCODER_MARGIN_DB: f64 = 0.4;
/// A take is never boosted more than this to match the others (a near-silent take stays quiet).
const MAX_TAKE_GAIN_DB: f64 = 30.0;
const LIMITER_PASSES: u32 = 4;
const ENCODE_PASSES: u32 = 3;
/// Length of the excerpt that learns the encoder's loudness change before the full encode.
const PROBE_SECONDS: f64 = 30.0;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MasterSettings {
    pub sample_rate: u32,
    pub channels: u16,
    pub bitrate_kbps: u32,
    pub target_lufs: f64,
    pub ceiling_dbtp: f64,
    /// Pause between lines.
    pub gap_ms: u64,
    /// Extra limiter headroom, dB (the audio gate's correction after a measured overshoot).
    pub extra_margin_db: f64,
}

impl Default for MasterSettings {
    fn default() -> Self {
        MasterSettings {
            sample_rate: 44_100,
            channels: 1,
            bitrate_kbps: 128,
            target_lufs: -16.0,
            ceiling_dbtp: -1.0,
            gap_ms: 350,
            extra_margin_db: 0.0,
        }
    }
}

/// One take to master: its WAV and which host speaks it (for the speaker-balance figure).
#[derive(Debug, Clone, Copy)]
pub struct Take<'a> {
    pub wav: &'a [u8],
    pub speaker: usize,
}

#[derive(Debug, Clone)]
pub struct Mastered {
    /// 16-bit PCM at the master rate and channel count.
    pub wav: Vec<u8>,
    /// CBR MP3, untagged (see [`crate::tag_episode`]).
    pub mp3: Vec<u8>,
    pub sample_rate: u32,
    pub channels: u16,
    pub duration_ms: u64,
    /// Where each line landed in the master (after the intro's lead-in and the stings).
    pub placements: Vec<Placement>,
    /// Where each piece of music plays, in order; empty for a speech-only master.
    pub music: Vec<MusicPlacement>,
    /// Measured on the decoded MP3; `group_lufs` is per speaker, over that speaker's lines (with any
    /// bed ducked under them: see [`master_with_music`]).
    pub measured: Measurements,
    /// Limiter passes plus encode passes it took.
    pub passes: u32,
    /// What a later [`crate::splice_take`] needs to put one new take into this master without
    /// mastering it again; `None` for a master with music (a bed ducks under every line).
    pub splice: Option<SpliceBase>,
}

fn check(s: &MasterSettings) -> Result<(), AudioError> {
    if !(1..=2).contains(&s.channels) {
        return Err(AudioError::invalid(format!(
            "a master is mono or stereo, not {} channels",
            s.channels
        )));
    }
    if !(8_000..=192_000).contains(&s.sample_rate) {
        return Err(AudioError::invalid(format!(
            "{} Hz is not a master sample rate",
            s.sample_rate
        )));
    }
    Ok(())
}

/// Masters `takes` in order with `settings.gap_ms` between them. See the module docs for the chain.
///
/// Errors: no takes, an unreadable take (`audio_invalid`, naming it), a master that is silent
/// throughout (`audio_invalid`), an encoder failure (`audio_encode_failed`), and a master that misses
/// the target or ceiling after every correction (`audio_off_spec`).
pub fn master(takes: &[Take<'_>], settings: &MasterSettings) -> Result<Mastered, AudioError> {
    master_with_music(takes, &MusicBeds::default(), settings)
}

/// [`master`] with the show's music mixed under the speech before loudness is fitted: the intro bed
/// opens the episode, the outro bed plays it out, a sting sits before each segment in
/// `music.sting_before`, and speech ducks every bed. Placements (and so cues and chapters) are where
/// the lines land in the final master.
///
/// Each bed sits `music.bed_level_lu` from the level-matched speech in the clear, whatever its file's
/// own level. The speaker-balance figures (`group_lufs`) are still taken on the final master over each
/// speaker's lines, so they include the bed ducked under those lines: at the show defaults (−6 LU,
/// 15 dB) it sits about 21 LU under the speech and moves a speaker's figure by under 0.1 LU, and both
/// hosts share the same beds. Metering the speech before the mix instead would need a second set of
/// meters on the PCM while the MP3's are what the gate checks.
///
/// Errors: those of [`master`], and a music file that will not decode (`music_unreadable`, naming it).
pub fn master_with_music(
    takes: &[Take<'_>],
    music: &MusicBeds<'_>,
    settings: &MasterSettings,
) -> Result<Mastered, AudioError> {
    master_chain(takes, None, music, settings)
}

/// [`master_with_music`] reusing the prepared takes in `cache`: take `i` is found by `keys[i]` (the name
/// of its bytes, such as their SHA-256), and a take not found is prepared and added. Regenerating one line
/// then prepares that line alone; the assembly, loudness fit, limiter and encode run over the whole master
/// as always, so it is measured and on spec like any other. The result is the one [`master_with_music`]
/// gives for the same takes.
///
/// Errors: those of [`master_with_music`], and `keys` not one per take (`audio_invalid`).
pub fn master_cached(
    takes: &[Take<'_>],
    keys: &[&str],
    music: &MusicBeds<'_>,
    settings: &MasterSettings,
    cache: &TakeCache,
) -> Result<Mastered, AudioError> {
    if keys.len() != takes.len() {
        return Err(AudioError::invalid(format!(
            "{} take keys for {} takes",
            keys.len(),
            takes.len()
        )));
    }
    master_chain(takes, Some(Cached { cache, keys }), music, settings)
}

/// The cache and each take's key in it.
#[derive(Clone, Copy)]
struct Cached<'a> {
    cache: &'a TakeCache,
    keys: &'a [&'a str],
}

fn master_chain(
    takes: &[Take<'_>],
    cached: Option<Cached<'_>>,
    music: &MusicBeds<'_>,
    settings: &MasterSettings,
) -> Result<Mastered, AudioError> {
    check(settings)?;
    if takes.is_empty() {
        return Err(AudioError::invalid("there are no takes to master"));
    }
    let rate = settings.sample_rate;
    let started = Instant::now();
    let music = Music::decode(music, takes.len(), rate)?;
    let Timeline {
        samples: mut timeline,
        takes: lines,
        mut profile,
    } = assemble_level_matched(takes, cached, settings, &music)?;
    let speech = profile
        .integrated(1.0)
        .ok_or_else(|| AudioError::invalid("every take is silent; there is nothing to master"))?;
    let gap = ms_to_frames(settings.gap_ms, rate) as usize;
    let laid = music.mix(&mut timeline, &lines, gap, speech);
    for range in touched(&laid) {
        profile.refilter(&timeline, range);
    }
    let assembled = if laid.is_empty() {
        speech
    } else {
        profile.integrated(1.0).unwrap_or(speech)
    };
    let placements: Vec<Placement> = lines
        .iter()
        .map(|r| Placement {
            start_ms: frames_to_ms(r.start as u64, rate),
            end_ms: frames_to_ms(r.end as u64, rate),
        })
        .collect();
    let music: Vec<MusicPlacement> = laid.iter().map(|l| l.placement(rate)).collect();
    let spans = spans(takes, &placements);
    tracing::debug!(
        ms = started.elapsed().as_millis(),
        "mastering: takes assembled, music mixed and profiled"
    );

    let fit = Fit {
        limiter: Limiter::new(rate),
        timeline: &timeline,
        profile: &profile,
        // A stereo master carries the mono speech on both sides: BS.1770 sums the two channels' power.
        dual_mono_db: if settings.channels == 2 {
            10.0 * 2f64.log10()
        } else {
            0.0
        },
    };
    let mut peaks = fit.limiter.peaks(&timeline);
    let mut gain_db = settings.target_lufs - assembled;
    let mut margin_db = ENCODER_MARGIN_DB + settings.extra_margin_db.max(0.0);
    // What the limited signal should measure so the MP3 lands on target: the encoder's own loudness
    // change is learnt from an excerpt first, then from each encode pass.
    let mut aim = settings.target_lufs;
    let mut passes = 0;
    let mut last = None;
    for encode_pass in 0..ENCODE_PASSES {
        let ceiling = from_db(settings.ceiling_dbtp - margin_db) as f32;
        let mut reduction = fit.limit(&mut peaks, &mut gain_db, aim, ceiling, &mut passes);
        if encode_pass == 0 {
            // Encoding a whole hour costs seconds; an excerpt tells most of what the encoder will do.
            let shift = encoder_shift(&fit, &reduction, from_db(gain_db) as f32, settings)?;
            if shift.abs() > AIM_LU {
                aim += shift;
                gain_db += shift;
                reduction = fit.limit(&mut peaks, &mut gain_db, aim, ceiling, &mut passes);
            }
        }
        // Then the real thing: WAV and MP3 written in one streaming pass, and the MP3 measured as it is
        // written (reading the same samples as the finished file: see the test).
        passes += 1;
        tracing::debug!(ms = started.elapsed().as_millis(), "mastering: limited");
        let (wav, mp3, measured) = render(&timeline, &reduction, from_db(gain_db) as f32, settings, &spans)?;
        tracing::debug!(
            ms = started.elapsed().as_millis(),
            "mastering: WAV and MP3 written and measured"
        );
        let loudness = measured.integrated_lufs.unwrap_or(f64::NEG_INFINITY);
        let peak = measured.true_peak_dbtp.unwrap_or(f64::NEG_INFINITY);
        let loud_ok = (loudness - settings.target_lufs).abs() <= LOUDNESS_TOLERANCE_LU - 0.1;
        let peak_ok = peak <= settings.ceiling_dbtp - 0.05;
        tracing::debug!(passes, loudness, peak, gain_db, margin_db, "mastering pass");
        if loud_ok && peak_ok {
            let duration_ms = frames_to_ms(timeline.len() as u64, rate);
            let splice = laid.is_empty().then(|| {
                SpliceBase::new(
                    rate,
                    settings,
                    from_db(gain_db) as f32,
                    ceiling,
                    &lines,
                    profile.limited_energies(&timeline, from_db(gain_db), &reduction),
                    profile.sub_frames(),
                )
            });
            return Ok(Mastered {
                wav,
                mp3,
                sample_rate: rate,
                channels: settings.channels,
                duration_ms,
                placements,
                music,
                measured,
                passes,
                splice,
            });
        }
        if !peak_ok {
            margin_db += peak - settings.ceiling_dbtp + 0.2;
        }
        if loudness.is_finite() {
            aim += settings.target_lufs - loudness;
            gain_db += settings.target_lufs - loudness;
        }
        last = Some((loudness, peak));
    }
    let (loudness, peak) = last.unwrap_or((f64::NEG_INFINITY, f64::NEG_INFINITY));
    Err(AudioError::OffSpec {
        integrated_lufs: loudness,
        true_peak_dbtp: peak,
        target_lufs: settings.target_lufs,
        ceiling_dbtp: settings.ceiling_dbtp,
    })
}

/// The level-matched timeline, where each take landed (frames), and its loudness profile.
struct Timeline {
    samples: Vec<f32>,
    takes: Vec<std::ops::Range<usize>>,
    profile: LoudnessProfile,
}

/// The stretches the music changed, merged and in order: what the loudness profile filters again.
fn touched(laid: &[Laid]) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::with_capacity(laid.len());
    for l in laid {
        match ranges.last_mut() {
            Some(last) if l.frames.start <= last.end => last.end = last.end.max(l.frames.end),
            _ => ranges.push(l.frames.clone()),
        }
    }
    ranges
}

/// The in-memory half of the chain: limiter passes measured against the timeline's loudness profile.
struct Fit<'a> {
    limiter: Limiter,
    timeline: &'a [f32],
    profile: &'a LoudnessProfile,
    dual_mono_db: f64,
}

impl Fit<'_> {
    /// Limits at `gain_db`, correcting it until the limited signal measures `aim` (a bounded number of
    /// times), and returns the reduction for the final gain.
    fn limit(&self, peaks: &mut TruePeaks, gain_db: &mut f64, aim: f64, ceiling: f32, passes: &mut u32) -> Reduction {
        let mut reduction = self
            .limiter
            .reduction(self.timeline, peaks, from_db(*gain_db) as f32, ceiling);
        for _ in 0..LIMITER_PASSES {
            *passes += 1;
            let measured = self
                .profile
                .integrated_limited(self.timeline, from_db(*gain_db), &reduction)
                .map_or(aim, |l| l + self.dual_mono_db);
            let off = aim - measured;
            if off.abs() <= AIM_LU {
                break;
            }
            *gain_db += off;
            reduction = self
                .limiter
                .reduction(self.timeline, peaks, from_db(*gain_db) as f32, ceiling);
        }
        reduction
    }
}

/// How much louder the limited signal must be for its MP3 to measure the same (LU): an excerpt from the
/// middle of the master is encoded, decoded and measured against its own PCM.
fn encoder_shift(
    fit: &Fit<'_>,
    reduction: &Reduction,
    gain: f32,
    settings: &MasterSettings,
) -> Result<f64, AudioError> {
    let n = fit.timeline.len();
    let len = n.min((PROBE_SECONDS * f64::from(settings.sample_rate)) as usize);
    let from = (n - len) / 2;
    let mut excerpt = Vec::with_capacity(len);
    reduction.apply(fit.timeline, gain, from..from + len, &mut excerpt);
    let pcm = integrated(&excerpt, 1, settings.sample_rate)?;
    let mut mp3 = Mp3Stream::new(settings.sample_rate, settings.channels, settings.bitrate_kbps)?;
    mp3.reserve(len);
    mp3.push_mono(&excerpt)?;
    let encoded = measure_mp3_loudness(&mp3.finish()?)?;
    Ok(match (pcm, encoded) {
        (Some(pcm), Some(encoded)) => pcm + fit.dual_mono_db - encoded,
        // Too quiet an excerpt to say: the encode passes will learn it instead.
        _ => 0.0,
    })
}

/// Takes processed ahead of the one being placed, per worker: bounds the memory in flight.
const TAKES_AHEAD: usize = 2;
const MAX_WORKERS: usize = 4;

/// Decodes, resamples and level-matches every take onto one mono timeline at the master rate, with the
/// pauses `music` asks for (silent yet). Workers prepare takes in parallel (take i on worker i mod
/// workers); this thread places them in order and filters the timeline for its loudness profile as it
/// grows.
fn assemble_level_matched(
    takes: &[Take<'_>],
    cached: Option<Cached<'_>>,
    settings: &MasterSettings,
    music: &Music,
) -> Result<Timeline, AudioError> {
    let rate = settings.sample_rate;
    let gap = ms_to_frames(settings.gap_ms, rate) as usize;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WORKERS)
        .min(takes.len());
    std::thread::scope(|scope| {
        let prepared: Vec<_> = (0..workers)
            .map(|w| {
                let (tx, rx) = std::sync::mpsc::sync_channel(TAKES_AHEAD);
                scope.spawn(move || {
                    let mut rates = RateConverter::new(rate);
                    for i in (w..takes.len()).step_by(workers) {
                        let take = match cached {
                            Some(c) => c.cache.get(c.keys[i], rate, settings.target_lufs).map_or_else(
                                || {
                                    let fresh = prepare_take(takes, i, &mut rates, settings)?;
                                    c.cache.put(c.keys[i], rate, settings.target_lufs, fresh.clone());
                                    Ok(fresh)
                                },
                                Ok,
                            ),
                            None => prepare_take(takes, i, &mut rates, settings),
                        };
                        let failed = take.is_err();
                        // A closed channel means the timeline gave up on an earlier take.
                        if tx.send(take).is_err() || failed {
                            break;
                        }
                    }
                });
                rx
            })
            .collect();
        let mut timeline: Vec<f32> = Vec::new();
        let mut placed = Vec::with_capacity(takes.len());
        let mut profile = LoudnessProfile::new(rate);
        let pause = |timeline: &mut Vec<f32>, profile: &mut LoudnessProfile, frames: usize| {
            timeline.resize(timeline.len() + frames, 0.0);
            profile.push(&timeline[timeline.len() - frames..]);
        };
        for i in 0..takes.len() {
            let PreparedTake { mono, .. } = prepared[i % workers]
                .recv()
                .expect("a take worker stops only after sending its error")?;
            if i == 0 {
                // Estimate the whole length from the first take so the buffer rarely regrows.
                timeline.reserve((mono.len() + gap) * takes.len() + gap + music.lead_in() + music.tail(mono.len()));
                pause(&mut timeline, &mut profile, music.lead_in());
            } else {
                pause(&mut timeline, &mut profile, music.pause_before(i, gap));
            }
            let start = timeline.len();
            timeline.extend_from_slice(&mono);
            profile.push(&mono);
            placed.push(start..timeline.len());
        }
        let last = placed.last().map_or(0, |r| r.len());
        pause(&mut timeline, &mut profile, music.tail(last));
        Ok(Timeline {
            samples: timeline,
            takes: placed,
            profile,
        })
    })
}

/// Take `i` decoded, mixed to mono, at the master rate and matched to the target loudness.
pub(crate) fn prepare_take(
    takes: &[Take<'_>],
    i: usize,
    rates: &mut RateConverter,
    settings: &MasterSettings,
) -> Result<PreparedTake, AudioError> {
    let named = |e: AudioError| match e {
        AudioError::Invalid(msg) => AudioError::Invalid(format!("take {} of {}: {msg}", i + 1, takes.len())),
        other => other,
    };
    let pcm = decode(takes[i].wav).map_err(named)?;
    let mono = convert_channels(&pcm.samples, pcm.channels, 1);
    // Measured at the engine's own rate: resampling keeps the loudness (its filter passes everything
    // the K-weighting counts) and there are fewer samples to filter before an upsampling.
    let loudness = LoudnessProfile::of(&mono, pcm.sample_rate).integrated(1.0);
    let mut mono = rates.convert(&mono, 1, pcm.sample_rate).map_err(named)?;
    // Under the −70 LUFS gate there is nothing to match, and boosting it would only raise noise.
    if let Some(lufs) = loudness {
        let gain = from_db((settings.target_lufs - lufs).clamp(-MAX_TAKE_GAIN_DB, MAX_TAKE_GAIN_DB)) as f32;
        mono.iter_mut().for_each(|s| *s *= gain);
    }
    Ok(PreparedTake {
        mono: mono.into(),
        lufs: loudness,
    })
}

fn spans(takes: &[Take<'_>], placements: &[Placement]) -> Vec<Span> {
    takes
        .iter()
        .zip(placements)
        .map(|(t, p)| Span {
            start_ms: p.start_ms,
            end_ms: p.end_ms,
            group: t.speaker,
        })
        .collect()
}

/// Samples per rendered block.
const RENDER_BLOCK: usize = 1 << 14;

/// MP3 chunks queued for the measuring thread.
const MP3_CHUNKS_AHEAD: usize = 64;

/// The limited master written as WAV on this thread while another encodes the MP3 from the same blocks
/// and a third measures the MP3 as it is written.
fn render(
    timeline: &[f32],
    reduction: &Reduction,
    gain: f32,
    settings: &MasterSettings,
    spans: &[Span],
) -> Result<(Vec<u8>, Vec<u8>, Measurements), AudioError> {
    let (rate, channels) = (settings.sample_rate, settings.channels);
    std::thread::scope(|scope| {
        let (bytes, chunks) = std::sync::mpsc::sync_channel::<Vec<u8>>(MP3_CHUNKS_AHEAD);
        let measure = scope.spawn(move || measure_mp3_stream(chunks, timeline.len(), spans));
        let encoder = scope.spawn(move || {
            let mut mp3 = Mp3Stream::new(rate, channels, settings.bitrate_kbps)?;
            mp3.reserve(timeline.len());
            let mut sent = 0;
            // A send fails only when the measuring has stopped on an error, which it reports itself.
            limited_blocks(timeline, reduction, gain, |block| {
                mp3.push_mono(block)?;
                let fresh = &mp3.written()[sent..];
                if !fresh.is_empty() {
                    sent += fresh.len();
                    let _ = bytes.send(fresh.to_vec());
                }
                Ok(())
            })?;
            let mp3 = mp3.finish()?;
            let _ = bytes.send(mp3[sent..].to_vec());
            Ok(mp3)
        });
        let wav = write_wav(timeline, reduction, gain, rate, channels);
        let mp3 = encoder.join().expect("the MP3 encoder does not panic");
        let measured = measure.join().expect("the MP3 measurement does not panic");
        Ok((wav?, mp3?, measured?))
    })
}

/// Hands the limited timeline to `sink` in blocks.
fn limited_blocks(
    timeline: &[f32],
    reduction: &Reduction,
    gain: f32,
    mut sink: impl FnMut(&[f32]) -> Result<(), AudioError>,
) -> Result<(), AudioError> {
    let mut block = Vec::with_capacity(RENDER_BLOCK);
    for from in (0..timeline.len()).step_by(RENDER_BLOCK) {
        block.clear();
        reduction.apply(
            timeline,
            gain,
            from..(from + RENDER_BLOCK).min(timeline.len()),
            &mut block,
        );
        sink(&block)?;
    }
    Ok(())
}

fn write_wav(
    timeline: &[f32],
    reduction: &Reduction,
    gain: f32,
    rate: u32,
    channels: u16,
) -> Result<Vec<u8>, AudioError> {
    let mut wav = Cursor::new(Vec::with_capacity(timeline.len() * 2 * usize::from(channels) + 64));
    let mut out = WavOut::new(&mut wav, rate, channels)?;
    let mut wide = Vec::new();
    limited_blocks(timeline, reduction, gain, |block| {
        if channels == 1 {
            return out.write(block);
        }
        wide.clear();
        wide.extend(block.iter().flat_map(|&s| [s, s]));
        out.write(&wide)
    })?;
    out.finish()?;
    Ok(wav.into_inner())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;
    use std::process::Command;

    use hound::{SampleFormat, WavSpec, WavWriter};

    use super::*;
    use crate::loudness::measure_mp3;

    /// The unit tests' voice: speech-like, with a little noise.
    pub fn speechy(rate: u32, ms: u64, seed: u32) -> Vec<f32> {
        crate::synthetic::speech_like(rate, ms, seed, 0.02, 0.0)
    }

    pub use crate::synthetic::at_lufs;

    /// 32-bit float WAV: values over full scale survive, as a hostile engine could send them.
    pub fn float_wav(rate: u32, samples: &[f32]) -> Vec<u8> {
        let spec = WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 32,
            sample_format: SampleFormat::Float,
        };
        let mut cursor = Cursor::new(Vec::new());
        let mut w = WavWriter::new(&mut cursor, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        cursor.into_inner()
    }

    /// ffmpeg's own reading of an MP3: (integrated LUFS, true peak dBTP).
    pub fn ffmpeg_reading(mp3: &[u8]) -> (f64, f64) {
        let mut file = tempfile::Builder::new().suffix(".mp3").tempfile().unwrap();
        file.write_all(mp3).unwrap();
        let out = Command::new("ffmpeg")
            .args(["-nostats", "-hide_banner", "-i"])
            .arg(file.path())
            .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
            .output()
            .expect("ffmpeg is installed (.ci/setup.sh)");
        let text = String::from_utf8_lossy(&out.stderr);
        let summary = &text[text.rfind("Summary:").expect("ebur128 summary")..];
        let value = |label: &str| -> f64 {
            let line = summary.lines().find(|l| l.trim_start().starts_with(label)).unwrap();
            line.split_whitespace().nth(1).unwrap().parse().unwrap()
        };
        (value("I:"), value("Peak:"))
    }

    pub fn assert_on_spec(m: &Mastered, s: &MasterSettings) {
        let i = m.measured.integrated_lufs.unwrap();
        let tp = m.measured.true_peak_dbtp.unwrap();
        assert!((i - s.target_lufs).abs() <= LOUDNESS_TOLERANCE_LU, "integrated {i}");
        assert!(tp <= s.ceiling_dbtp, "true peak {tp}");
        let (fi, ftp) = ffmpeg_reading(&m.mp3);
        assert!(
            (fi - s.target_lufs).abs() <= LOUDNESS_TOLERANCE_LU,
            "ffmpeg integrated {fi}"
        );
        assert!(ftp <= s.ceiling_dbtp, "ffmpeg true peak {ftp}");
        // Our gate's figures agree with the independent meter.
        assert!((fi - i).abs() <= 0.2, "ours {i:.2} LUFS vs ffmpeg {fi}");
        assert!((ftp - tp).abs() <= 0.2, "ours {tp:.2} dBTP vs ffmpeg {ftp}");
    }

    #[test]
    fn the_mp3_measured_while_it_is_written_reads_as_the_finished_file() {
        // The gate's figures come from the stream; they must be the finished file's, sample for sample.
        for (rate, channels) in [(44_100, 1), (48_000, 2), (22_050, 1)] {
            let timeline = at_lufs(speechy(rate, 7_000, 12), rate, -16.0);
            let settings = MasterSettings {
                sample_rate: rate,
                channels,
                ..MasterSettings::default()
            };
            let spans = [
                Span {
                    start_ms: 0,
                    end_ms: 3_000,
                    group: 0,
                },
                Span {
                    start_ms: 3_500,
                    end_ms: 7_000,
                    group: 1,
                },
            ];
            let limiter = Limiter::new(rate);
            let mut peaks = limiter.peaks(&timeline);
            let reduction = limiter.reduction(&timeline, &mut peaks, 1.0, 0.5);
            let (_, mp3, streamed) = render(&timeline, &reduction, 1.0, &settings, &spans).unwrap();
            assert_eq!(
                streamed,
                measure_mp3(&mp3, &spans).unwrap(),
                "{rate} Hz, {channels} channels"
            );
        }
    }

    #[test]
    fn a_whisper_next_to_a_shout_comes_out_level_and_on_spec() {
        // Host 0 at −40 LUFS (22.05 kHz, like espeak-ng), host 1 at −8 LUFS with samples past full scale
        // (48 kHz float, like a hot cloud engine).
        let quiet: Vec<Vec<u8>> = (0..3)
            .map(|i| float_wav(22_050, &at_lufs(speechy(22_050, 4_000, i), 22_050, -40.0)))
            .collect();
        let loud: Vec<Vec<u8>> = (0..3)
            .map(|i| float_wav(48_000, &at_lufs(speechy(48_000, 4_000, 10 + i), 48_000, -8.0)))
            .collect();
        let peak = decode(&loud[0])
            .unwrap()
            .samples
            .iter()
            .fold(0f32, |m, s| m.max(s.abs()));
        assert!(peak > 1.0, "the loud take should overshoot full scale, peak {peak}");
        let takes: Vec<Take> = (0..6)
            .map(|i| Take {
                wav: if i % 2 == 0 { &quiet[i / 2] } else { &loud[i / 2] },
                speaker: i % 2,
            })
            .collect();
        let s = MasterSettings::default();
        let m = master(&takes, &s).unwrap();
        assert_eq!((m.sample_rate, m.channels), (44_100, 1));
        assert_eq!(m.placements.len(), 6);
        assert_eq!(m.placements[1].start_ms, 4_350);
        assert_on_spec(&m, &s);
        let hosts: Vec<f64> = m.measured.group_lufs.iter().map(|g| g.unwrap()).collect();
        assert!((hosts[0] - hosts[1]).abs() <= 1.5, "speaker balance {hosts:?}");
    }

    #[test]
    fn inter_sample_peaks_are_held_under_the_ceiling() {
        // Bursts at fs/4 with a 45° phase: the samples read −3 dB under the true peak.
        let rate = 44_100;
        let mut samples = at_lufs(speechy(rate, 6_000, 3), rate, -18.0);
        for burst in 0..6 {
            let at = burst * rate as usize + 1_000;
            for (j, s) in samples[at..at + 2_000].iter_mut().enumerate() {
                *s = 0.99 * (std::f32::consts::FRAC_PI_2 * j as f32 + std::f32::consts::FRAC_PI_4).sin();
            }
        }
        let wav = float_wav(rate, &samples);
        let s = MasterSettings {
            channels: 2,
            bitrate_kbps: 192,
            ..MasterSettings::default()
        };
        let m = master(&[Take { wav: &wav, speaker: 0 }], &s).unwrap();
        assert_eq!(m.channels, 2);
        assert_on_spec(&m, &s);
    }

    #[test]
    fn a_near_silent_take_is_not_pumped_up_and_an_all_silent_master_is_refused() {
        let rate = 24_000;
        let hiss: Vec<f32> = speechy(rate, 3_000, 5).into_iter().map(|s| s * 1e-4).collect();
        let hiss = float_wav(rate, &hiss);
        let talk = float_wav(rate, &at_lufs(speechy(rate, 5_000, 6), rate, -23.0));
        let takes = [
            Take { wav: &talk, speaker: 0 },
            Take { wav: &hiss, speaker: 1 },
            Take { wav: &talk, speaker: 0 },
        ];
        let s = MasterSettings::default();
        let m = master(&takes, &s).unwrap();
        assert_on_spec(&m, &s);
        assert_eq!(m.measured.group_lufs[1], None, "the hiss stays under the −70 LUFS gate");

        let err = master(&[Take { wav: &hiss, speaker: 0 }], &s).unwrap_err();
        assert_eq!(err.code(), "audio_invalid");
        assert!(err.to_string().contains("silent"), "{err}");
    }

    #[test]
    fn another_target_and_48_khz_are_honoured() {
        let wav = float_wav(22_050, &at_lufs(speechy(22_050, 8_000, 8), 22_050, -30.0));
        let s = MasterSettings {
            sample_rate: 48_000,
            target_lufs: -20.0,
            ceiling_dbtp: -2.0,
            bitrate_kbps: 96,
            ..MasterSettings::default()
        };
        let m = master(&[Take { wav: &wav, speaker: 0 }], &s).unwrap();
        assert_eq!(m.measured.sample_rate, 48_000);
        assert_on_spec(&m, &s);
    }

    #[test]
    fn a_three_hour_episode_masters_without_drift() {
        // 1,080 takes of 10 s at 22.05 kHz (one buffer, referenced again and again) with 350 ms pauses.
        let take = float_wav(22_050, &at_lufs(speechy(22_050, 10_000, 9), 22_050, -21.0));
        let takes: Vec<Take> = (0..1_080)
            .map(|i| Take {
                wav: &take,
                speaker: i % 2,
            })
            .collect();
        let s = MasterSettings::default();
        let m = master(&takes, &s).unwrap();
        let want_ms = 1_080 * 10_000 + 1_079 * 350;
        assert_eq!(m.duration_ms, want_ms);
        assert_eq!(m.placements[1_079].start_ms, 1_079 * 10_350);
        assert!((m.measured.duration_ms as i64 - want_ms as i64).abs() <= 50);
        let i = m.measured.integrated_lufs.unwrap();
        assert!((i + 16.0).abs() <= LOUDNESS_TOLERANCE_LU, "integrated {i}");
        assert!(m.measured.true_peak_dbtp.unwrap() <= -1.0);
    }

    #[test]
    fn bad_takes_and_settings_are_coded() {
        assert_eq!(
            master(&[], &MasterSettings::default()).unwrap_err().code(),
            "audio_invalid"
        );
        let good = float_wav(22_050, &speechy(22_050, 500, 1));
        let err = master(
            &[
                Take { wav: &good, speaker: 0 },
                Take {
                    wav: b"nope",
                    speaker: 1,
                },
            ],
            &MasterSettings::default(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "audio_invalid");
        assert!(err.to_string().contains("take 2 of 2"), "{err}");
        let s = MasterSettings {
            channels: 6,
            ..MasterSettings::default()
        };
        assert_eq!(
            master(&[Take { wav: &good, speaker: 0 }], &s).unwrap_err().code(),
            "audio_invalid"
        );
    }
}
