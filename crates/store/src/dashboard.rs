//! The dashboard's aggregates. Months are UTC `YYYY-MM`; an episode's spend and cap belong to the month it was
//! started, a report to the month it was written.
//!
//! The figures read summary tables that triggers keep up to date as the ledger (`provider_calls`), gate reports
//! and evaluations (artifacts), decisions and episodes are written (migration `0011_dashboard_summary.sql`,
//! where each summary's definition is a view over those rows). Computed from every call and every evaluation
//! panel's JSON at read time, the Dashboard took about 300 ms at 10,000 episodes; see docs/benchmarks.md.

use showrunner_domain::ShowId;
use sqlx::sqlite::SqliteRow;
use sqlx::FromRow;

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct ShowMonthSpend {
    pub show_id: ShowId,
    pub show_name: String,
    pub month: String,
    pub episodes: u64,
    /// Sum of the episodes' caps, micro-dollars.
    pub caps: i64,
    pub spent: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FinishedMinutes {
    pub show_id: ShowId,
    pub show_name: String,
    /// Released episodes with a master.
    pub episodes: u64,
    pub duration_ms: i64,
    pub spent: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GateMonth {
    pub month: String,
    pub stage: String,
    pub reports: u64,
    pub passed: u64,
    /// Mean score, 0–1.
    pub mean_score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationMonth {
    pub month: String,
    /// Evaluations (one per evaluator per panel).
    pub evaluations: u64,
    /// Mean of each evaluation's six dimension scores, 0–10.
    pub mean_score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderReliability {
    pub provider: String,
    pub calls: u64,
    pub failed: u64,
    /// Calls that repeated an earlier call's request to the same model (same call key).
    pub retries: u64,
    /// Failed calls never retried whose stage attempt went on with another provider.
    pub fallbacks: u64,
    pub cost: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseMonth {
    pub show_id: ShowId,
    pub show_name: String,
    /// Month of the release decision.
    pub month: String,
    pub episodes: u64,
    pub mean_ms: f64,
    pub max_ms: i64,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct BudgetAlertRow {
    pub episode_id: String,
    pub topic: String,
    pub show_name: String,
    /// `warn`, `degrade` or `halt`.
    pub notice: String,
    pub committed: i64,
    pub cap: i64,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct FailureAlertRow {
    pub episode_id: String,
    pub topic: String,
    pub show_name: String,
    pub status: String,
    /// The newest failed attempt's code and message, when a stage failed.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub at_ms: i64,
}

/// `AND <column> = ?1` when filtered (one numbered parameter, however often a query names the show).
fn show_filter(column: &str, show: Option<&ShowId>) -> String {
    if show.is_some() {
        format!(" AND {column} = ?1")
    } else {
        String::new()
    }
}

/// A count as the views report it: SQL's integers are signed, a count is never below zero.
fn count(n: i64) -> u64 {
    n.max(0) as u64
}

#[derive(FromRow)]
struct SpendRow {
    show_id: String,
    show_name: String,
    month: String,
    episodes: i64,
    caps: i64,
    spent: i64,
}

#[derive(FromRow)]
struct FinishedRow {
    show_id: String,
    show_name: String,
    episodes: i64,
    duration_ms: i64,
    spent: i64,
}

#[derive(FromRow)]
struct GateRow {
    month: String,
    stage: String,
    reports: i64,
    /// NULL when no report of the group had a verdict.
    passed: Option<i64>,
    /// NULL when no report of the group had a score.
    mean_score: Option<f64>,
}

#[derive(FromRow)]
struct EvaluationRow {
    month: String,
    evaluations: i64,
    mean_score: Option<f64>,
}

#[derive(FromRow)]
struct ProviderRow {
    provider: String,
    calls: i64,
    failed: i64,
    retries: i64,
    fallbacks: i64,
    cost: i64,
}

#[derive(FromRow)]
struct ReleaseRow {
    show_id: String,
    show_name: String,
    month: String,
    episodes: i64,
    mean_ms: f64,
    max_ms: i64,
}

// The six aggregates read the summary tables of migration 0011 (kept by triggers, one row per episode, report,
// evaluator, or show and provider), never the ledger or the artifacts' JSON. Each groups narrow rows read from
// an index, then names the show: joined after grouping, the show lookup runs once per group, not per row.
impl Store {
    async fn dashboard_rows<R>(&self, sql: &str, show: Option<&ShowId>) -> Result<Vec<R>, StoreError>
    where
        R: for<'r> FromRow<'r, SqliteRow> + Send + Unpin,
    {
        let mut q = sqlx::query_as::<_, R>(sql);
        if let Some(show) = show {
            q = q.bind(show.as_str());
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    pub async fn spend_by_show_month(&self, show: Option<&ShowId>) -> Result<Vec<ShowMonthSpend>, StoreError> {
        let sql = format!(
            "SELECT g.show_id, s.name AS show_name, g.month, g.episodes, g.caps, g.spent
               FROM (SELECT show_id, month, COUNT(*) AS episodes, SUM(budget_cap) AS caps, SUM(spent) AS spent
                       FROM dashboard_episodes WHERE 1 = 1{} GROUP BY show_id, month) g
               JOIN shows s ON s.id = g.show_id
              ORDER BY g.month, s.name",
            show_filter("show_id", show)
        );
        let rows: Vec<SpendRow> = self.dashboard_rows(&sql, show).await?;
        Ok(rows
            .into_iter()
            .map(|r| ShowMonthSpend {
                show_id: ShowId(r.show_id),
                show_name: r.show_name,
                month: r.month,
                episodes: count(r.episodes),
                caps: r.caps,
                spent: r.spent,
            })
            .collect())
    }

    /// Released episodes only: their whole spend against the length of their newest master.
    pub async fn finished_minutes(&self, show: Option<&ShowId>) -> Result<Vec<FinishedMinutes>, StoreError> {
        let sql = format!(
            "SELECT g.show_id, s.name AS show_name, g.episodes, g.duration_ms, g.spent
               FROM (SELECT show_id, COUNT(*) AS episodes, SUM(master_ms) AS duration_ms, SUM(spent) AS spent
                       FROM dashboard_episodes
                      WHERE status = 'released' AND master_ms IS NOT NULL{} GROUP BY show_id) g
               JOIN shows s ON s.id = g.show_id
              ORDER BY s.name",
            show_filter("show_id", show)
        );
        let rows: Vec<FinishedRow> = self.dashboard_rows(&sql, show).await?;
        Ok(rows
            .into_iter()
            .map(|r| FinishedMinutes {
                show_id: ShowId(r.show_id),
                show_name: r.show_name,
                episodes: count(r.episodes),
                duration_ms: r.duration_ms,
                spent: r.spent,
            })
            .collect())
    }

    /// Every gate report written (a remediated try counts as not passed), by month and gate stage.
    pub async fn gate_months(&self, show: Option<&ShowId>) -> Result<Vec<GateMonth>, StoreError> {
        let sql = format!(
            "SELECT month, stage, COUNT(*) AS reports, SUM(passed) AS passed, AVG(score) AS mean_score
               FROM dashboard_gate_reports WHERE 1 = 1{} GROUP BY month, stage ORDER BY month, stage",
            show_filter("show_id", show)
        );
        let rows: Vec<GateRow> = self.dashboard_rows(&sql, show).await?;
        Ok(rows
            .into_iter()
            .map(|r| GateMonth {
                month: r.month,
                stage: r.stage,
                reports: count(r.reports),
                passed: count(r.passed.unwrap_or(0)),
                mean_score: r.mean_score.unwrap_or(0.0),
            })
            .collect())
    }

    pub async fn evaluation_months(&self, show: Option<&ShowId>) -> Result<Vec<EvaluationMonth>, StoreError> {
        let sql = format!(
            "SELECT month, COUNT(*) AS evaluations, AVG(score) AS mean_score
               FROM dashboard_evaluations WHERE 1 = 1{} GROUP BY month ORDER BY month",
            show_filter("show_id", show)
        );
        let rows: Vec<EvaluationRow> = self.dashboard_rows(&sql, show).await?;
        Ok(rows
            .into_iter()
            .map(|r| EvaluationMonth {
                month: r.month,
                evaluations: count(r.evaluations),
                mean_score: r.mean_score.unwrap_or(0.0),
            })
            .collect())
    }

    /// Per provider, summed over the shows (a call key belongs to one run, so to one show: the shows' retries
    /// add up to the provider's).
    pub async fn provider_reliability(&self, show: Option<&ShowId>) -> Result<Vec<ProviderReliability>, StoreError> {
        let sql = format!(
            "SELECT p.provider, p.calls, p.failed, p.retries, COALESCE(f.fallbacks, 0) AS fallbacks, p.cost
               FROM (SELECT provider, SUM(calls) AS calls, SUM(failed) AS failed, SUM(retries) AS retries,
                            SUM(cost) AS cost
                       FROM dashboard_providers WHERE 1 = 1{filter} GROUP BY provider HAVING SUM(calls) > 0) p
               LEFT JOIN (SELECT provider, COUNT(*) AS fallbacks
                            FROM dashboard_fallbacks WHERE 1 = 1{filter} GROUP BY provider) f
                 ON f.provider = p.provider
              ORDER BY p.provider",
            filter = show_filter("show_id", show)
        );
        let rows: Vec<ProviderRow> = self.dashboard_rows(&sql, show).await?;
        Ok(rows
            .into_iter()
            .map(|r| ProviderReliability {
                provider: r.provider,
                calls: count(r.calls),
                failed: count(r.failed),
                retries: count(r.retries),
                fallbacks: count(r.fallbacks),
                cost: r.cost,
            })
            .collect())
    }

    /// From the episode's creation to the producer's last approval at the release gate. The index is named:
    /// without statistics (nothing runs `ANALYZE`) SQLite walks the by-month index for the `GROUP BY show_id`
    /// and looks up every episode, four times slower at 10,000 episodes.
    pub async fn release_months(&self, show: Option<&ShowId>) -> Result<Vec<ReleaseMonth>, StoreError> {
        let sql = format!(
            "SELECT g.show_id, s.name AS show_name, g.month, g.episodes, g.mean_ms, g.max_ms
               FROM (SELECT show_id, strftime('%Y-%m', released_at_ms / 1000, 'unixepoch') AS month, COUNT(*) AS episodes,
                            AVG(released_at_ms - created_at_ms) AS mean_ms, MAX(released_at_ms - created_at_ms) AS max_ms
                       FROM dashboard_episodes INDEXED BY dashboard_episodes_released
                      WHERE status = 'released' AND released_at_ms IS NOT NULL{} GROUP BY show_id, month) g
               JOIN shows s ON s.id = g.show_id
              ORDER BY g.month, s.name",
            show_filter("show_id", show)
        );
        let rows: Vec<ReleaseRow> = self.dashboard_rows(&sql, show).await?;
        Ok(rows
            .into_iter()
            .map(|r| ReleaseMonth {
                show_id: ShowId(r.show_id),
                show_name: r.show_name,
                month: r.month,
                episodes: count(r.episodes),
                mean_ms: r.mean_ms,
                max_ms: r.max_ms,
            })
            .collect())
    }

    /// The newest `limit` budget thresholds crossed (phase notices are not alerts: nothing was refused).
    pub async fn budget_alerts(&self, show: Option<&ShowId>, limit: u32) -> Result<Vec<BudgetAlertRow>, StoreError> {
        let sql = format!(
            "SELECT e.id AS episode_id, e.topic, s.name AS show_name, n.notice, n.committed, n.cap, n.fired_at_ms AS at_ms
               FROM budget_notices n JOIN runs r ON r.id = n.run_id JOIN episodes e ON e.id = r.episode_id
               JOIN shows s ON s.id = e.show_id
              WHERE n.notice IN ('warn', 'degrade', 'halt'){} ORDER BY n.fired_at_ms DESC, e.id LIMIT {limit}",
            show_filter("e.show_id", show)
        );
        self.dashboard_rows(&sql, show).await
    }

    /// Episodes that failed or wait for the producer outside a routine gate, newest first. The page is chosen
    /// first, so the newest-failure lookups run for those rows only, not for every failed episode. They go
    /// through `runs_by_episode` (`run_id IN (…)`): joined to runs, SQLite may instead walk another index
    /// across every run, once per episode.
    pub async fn failure_alerts(&self, show: Option<&ShowId>, limit: u32) -> Result<Vec<FailureAlertRow>, StoreError> {
        let newest_failure = "FROM attempts a
                              WHERE a.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND a.status = 'failed' ORDER BY a.id DESC LIMIT 1";
        let sql = format!(
            "SELECT e.id AS episode_id, e.topic, e.show_name, e.status, e.updated_at_ms AS at_ms,
                    (SELECT a.error_code {newest_failure}) AS error_code,
                    (SELECT a.error_message {newest_failure}) AS error_message
               FROM (SELECT e.id, e.topic, s.name AS show_name, e.status, e.updated_at_ms
                       FROM episodes e JOIN shows s ON s.id = e.show_id
                      WHERE e.status IN ('failed', 'needs_attention'){} ORDER BY e.updated_at_ms DESC, e.id LIMIT {limit}) e
              ORDER BY e.updated_at_ms DESC, e.id",
            show_filter("e.show_id", show)
        );
        self.dashboard_rows(&sql, show).await
    }
}
