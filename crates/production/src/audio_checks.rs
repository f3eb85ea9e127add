//! The audio gate's checks on the MP3 that ships. The measuring is the audio crate's (BS.1770-4 via
//! `ebur128`); here each figure is held to its target, and a failure is sorted into what another
//! mastering pass can fix (loudness, true peak, format, clipping: sent back with a correction) and
//! what it cannot (silence, length, missing lines, balance, range: the producer decides).

use showrunner_audio::{Measurements, Span};
use showrunner_domain::artifacts::{CheckFigure, Cue, GateCheck, GateReport, MasterCorrection};
use showrunner_domain::{GateVerdict, MasteringSettings};

use showrunner_audio::LOUDNESS_TOLERANCE_LU;

/// Longest pause allowed inside an episode.
pub const MAX_SILENCE_MS: u64 = 3_000;
/// How far the master's length may stray from the target (speech engines read at different paces).
pub const DURATION_TOLERANCE: f64 = 0.30;
/// Widest loudness range for speech (ffmpeg loudnorm's and the usual podcast default).
pub const MAX_LOUDNESS_RANGE_LU: f64 = 11.0;
/// Hosts must sit this close to each other.
pub const MAX_SPEAKER_SPREAD_LU: f64 = 1.5;
/// Every check must pass.
pub const AUDIO_THRESHOLD: f64 = 1.0;

/// What the master was meant to be.
pub struct Expected {
    pub settings: MasteringSettings,
    pub planned_ms: u64,
    /// How much of the master is the show's music (intro lead-in, outro play-out, stings), not held to the
    /// plan.
    pub music_ms: u64,
    pub line_ids: Vec<String>,
    /// Host names in the order of [`speaker_spans`]' groups.
    pub speakers: Vec<String>,
}

/// Each cue as a span of its speaker's group, and the speakers in group order.
pub fn speaker_spans(cues: &[Cue]) -> (Vec<Span>, Vec<String>) {
    let mut speakers: Vec<String> = Vec::new();
    let spans = cues
        .iter()
        .map(|c| {
            let group = speakers.iter().position(|s| s == &c.speaker).unwrap_or_else(|| {
                speakers.push(c.speaker.clone());
                speakers.len() - 1
            });
            Span {
                start_ms: c.start_ms,
                end_ms: c.end_ms,
                group,
            }
        })
        .collect();
    (spans, speakers)
}

struct Check {
    name: &'static str,
    measured: Option<f64>,
    unit: &'static str,
    target: String,
    passed: bool,
    detail: String,
    /// Another mastering pass can fix it.
    technical: bool,
}

fn fmt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "nothing to measure".to_owned(), |v| format!("{v:.1} {unit}"))
}

fn checks(m: &Measurements, cues: &[Cue], e: &Expected) -> Vec<Check> {
    let s = &e.settings;
    let mut out = Vec::new();
    let loud_ok = m
        .integrated_lufs
        .is_some_and(|i| (i - s.target_lufs).abs() <= LOUDNESS_TOLERANCE_LU);
    out.push(Check {
        name: "Integrated loudness",
        measured: m.integrated_lufs,
        unit: "LUFS",
        target: format!("{:.1} ±{LOUDNESS_TOLERANCE_LU}", s.target_lufs),
        passed: loud_ok,
        detail: format!(
            "{} against {:.1} ±{LOUDNESS_TOLERANCE_LU} LUFS.",
            fmt(m.integrated_lufs, "LUFS"),
            s.target_lufs
        ),
        technical: true,
    });
    out.push(Check {
        name: "True peak",
        measured: m.true_peak_dbtp,
        unit: "dBTP",
        target: format!("≤ {:.1}", s.ceiling_dbtp),
        passed: m.true_peak_dbtp.is_none_or(|p| p <= s.ceiling_dbtp),
        detail: format!(
            "{} (ceiling {:.1} dBTP).",
            fmt(m.true_peak_dbtp, "dBTP"),
            s.ceiling_dbtp
        ),
        technical: true,
    });
    out.push(Check {
        name: "Loudness range",
        measured: Some(m.loudness_range_lu),
        unit: "LU",
        target: format!("≤ {MAX_LOUDNESS_RANGE_LU:.0}"),
        passed: m.loudness_range_lu <= MAX_LOUDNESS_RANGE_LU,
        detail: format!(
            "{:.1} LU (at most {MAX_LOUDNESS_RANGE_LU:.0} LU for speech).",
            m.loudness_range_lu
        ),
        technical: false,
    });
    let format_ok = m.sample_rate == s.sample_rate && m.channels == s.channels;
    let layout = |c: u16| if c == 1 { "mono" } else { "stereo" };
    out.push(Check {
        name: "Sample rate and channels",
        measured: Some(f64::from(m.sample_rate)),
        unit: "Hz",
        target: format!("{} Hz {}", s.sample_rate, layout(s.channels)),
        passed: format_ok,
        detail: format!(
            "{} Hz {} (the show asks for {} Hz {}).",
            m.sample_rate,
            layout(m.channels),
            s.sample_rate,
            layout(s.channels)
        ),
        technical: true,
    });
    out.push(Check {
        name: "No clipping",
        measured: Some(m.clipped_samples as f64),
        unit: "samples",
        target: "0".into(),
        passed: m.clipped_samples == 0,
        detail: format!("{} clipped samples.", m.clipped_samples),
        technical: true,
    });
    out.push(Check {
        name: "Longest silence",
        measured: Some(m.longest_silence_ms as f64 / 1000.0),
        unit: "s",
        target: format!("≤ {:.1}", MAX_SILENCE_MS as f64 / 1000.0),
        passed: m.longest_silence_ms <= MAX_SILENCE_MS,
        detail: format!(
            "Longest silence {:.1} s (limit {:.1} s).",
            m.longest_silence_ms as f64 / 1000.0,
            MAX_SILENCE_MS as f64 / 1000.0
        ),
        technical: false,
    });
    let speech_ms = m.duration_ms.saturating_sub(e.music_ms);
    let ratio = speech_ms as f64 / e.planned_ms.max(1) as f64;
    let music_note = if e.music_ms > 0 {
        format!(" Music adds {:.1} s on top.", e.music_ms as f64 / 1000.0)
    } else {
        String::new()
    };
    out.push(Check {
        name: "Length fits the plan",
        measured: Some(speech_ms as f64 / 60_000.0),
        unit: "min",
        target: format!(
            "{:.1} ±{:.0} %",
            e.planned_ms as f64 / 60_000.0,
            DURATION_TOLERANCE * 100.0
        ),
        passed: speech_ms > 0 && (ratio - 1.0).abs() <= DURATION_TOLERANCE,
        detail: format!(
            "{:.1} min of speech against a {:.1} min plan ({:+.0} %).{music_note}",
            speech_ms as f64 / 60_000.0,
            e.planned_ms as f64 / 60_000.0,
            (ratio - 1.0) * 100.0
        ),
        technical: false,
    });
    let spoken: Vec<&str> = cues.iter().map(|c| c.line_id.as_str()).collect();
    let written: Vec<&str> = e.line_ids.iter().map(String::as_str).collect();
    let missing = written.iter().filter(|id| !spoken.contains(id)).count();
    let in_order = spoken == written;
    out.push(Check {
        name: "Every line present and in order",
        measured: Some(spoken.len() as f64),
        unit: "lines",
        target: format!("{} in script order", written.len()),
        passed: in_order,
        detail: if in_order {
            format!("All {} lines, in script order.", written.len())
        } else if missing > 0 {
            format!("{missing} of {} lines have no place in the master.", written.len())
        } else {
            format!("All {} lines are there, but not in script order.", written.len())
        },
        technical: false,
    });
    let measured: Vec<(&str, f64)> = e
        .speakers
        .iter()
        .zip(&m.group_lufs)
        .filter_map(|(name, l)| l.map(|l| (name.as_str(), l)))
        .collect();
    let spread = measured.iter().map(|(_, l)| *l).fold(f64::NEG_INFINITY, f64::max)
        - measured.iter().map(|(_, l)| *l).fold(f64::INFINITY, f64::min);
    let spread = if measured.len() < 2 { 0.0 } else { spread };
    out.push(Check {
        name: "Speaker balance",
        measured: Some(spread),
        unit: "LU",
        target: format!("≤ {MAX_SPEAKER_SPREAD_LU}"),
        passed: spread <= MAX_SPEAKER_SPREAD_LU,
        detail: format!(
            "Hosts within {spread:.1} LU of each other ({}).",
            measured
                .iter()
                .map(|(n, l)| format!("{n} {l:.1} LUFS"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        technical: false,
    });
    out
}

/// What the next mastering pass changes so the failed technical checks pass.
fn correction(m: &Measurements, s: &MasteringSettings) -> MasterCorrection {
    let gain_db = m.integrated_lufs.map_or(0.0, |i| s.target_lufs - i);
    let over = m.true_peak_dbtp.map_or(0.0, |p| p - s.ceiling_dbtp);
    let clip = if m.clipped_samples > 0 { 0.5 } else { 0.0 };
    MasterCorrection {
        gain_db,
        ceiling_margin_db: (over.max(0.0) + 0.3).max(clip),
    }
}

/// The gate report: every check with its figure and target. All pass → pass; a technical failure →
/// back to `audio.master` with a correction; otherwise → the producer.
pub fn report(m: &Measurements, cues: &[Cue], e: &Expected) -> GateReport {
    let checks = checks(m, cues, e);
    let technical_failed = checks.iter().any(|c| c.technical && !c.passed);
    let other_failed = checks.iter().any(|c| !c.technical && !c.passed);
    let figures = checks
        .iter()
        .map(|c| CheckFigure {
            check: c.name.into(),
            measured: c.measured,
            unit: c.unit.into(),
            target: c.target.clone(),
            passed: c.passed,
        })
        .collect();
    let gate_checks = checks
        .into_iter()
        .map(|c| GateCheck {
            name: c.name.into(),
            passed: c.passed,
            detail: c.detail,
        })
        .collect();
    let mut report = GateReport::from_checks(gate_checks, AUDIO_THRESHOLD);
    report.figures = figures;
    report.verdict = if other_failed {
        GateVerdict::Escalate
    } else if technical_failed {
        report.master_correction = Some(correction(m, &e.settings));
        GateVerdict::Remediate
    } else {
        GateVerdict::Pass
    };
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Measurements {
        Measurements {
            sample_rate: 44_100,
            channels: 1,
            duration_ms: 60_000,
            integrated_lufs: Some(-16.1),
            true_peak_dbtp: Some(-1.3),
            sample_peak_dbfs: Some(-1.5),
            loudness_range_lu: 4.0,
            clipped_samples: 0,
            longest_silence_ms: 350,
            group_lufs: vec![Some(-16.0), Some(-16.4)],
        }
    }

    fn cues() -> Vec<Cue> {
        ["S1-L1", "S1-L2"]
            .iter()
            .enumerate()
            .map(|(i, id)| Cue {
                line_id: (*id).into(),
                speaker: if i == 0 { "Alex".into() } else { "Sam".into() },
                text: String::new(),
                start_ms: i as u64 * 30_000,
                end_ms: i as u64 * 30_000 + 29_000,
            })
            .collect()
    }

    fn expected() -> Expected {
        Expected {
            settings: MasteringSettings::default(),
            planned_ms: 60_000,
            music_ms: 0,
            line_ids: vec!["S1-L1".into(), "S1-L2".into()],
            speakers: vec!["Alex".into(), "Sam".into()],
        }
    }

    #[test]
    fn a_master_on_spec_passes_with_every_figure_and_target() {
        let r = report(&good(), &cues(), &expected());
        assert_eq!(r.verdict, GateVerdict::Pass, "{}", r.feedback);
        let names: Vec<&str> = r.figures.iter().map(|f| f.check.as_str()).collect();
        assert_eq!(
            names,
            [
                "Integrated loudness",
                "True peak",
                "Loudness range",
                "Sample rate and channels",
                "No clipping",
                "Longest silence",
                "Length fits the plan",
                "Every line present and in order",
                "Speaker balance"
            ]
        );
        assert_eq!(r.figures[0].measured, Some(-16.1));
        assert_eq!(r.figures[0].target, "-16.0 ±0.5");
        assert!(r.master_correction.is_none());
    }

    #[test]
    fn a_quiet_or_hot_master_goes_back_to_mastering_with_a_correction() {
        let mut m = good();
        m.integrated_lufs = Some(-17.2);
        m.true_peak_dbtp = Some(-0.4);
        let r = report(&m, &cues(), &expected());
        assert_eq!(r.verdict, GateVerdict::Remediate);
        let c = r.master_correction.unwrap();
        assert!((c.gain_db - 1.2).abs() < 1e-9, "{c:?}");
        assert!((c.ceiling_margin_db - 0.9).abs() < 1e-9, "{c:?}");
        assert!(r.feedback.contains("Integrated loudness"), "{}", r.feedback);
        assert!(!r.figures[0].passed && !r.figures[1].passed);
    }

    #[test]
    fn what_mastering_cannot_fix_goes_to_the_producer() {
        let mut m = good();
        m.longest_silence_ms = 4_000;
        assert_eq!(report(&m, &cues(), &expected()).verdict, GateVerdict::Escalate);

        let mut swapped = cues();
        swapped.swap(0, 1);
        let r = report(&good(), &swapped, &expected());
        assert_eq!(r.verdict, GateVerdict::Escalate);
        assert!(r.feedback.contains("not in script order"), "{}", r.feedback);

        let mut m = good();
        m.group_lufs = vec![Some(-15.0), Some(-17.0)];
        let r = report(&m, &cues(), &expected());
        assert_eq!(r.verdict, GateVerdict::Escalate);
        assert!(!r.figures[8].passed);
        assert!((r.figures[8].measured.unwrap() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_wrong_format_is_a_technical_failure() {
        let mut m = good();
        m.sample_rate = 22_050;
        let r = report(&m, &cues(), &expected());
        assert_eq!(r.verdict, GateVerdict::Remediate);
        assert!(r.checks[3].detail.contains("22050 Hz mono"), "{}", r.checks[3].detail);
    }

    #[test]
    fn music_time_is_not_held_to_the_plan() {
        // 60 s of speech plus 30 s of intro and outro: +50 % on the clock, on plan as speech.
        let mut m = good();
        m.duration_ms = 90_000;
        let length = |r: &GateReport| r.figures[6].clone();
        let speech_only = report(&m, &cues(), &expected());
        assert!(!length(&speech_only).passed, "{:?}", length(&speech_only));
        let with_music = report(
            &m,
            &cues(),
            &Expected {
                music_ms: 30_000,
                ..expected()
            },
        );
        assert!(length(&with_music).passed, "{:?}", length(&with_music));
        assert!(
            with_music.checks[6].detail.contains("Music adds 30.0 s"),
            "{}",
            with_music.checks[6].detail
        );
    }
}
