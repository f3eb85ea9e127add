//! One module per group of stages; each stage is a small `StageRunner`.

mod draft_master;
pub(crate) mod grounding;
pub mod master;
pub mod master_takes;
pub mod music_beds;
pub(crate) mod output_limits;
pub mod package;
pub mod plan;
pub mod research;
pub mod script;
pub(crate) mod segment_writer;
#[cfg(test)]
mod segmented_episode_tests;
pub mod speech;

use showrunner_domain::{ArtifactKind, GateVerdict, Route};
use showrunner_engine::{GateOutcome, StageError, StageOutput};
use showrunner_store::NewArtifact;

use crate::inputs::to_json;

pub(crate) fn artifact<T: serde::Serialize>(kind: ArtifactKind, value: &T) -> Result<NewArtifact, StageError> {
    Ok(NewArtifact {
        kind,
        content: to_json(value)?,
    })
}

pub(crate) fn gate_output(
    artifacts: Vec<NewArtifact>,
    verdict: GateVerdict,
    feedback: String,
    route: Option<Route>,
) -> StageOutput {
    StageOutput {
        artifacts,
        cost: Default::default(),
        route,
        gate: Some(GateOutcome { verdict, feedback }),
    }
}
