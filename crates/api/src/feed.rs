//! A show's feed folder: each released episode's package in a folder of its own beside one `feed.xml`
//! (RSS 2.0, iTunes and Podcasting 2.0 namespaces), so the folder can be synced to any static host. The
//! settings live under `feed.<show id>`, the episodes under `feed_entries.<show id>`, and `feed.xml` is
//! rewritten whole from them (temporary file, then rename) each time, so it is valid XML at every moment.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use showrunner_domain::{Episode, EpisodeId, ShowId, ValidationErrors};
use ts_rs::TS;

use crate::delivery::package_dir::write_package;
use crate::delivery::rss::{feed_xml, Channel, FeedItem};
use crate::{ApiError, App, ErrorCode};

/// What a producer sets for a show's feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedSettings {
    /// The local folder that mirrors the public site.
    pub folder: String,
    /// Where that folder is served from, e.g. `https://example.org/podcast`.
    pub base_url: String,
    pub title: String,
    pub description: String,
    pub author: String,
    /// An absolute http(s) URL of the show's artwork, if any.
    pub artwork_url: Option<String>,
    /// e.g. `en`, `en-us`.
    pub language: String,
    /// An Apple Podcasts category, e.g. `Technology`.
    pub category: String,
}

fn key(show_id: &ShowId) -> String {
    format!("feed.{show_id}")
}

fn entries_key(show_id: &ShowId) -> String {
    format!("feed_entries.{show_id}")
}

fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

impl FeedSettings {
    /// Trims what the producer typed and checks each field.
    pub fn validate(mut self) -> Result<FeedSettings, ValidationErrors> {
        for f in [
            &mut self.folder,
            &mut self.base_url,
            &mut self.title,
            &mut self.description,
            &mut self.author,
            &mut self.language,
            &mut self.category,
        ] {
            *f = f.trim().to_owned();
        }
        self.base_url = self.base_url.trim_end_matches('/').to_owned();
        self.artwork_url = self.artwork_url.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty());
        let mut errors = ValidationErrors::default();
        if !Path::new(&self.folder).is_absolute() {
            errors.add("folder", "Pick the feed folder (a full path).");
        }
        if !is_http_url(&self.base_url) {
            errors.add(
                "base_url",
                "Give the address the folder is served from, starting with https://.",
            );
        }
        if self.title.is_empty() {
            errors.add("title", "Give the feed a title.");
        }
        if self.description.is_empty() {
            errors.add("description", "Describe the show in a sentence or two.");
        }
        if self.author.is_empty() {
            errors.add("author", "Say who makes the show.");
        }
        if self.artwork_url.as_deref().is_some_and(|a| !is_http_url(a)) {
            errors.add("artwork_url", "The artwork must be an http(s) address.");
        }
        let lang_ok = (2..=12).contains(&self.language.len())
            && self.language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !lang_ok {
            errors.add("language", "Use a language code such as en or en-us.");
        }
        if self.category.is_empty() {
            errors.add("category", "Pick a category, e.g. Technology.");
        }
        if errors.errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

pub async fn feed_settings(app: &App, show_id: &ShowId) -> Result<Option<FeedSettings>, ApiError> {
    Ok(app
        .store()
        .setting(&key(show_id))
        .await?
        .and_then(|v| serde_json::from_value(v).ok()))
}

pub async fn set_feed_settings(app: &App, show_id: &ShowId, settings: FeedSettings) -> Result<FeedSettings, ApiError> {
    app.store()
        .show(show_id)
        .await?
        .ok_or_else(|| ApiError::not_found("That show"))?;
    let settings = settings.validate()?;
    let value = serde_json::to_value(&settings).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    app.store().put_setting(&key(show_id), &value, app.now_ms()).await?;
    Ok(settings)
}

async fn entries(app: &App, show_id: &ShowId) -> Result<Vec<FeedItem>, ApiError> {
    Ok(app
        .store()
        .setting(&entries_key(show_id))
        .await?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

/// Puts a released episode's package into the feed folder and its item into `feed.xml`, replacing an
/// earlier release of the same episode. Returns the path of `feed.xml`.
pub(crate) async fn publish(
    app: &App,
    ep: &Episode,
    settings: &FeedSettings,
    folder: &str,
    files: &[(String, Vec<u8>)],
    item: FeedItem,
) -> Result<PathBuf, ApiError> {
    let root = PathBuf::from(&settings.folder);
    let package = root.join(folder);
    let files = files.to_vec();
    tokio::task::spawn_blocking(move || write_package(&package, &files))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    let mut items = entries(app, &ep.show_id).await?;
    items.retain(|i| i.guid != item.guid);
    items.insert(0, item);
    let value = serde_json::to_value(&items).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    app.store()
        .put_setting(&entries_key(&ep.show_id), &value, app.now_ms())
        .await?;
    let channel = Channel {
        title: settings.title.clone(),
        link: settings.base_url.clone(),
        description: settings.description.clone(),
        author: settings.author.clone(),
        language: settings.language.clone(),
        category: settings.category.clone(),
        // The feed's own artwork address wins; else the newest episode's copy of the show's art.
        artwork_url: settings
            .artwork_url
            .clone()
            .or_else(|| items.iter().find_map(|i| i.image_url.clone())),
    };
    let xml = feed_xml(&channel, &items);
    let feed = root.join("feed.xml");
    let target = feed.clone();
    tokio::task::spawn_blocking(move || write_file_atomically(&target, &xml))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
        .map_err(|e| {
            ApiError::new(
                ErrorCode::TargetNotWritable,
                format!("Cannot write {}: {e}", feed.display()),
            )
        })?;
    Ok(feed)
}

fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// After the release gate approved `episode_id`: publish it to the show's feed, if the show keeps one.
/// Released is released: a feed that cannot be written says so, and that exporting again retries it.
pub async fn publish_release(app: &App, episode_id: &EpisodeId) -> Result<Option<PathBuf>, ApiError> {
    publish_released(app, episode_id).await.map_err(|e| {
        ApiError::new(
            e.code,
            format!(
                "Released, but the show's feed was not updated: {} Export the episode to try again.",
                e.message
            ),
        )
    })
}

async fn publish_released(app: &App, episode_id: &EpisodeId) -> Result<Option<PathBuf>, ApiError> {
    let ep = crate::episodes::episode(app, episode_id).await?;
    let Some(settings) = feed_settings(app, &ep.show_id).await? else {
        return Ok(None);
    };
    let prepared = crate::export::prepare(app, &ep, None, false).await?;
    let feed = publish(app, &ep, &settings, &prepared.folder, &prepared.files, prepared.item).await?;
    Ok(Some(feed))
}
