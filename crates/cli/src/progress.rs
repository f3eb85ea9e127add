//! Live progress on stderr while a run is driven: one line per stage as it starts and finishes.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use showrunner_api::domain::{AttemptStatus, RunId};
use showrunner_api::voice_catalog::VoiceDownloadProgress;
use showrunner_api::{runs, App};

/// A voice download's progress line on stderr, rewritten in place at each whole percent.
pub fn download_line(name: &str) -> Arc<dyn Fn(VoiceDownloadProgress) + Send + Sync> {
    let name = name.to_owned();
    let shown = Mutex::new(None::<u64>);
    Arc::new(move |p: VoiceDownloadProgress| {
        let percent = (p.received_bytes * 100).checked_div(p.total_bytes).unwrap_or(0);
        let mut last = shown.lock().unwrap_or_else(|e| e.into_inner());
        if *last == Some(percent) {
            return;
        }
        *last = Some(percent);
        eprint!(
            "\r  {name}  {:.1} / {:.1} MB  {percent:>3} %",
            p.received_bytes as f64 / 1_000_000.0,
            p.total_bytes as f64 / 1_000_000.0
        );
        let _ = std::io::stderr().flush();
    })
}

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
