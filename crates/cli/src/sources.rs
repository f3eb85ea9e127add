//! `showrunner sources` and `showrunner show sources`: a producer's sources on an episode or a show, over
//! the same reading and limits as the app's Sources panel.

use showrunner_api::domain::{EpisodeId, ProducerSource, ShowId};
use showrunner_api::sources::{self, SourceInput, SourcesAdded};
use showrunner_api::{shows, ApiError, App, ErrorCode};

use crate::args::{ShowSourcesAction, SourcesAction};
use crate::output::{json, print_error};

/// A web address when it starts like one, else a file path.
pub fn inputs(items: &[String], notes: &[String]) -> Vec<SourceInput> {
    let mut out: Vec<SourceInput> = items
        .iter()
        .map(|item| {
            let lower = item.trim().to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                SourceInput::Url {
                    url: item.trim().to_owned(),
                }
            } else {
                SourceInput::File { path: item.clone() }
            }
        })
        .collect();
    out.extend(notes.iter().map(|text| SourceInput::Note { text: text.clone() }));
    out
}

pub fn source_line(s: &ProducerSource) -> String {
    let origin = if s.origin.is_empty() || s.origin == s.name {
        String::new()
    } else {
        format!("  {}", s.origin)
    };
    format!(
        "{}  {}  {} ({}, {} chunks){origin}",
        s.id,
        s.kind.as_str(),
        s.name,
        s.format,
        s.chunks
    )
}

/// Prints what was added and each refusal; fails (exit code of the first refusal) when any was refused.
fn report(added: SourcesAdded, as_json: bool) -> Result<(), ApiError> {
    if as_json {
        json(&added)?;
    } else {
        for s in &added.added {
            println!("added {}", source_line(s));
        }
        for r in &added.refused {
            print_error(&r.error);
        }
    }
    match added.refused.first() {
        None => Ok(()),
        Some(first) => Err(ApiError {
            message: format!(
                "{} of {} sources refused; the others were added.",
                added.refused.len(),
                added.refused.len() + added.added.len()
            ),
            ..first.error.clone()
        }),
    }
}

fn print_list(list: &[ProducerSource], as_json: bool, empty: &str) -> Result<(), ApiError> {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        println!("{empty}");
    }
    for s in list {
        println!("{}", source_line(s));
    }
    Ok(())
}

pub async fn episode(app: &App, id: &EpisodeId, action: Option<SourcesAction>, as_json: bool) -> Result<(), ApiError> {
    match action {
        None => {
            let list = sources::list_episode_sources(app, id).await?;
            print_list(
                &list,
                as_json,
                "No sources. Add some with: showrunner sources add EPISODE FILE_OR_URL",
            )
        }
        Some(SourcesAction::Add {
            inputs: items,
            notes,
            json: as_json,
            ..
        }) => {
            let added = sources::add_episode_sources(app, id, &inputs(&items, &notes)).await?;
            report(added, as_json)
        }
    }
}

pub async fn show(app: &App, show: &str, action: ShowSourcesAction) -> Result<(), ApiError> {
    let id: ShowId = shows::find_show(app, show).await?.id;
    match action {
        ShowSourcesAction::List { json: as_json } => {
            let list = sources::list_show_sources(app, &id).await?;
            print_list(&list, as_json, "No standing sources.")
        }
        ShowSourcesAction::Add {
            inputs: items,
            notes,
            json: as_json,
        } => {
            let added = sources::add_show_sources(app, &id, &inputs(&items, &notes)).await?;
            report(added, as_json)
        }
        ShowSourcesAction::Remove { source } => {
            let list = sources::list_show_sources(app, &id).await?;
            let matching: Vec<&ProducerSource> = list
                .iter()
                .filter(|s| s.id.as_str().starts_with(source.trim()))
                .collect();
            let [one] = matching.as_slice() else {
                return Err(ApiError::field(
                    if matching.is_empty() {
                        ErrorCode::NotFound
                    } else {
                        ErrorCode::InvalidInput
                    },
                    "source",
                    &format!(
                        "'{source}' names {} of the show's sources; give more of the id.",
                        matching.len()
                    ),
                ));
            };
            sources::remove_show_source(app, &id, &one.id).await?;
            println!("removed {}", source_line(one));
            Ok(())
        }
    }
}
