//! Languages from the command line: `produce --language`, a show's default set with `show language`, and a
//! language Showrunner does not make refused before anything is written.

use crate::support::{json, showrunner};

fn said(script: &serde_json::Value) -> String {
    script["script"]["script"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["lines"].as_array().unwrap().iter())
        .map(|l| l["text"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn produce_takes_a_language_or_the_shows_default_and_refuses_one_it_does_not_make() {
    let data = tempfile::tempdir().unwrap();

    let out = showrunner(
        data.path(),
        &["produce", "--topic", "Tides", "--language", "klingon", "--offline"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'klingon' is not a language Showrunner makes") && stderr.contains("de (German)"),
        "{stderr}"
    );
    assert!(json(&showrunner(data.path(), &["episodes", "--json"]))
        .as_array()
        .unwrap()
        .is_empty());

    // Named on the command line, by its native name.
    let out = showrunner(
        data.path(),
        &[
            "produce",
            "--topic",
            "Warum sich die Gezeiten wenden",
            "--minutes",
            "2",
            "--language",
            "Deutsch",
            "--offline",
            "--json",
        ],
    );
    let summary = json(&out);
    assert_eq!(summary["episode"]["language"], "de");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("in German)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = summary["episode"]["id"].as_str().unwrap().to_owned();
    let german = said(&json(&showrunner(data.path(), &["script", &id, "--json"])));
    assert!(german.contains(" und ") && !german.contains(" the "), "{german}");

    // The show's default: French, so an episode that names none is French.
    let set = showrunner(data.path(), &["show", "language", "My Podcast", "fr"]);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    assert!(
        String::from_utf8_lossy(&set.stdout).contains("new episodes are in French by default"),
        "{}",
        String::from_utf8_lossy(&set.stdout)
    );
    let summary = json(&showrunner(
        data.path(),
        &[
            "produce",
            "--topic",
            "Pourquoi les marées tournent",
            "--minutes",
            "2",
            "--offline",
            "--json",
        ],
    ));
    assert_eq!(summary["episode"]["language"], "fr");
    let id = summary["episode"]["id"].as_str().unwrap().to_owned();
    let french = said(&json(&showrunner(data.path(), &["script", &id, "--json"])));
    assert!(french.contains(" et ") && !french.contains(" the "), "{french}");
}
