//! The rule half of the brand check: things a script must do or never do, checked exactly, before any model
//! is asked about tone.

use showrunner_domain::artifacts::{EpisodePlan, GateCheck, Script};
use showrunner_domain::BrandVoice;

/// How far the script's estimated spoken length may stray from the plan.
pub const LENGTH_TOLERANCE: f64 = 0.15;

pub fn check(brand: &BrandVoice, plan: &EpisodePlan, script: &Script) -> Vec<GateCheck> {
    let lines: Vec<_> = script.lines().collect();
    let mut checks = Vec::new();

    let offending = brand.forbidden_said(script);
    checks.push(GateCheck {
        name: "Forbidden phrases".into(),
        passed: offending.is_empty(),
        detail: if offending.is_empty() {
            "None used.".into()
        } else {
            offending.join("; ")
        },
    });

    let first = lines.first().map(|l| l.text.trim()).unwrap_or_default();
    checks.push(GateCheck {
        name: "Intro line".into(),
        passed: first == brand.intro_line.trim(),
        detail: if first == brand.intro_line.trim() {
            "Opens with the show's intro, word for word.".into()
        } else {
            format!("The first line must be exactly \"{}\".", brand.intro_line.trim())
        },
    });
    let last = lines.last().map(|l| l.text.trim()).unwrap_or_default();
    checks.push(GateCheck {
        name: "Outro line".into(),
        passed: last == brand.outro_line.trim(),
        detail: if last == brand.outro_line.trim() {
            "Closes with the show's outro, word for word.".into()
        } else {
            format!("The last line must be exactly \"{}\".", brand.outro_line.trim())
        },
    });

    let hosts: Vec<String> = brand.hosts.iter().map(|h| h.name.trim().to_lowercase()).collect();
    let strangers: Vec<String> = lines
        .iter()
        .filter(|l| !hosts.contains(&l.speaker.trim().to_lowercase()))
        .map(|l| format!("{} ({})", l.id, l.speaker))
        .collect();
    checks.push(GateCheck {
        name: "Speakers are the show's hosts".into(),
        passed: strangers.is_empty(),
        detail: if strangers.is_empty() {
            "Every line is spoken by a host.".into()
        } else {
            format!("Unknown speakers: {}", strangers.join(", "))
        },
    });

    let planned = plan.planned_seconds().max(1) as f64;
    let estimated = script.estimated_seconds();
    let ratio = estimated / planned;
    checks.push(GateCheck {
        name: "Length matches the plan".into(),
        passed: (ratio - 1.0).abs() <= LENGTH_TOLERANCE,
        detail: format!(
            "About {:.1} min of speech for a {:.1} min plan ({:+.0} %).",
            estimated / 60.0,
            planned / 60.0,
            (ratio - 1.0) * 100.0
        ),
    });
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::{Line, PlannedSegment, ScriptSegment};

    fn fixture() -> (BrandVoice, EpisodePlan, Script) {
        let brand = BrandVoice::starter("Tides");
        let plan = EpisodePlan {
            title: "t".into(),
            target_seconds: 60,
            segments: vec![PlannedSegment {
                id: "S1".into(),
                title: "All".into(),
                goal: "g".into(),
                seconds: 60,
                speakers: vec!["Alex".into()],
                facts: vec![],
            }],
        };
        let filler = "word ".repeat(146);
        let script = Script {
            title: "t".into(),
            segments: vec![ScriptSegment {
                id: "S1".into(),
                title: "All".into(),
                lines: vec![
                    Line {
                        id: "S1-L1".into(),
                        speaker: "Alex".into(),
                        text: brand.intro_line.clone(),
                        facts: vec![],
                        ..Default::default()
                    },
                    Line {
                        id: "S1-L2".into(),
                        speaker: "Sam".into(),
                        text: filler,
                        facts: vec![],
                        ..Default::default()
                    },
                    Line {
                        id: "S1-L3".into(),
                        speaker: "Alex".into(),
                        text: brand.outro_line.clone(),
                        facts: vec![],
                        ..Default::default()
                    },
                ],
            }],
        };
        (brand, plan, script)
    }

    #[test]
    fn a_compliant_script_passes_every_rule() {
        let (brand, plan, script) = fixture();
        let checks = check(&brand, &plan, &script);
        assert!(checks.iter().all(|c| c.passed), "{checks:#?}");
    }

    #[test]
    fn a_forbidden_phrase_and_a_guest_speaker_are_named_with_their_line() {
        let (brand, plan, mut script) = fixture();
        script.segments[0].lines[1].text.push_str(" a real Game Changer");
        script.segments[0].lines[1].speaker = "Guest".into();
        let checks = check(&brand, &plan, &script);
        assert!(!checks[0].passed && checks[0].detail.contains("S1-L2"));
        assert!(!checks[3].passed && checks[3].detail.contains("Guest"));
    }
}
