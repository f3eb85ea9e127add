//! Running the `showrunner` binary as a producer does: a real process on a real data folder.

use std::path::Path;
use std::process::{Command, Output};

/// `showrunner --data-dir DATA ARGS…`, waited for.
pub fn showrunner(data: &Path, args: &[&str]) -> Output {
    showrunner_with(data, args, &[])
}

/// [`showrunner`] with `env` added to the process's environment.
pub fn showrunner_with(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_showrunner"));
    command.arg("--data-dir").arg(data).args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run showrunner")
}

/// Stdout as JSON, after checking the command succeeded.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "showrunner failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// `produce` offline of a two-minute episode on "Why tides turn", which parks at script sign-off; its id.
pub fn produce_tides(data: &Path) -> String {
    let produced = json(&showrunner(
        data,
        &[
            "produce",
            "--topic",
            "Why tides turn",
            "--minutes",
            "2",
            "--offline",
            "--json",
        ],
    ));
    produced["episode"]["id"].as_str().expect("the episode's id").to_owned()
}
