//! `showrunner script` and `showrunner edit`: the script room for a headless producer.

use showrunner_api::domain::EpisodeId;
use showrunner_api::dto::ScriptView;
use showrunner_api::script::{self, ScriptEditRequest};
use showrunner_api::script_room::{self as room, ScriptDiff, ScriptEdit};
use showrunner_api::{ApiError, App, ErrorCode};

use crate::output::json;

/// What `edit` changes on one line; each given part becomes one typed edit, all saved as one version.
pub struct LineChange {
    pub text: Option<String>,
    pub speaker: Option<String>,
    pub lock: Option<bool>,
    pub comment: Option<String>,
}

pub async fn show(
    app: &App,
    id: &EpisodeId,
    version: Option<u32>,
    diff: Option<Vec<u32>>,
    as_json: bool,
) -> Result<(), ApiError> {
    if let Some(pair) = diff {
        let [from, to] = pair[..] else {
            return Err(ApiError::field(
                ErrorCode::InvalidInput,
                "diff",
                "--diff takes two version numbers.",
            ));
        };
        let d = script::diff_versions(app, id, from, to).await?;
        if as_json {
            return json(&d);
        }
        print_diff(&d);
        return Ok(());
    }
    let view = match version {
        Some(v) => script::get_script_version(app, id, v).await?,
        None => script::get_script(app, id).await?,
    };
    let versions = script::script_versions(app, id).await?;
    if as_json {
        return json(&serde_json::json!({ "script": view, "versions": versions }));
    }
    print_script(&view);
    println!();
    println!("Versions:");
    for v in &versions {
        let why = if v.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", one_line(&v.note))
        };
        println!("  v{:<3} {:<24} {}{}", v.version, v.label, v.author, why);
    }
    Ok(())
}

pub async fn edit(
    app: &App,
    id: &EpisodeId,
    line: &str,
    change: LineChange,
    base_version: Option<u32>,
    as_json: bool,
) -> Result<(), ApiError> {
    let line_id = line.trim().to_owned();
    let mut edits = Vec::new();
    if let Some(text) = change.text {
        edits.push(ScriptEdit::SetText {
            line_id: line_id.clone(),
            text,
        });
    }
    if let Some(speaker) = change.speaker {
        edits.push(ScriptEdit::SetSpeaker {
            line_id: line_id.clone(),
            speaker,
        });
    }
    if let Some(locked) = change.lock {
        edits.push(ScriptEdit::SetLock {
            line_id: line_id.clone(),
            locked,
        });
    }
    if let Some(comment) = change.comment {
        edits.push(ScriptEdit::SetComment {
            line_id: line_id.clone(),
            comment,
        });
    }
    if edits.is_empty() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "edits",
            "Say what to change: --text, --speaker, --lock, --unlock or --comment.",
        ));
    }
    let base_version = match base_version {
        Some(v) => v,
        None => script::get_script(app, id).await?.latest_version,
    };
    let view = script::edit_script(app, id, ScriptEditRequest { base_version, edits }).await?;
    if as_json {
        return json(&view);
    }
    match view.script.line(&line_id) {
        Some(l) => eprintln!("Saved as version {}: {}", view.artifact.version, format_line(l)),
        None => eprintln!("Saved as version {}.", view.artifact.version),
    }
    Ok(())
}

fn format_line(l: &showrunner_api::domain::artifacts::Line) -> String {
    let lock = if l.locked { " [locked]" } else { "" };
    let facts = if l.facts.is_empty() {
        String::new()
    } else {
        format!("  ({})", l.facts.join(", "))
    };
    let comment = if l.comment.is_empty() {
        String::new()
    } else {
        format!("  # {}", one_line(&l.comment))
    };
    format!("{:<8}{lock} {}: {}{facts}{comment}", l.id, l.speaker, l.text)
}

fn print_script(view: &ScriptView) {
    let state = if view.editable {
        "editable, waiting for sign-off".to_owned()
    } else if view.artifact.version != view.latest_version {
        format!("an old version; v{} is current", view.latest_version)
    } else {
        "read only".to_owned()
    };
    println!("{} — version {} ({state})", view.script.title, view.artifact.version);
    for segment in &view.script.segments {
        println!();
        println!("[{}] {}", segment.id, segment.title);
        for line in &segment.lines {
            println!("  {}", format_line(line));
        }
    }
}

/// `-`/`+` rows like a unified diff, changed words in `[-…-]` and `{+…+}` (as `git diff --word-diff`).
fn print_diff(d: &ScriptDiff) {
    println!(
        "v{} → v{}: {} changed, {} added, {} removed",
        d.from_version, d.to_version, d.changed, d.added, d.removed
    );
    for row in &d.rows {
        let words = |side: &room::DiffSide, open: &str, close: &str| -> String {
            side.spans
                .iter()
                .map(|s| {
                    if s.changed {
                        format!("{open}{}{close}", s.text)
                    } else {
                        s.text.clone()
                    }
                })
                .collect()
        };
        match (row.change, &row.old, &row.new) {
            (room::LineChange::Same, _, Some(n)) => println!("  {:<8} {}: {}", n.line_id, n.speaker, words(n, "", "")),
            (_, old, new) => {
                if let Some(o) = old {
                    println!("- {:<8} {}: {}", o.line_id, o.speaker, words(o, "[-", "-]"));
                }
                if let Some(n) = new {
                    let lock = if n.locked { " [locked]" } else { "" };
                    println!("+ {:<8}{lock} {}: {}", n.line_id, n.speaker, words(n, "{+", "+}"));
                }
            }
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
