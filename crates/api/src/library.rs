//! The library: the Episodes screen's and `showrunner episodes`' search (words in the topic or the current
//! script), filters (show, status), sort and pages.

use serde::{Deserialize, Serialize};
pub use showrunner_domain::LibraryOrder;
use showrunner_domain::{Episode, EpisodeStatus, ShowId};
use showrunner_store::LibraryQuery;
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 200;
/// Longer search text is a paste gone wrong, not a query.
pub const MAX_SEARCH_CHARS: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct LibrarySearch {
    /// Words in the topic or the script; all must appear (the last may be the start of a word).
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub show_id: Option<ShowId>,
    #[serde(default)]
    pub status: Option<EpisodeStatus>,
    #[serde(default)]
    pub order: LibraryOrder,
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub page_size: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LibraryPageView {
    pub episodes: Vec<Episode>,
    /// Episodes matching across all pages.
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    /// At least 1, so "page 1 of 1" reads right with no match.
    pub pages: u32,
}

pub async fn search_episodes(app: &App, search: LibrarySearch) -> Result<LibraryPageView, ApiError> {
    let page = search.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError::field(ErrorCode::InvalidInput, "page", "Pages count from 1."));
    }
    let page_size = search.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "page_size",
            &format!("A page holds 1 to {MAX_PAGE_SIZE} episodes."),
        ));
    }
    let text = search.text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS) {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "text",
            &format!("Search with at most {MAX_SEARCH_CHARS} characters."),
        ));
    }
    let offset = (page - 1).checked_mul(page_size).ok_or_else(|| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "page",
            "That page is past the end of any library.",
        )
    })?;
    let found = app
        .store()
        .search_library(&LibraryQuery {
            text,
            show_id: search.show_id,
            status: search.status,
            sort: search.order,
            limit: page_size,
            offset,
        })
        .await?;
    let total = u32::try_from(found.total).unwrap_or(u32::MAX);
    Ok(LibraryPageView {
        episodes: found.episodes,
        total,
        page,
        page_size,
        pages: total.div_ceil(page_size).max(1),
    })
}
