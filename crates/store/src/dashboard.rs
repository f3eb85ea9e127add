//! The dashboard's aggregates, each one SQL query over the ledger (`provider_calls`), attempts, gate reports
//! and evaluations (artifacts), decisions and episodes. Months are UTC `YYYY-MM`; an episode's spend and cap
//! belong to the month it was started, a report to the month it was written.

use showrunner_domain::ShowId;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use crate::{Store, StoreError};

const MONTH_OF_EPISODE: &str = "strftime('%Y-%m', e.created_at_ms / 1000, 'unixepoch')";
const MONTH_OF_ARTIFACT: &str = "strftime('%Y-%m', a.created_at_ms / 1000, 'unixepoch')";
/// Billed cost per episode over all its runs (failed and billed calls included, as the Episodes list counts).
const SPEND: &str = "LEFT JOIN (SELECT r.episode_id, SUM(c.cost) AS spent FROM provider_calls c
                                 JOIN runs r ON r.id = c.run_id GROUP BY r.episode_id) sp ON sp.episode_id = e.id";

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

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
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

/// `AND e.show_id = ?` when filtered; the caller binds the id once per occurrence.
fn show_filter(show: Option<&ShowId>) -> &'static str {
    if show.is_some() {
        " AND e.show_id = ?"
    } else {
        ""
    }
}

/// The joins from a row's run to its episode, only when a show filter needs them: every run belongs to an
/// episode (foreign keys), so unfiltered the two lookups per row only cost time (a third of the ledger's query).
fn episode_join(run_column: &str, show: Option<&ShowId>) -> String {
    if show.is_some() {
        format!(" JOIN runs r ON r.id = {run_column} JOIN episodes e ON e.id = r.episode_id")
    } else {
        String::new()
    }
}

fn count(row: &SqliteRow, column: &str) -> Result<u64, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0).max(0) as u64)
}

fn amount(row: &SqliteRow, column: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0))
}

// Correlated lookups go through `runs_by_episode` (`run_id IN (…)`): joined to runs, SQLite may instead walk an
// index by kind or gate across every run, once per episode.
impl Store {
    async fn dashboard_rows(&self, sql: &str, show: Option<&ShowId>) -> Result<Vec<SqliteRow>, StoreError> {
        let mut q = sqlx::query(sql);
        if let Some(show) = show {
            q = q.bind(show.as_str());
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    pub async fn spend_by_show_month(&self, show: Option<&ShowId>) -> Result<Vec<ShowMonthSpend>, StoreError> {
        let sql = format!(
            "SELECT e.show_id, s.name AS show_name, {MONTH_OF_EPISODE} AS month, COUNT(*) AS episodes,
                    SUM(e.budget_cap) AS caps, SUM(COALESCE(sp.spent, 0)) AS spent
               FROM episodes e JOIN shows s ON s.id = e.show_id {SPEND}
              WHERE 1 = 1{} GROUP BY e.show_id, month ORDER BY month, s.name",
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(ShowMonthSpend {
                    show_id: ShowId(r.try_get("show_id")?),
                    show_name: r.try_get("show_name")?,
                    month: r.try_get("month")?,
                    episodes: count(r, "episodes")?,
                    caps: amount(r, "caps")?,
                    spent: amount(r, "spent")?,
                })
            })
            .collect()
    }

    /// Released episodes only: their whole spend against the length of their newest master.
    pub async fn finished_minutes(&self, show: Option<&ShowId>) -> Result<Vec<FinishedMinutes>, StoreError> {
        let sql = format!(
            "SELECT show_id, show_name, COUNT(*) AS episodes, SUM(duration_ms) AS duration_ms, SUM(spent) AS spent
               FROM (SELECT e.show_id, s.name AS show_name, COALESCE(sp.spent, 0) AS spent,
                            (SELECT json_extract(m.content, '$.duration_ms') FROM artifacts m
                              WHERE m.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND m.kind = 'master'
                              ORDER BY m.created_at_ms DESC, m.version DESC LIMIT 1) AS duration_ms
                       FROM episodes e JOIN shows s ON s.id = e.show_id {SPEND}
                      WHERE e.status = 'released'{})
              WHERE duration_ms IS NOT NULL GROUP BY show_id ORDER BY show_name",
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(FinishedMinutes {
                    show_id: ShowId(r.try_get("show_id")?),
                    show_name: r.try_get("show_name")?,
                    episodes: count(r, "episodes")?,
                    duration_ms: amount(r, "duration_ms")?,
                    spent: amount(r, "spent")?,
                })
            })
            .collect()
    }

    /// Every gate report written (a remediated try counts as not passed), by month and gate stage.
    pub async fn gate_months(&self, show: Option<&ShowId>) -> Result<Vec<GateMonth>, StoreError> {
        let sql = format!(
            "SELECT {MONTH_OF_ARTIFACT} AS month, a.stage, COUNT(*) AS reports,
                    SUM(json_extract(a.content, '$.verdict') = 'pass') AS passed,
                    AVG(json_extract(a.content, '$.score')) AS mean_score
               FROM artifacts a{}
              WHERE a.kind = 'gate_report'{} GROUP BY month, a.stage ORDER BY month, a.stage",
            episode_join("a.run_id", show),
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(GateMonth {
                    month: r.try_get("month")?,
                    stage: r.try_get("stage")?,
                    reports: count(r, "reports")?,
                    passed: count(r, "passed")?,
                    mean_score: r.try_get::<Option<f64>, _>("mean_score")?.unwrap_or(0.0),
                })
            })
            .collect()
    }

    pub async fn evaluation_months(&self, show: Option<&ShowId>) -> Result<Vec<EvaluationMonth>, StoreError> {
        let sql = format!(
            "SELECT {MONTH_OF_ARTIFACT} AS month, COUNT(*) AS evaluations,
                    AVG((json_extract(v.value, '$.scores.factual_support') + json_extract(v.value, '$.scores.narrative_coherence')
                       + json_extract(v.value, '$.scores.brand_voice') + json_extract(v.value, '$.scores.engagement')
                       + json_extract(v.value, '$.scores.speech_readiness') + json_extract(v.value, '$.scores.format_compliance')) / 6.0)
                      AS mean_score
               FROM artifacts a{}, json_each(a.content, '$.evaluations') v
              WHERE a.kind = 'evaluation_panel'{} GROUP BY month ORDER BY month",
            episode_join("a.run_id", show),
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(EvaluationMonth {
                    month: r.try_get("month")?,
                    evaluations: count(r, "evaluations")?,
                    mean_score: r.try_get::<Option<f64>, _>("mean_score")?.unwrap_or(0.0),
                })
            })
            .collect()
    }

    /// `CASE` rather than `AND` around the fallback lookups: SQLite evaluates both sides of an `AND` in a value,
    /// so the two lookups ran for every call, not only the failed ones.
    pub async fn provider_reliability(&self, show: Option<&ShowId>) -> Result<Vec<ProviderReliability>, StoreError> {
        let sql = format!(
            "SELECT c.provider, COUNT(*) AS calls, SUM(c.status = 'failed') AS failed,
                    COUNT(*) - COUNT(DISTINCT c.run_id || char(0) || c.call_key) AS retries,
                    SUM(CASE WHEN c.status = 'failed' THEN EXISTS (SELECT 1 FROM provider_calls n
                         WHERE n.attempt_id = c.attempt_id AND n.id > c.id AND n.provider <> c.provider)
                        AND NOT EXISTS (SELECT 1 FROM provider_calls s
                         WHERE s.run_id = c.run_id AND s.call_key = c.call_key AND s.id > c.id) ELSE 0 END) AS fallbacks,
                    SUM(c.cost) AS cost
               FROM provider_calls c{}
              WHERE 1 = 1{} GROUP BY c.provider ORDER BY c.provider",
            episode_join("c.run_id", show),
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(ProviderReliability {
                    provider: r.try_get("provider")?,
                    calls: count(r, "calls")?,
                    failed: count(r, "failed")?,
                    retries: count(r, "retries")?,
                    fallbacks: count(r, "fallbacks")?,
                    cost: amount(r, "cost")?,
                })
            })
            .collect()
    }

    /// From the episode's creation to the producer's last approval at the release gate.
    pub async fn release_months(&self, show: Option<&ShowId>) -> Result<Vec<ReleaseMonth>, StoreError> {
        let sql = format!(
            "SELECT show_id, show_name, strftime('%Y-%m', released_at / 1000, 'unixepoch') AS month, COUNT(*) AS episodes,
                    AVG(released_at - created_at_ms) AS mean_ms, MAX(released_at - created_at_ms) AS max_ms
               FROM (SELECT e.show_id, s.name AS show_name, e.created_at_ms,
                            (SELECT MAX(d.decided_at_ms) FROM decisions d
                              WHERE d.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND d.gate = 'release') AS released_at
                       FROM episodes e JOIN shows s ON s.id = e.show_id
                      WHERE e.status = 'released'{})
              WHERE released_at IS NOT NULL GROUP BY show_id, month ORDER BY month, show_name",
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(ReleaseMonth {
                    show_id: ShowId(r.try_get("show_id")?),
                    show_name: r.try_get("show_name")?,
                    month: r.try_get("month")?,
                    episodes: count(r, "episodes")?,
                    mean_ms: r.try_get::<Option<f64>, _>("mean_ms")?.unwrap_or(0.0),
                    max_ms: amount(r, "max_ms")?,
                })
            })
            .collect()
    }

    /// The newest `limit` budget thresholds crossed (phase notices are not alerts: nothing was refused).
    pub async fn budget_alerts(&self, show: Option<&ShowId>, limit: u32) -> Result<Vec<BudgetAlertRow>, StoreError> {
        let sql = format!(
            "SELECT e.id AS episode_id, e.topic, s.name AS show_name, n.notice, n.committed, n.cap, n.fired_at_ms
               FROM budget_notices n JOIN runs r ON r.id = n.run_id JOIN episodes e ON e.id = r.episode_id
               JOIN shows s ON s.id = e.show_id
              WHERE n.notice IN ('warn', 'degrade', 'halt'){} ORDER BY n.fired_at_ms DESC, e.id LIMIT {limit}",
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(BudgetAlertRow {
                    episode_id: r.try_get("episode_id")?,
                    topic: r.try_get("topic")?,
                    show_name: r.try_get("show_name")?,
                    notice: r.try_get("notice")?,
                    committed: r.try_get("committed")?,
                    cap: r.try_get("cap")?,
                    at_ms: r.try_get("fired_at_ms")?,
                })
            })
            .collect()
    }

    /// Episodes that failed or wait for the producer outside a routine gate, newest first. The page is chosen
    /// first, so the newest-failure lookups run for those rows only, not for every failed episode.
    pub async fn failure_alerts(&self, show: Option<&ShowId>, limit: u32) -> Result<Vec<FailureAlertRow>, StoreError> {
        let newest_failure = "FROM attempts a
                              WHERE a.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND a.status = 'failed' ORDER BY a.id DESC LIMIT 1";
        let sql = format!(
            "SELECT e.id AS episode_id, e.topic, e.show_name, e.status, e.updated_at_ms,
                    (SELECT a.error_code {newest_failure}) AS error_code,
                    (SELECT a.error_message {newest_failure}) AS error_message
               FROM (SELECT e.id, e.topic, s.name AS show_name, e.status, e.updated_at_ms
                       FROM episodes e JOIN shows s ON s.id = e.show_id
                      WHERE e.status IN ('failed', 'needs_attention'){} ORDER BY e.updated_at_ms DESC, e.id LIMIT {limit}) e
              ORDER BY e.updated_at_ms DESC, e.id",
            show_filter(show)
        );
        self.dashboard_rows(&sql, show)
            .await?
            .iter()
            .map(|r| {
                Ok(FailureAlertRow {
                    episode_id: r.try_get("episode_id")?,
                    topic: r.try_get("topic")?,
                    show_name: r.try_get("show_name")?,
                    status: r.try_get("status")?,
                    error_code: r.try_get("error_code")?,
                    error_message: r.try_get("error_message")?,
                    at_ms: r.try_get("updated_at_ms")?,
                })
            })
            .collect()
    }
}
