//! A producer's decisions at human gates.

use showrunner_domain::artifacts::{Decision, DecisionKind};
use showrunner_domain::{ArtifactKind, AttemptStatus, RunId, RunStatus, StageId};
use sqlx::types::Json;
use sqlx::FromRow;

use crate::attempts::{finish_in, supersede_in};
use crate::journal::{append, Subject};
use crate::rows::AttemptRow;
use crate::runs::set_status_in;
use crate::JournalEvent;
use crate::{AttemptFinish, AttemptRecord, NewArtifact, Store, StoreError, SubjectStatus};

impl Store {
    /// Records the decision and closes the parked gate attempt with it, atomically: of two racing decisions
    /// (a double click, or an approval against a cancel) exactly one applies; the other gets `Stale`.
    pub async fn record_decision(
        &self,
        run_id: &RunId,
        parked_attempt: i64,
        decision: &Decision,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        record_in(&mut tx, run_id, parked_attempt, decision, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(())
    }

    /// Everything a decision changes, in ONE transaction: the decision, the gate attempt closed, the stages it
    /// sends back superseded, and the run (and its subject, as `subject` says) moving on. A crash can land
    /// before or after it, never between a recorded decision and a run still parked at a gate that is no longer
    /// waiting.
    pub async fn apply_decision(
        &self,
        run_id: &RunId,
        parked_attempt: i64,
        decision: &Decision,
        redo: &[StageId],
        subject: Option<SubjectStatus>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        record_in(&mut tx, run_id, parked_attempt, decision, now_ms).await?;
        supersede_in(&mut tx, run_id, redo, now_ms).await?;
        set_status_in(&mut tx, run_id, RunStatus::Running, None, subject, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(())
    }
}

async fn record_in(
    tx: &mut sqlx::SqliteConnection,
    run_id: &RunId,
    parked_attempt: i64,
    decision: &Decision,
    now_ms: i64,
) -> Result<(), StoreError> {
    {
        sqlx::query(
            "INSERT INTO decisions (run_id, gate, decision, note, decided_by, decided_at_ms, artifact_version)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(run_id.as_str())
        .bind(decision.gate.as_str())
        .bind(serde_json::to_string(&decision.decision)?)
        .bind(&decision.note)
        .bind(&decision.decided_by)
        .bind(decision.decided_at_ms)
        .bind(decision.artifact_version as i64)
        .execute(&mut *tx)
        .await?;
        let subject = Subject {
            run_id: Some(run_id.as_str()),
            episode_id: None,
        };
        append(
            &mut *tx,
            now_ms,
            subject,
            &JournalEvent::DecisionRecorded(decision.clone()),
        )
        .await?;
        let finish = AttemptFinish {
            artifacts: vec![NewArtifact {
                kind: ArtifactKind::Decision,
                content: serde_json::to_value(decision)?,
            }],
            ..AttemptFinish::with_status(AttemptStatus::Done)
        };
        let gate_attempt = sqlx::query_as::<_, AttemptRow>("SELECT * FROM attempts WHERE id = ? AND run_id = ?")
            .bind(parked_attempt)
            .bind(run_id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .map(AttemptRecord::from);
        match gate_attempt.map(|a| a.status) {
            Some(AttemptStatus::Parked) => {}
            Some(other) => {
                return Err(StoreError::Stale {
                    what: "Gate",
                    id: decision.gate.to_string(),
                    status: other.to_string(),
                })
            }
            None => {
                return Err(StoreError::NotFound {
                    what: "Attempt",
                    id: parked_attempt.to_string(),
                })
            }
        }
        finish_in(&mut *tx, parked_attempt, finish, now_ms).await?;
        Ok(())
    }
}

/// A `decisions` row as stored.
#[derive(FromRow)]
struct DecisionRow {
    gate: String,
    decision: Json<DecisionKind>,
    note: String,
    decided_by: String,
    decided_at_ms: i64,
    artifact_version: u32,
}

impl From<DecisionRow> for Decision {
    fn from(row: DecisionRow) -> Decision {
        Decision {
            gate: StageId(row.gate),
            decision: row.decision.0,
            note: row.note,
            decided_by: row.decided_by,
            decided_at_ms: row.decided_at_ms,
            artifact_version: row.artifact_version,
        }
    }
}

impl Store {
    /// The run's decisions, oldest first.
    pub async fn decisions(&self, run_id: &RunId) -> Result<Vec<Decision>, StoreError> {
        let rows = sqlx::query_as::<_, DecisionRow>("SELECT * FROM decisions WHERE run_id = ? ORDER BY id")
            .bind(run_id.as_str())
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(Decision::from).collect())
    }
}
