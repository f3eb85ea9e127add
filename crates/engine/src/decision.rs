//! Starting runs, a producer's decisions at parked gates and at the budget cap, cancellation, and resuming
//! after a restart.

use showrunner_domain::{
    AttemptStatus, Decision, DecisionKind, EpisodeId, Money, ParkReason, RunId, RunStatus, StageCode, StageId,
};
use showrunner_store::{AttemptFinish, JournalEvent, RunRecord, StoreError};
use tracing::info;

use crate::progress::live_attempt;
use crate::{Engine, EngineError};

/// What the producer decided at a parked run.
#[derive(Debug, Clone, PartialEq)]
pub struct HumanDecision {
    pub decision: DecisionKind,
    pub note: String,
    pub decided_by: String,
    /// Version of the artifact the producer looked at.
    pub artifact_version: u32,
}

impl Engine {
    /// Creates a run of `pipeline`, spending at most `cap`, for the episode it produces if it produces one, and
    /// starts driving it.
    pub async fn start(
        &self,
        episode: Option<&EpisodeId>,
        pipeline: &str,
        cap: Money,
    ) -> Result<RunRecord, EngineError> {
        let Some(workflow) = self.workflow(pipeline) else {
            return Err(EngineError::UnknownPipeline(pipeline.to_owned()));
        };
        let subject = workflow.subject_for(RunStatus::Running, None);
        let run = self
            .store()
            .create_run(
                episode,
                pipeline,
                cap,
                &workflow.pipeline.budget,
                subject,
                self.clock().now_ms(),
            )
            .await?;
        info!(run_id = %run.id, episode_id = ?episode, "run created");
        self.announce(&run);
        self.spawn_drive(&run.id);
        Ok(run)
    }

    /// Applies a producer's decision at the gate the run is parked at, then continues the run.
    ///
    /// Approve (or, at an escalated gate, continue anyway): the gate is done. Send back: the named stage and
    /// everything after it are redone, with the note as feedback; upstream artifacts are reused. Either way
    /// the gate's send-back count starts again from zero: the producer has looked at the work.
    pub async fn decide(&self, run_id: &RunId, gate: &StageId, decision: HumanDecision) -> Result<(), EngineError> {
        let run = self.load_run(run_id).await?;
        let workflow = self.workflow_for(&run)?;
        let pipeline = &workflow.pipeline;
        let parked_at = match (&run.status, &run.park) {
            (RunStatus::Parked, Some(reason)) => reason.stage().clone(),
            (status, _) if matches!(status, RunStatus::Done | RunStatus::Failed | RunStatus::Cancelled) => {
                return Err(EngineError::Finished(status.to_string()))
            }
            (status, _) => {
                return Err(EngineError::NotParkedHere {
                    expected: gate.clone(),
                    actual: status.to_string(),
                })
            }
        };
        if let Some(ParkReason::BudgetExhausted { .. }) = &run.park {
            return Err(EngineError::NotParkedHere {
                expected: gate.clone(),
                actual: "parked at the budget cap; raise the budget or cancel the run".into(),
            });
        }
        if &parked_at != gate {
            return Err(EngineError::NotParkedHere {
                expected: gate.clone(),
                actual: format!("parked at {parked_at}"),
            });
        }
        if let DecisionKind::SendBack { stage } = &decision.decision {
            if pipeline.spec(stage).is_none() {
                return Err(EngineError::UnknownStage(stage.clone()));
            }
            if !pipeline.downstream_of(stage).contains(gate) {
                return Err(EngineError::UnknownStage(stage.clone()));
            }
        }
        let attempts = self.store().attempts(&run.id).await?;
        let parked = live_attempt(&attempts, gate)
            .filter(|a| a.status == AttemptStatus::Parked)
            .ok_or_else(|| EngineError::NotParkedHere {
                expected: gate.clone(),
                actual: "no parked attempt".into(),
            })?;

        let now = self.clock().now_ms();
        let record = Decision {
            gate: gate.clone(),
            decision: decision.decision.clone(),
            note: decision.note.clone(),
            decided_by: decision.decided_by.clone(),
            decided_at_ms: now,
            artifact_version: decision.artifact_version,
        };
        // One transaction: the decision row, the gate attempt closed with it. A racing second decision
        // (double click, or a cancel) finds the gate no longer parked and changes nothing.
        // The run moves on in the same transaction, so a crash never leaves a decided gate looking parked.
        let redo = match &decision.decision {
            DecisionKind::SendBack { stage } => pipeline.downstream_of(stage),
            _ => Vec::new(),
        };
        let subject = workflow.subject_for(RunStatus::Running, None);
        self.store()
            .apply_decision(&run.id, parked.id, &record, &redo, subject, now)
            .await?;
        match &decision.decision {
            DecisionKind::SendBack { stage } => info!(gate = %gate, stage = %stage, "sent back by the producer"),
            DecisionKind::ContinueAnyway { .. } => info!(gate = %gate, "continued anyway by the producer"),
            DecisionKind::Approve => info!(gate = %gate, "approved by the producer"),
        }
        self.announce(&run);
        self.spawn_drive(&run.id);
        Ok(())
    }

    /// Stops a run: in-flight work is aborted, the run and its episode are marked cancelled. A failed run can be
    /// stopped too (the producer gives up on it rather than retrying).
    ///
    /// Returns only once the cancellation is written: when a task is driving the run, it is told to stop and
    /// this waits for it to write the status; a run nobody drives is cancelled here.
    pub async fn cancel(&self, run_id: &RunId) -> Result<(), EngineError> {
        let run = self.load_run(run_id).await?;
        if matches!(run.status, RunStatus::Done | RunStatus::Cancelled) {
            return Err(EngineError::Finished(run.status.to_string()));
        }
        let token = self
            .inner
            .active
            .lock()
            .ok()
            .and_then(|a| a.get(run_id).map(|d| d.cancel.clone()));
        if let Some(token) = token {
            token.cancel();
            let mut changes = self.subscribe();
            while self.is_driving(run_id) {
                let _ = tokio::time::timeout(std::time::Duration::from_millis(50), changes.recv()).await;
            }
        }
        // The driver wrote the cancellation, or the run had come to rest (parked, failed) before it saw the
        // token: either way what the store says now decides.
        let run = self.load_run(run_id).await?;
        match run.status {
            RunStatus::Cancelled => return Ok(()),
            RunStatus::Done => return Err(EngineError::Finished(run.status.to_string())),
            _ => {}
        }
        let now = self.clock().now_ms();
        let attempts = self.store().attempts(&run.id).await?;
        for parked in attempts.iter().filter(|a| a.status == AttemptStatus::Parked) {
            let finish = AttemptFinish::with_status(AttemptStatus::Cancelled);
            self.store().finish_attempt(parked.id, finish, now).await?;
        }
        self.store().interrupt_running_attempts(&run.id, now).await?;
        self.store().release_open_calls(&run.id, now).await?;
        self.set_status(&run, RunStatus::Cancelled, None).await?;
        Ok(())
    }

    /// Runs a failed run again from the stages that failed. Everything that was done stays done; the failed
    /// stages start over, and any paid call they had settled is reused by its call key, not paid again.
    pub async fn retry(&self, run_id: &RunId) -> Result<(), EngineError> {
        let run = self.load_run(run_id).await?;
        if run.status != RunStatus::Failed {
            return Err(EngineError::NotFailed(run.status.to_string()));
        }
        let workflow = self.workflow_for(&run)?;
        let attempts = self.store().attempts(&run.id).await?;
        let failed: Vec<StageId> = workflow
            .pipeline
            .stages
            .iter()
            .filter(|s| live_attempt(&attempts, &s.id).map(|a| a.status) == Some(AttemptStatus::Failed))
            .map(|s| s.id.clone())
            .collect();
        let now = self.clock().now_ms();
        // The failed attempts stay on record (superseded), so the stage starts a fresh attempt.
        self.store().supersede_stages(&run.id, &failed, now).await?;
        info!(stages = ?failed, "retrying the failed stages");
        self.set_status(&run, RunStatus::Running, None).await?;
        self.spawn_drive(&run.id);
        Ok(())
    }

    /// Raises the run's budget cap. A run parked because the cap refused a paid call continues: every stage
    /// the cap stopped runs again, reusing the calls it had already paid for.
    ///
    /// Safe to repeat: if a crash came between raising the cap and resuming, asking again for the same amount
    /// resumes the run. Asking for the cap that refused the call is refused, as a cap that is not higher.
    pub async fn raise_budget(&self, run_id: &RunId, new_cap: Money) -> Result<(), EngineError> {
        let run = self.load_run(run_id).await?;
        if matches!(run.status, RunStatus::Done | RunStatus::Failed | RunStatus::Cancelled) {
            return Err(EngineError::Finished(run.status.to_string()));
        }
        let parked_on_budget = matches!(run.park, Some(ParkReason::BudgetExhausted { .. }));
        let now = self.clock().now_ms();
        match self.store().raise_cap(&run.id, new_cap, now).await {
            Ok(previous) => info!(from = %previous, to = %new_cap, "budget raised"),
            Err(StoreError::CapNotRaised { cap, .. })
                if cap == new_cap && parked_on_budget && self.raised_since_refusal(&run.id, cap).await? => {}
            Err(e) => return Err(e.into()),
        }
        self.announce(&run);
        if !parked_on_budget {
            return Ok(());
        }
        let attempts = self.store().attempts(&run.id).await?;
        for stopped in attempts
            .iter()
            .filter(|a| a.status == AttemptStatus::Parked && a.failure_code() == Some(StageCode::BudgetExhausted))
        {
            // Cancelled (like an interrupted attempt) so the drive loop starts the stage again.
            let finish = AttemptFinish {
                error_code: Some(StageCode::BudgetExhausted),
                error_message: Some("Stopped at the budget cap; runs again after the cap was raised.".into()),
                ..AttemptFinish::with_status(AttemptStatus::Cancelled)
            };
            self.store().finish_attempt(stopped.id, finish, now).await?;
        }
        self.set_status(&run, RunStatus::Running, None).await?;
        self.spawn_drive(&run.id);
        Ok(())
    }

    /// Whether `cap` is above the cap that refused the run's latest paid call, i.e. a raise already landed.
    async fn raised_since_refusal(&self, run: &RunId, cap: Money) -> Result<bool, EngineError> {
        let events = self.store().events_for_run(run).await?;
        let refused_under = events.iter().rev().find_map(|e| match e.event() {
            Ok(JournalEvent::ProviderCallRefused { cap, .. }) => Some(cap),
            _ => None,
        });
        Ok(refused_under.is_some_and(|refused| cap > refused))
    }

    /// At start: runs that were running when the app stopped are driven again from their last durable step.
    /// Parked runs stay parked, for as long as the producer takes.
    pub async fn resume_interrupted(&self) -> Result<Vec<RunId>, EngineError> {
        let runs = self.store().runs_with_status(RunStatus::Running).await?;
        let mut resumed = Vec::new();
        for run in runs {
            if self.is_driving(&run.id) || self.workflow(&run.pipeline).is_none() {
                continue;
            }
            let interrupted = self
                .store()
                .interrupt_running_attempts(&run.id, self.clock().now_ms())
                .await?;
            info!(run_id = %run.id, interrupted, "resuming an interrupted run");
            self.spawn_drive(&run.id);
            resumed.push(run.id);
        }
        Ok(resumed)
    }

    /// Raises the reason a run is parked, if it is.
    pub async fn park_reason(&self, run_id: &RunId) -> Result<Option<ParkReason>, EngineError> {
        Ok(self.load_run(run_id).await?.park)
    }
}
