//! The budget as stages and the production layer see it: where a run stands against its cap (so stages can
//! degrade), each phase's planned share, and the pre-run estimate per phase.
//!
//! The numbers (80 / 95 / 100 % thresholds, the 20 / 51 / 29 % phase split) live with the ledger in the store,
//! which applies them inside the transactions that reserve money; this module only reads them, so there is one
//! copy. Phase shares are soft: only the cap refuses a call.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use showrunner_domain::{Money, StageId};
use showrunner_store::{BudgetThreshold, Ledger, LedgerPhase};

use crate::{BudgetPhase, Pipeline};

impl From<BudgetPhase> for LedgerPhase {
    fn from(phase: BudgetPhase) -> LedgerPhase {
        match phase {
            BudgetPhase::Research => LedgerPhase::Research,
            BudgetPhase::Production => LedgerPhase::Production,
            BudgetPhase::Audio => LedgerPhase::Audio,
        }
    }
}

/// Where a run's committed spend (settled + reserved) stands against its cap right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetState {
    Normal,
    /// At or past 80 %.
    Warned,
    /// At or past 95 %: take fallback routes, skip optional work.
    Degraded,
    /// At the cap: no further paid call fits.
    Halted,
}

impl BudgetState {
    /// The state for `committed` against `cap`. It follows the cap: after a raise it drops again, although the
    /// notices that fired on the way up stay fired.
    pub fn of(committed: Money, cap: Money) -> BudgetState {
        if BudgetThreshold::Halt.is_reached(committed, cap) {
            BudgetState::Halted
        } else if BudgetThreshold::Degrade.is_reached(committed, cap) {
            BudgetState::Degraded
        } else if BudgetThreshold::Warn.is_reached(committed, cap) {
            BudgetState::Warned
        } else {
            BudgetState::Normal
        }
    }

    pub fn of_ledger(ledger: &Ledger) -> BudgetState {
        BudgetState::of(ledger.committed(), ledger.cap)
    }

    /// Whether stages should switch to cheaper routes and skip optional work.
    pub fn should_degrade(self) -> bool {
        self >= BudgetState::Degraded
    }
}

/// `phase`'s planned share of `cap`.
pub fn phase_allocation(cap: Money, phase: BudgetPhase) -> Money {
    LedgerPhase::from(phase).allocation(cap)
}

/// What a run is expected to cost, per phase, before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhaseEstimate {
    pub research: Money,
    pub production: Money,
    pub audio: Money,
    pub total: Money,
}

impl PhaseEstimate {
    pub fn phase(&self, phase: BudgetPhase) -> Money {
        match phase {
            BudgetPhase::Research => self.research,
            BudgetPhase::Production => self.production,
            BudgetPhase::Audio => self.audio,
        }
    }

    /// Phases expected to spend more than their share of `cap`: worth a warning, not a refusal.
    pub fn over_allocation(&self, cap: Money) -> Vec<BudgetPhase> {
        [BudgetPhase::Research, BudgetPhase::Production, BudgetPhase::Audio]
            .into_iter()
            .filter(|&phase| self.phase(phase) > phase_allocation(cap, phase))
            .collect()
    }

    /// Whether the whole run is expected to fit under `cap`.
    pub fn fits(&self, cap: Money) -> bool {
        self.total <= cap
    }
}

/// Sums the per-stage estimates by the phase each stage of `pipeline` spends from. Stages without an
/// estimate count as free; estimates for stages the pipeline does not have are not counted (they never run).
pub fn estimate(pipeline: &Pipeline, per_stage_estimates: &HashMap<StageId, Money>) -> PhaseEstimate {
    let mut estimate = PhaseEstimate::default();
    for spec in &pipeline.stages {
        let cost = per_stage_estimates.get(&spec.id).copied().unwrap_or(Money::ZERO);
        match spec.phase {
            BudgetPhase::Research => estimate.research += cost,
            BudgetPhase::Production => estimate.production += cost,
            BudgetPhase::Audio => estimate.audio += cost,
        }
        estimate.total += cost;
    }
    estimate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StageSpec;

    fn pipeline() -> Pipeline {
        Pipeline {
            name: "t".into(),
            stages: vec![
                StageSpec::work("discover", "Discover", &[], BudgetPhase::Research),
                StageSpec::work("deep_dive", "Deep dive", &["discover"], BudgetPhase::Research),
                StageSpec::work("write", "Write", &["deep_dive"], BudgetPhase::Production),
                StageSpec::work("speak", "Speak", &["write"], BudgetPhase::Audio),
            ],
        }
    }

    fn dollars(text: &str) -> Money {
        Money::parse_dollars(text).unwrap()
    }

    #[test]
    fn the_estimate_sums_each_stage_into_its_phase() {
        let per_stage = HashMap::from([
            (StageId::new("discover"), dollars("0.40")),
            (StageId::new("deep_dive"), dollars("1.10")),
            (StageId::new("write"), dollars("2.25")),
            (StageId::new("speak"), dollars("1.00")),
            (StageId::new("not_in_the_pipeline"), dollars("9.00")),
        ]);
        let e = estimate(&pipeline(), &per_stage);
        assert_eq!(
            (e.research, e.production, e.audio, e.total),
            (dollars("1.50"), dollars("2.25"), dollars("1.00"), dollars("4.75"))
        );
        assert!(e.fits(dollars("33.25")));
        assert!(!e.fits(dollars("4.74")));
    }

    #[test]
    fn a_stage_without_an_estimate_counts_as_free() {
        let per_stage = HashMap::from([(StageId::new("write"), dollars("2"))]);
        let e = estimate(&pipeline(), &per_stage);
        assert_eq!(
            (e.research, e.production, e.total),
            (Money::ZERO, dollars("2"), dollars("2"))
        );
    }

    #[test]
    fn phases_expected_over_their_share_are_named() {
        // $10 cap: research may plan $2.00, production $5.10, audio $2.90.
        let per_stage = HashMap::from([
            (StageId::new("discover"), dollars("2.01")),
            (StageId::new("write"), dollars("5.10")),
            (StageId::new("speak"), dollars("1")),
        ]);
        let e = estimate(&pipeline(), &per_stage);
        assert_eq!(e.over_allocation(dollars("10")), vec![BudgetPhase::Research]);
        assert_eq!(phase_allocation(dollars("10"), BudgetPhase::Audio), dollars("2.90"));
    }

    #[test]
    fn the_state_follows_the_thresholds_and_drops_when_the_cap_rises() {
        let cap = dollars("1");
        let at = |cents: i64| BudgetState::of(Money(cents * 10_000), cap);
        assert_eq!(
            [at(79), at(80), at(94), at(95), at(99), at(100)],
            [
                BudgetState::Normal,
                BudgetState::Warned,
                BudgetState::Warned,
                BudgetState::Degraded,
                BudgetState::Degraded,
                BudgetState::Halted,
            ]
        );
        assert!(at(95).should_degrade() && !at(94).should_degrade());
        assert_eq!(BudgetState::of(dollars("1"), dollars("2")), BudgetState::Normal);
    }
}
