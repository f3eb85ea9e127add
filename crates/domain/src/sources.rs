//! A producer's own sources as the store keeps them: what was attached, where it came from, and the chunks
//! research is grounded in.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::{EpisodeId, ShowId, SourceId};

/// Stored by its snake_case name (`as_str`), read back with `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SourceKind {
    File,
    Url,
    Note,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Whose a source is: one episode's, or a show's standing source that joins each episode it starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceOwner {
    Episode(EpisodeId),
    Show(ShowId),
}

/// A stored source, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProducerSource {
    pub id: SourceId,
    pub kind: SourceKind,
    /// What a citation and the show notes call it: the file's name, the page's title or address, "Note: " and a
    /// note's first line.
    pub name: String,
    /// The original file name or the address it was fetched from (after redirects); empty for a note.
    pub origin: String,
    /// The reader that read it (`pdf`, `markdown`, …).
    pub format: String,
    #[ts(type = "number | null")]
    pub fetched_at_ms: Option<i64>,
    #[ts(type = "number")]
    pub added_at_ms: i64,
    pub chars: u32,
    pub sections: u32,
    pub chunks: u32,
}

impl ProducerSource {
    /// A web address to link to, when the source is a page.
    pub fn link(&self) -> Option<&str> {
        (self.kind == SourceKind::Url).then_some(self.origin.as_str())
    }
}

/// One indexed piece of a source's text, as a search returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceChunk {
    pub source_id: SourceId,
    pub source_name: String,
    pub kind: SourceKind,
    pub origin: String,
    pub ordinal: u32,
    /// `p. 3` or `§ Keeping the light`, when the reader knew where the text sits.
    pub location: Option<String>,
    pub text: String,
}
