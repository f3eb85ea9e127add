//! What an automatic gate found: each check with its result, a score, and the verdict.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::artifacts::MasterCorrection;
use crate::GateVerdict;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct GateCheck {
    pub name: String,
    pub passed: bool,
    /// What was measured, in a producer's words ("3 of 14 lines cite no fact").
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct GateReport {
    pub verdict: GateVerdict,
    /// 0.0–1.0.
    pub score: f64,
    pub threshold: f64,
    pub checks: Vec<GateCheck>,
    /// What to change, sent back to the stage that made the work when the verdict is `remediate`.
    pub feedback: String,
    /// The audio gate's figures: per check, what was measured against what target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<CheckFigure>,
    /// Set by the audio gate when a technical check failed: what the next mastering pass changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_correction: Option<MasterCorrection>,
}

/// One measured check: the value, its unit, the target it was held to, and whether it met it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CheckFigure {
    pub check: String,
    /// `None` when there was nothing to measure (e.g. a silent master has no loudness).
    pub measured: Option<f64>,
    pub unit: String,
    /// The target in words, e.g. "−16.0 ±0.5" or "≤ −1.0".
    pub target: String,
    pub passed: bool,
}

impl GateReport {
    /// Scores the checks (fraction passed) and derives the verdict against `threshold`.
    pub fn from_checks(checks: Vec<GateCheck>, threshold: f64) -> GateReport {
        let total = checks.len().max(1) as f64;
        let passed = checks.iter().filter(|c| c.passed).count() as f64;
        let score = passed / total;
        let feedback = checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect::<Vec<_>>()
            .join("\n");
        GateReport {
            verdict: if score >= threshold {
                GateVerdict::Pass
            } else {
                GateVerdict::Remediate
            },
            score,
            threshold,
            checks,
            feedback,
            figures: Vec::new(),
            master_correction: None,
        }
    }
}
