//! `showrunner produce --batch`: several offline episodes in one process, bad rows reported by their line and
//! skipped, a summary at the end, and an exit code that says whether an episode failed.

use std::process::Output;

use crate::support::{showrunner, showrunner_with};

fn rows(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn a_csv_batch_runs_two_at_once_and_reports_the_bad_row_by_its_line() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("batch.csv");
    std::fs::write(
        &file,
        "topic,show,minutes,budget,format,language,sources\n\
         Why tides turn,,2,5,Brief,en,\n\
         The first lighthouse,,ten,5,,,\n\
         \"Moons, and why they drift\",,1,5,,,\n\
         A critique of tides,,5,5,critique,,\n",
    )
    .unwrap();
    let out = showrunner_with(
        data.path(),
        &[
            "produce",
            "--batch",
            file.to_str().unwrap(),
            "--parallel",
            "2",
            "--offline",
            "--json",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "no episode failed: {stderr}");
    assert!(
        stderr.contains("[line 3] skipped") && stderr.contains("not a whole number"),
        "the bad row is named by its line: {stderr}"
    );
    assert!(
        stderr.contains("[line 2]  Research · discover") && stderr.contains("[line 4]  Research · discover"),
        "each episode's progress lines carry its row: {stderr}"
    );
    assert!(
        stderr.contains("[line 5] skipped") && stderr.contains("'critique' is not a format"),
        "an unknown format is refused on its row: {stderr}"
    );
    assert!(stderr.contains("2 done, 0 failed, 2 skipped"), "{stderr}");
    assert!(
        stderr.contains("[line 2] estimated $0.00") && stderr.contains("of a $5.00 cap (brief)"),
        "each row's estimate and format are shown before it starts: {stderr}"
    );
    assert!(
        stderr.contains("of a $5.00 cap (deep dive)"),
        "a row without a format takes the show's: {stderr}"
    );

    let summary = rows(&out);
    let line = |n: u64| summary.iter().find(|r| r["line"] == n).unwrap().clone();
    assert_eq!(summary.len(), 4);
    assert_eq!(line(3)["status"], "skipped");
    assert_eq!(line(5)["status"], "skipped");
    for n in [2, 4] {
        assert_eq!(line(n)["status"], "awaiting_script_signoff", "{:?}", line(n));
    }
    assert_eq!(line(4)["topic"], "Moons, and why they drift");
    assert_eq!(line(4)["minutes"], 1);

    let listed = showrunner(data.path(), &["episodes", "--json"]);
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    let tides = listed.iter().find(|e| e["topic"] == "Why tides turn").unwrap();
    assert_eq!(tides["format"], "brief", "the row's format is the episode's");
    let mut ids: Vec<String> = listed.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    let mut reported: Vec<String> = [2, 4]
        .iter()
        .map(|n| line(*n)["episode_id"].as_str().unwrap().to_owned())
        .collect();
    reported.sort();
    assert_eq!(ids, reported, "exactly the two good rows became episodes");
}

#[test]
fn six_rows_at_parallel_three_make_five_episodes_one_from_its_own_source_and_name_the_bad_row() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("plans");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("harbour.md"),
        "# The harbour\n\nThe harbour wall at Porthkennack was raised in 1887 after the great gale.\n",
    )
    .unwrap();
    let file = folder.join("season.csv");
    // Row 5's source is named relative to the batch file; row 6's file is not there.
    std::fs::write(
        &file,
        "topic,minutes,budget,sources\n\
         Why tides turn,1,5,\n\
         The first lighthouse,1,5,\n\
         Moons and why they drift,1,5,\n\
         The harbour wall,1,5,harbour.md\n\
         Storm surges,1,5,gone.md\n\
         Fog signals,1,5,\n",
    )
    .unwrap();
    let out = showrunner_with(
        data.path(),
        &[
            "produce",
            "--batch",
            file.to_str().unwrap(),
            "--parallel",
            "3",
            "--offline",
            "--json",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "no episode failed: {stderr}");
    assert!(
        stderr.contains("Producing 5 episode(s), 3 at a time (1 row(s) skipped)."),
        "{stderr}"
    );
    assert!(
        stderr.contains("[line 6] skipped") && stderr.contains("gone.md"),
        "the row whose file is missing is named by its line and the file: {stderr}"
    );
    assert!(stderr.contains("5 done, 0 failed, 1 skipped"), "{stderr}");

    let summary = rows(&out);
    assert_eq!(summary.len(), 6);
    let done: Vec<&serde_json::Value> = summary
        .iter()
        .filter(|r| r["status"] == "awaiting_script_signoff")
        .collect();
    assert_eq!(done.len(), 5, "{summary:?}");
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(&showrunner(data.path(), &["episodes", "--json"]).stdout).unwrap();
    assert_eq!(listed.len(), 5, "exactly the good rows became episodes");

    // The harbour row was researched from its own file, and the script says what the file says.
    let harbour = summary.iter().find(|r| r["line"] == 5).unwrap();
    let id = harbour["episode_id"].as_str().unwrap();
    let sources =
        serde_json::from_slice::<serde_json::Value>(&showrunner(data.path(), &["sources", id, "--json"]).stdout)
            .unwrap();
    assert_eq!(sources[0]["name"], "harbour.md", "{sources}");
    let script = String::from_utf8_lossy(&showrunner(data.path(), &["script", id, "--json"]).stdout).into_owned();
    assert!(script.contains("1887"), "the script speaks the source: {script}");
    // The others had none.
    let other = summary.iter().find(|r| r["line"] == 2).unwrap()["episode_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let none =
        serde_json::from_slice::<serde_json::Value>(&showrunner(data.path(), &["sources", &other, "--json"]).stdout)
            .unwrap();
    assert_eq!(none.as_array().map(Vec::len), Some(0), "{none}");
}

#[test]
fn a_json_lines_batch_refuses_an_unknown_format_and_language_per_row_and_fails_when_an_episode_fails() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("batch.jsonl");
    std::fs::write(
        &file,
        concat!(
            "{\"topic\": \"Why tides turn\", \"minutes\": 1, \"budget\": \"5\"}\n",
            "{\"topic\": \"Critiquing the moon\", \"minutes\": 1, \"format\": \"critique\"}\n",
            "\n",
            "{\"topic\": \"Sources\", \"minutes\": 1, \"sources\": [\"notes.md\"], \"language\": \"ja\"}\n",
        ),
    )
    .unwrap();
    let out = showrunner_with(
        data.path(),
        &["produce", "--batch", file.to_str().unwrap(), "--offline", "--json"],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let summary = rows(&out);
    assert_eq!(summary[0]["status"], "awaiting_script_signoff");
    assert_eq!(
        (summary[1]["line"].as_u64(), summary[1]["status"].as_str()),
        (Some(2), Some("skipped"))
    );
    assert!(summary[1]["error"]
        .as_str()
        .unwrap()
        .contains("'critique' is not a format"));
    assert_eq!(summary[2]["line"], 4, "the blank line is counted");
    let refused = summary[2]["error"].as_str().unwrap();
    assert!(
        refused.contains("sources:") && refused.contains("language:"),
        "{refused}"
    );

    // No speech engine on the PATH: the row is checked, but its episode cannot start, and the exit code says so.
    let out = showrunner_with(
        data.path(),
        &["produce", "--batch", file.to_str().unwrap(), "--offline", "--json"],
        &[("PATH", "/nonexistent")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 done, 1 failed, 2 skipped"), "{stderr}");
    assert!(stderr.contains("[line 1] could not start"), "{stderr}");
}

#[test]
fn an_estimate_over_the_cap_is_refused_without_yes_and_nothing_is_created() {
    let data = tempfile::tempdir().unwrap();
    // A key makes Claude the writer, so the estimate has a price; the cap is a millionth of a dollar.
    let env = [
        ("ANTHROPIC_API_KEY", "sk-ant-fake-key-batch"),
        ("SHOWRUNNER_KEYRING", "none"),
        ("SHOWRUNNER_ANTHROPIC_BASE_URL", "http://127.0.0.1:9"),
    ];
    let out = showrunner_with(
        data.path(),
        &[
            "produce",
            "--topic",
            "Why tides turn",
            "--minutes",
            "2",
            "--budget",
            "0.000001",
        ],
        &env,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error[estimate_over_cap]") && stderr.contains("--yes"),
        "{stderr}"
    );
    let listed = showrunner_with(data.path(), &["episodes", "--json"], &env);
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(listed.is_empty(), "no episode was created");
}
