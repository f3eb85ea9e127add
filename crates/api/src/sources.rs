//! A producer's sources on an episode or standing on a show: a file, a web address (fetched once) or a
//! pasted note, each read into located sections, chunked and indexed for research. Each source is read on its
//! own: one that cannot be read is refused with a coded error naming it, and the others are kept.

use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use showrunner_domain::{EpisodeId, ProducerSource, ShowId, SourceId, SourceKind, SourceOwner};
use showrunner_sources::{chunk_document, Document, Limits, SourceError, SourceErrorKind, CHUNK_CHARS};
use showrunner_store::{NewChunk, NewSource};
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

/// What a producer attaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceInput {
    /// A file on this computer (PDF, Markdown, plain text, HTML, DOCX).
    File { path: String },
    /// A web page, fetched once when it is added.
    Url { url: String },
    /// Text the producer pasted.
    Note { text: String },
}

impl SourceInput {
    /// How the producer would recognise it in a refusal: the file's name, the address, the note's start.
    pub fn shown_name(&self) -> String {
        match self {
            SourceInput::File { path } => file_name(Path::new(path)),
            SourceInput::Url { url } => url.trim().to_owned(),
            SourceInput::Note { text } => note_name(text),
        }
    }
}

/// One source that was not added, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SourceRefusal {
    pub name: String,
    pub error: ApiError,
}

/// What adding several sources did: the ones stored, and the ones refused (each naming itself).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SourcesAdded {
    pub added: Vec<ProducerSource>,
    pub refused: Vec<SourceRefusal>,
}

/// How many characters of a note name it.
const NOTE_NAME_CHARS: usize = 60;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A note is named by its first line, shortened.
fn note_name(text: &str) -> String {
    let first = text.trim().lines().next().unwrap_or_default().trim();
    let mut name: String = first.chars().take(NOTE_NAME_CHARS).collect();
    if first.chars().count() > NOTE_NAME_CHARS {
        name.push('…');
    }
    if name.is_empty() {
        "Note".to_owned()
    } else {
        format!("Note: {name}")
    }
}

/// A source's refusal as the coded error the app and CLI show, naming it.
pub fn source_error(e: SourceError) -> ApiError {
    let (code, details) = match &e.kind {
        SourceErrorKind::TooLarge { limit_bytes } => (
            ErrorCode::SourceTooLarge,
            serde_json::json!({ "name": e.name, "limit_bytes": limit_bytes }),
        ),
        SourceErrorKind::HttpStatus { status } => (
            ErrorCode::SourceUnreachable,
            serde_json::json!({ "name": e.name, "status": status }),
        ),
        SourceErrorKind::Unreachable | SourceErrorKind::TimedOut { .. } => {
            (ErrorCode::SourceUnreachable, serde_json::json!({ "name": e.name }))
        }
        SourceErrorKind::BadAddress => (ErrorCode::InvalidInput, serde_json::json!({ "name": e.name })),
        SourceErrorKind::Unsupported
        | SourceErrorKind::Unreadable
        | SourceErrorKind::NoText
        | SourceErrorKind::NotText { .. } => (ErrorCode::SourceUnreadable, serde_json::json!({ "name": e.name })),
    };
    ApiError {
        code,
        message: e.to_string(),
        details: Some(details),
    }
}

/// Reads one source into what the store keeps, under the crate's size and time limits.
pub async fn read_source(input: &SourceInput, limits: &Limits) -> Result<NewSource, ApiError> {
    let name = input.shown_name();
    match input {
        SourceInput::File { path } => {
            let path = Path::new(path);
            let refuse = |reason: String| source_error(SourceError::new(&name, SourceErrorKind::Unreadable, reason));
            // The size is checked before reading, so a huge file is refused without being held.
            let meta = tokio::fs::metadata(path)
                .await
                .map_err(|e| refuse(format!("it cannot be opened ({e})")))?;
            if !meta.is_file() {
                return Err(refuse("it is not a file".into()));
            }
            if meta.len() > limits.max_bytes {
                return Err(source_error(SourceError::new(
                    &name,
                    SourceErrorKind::TooLarge {
                        limit_bytes: limits.max_bytes,
                    },
                    format!(
                        "it is larger than the {} MB a source may be",
                        limits.max_bytes / (1024 * 1024)
                    ),
                )));
            }
            let bytes = tokio::fs::read(path)
                .await
                .map_err(|e| refuse(format!("it cannot be read ({e})")))?;
            let document = showrunner_sources::read_in_background(name.clone(), bytes, None, *limits)
                .await
                .map_err(source_error)?;
            Ok(stored(SourceKind::File, &name, &name, None, &document))
        }
        SourceInput::Url { url } => {
            let fetched = showrunner_sources::fetch_url(url, limits).await.map_err(source_error)?;
            let fetched_at = fetched
                .fetched_at
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_default();
            let title = fetched
                .document
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| fetched.url.clone());
            Ok(stored(
                SourceKind::Url,
                &title,
                &fetched.url,
                Some(fetched_at),
                &fetched.document,
            ))
        }
        SourceInput::Note { text } => {
            if text.trim().is_empty() {
                return Err(source_error(SourceError::new(
                    &name,
                    SourceErrorKind::NoText,
                    "the note is empty",
                )));
            }
            if text.len() as u64 > limits.max_bytes {
                return Err(source_error(SourceError::new(
                    &name,
                    SourceErrorKind::TooLarge {
                        limit_bytes: limits.max_bytes,
                    },
                    format!(
                        "it is larger than the {} MB a source may be",
                        limits.max_bytes / (1024 * 1024)
                    ),
                )));
            }
            let mut document = showrunner_sources::read_note(text);
            let mut left = limits.max_chars;
            document.sections.retain_mut(|s| {
                let n = s.text.chars().count();
                if left == 0 {
                    return false;
                }
                if n > left {
                    s.text = s.text.chars().take(left).collect();
                }
                left = left.saturating_sub(n);
                true
            });
            Ok(stored(SourceKind::Note, &name, "", None, &document))
        }
    }
}

fn stored(kind: SourceKind, name: &str, origin: &str, fetched_at_ms: Option<i64>, document: &Document) -> NewSource {
    let sections = document
        .sections
        .iter()
        .map(|s| serde_json::json!({ "location": s.location.as_ref().map(|l| l.label()), "text": s.text }))
        .collect();
    NewSource {
        kind,
        name: name.to_owned(),
        origin: origin.to_owned(),
        format: document.format.as_str().to_owned(),
        fetched_at_ms,
        sections: serde_json::Value::Array(sections),
        chars: document.chars().min(u32::MAX as usize) as u32,
        chunks: chunk_document(document, CHUNK_CHARS)
            .into_iter()
            .map(|c| NewChunk {
                location: c.location.map(|l| l.label()),
                text: c.text,
            })
            .collect(),
    }
}

/// Reads every input (each on its own), keeping what read and the refusals in the order given.
pub async fn read_sources(inputs: &[SourceInput], limits: &Limits) -> (Vec<NewSource>, Vec<SourceRefusal>) {
    let reads = futures::future::join_all(inputs.iter().map(|i| read_source(i, limits))).await;
    let mut read = Vec::new();
    let mut refused = Vec::new();
    for (input, result) in inputs.iter().zip(reads) {
        match result {
            Ok(source) => read.push(source),
            Err(error) => refused.push(SourceRefusal {
                name: input.shown_name(),
                error,
            }),
        }
    }
    (read, refused)
}

async fn add(app: &App, owner: &SourceOwner, inputs: &[SourceInput]) -> Result<SourcesAdded, ApiError> {
    let (read, refused) = read_sources(inputs, &app.source_limits()).await;
    let mut added = Vec::with_capacity(read.len());
    for source in &read {
        added.push(app.store().add_source(owner, source, app.now_ms()).await?);
    }
    Ok(SourcesAdded { added, refused })
}

async fn existing_episode(app: &App, id: &EpisodeId) -> Result<(), ApiError> {
    crate::episodes::episode(app, id).await.map(|_| ())
}

async fn existing_show(app: &App, id: &ShowId) -> Result<(), ApiError> {
    match app.store().show(id).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found("That show")),
    }
}

pub async fn add_episode_sources(
    app: &App,
    episode: &EpisodeId,
    inputs: &[SourceInput],
) -> Result<SourcesAdded, ApiError> {
    existing_episode(app, episode).await?;
    add(app, &SourceOwner::Episode(episode.clone()), inputs).await
}

pub async fn list_episode_sources(app: &App, episode: &EpisodeId) -> Result<Vec<ProducerSource>, ApiError> {
    existing_episode(app, episode).await?;
    Ok(app.store().sources(&SourceOwner::Episode(episode.clone())).await?)
}

pub async fn remove_episode_source(app: &App, episode: &EpisodeId, source: &SourceId) -> Result<(), ApiError> {
    remove(app, &SourceOwner::Episode(episode.clone()), source).await
}

async fn remove(app: &App, owner: &SourceOwner, source: &SourceId) -> Result<(), ApiError> {
    if app.store().remove_source(owner, source, app.now_ms()).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("That source"))
    }
}

/// A show's standing sources join every episode started after they are added.
pub async fn add_show_sources(app: &App, show: &ShowId, inputs: &[SourceInput]) -> Result<SourcesAdded, ApiError> {
    existing_show(app, show).await?;
    add(app, &SourceOwner::Show(show.clone()), inputs).await
}

pub async fn list_show_sources(app: &App, show: &ShowId) -> Result<Vec<ProducerSource>, ApiError> {
    existing_show(app, show).await?;
    Ok(app.store().sources(&SourceOwner::Show(show.clone())).await?)
}

pub async fn remove_show_source(app: &App, show: &ShowId, source: &SourceId) -> Result<(), ApiError> {
    remove(app, &SourceOwner::Show(show.clone()), source).await
}

/// The error a start returns when some of its sources cannot be read: coded by the first refusal, naming
/// every refused source, with each one's own error in `details.refused` (the form marks their rows).
pub fn refused_at_start(refused: &[SourceRefusal]) -> ApiError {
    let names: Vec<&str> = refused.iter().map(|r| r.name.as_str()).collect();
    let first = &refused[0].error;
    ApiError {
        code: first.code,
        message: if refused.len() == 1 {
            format!(
                "{} Remove it or fix it, then start again; nothing was started.",
                first.message
            )
        } else {
            format!(
                "{} sources cannot be read ({}); nothing was started. Remove or fix them, then start again.",
                refused.len(),
                names.join(", ")
            )
        },
        details: Some(serde_json::json!({ "refused": refused })),
    }
}
