//! Driving a run: schedule ready stages, persist each outcome before anything downstream starts, apply gate
//! verdicts, park at human gates, and stop when the run is done, parked, failed or cancelled.
//!
//! Invariants: a run is driven by at most one task at a time (the `active` map); every decision the loop
//! makes is derived from durable writes: from the store when a drive starts, then from the rows the loop's own
//! writes return (`run_state`), so killing the process at any point and driving again continues from the last
//! durable write.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use showrunner_domain::{AttemptStatus, GateVerdict, ParkReason, RunId, RunStatus, StageCode, StageId};
use showrunner_store::{AttemptFinish, AttemptRecord, RunRecord};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{info, info_span, warn, Instrument};

use crate::clock::within;
use crate::feedback::feedback_for;
use crate::run_state::RunState;
use crate::{
    Driver, Engine, EngineError, ErrorClass, RunChanged, StageContext, StageError, StageKind, StageOutput, StageSpec,
    Workflow,
};

/// What a finished stage task reports back to the loop.
struct Finished {
    stage: StageId,
    attempt_id: i64,
    /// The attempt rows the task's retries wrote, in the order written, as each write returned them.
    retries: Vec<AttemptRecord>,
    result: Result<StageOutput, StageError>,
}

impl Engine {
    /// Drives `run` in the background unless it is already being driven. Returns the task's handle, which
    /// resolves to the status the run came to rest in.
    pub fn spawn_drive(&self, run: &RunId) -> Option<tokio::task::JoinHandle<Result<RunStatus, EngineError>>> {
        let token = CancellationToken::new();
        {
            let mut active = self.inner.active.lock().ok()?;
            if let Some(driver) = active.get_mut(run) {
                driver.again = true;
                return None;
            }
            active.insert(
                run.clone(),
                Driver {
                    cancel: token.clone(),
                    again: false,
                },
            );
        }
        self.clear_halt(run);
        let engine = self.clone();
        let run = run.clone();
        let span = info_span!("run", run_id = %run);
        Some(tokio::spawn(
            async move {
                let result = loop {
                    let result = engine.drive(&run, token.clone()).await;
                    // Leaving the registry and checking for a late request are one step under the lock, so a
                    // decision that lands after the run parked is either seen here or spawns a new driver.
                    let again = match engine.inner.active.lock() {
                        Ok(mut active) => match active.get_mut(&run) {
                            Some(driver) if driver.again && result.is_ok() => {
                                driver.again = false;
                                true
                            }
                            _ => {
                                active.remove(&run);
                                false
                            }
                        },
                        Err(_) => false,
                    };
                    if !again {
                        break result;
                    }
                };
                if let Err(e) = &result {
                    warn!(error = %e, "run stopped with an engine error");
                }
                engine.note_halt(&run, &result);
                // Wakes anyone waiting for the run to rest (`drive_to_rest`) now, not at their next poll.
                if let Ok(record) = engine.load_run(&run).await {
                    engine.announce(&record);
                }
                // A quiet moment for this run: fold its writes into the database file so the WAL stays small.
                if let Err(e) = engine.store().checkpoint().await {
                    warn!(error = %e, "could not checkpoint the journal");
                }
                result
            }
            .instrument(span),
        ))
    }

    /// Drives `run` until it rests, in the caller's task (the CLI waits on this).
    pub async fn drive_to_rest(&self, run: &RunId) -> Result<RunStatus, EngineError> {
        loop {
            if let Some(handle) = self.spawn_drive(run) {
                return handle
                    .await
                    .unwrap_or_else(|e| Err(EngineError::Finished(format!("the run task stopped: {e}"))));
            }
            // Another task is driving it: wait for it to come to rest.
            let mut changes = self.subscribe();
            while self.is_driving(run) {
                let _ = tokio::time::timeout(Duration::from_millis(200), changes.recv()).await;
            }
            let record = self.load_run(run).await?;
            if record.status != RunStatus::Running {
                return Ok(record.status);
            }
        }
    }

    pub(crate) async fn load_run(&self, run: &RunId) -> Result<RunRecord, EngineError> {
        self.store()
            .run(run)
            .await?
            .ok_or_else(|| EngineError::UnknownRun(run.clone()))
    }

    pub(crate) fn workflow_for(&self, run: &RunRecord) -> Result<Arc<Workflow>, EngineError> {
        self.workflow(&run.pipeline)
            .cloned()
            .ok_or_else(|| EngineError::UnknownPipeline(run.pipeline.clone()))
    }

    pub(crate) fn announce(&self, run: &RunRecord) {
        // No listener is fine: announcements are hints to refresh.
        let _ = self.inner.changes.send(RunChanged {
            run_id: run.id.clone(),
            episode_id: run.episode_id.clone(),
        });
    }

    /// Writes the run's status, with what its workflow says its subject becomes, in one transaction.
    pub(crate) async fn set_status(
        &self,
        run: &RunRecord,
        status: RunStatus,
        park: Option<&ParkReason>,
    ) -> Result<(), EngineError> {
        let subject = self.workflow(&run.pipeline).and_then(|w| w.subject_for(status, park));
        let now = self.clock().now_ms();
        self.store().set_run_status(&run.id, status, park, subject, now).await?;
        info!(status = %status, "run status changed");
        self.announce(run);
        Ok(())
    }

    async fn drive(&self, run_id: &RunId, cancel: CancellationToken) -> Result<RunStatus, EngineError> {
        let run = self.load_run(run_id).await?;
        if run.status != RunStatus::Running {
            return Ok(run.status);
        }
        let workflow = self.workflow_for(&run)?;
        let pipeline = &workflow.pipeline;
        // Answers billed before the storage failed are written first, so their calls are reused, not re-sent.
        self.store().settle_kept_outcomes(self.clock().now_ms()).await?;
        // Nothing of this run is in flight before this loop starts it (one driver per run), so an open intent
        // is a paid call a dead process never finished: release it as ambiguous before spending again.
        let cut_off = self
            .store()
            .release_interrupted_calls(&run.id, self.clock().now_ms())
            .await?;
        if !cut_off.is_empty() {
            warn!(
                calls = cut_off.len(),
                "paid calls were cut off mid-flight; flagged ambiguous"
            );
            self.announce(&run);
        }
        // Built after the writes above and used only by this call: a run re-entered (`again`, a new driver)
        // is read afresh, so a decision, a retry or a raised cap made while it rested is seen.
        let attempts = self.store().attempts(&run.id).await?;
        let decided = self.store().decided_attempts(&run.id).await?;
        let mut state = RunState::build(pipeline, attempts, decided);
        let mut inflight: JoinSet<Finished> = JoinSet::new();
        let mut running: HashSet<StageId> = HashSet::new();

        loop {
            if cancel.is_cancelled() {
                inflight.abort_all();
                while inflight.join_next().await.is_some() {}
                let now = self.clock().now_ms();
                self.store().interrupt_running_attempts(&run.id, now).await?;
                self.store().release_open_calls(&run.id, now).await?;
                self.set_status(&run, RunStatus::Cancelled, None).await?;
                return Ok(RunStatus::Cancelled);
            }

            if let Some(failed) = state.first_failed() {
                if inflight.is_empty() {
                    warn!(stage = %pipeline.stages[failed].id, "stage failed; the run stops");
                    self.set_status(&run, RunStatus::Failed, None).await?;
                    return Ok(RunStatus::Failed);
                }
            } else if state.all_done() {
                self.set_status(&run, RunStatus::Done, None).await?;
                return Ok(RunStatus::Done);
            } else {
                let any_parked = state.first_parked().is_some();
                for s in state.take_to_check() {
                    let spec = &pipeline.stages[s];
                    if running.contains(&spec.id) {
                        // Sent back while its earlier task is still in flight: looked at again once it is in.
                        continue;
                    }
                    if !state.is_ready(pipeline, s) {
                        continue;
                    }
                    if spec.kind == StageKind::HumanGate {
                        self.park_at(&run, spec, &mut state).await?;
                        continue;
                    }
                    if any_parked {
                        // Finish what is in flight, start nothing new: the producer decides first.
                        state.check_again(s);
                        continue;
                    }
                    // Feedback only ever follows a stage's own earlier attempt (work is sent back to stages
                    // that ran), so a first attempt reads nothing.
                    let (feedback, final_remediation) = if state.has_run(s) {
                        let sources = state.feedback_sources(s);
                        let ids: Vec<i64> = sources.iter().map(|a| a.id).collect();
                        let artifacts = self.store().artifacts_of_attempts(&run.id, &ids).await?;
                        let feedback = feedback_for(pipeline, &spec.id, &sources, &artifacts);
                        let last = feedback.is_some() && state.last_remediation(pipeline, s);
                        (feedback, last)
                    } else {
                        (None, false)
                    };
                    let now = self.clock().now_ms();
                    let attempt = self
                        .store()
                        .start_attempt(&run.id, &spec.id, feedback.as_deref(), now)
                        .await?;
                    state.record(attempt.clone());
                    self.announce(&run);
                    running.insert(spec.id.clone());
                    let ctx = StageContext {
                        run: run.clone(),
                        spec: spec.clone(),
                        attempt: attempt.attempt,
                        attempt_id: attempt.id,
                        feedback,
                        final_remediation,
                        store: self.store().clone(),
                        clock: self.clock().clone(),
                        cancel: cancel.child_token(),
                        changes: self.inner.changes.clone(),
                    };
                    inflight.spawn(self.clone().run_stage(workflow.clone(), ctx, attempt));
                }
            }

            if inflight.is_empty() {
                return self.rest_when_idle(&run, &workflow, &state).await;
            }

            tokio::select! {
                joined = inflight.join_next() => {
                    let Some(joined) = joined else { continue };
                    let mut finished = match joined {
                        Ok(f) => f,
                        Err(e) if e.is_cancelled() => continue,
                        Err(e) => return Err(EngineError::Finished(format!("a stage task crashed: {e}"))),
                    };
                    running.remove(&finished.stage);
                    if let Some(s) = state.stage_index(&finished.stage) {
                        state.check_again(s);
                    }
                    for attempt in finished.retries.drain(..) {
                        state.record(attempt);
                    }
                    if let Err(error @ StageError { class: ErrorClass::Storage(code), .. }) = &finished.result {
                        return Err(self.halt_draining(&finished.stage, *code, error, &mut inflight).await);
                    }
                    self.record_outcome(&run, &workflow, finished, &mut state).await?;
                }
                _ = cancel.cancelled() => {}
            }
        }
    }

    /// Nothing is running and nothing more can start: the run is parked (or stuck, which is a bug we report).
    async fn rest_when_idle(
        &self,
        run: &RunRecord,
        workflow: &Workflow,
        state: &RunState,
    ) -> Result<RunStatus, EngineError> {
        let pipeline = &workflow.pipeline;
        let Some(parked) = state.first_parked() else {
            if state.first_failed().is_some() {
                self.set_status(run, RunStatus::Failed, None).await?;
                return Ok(RunStatus::Failed);
            }
            return Err(EngineError::Finished(
                "no stage can run and none is waiting; the pipeline is stuck".into(),
            ));
        };
        let spec = &pipeline.stages[parked];
        let attempt = state.live(parked);
        let stopped_by_budget = attempt.and_then(|a| a.failure_code()) == Some(StageCode::BudgetExhausted);
        let reason = match spec.kind {
            _ if stopped_by_budget => ParkReason::BudgetExhausted { stage: spec.id.clone() },
            StageKind::HumanGate => ParkReason::HumanGate { stage: spec.id.clone() },
            _ => ParkReason::GateEscalated {
                stage: spec.id.clone(),
                summary: attempt.and_then(|a| a.error_message.clone()).unwrap_or_default(),
            },
        };
        self.set_status(run, RunStatus::Parked, Some(&reason)).await?;
        Ok(RunStatus::Parked)
    }

    async fn park_at(&self, run: &RunRecord, spec: &StageSpec, state: &mut RunState) -> Result<(), EngineError> {
        let now = self.clock().now_ms();
        let attempt = self.store().start_attempt(&run.id, &spec.id, None, now).await?;
        let id = attempt.id;
        state.record(attempt);
        let finish = AttemptFinish::with_status(AttemptStatus::Parked);
        state.record(self.store().finish_attempt_returning(id, finish, now).await?.attempt);
        info!(stage = %spec.id, "parked for the producer");
        self.announce(run);
        Ok(())
    }

    /// Runs one stage, retrying transient failures per the retry policy. Each try is its own attempt row.
    async fn run_stage(self, workflow: Arc<Workflow>, ctx: StageContext, first: AttemptRecord) -> Finished {
        let stage = ctx.spec.id.clone();
        let span = info_span!("stage", stage = %stage);
        let mut tries = Tries {
            attempt_id: first.id,
            retries: Vec::new(),
        };
        let result = self.try_stage(&workflow, ctx, &mut tries).instrument(span).await;
        Finished {
            stage,
            attempt_id: tries.attempt_id,
            retries: tries.retries,
            result,
        }
    }

    async fn try_stage(
        &self,
        workflow: &Workflow,
        mut ctx: StageContext,
        tries: &mut Tries,
    ) -> Result<StageOutput, StageError> {
        let stage = ctx.spec.id.clone();
        let Some(runner) = workflow.runners.get(&stage).cloned() else {
            return Err(StageError::terminal(
                StageCode::NoRunner,
                format!("no runner is installed for '{stage}'"),
            ));
        };
        let mut tried = 1;
        let began_ms = self.clock().now_ms();
        loop {
            // A panicking stage is a failed try (code `internal`), not a task that vanishes and leaves the
            // run "running" for ever.
            let work = AssertUnwindSafe(runner.run(ctx.clone())).catch_unwind();
            let result = match ctx.spec.attempt_timeout_ms {
                Some(limit) => within(self.clock().as_ref(), Duration::from_millis(limit), work)
                    .await
                    .unwrap_or_else(|| Ok(Err(attempt_timed_out(limit)))),
                None => work.await,
            }
            .unwrap_or_else(|panic| Err(stage_panicked(panic.as_ref())));
            let error = match result {
                Ok(output) => return Ok(output),
                Err(error) => error,
            };
            // A failing stage may have dropped calls it had in flight; none may keep money reserved.
            match self
                .store()
                .release_abandoned_calls(&ctx.run.id, tries.attempt_id, self.clock().now_ms())
                .await
            {
                Ok(dropped) if !dropped.is_empty() => {
                    warn!(
                        calls = dropped.len(),
                        "the stage dropped paid calls mid-flight; flagged ambiguous"
                    );
                    self.announce(&ctx.run);
                }
                Ok(_) => {}
                Err(e) => warn!(error = %e, "could not release the stage's dropped calls"),
            }
            let retry_delay = match error.class {
                ErrorClass::Transient if !ctx.cancel.is_cancelled() => self
                    .retry_policy(&ctx.spec, &error)
                    .next_delay(tried, error.retry_after),
                _ => None,
            };
            let Some(delay) = retry_delay else {
                return Err(error);
            };
            if let Some(deadline) = ctx.spec.deadline_ms {
                let next_try_ms = self.clock().now_ms() + delay.as_millis() as i64;
                if next_try_ms > began_ms + deadline as i64 {
                    return Err(deadline_passed(&error, tried, deadline));
                }
            }
            warn!(code = %error.code, delay_ms = delay.as_millis() as u64, "transient failure; retrying");
            let now = self.clock().now_ms();
            let waiting = AttemptFinish {
                error_code: Some(error.code.clone()),
                error_message: Some(error.message.clone()),
                ..AttemptFinish::with_status(AttemptStatus::WaitingRetry)
            };
            let waiting = self
                .store()
                .finish_attempt_returning(tries.attempt_id, waiting, now)
                .await
                .map_err(StageError::from_store)?;
            tries.retries.push(waiting.attempt);
            self.announce(&ctx.run);
            tokio::select! {
                _ = self.clock().sleep(delay) => {}
                _ = ctx.cancel.cancelled() => {
                    return Err(StageError::terminal(StageCode::Cancelled, "the run was cancelled"));
                }
            }
            let now = self.clock().now_ms();
            let next = self
                .store()
                .start_attempt(&ctx.run.id, &stage, ctx.feedback.as_deref(), now)
                .await
                .map_err(StageError::from_store)?;
            // The waiting attempt is history now; the new one carries on.
            let superseded = AttemptFinish::with_status(AttemptStatus::Superseded);
            let previous = std::mem::replace(&mut tries.attempt_id, next.id);
            ctx.attempt = next.attempt;
            ctx.attempt_id = next.id;
            tries.retries.push(next);
            if let Ok(old) = self.store().finish_attempt_returning(previous, superseded, now).await {
                tries.retries.push(old.attempt);
            }
            self.announce(&ctx.run);
            tried += 1;
        }
    }

    /// Persists a finished stage and applies a gate's verdict.
    async fn record_outcome(
        &self,
        run: &RunRecord,
        workflow: &Workflow,
        finished: Finished,
        state: &mut RunState,
    ) -> Result<(), EngineError> {
        let pipeline = &workflow.pipeline;
        let s = state
            .stage_index(&finished.stage)
            .ok_or_else(|| EngineError::UnknownStage(finished.stage.clone()))?;
        let spec = &pipeline.stages[s];
        let now = self.clock().now_ms();
        match finished.result {
            Err(error) if error.class == ErrorClass::Budget => {
                // Not a failure: the stage waits for the producer to raise the cap, then runs again.
                info!(stage = %spec.id, "the budget cap stopped the stage; parking");
                let finish = AttemptFinish {
                    error_code: Some(StageCode::BudgetExhausted),
                    error_message: Some(error.message),
                    ..AttemptFinish::with_status(AttemptStatus::Parked)
                };
                state.record(
                    self.store()
                        .finish_attempt_returning(finished.attempt_id, finish, now)
                        .await?
                        .attempt,
                );
            }
            Err(error) => {
                warn!(stage = %spec.id, code = %error.code, "stage failed: {}", error.message);
                let finish = AttemptFinish {
                    error_code: Some(error.code),
                    error_message: Some(error.message),
                    ..AttemptFinish::with_status(AttemptStatus::Failed)
                };
                state.record(
                    self.store()
                        .finish_attempt_returning(finished.attempt_id, finish, now)
                        .await?
                        .attempt,
                );
            }
            Ok(output) => {
                let gate = output.gate.clone();
                let mut finish = AttemptFinish {
                    status: AttemptStatus::Done,
                    cost: output.cost,
                    route: output.route,
                    verdict: gate.as_ref().map(|g| g.verdict),
                    error_code: None,
                    error_message: None,
                    artifacts: output.artifacts,
                };
                let mut send_back: Option<StageId> = None;
                if let Some(gate) = gate.filter(|g| g.verdict != GateVerdict::Pass) {
                    let remediations = state.remediations_since_decision(s);
                    match (&spec.remediates, gate.verdict) {
                        (Some(target), GateVerdict::Remediate) if remediations < spec.max_remediations => {
                            info!(stage = %spec.id, target = %target, "gate sends the work back");
                            send_back = Some(target.clone());
                        }
                        _ => {
                            info!(stage = %spec.id, "gate escalates to the producer");
                            finish.status = AttemptStatus::Parked;
                            finish.verdict = Some(GateVerdict::Escalate);
                            finish.error_code = Some(StageCode::GateEscalated);
                            finish.error_message = Some(gate.feedback.clone());
                        }
                    }
                }
                state.record(
                    self.store()
                        .finish_attempt_returning(finished.attempt_id, finish, now)
                        .await?
                        .attempt,
                );
                if let Some(target) = send_back {
                    let redo = pipeline.downstream_of(&target);
                    for superseded in self.store().supersede_stages_returning(&run.id, &redo, now).await? {
                        state.record(superseded);
                    }
                }
            }
        }
        self.announce(run);
        Ok(())
    }
}

/// What a panic says, as a stage failure the producer can retry or stop at.
fn stage_panicked(payload: &(dyn std::any::Any + Send)) -> StageError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    warn!(panic = %what, "the stage panicked");
    StageError::terminal(
        StageCode::Internal,
        format!(
            "The stage stopped on an internal error ({what}). This is a bug in Showrunner; retry, or stop the run."
        ),
    )
}

/// A try that ran past its stage's per-try limit. Transient: the next try may be quicker.
fn attempt_timed_out(limit_ms: u64) -> StageError {
    StageError::transient(
        StageCode::AttemptTimeout,
        format!("The try took longer than {} and was stopped.", seconds(limit_ms)),
    )
}

/// The stage would retry after its time limit: it fails now, saying why it was retrying.
fn deadline_passed(last: &StageError, tries: u32, deadline_ms: u64) -> StageError {
    StageError::terminal(
        StageCode::StageDeadline,
        format!(
            "Stopped after {tries} tries: the stage's time limit of {} is up. The last try failed with: {}",
            seconds(deadline_ms),
            last.message
        ),
    )
}

fn seconds(ms: u64) -> String {
    match ms {
        ms if ms >= 60_000 && ms.is_multiple_of(60_000) => format!("{} min", ms / 60_000),
        ms => format!("{} s", ms.div_ceil(1_000)),
    }
}

/// Where a stage task's tries stand: the attempt in use, and the rows its retries wrote.
struct Tries {
    attempt_id: i64,
    retries: Vec<AttemptRecord>,
}
