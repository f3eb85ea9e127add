//! How a run's cap is split across its budget phases. The pipeline declares its phases (ids, labels, shares);
//! the run keeps its split so the ledger enforces it without knowing what the run makes.
//!
//! Shares are soft: only the cap refuses a call. A phase that commits more than its share is noted once.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Money;

crate::ids::declared_id!(
    /// A budget phase's stable id (`research`): what a paid call is booked under in the ledger and the journal.
    PhaseId
);

impl PhaseId {
    /// A stored id read back: lower-case letters, digits and underscores, or nothing.
    pub fn parse(id: &str) -> Option<PhaseId> {
        Self::well_formed(id).then(|| PhaseId::new(id))
    }

    fn well_formed(id: &str) -> bool {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }
}

impl std::str::FromStr for PhaseId {
    type Err = SplitError;

    /// How the ledger reads a stored phase column back (through `sqlx::types::Text`).
    fn from_str(id: &str) -> Result<PhaseId, SplitError> {
        PhaseId::parse(id).ok_or_else(|| SplitError::BadPhaseId(id.chars().take(64).collect()))
    }
}

/// One slice of a run's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct BudgetPhase {
    pub id: PhaseId,
    /// What the producer sees ("Research").
    pub label: String,
    /// Its planned share of the cap, in percent.
    pub share_percent: u32,
}

impl BudgetPhase {
    pub fn new(id: &str, label: &str, share_percent: u32) -> BudgetPhase {
        BudgetPhase {
            id: PhaseId::new(id),
            label: label.to_owned(),
            share_percent,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("a budget needs at least one phase")]
    NoPhases,
    #[error("budget phase '{0}' appears twice")]
    DuplicatePhase(PhaseId),
    #[error("budget phase id '{0}' must be lower-case letters, digits and underscores")]
    BadPhaseId(String),
    #[error("the budget phases' shares add up to {0} %, not 100 %")]
    SharesNot100(u32),
}

/// The phases of a run's budget in pipeline order; their shares add up to 100 %.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(try_from = "Vec<BudgetPhase>", into = "Vec<BudgetPhase>")]
pub struct BudgetSplit(Vec<BudgetPhase>);

impl BudgetSplit {
    pub fn new(phases: Vec<BudgetPhase>) -> Result<BudgetSplit, SplitError> {
        if phases.is_empty() {
            return Err(SplitError::NoPhases);
        }
        for (i, phase) in phases.iter().enumerate() {
            let id = phase.id.as_str();
            if !PhaseId::well_formed(id) {
                return Err(SplitError::BadPhaseId(id.chars().take(64).collect()));
            }
            if phases[..i].iter().any(|p| p.id == phase.id) {
                return Err(SplitError::DuplicatePhase(phase.id.clone()));
            }
        }
        let total = phases.iter().fold(0u32, |sum, p| sum.saturating_add(p.share_percent));
        if total != 100 {
            return Err(SplitError::SharesNot100(total));
        }
        Ok(BudgetSplit(phases))
    }

    /// One phase holding the whole cap: a pipeline that does not split its budget.
    pub fn whole(id: &str, label: &str) -> BudgetSplit {
        BudgetSplit(vec![BudgetPhase::new(id, label, 100)])
    }

    pub fn phases(&self) -> &[BudgetPhase] {
        &self.0
    }

    pub fn get(&self, id: &PhaseId) -> Option<&BudgetPhase> {
        self.0.iter().find(|p| &p.id == id)
    }

    /// `phase`'s planned share of `cap`, rounded down to the micro-dollar; `None` for a phase not in the split.
    pub fn allocation(&self, phase: &PhaseId, cap: Money) -> Option<Money> {
        self.get(phase)
            .map(|p| Money((i128::from(cap.0) * i128::from(p.share_percent) / 100) as i64))
    }
}

impl TryFrom<Vec<BudgetPhase>> for BudgetSplit {
    type Error = SplitError;

    fn try_from(phases: Vec<BudgetPhase>) -> Result<BudgetSplit, SplitError> {
        BudgetSplit::new(phases)
    }
}

impl From<BudgetSplit> for Vec<BudgetPhase> {
    fn from(split: BudgetSplit) -> Vec<BudgetPhase> {
        split.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seed() -> BudgetSplit {
        BudgetSplit::new(vec![
            BudgetPhase::new("research", "Research", 20),
            BudgetPhase::new("production", "Script", 51),
            BudgetPhase::new("audio", "Audio", 29),
        ])
        .unwrap()
    }

    #[test]
    fn a_split_allocates_each_phase_its_share_rounded_down() {
        let cap = Money::parse_dollars("10").unwrap();
        let split = seed();
        let shares: Vec<Money> = split
            .phases()
            .iter()
            .map(|p| split.allocation(&p.id, cap).unwrap())
            .collect();
        assert_eq!(shares, vec![Money(2_000_000), Money(5_100_000), Money(2_900_000)]);
        assert_eq!(split.allocation(&PhaseId::new("editing"), cap), None);
        assert_eq!(split.allocation(&PhaseId::new("audio"), Money(99)), Some(Money(28)));
    }

    #[test]
    fn a_split_that_does_not_add_up_or_repeats_a_phase_is_refused() {
        let bad = |phases| BudgetSplit::new(phases).unwrap_err();
        assert_eq!(bad(vec![]), SplitError::NoPhases);
        assert_eq!(
            bad(vec![BudgetPhase::new("a", "A", 60), BudgetPhase::new("b", "B", 30)]),
            SplitError::SharesNot100(90)
        );
        assert_eq!(
            bad(vec![
                BudgetPhase::new("a", "A", 50),
                BudgetPhase::new("a", "A again", 50)
            ]),
            SplitError::DuplicatePhase(PhaseId::new("a"))
        );
        assert_eq!(
            bad(vec![BudgetPhase::new("Research -->", "R", 100)]),
            SplitError::BadPhaseId("Research -->".into())
        );
        assert_eq!(
            bad(vec![
                BudgetPhase::new("a", "A", u32::MAX),
                BudgetPhase::new("b", "B", 2)
            ]),
            SplitError::SharesNot100(u32::MAX)
        );
    }

    #[test]
    fn a_split_is_stored_as_its_list_and_a_stored_list_is_checked_again() {
        let json = serde_json::to_value(seed()).unwrap();
        assert_eq!(
            json[1],
            serde_json::json!({"id": "production", "label": "Script", "share_percent": 51})
        );
        assert_eq!(serde_json::from_value::<BudgetSplit>(json).unwrap(), seed());
        let tampered = serde_json::json!([{"id": "research", "label": "Research", "share_percent": 99}]);
        assert!(serde_json::from_value::<BudgetSplit>(tampered).is_err());
    }

    proptest! {
        /// However a cap is split, the allocations never add up to more than the cap, and lose under a
        /// micro-dollar per phase to rounding.
        #[test]
        fn allocations_never_exceed_the_cap(cap in 0i64..=i64::MAX / 2, cut in 0u32..=100) {
            let split = BudgetSplit::new(vec![
                BudgetPhase::new("a", "A", cut),
                BudgetPhase::new("b", "B", 100 - cut),
            ])
            .unwrap();
            let sum: i64 = split.phases().iter().map(|p| split.allocation(&p.id, Money(cap)).unwrap().0).sum();
            prop_assert!(sum <= cap && cap - sum < 2);
        }
    }
}
