//! Engine errors.

use showrunner_domain::{RunId, StageId};
use showrunner_store::StoreError;

use crate::{PipelineError, RunHalt};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error("run {0} does not exist")]
    UnknownRun(RunId),
    #[error("no pipeline named '{0}' is installed")]
    UnknownPipeline(String),
    #[error("the run is not waiting at '{expected}' (it is {actual})")]
    NotParkedHere { expected: StageId, actual: String },
    #[error("'{0}' is not a stage of this pipeline")]
    UnknownStage(StageId),
    #[error("the run has already finished ({0}); nothing more can change")]
    Finished(String),
    /// The storage stopped the run (see `halt`); resume once the cause is fixed.
    #[error("{}", .0.message)]
    Halted(RunHalt),
    #[error("only a failed run can be retried (this one is {0})")]
    NotFailed(String),
}

impl EngineError {
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Store(e) => e.code(),
            EngineError::Pipeline(_) => "invalid_pipeline",
            EngineError::UnknownRun(_) => "not_found",
            EngineError::UnknownPipeline(_) => "not_found",
            EngineError::NotParkedHere { .. } => "conflict",
            EngineError::UnknownStage(_) => "invalid_input",
            EngineError::Finished(_) => "conflict",
            EngineError::Halted(halt) => halt.code.as_str(),
            EngineError::NotFailed(_) => "conflict",
        }
    }
}
