//! A run the storage stopped. When the store cannot take a write (a full disk, a failing database) nothing the
//! run does next can be recorded, so the engine stops driving it and says why, instead of logging the error
//! and leaving the run "running" with no one driving it.
//!
//! The halt is kept in memory (the database may not take even that write) and announced; the run stays
//! `running` in the store, so `resume` (or the next start of the app) continues it once space is freed, and
//! the answers the provider already billed are settled from what the store kept, never asked for again.

use std::time::Duration;

use serde::Serialize;
use showrunner_domain::{RunId, RunStatus, StageCode, StageId};
use showrunner_store::StoreError;
use strum::IntoStaticStr;
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::{Engine, EngineError, ErrorClass, StageError};

/// Why the storage stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum HaltCode {
    /// SQLITE_FULL or ENOSPC: free some space, then resume.
    DiskFull,
    /// Any other failure of the database or the data folder.
    StoreFailed,
}

impl HaltCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn of(error: &StoreError) -> HaltCode {
        match error {
            StoreError::DiskFull => HaltCode::DiskFull,
            _ => HaltCode::StoreFailed,
        }
    }
}

/// A stopped run's reason, as the Run view and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunHalt {
    pub code: HaltCode,
    /// What failed and what to do about it.
    pub message: String,
    /// The stage whose write failed, when it was a stage's.
    pub stage: Option<StageId>,
}

impl RunHalt {
    fn new(code: HaltCode, detail: &str, stage: Option<StageId>) -> RunHalt {
        let advice = match code {
            HaltCode::DiskFull => "Free some disk space, then resume the run",
            HaltCode::StoreFailed => "Check the data folder, then resume the run",
        };
        let at = stage.as_ref().map(|s| format!(" at {s}")).unwrap_or_default();
        RunHalt {
            code,
            message: format!(
                "The run stopped{at}: {detail} {advice}; answers already paid for are kept and not bought again."
            ),
            stage,
        }
    }
}

impl StageError {
    /// A store failure inside a stage. Storage failures stop the run (class [`ErrorClass::Storage`]); the
    /// rest (a missing row, a stale state) fail the stage like any other error.
    pub fn from_store(e: StoreError) -> StageError {
        let class = if e.is_storage_failure() {
            ErrorClass::Storage(HaltCode::of(&e))
        } else {
            ErrorClass::Terminal
        };
        StageError {
            code: StageCode::of(e.code()),
            message: e.to_string(),
            class,
            retry_after: None,
            provider: None,
        }
    }
}

impl Engine {
    /// Why the storage stopped `run`, if it did and nothing has driven it since.
    pub fn halt(&self, run: &RunId) -> Option<RunHalt> {
        self.inner.halts.lock().ok()?.get(run).cloned()
    }

    /// Continues a run the storage stopped (or any running run nothing drives): the attempts it left
    /// running are marked interrupted and the run is driven again, settling what the store kept first.
    pub async fn resume_run(&self, run: &RunId) -> Result<(), EngineError> {
        let record = self.load_run(run).await?;
        if record.status != RunStatus::Running {
            return Err(EngineError::Finished(record.status.to_string()));
        }
        if self.is_driving(run) {
            return Ok(());
        }
        let interrupted = self
            .store()
            .interrupt_running_attempts(run, self.clock().now_ms())
            .await?;
        info!(run_id = %run, interrupted, "resuming a stopped run");
        self.spawn_drive(run);
        Ok(())
    }

    /// Called when a driver takes the run: whatever stopped it before is being tried again.
    pub(crate) fn clear_halt(&self, run: &RunId) {
        if let Ok(mut halts) = self.inner.halts.lock() {
            halts.remove(run);
        }
    }

    /// Called with the driver's result: a storage failure becomes the run's visible halt.
    pub(crate) fn note_halt(&self, run: &RunId, result: &Result<RunStatus, EngineError>) {
        let halt = match result {
            Err(EngineError::Halted(halt)) => halt.clone(),
            Err(EngineError::Store(e)) if e.is_storage_failure() => RunHalt::new(HaltCode::of(e), &e.to_string(), None),
            _ => return,
        };
        warn!(
            code = halt.code.as_str(),
            "the storage stopped the run: {}", halt.message
        );
        if let Ok(mut halts) = self.inner.halts.lock() {
            halts.insert(run.clone(), halt);
        }
    }

    /// A stage's storage failure stops the run. The stages still in flight are let finish rather than cut
    /// off, so every answer they are waiting for is received and settled or kept, not re-bought on resume;
    /// their outcomes are not recorded (the store is failing), so they run again on resume, reusing their
    /// settled calls.
    pub(crate) async fn halt_draining<T: 'static>(
        &self,
        stage: &StageId,
        code: HaltCode,
        error: &StageError,
        inflight: &mut JoinSet<T>,
    ) -> EngineError {
        if !inflight.is_empty() {
            info!(
                stages = inflight.len(),
                "letting the stages in flight finish before stopping"
            );
        }
        // The engine waiting for its own tasks, not a run's time: on tokio's timer (see `clock`).
        while tokio::time::timeout(DRAIN_LIMIT, inflight.join_next())
            .await
            .unwrap_or_else(|_| {
                warn!("stages still in flight after the drain limit; cutting them off");
                None
            })
            .is_some()
        {}
        inflight.abort_all();
        EngineError::Halted(RunHalt::new(code, &error.message, Some(stage.clone())))
    }
}

/// How long a stopping run waits for the stages in flight (a provider call's own timeout is shorter).
const DRAIN_LIMIT: Duration = Duration::from_secs(300);
