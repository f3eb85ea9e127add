//! Tauri commands, one module per domain. Each is async and one line: delegate to `showrunner_api`; errors
//! cross as `ApiError {code, message, details}`.

pub mod decisions;
pub mod delivery;
pub mod episodes;
pub mod keys;
pub mod ledger;
pub mod library;
pub mod line_takes;
pub mod local_voices;
pub mod playback;
pub mod prices;
pub mod prompts;
pub mod release;
pub mod routing;
pub mod runs;
pub mod script;
pub mod show_assets;
pub mod shows;
pub mod sources;
pub mod voices;

pub type Result<T> = std::result::Result<T, showrunner_api::ApiError>;
pub type AppState<'a> = tauri::State<'a, showrunner_api::App>;
