//! The store's integration tests, one binary: records on a real SQLite file, and the budget ledger.

mod damaged_rows;
mod dashboard;
mod dashboard_reference;
mod ledger;
mod sources;
mod store;

/// The split the tests' runs are made with: the seed's research 20 %, production 51 %, audio 29 %.
pub fn split() -> showrunner_domain::BudgetSplit {
    use showrunner_domain::{BudgetPhase, BudgetSplit};
    BudgetSplit::new(vec![
        BudgetPhase::new("research", "Research", 20),
        BudgetPhase::new("production", "Writing & review", 51),
        BudgetPhase::new("audio", "Audio", 29),
    ])
    .unwrap()
}
