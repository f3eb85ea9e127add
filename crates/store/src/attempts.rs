//! Stage attempts and their state machine: running → (waiting_retry →) done | failed | parked | cancelled,
//! and superseded when their work is sent back. Every transition is journaled in its own transaction.

use showrunner_domain::{AttemptStatus, Route, RunId, StageId};
use sqlx::{Row, SqliteConnection};

use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{artifacts, rows, ArtifactRecord, AttemptFinish, AttemptRecord, FinishedAttempt, Store, StoreError};

/// States an attempt can still leave through `finish_attempt`.
fn is_open(status: AttemptStatus) -> bool {
    matches!(
        status,
        AttemptStatus::Pending | AttemptStatus::Running | AttemptStatus::WaitingRetry | AttemptStatus::Parked
    )
}

/// Whether the attempt has ended (its `finished_at_ms` is set).
fn is_final(status: AttemptStatus) -> bool {
    !is_open(status)
}

async fn load(conn: &mut SqliteConnection, id: i64) -> Result<AttemptRecord, StoreError> {
    let row = sqlx::query("SELECT * FROM attempts WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "Attempt",
            id: id.to_string(),
        })?;
    rows::attempt(&row)
}

/// Applies `finish` to attempt `id` inside the caller's transaction; returns the attempt as it now stands and
/// the artifacts saved.
pub(crate) async fn finish_in(
    conn: &mut SqliteConnection,
    id: i64,
    finish: AttemptFinish,
    now_ms: i64,
) -> Result<FinishedAttempt, StoreError> {
    let current = load(conn, id).await?;
    let late_for_superseded = current.status == AttemptStatus::Superseded && finish.status != AttemptStatus::Superseded;
    if !is_open(current.status) && !late_for_superseded && finish.status != AttemptStatus::Superseded {
        return Err(StoreError::Stale {
            what: "Attempt",
            id: id.to_string(),
            status: current.status.to_string(),
        });
    }
    if current.status == AttemptStatus::Superseded && finish.status == AttemptStatus::Superseded {
        return Ok(FinishedAttempt {
            attempt: current,
            artifacts: Vec::new(),
        });
    }
    // Work that finishes after it was sent back still cost money, but its output must never become the
    // latest version of anything: keep the cost, drop the artifacts, stay superseded.
    let (status, artifacts) = if late_for_superseded {
        (AttemptStatus::Superseded, Vec::new())
    } else {
        (finish.status, finish.artifacts)
    };
    let finished_at = if is_final(status) {
        Some(current.finished_at_ms.unwrap_or(now_ms))
    } else {
        None
    };
    let keep_errors = status == AttemptStatus::Superseded;
    let row = sqlx::query(
        "UPDATE attempts SET status = ?, finished_at_ms = ?, cost = cost + ?, route = COALESCE(?, route),
                verdict = COALESCE(?, verdict),
                error_code = CASE WHEN ? THEN error_code ELSE ? END,
                error_message = CASE WHEN ? THEN error_message ELSE ? END
          WHERE id = ? RETURNING *",
    )
    .bind(status.as_str())
    .bind(finished_at)
    .bind(finish.cost.0)
    .bind(finish.route.as_ref().map(Route::to_column))
    .bind(finish.verdict.map(|v| v.as_str()))
    .bind(keep_errors)
    .bind(finish.error_code.as_ref().map(|c| c.as_str()))
    .bind(keep_errors)
    .bind(&finish.error_message)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let attempt = rows::attempt(&row)?;
    let event = JournalEvent::AttemptFinished {
        attempt_id: id,
        stage: current.stage.clone(),
        attempt: current.attempt,
        from: current.status,
        status,
        cost: finish.cost,
        route: finish.route.clone(),
        verdict: finish.verdict,
        error_code: finish.error_code.map(|c| c.as_str().to_owned()),
    };
    let subject = Subject {
        run_id: Some(current.run_id.as_str()),
        episode_id: None,
    };
    append(conn, now_ms, subject, &event).await?;
    let mut saved = Vec::with_capacity(artifacts.len());
    for artifact in artifacts {
        saved.push(artifacts::insert(conn, &current.run_id, &current.stage, Some(id), artifact, now_ms).await?);
    }
    Ok(FinishedAttempt {
        attempt,
        artifacts: saved,
    })
}

impl Store {
    /// Starts the next attempt of `stage` (numbered after every earlier try, superseded ones included).
    pub async fn start_attempt(
        &self,
        run_id: &RunId,
        stage: &StageId,
        feedback: Option<&str>,
        now_ms: i64,
    ) -> Result<AttemptRecord, StoreError> {
        let mut tx = self.write_progress().await?;
        let number: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(attempt), 0) + 1 FROM attempts WHERE run_id = ? AND stage = ?")
                .bind(run_id.as_str())
                .bind(stage.as_str())
                .fetch_one(&mut *tx)
                .await?;
        let row = sqlx::query(
            "INSERT INTO attempts (run_id, stage, attempt, status, feedback, started_at_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(run_id.as_str())
        .bind(stage.as_str())
        .bind(number)
        .bind(AttemptStatus::Running.as_str())
        .bind(feedback)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        let record = rows::attempt(&row)?;
        let event = JournalEvent::AttemptStarted {
            attempt_id: record.id,
            stage: stage.clone(),
            attempt: number,
            feedback: feedback.map(str::to_owned),
        };
        append(
            &mut tx,
            now_ms,
            Subject {
                run_id: Some(run_id.as_str()),
                episode_id: None,
            },
            &event,
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(record)
    }

    /// Records how an attempt ended (or paused) and saves what it produced, in one transaction.
    ///
    /// Open attempts (running, waiting for a retry, parked) may move on; a finished one may not, except to be
    /// superseded. A finish arriving for an attempt that was superseded meanwhile keeps its cost only.
    pub async fn finish_attempt(
        &self,
        id: i64,
        finish: AttemptFinish,
        now_ms: i64,
    ) -> Result<Vec<ArtifactRecord>, StoreError> {
        Ok(self.finish_attempt_returning(id, finish, now_ms).await?.artifacts)
    }

    /// [`Store::finish_attempt`], returning the attempt as it now stands beside what it saved: the drive loop
    /// keeps its run's state from the rows its own writes return instead of reading them again.
    pub async fn finish_attempt_returning(
        &self,
        id: i64,
        finish: AttemptFinish,
        now_ms: i64,
    ) -> Result<FinishedAttempt, StoreError> {
        let mut tx = self.write_progress().await?;
        let finished = finish_in(&mut tx, id, finish, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(finished)
    }

    /// Every attempt of the run, oldest first.
    pub async fn attempts(&self, run_id: &RunId) -> Result<Vec<AttemptRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM attempts WHERE run_id = ? ORDER BY id")
            .bind(run_id.as_str())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(rows::attempt).collect()
    }

    /// After a crash or a cancel: attempts that were in flight are closed as cancelled ("interrupted"), so the
    /// stage runs again from its inputs. Returns how many there were.
    pub async fn interrupt_running_attempts(&self, run_id: &RunId, now_ms: i64) -> Result<u64, StoreError> {
        let mut tx = self.write_progress().await?;
        let ids: Vec<i64> = sqlx::query(
            "UPDATE attempts SET status = 'cancelled', finished_at_ms = ?, error_code = 'interrupted',
                    error_message = 'Interrupted before it finished; it runs again.'
              WHERE run_id = ? AND status IN ('pending', 'running', 'waiting_retry') RETURNING id",
        )
        .bind(now_ms)
        .bind(run_id.as_str())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        if !ids.is_empty() {
            let subject = Subject {
                run_id: Some(run_id.as_str()),
                episode_id: None,
            };
            append(
                &mut tx,
                now_ms,
                subject,
                &JournalEvent::AttemptsInterrupted {
                    attempt_ids: ids.clone(),
                },
            )
            .await?;
        }
        crate::kill_points::commit(tx).await?;
        Ok(ids.len() as u64)
    }

    /// Marks the live attempts of `stages` superseded, so they run again; their artifacts stay as history.
    pub async fn supersede_stages(&self, run_id: &RunId, stages: &[StageId], now_ms: i64) -> Result<u64, StoreError> {
        if stages.is_empty() {
            return Ok(0);
        }
        Ok(self.supersede_stages_returning(run_id, stages, now_ms).await?.len() as u64)
    }

    /// [`Store::supersede_stages`], returning the attempts it superseded as they now stand.
    pub async fn supersede_stages_returning(
        &self,
        run_id: &RunId,
        stages: &[StageId],
        now_ms: i64,
    ) -> Result<Vec<AttemptRecord>, StoreError> {
        if stages.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.write_progress().await?;
        let superseded = supersede_in(&mut tx, run_id, stages, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(superseded)
    }
}

/// Supersedes `stages` inside the caller's transaction (see [`Store::supersede_stages`]); returns the attempts
/// it superseded.
pub(crate) async fn supersede_in(
    tx: &mut sqlx::SqliteConnection,
    run_id: &RunId,
    stages: &[StageId],
    now_ms: i64,
) -> Result<Vec<AttemptRecord>, StoreError> {
    if stages.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = vec!["?"; stages.len()].join(", ");
    let sql = format!(
        "UPDATE attempts SET status = 'superseded', finished_at_ms = COALESCE(finished_at_ms, ?)
          WHERE run_id = ? AND status != 'superseded' AND stage IN ({placeholders}) RETURNING *"
    );
    let mut query = sqlx::query(&sql).bind(now_ms).bind(run_id.as_str());
    for stage in stages {
        query = query.bind(stage.as_str());
    }
    let mut superseded: Vec<AttemptRecord> = query
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(rows::attempt)
        .collect::<Result<_, _>>()?;
    // RETURNING gives no order; the journal lists them oldest first as before.
    superseded.sort_by_key(|a| a.id);
    let ids: Vec<i64> = superseded.iter().map(|a| a.id).collect();
    let subject = Subject {
        run_id: Some(run_id.as_str()),
        episode_id: None,
    };
    append(
        &mut *tx,
        now_ms,
        subject,
        &JournalEvent::StagesSuperseded {
            stages: stages.to_vec(),
            attempt_ids: ids,
        },
    )
    .await?;
    Ok(superseded)
}
