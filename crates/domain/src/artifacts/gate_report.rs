//! What an automatic gate found: each check with its result, a score, and the verdict.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
        }
    }
}
