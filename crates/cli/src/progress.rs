//! Live progress on stderr while a run is driven: one line per stage as it starts and finishes.

use std::collections::HashMap;

use showrunner_api::domain::{AttemptStatus, RunId};
use showrunner_api::{runs, App};

/// Prints stage transitions of `run` until the returned handle is aborted.
pub fn follow(app: &App, run: &RunId) -> tokio::task::JoinHandle<()> {
    follow_as(app, run, "")
}

/// As [`follow`], each line starting with `prefix` (a batch's row), so concurrent runs stay apart.
pub fn follow_as(app: &App, run: &RunId, prefix: &str) -> tokio::task::JoinHandle<()> {
    let app = app.clone();
    let prefix = prefix.to_owned();
    let run = run.clone();
    tokio::spawn(async move {
        let mut seen: HashMap<String, (AttemptStatus, u32)> = HashMap::new();
        let _ = runs::watch_run(&app, &run, |view| {
            for s in &view.stages {
                let key = s.stage.as_str().to_owned();
                let now = (s.status, s.attempts);
                if seen.get(&key) == Some(&now) || s.status == AttemptStatus::Pending {
                    seen.insert(key, now);
                    continue;
                }
                seen.insert(key, now);
                let mark = match s.status {
                    AttemptStatus::Done => "done",
                    AttemptStatus::Running => "running",
                    AttemptStatus::Parked => "waiting for you",
                    AttemptStatus::Failed => "FAILED",
                    other => other.as_str(),
                };
                let took = s
                    .duration_ms
                    .filter(|_| s.status == AttemptStatus::Done)
                    .map(|d| format!(" ({:.1} s)", d as f64 / 1000.0))
                    .unwrap_or_default();
                let verdict = s
                    .verdict
                    .filter(|_| s.status != AttemptStatus::Running)
                    .map(|v| format!(" [{v}]"))
                    .unwrap_or_default();
                eprintln!("{prefix}  {:<26} {mark}{took}{verdict}", s.label);
                if let Some(err) = s.error.as_ref().filter(|_| s.status == AttemptStatus::Failed) {
                    eprintln!("{prefix}      {err}");
                }
            }
            true
        })
        .await;
    })
}
