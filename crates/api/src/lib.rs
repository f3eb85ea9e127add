//! The one surface the desktop shell, the CLI and tests call. Functions over an [`App`] context, grouped by
//! domain; every error crosses as an [`ApiError`] `{code, message, details}`; every DTO derives `TS` and is
//! generated into `ui/src/lib/backend/bindings.ts` (a test fails when the committed file drifts).

mod app;
pub mod base_urls;
pub mod batch;
pub mod bindings;
pub mod connection;
pub mod dashboard;
pub mod decisions;
pub mod delivery;
pub mod draft_master;
pub mod dto;
pub mod environment;
pub mod episodes;
mod error;
pub mod estimate;
pub mod export;
mod failure_hint;
pub mod feed;
pub mod keys;
pub mod ledger;
pub mod library;
pub mod line_takes;
pub mod local_models;
pub mod local_voices;
pub mod playback;
pub mod prices;
pub mod prompts;
pub mod provider_limits;
pub mod release;
pub mod revoice;
pub mod roster;
pub mod routing;
pub mod runs;
pub mod script;
pub mod script_room;
pub mod show_assets;
pub mod shows;
pub mod sources;
pub mod voice_catalog;
pub mod voices;
pub mod waveform;

pub use app::{Access, App, AppOptions};
pub use environment::Environment;
pub use error::{ApiError, ErrorCode};
pub use failure_hint::FailureHint;

pub use showrunner_audio::PlaybackState;
pub use showrunner_domain as domain;
pub use showrunner_engine::RunChanged;
pub use showrunner_production::stage_ids;
pub use showrunner_store::WriterRole;
