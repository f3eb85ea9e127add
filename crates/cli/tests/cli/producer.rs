//! A producer's day with the `showrunner` binary: produce, sign off, release, export, edit, prompts, music,
//! voices and providers.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{json, produce_tides, showrunner};

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
    // The budget by the pipeline's own phases, each against its share of the cap (the offline crew is free).
    let read = showrunner(data.path(), &["show", &id]);
    let text = String::from_utf8_lossy(&read.stdout);
    let phases = text
        .lines()
        .find(|l| l.trim_start().starts_with("by phase:"))
        .unwrap_or_default();
    for phase in ["Research $0.00 of $", "Writing & review $0.00 of $", "Audio $0.00 of $"] {
        assert!(phases.contains(phase), "{phase:?} in {text}");
    }
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
    // The library finds it by a word of its script, filtered by status, and not by a word it never says.
    let found = json(&showrunner(
        data.path(),
        &["episodes", "--search", "tides", "--status", "released", "--json"],
    ));
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    let none = json(&showrunner(
        data.path(),
        &["episodes", "--search", "zyzzyvaqx", "--json"],
    ));
    assert_eq!(none.as_array().unwrap().len(), 0, "{none}");
    let wrong = json(&showrunner(
        data.path(),
        &["episodes", "--search", "tides", "--status", "failed", "--json"],
    ));
    assert_eq!(wrong.as_array().unwrap().len(), 0, "{wrong}");
    // The dashboard names the gates as the Run view does.
    let out = showrunner(data.path(), &["dashboard"]);
    let board = String::from_utf8_lossy(&out.stdout);
    let gates = board.split("Gate pass rates").nth(1).unwrap_or_default();
    let gates = gates.split("Evaluation scores").next().unwrap_or_default();
    assert!(
        gates.contains("Research · validate") && !gates.contains("research.validate"),
        "{board}"
    );

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
    let id = produce_tides(data.path());
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

// ----------------------------------------------------------------------------------------------------------
// Decisions at an escalated park, with the real provider clients against their fakes

#[test]
fn prompts_list_set_show_and_rollback_a_stage_template_refusing_one_that_does_not_render() {
    let data = tempfile::tempdir().unwrap();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let app = showrunner_api::App::open(showrunner_api::AppOptions {
            data_dir: Some(data.path().to_path_buf()),
            offline: true,
        })
        .await
        .unwrap();
        showrunner_api::shows::create_show(&app, showrunner_api::domain::BrandVoice::starter("Tide Tables"))
            .await
            .unwrap()
    });
    let listed = json(&showrunner(data.path(), &["prompts", "--json"]));
    let plan = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["template_id"] == "plan")
        .unwrap();
    assert_eq!(
        (plan["version"].as_u64(), plan["source"].as_str()),
        (Some(1), Some("shipped"))
    );

    let broken = data.path().join("broken.j2");
    std::fs::write(&broken, "Stage: {{ task }}\n{{ nothing_here }}\n").unwrap();
    let out = showrunner(
        data.path(),
        &[
            "prompts",
            "set",
            "plan",
            "--show",
            "Tide Tables",
            "--file",
            broken.to_str().unwrap(),
            "--note",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[template_invalid]") && stderr.contains("line 2"),
        "{stderr}"
    );

    let good = data.path().join("plan.j2");
    std::fs::write(
        &good,
        "Stage: {{ task }} v{{ version }}\nPlan three acts.\n\nInputs:\n{{ inputs }}\n",
    )
    .unwrap();
    let out = showrunner(
        data.path(),
        &[
            "prompts",
            "set",
            "plan",
            "--show",
            "Tide Tables",
            "--file",
            good.to_str().unwrap(),
            "--note",
            "acts",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = json(&showrunner(data.path(), &["prompts", "show", "plan", "--json"]));
    assert_eq!(shown["template"]["version"], 2);
    assert_eq!(shown["template"]["note"], "acts");
    assert_eq!(shown["diff"]["same_as_shipped"], false);
    let out = showrunner(data.path(), &["prompts", "show", "plan", "--version", "1"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Same as the shipped default."));

    let out = showrunner(
        data.path(),
        &["prompts", "rollback", "plan", "--show", "Tide Tables", "--version", "1"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = json(&showrunner(data.path(), &["prompts", "show", "plan", "--json"]));
    assert_eq!(shown["template"]["version"], 3);
    assert_eq!(shown["diff"]["same_as_shipped"], true);
}

#[test]
fn show_music_refuses_a_bad_file_with_its_code_and_sets_a_good_one() {
    let data = tempfile::tempdir().unwrap();
    let created = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let app = showrunner_api::App::open(showrunner_api::AppOptions {
            data_dir: Some(data.path().to_path_buf()),
            offline: true,
        })
        .await
        .unwrap();
        showrunner_api::shows::create_show(&app, showrunner_api::domain::BrandVoice::starter("Tide Tables"))
            .await
            .unwrap()
    });

    let bad = data.path().join("notes.ogg");
    std::fs::write(&bad, b"OggS but not really, just text").unwrap();
    let out = showrunner(
        data.path(),
        &["show", "music", "Tide Tables", "intro", bad.to_str().unwrap()],
    );
    assert!(!out.status.success(), "a bad file fails the command");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[music_unreadable]"), "{stderr}");
    assert!(stderr.contains("notes.ogg"), "{stderr}");

    let good = data.path().join("sting.wav");
    let made = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=1.5",
        ])
        .arg(&good)
        .status()
        .expect("ffmpeg is installed (.ci/setup.sh)");
    assert!(made.success());
    let out = showrunner(
        data.path(),
        &["show", "music", "Tide Tables", "sting", good.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("sting: sting.wav (0:01"), "{stdout}");

    let listed = json(&showrunner(data.path(), &["shows", "--json"]));
    assert_eq!(listed[0]["id"], created.id.to_string());
    assert_eq!(listed[0]["brand"]["music"]["sting"]["duration_ms"], 1500);
    assert!(
        listed[0]["brand"]["music"]["intro"].is_null(),
        "the refused intro left nothing"
    );
    let text = showrunner(data.path(), &["shows"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("intro: none"));

    let out = showrunner(data.path(), &["show", "music", "Tide Tables", "sting", "--clear"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sting: none"));
    let out = showrunner(data.path(), &["show", "artwork", "Tide Tables", good.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[artwork_invalid]"));
}

mod escalated {
    use std::path::Path;
    use std::process::{Command, Output};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, OnceLock};

    use serde_json::{json, Value};
    use showrunner_provider_fakes::{FakeConfig, FakeServer, FakeTask, Fault, Responder};
    use showrunner_providers::{CompletionRequest, LanguageModel, RehearsalWriter};

    const KEYS: [(&str, &str, &str); 3] = [
        ("anthropic", "ANTHROPIC_API_KEY", "sk-ant-fake-key-c11d3c"),
        ("gemini", "GEMINI_API_KEY", "AIzaFakeGeminiKey-c11d3c"),
        ("perplexity", "PERPLEXITY_API_KEY", "pplx-fake-key-c11d3c"),
    ];

    /// What the fakes get wrong: a deep dive that finds nothing (the research gate escalates).
    struct Faults {
        nothing_found: AtomicBool,
    }

    fn rehearsal(task: &FakeTask) -> Value {
        let request = CompletionRequest {
            task: task.task.clone(),
            system: String::new(),
            prompt: String::new(),
            context: task.inputs.clone(),
            output_schema: Value::Null,
            max_output_tokens: 0,
        };
        futures::executor::block_on(RehearsalWriter::new().complete(request))
            .map(|c| c.content)
            .unwrap_or_else(|e| json!({ "fake_could_not_answer": e.to_string() }))
    }

    struct Fakes {
        servers: Vec<(&'static str, FakeServer)>,
        faults: Arc<Faults>,
    }

    fn runtime() -> &'static tokio::runtime::Runtime {
        static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
        RUNTIME.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime for the fakes")
        })
    }

    fn fakes() -> Fakes {
        let faults = Arc::new(Faults {
            nothing_found: AtomicBool::new(true),
        });
        let seen = faults.clone();
        let responder: Responder = Arc::new(move |task: &FakeTask| {
            let mut answer = rehearsal(task);
            match task.task.as_str() {
                "research.deep_dive" if seen.nothing_found.load(Ordering::SeqCst) => answer = json!({ "findings": [] }),
                _ => {}
            }
            answer
        });
        let servers = runtime().block_on(async {
            let config = |key: &str| FakeConfig::new(key, responder.clone());
            vec![
                (
                    "anthropic",
                    showrunner_provider_fakes::anthropic::start(config(KEYS[0].2)).await,
                ),
                (
                    "gemini",
                    showrunner_provider_fakes::gemini::start(config(KEYS[1].2)).await,
                ),
                (
                    "perplexity",
                    showrunner_provider_fakes::perplexity::start(config(KEYS[2].2)).await,
                ),
            ]
        });
        Fakes { servers, faults }
    }

    fn showrunner(data: &Path, fakes: &Fakes, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_showrunner"));
        for var in ["SHOWRUNNER_ELEVENLABS_BASE_URL", "ELEVENLABS_API_KEY", "OPENAI_API_KEY"] {
            command.env_remove(var);
        }
        command.env("SHOWRUNNER_KEYRING", "none");
        for (provider, server) in &fakes.servers {
            command.env(
                format!("SHOWRUNNER_{}_BASE_URL", provider.to_uppercase()),
                server.base_url(),
            );
        }
        for (_, var, key) in KEYS {
            command.env(var, key);
        }
        command
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .output()
            .expect("run showrunner")
    }

    fn ok(out: &Output) -> String {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "showrunner failed: {stderr}");
        stderr
    }

    fn status(data: &Path, fakes: &Fakes, id: &str) -> (String, Value) {
        let out = showrunner(data, fakes, &["show", id, "--json"]);
        ok(&out);
        let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
        (shown["episode"]["status"].as_str().unwrap().to_owned(), shown)
    }

    fn produce(data: &Path, fakes: &Fakes, topic: &str) -> String {
        let out = showrunner(
            data,
            fakes,
            &[
                "produce",
                "--topic",
                topic,
                "--minutes",
                "1",
                "--budget",
                "20",
                "--json",
            ],
        );
        let summary: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        summary["episode"]["id"].as_str().unwrap().to_owned()
    }

    fn deep_dives(shown: &Value) -> u64 {
        shown["run"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "research.deep_dive")
            .and_then(|s| s["attempts"].as_u64())
            .unwrap()
    }

    #[test]
    fn approve_reject_retry_and_stop_work_at_an_escalated_research_gate_and_a_failed_run() {
        let data = tempfile::tempdir().unwrap();
        let fakes = fakes();

        // The research gate escalates; `show` says where the run waits and lists the decisions as commands.
        let id = produce(data.path(), &fakes, "Why tides turn");
        let (state, shown) = status(data.path(), &fakes, &id);
        assert_eq!(state, "needs_attention");
        assert_eq!(shown["run"]["decision"]["kind"], "research");
        let out = showrunner(data.path(), &fakes, &["show", &id]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("waiting at: Research · validate"), "{text}");
        assert!(text.contains("failing: Every question answered"), "{text}");
        assert!(text.contains(&format!("showrunner approve {id}")), "{text}");
        assert!(text.contains(&format!("showrunner reject {id} --redo STAGE")), "{text}");
        assert!(text.contains(&format!("showrunner stop {id}")), "{text}");

        // Approve continues past the gate (an override). With nothing found, the synthesis after it has
        // nothing to work from and fails, which is the honest consequence; the point is the run moved on.
        let out = showrunner(data.path(), &fakes, &["approve", &id, "--note", "sources come later"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(stderr.contains("Continued anyway"), "{stderr}");
        let (state, shown) = status(data.path(), &fakes, &id);
        assert_ne!(state, "needs_attention");
        let validate = shown["run"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "research.validate")
            .cloned()
            .unwrap();
        assert_eq!(validate["status"], "done", "the gate was passed by the override");

        // Reject sends the research back; the gate fails it again and asks again. Stop ends it.
        let id = produce(data.path(), &fakes, "Why rivers meander");
        let before = deep_dives(&status(data.path(), &fakes, &id).1);
        let wrong = showrunner(
            data.path(),
            &fakes,
            &["reject", &id, "--redo", "audio.master", "--note", "x"],
        );
        assert_eq!(
            wrong.status.code(),
            Some(2),
            "a stage after the gate is refused as bad input"
        );
        ok(&showrunner(
            data.path(),
            &fakes,
            &[
                "reject",
                &id,
                "--redo",
                "research.deep_dive",
                "--note",
                "Cite the tide tables.",
            ],
        ));
        let (state, shown) = status(data.path(), &fakes, &id);
        assert_eq!(state, "needs_attention");
        assert!(deep_dives(&shown) > before, "the research was redone");
        ok(&showrunner(data.path(), &fakes, &["stop", &id]));
        assert_eq!(status(data.path(), &fakes, &id).0, "cancelled");
        let again = showrunner(data.path(), &fakes, &["approve", &id]);
        assert_eq!(
            again.status.code(),
            Some(4),
            "a stopped run waits for nothing: a conflict"
        );

        // A failed run says what to do and retries from the failed stage.
        // Every provider is down (5xx after its retries): nothing is settled, so the retry asks again.
        fakes.faults.nothing_found.store(false, Ordering::SeqCst);
        for (_, server) in &fakes.servers {
            server.script().set_fault_rate(1.0, vec![Fault::ServerError], 7);
        }
        let out = showrunner(
            data.path(),
            &fakes,
            &[
                "produce",
                "--topic",
                "Why fog forms",
                "--minutes",
                "1",
                "--budget",
                "20",
            ],
        );
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("showrunner retry"), "{stderr}");
        let list: Value =
            serde_json::from_slice(&showrunner(data.path(), &fakes, &["episodes", "--json"]).stdout).unwrap();
        let failed = list
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["status"] == "failed")
            .expect("a failed episode");
        let id = failed["id"].as_str().unwrap().to_owned();
        for (_, server) in &fakes.servers {
            server.script().set_fault_rate(0.0, Vec::new(), 7);
        }
        let stderr = ok(&showrunner(data.path(), &fakes, &["retry", &id]));
        assert!(stderr.contains("Retrying from Research · discover"), "{stderr}");
        assert_eq!(status(data.path(), &fakes, &id).0, "awaiting_script_signoff");
    }
}

/// `voices catalog` and `voices download` against a local catalog server.
mod voice_catalog {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::process::{Command, Output};

    use showrunner_provider_fakes::voice_catalog::{self, CatalogFaults, FakeCatalog};
    use showrunner_providers::piper::catalog::md5_hex;

    fn showrunner(data: &Path, catalog: &FakeCatalog, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_showrunner"))
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .env("SHOWRUNNER_PIPER_CATALOG_URL", &catalog.url)
            .output()
            .expect("run showrunner")
    }

    /// One voice whose model the catalog says has a digest it does not have.
    fn files() -> BTreeMap<String, Vec<u8>> {
        let model: Vec<u8> = (0..500_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let config = b"{}".to_vec();
        let json = serde_json::json!({
            "en_GB-test-low": {
                "key": "en_GB-test-low", "quality": "low", "num_speakers": 1,
                "language": {"code": "en_GB", "name_english": "English", "country_english": "Great Britain"},
                "files": {
                    "en/en_GB-test-low.onnx": {"size_bytes": model.len(), "md5_digest": "f".repeat(32)},
                    "en/en_GB-test-low.onnx.json": {"size_bytes": config.len(), "md5_digest": md5_hex(&config)}
                }
            },
            "fr_FR-test-low": {
                "key": "fr_FR-test-low", "quality": "low", "num_speakers": 2,
                "language": {"code": "fr_FR", "name_english": "French", "country_english": "France"},
                "files": {
                    "fr/fr_FR-test-low.onnx": {"size_bytes": 1, "md5_digest": "0"},
                    "fr/fr_FR-test-low.onnx.json": {"size_bytes": 1, "md5_digest": "0"}
                }
            }
        });
        BTreeMap::from([
            ("voices.json".to_owned(), json.to_string().into_bytes()),
            ("en/en_GB-test-low.onnx".to_owned(), model),
            ("en/en_GB-test-low.onnx.json".to_owned(), config),
        ])
    }

    #[test]
    fn the_catalog_lists_by_language_and_a_mismatched_download_is_refused_with_its_code() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let catalog = runtime.block_on(voice_catalog::start(files(), CatalogFaults::default()));
        let data = tempfile::tempdir().unwrap();

        let out = showrunner(
            data.path(),
            &catalog,
            &["voices", "catalog", "--language", "en", "--json"],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let keys: Vec<&str> = view["voices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["en_GB-test-low"]);
        assert_eq!(view["languages"].as_array().unwrap().len(), 2);

        let out = showrunner(data.path(), &catalog, &["voices", "catalog"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("fr_FR-test-low  French (France)  low  2 speaker(s)"),
            "{text}"
        );

        let out = showrunner(data.path(), &catalog, &["voices", "download", "en_GB-test-low"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("en_GB-test-low  0.5 / 0.5 MB"),
            "a progress line up to the model's size: {stderr}"
        );
        assert!(
            stderr.contains("error[voice_invalid]") && stderr.contains("does not match the catalog"),
            "{stderr}"
        );
        let listed = showrunner(data.path(), &catalog, &["voices", "--json"]);
        let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert_eq!(listed["voices"].as_array().unwrap().len(), 0, "nothing installed");
    }

    #[test]
    fn a_saved_catalog_address_is_used_until_reset_and_the_environment_pins_it() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let catalog = runtime.block_on(voice_catalog::start(files(), CatalogFaults::default()));
        let data = tempfile::tempdir().unwrap();
        let bare = |args: &[&str]| crate::support::showrunner(data.path(), args);

        let saved = crate::support::json(&bare(&["voices", "catalog-url", &catalog.url, "--json"]));
        assert_eq!(
            (saved["url"].as_str(), saved["source"].as_str()),
            (Some(catalog.url.as_str()), Some("setting"))
        );
        // No variable now: the saved address alone finds the catalog.
        let view = crate::support::json(&bare(&["voices", "catalog", "--json"]));
        assert_eq!(view["url"], catalog.url.as_str());
        assert_eq!(view["voices"].as_array().unwrap().len(), 2);

        let out = bare(&["voices", "catalog-url", "--reset"]);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("(the default)"),
            "{out:?}"
        );

        let out = showrunner(
            data.path(),
            &catalog,
            &["voices", "catalog-url", "http://127.0.0.1:1/elsewhere"],
        );
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("SHOWRUNNER_PIPER_CATALOG_URL"), "{stderr}");
        let out = showrunner(data.path(), &catalog, &["voices", "catalog-url"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&catalog.url) && text.contains("set by SHOWRUNNER_PIPER_CATALOG_URL"),
            "{text}"
        );
    }
}

#[test]
fn providers_lists_every_catalog_card_and_sets_a_limit_and_local_models_says_what_is_not_running() {
    let data = tempfile::tempdir().unwrap();
    let cards = json(&showrunner(data.path(), &["providers", "--json"]));
    let ids: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in ["openai_tts", "ollama", "lmstudio", "openrouter", "elevenlabs"] {
        assert!(ids.contains(&id), "{id} has a card: {ids:?}");
    }
    let eleven = cards
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "elevenlabs")
        .unwrap();
    assert_eq!(eleven["limit"]["concurrent"], 2);

    let set = json(&showrunner(
        data.path(),
        &["providers", "limit", "elevenlabs", "1", "--json"],
    ));
    assert_eq!(set["concurrent"], 1);
    let cards = json(&showrunner(data.path(), &["providers", "--json"]));
    let eleven = cards
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "elevenlabs")
        .unwrap();
    assert_eq!(eleven["limit"]["concurrent"], 1, "the limit is kept");

    let refused = showrunner(data.path(), &["providers", "limit", "elevenlabs", "0"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("error[invalid_input]"), "{stderr}");
    let text = showrunner(data.path(), &["providers"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("1 at once"));

    // Requests a minute: set, shown on the card, refused out of range, cleared with `none`.
    let rate = json(&showrunner(
        data.path(),
        &["providers", "rate", "perplexity", "50", "--json"],
    ));
    assert_eq!(rate["requests_per_minute"], 50);
    let text = showrunner(data.path(), &["providers"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("8 at once, 50/min"));
    let refused = showrunner(data.path(), &["providers", "rate", "perplexity", "0"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("error[invalid_input]"));
    let cleared = json(&showrunner(
        data.path(),
        &["providers", "rate", "perplexity", "none", "--json"],
    ));
    assert!(cleared["requests_per_minute"].is_null(), "{cleared}");

    // Nothing listens at these addresses: both servers are reported absent, quickly.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/v1", listener.local_addr().unwrap())
    };
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_showrunner"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["local-models", "--json"])
        .env("SHOWRUNNER_OLLAMA_BASE_URL", &closed)
        .env("SHOWRUNNER_LMSTUDIO_BASE_URL", &closed)
        .output()
        .unwrap();
    let found = json(&out);
    assert!(started.elapsed() < Duration::from_secs(10));
    let servers = found["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 2);
    assert!(servers.iter().all(|s| s["running"] == false), "{found}");
    let use_it = Command::new(env!("CARGO_BIN_EXE_showrunner"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["local-models", "use", "llama3.1:8b"])
        .env("SHOWRUNNER_OLLAMA_BASE_URL", &closed)
        .env("SHOWRUNNER_LMSTUDIO_BASE_URL", &closed)
        .output()
        .unwrap();
    assert!(!use_it.status.success());
    assert!(String::from_utf8_lossy(&use_it.stderr).contains("error[not_found]"));
}

#[test]
fn regenerate_at_the_release_gate_says_where_the_draft_master_is_and_lists_both_takes() {
    let data = tempfile::tempdir().unwrap();
    let id = produce_tides(data.path());
    assert!(showrunner(data.path(), &["approve", &id]).status.success());

    // Each command is its own process: the draft splices into the master the earlier one stored.
    let out = showrunner(
        data.path(),
        &[
            "regenerate",
            &id,
            "--line",
            "S1-L2",
            "--text",
            "The tide turns twice a day, and the keepers knew it by heart.",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let said = stderr
        .lines()
        .find(|l| l.starts_with("Draft master with take 2 of line S1-L2 ready"))
        .unwrap_or_else(|| panic!("the draft master is announced: {stderr}"));
    let wav = said.rsplit(": ").next().unwrap();
    let bytes = std::fs::read(wav).unwrap_or_else(|e| panic!("the draft {wav} is on disk: {e}"));
    assert_eq!(&bytes[..4], b"RIFF", "a WAV the player plays");

    let takes = json(&showrunner(data.path(), &["takes", &id, "--line", "S1-L2", "--json"]));
    let listed = takes["takes"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{takes}");
    assert_eq!(
        listed[1]["in_master"], true,
        "the new take is in the finished master: {takes}"
    );
    assert_eq!(
        listed[1]["text"],
        "The tide turns twice a day, and the keepers knew it by heart."
    );
}
