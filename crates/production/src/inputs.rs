//! Reading a stage's inputs from the store: the episode, its show's brand voice, and the latest version of
//! each upstream artifact. A missing or unreadable input is a coded, terminal stage error.

use serde::de::DeserializeOwned;
use showrunner_domain::{ArtifactKind, BrandVoice, Episode, EpisodeId, StageCode};
use showrunner_engine::{StageContext, StageError};
use showrunner_store::StoreError;

/// A full disk or failing database stops the run (resumable); anything else fails the stage.
pub fn store_error(e: StoreError) -> StageError {
    StageError::from_store(e)
}

pub struct EpisodeInputs {
    pub episode: Episode,
    pub brand: BrandVoice,
}

impl EpisodeInputs {
    /// The episode's format as the plan and script tasks receive it: its id (which the offline writer
    /// follows), its label, and the guidance the prompt templates put before the inputs.
    pub fn format(&self) -> serde_json::Value {
        let format = self.episode.format;
        serde_json::json!({
            "id": format,
            "label": format.label(),
            "guidance": format.guidance(&self.brand.host_names()),
        })
    }

    /// The episode's language as every writing task receives it: its code (which the offline writer follows),
    /// its names, and the guidance the prompt templates put before the inputs.
    pub fn language(&self) -> serde_json::Value {
        let language = self.episode.language;
        serde_json::json!({
            "code": language,
            "name": language.name(),
            "guidance": language.guidance(),
        })
    }
}

/// The episode the run produces: every run of production's pipelines has one (`Production` starts them so).
pub fn episode_id(ctx: &StageContext) -> Result<&EpisodeId, StageError> {
    ctx.run
        .episode_id
        .as_ref()
        .ok_or_else(|| StageError::terminal(StageCode::NotFound, "this run produces no episode"))
}

pub async fn episode(ctx: &StageContext) -> Result<EpisodeInputs, StageError> {
    let store = &ctx.store;
    let episode = store
        .episode(episode_id(ctx)?)
        .await
        .map_err(store_error)?
        .ok_or_else(|| StageError::terminal(StageCode::NotFound, "the episode of this run no longer exists"))?;
    let show = store
        .show(&episode.show_id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| StageError::terminal(StageCode::NotFound, "the show of this episode no longer exists"))?;
    Ok(EpisodeInputs {
        episode,
        brand: show.brand,
    })
}

/// The latest stored artifact of `kind` in this run, as its domain type.
pub async fn latest<T: DeserializeOwned>(ctx: &StageContext, kind: ArtifactKind) -> Result<T, StageError> {
    let record = ctx
        .store
        .latest_artifact(&ctx.run.id, kind)
        .await
        .map_err(store_error)?
        .ok_or_else(|| {
            StageError::terminal(
                StageCode::MissingInput,
                format!("no {} is stored for this run yet", kind.as_str()),
            )
        })?;
    serde_json::from_value(record.content).map_err(|e| {
        StageError::terminal(
            StageCode::CorruptArtifact,
            format!("the stored {} cannot be read: {e}", kind.as_str()),
        )
    })
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, StageError> {
    serde_json::to_value(value)
        .map_err(|e| StageError::terminal(StageCode::Internal, format!("cannot encode an artifact: {e}")))
}
