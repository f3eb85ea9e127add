//! Export: the delivery package a producer uploads, written as one folder at once (see
//! `delivery::package_dir`). Only a released episode exports, unless the producer asks for a draft, and then
//! every file says DRAFT in its name and its contents. A release export also goes into the show's feed, when
//! the show keeps one (`feed`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use showrunner_audio::{tag_episode, ChapterTag, CoverArt, EpisodeTags};
use showrunner_domain::artifacts::{Master, Script, ShowNotes};
use showrunner_domain::{ArtifactKind, Artwork, Episode, EpisodeId, EpisodeStatus};
use ts_rs::TS;

use crate::delivery::chapters::{chapters, chapters_json, Chapter};
use crate::delivery::package_dir::write_package;
use crate::delivery::rss::{iso_date, item_xml, rfc2822, FeedItem};
use crate::delivery::show_notes::{html_page, markdown, Notes};
use crate::delivery::transcript::{srt, vtt};
use crate::delivery::transcript_reader::{read_srt, read_vtt};
use crate::episodes::episode;
use crate::feed::FeedSettings;
use crate::release::get_release;
use crate::script::current_run;
use crate::show_assets::episode_cover;
use crate::{ApiError, App, ErrorCode};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportedFile {
    pub name: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportedPackage {
    /// The package folder.
    pub folder: String,
    pub draft: bool,
    pub files: Vec<ExportedFile>,
    /// Where the episode went into the show's feed, when it keeps one and this was not a draft.
    pub feed: Option<String>,
}

/// A package's file names: `episode.mp3`, or `episode-DRAFT.mp3` for a draft.
pub fn file_name(stem: &str, ext: &str, draft: bool) -> String {
    if draft {
        format!("{stem}-DRAFT.{ext}")
    } else {
        format!("{stem}.{ext}")
    }
}

/// The folder name a package gets inside a folder the producer picked: the title's words and the episode id's
/// first characters, so two episodes on one topic do not collide.
pub fn folder_name(title: &str, episode_id: &EpisodeId, draft: bool) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.chars().count() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let id: String = episode_id
        .to_string()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(8)
        .collect();
    let stem = if slug.is_empty() {
        "episode".to_owned()
    } else {
        slug.to_owned()
    };
    let name = format!("{stem}-{id}");
    if draft {
        format!("{name}-DRAFT")
    } else {
        name
    }
}

/// What a package is built from.
pub(crate) struct Parts {
    pub episode: Episode,
    pub master: Master,
    pub script: Script,
    pub notes: Option<ShowNotes>,
    pub mp3: Vec<u8>,
    /// The cover art the episode was produced with, for the MP3's APIC frame, `cover.<ext>` and
    /// `itunes:image`.
    pub cover: Option<(Artwork, Vec<u8>)>,
    /// The producer's sources the episode was made from, for the show notes.
    pub sources: Vec<showrunner_domain::ProducerSource>,
}

pub(crate) async fn parts(app: &App, episode_id: &EpisodeId) -> Result<Parts, ApiError> {
    let release = get_release(app, episode_id).await?;
    let run = current_run(app, episode_id).await?;
    let script: Script = app
        .store()
        .latest_artifact(&run.id, ArtifactKind::Script)
        .await?
        .and_then(|r| serde_json::from_value(r.content).ok())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no script."))?;
    let mp3 = app.store().blobs().read(&release.master.mp3, "mp3").await?;
    let cover = episode_cover(app, &release.episode).await?;
    let sources = app
        .store()
        .sources(&showrunner_domain::SourceOwner::Episode(episode_id.clone()))
        .await?;
    Ok(Parts {
        episode: release.episode,
        master: release.master,
        script,
        notes: release.show_notes,
        mp3,
        cover,
        sources,
    })
}

/// Where the package's files will be reachable once published: a feed's base URL and folder, or, with no
/// feed, the bare file names (relative to `item.xml`).
pub(crate) fn url_for(base: Option<&str>, folder: &str, file: &str) -> String {
    match base {
        Some(base) => format!("{}/{}/{file}", base.trim_end_matches('/'), path_segment(folder)),
        None => file.to_owned(),
    }
}

/// A folder name as one URL path segment: everything but unreserved characters percent-encoded.
fn path_segment(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Builds every file of the package, in memory, plus the feed item describing it.
pub(crate) fn build_package(
    parts: &Parts,
    folder: &str,
    base_url: Option<&str>,
    episode_number: Option<u32>,
    now_ms: i64,
    draft: bool,
) -> Result<(PackageFiles, FeedItem), ApiError> {
    let title_plain = parts
        .notes
        .as_ref()
        .map(|n| n.title.as_str())
        .unwrap_or(&parts.script.title)
        .to_owned();
    let title = if draft {
        format!("DRAFT: {title_plain}")
    } else {
        title_plain.clone()
    };
    let summary = parts.notes.as_ref().map(|n| n.summary.as_str()).unwrap_or("");
    let chapters: Vec<Chapter> = chapters(&parts.master, &parts.script);
    let tags = EpisodeTags {
        title: title.clone(),
        show: parts.episode.show_name.clone(),
        episode_number,
        date: Some(iso_date(now_ms)),
        description: summary.to_owned(),
        chapters: chapters
            .iter()
            .map(|c| ChapterTag::new(&c.title, c.start_ms, c.end_ms))
            .collect(),
        cover: parts.cover.as_ref().map(|(art, data)| CoverArt {
            mime_type: art.mime_type.clone(),
            data: data.clone(),
        }),
    };
    let mp3 = tag_episode(&parts.mp3, &tags)?;
    // A draft carries the art only inside its MP3: every file of a draft must say DRAFT, and a picture
    // cannot.
    let cover_file = match (&parts.cover, draft) {
        (Some((art, data)), false) => Some((format!("cover.{}", art.asset.ext), data.clone())),
        _ => None,
    };
    let vtt_text = vtt(&parts.master.cues, draft);
    let srt_text = srt(&parts.master.cues, draft);
    // Our own strict reader must read back what we wrote; a failure here is our bug, not the producer's.
    read_vtt(&vtt_text).map_err(|e| ApiError::new(ErrorCode::Internal, format!("transcript.vtt: {e}")))?;
    read_srt(&srt_text).map_err(|e| ApiError::new(ErrorCode::Internal, format!("transcript.srt: {e}")))?;
    let citations = parts.notes.as_ref().map(|n| n.citations.as_slice()).unwrap_or(&[]);
    let notes = Notes {
        title: &title_plain,
        summary,
        chapters: &chapters,
        citations,
        sources: &parts.sources,
        draft,
    };
    let mut promo = String::new();
    if draft {
        promo.push_str("DRAFT — not released; do not publish.\n\n");
    }
    for p in parts.notes.as_ref().map(|n| n.promo.as_slice()).unwrap_or(&[]) {
        promo.push_str("- ");
        promo.push_str(&crate::delivery::transcript::one_line(p));
        promo.push('\n');
    }
    let names = |stem: &str, ext: &str| file_name(stem, ext, draft);
    let mp3_name = names("episode", "mp3");
    let item = FeedItem {
        guid: parts.episode.id.to_string(),
        title: title.clone(),
        description: summary.to_owned(),
        pub_date: rfc2822(now_ms),
        enclosure_url: url_for(base_url, folder, &mp3_name),
        enclosure_length: mp3.len() as u64,
        duration_ms: parts.master.duration_ms,
        transcript_url: url_for(base_url, folder, &names("transcript", "vtt")),
        chapters_url: url_for(base_url, folder, &names("chapters", "json")),
        episode_number,
        image_url: cover_file.as_ref().map(|(name, _)| url_for(base_url, folder, name)),
    };
    let mut files = vec![
        (mp3_name, mp3),
        (
            names("chapters", "json"),
            chapters_json(&chapters, draft.then_some(title.as_str())),
        ),
        (names("transcript", "vtt"), vtt_text.into_bytes()),
        (names("transcript", "srt"), srt_text.into_bytes()),
        (names("show-notes", "md"), markdown(&notes).into_bytes()),
        (names("show-notes", "html"), html_page(&notes).into_bytes()),
        (names("promo", "md"), promo.into_bytes()),
        (names("item", "xml"), item_xml(&item)),
    ];
    if let Some(cover) = cover_file {
        files.insert(1, cover);
    }
    Ok((files, item))
}

/// A package's files in memory: (name, bytes), in the order they are listed.
pub(crate) type PackageFiles = Vec<(String, Vec<u8>)>;

pub(crate) struct Prepared {
    pub folder: String,
    pub files: PackageFiles,
    pub item: FeedItem,
    pub feed: Option<FeedSettings>,
}

/// The package of `ep` in memory, named `folder` (or after the episode), with URLs into the show's feed.
pub(crate) async fn prepare(
    app: &App,
    ep: &Episode,
    folder: Option<String>,
    draft: bool,
) -> Result<Prepared, ApiError> {
    let parts = parts(app, &ep.id).await?;
    let feed = if draft {
        None
    } else {
        crate::feed::feed_settings(app, &ep.show_id).await?
    };
    let folder = folder.unwrap_or_else(|| folder_name(&parts.script.title, &ep.id, draft));
    let number = episode_number(app, ep).await?;
    let (files, item) = build_package(
        &parts,
        &folder,
        feed.as_ref().map(|f| f.base_url.as_str()),
        number,
        app.now_ms(),
        draft,
    )?;
    Ok(Prepared {
        folder,
        files,
        item,
        feed,
    })
}

/// Exports the package of `episode_id` as the folder `to` (created; a previous package there is replaced),
/// and, for a release, into the show's feed. Refused with `not_released` unless the episode is released or
/// `draft` is set.
pub async fn export(app: &App, episode_id: &EpisodeId, to: &Path, draft: bool) -> Result<ExportedPackage, ApiError> {
    let ep = episode(app, episode_id).await?;
    if !draft && ep.status != EpisodeStatus::Released {
        return Err(ApiError::new(
            ErrorCode::NotReleased,
            format!(
                "This episode is not released yet (it is {}). Approve it at the release gate, or export a draft.",
                ep.status.as_str().replace('_', " ")
            ),
        ));
    }
    // URLs name the package's folder in the feed (the episode's folder name), wherever this copy goes.
    let prepared = prepare(app, &ep, None, draft).await?;
    let target = to.to_owned();
    let files = prepared.files.clone();
    tokio::task::spawn_blocking(move || write_package(&target, &files))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    let listing = prepared
        .files
        .iter()
        .map(|(name, bytes)| ExportedFile {
            name: name.clone(),
            bytes: bytes.len() as u64,
        })
        .collect();
    let feed_path = match &prepared.feed {
        Some(settings) => Some(
            crate::feed::publish(
                app,
                &ep,
                settings,
                &prepared.folder,
                &prepared.files,
                prepared.item.clone(),
            )
            .await?,
        ),
        None => None,
    };
    Ok(ExportedPackage {
        folder: to.display().to_string(),
        draft,
        files: listing,
        feed: feed_path.map(|p: PathBuf| p.display().to_string()),
    })
}

/// Exports into a folder the producer picked: the package is a new folder inside it named after the episode.
pub async fn export_into(
    app: &App,
    episode_id: &EpisodeId,
    parent: &Path,
    draft: bool,
) -> Result<ExportedPackage, ApiError> {
    let parts = parts(app, episode_id).await?;
    let name = folder_name(&parts.script.title, episode_id, draft);
    export(app, episode_id, &parent.join(name), draft).await
}

/// The episode's number in its show: its place among the show's episodes by creation.
async fn episode_number(app: &App, ep: &Episode) -> Result<Option<u32>, ApiError> {
    let mut of_show: Vec<Episode> = app
        .store()
        .list_episodes()
        .await?
        .into_iter()
        .filter(|e| e.show_id == ep.show_id)
        .collect();
    of_show.sort_by_key(|e| (e.created_at_ms, e.id.to_string()));
    Ok(of_show
        .iter()
        .position(|e| e.id == ep.id)
        .and_then(|i| u32::try_from(i + 1).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_files_say_draft_in_their_names() {
        assert_eq!(file_name("episode", "mp3", false), "episode.mp3");
        assert_eq!(file_name("episode", "mp3", true), "episode-DRAFT.mp3");
    }

    #[test]
    fn folder_names_are_the_title_in_plain_words_and_the_id() {
        let id = EpisodeId("0193a5b2-7c1d-7000-8000-000000000000".into());
        assert_eq!(
            folder_name("How Lighthouses Kept Ships Safe?!", &id, false),
            "how-lighthouses-kept-ships-safe-0193a5b2"
        );
        assert_eq!(folder_name("../../etc", &id, true), "etc-0193a5b2-DRAFT");
        assert_eq!(folder_name("", &id, false), "episode-0193a5b2");
    }
}
