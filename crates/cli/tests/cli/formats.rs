//! Episode formats from the command line: `produce --format`, a show's default set with `show format`, and
//! an unknown format refused before anything is written.

use crate::support::{json, showrunner};

fn speakers(script: &serde_json::Value) -> Vec<String> {
    script["script"]["script"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["lines"].as_array().unwrap().iter())
        .map(|l| l["speaker"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn produce_takes_a_format_or_the_shows_default_and_refuses_one_that_does_not_exist() {
    let data = tempfile::tempdir().unwrap();

    let out = showrunner(
        data.path(),
        &["produce", "--topic", "Tides", "--format", "critique", "--offline"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'critique' is not a format") && stderr.contains("deep_dive, brief"),
        "{stderr}"
    );
    assert!(json(&showrunner(data.path(), &["episodes", "--json"]))
        .as_array()
        .unwrap()
        .is_empty());

    // A brief with no length given is four minutes.
    let out = showrunner(
        data.path(),
        &[
            "produce",
            "--topic",
            "Why tides turn",
            "--format",
            "Brief",
            "--offline",
            "--json",
        ],
    );
    let summary = json(&out);
    assert_eq!(summary["episode"]["format"], "brief");
    assert_eq!(summary["episode"]["target_minutes"], 4);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("(brief, episode "),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The show's default: solo narration, so one host speaks every line.
    let set = showrunner(data.path(), &["show", "format", "My Podcast", "solo"]);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    assert!(String::from_utf8_lossy(&set.stdout).contains("new episodes are solo narration by default"));
    let summary = json(&showrunner(
        data.path(),
        &[
            "produce",
            "--topic",
            "How moons drift",
            "--minutes",
            "2",
            "--offline",
            "--json",
        ],
    ));
    assert_eq!(summary["episode"]["format"], "solo");
    let id = summary["episode"]["id"].as_str().unwrap().to_owned();
    let script = json(&showrunner(data.path(), &["script", &id, "--json"]));
    let who = speakers(&script);
    assert!(!who.is_empty() && who.iter().all(|s| s == &who[0]), "{who:?}");

    // A batch row that names a brief and no length is four minutes long.
    let file = data.path().join("briefs.csv");
    std::fs::write(&file, "topic,format\nThe tide in brief,brief\n").unwrap();
    let out = showrunner(
        data.path(),
        &["produce", "--batch", file.to_str().unwrap(), "--offline", "--json"],
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["minutes"], 4, "{}", String::from_utf8_lossy(&out.stderr));

    let listed = String::from_utf8_lossy(&showrunner(data.path(), &["episodes"]).stdout).into_owned();
    assert!(
        listed.contains("How moons drift  (My Podcast, solo narration)") && listed.contains("(My Podcast, brief)"),
        "the list names each episode's format: {listed}"
    );
}
