//! `showrunner produce --source`, `showrunner sources` and `showrunner show sources`: a producer's sources
//! from the command line, through the same reading and refusals as the app.

use crate::support::{json, showrunner};

fn names(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sources_are_added_listed_and_refused_by_name_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let docs = tempfile::tempdir().unwrap();
    let good = docs.path().join("keepers.md");
    std::fs::write(
        &good,
        "# The lamp\n\nEach night the keeper trimmed the wick and polished the lens.\n",
    )
    .unwrap();
    let bad = docs.path().join("broken.pdf");
    std::fs::write(&bad, b"not a pdf").unwrap();
    let log = docs.path().join("log.txt");
    std::fs::write(&log, "Supply boats came once a month, weather permitting.\n").unwrap();

    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let app = showrunner_api::App::open(showrunner_api::AppOptions {
            data_dir: Some(data.path().to_path_buf()),
            offline: true,
        })
        .await
        .unwrap();
        showrunner_api::shows::create_show(&app, showrunner_api::domain::BrandVoice::starter("Tide Tables"))
            .await
            .unwrap();
    });

    // A standing source on the show, with a bad file refused by name and the good one kept.
    let out = showrunner(
        data.path(),
        &[
            "show",
            "sources",
            "Tide Tables",
            "add",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success(), "a refused source fails the command");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[source_unreadable]") && stderr.contains("broken.pdf"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("added"),
        "the good one is reported"
    );
    let standing = json(&showrunner(
        data.path(),
        &["show", "sources", "Tide Tables", "list", "--json"],
    ));
    assert_eq!(names(&standing), ["keepers.md"]);

    // An episode produced with its own source and a note gets those and the show's standing one.
    let summary = json(&showrunner(
        data.path(),
        &[
            "produce",
            "--topic",
            "Lighthouse keepers",
            "--minutes",
            "1",
            "--offline",
            "--show",
            "Tide Tables",
            "--source",
            log.to_str().unwrap(),
            "--note",
            "Keepers logged every passing ship in a ledger.",
            "--json",
        ],
    ));
    let id = summary["episode"]["id"].as_str().unwrap().to_owned();
    let listed = json(&showrunner(data.path(), &["sources", &id[..8], "--json"]));
    assert_eq!(
        names(&listed),
        [
            "log.txt",
            "Note: Keepers logged every passing ship in a ledger.",
            "keepers.md"
        ]
    );

    // Added to the episode afterwards; a missing file is named.
    let missing = docs.path().join("missing.md");
    let out = showrunner(data.path(), &["sources", "add", &id[..8], missing.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.md"));
    let out = showrunner(data.path(), &["sources", "add", &id[..8], good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&showrunner(data.path(), &["sources", &id[..8]]).stdout).into_owned();
    assert_eq!(text.lines().count(), 4, "{text}");

    // Removing the standing source leaves the episode's copy.
    let standing_id = standing[0]["id"].as_str().unwrap();
    let out = showrunner(
        data.path(),
        &["show", "sources", "Tide Tables", "remove", &standing_id[..13]],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(names(&json(&showrunner(
        data.path(),
        &["show", "sources", "Tide Tables", "list", "--json"]
    )))
    .is_empty());
    assert_eq!(
        names(&json(&showrunner(data.path(), &["sources", &id, "--json"]))).len(),
        4
    );
}
