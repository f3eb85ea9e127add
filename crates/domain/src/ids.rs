//! Identifiers. Newtypes so a show id can never be passed where an episode id is expected.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What every string id shows and is made from: its text.
macro_rules! string_id {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}
pub(crate) use string_id;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// A fresh, time-ordered id (UUID v7), so ids sort by creation.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        $crate::ids::string_id!($name);
    };
}

uuid_id!(
    /// A show: the series an episode belongs to, with its brand voice.
    ShowId
);
uuid_id!(
    /// One episode of a show.
    EpisodeId
);
uuid_id!(
    /// One production run of an episode through a pipeline.
    RunId
);
uuid_id!(
    /// One stored, versioned artifact.
    ArtifactId
);
uuid_id!(
    /// One of a producer's sources (a file, a web page, a pasted note) on an episode or a show.
    SourceId
);

/// A name-like id a pipeline declares and code compares with literals (`StageId`, `PhaseId`).
macro_rules! declared_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        $crate::ids::string_id!($name);

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}
pub(crate) use declared_id;

declared_id!(
    /// A pipeline stage's stable id, e.g. `script.write`. It appears in the journal, the UI and prompt
    /// templates, so it never changes once shipped.
    StageId
);

/// The SHA-256 (lower-case hex) of a stored file's bytes: audio lives beside the database, content-addressed,
/// so the same take is stored once and never overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(transparent)]
pub struct BlobHash(pub String);

impl std::fmt::Display for BlobHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
