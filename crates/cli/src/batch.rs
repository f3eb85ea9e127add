//! `produce --batch FILE --parallel N`: every row is checked first (a bad one is reported by its line and
//! skipped), then the good ones run N at a time in this one process, so they share its engine and the
//! providers' limiters; each run's stage lines start with its row, and a table sums them up at the end.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use showrunner_api::batch::{check_row, BatchRow};
use showrunner_api::domain::{EpisodeStatus, Money, NewEpisode, Show};
use showrunner_api::sources::SourceInput;
use showrunner_api::{episodes, script, shows, ApiError, App, ErrorCode};
use tokio::sync::Semaphore;

use crate::batch_file::{self, FileRow};
use crate::commands::{default_show, DEFAULT_BUDGET, DEFAULT_MINUTES};
use crate::output::json;
use crate::progress;

/// How the batch was asked for.
pub struct BatchOptions {
    pub parallel: u16,
    pub auto_approve: bool,
    pub over_cap_confirmed: bool,
    pub as_json: bool,
}

/// One row's line in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct RowOutcome {
    pub line: u64,
    pub topic: String,
    /// `skipped` (a bad row), `failed`, or the episode's status when its run came to rest.
    pub status: String,
    pub minutes: Option<u32>,
    pub cost: Option<Money>,
    pub episode_id: Option<String>,
    pub error: Option<String>,
}

pub async fn produce_batch(app: &App, file: &Path, options: BatchOptions) -> Result<(), ApiError> {
    let rows = batch_file::read(file)?;
    // A row's relative source paths name files beside the batch file, wherever the command is run from.
    let base = file.parent().unwrap_or(Path::new("."));
    let mut outcomes = Vec::new();
    let mut ready = Vec::new();
    let mut shows_by_name: HashMap<String, Show> = HashMap::new();
    for (line, row) in rows {
        let topic = row.as_ref().map(|r| r.topic.trim().to_owned()).unwrap_or_default();
        let checked = match row {
            Ok(row) => to_batch_row(app, line, &row, base, &mut shows_by_name, options.over_cap_confirmed)
                .await
                .map(|batch_row| (row, batch_row)),
            Err(unreadable) => Err(ApiError::new(ErrorCode::InvalidInput, unreadable.to_string())),
        };
        match checked {
            Ok((row, batch_row)) => ready.push((line, row.topic, batch_row)),
            Err(error) => {
                eprintln!("[line {line}] skipped: {} [{}]", describe(&error), code(&error));
                outcomes.push(RowOutcome {
                    line,
                    topic,
                    status: "skipped".into(),
                    minutes: None,
                    cost: None,
                    episode_id: None,
                    error: Some(describe(&error)),
                });
            }
        }
    }
    eprintln!(
        "Producing {} episode(s), {} at a time ({} row(s) skipped).",
        ready.len(),
        options.parallel,
        outcomes.len()
    );
    let slots = Arc::new(Semaphore::new(usize::from(options.parallel)));
    let mut tasks = tokio::task::JoinSet::new();
    for (line, topic, row) in ready {
        let (app, slots, auto_approve) = (app.clone(), slots.clone(), options.auto_approve);
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.expect("the semaphore is never closed");
            run_row(&app, line, topic, row, auto_approve).await
        });
    }
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.map_err(|e| ApiError::new(ErrorCode::Internal, format!("a batch task stopped: {e}")))?);
    }
    outcomes.sort_by_key(|o| o.line);
    if options.as_json {
        json(&outcomes)?;
    }
    eprint!("{}", table(&outcomes));
    let failed = outcomes.iter().filter(|o| o.status == "failed").count();
    let skipped = outcomes.iter().filter(|o| o.status == "skipped").count();
    if failed > 0 {
        return Err(ApiError::new(
            ErrorCode::Provider,
            format!("{failed} of {} episode(s) failed.", outcomes.len() - skipped),
        ));
    }
    if skipped == outcomes.len() && skipped > 0 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "No row of the batch could be started.",
        ));
    }
    Ok(())
}

/// A row's text made into a checked request: numbers parsed, the show found, the API's checks passed.
async fn to_batch_row(
    app: &App,
    line: u64,
    row: &FileRow,
    base: &Path,
    shows_by_name: &mut HashMap<String, Show>,
    over_cap_confirmed: bool,
) -> Result<Ready, ApiError> {
    // What the row says is checked before its show is looked up (or the default show created).
    let format = match row.format.as_str() {
        "" => None,
        text => Some(
            crate::args::parse_format(text)
                .map_err(|e| ApiError::field(ErrorCode::InvalidInput, "format", &e.to_string()))?,
        ),
    };
    let typed_minutes = match row.minutes.as_str() {
        "" => None,
        text => Some(
            crate::args::parse_minutes(text)
                .map_err(|e| ApiError::field(ErrorCode::InvalidInput, "minutes", &e.to_string()))?,
        ),
    };
    let budget = if row.budget.is_empty() {
        DEFAULT_BUDGET
    } else {
        &row.budget
    };
    let budget_cap = Money::parse_dollars(budget)
        .map_err(|e| ApiError::field(ErrorCode::InvalidInput, "budget", &format!("budget: {e}")))?;
    let show = match shows_by_name.get(&row.show) {
        Some(show) => show.clone(),
        None => {
            let show = if row.show.is_empty() {
                default_show(app).await?
            } else {
                shows::find_show(app, &row.show).await?
            };
            shows_by_name.insert(row.show.clone(), show.clone());
            show
        }
    };
    // A row without a length gets its format's usual one (a brief is four minutes).
    let minutes = typed_minutes.unwrap_or_else(|| {
        format
            .unwrap_or(show.brand.default_format)
            .default_minutes(DEFAULT_MINUTES)
    });
    let batch_row = BatchRow {
        show_id: show.id.clone(),
        topic: row.topic.clone(),
        target_minutes: minutes,
        budget_cap,
        format,
        language: Some(row.language.clone()),
        sources: crate::sources::inputs(&row.sources, &[])
            .into_iter()
            .map(|source| match source {
                SourceInput::File { path } => SourceInput::File {
                    path: base.join(path).display().to_string(),
                },
                other => other,
            })
            .collect(),
        over_cap_confirmed,
    };
    let (episode, estimate) = check_row(app, &batch_row).await?;
    eprintln!(
        "[line {line}] estimated {} ({}) of a {} cap ({})",
        estimate.total,
        showrunner_api::estimate::phase_costs(&estimate),
        budget_cap,
        episode.format.label().to_lowercase()
    );
    Ok(Ready {
        episode,
        sources: batch_row.sources,
    })
}

/// A checked row: the episode it starts and the sources it is researched from.
struct Ready {
    episode: NewEpisode,
    sources: Vec<SourceInput>,
}

async fn run_row(app: &App, line: u64, topic: String, row: Ready, auto_approve: bool) -> RowOutcome {
    let prefix = format!("[line {line}]");
    let mut outcome = RowOutcome {
        line,
        topic: topic.trim().to_owned(),
        status: "failed".into(),
        minutes: Some(row.episode.target_minutes),
        cost: None,
        episode_id: None,
        error: None,
    };
    let episode = match episodes::start_episode_with_sources(app, row.episode, &row.sources).await {
        Ok(episode) => episode,
        Err(error) => {
            eprintln!("{prefix} could not start: {} [{}]", describe(&error), code(&error));
            outcome.error = Some(describe(&error));
            return outcome;
        }
    };
    eprintln!("{prefix} producing \"{}\" (episode {})", episode.topic, episode.id);
    outcome.episode_id = Some(episode.id.to_string());
    let mut result = settle(app, &episode.id, &prefix).await;
    if auto_approve && matches!(&result, Ok(status) if *status == EpisodeStatus::AwaitingScriptSignoff) {
        eprintln!("{prefix} script approved automatically (--auto-approve-script)");
        result = match script::approve_script(app, &episode.id, "approved with --auto-approve-script").await {
            Ok(_) => settle(app, &episode.id, &prefix).await,
            Err(e) => Err(e),
        };
    }
    if let Ok(now) = episodes::episode(app, &episode.id).await {
        outcome.cost = Some(now.spent);
    }
    match result {
        Ok(EpisodeStatus::Failed) => outcome.error = failure(app, &episode.id).await,
        Ok(status) => outcome.status = status.as_str().to_owned(),
        Err(error) => outcome.error = Some(describe(&error)),
    }
    eprintln!("{prefix} {}", outcome.status);
    outcome
}

/// Drives the episode's run to rest, its stage lines prefixed.
async fn settle(app: &App, id: &showrunner_api::domain::EpisodeId, prefix: &str) -> Result<EpisodeStatus, ApiError> {
    let episode = episodes::episode(app, id).await?;
    if let Some(run) = episode.run_id.clone() {
        let follower = progress::follow_as(app, &run, prefix);
        let status = app.engine().drive_to_rest(&run).await;
        // Let the follower print the last transition before it stops.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        follower.abort();
        status?;
    }
    Ok(episodes::episode(app, id).await?.status)
}

async fn failure(app: &App, id: &showrunner_api::domain::EpisodeId) -> Option<String> {
    let detail = episodes::get_episode(app, id).await.ok()?;
    let run = detail.run?;
    let stage = run.stages.iter().find(|s| s.status.as_str() == "failed")?;
    Some(format!(
        "{} failed: {}",
        stage.label,
        stage.error.clone().unwrap_or_default()
    ))
}

/// A field error names its field; anything else is its message.
fn describe(error: &ApiError) -> String {
    let fields = error
        .details
        .as_ref()
        .and_then(|d| d.get("errors"))
        .and_then(|e| e.as_array())
        .filter(|e| e.len() > 1);
    match fields {
        Some(fields) => fields
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    f["field"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        None => error.message.clone(),
    }
}

fn code(error: &ApiError) -> String {
    serde_json::to_value(error.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn table(outcomes: &[RowOutcome]) -> String {
    let mut out = format!(
        "\n{:<6} {:<32} {:<24} {:>7} {:>10}  {}\n",
        "line", "topic", "status", "minutes", "cost", "episode"
    );
    for o in outcomes {
        let topic: String = o.topic.chars().take(32).collect();
        out.push_str(&format!(
            "{:<6} {:<32} {:<24} {:>7} {:>10}  {}\n",
            o.line,
            topic,
            o.status,
            o.minutes.map(|m| m.to_string()).unwrap_or_else(|| "-".into()),
            o.cost.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
            o.episode_id.as_deref().unwrap_or("-"),
        ));
        if let Some(error) = &o.error {
            out.push_str(&format!("       {error}\n"));
        }
    }
    let count = |s: &str| outcomes.iter().filter(|o| o.status == s).count();
    let (failed, skipped) = (count("failed"), count("skipped"));
    out.push_str(&format!(
        "{} done, {failed} failed, {skipped} skipped\n",
        outcomes.len() - failed - skipped
    ));
    out
}
