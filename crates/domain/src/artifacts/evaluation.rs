//! Script evaluation: six dimensions scored 0–10 by two independent evaluators, and the panel's consensus.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every dimension must reach this for the script to pass.
pub const PASS_SCORE: f64 = 7.0;
/// What a great script scores.
pub const TARGET_SCORE: f64 = 8.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    FactualSupport,
    NarrativeCoherence,
    BrandVoice,
    Engagement,
    SpeechReadiness,
    FormatCompliance,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::FactualSupport,
        Dimension::NarrativeCoherence,
        Dimension::BrandVoice,
        Dimension::Engagement,
        Dimension::SpeechReadiness,
        Dimension::FormatCompliance,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Dimension::FactualSupport => "Factual support",
            Dimension::NarrativeCoherence => "Narrative coherence",
            Dimension::BrandVoice => "Brand voice",
            Dimension::Engagement => "Engagement",
            Dimension::SpeechReadiness => "Speech readiness",
            Dimension::FormatCompliance => "Format compliance",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct DimensionScores {
    pub factual_support: f64,
    pub narrative_coherence: f64,
    pub brand_voice: f64,
    pub engagement: f64,
    pub speech_readiness: f64,
    pub format_compliance: f64,
}

impl DimensionScores {
    pub fn get(&self, d: Dimension) -> f64 {
        match d {
            Dimension::FactualSupport => self.factual_support,
            Dimension::NarrativeCoherence => self.narrative_coherence,
            Dimension::BrandVoice => self.brand_voice,
            Dimension::Engagement => self.engagement,
            Dimension::SpeechReadiness => self.speech_readiness,
            Dimension::FormatCompliance => self.format_compliance,
        }
    }

    pub fn lowest(&self) -> (Dimension, f64) {
        Dimension::ALL
            .iter()
            .map(|d| (*d, self.get(*d)))
            .fold((Dimension::FactualSupport, f64::INFINITY), |a, b| {
                if b.1 < a.1 {
                    b
                } else {
                    a
                }
            })
    }
}

/// One evaluator's verdict on one script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Evaluation {
    /// Which provider and model evaluated, as shown to the producer (e.g. "Rehearsal (offline)").
    pub evaluator: String,
    pub scores: DimensionScores,
    /// Specific, actionable comments.
    pub comments: Vec<String>,
}

/// The two evaluations together and what they decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct EvaluationPanel {
    pub evaluations: Vec<Evaluation>,
    /// 1 − (largest per-dimension gap ÷ 10): 1.0 when the evaluators agree exactly.
    pub consensus: f64,
    pub passed: bool,
    /// Synthesized feedback for `script.write` when the panel fails the script.
    pub feedback: String,
    /// Who settled a disagreement between the two evaluators (their evaluation is the last one), if anyone had
    /// to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub arbiter: Option<String>,
}

/// How a disagreement between the evaluators was settled.
#[derive(Debug, Clone, PartialEq)]
pub enum Arbitration {
    /// The arbiter agreed with one evaluator; that pair decides as a panel of two would.
    Settled(EvaluationPanel),
    /// The arbiter agreed with neither: the producer decides.
    Unsettled(EvaluationPanel),
}

/// Consensus needed for the two evaluators' scores to count as agreement.
pub const CONSENSUS_THRESHOLD: f64 = 0.85;

impl EvaluationPanel {
    /// Applies the pass rule (every dimension ≥ 7.0 for every evaluator) and the consensus rule.
    pub fn judge(evaluations: Vec<Evaluation>) -> EvaluationPanel {
        let mut max_gap: f64 = 0.0;
        for d in Dimension::ALL {
            let scores: Vec<f64> = evaluations.iter().map(|e| e.scores.get(d)).collect();
            let hi = scores.iter().cloned().fold(f64::MIN, f64::max);
            let lo = scores.iter().cloned().fold(f64::MAX, f64::min);
            if scores.len() > 1 {
                max_gap = max_gap.max(hi - lo);
            }
        }
        let consensus = (1.0 - max_gap / 10.0).clamp(0.0, 1.0);
        let mut feedback = Vec::new();
        for e in &evaluations {
            for d in Dimension::ALL {
                let score = e.scores.get(d);
                if score < PASS_SCORE {
                    feedback.push(format!("{} scored {:.1} by {}", d.label(), score, e.evaluator));
                }
            }
            if e.scores.lowest().1 < PASS_SCORE {
                feedback.extend(e.comments.iter().cloned());
            }
        }
        if consensus < CONSENSUS_THRESHOLD {
            feedback.push(format!(
                "The evaluators disagree (consensus {consensus:.2}); a producer should read it."
            ));
        }
        let all_pass = !evaluations.is_empty()
            && evaluations
                .iter()
                .all(|e| Dimension::ALL.iter().all(|d| e.scores.get(*d) >= PASS_SCORE));
        EvaluationPanel {
            passed: all_pass && consensus >= CONSENSUS_THRESHOLD,
            consensus,
            feedback: feedback.join("\n"),
            evaluations,
            arbiter: None,
        }
    }

    /// The evaluators disagreed beyond tolerance and `arbiter` evaluated the same script: it sides with the
    /// evaluator it agrees with, and that pair decides. If it agrees with neither, nobody can settle it but
    /// the producer.
    pub fn arbitrate(a: Evaluation, b: Evaluation, arbiter: Evaluation) -> Arbitration {
        let with_a = EvaluationPanel::judge(vec![a.clone(), arbiter.clone()]);
        let with_b = EvaluationPanel::judge(vec![b.clone(), arbiter.clone()]);
        let name = arbiter.evaluator.clone();
        let sided = if with_a.consensus >= with_b.consensus {
            with_a
        } else {
            with_b
        };
        let settled = sided.consensus >= CONSENSUS_THRESHOLD;
        let mut panel = EvaluationPanel {
            evaluations: vec![a, b, arbiter],
            arbiter: Some(name),
            ..sided
        };
        if settled {
            Arbitration::Settled(panel)
        } else {
            panel.passed = false;
            panel.feedback = format!(
                "Three evaluators disagree (closest agreement {:.2}); a producer should read the script.\n{}",
                panel.consensus, panel.feedback
            );
            Arbitration::Unsettled(panel)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(name: &str, all: f64) -> Evaluation {
        Evaluation {
            evaluator: name.into(),
            scores: DimensionScores {
                factual_support: all,
                narrative_coherence: all,
                brand_voice: all,
                engagement: all,
                speech_readiness: all,
                format_compliance: all,
            },
            comments: vec![format!("{name} comment")],
        }
    }

    #[test]
    fn two_agreeing_passing_evaluators_pass_the_script() {
        let p = EvaluationPanel::judge(vec![eval("a", 8.5), eval("b", 8.0)]);
        assert!(p.passed);
        assert!((p.consensus - 0.95).abs() < 1e-9);
    }

    #[test]
    fn one_dimension_under_seven_fails_and_says_which() {
        let mut low = eval("b", 8.0);
        low.scores.factual_support = 6.5;
        let p = EvaluationPanel::judge(vec![eval("a", 8.0), low]);
        assert!(!p.passed);
        assert!(p.feedback.contains("Factual support scored 6.5 by b"), "{}", p.feedback);
    }

    #[test]
    fn disagreement_beyond_tolerance_fails_even_when_both_pass() {
        let p = EvaluationPanel::judge(vec![eval("a", 9.9), eval("b", 7.5)]);
        assert!(!p.passed, "a 2.4 point gap is consensus 0.76 < 0.85");
    }

    #[test]
    fn an_arbiter_that_agrees_with_one_evaluator_settles_it_with_that_pair() {
        let Arbitration::Settled(p) = EvaluationPanel::arbitrate(eval("a", 9.9), eval("b", 7.5), eval("c", 9.5)) else {
            panic!("the arbiter sides with a")
        };
        assert!(p.passed, "a and c both pass and agree: {}", p.feedback);
        assert!((p.consensus - 0.96).abs() < 1e-9);
        assert_eq!(p.evaluations.len(), 3);
        assert_eq!(p.arbiter.as_deref(), Some("c"));

        let Arbitration::Settled(p) = EvaluationPanel::arbitrate(eval("a", 9.9), eval("b", 6.0), eval("c", 6.5)) else {
            panic!("the arbiter sides with b")
        };
        assert!(!p.passed, "the pair it sided with fails the script");
    }

    #[test]
    fn an_arbiter_that_agrees_with_neither_leaves_it_to_the_producer() {
        let Arbitration::Unsettled(p) = EvaluationPanel::arbitrate(eval("a", 9.9), eval("b", 5.0), eval("c", 7.4))
        else {
            panic!("2.5 points from each side is no agreement")
        };
        assert!(!p.passed);
        assert!(p.feedback.starts_with("Three evaluators disagree"), "{}", p.feedback);
    }
}
