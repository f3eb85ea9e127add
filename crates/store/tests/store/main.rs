//! The store's integration tests, one binary: records on a real SQLite file, and the budget ledger.

mod damaged_rows;
mod dashboard;
mod dashboard_reference;
mod ledger;
mod sources;
mod store;
