//! The show's music on the speech timeline, before loudness is fitted: where the beds and stings sit
//! (the lead-in, the pauses the stings need, the outro's play-out), each one levelled against the
//! speech, faded at its ends, and the beds ducked under the speech by a side-chain.
//!
//! The side-chain listens to the timeline in 10 ms hops: a hop is "speech" when its RMS is within
//! [`ACTIVITY_BELOW_SPEECH_DB`] of the speech's loudness. The bed's gain is driven down to
//! −`duck_depth_db` from [`ATTACK_MS`] ahead of the first active hop (look-ahead: the whole timeline
//! is in memory, so the bed is already down when the first syllable lands), held through short pauses
//! and let back up over [`RELEASE_MS`]. The gain moves at a bounded rate in dB per hop and is
//! interpolated sample by sample, so it ramps and never steps. Everything is linear in the length of
//! the music, one gain per hop, and nothing is allocated per sample.

use std::ops::Range;

use crate::gating::LoudnessProfile;
use crate::loudness::from_db;
use crate::music::{decode_music, MusicBeds};
use crate::wav::{frames_to_ms, ms_to_frames};
use crate::AudioError;

/// The intro plays this long in the clear before the first line (half the bed if it is shorter):
/// enough to set the mood, short enough not to keep the listener waiting.
const INTRO_LEAD_IN_MS: u64 = 3_000;
/// The intro runs on under the speech at most this long after the lead-in, then fades: a full-length
/// track would otherwise sit under the first minutes of talk.
const INTRO_MAX_UNDER_MS: u64 = 30_000;
const INTRO_FADE_OUT_MS: u64 = 2_000;
/// A bed's fade in: hides a file that starts mid-note without losing its attack.
const BED_FADE_IN_MS: u64 = 500;
/// The outro comes in (ducked) this long before the last line ends, at most the line's own length.
const OUTRO_UNDER_MS: u64 = 4_000;
/// The outro's play-out after the last line is cut at this (an episode ends, not an album), and fades
/// over its last [`OUTRO_FADE_OUT_MS`].
const OUTRO_MAX_TAIL_MS: u64 = 12_000;
const OUTRO_FADE_OUT_MS: u64 = 3_000;
/// A sting is a cue, not a track: a longer file is cut here with [`STING_CUT_FADE_OUT_MS`].
const STING_MAX_MS: u64 = 10_000;
/// Silence each side of a sting, at least (the show's pause between lines when that is longer).
const STING_MIN_PAD_MS: u64 = 300;
/// A sting is a cue heard on its own between segments, not a bed under talk: it sits this close to the
/// speech's loudness rather than at the show's bed level.
const STING_LEVEL_LU: f64 = -3.0;
/// A sting's own fades only take the click off its ends.
const STING_FADE_IN_MS: u64 = 10;
const STING_FADE_OUT_MS: u64 = 50;
const STING_CUT_FADE_OUT_MS: u64 = 1_000;
/// Music is never boosted or cut more than this to reach its level (a near-silent file stays quiet).
const MAX_MUSIC_GAIN_DB: f64 = 30.0;
/// Side-chain hop.
const HOP_MS: u64 = 10;
/// The duck reaches full depth over this, starting this far ahead of the speech.
pub(crate) const ATTACK_MS: u64 = 80;
/// The bed stays down this long after speech stops: through the dips between words and the pause
/// between lines, so it does not pump.
const HOLD_MS: u64 = 300;
/// After the hold, the bed comes back up over this.
const RELEASE_MS: u64 = 450;
/// A hop is speech when its RMS is no more than this under the speech's loudness (TTS pauses are
/// digital silence or a far lower noise floor).
pub(crate) const ACTIVITY_BELOW_SPEECH_DB: f64 = 35.0;

/// Which music a stretch of the master is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MusicCue {
    Intro,
    Outro,
    Sting,
}

/// Where one piece of music plays in the master, in milliseconds from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MusicPlacement {
    pub cue: MusicCue,
    pub start_ms: u64,
    pub end_ms: u64,
}

/// One piece of music laid on the timeline, in frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Laid {
    pub cue: MusicCue,
    pub frames: Range<usize>,
}

impl Laid {
    pub fn placement(&self, rate: u32) -> MusicPlacement {
        MusicPlacement {
            cue: self.cue,
            start_ms: frames_to_ms(self.frames.start as u64, rate),
            end_ms: frames_to_ms(self.frames.end as u64, rate),
        }
    }
}

/// A decoded music file at the master rate.
struct Track {
    samples: Vec<f32>,
}

impl Track {
    fn new(samples: Vec<f32>) -> Track {
        Track { samples }
    }

    fn len(&self) -> usize {
        self.samples.len()
    }

    /// The gain that puts the first `played` frames of this track at `lufs` in the clear: what is heard
    /// is levelled, not the whole file (a track may open quietly and build).
    fn gain_to(&self, played: usize, rate: u32, lufs: f64) -> f32 {
        LoudnessProfile::of(&self.samples[..played], rate)
            .integrated(1.0)
            .map_or(1.0, |own| {
                from_db((lufs - own).clamp(-MAX_MUSIC_GAIN_DB, MAX_MUSIC_GAIN_DB)) as f32
            })
    }
}

/// The show's music decoded for one master, and the timeline layout it asks for.
pub(crate) struct Music {
    rate: u32,
    intro: Option<Track>,
    outro: Option<Track>,
    sting: Option<Track>,
    /// Whether the sting was longer than [`STING_MAX_MS`] and cut.
    sting_cut: bool,
    /// Per take: a sting plays in the pause before it.
    sting_before: Vec<bool>,
    duck_depth_db: f64,
    bed_level_lu: f64,
}

impl Music {
    /// Decodes each file at `rate` (in parallel). Sting indices outside `1..takes` are ignored: the
    /// first line has nothing before it to separate, and an index past the end has no line.
    pub fn decode(beds: &MusicBeds<'_>, takes: usize, rate: u32) -> Result<Music, AudioError> {
        let named = |what: &str, e: AudioError| match e {
            AudioError::MusicUnreadable(msg) => AudioError::MusicUnreadable(format!("the {what}: {msg}")),
            other => other,
        };
        let decode = |bytes: Option<&[u8]>, what: &'static str| {
            bytes
                .map(|b| decode_music(b, rate).map(Track::new).map_err(|e| named(what, e)))
                .transpose()
        };
        let (intro, outro, sting) = if beds.is_empty() {
            (Ok(None), Ok(None), Ok(None))
        } else {
            std::thread::scope(|scope| {
                let intro = scope.spawn(|| decode(beds.intro, "intro bed"));
                let outro = scope.spawn(|| decode(beds.outro, "outro bed"));
                let sting = decode(beds.sting, "sting");
                (
                    intro.join().expect("decoding does not panic"),
                    outro.join().expect("decoding does not panic"),
                    sting,
                )
            })
        };
        let mut sting = sting?;
        let max = ms_to_frames(STING_MAX_MS, rate) as usize;
        let sting_cut = sting.as_ref().is_some_and(|s| s.len() > max);
        if let Some(s) = sting.as_mut() {
            s.samples.truncate(max);
        }
        let mut sting_before = vec![false; takes];
        if sting.is_some() {
            for &i in beds.sting_before {
                if (1..takes).contains(&i) {
                    sting_before[i] = true;
                } else {
                    tracing::warn!(index = i, takes, "no sting before a take that does not open a segment");
                }
            }
        }
        Ok(Music {
            rate,
            intro: intro?,
            outro: outro?,
            sting,
            sting_cut,
            sting_before,
            // Out-of-range settings are held to what a mix can use; a NaN would silence the master.
            duck_depth_db: finite_or(beds.duck_depth_db, MusicBeds::default().duck_depth_db).clamp(0.0, 60.0),
            bed_level_lu: finite_or(beds.bed_level_lu, MusicBeds::default().bed_level_lu).clamp(-40.0, 10.0),
        })
    }

    fn frames(&self, ms: u64) -> usize {
        ms_to_frames(ms, self.rate) as usize
    }

    /// Frames before the first line.
    pub fn lead_in(&self) -> usize {
        self.intro
            .as_ref()
            .map_or(0, |t| self.frames(INTRO_LEAD_IN_MS).min(t.len() / 2))
    }

    fn sting_pad(&self, gap: usize) -> usize {
        gap.max(self.frames(STING_MIN_PAD_MS))
    }

    /// Frames of pause before take `i > 0`: the show's gap, or a sting with its pads.
    pub fn pause_before(&self, i: usize, gap: usize) -> usize {
        match &self.sting {
            Some(sting) if self.sting_before[i] => 2 * self.sting_pad(gap) + sting.len(),
            _ => gap,
        }
    }

    /// How much of the outro plays under the last line (of `last` frames).
    fn outro_under(&self, last: usize) -> usize {
        self.outro
            .as_ref()
            .map_or(0, |t| self.frames(OUTRO_UNDER_MS).min(last).min(t.len() / 2))
    }

    /// Frames after the last line (of `last` frames): the outro's play-out.
    pub fn tail(&self, last: usize) -> usize {
        self.outro.as_ref().map_or(0, |t| {
            (t.len() - self.outro_under(last)).min(self.frames(OUTRO_MAX_TAIL_MS))
        })
    }

    /// Lays the music onto `timeline`, which holds the speech at `takes` (laid out with
    /// [`Music::lead_in`], [`Music::pause_before`] and [`Music::tail`]) measuring `speech_lufs`.
    /// Returns what was laid where, in timeline order.
    pub fn mix(&self, timeline: &mut [f32], takes: &[Range<usize>], gap: usize, speech_lufs: f64) -> Vec<Laid> {
        let level = speech_lufs + self.bed_level_lu;
        let mut laid = Vec::new();
        // Stings first, in the clear: the side-chain then hears them too, so a bed never plays at full
        // level under a sting.
        if let Some(sting) = &self.sting {
            let pad = self.sting_pad(gap);
            let fade_out = if self.sting_cut {
                STING_CUT_FADE_OUT_MS
            } else {
                STING_FADE_OUT_MS
            };
            let fades = Fades {
                fade_in: self.frames(STING_FADE_IN_MS).min(sting.len() / 4),
                fade_out: self.frames(fade_out).min(sting.len() / 2),
            };
            let gain = sting.gain_to(sting.len(), self.rate, speech_lufs + STING_LEVEL_LU);
            for (i, _) in self.sting_before.iter().enumerate().filter(|(_, &s)| s) {
                let at = takes[i - 1].end + pad;
                let frames = at..at + sting.len();
                lay(&mut timeline[frames.clone()], &sting.samples, gain, fades, None);
                laid.push(Laid {
                    cue: MusicCue::Sting,
                    frames,
                });
            }
        }
        let mut beds = Vec::new();
        if let (Some(intro), Some(first)) = (&self.intro, takes.first()) {
            let len = intro
                .len()
                .min(first.start + self.frames(INTRO_MAX_UNDER_MS))
                .min(timeline.len());
            beds.push((MusicCue::Intro, intro, 0..len, INTRO_FADE_OUT_MS));
        }
        if let (Some(outro), Some(last)) = (&self.outro, takes.last()) {
            let from = last.end - self.outro_under(last.len());
            let to = (from + outro.len()).min(timeline.len());
            beds.push((MusicCue::Outro, outro, from..to, OUTRO_FADE_OUT_MS));
        }
        // Every duck is worked out before any bed is on the timeline (the stings are: beds duck under them).
        let ducks: Vec<Duck> = beds
            .iter()
            .map(|(_, _, frames, _)| self.duck(timeline, frames.clone(), speech_lufs))
            .collect();
        for ((cue, track, frames, fade_out), duck) in beds.into_iter().zip(&ducks) {
            let len = frames.len();
            let fades = Fades {
                fade_in: self.frames(BED_FADE_IN_MS).min(len / 4),
                fade_out: self.frames(fade_out).min(len / 2),
            };
            lay(
                &mut timeline[frames.clone()],
                &track.samples[..len],
                track.gain_to(len, self.rate, level),
                fades,
                Some(duck),
            );
            laid.push(Laid { cue, frames });
        }
        laid.sort_by_key(|l| l.frames.start);
        laid
    }

    /// The bed's ducking gain over `frames` of `timeline`, from the speech around it.
    fn duck(&self, timeline: &[f32], frames: Range<usize>, speech_lufs: f64) -> Duck {
        let hop = self.frames(HOP_MS).max(1);
        let hops = |ms: u64| (self.frames(ms) / hop).max(1);
        let (attack, hold, release) = (hops(ATTACK_MS), hops(HOLD_MS), hops(RELEASE_MS));
        // Gains are at the start of each hop of the bed, plus one at its end.
        let points = frames.len().div_ceil(hop) + 1;
        // Activity of the hops from `hold` before the bed to `attack` after it, as a running count.
        let threshold = from_db(speech_lufs - ACTIVITY_BELOW_SPEECH_DB).powi(2);
        let first = frames.start as isize - (hold * hop) as isize;
        let mut active = Vec::with_capacity(points + hold + attack + 1);
        active.push(0u32);
        let end = timeline.len() as isize;
        for k in 0..points + hold + attack {
            // Hops before the timeline's start or past its end are silence.
            let at = first + (k * hop) as isize;
            let window = &timeline[at.clamp(0, end) as usize..(at + hop as isize).clamp(0, end) as usize];
            let energy = window.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>();
            let speech = !window.is_empty() && energy / window.len() as f64 >= threshold;
            active.push(active[k] + u32::from(speech));
        }
        // Point h (hop `hold + h` of `active`) is ducked when speech is within `hold` behind it or
        // `attack` ahead; the gain then slews there at a bounded rate in dB.
        let depth = self.duck_depth_db;
        let (down, up) = (depth / attack as f64, depth / release as f64);
        let target = |h: usize| {
            if active[h + hold + attack + 1] > active[h] {
                -depth
            } else {
                0.0
            }
        };
        let mut db = target(0);
        let gains = (0..points)
            .map(|h| {
                db = target(h).clamp(db - down, db + up);
                from_db(db) as f32
            })
            .collect();
        Duck { hop, gains }
    }
}

fn finite_or(v: f64, or: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        or
    }
}

/// A bed's ducking gain: linear, one value per hop, interpolated in between.
struct Duck {
    hop: usize,
    gains: Vec<f32>,
}

#[derive(Debug, Clone, Copy)]
struct Fades {
    fade_in: usize,
    fade_out: usize,
}

/// Quarter-sine fade gain `at` frames into a fade of `len`.
fn fade(at: usize, len: usize) -> f32 {
    (std::f32::consts::FRAC_PI_2 * at as f32 / len as f32).sin()
}

/// Adds `music * gain`, faded and ducked, onto `out` (as long as `music`).
fn lay(out: &mut [f32], music: &[f32], gain: f32, fades: Fades, duck: Option<&Duck>) {
    let len = out.len();
    for (j, (o, &m)) in out.iter_mut().zip(music).enumerate() {
        let mut g = gain;
        if j < fades.fade_in {
            g *= fade(j, fades.fade_in);
        }
        if len - j <= fades.fade_out {
            g *= fade(len - j - 1, fades.fade_out);
        }
        if let Some(d) = duck {
            let (h, frac) = (j / d.hop, (j % d.hop) as f32 / d.hop as f32);
            g *= d.gains[h] + (d.gains[h + 1] - d.gains[h]) * frac;
        }
        *o += m * g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mastering::tests::{at_lufs, speechy};

    const RATE: u32 = 44_100;

    fn tone(hz: f64, ms: u64, amplitude: f32) -> Vec<f32> {
        (0..ms_to_frames(ms, RATE))
            .map(|i| amplitude * (2.0 * std::f64::consts::PI * hz * i as f64 / f64::from(RATE)).sin() as f32)
            .collect()
    }

    fn music(intro: Option<Vec<f32>>, outro: Option<Vec<f32>>, sting: Option<Vec<f32>>, takes: usize) -> Music {
        Music {
            rate: RATE,
            intro: intro.map(Track::new),
            outro: outro.map(Track::new),
            sting: sting.map(Track::new),
            sting_cut: false,
            sting_before: vec![false; takes],
            duck_depth_db: 15.0,
            bed_level_lu: -6.0,
        }
    }

    fn rms_db(samples: &[f32]) -> f64 {
        let e = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / samples.len() as f64;
        10.0 * e.log10()
    }

    /// Speech laid out the way mastering lays it for `music`: (timeline, takes).
    fn speech_for(m: &Music, lines: &[Vec<f32>], gap: usize) -> (Vec<f32>, Vec<Range<usize>>) {
        let mut timeline = vec![0.0; m.lead_in()];
        let mut takes = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                timeline.resize(timeline.len() + m.pause_before(i, gap), 0.0);
            }
            takes.push(timeline.len()..timeline.len() + line.len());
            timeline.extend_from_slice(line);
        }
        timeline.resize(timeline.len() + m.tail(lines.last().unwrap().len()), 0.0);
        (timeline, takes)
    }

    #[test]
    fn a_bed_ducks_under_speech_by_its_depth_and_is_up_in_the_clear() {
        // A bed 10 LU louder than the speech: levelled to speech − 6 LU, then ducked 15 dB under it.
        let lines: Vec<Vec<f32>> = (0..2).map(|i| at_lufs(speechy(RATE, 6_000, i), RATE, -16.0)).collect();
        let bed = at_lufs(tone(3_000.0, 40_000, 0.5), RATE, -6.0);
        let m = music(Some(bed), None, None, 2);
        let gap = ms_to_frames(350, RATE) as usize;
        let (speech, takes) = speech_for(&m, &lines, gap);
        assert_eq!(
            takes[0].start,
            ms_to_frames(3_000, RATE) as usize,
            "three seconds of lead-in"
        );
        let mut mixed = speech.clone();
        let laid = m.mix(&mut mixed, &takes, gap, -16.0);
        assert_eq!(laid.len(), 1);
        let bed_only: Vec<f32> = mixed.iter().zip(&speech).map(|(m, s)| m - s).collect();
        let at = |ms: u64| ms_to_frames(ms, RATE) as usize;
        // The levelled bed in the clear: 6 LU under the speech's −16 LUFS.
        let clear_lufs = LoudnessProfile::of(&bed_only[at(600)..at(2_900)], RATE)
            .integrated(1.0)
            .unwrap();
        assert!(
            (clear_lufs + 22.0).abs() < 0.3,
            "bed in the clear at {clear_lufs:.1} LUFS"
        );
        let clear = rms_db(&bed_only[at(1_000)..at(2_800)]);
        for (what, range) in [("first line", at(3_000)..at(9_000)), ("second line", takes[1].clone())] {
            let under = rms_db(&bed_only[range]);
            assert!(
                clear - under >= 15.0 - 2.0,
                "{what}: bed only {:.1} dB down",
                clear - under
            );
        }
        // The bed was already down when the first syllable landed.
        let onset = rms_db(&bed_only[at(3_000)..at(3_020)]);
        assert!(
            clear - onset >= 13.0,
            "at the first syllable the bed is {:.1} dB down",
            clear - onset
        );
    }

    #[test]
    fn what_is_heard_of_a_bed_is_levelled_not_the_whole_file() {
        // A track that opens at a whisper and is loud after the part the intro plays.
        let quiet = at_lufs(tone(3_000.0, 40_000, 0.5), RATE, -40.0);
        let loud = at_lufs(tone(3_000.0, 80_000, 0.5), RATE, -6.0);
        let lines: Vec<Vec<f32>> = (0..2).map(|i| at_lufs(speechy(RATE, 6_000, i), RATE, -16.0)).collect();
        let m = music(Some([quiet, loud].concat()), None, None, 2);
        let gap = ms_to_frames(350, RATE) as usize;
        let (speech, takes) = speech_for(&m, &lines, gap);
        let mut mixed = speech.clone();
        m.mix(&mut mixed, &takes, gap, -16.0);
        let lead_in = &mixed[ms_to_frames(600, RATE) as usize..ms_to_frames(2_900, RATE) as usize];
        let level = LoudnessProfile::of(lead_in, RATE).integrated(1.0).unwrap();
        assert!((level + 22.0).abs() < 0.5, "the intro opens at {level:.1} LUFS");
    }

    #[test]
    fn ducking_ramps_without_clicks() {
        // Speech that starts and stops abruptly, over a bed: the bed's largest step from one sample to
        // the next may not exceed the music's own (a hard gain switch would jump by most of the peak).
        let mut lines = Vec::new();
        for i in 0..4 {
            lines.push(at_lufs(speechy(RATE, 1_500, i), RATE, -16.0));
        }
        let bed = at_lufs(tone(220.0, 30_000, 0.5), RATE, -20.0);
        let own_jump = bed.windows(2).map(|w| (w[1] - w[0]).abs()).fold(0f32, f32::max);
        let m = music(Some(bed), None, None, 4);
        let gap = ms_to_frames(1_200, RATE) as usize;
        let (speech, takes) = speech_for(&m, &lines, gap);
        let mut mixed = speech.clone();
        let laid = m.mix(&mut mixed, &takes, gap, -16.0);
        let bed_only: Vec<f32> = mixed.iter().zip(&speech).map(|(m, s)| m - s).collect();
        let gain = m.intro.as_ref().unwrap().gain_to(laid[0].frames.len(), RATE, -22.0);
        let jump = bed_only.windows(2).map(|w| (w[1] - w[0]).abs()).fold(0f32, f32::max);
        assert!(
            jump <= own_jump * gain * 1.05,
            "largest step {jump:.5} against the levelled music's own {:.5}",
            own_jump * gain
        );
        // And the bed did come back up in the long pauses (the ducking really switched).
        let pause = takes[1].end + gap / 2..takes[2].start;
        let inside = takes[1].start + 4_000..takes[1].end - 4_000;
        assert!(rms_db(&bed_only[pause]) - rms_db(&bed_only[inside]) > 6.0);
    }

    #[test]
    fn stings_sit_in_the_clear_between_segments() {
        let lines: Vec<Vec<f32>> = (0..5).map(|i| at_lufs(speechy(RATE, 2_000, i), RATE, -16.0)).collect();
        let mut m = music(None, None, Some(tone(660.0, 1_500, 0.3)), 5);
        m.sting_before[2] = true;
        m.sting_before[4] = true;
        let gap = ms_to_frames(350, RATE) as usize;
        let (speech, takes) = speech_for(&m, &lines, gap);
        let mut mixed = speech.clone();
        let laid = m.mix(&mut mixed, &takes, gap, -16.0);
        let stings: Vec<_> = laid.iter().filter(|l| l.cue == MusicCue::Sting).collect();
        assert_eq!(stings.len(), 2);
        for (s, i) in stings.iter().zip([2, 4]) {
            assert!(s.frames.start > takes[i - 1].end && s.frames.end < takes[i].start);
            assert_eq!(s.frames.len(), ms_to_frames(1_500, RATE) as usize);
            // Short fades: nothing at the very ends, full level just inside.
            assert!(mixed[s.frames.start].abs() < 1e-6);
            // A cue in its own right: 3 LU under the speech, not down at the bed level.
            let level = LoudnessProfile::of(&mixed[s.frames.clone()], RATE)
                .integrated(1.0)
                .unwrap();
            assert!(
                (level - (-16.0 + STING_LEVEL_LU)).abs() < 0.5,
                "the sting reads {level:.1} LUFS"
            );
        }
        // Nothing else changed.
        assert_eq!(mixed[..stings[0].frames.start], speech[..stings[0].frames.start]);
    }

    #[test]
    fn the_outro_plays_out_and_fades() {
        let lines: Vec<Vec<f32>> = (0..2).map(|i| at_lufs(speechy(RATE, 6_000, i), RATE, -16.0)).collect();
        let m = music(None, Some(at_lufs(tone(500.0, 60_000, 0.5), RATE, -10.0)), None, 2);
        let gap = ms_to_frames(350, RATE) as usize;
        let (speech, takes) = speech_for(&m, &lines, gap);
        assert_eq!(
            speech.len() - takes[1].end,
            ms_to_frames(OUTRO_MAX_TAIL_MS, RATE) as usize
        );
        let mut mixed = speech.clone();
        let laid = m.mix(&mut mixed, &takes, gap, -16.0);
        assert_eq!(
            laid[0].frames.start,
            takes[1].end - ms_to_frames(OUTRO_UNDER_MS, RATE) as usize
        );
        assert_eq!(laid[0].frames.end, mixed.len());
        let at = |ms: u64| takes[1].end + ms_to_frames(ms, RATE) as usize;
        let middle = rms_db(&mixed[at(5_500)..at(6_500)]);
        let last = rms_db(&mixed[mixed.len() - ms_to_frames(1_000, RATE) as usize..]);
        assert!(middle - last > 6.0, "middle {middle:.1} dB, last second {last:.1} dB");
        assert!(mixed.last().unwrap().abs() < 1e-4, "the fade ends in silence");
    }
}
