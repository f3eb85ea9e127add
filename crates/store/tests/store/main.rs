//! The store's integration tests, one binary: records on a real SQLite file, and the budget ledger.

mod damaged_rows;
mod dashboard;
mod dashboard_reference;
mod ledger;
mod runs;
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

/// A database file at `path` with the schema as it was before migration `version`, for the tests of what that
/// migration does to older rows.
pub async fn schema_before(path: &std::path::Path, version: i64) -> sqlx::SqliteConnection {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let mut db = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
        .expect("a connection");
    before.run(&mut db).await.expect("the older migrations");
    db
}
