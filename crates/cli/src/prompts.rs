//! `showrunner prompts`: each stage's prompt template for a show — list, read one version (with its diff
//! against the shipped default), save a new version from a file, roll back to an old one.

use std::path::Path;

use showrunner_api::domain::Show;
use showrunner_api::prompts::{self, PromptDiff, PromptLineChange, PromptSave, PromptTemplateView, TemplateSource};
use showrunner_api::{shows, ApiError, App, ErrorCode};

use crate::args::PromptsAction;
use crate::output::json;

pub async fn act(
    app: &App,
    show: Option<String>,
    action: Option<PromptsAction>,
    as_json: bool,
) -> Result<(), ApiError> {
    match action {
        None => list(app, show, as_json).await,
        Some(PromptsAction::Show {
            stage,
            show,
            version,
            json: as_json,
        }) => {
            let show = pick_show(app, show).await?;
            let view = prompts::prompt_version(app, &show.id, &stage, version).await?;
            let diff = prompts::diff_prompt(app, &show.id, &stage, Some(view.version)).await?;
            if as_json {
                return json(&serde_json::json!({ "template": view, "diff": diff }));
            }
            println!("{}", heading(&view));
            println!();
            print!("{}", view.content);
            if !view.content.ends_with('\n') {
                println!();
            }
            println!();
            print_diff(&diff);
            Ok(())
        }
        Some(PromptsAction::Set {
            stage,
            show,
            file,
            note,
            author,
        }) => {
            let show = pick_show(app, Some(show)).await?;
            let content = read_template(&file)?;
            let save = PromptSave {
                template_id: stage,
                content,
                note,
                author: author.unwrap_or_default(),
            };
            let saved = prompts::save_prompt(app, &show.id, save).await?;
            eprintln!("Saved {}.", heading(&saved));
            Ok(())
        }
        Some(PromptsAction::Rollback {
            stage,
            show,
            version,
            author,
        }) => {
            let show = pick_show(app, Some(show)).await?;
            let saved =
                prompts::rollback_prompt(app, &show.id, &stage, version, author.as_deref().unwrap_or_default()).await?;
            eprintln!("Rolled back: {}.", heading(&saved));
            Ok(())
        }
    }
}

async fn list(app: &App, show: Option<String>, as_json: bool) -> Result<(), ApiError> {
    let show = pick_show(app, show).await?;
    let list = prompts::list_prompts(app, &show.id).await?;
    if as_json {
        return json(&list);
    }
    println!("Prompt templates of \"{}\":", show.brand.name);
    for t in &list {
        println!("  {}", heading(t));
    }
    Ok(())
}

/// "plan  v2  override  by Ana — shorter intros".
fn heading(t: &PromptTemplateView) -> String {
    let source = match t.source {
        TemplateSource::Shipped => "shipped",
        TemplateSource::Override => "override",
    };
    format!(
        "{:<22} v{:<3} {:<8} by {} — {}",
        t.template_id, t.version, source, t.author, t.note
    )
}

fn print_diff(diff: &PromptDiff) {
    if diff.same_as_shipped {
        println!("Same as the shipped default.");
        return;
    }
    println!("Against the shipped default:");
    for line in &diff.lines {
        let mark = match line.change {
            PromptLineChange::Same => ' ',
            PromptLineChange::Added => '+',
            PromptLineChange::Removed => '-',
        };
        println!("{mark} {}", line.text);
    }
}

fn read_template(file: &Path) -> Result<String, ApiError> {
    std::fs::read_to_string(file).map_err(|e| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "file",
            &format!("Cannot read the template {}: {e}", file.display()),
        )
    })
}

/// The show named, or the only one; never creates a show.
async fn pick_show(app: &App, name: Option<String>) -> Result<Show, ApiError> {
    if let Some(name) = name {
        return shows::find_show(app, &name).await;
    }
    let mut list = shows::list_shows(app).await?;
    match list.len() {
        1 => Ok(list.remove(0)),
        0 => Err(ApiError::field(
            ErrorCode::NotFound,
            "show",
            "There is no show yet; create one first.",
        )),
        n => Err(ApiError::field(
            ErrorCode::InvalidInput,
            "show",
            &format!("There are {n} shows; name one with --show."),
        )),
    }
}
