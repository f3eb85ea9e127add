//! The straightforward computation of every dashboard figure: the queries the store ran before the summary
//! tables (migration 0011), straight over the ledger, the artifacts' JSON, decisions and episodes. The
//! summaries must always give exactly these figures.

use showrunner_domain::ShowId;
use showrunner_store::{
    EvaluationMonth, FinishedMinutes, GateMonth, ProviderReliability, ReleaseMonth, ShowMonthSpend,
};
use sqlx::SqliteConnection;

const SPEND: &str = "LEFT JOIN (SELECT r.episode_id, SUM(c.cost) AS spent FROM provider_calls c
                                 JOIN runs r ON r.id = c.run_id GROUP BY r.episode_id) sp ON sp.episode_id = e.id";

/// Every figure, so a test compares them all at once.
#[derive(Debug, PartialEq)]
pub struct Figures {
    pub spend: Vec<ShowMonthSpend>,
    pub finished: Vec<FinishedMinutes>,
    pub gates: Vec<GateMonth>,
    pub evaluations: Vec<EvaluationMonth>,
    pub providers: Vec<ProviderReliability>,
    pub releases: Vec<ReleaseMonth>,
}

fn filter(show: Option<&ShowId>) -> &'static str {
    if show.is_some() {
        " AND e.show_id = ?1"
    } else {
        ""
    }
}

fn join(run_column: &str, show: Option<&ShowId>) -> String {
    if show.is_some() {
        format!(" JOIN runs r ON r.id = {run_column} JOIN episodes e ON e.id = r.episode_id")
    } else {
        String::new()
    }
}

async fn rows<T>(db: &mut SqliteConnection, sql: &str, show: Option<&ShowId>) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let mut q = sqlx::query_as::<_, T>(sql);
    if let Some(show) = show {
        q = q.bind(show.as_str());
    }
    q.fetch_all(db).await.expect("a reference query")
}

fn n(v: Option<i64>) -> u64 {
    v.unwrap_or(0).max(0) as u64
}

pub async fn figures(db: &mut SqliteConnection, show: Option<&ShowId>) -> Figures {
    let month_e = "strftime('%Y-%m', e.created_at_ms / 1000, 'unixepoch')";
    let month_a = "strftime('%Y-%m', a.created_at_ms / 1000, 'unixepoch')";
    let f = filter(show);

    let sql = format!(
        "SELECT e.show_id, s.name, {month_e} AS month, COUNT(*), SUM(e.budget_cap), SUM(COALESCE(sp.spent, 0))
           FROM episodes e JOIN shows s ON s.id = e.show_id {SPEND}
          WHERE 1 = 1{f} GROUP BY e.show_id, month ORDER BY month, s.name"
    );
    let spend = rows::<(String, String, String, i64, Option<i64>, Option<i64>)>(db, &sql, show)
        .await
        .into_iter()
        .map(|r| ShowMonthSpend {
            show_id: ShowId(r.0),
            show_name: r.1,
            month: r.2,
            episodes: n(Some(r.3)),
            caps: r.4.unwrap_or(0),
            spent: r.5.unwrap_or(0),
        })
        .collect();

    let sql = format!(
        "SELECT show_id, show_name, COUNT(*), SUM(duration_ms), SUM(spent)
           FROM (SELECT e.show_id, s.name AS show_name, COALESCE(sp.spent, 0) AS spent,
                        (SELECT json_extract(m.content, '$.duration_ms') FROM artifacts m
                          WHERE m.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND m.kind = 'master'
                          ORDER BY m.created_at_ms DESC, m.version DESC LIMIT 1) AS duration_ms
                   FROM episodes e JOIN shows s ON s.id = e.show_id {SPEND}
                  WHERE e.status = 'released'{f})
          WHERE duration_ms IS NOT NULL GROUP BY show_id ORDER BY show_name"
    );
    let finished = rows::<(String, String, i64, Option<i64>, Option<i64>)>(db, &sql, show)
        .await
        .into_iter()
        .map(|r| FinishedMinutes {
            show_id: ShowId(r.0),
            show_name: r.1,
            episodes: n(Some(r.2)),
            duration_ms: r.3.unwrap_or(0),
            spent: r.4.unwrap_or(0),
        })
        .collect();

    let sql = format!(
        "SELECT {month_a} AS month, a.stage, COUNT(*), SUM(json_extract(a.content, '$.verdict') = 'pass'),
                AVG(json_extract(a.content, '$.score'))
           FROM artifacts a{}
          WHERE a.kind = 'gate_report'{f} GROUP BY month, a.stage ORDER BY month, a.stage",
        join("a.run_id", show)
    );
    let gates = rows::<(String, String, i64, Option<i64>, Option<f64>)>(db, &sql, show)
        .await
        .into_iter()
        .map(|r| GateMonth {
            month: r.0,
            stage: r.1,
            reports: n(Some(r.2)),
            passed: n(r.3),
            mean_score: r.4.unwrap_or(0.0),
        })
        .collect();

    let sql = format!(
        "SELECT {month_a} AS month, COUNT(*),
                AVG((json_extract(v.value, '$.scores.factual_support') + json_extract(v.value, '$.scores.narrative_coherence')
                   + json_extract(v.value, '$.scores.brand_voice') + json_extract(v.value, '$.scores.engagement')
                   + json_extract(v.value, '$.scores.speech_readiness') + json_extract(v.value, '$.scores.format_compliance')) / 6.0)
           FROM artifacts a{}, json_each(a.content, '$.evaluations') v
          WHERE a.kind = 'evaluation_panel'{f} GROUP BY month ORDER BY month",
        join("a.run_id", show)
    );
    let evaluations = rows::<(String, i64, Option<f64>)>(db, &sql, show)
        .await
        .into_iter()
        .map(|r| EvaluationMonth {
            month: r.0,
            evaluations: n(Some(r.1)),
            mean_score: r.2.unwrap_or(0.0),
        })
        .collect();

    let sql = format!(
        "SELECT c.provider, COUNT(*), SUM(c.status = 'failed'),
                COUNT(*) - COUNT(DISTINCT c.run_id || char(0) || c.call_key),
                SUM(CASE WHEN c.status = 'failed' THEN EXISTS (SELECT 1 FROM provider_calls n
                     WHERE n.attempt_id = c.attempt_id AND n.id > c.id AND n.provider <> c.provider)
                    AND NOT EXISTS (SELECT 1 FROM provider_calls s
                     WHERE s.run_id = c.run_id AND s.call_key = c.call_key AND s.id > c.id) ELSE 0 END),
                SUM(c.cost)
           FROM provider_calls c{}
          WHERE 1 = 1{f} GROUP BY c.provider ORDER BY c.provider",
        join("c.run_id", show)
    );
    let providers = rows::<(String, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>)>(db, &sql, show)
        .await
        .into_iter()
        .map(|r| ProviderReliability {
            provider: r.0,
            calls: n(Some(r.1)),
            failed: n(r.2),
            retries: n(r.3),
            fallbacks: n(r.4),
            cost: r.5.unwrap_or(0),
        })
        .collect();

    let sql = format!(
        "SELECT show_id, show_name, strftime('%Y-%m', released_at / 1000, 'unixepoch') AS month, COUNT(*),
                AVG(released_at - created_at_ms), MAX(released_at - created_at_ms)
           FROM (SELECT e.show_id, s.name AS show_name, e.created_at_ms,
                        (SELECT MAX(d.decided_at_ms) FROM decisions d
                          WHERE d.run_id IN (SELECT id FROM runs WHERE episode_id = e.id) AND d.gate = 'release') AS released_at
                   FROM episodes e JOIN shows s ON s.id = e.show_id
                  WHERE e.status = 'released'{f})
          WHERE released_at IS NOT NULL GROUP BY show_id, month ORDER BY month, show_name"
    );
    let releases = rows::<(String, String, String, i64, Option<f64>, Option<i64>)>(db, &sql, show)
        .await
        .into_iter()
        .map(|r| ReleaseMonth {
            show_id: ShowId(r.0),
            show_name: r.1,
            month: r.2,
            episodes: n(Some(r.3)),
            mean_ms: r.4.unwrap_or(0.0),
            max_ms: r.5.unwrap_or(0),
        })
        .collect();

    Figures {
        spend,
        finished,
        gates,
        evaluations,
        providers,
        releases,
    }
}
