//! Prompts as versioned data: each stage's task template per show — the shipped default (version 1, author
//! "Showrunner") or the show's newest saved version — its history, its diff against the shipped default, a
//! checked save and a rollback (a new version with an old content). A stage renders the show's current
//! version at call time; the ledger records which one produced each call.

use serde::{Deserialize, Serialize};
use showrunner_domain::ShowId;
use showrunner_production::prompts::{self, SHIPPED_AUTHOR, TEMPLATE_IDS};
use showrunner_store::{NewPromptVersion, PromptVersion, SHIPPED_TEMPLATE_VERSION};
use similar::{ChangeTag, TextDiff};
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

/// Longest template a show may save: a runaway paste should not become every call's prompt.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;

/// Who a save is credited to when the caller names no one.
pub const DEFAULT_AUTHOR: &str = "producer";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TemplateSource {
    Shipped,
    Override,
}

/// One version of a stage's template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PromptTemplateView {
    /// The stage task it prompts, e.g. `plan` or `script.write`.
    pub template_id: String,
    pub version: u32,
    pub source: TemplateSource,
    pub author: String,
    pub note: String,
    /// When it was saved; none for the shipped default.
    #[ts(type = "number | null")]
    pub created_at_ms: Option<i64>,
    pub content: String,
    /// The version the stage renders now.
    pub current: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PromptLineChange {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PromptDiffLine {
    pub change: PromptLineChange,
    pub text: String,
}

/// A version against the shipped default, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PromptDiff {
    pub template_id: String,
    pub version: u32,
    pub lines: Vec<PromptDiffLine>,
    /// Whether the version's wording is the shipped default's.
    pub same_as_shipped: bool,
}

/// A new version of a template, checked before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PromptSave {
    pub template_id: String,
    pub content: String,
    pub note: String,
    /// Empty: the producer.
    #[serde(default)]
    pub author: String,
}

fn shipped_view(template_id: &str, current: bool) -> PromptTemplateView {
    PromptTemplateView {
        template_id: template_id.to_owned(),
        version: SHIPPED_TEMPLATE_VERSION,
        source: TemplateSource::Shipped,
        author: SHIPPED_AUTHOR.to_owned(),
        note: "shipped default".to_owned(),
        created_at_ms: None,
        content: prompts::shipped(template_id),
        current,
    }
}

fn saved_view(v: PromptVersion, current: bool) -> PromptTemplateView {
    PromptTemplateView {
        template_id: v.template_id,
        version: v.version,
        source: TemplateSource::Override,
        author: v.author,
        note: v.note,
        created_at_ms: Some(v.created_at_ms),
        content: v.content,
        current,
    }
}

async fn existing_show(app: &App, show: &ShowId) -> Result<(), ApiError> {
    match app.store().show(show).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::field(
            ErrorCode::NotFound,
            "show_id",
            &format!("No show has the id '{show}'."),
        )),
    }
}

fn known_template(template_id: &str) -> Result<(), ApiError> {
    if prompts::is_known(template_id) {
        return Ok(());
    }
    Err(ApiError::field(
        ErrorCode::InvalidInput,
        "template_id",
        &format!(
            "'{template_id}' is not a stage with a prompt template; the stages are {}.",
            TEMPLATE_IDS.join(", ")
        ),
    ))
}

/// The template each stage renders for the show now, in pipeline order.
pub async fn list_prompts(app: &App, show: &ShowId) -> Result<Vec<PromptTemplateView>, ApiError> {
    existing_show(app, show).await?;
    let saved = app.store().current_prompts(show).await?;
    Ok(TEMPLATE_IDS
        .iter()
        .map(|id| match saved.iter().find(|v| v.template_id == *id) {
            Some(v) => saved_view(v.clone(), true),
            None => shipped_view(id, true),
        })
        .collect())
}

/// Every version of a stage's template for the show, oldest (the shipped default) first.
pub async fn prompt_history(app: &App, show: &ShowId, template_id: &str) -> Result<Vec<PromptTemplateView>, ApiError> {
    existing_show(app, show).await?;
    known_template(template_id)?;
    let saved = app.store().prompt_versions(show, template_id).await?;
    let newest = saved.last().map_or(SHIPPED_TEMPLATE_VERSION, |v| v.version);
    let mut history = vec![shipped_view(template_id, newest == SHIPPED_TEMPLATE_VERSION)];
    history.extend(saved.into_iter().map(|v| {
        let current = v.version == newest;
        saved_view(v, current)
    }));
    Ok(history)
}

/// One version of a stage's template (`None`: the current one).
pub async fn prompt_version(
    app: &App,
    show: &ShowId,
    template_id: &str,
    version: Option<u32>,
) -> Result<PromptTemplateView, ApiError> {
    let history = prompt_history(app, show, template_id).await?;
    let found = match version {
        None => history.into_iter().find(|v| v.current),
        Some(n) => history.into_iter().find(|v| v.version == n),
    };
    found.ok_or_else(|| {
        ApiError::field(
            ErrorCode::NotFound,
            "version",
            &format!("{template_id} has no version {}.", version.unwrap_or_default()),
        )
    })
}

/// A version (`None`: the current one) against the shipped default.
pub async fn diff_prompt(
    app: &App,
    show: &ShowId,
    template_id: &str,
    version: Option<u32>,
) -> Result<PromptDiff, ApiError> {
    let theirs = prompt_version(app, show, template_id, version).await?;
    let shipped = prompts::shipped(template_id);
    let lines = TextDiff::from_lines(&shipped, &theirs.content)
        .iter_all_changes()
        .map(|c| PromptDiffLine {
            change: match c.tag() {
                ChangeTag::Equal => PromptLineChange::Same,
                ChangeTag::Insert => PromptLineChange::Added,
                ChangeTag::Delete => PromptLineChange::Removed,
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect();
    Ok(PromptDiff {
        template_id: template_id.to_owned(),
        version: theirs.version,
        same_as_shipped: theirs.content == shipped,
        lines,
    })
}

/// `template_invalid` on the `content` field, naming the template's line when the parser knows it.
fn template_invalid(template_id: &str, problem: &prompts::TemplateProblem) -> ApiError {
    let at = problem.line.map(|l| format!(" (line {l})")).unwrap_or_default();
    let message = format!("The {template_id} template cannot be used{at}: {}", problem.message);
    ApiError {
        code: ErrorCode::TemplateInvalid,
        details: Some(serde_json::json!({
            "errors": [{ "field": "content", "message": message }],
            "field": "content",
            "line": problem.line,
        })),
        message,
    }
}

/// Saves a new version of the show's template after checking it parses and renders against a sample of the
/// stage's inputs; a template that does not is `template_invalid` (field and line named) and nothing is saved.
pub async fn save_prompt(app: &App, show: &ShowId, save: PromptSave) -> Result<PromptTemplateView, ApiError> {
    existing_show(app, show).await?;
    known_template(&save.template_id)?;
    let note = save.note.trim();
    if note.is_empty() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "note",
            "Say why this version exists (a note), so the history explains it.",
        ));
    }
    if save.content.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(ApiError::field(
            ErrorCode::TemplateInvalid,
            "content",
            &format!("A template may hold at most {MAX_TEMPLATE_CHARS} characters."),
        ));
    }
    prompts::check_template(&save.template_id, &save.content).map_err(|p| template_invalid(&save.template_id, &p))?;
    let author = match save.author.trim() {
        "" => DEFAULT_AUTHOR,
        named => named,
    };
    let new = NewPromptVersion {
        show_id: show.clone(),
        template_id: save.template_id,
        content: save.content,
        author: author.to_owned(),
        note: note.to_owned(),
    };
    let saved = app.store().save_prompt_version(&new, app.now_ms()).await?;
    Ok(saved_view(saved, true))
}

/// Makes an old version current again by saving its content as a new version (the history only grows).
pub async fn rollback_prompt(
    app: &App,
    show: &ShowId,
    template_id: &str,
    version: u32,
    author: &str,
) -> Result<PromptTemplateView, ApiError> {
    let old = prompt_version(app, show, template_id, Some(version)).await?;
    let save = PromptSave {
        template_id: template_id.to_owned(),
        content: old.content,
        note: format!("rollback to v{version}"),
        author: author.to_owned(),
    };
    save_prompt(app, show, save).await
}
