//! The `showrunner` binary as a producer uses it: real processes, a real data folder, real speech.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn showrunner(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_showrunner"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run showrunner")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "showrunner failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn produce_offline_parks_at_sign_off_then_approvals_release_and_export_writes_the_package() {
    let data = tempfile::tempdir().unwrap();
    let out = showrunner(
        data.path(),
        &[
            "produce",
            "--topic",
            "Why tides turn",
            "--minutes",
            "2",
            "--offline",
            "--json",
        ],
    );
    let summary = json(&out);
    assert_eq!(summary["episode"]["status"], "awaiting_script_signoff");
    assert_eq!(summary["run"]["rehearsal"], true);
    let id = summary["episode"]["id"].as_str().unwrap().to_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Research · discover"),
        "progress is printed on stderr: {stderr}"
    );

    let out = showrunner(data.path(), &["approve", &id[..8]]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = json(&showrunner(data.path(), &["show", &id, "--json"]));
    assert_eq!(shown["episode"]["status"], "awaiting_release");
    assert!(shown["episode"]["duration_ms"].as_u64().unwrap() > 0);
    assert!(
        Path::new(shown["master_mp3"].as_str().unwrap()).exists(),
        "the MP3 master is on disk"
    );

    assert!(showrunner(data.path(), &["approve", &id, "--note", "ship it"])
        .status
        .success());
    let listed = json(&showrunner(data.path(), &["episodes", "--json"]));
    assert_eq!(listed[0]["status"], "released");

    let export_dir = data.path().join("export");
    let out = showrunner(data.path(), &["export", &id, "--to", export_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in ["episode.mp3", "transcript.vtt", "chapters.json", "show-notes.md"] {
        let len = std::fs::metadata(export_dir.join(file)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{file} is exported and not empty");
    }
}

#[test]
fn a_killed_produce_resumes_where_it_stopped() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_showrunner"))
        .arg("--data-dir")
        .arg(data.path())
        .args([
            "produce",
            "--topic",
            "The first lighthouse",
            "--minutes",
            "2",
            "--auto-approve-script",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill it the moment speech synthesis starts: mid-run, after the script was approved.
    let stderr = child.stderr.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if line.contains("Audio · synthesize") && line.contains("running") {
            break;
        }
        assert!(Instant::now() < deadline, "produce never reached speech synthesis");
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let listed = json(&showrunner(data.path(), &["episodes", "--json"]));
    assert_eq!(listed[0]["status"], "producing", "the killed run is left as it was");
    let out = showrunner(data.path(), &["resume"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = json(&showrunner(data.path(), &["episodes", "--json"]));
    assert_eq!(
        listed[0]["status"], "awaiting_release",
        "resume finished the run to the release gate"
    );
    let id = listed[0]["id"].as_str().unwrap();
    let shown = json(&showrunner(data.path(), &["show", id, "--json"]));
    let stages = shown["run"]["stages"].as_array().unwrap();
    let write = stages.iter().find(|s| s["stage"] == "script.write").unwrap();
    assert_eq!(write["attempts"], 1, "finished work before the kill is not redone");
}

#[test]
fn bad_input_gets_a_coded_error_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let out = showrunner(data.path(), &["produce", "--topic", "   ", "--offline"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[invalid_input]") && stderr.contains("topic"),
        "{stderr}"
    );

    let out = showrunner(data.path(), &["produce", "--topic", "Tides", "--budget", "-5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be negative"));

    let out = showrunner(data.path(), &["produce", "--topic", "Tides", "--minutes", "ten"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a whole number"));

    let out = showrunner(data.path(), &["produce", "--topic", "Tides", "--show", "Nope"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[not_found]"));

    let listed = json(&showrunner(data.path(), &["episodes", "--json"]));
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "no episode was written by any of the failed attempts"
    );
}

#[test]
fn script_edit_lock_diff_and_reject_to_the_writer_at_sign_off() {
    let data = tempfile::tempdir().unwrap();
    let produced = json(&showrunner(
        data.path(),
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
    let id = produced["episode"]["id"].as_str().unwrap().to_owned();
    let shown = json(&showrunner(data.path(), &["script", &id, "--json"]));
    let base = shown["script"]["latest_version"].as_u64().unwrap();
    let line = shown["script"]["script"]["segments"][1]["lines"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(shown["versions"].as_array().unwrap().len() as u64 == base);

    let edited = json(&showrunner(
        data.path(),
        &[
            "edit",
            &id,
            "--line",
            &line,
            "--text",
            "Tides keep their own time.",
            "--lock",
            "--json",
        ],
    ));
    assert_eq!(edited["latest_version"].as_u64().unwrap(), base + 1);
    let saved = edited["script"]["segments"][1]["lines"][0].clone();
    assert_eq!(saved["text"], "Tides keep their own time.");
    assert_eq!(saved["locked"], true);

    // A stale base version is a conflict (exit 4) naming the field, and nothing is saved.
    let stale = showrunner(
        data.path(),
        &[
            "edit",
            &id,
            "--line",
            &line,
            "--text",
            "Lost words.",
            "--base-version",
            &base.to_string(),
        ],
    );
    assert_eq!(stale.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(
        stderr.contains("error[conflict]") && stderr.contains("base_version"),
        "{stderr}"
    );
    let unknown = showrunner(data.path(), &["edit", &id, "--line", &line, "--speaker", "Nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("speaker"));

    let diff = showrunner(
        data.path(),
        &["script", &id, "--diff", &base.to_string(), &(base + 1).to_string()],
    );
    assert!(diff.status.success(), "{}", String::from_utf8_lossy(&diff.stderr));
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("1 changed"), "{text}");
    assert!(text.contains("{+") && text.contains(&format!("+ {line}")), "{text}");

    let out = showrunner(
        data.path(),
        &["reject", &id, "--redo", "script.write", "--note", "Shorter, please."],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = json(&showrunner(data.path(), &["script", &id, "--json"]));
    assert!(after["script"]["latest_version"].as_u64().unwrap() > base + 1);
    let kept = after["script"]["script"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["lines"].as_array().unwrap().clone())
        .find(|l| l["id"] == line.as_str())
        .expect("the locked line is still there");
    assert_eq!(kept["text"], "Tides keep their own time.");
    let origins: Vec<String> = after["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["origin"].as_str().unwrap().to_owned())
        .collect();
    assert!(origins.contains(&"send_back".to_owned()), "{origins:?}");
}
