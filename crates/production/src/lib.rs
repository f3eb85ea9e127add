//! The podcast pipeline: the sixteen stages of a "Standard episode", their handoff contracts, the brand-voice
//! rules and audio checks that make gates real, and the prompt templates. Orchestration (scheduling,
//! retries, parking) is the engine's; this crate says what each stage does.

mod audio_checks;
#[cfg(test)]
mod billing_reconciliation;
mod brand_rules;
mod crew;
mod episode_status;
mod estimate;
mod failure_bill;
mod fan_out;
mod inputs;
mod model_call;
mod pipeline;
pub mod prompts;
mod retry_policies;
mod routes;
pub mod script_locks;
pub mod stage_ids;
mod stages;

pub use crew::{Casting, Crew, OfflineRoster, PriceBook, Roster};
pub use episode_status::EpisodeFollowsRun;
pub use estimate::{
    context_needs, estimate_episode, ContextNeed, EpisodeEstimate, EpisodeShape, GROUNDING_CHARS_PER_CALL,
};
pub use pipeline::{episode_follows_run, standard_budget, standard_pipeline, standard_workflow, STANDARD_PIPELINE};
pub use retry_policies::provider_retry_policies;
pub use routes::{Job, ModelChoice, RouteError, RoutePlan, ROUTES_SETTING};
pub use showrunner_contracts::schema_problems;
pub use showrunner_text::prepare_speech_text;
pub use stages::music_beds::{run_assets_key, RunAssets};
