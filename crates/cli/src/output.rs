//! What the CLI prints: progress and errors on stderr, results on stdout (JSON when asked).

use showrunner_api::decisions::{AvailableDecision, EditTarget, ParkView};
use showrunner_api::domain::{Episode, EpisodeId, Money};
use showrunner_api::dto::RunView;
use showrunner_api::ledger::LedgerView;
use showrunner_api::ApiError;

pub fn init_logging(verbose: bool) {
    // Symphonia warns about every oddity it skips in a producer's music file ("skipping junk"); the upload
    // reports a file it cannot use as an error of its own, so its decoder notes are noise here.
    let filter = if verbose {
        "info"
    } else {
        "warn,symphonia_core=error,symphonia_bundle_mp3=error,symphonia_bundle_flac=error,symphonia_format_ogg=error,symphonia_format_riff=error"
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOWRUNNER_LOG").unwrap_or_else(|_| filter.into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
}

pub fn print_error(e: &ApiError) {
    let code = serde_json::to_value(e.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    eprintln!("error[{code}]: {}", e.message);
    if let Some(errors) = e
        .details
        .as_ref()
        .and_then(|d| d.get("errors"))
        .and_then(|e| e.as_array())
    {
        // A one-field error often says exactly what the message said: then only name the field.
        for err in errors {
            let field = err["field"].as_str().unwrap_or("");
            match err["message"].as_str().unwrap_or("") {
                same if same == e.message => eprintln!("  field: {field}"),
                message => eprintln!("  {field}: {message}"),
            }
        }
    }
}

pub fn json<T: serde::Serialize>(value: &T) -> Result<(), ApiError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(showrunner_api::ErrorCode::Internal, e.to_string()))?;
    println!("{text}");
    Ok(())
}

pub fn duration(ms: Option<u64>) -> String {
    ms.map(|ms| format!("{}:{:02}", ms / 60_000, ms / 1000 % 60))
        .unwrap_or_else(|| "—".into())
}

pub fn episode_line(e: &Episode) -> String {
    format!(
        "{}  {:<24} {:>6}  {:>8}  {}  ({}, {})",
        e.id,
        e.status.as_str(),
        duration(e.duration_ms),
        e.spent.to_string(),
        e.topic,
        e.show_name,
        e.format.label().to_lowercase()
    )
}

/// Each of the run's budget phases, by its label: spent (billed and held) against its share of the cap, marked
/// when over it (only the cap stops a run).
pub fn phase_spend(ledger: &LedgerView) -> String {
    let phases: Vec<String> = ledger
        .phases
        .iter()
        .map(|p| {
            let committed = p.settled + p.reserved;
            let over = if committed > p.allocation {
                " (over its share)"
            } else {
                ""
            };
            format!("{} {committed} of {}{over}", p.label, p.allocation)
        })
        .collect();
    phases.join(" · ")
}

pub fn run_table(view: &RunView) -> String {
    let mut out = String::new();
    for s in &view.stages {
        let took = s
            .duration_ms
            .map(|d| format!("{:.1} s", d as f64 / 1000.0))
            .unwrap_or_default();
        let verdict = s.verdict.map(|v| format!(" verdict={v}")).unwrap_or_default();
        let route = s.route.as_deref().map(|r| format!(" via {r}")).unwrap_or_default();
        out.push_str(&format!(
            "  {:<24} {:<13} attempts={} {:>8} {}{}{}\n",
            s.stage.as_str(),
            s.status.as_str(),
            s.attempts,
            took,
            Money::to_string(&s.cost),
            verdict,
            route
        ));
        if let Some(err) = &s.error {
            out.push_str(&format!("      {err}\n"));
        }
    }
    out
}

/// Where the run waits and the command for each decision available there.
pub fn decisions(park: &ParkView, id: &EpisodeId) -> String {
    let mut out = format!("  waiting at: {} — {}\n", park.label, park.kind.describe());
    if !park.summary.trim().is_empty() {
        out += &format!("    {}\n", park.summary.trim().replace('\n', "\n    "));
    }
    for figure in &park.failing {
        out += &format!("    failing: {figure}\n");
    }
    if let Some(advice) = &park.advice {
        out += &format!("    what to do: {advice}\n");
    }
    out += "  decisions:\n";
    for offer in &park.available {
        let line = match offer {
            AvailableDecision::Approve => format!("approve:          showrunner approve {id} [--note TEXT]"),
            AvailableDecision::ContinueAnyway => {
                format!("continue anyway:  showrunner approve {id} --note WHY")
            }
            AvailableDecision::SendBack { stages } => {
                let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
                format!(
                    "send back:        showrunner reject {id} --redo STAGE --note TEXT   (STAGE: {})",
                    names.join(", ")
                )
            }
            AvailableDecision::Edit { target, artifact } => {
                let what = match target {
                    EditTarget::Script => "script",
                    EditTarget::Research => "research facts",
                    EditTarget::Plan => "plan",
                    EditTarget::Master => "master",
                };
                format!(
                    "edit:             open the {what} in the app (artifact {})",
                    artifact.id
                )
            }
            AvailableDecision::RaiseBudget { cap, spent } => {
                format!("raise the cap:    showrunner raise-budget {id} --to DOLLARS   (cap {cap}, spent {spent})")
            }
            AvailableDecision::Retry => format!("retry:            showrunner retry {id}"),
            AvailableDecision::Stop => format!("stop:             showrunner stop {id}"),
        };
        out += &format!("    {line}\n");
    }
    out
}
