//! `showrunner episodes` (the library: search, filters, sort, pages) and `showrunner dashboard`.

use showrunner_api::dashboard::{self, DashboardView};
use showrunner_api::domain::EpisodeStatus;
use showrunner_api::library::{self, LibrarySearch};
use showrunner_api::{shows, ApiError, App, ErrorCode};

use crate::args::EpisodesArgs;
use crate::output::{self, json};

pub async fn episodes(app: &App, args: EpisodesArgs) -> Result<(), ApiError> {
    let show_id = match &args.show {
        Some(name) => Some(shows::find_show(app, name).await?.id),
        None => None,
    };
    let status = match &args.status {
        Some(s) => Some(s.trim().parse::<EpisodeStatus>().map_err(|_| {
            ApiError::field(
                ErrorCode::InvalidInput,
                "status",
                "Unknown status: use producing, awaiting_script_signoff, awaiting_release, needs_attention, \
                 released, failed or cancelled.",
            )
        })?),
        None => None,
    };
    let page = library::search_episodes(
        app,
        LibrarySearch {
            text: args.search.clone(),
            show_id,
            status,
            order: args.sort,
            page: Some(args.page),
            page_size: Some(args.page_size),
        },
    )
    .await?;
    if args.json {
        // Scripts read `episodes --json` as a list of episodes, as before the library had pages; where the
        // page is goes to stderr, so a longer library says how to read on.
        if page.pages > 1 {
            eprintln!(
                "page {} of {} · {} episodes (--page N for another)",
                page.page, page.pages, page.total
            );
        }
        return json(&page.episodes);
    }
    let filtered = args.search.is_some() || args.show.is_some() || args.status.is_some();
    if page.total == 0 {
        if filtered {
            println!("No episode matches.");
        } else {
            println!("No episodes yet. Start one with: showrunner produce --topic \"…\"");
        }
        return Ok(());
    }
    for e in &page.episodes {
        println!("{}", output::episode_line(e));
    }
    println!("page {} of {} · {} episodes", page.page, page.pages, page.total);
    Ok(())
}

pub async fn dashboard(app: &App, show: Option<String>, as_json: bool) -> Result<(), ApiError> {
    let show_id = match &show {
        Some(name) => Some(shows::find_show(app, name).await?.id),
        None => None,
    };
    let view = dashboard::dashboard(app, show_id).await?;
    if as_json {
        return json(&view);
    }
    print!("{}", dashboard_tables(&view));
    Ok(())
}

fn percent(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// The same figures as the app's Dashboard, one table per chart.
pub fn dashboard_tables(v: &DashboardView) -> String {
    let mut out = String::from("Spend per show and month\n");
    out += &format!(
        "  {:<8} {:<24} {:>8} {:>12} {:>12} {:>6}\n",
        "month", "show", "episodes", "spent", "caps", "used"
    );
    for s in &v.spend {
        let used = if s.caps.0 > 0 {
            percent(s.spent.0 as f64 / s.caps.0 as f64)
        } else {
            "—".into()
        };
        out += &format!(
            "  {:<8} {:<24} {:>8} {:>12} {:>12} {:>6}\n",
            s.month,
            s.show_name,
            s.episodes,
            s.spent.to_string(),
            s.caps.to_string(),
            used
        );
    }
    out += "\nCost per finished minute (released episodes)\n";
    out += &format!(
        "  {:<24} {:>8} {:>10} {:>12} {:>12}\n",
        "show", "episodes", "minutes", "spent", "per minute"
    );
    for c in &v.cost_per_minute {
        out += &format!(
            "  {:<24} {:>8} {:>10.1} {:>12} {:>12}\n",
            c.show_name,
            c.episodes,
            c.finished_minutes,
            c.spent.to_string(),
            c.per_minute.map(|m| m.to_string()).unwrap_or_else(|| "—".into())
        );
    }
    out += "\nGate pass rates\n";
    out += &format!(
        "  {:<8} {:<20} {:>8} {:>8} {:>6} {:>6}\n",
        "month", "gate", "reports", "passed", "rate", "score"
    );
    for g in &v.gates {
        out += &format!(
            "  {:<8} {:<20} {:>8} {:>8} {:>6} {:>6.2}\n",
            g.month,
            g.label,
            g.reports,
            g.passed,
            percent(g.pass_rate),
            g.mean_score
        );
    }
    out += "\nEvaluation scores (0–10)\n";
    for e in &v.evaluations {
        out += &format!(
            "  {:<8} {:>5.2}  ({} evaluations)\n",
            e.month, e.mean_score, e.evaluations
        );
    }
    out += "\nProviders\n";
    out += &format!(
        "  {:<32} {:>6} {:>6} {:>7} {:>9} {:>12}\n",
        "provider", "calls", "failed", "retries", "fallbacks", "cost"
    );
    for p in &v.providers {
        out += &format!(
            "  {:<32} {:>6} {:>6} {:>7} {:>9} {:>12}\n",
            p.label,
            p.calls,
            p.failed,
            p.retries,
            p.fallbacks,
            p.cost.to_string()
        );
    }
    out += "\nTime from start to release\n";
    for r in &v.releases {
        out += &format!(
            "  {:<8} {:<24} {:>4} released  mean {}  longest {}\n",
            r.month,
            r.show_name,
            r.episodes,
            span(r.mean_ms as i64),
            span(r.max_ms)
        );
    }
    out += "\nAlerts\n";
    if v.alerts.is_empty() {
        out += "  none\n";
    }
    for a in &v.alerts {
        out += &format!("  {}  {} ({}): {}\n", a.episode_id, a.topic, a.show_name, a.message);
    }
    out
}

/// A span in milliseconds in the unit a producer reads it in, as the app's Dashboard writes it.
fn span(ms: i64) -> String {
    let seconds = ms.max(0) as f64 / 1000.0;
    match seconds {
        s if s < 60.0 => format!("{s:.0} s"),
        s if s < 3600.0 => format!("{:.0} min", s / 60.0),
        s if s < 86_400.0 => format!("{:.1} h", s / 3600.0),
        s => format!("{:.1} days", s / 86_400.0),
    }
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_read_in_the_unit_that_fits() {
        assert_eq!(span(4_200), "4 s");
        assert_eq!(span(-5), "0 s");
        assert_eq!(span(25 * 60_000), "25 min");
        assert_eq!(span(90 * 60_000), "1.5 h");
        assert_eq!(span(3 * 86_400_000), "3.0 days");
    }
}
