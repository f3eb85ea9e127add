//! Showrunner's domain: the words a producer uses (show, brand voice, episode, script, master) as plain
//! data. Nothing here does I/O; every crate above depends on these types, and the TypeScript frontend gets
//! them generated (ts-rs), never retyped.
//!
//! Every stage artifact derives `JsonSchema`: the schema is the handoff contract a language model's output is
//! validated against before it is saved.

pub mod artifacts;
pub mod brand_voice;
pub mod budget_split;
pub mod codes;
pub mod draft_master;
pub mod episode;
pub mod format;
pub mod ids;
pub mod language;
pub mod library;
pub mod line_takes;
pub mod mastering;
pub mod money;
pub mod provider;
pub mod route;
pub mod run;
pub mod show_assets;
pub mod sources;
#[cfg(test)]
mod stored_names;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod utc;
pub mod validation;

pub use artifacts::{ArtifactKind, Decision, DecisionKind};
pub use brand_voice::{BrandVoice, Host, Pronunciation, Show, SYSTEM_SPEECH_ID};
pub use budget_split::{BudgetPhase, BudgetSplit, PhaseId, SplitError};
pub use codes::{ProviderCode, StageCode};
pub use draft_master::{draft_master_key, DraftMaster};
pub use episode::{Episode, EpisodeStatus, NewEpisode};
pub use format::{EpisodeFormat, UnknownFormat, BRIEF_DEFAULT_MINUTES, BRIEF_MINUTES};
pub use ids::{ArtifactId, BlobHash, EpisodeId, RunId, ShowId, SourceId, StageId};
pub use language::{Language, UnknownLanguage};
pub use library::{LibraryOrder, UnknownLibraryOrder};
pub use line_takes::{line_takes_key, LineTakes, RunTakes, TakeSpec};
pub use mastering::MasteringSettings;
pub use money::Money;
pub use provider::{KeyRule, ProviderId, ProviderKind, ProviderSpec, RetryProfile, UnknownProvider, Wire, CATALOG};
pub use route::{Route, RouteNote};
pub use run::{AttemptStatus, GateVerdict, ParkReason, RunStatus};
pub use show_assets::{Artwork, MusicFile, MusicSlot, ShowMusic, StoredAsset};
pub use sources::{ProducerSource, SourceChunk, SourceKind, SourceOwner};
pub use validation::{FieldError, ValidationErrors};
