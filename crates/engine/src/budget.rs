//! The budget as stages and the production layer see it: where a run stands against its cap (so stages can
//! degrade), each phase's planned share, and the pre-run estimate per phase.
//!
//! The thresholds (80 / 95 / 100 %) live with the ledger in the store, which applies them inside the
//! transactions that reserve money; the phases and their shares are the pipeline's (`Pipeline::budget`), and
//! each run keeps its copy, so the ledger enforces them without knowing what the run makes. Phase shares are
//! soft: only the cap refuses a call.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use showrunner_domain::{Money, PhaseId, StageId};
use showrunner_store::{BudgetThreshold, Ledger};

use crate::Pipeline;

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

/// What one phase of a run is expected to cost, beside its planned share of the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseCost {
    pub phase: PhaseId,
    pub label: String,
    pub cost: Money,
    /// Its share of the cap the estimate was made against.
    pub allocation: Money,
}

/// What a run is expected to cost, per phase (in the pipeline's order), before it starts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhaseEstimate {
    pub phases: Vec<PhaseCost>,
    pub total: Money,
}

impl PhaseEstimate {
    /// Phases expected to spend more than their share of the cap: worth a warning, not a refusal.
    pub fn over_allocation(&self) -> Vec<PhaseId> {
        self.phases
            .iter()
            .filter(|p| p.cost > p.allocation)
            .map(|p| p.phase.clone())
            .collect()
    }

    /// Whether the whole run is expected to fit under `cap`.
    pub fn fits(&self, cap: Money) -> bool {
        self.total <= cap
    }
}

/// Sums the per-stage estimates by the phase each stage of `pipeline` spends from, each beside its share of
/// `cap`. Stages without an estimate count as free; estimates for stages the pipeline does not have are not
/// counted (they never run).
pub fn estimate(pipeline: &Pipeline, cap: Money, per_stage_estimates: &HashMap<StageId, Money>) -> PhaseEstimate {
    let mut estimate = PhaseEstimate {
        phases: pipeline
            .budget
            .phases()
            .iter()
            .map(|p| PhaseCost {
                phase: p.id.clone(),
                label: p.label.clone(),
                cost: Money::ZERO,
                allocation: pipeline.budget.allocation(&p.id, cap).unwrap_or(Money::ZERO),
            })
            .collect(),
        total: Money::ZERO,
    };
    for spec in &pipeline.stages {
        let cost = per_stage_estimates.get(&spec.id).copied().unwrap_or(Money::ZERO);
        // A validated pipeline declares every stage's phase.
        if let Some(phase) = estimate.phases.iter_mut().find(|p| p.phase == spec.phase) {
            phase.cost += cost;
        }
        estimate.total += cost;
    }
    estimate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StageSpec;
    use showrunner_domain::{BudgetPhase, BudgetSplit};

    fn pipeline() -> Pipeline {
        Pipeline {
            name: "t".into(),
            budget: BudgetSplit::new(vec![
                BudgetPhase::new("research", "Research", 20),
                BudgetPhase::new("production", "Script", 51),
                BudgetPhase::new("audio", "Audio", 29),
            ])
            .unwrap(),
            stages: vec![
                StageSpec::work("discover", "Discover", &[], "research"),
                StageSpec::work("deep_dive", "Deep dive", &["discover"], "research"),
                StageSpec::work("write", "Write", &["deep_dive"], "production"),
                StageSpec::work("speak", "Speak", &["write"], "audio"),
            ],
        }
    }

    fn dollars(text: &str) -> Money {
        Money::parse_dollars(text).unwrap()
    }

    /// What `e` expects `phase` to cost; zero for a phase the pipeline does not have.
    fn cost(e: &PhaseEstimate, phase: &str) -> Money {
        e.phases
            .iter()
            .find(|p| p.phase == phase)
            .map_or(Money::ZERO, |p| p.cost)
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
        let e = estimate(&pipeline(), dollars("10"), &per_stage);
        assert_eq!(
            (cost(&e, "research"), cost(&e, "production"), cost(&e, "audio"), e.total),
            (dollars("1.50"), dollars("2.25"), dollars("1.00"), dollars("4.75"))
        );
        let order: Vec<&str> = e.phases.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            order,
            ["Research", "Script", "Audio"],
            "the pipeline's order and labels"
        );
        assert!(e.fits(dollars("33.25")));
        assert!(!e.fits(dollars("4.74")));
    }

    #[test]
    fn a_stage_without_an_estimate_counts_as_free() {
        let per_stage = HashMap::from([(StageId::new("write"), dollars("2"))]);
        let e = estimate(&pipeline(), dollars("10"), &per_stage);
        assert_eq!(
            (cost(&e, "research"), cost(&e, "production"), e.total),
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
        let e = estimate(&pipeline(), dollars("10"), &per_stage);
        assert_eq!(e.over_allocation(), vec![PhaseId::new("research")]);
        assert_eq!(e.phases[2].allocation, dollars("2.90"));
    }

    #[test]
    fn a_pipeline_with_its_own_phases_is_estimated_by_them() {
        let mut p = pipeline();
        p.budget = BudgetSplit::new(vec![
            BudgetPhase::new("drafting", "Drafting", 70),
            BudgetPhase::new("review", "Review", 30),
        ])
        .unwrap();
        for (stage, phase) in p.stages.iter_mut().zip(["drafting", "drafting", "drafting", "review"]) {
            stage.phase = PhaseId::new(phase);
        }
        let per_stage = HashMap::from([
            (StageId::new("write"), dollars("0.80")),
            (StageId::new("speak"), dollars("0.31")),
        ]);
        let e = estimate(&p, dollars("1"), &per_stage);
        assert_eq!(
            (cost(&e, "drafting"), cost(&e, "review")),
            (dollars("0.80"), dollars("0.31"))
        );
        assert_eq!(
            e.over_allocation(),
            vec![PhaseId::new("drafting"), PhaseId::new("review")]
        );
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
