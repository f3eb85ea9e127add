//! Artifacts: every stage's output, versioned per run and kind, never overwritten.

use showrunner_domain::{ArtifactId, ArtifactKind, RunId, StageId};
use sqlx::SqliteConnection;

use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{rows, ArtifactRecord, NewArtifact, Store, StoreError};

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    run_id: &RunId,
    stage: &StageId,
    attempt_id: Option<i64>,
    artifact: NewArtifact,
    now_ms: i64,
) -> Result<ArtifactRecord, StoreError> {
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM artifacts WHERE run_id = ? AND kind = ?")
            .bind(run_id.as_str())
            .bind(artifact.kind.as_str())
            .fetch_one(&mut *conn)
            .await?;
    let record = ArtifactRecord {
        id: ArtifactId::new(),
        run_id: run_id.clone(),
        stage: stage.clone(),
        kind: artifact.kind,
        version: version as u32,
        attempt_id,
        content: artifact.content,
        created_at_ms: now_ms,
    };
    sqlx::query(
        "INSERT INTO artifacts (id, run_id, stage, kind, version, attempt_id, content, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(record.id.as_str())
    .bind(run_id.as_str())
    .bind(stage.as_str())
    .bind(record.kind.as_str())
    .bind(version)
    .bind(attempt_id)
    .bind(record.content.to_string())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    let event = JournalEvent::ArtifactSaved {
        artifact_id: record.id.to_string(),
        stage: stage.clone(),
        kind: record.kind,
        version,
        attempt_id,
    };
    append(
        conn,
        now_ms,
        Subject {
            run_id: Some(run_id.as_str()),
            episode_id: None,
        },
        &event,
    )
    .await?;
    Ok(record)
}

impl Store {
    /// Saves an artifact outside any attempt: a producer's edit (e.g. a script line changed at sign-off).
    pub async fn save_artifact(
        &self,
        run_id: &RunId,
        stage: &StageId,
        artifact: NewArtifact,
        now_ms: i64,
    ) -> Result<ArtifactRecord, StoreError> {
        let mut tx = self.write().await?;
        let record = insert(&mut tx, run_id, stage, None, artifact, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(record)
    }

    pub async fn artifact(&self, id: &ArtifactId) -> Result<Option<ArtifactRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM artifacts WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(rows::artifact).transpose()
    }

    /// The newest version of `kind` in the run.
    pub async fn latest_artifact(
        &self,
        run_id: &RunId,
        kind: ArtifactKind,
    ) -> Result<Option<ArtifactRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM artifacts WHERE run_id = ? AND kind = ? ORDER BY version DESC LIMIT 1")
            .bind(run_id.as_str())
            .bind(kind.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(rows::artifact).transpose()
    }

    /// Every artifact of the run, in the order saved.
    pub async fn artifacts(&self, run_id: &RunId) -> Result<Vec<ArtifactRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM artifacts WHERE run_id = ? ORDER BY created_at_ms, rowid")
            .bind(run_id.as_str())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(rows::artifact).collect()
    }

    /// The artifacts the attempts `attempt_ids` of the run produced, in the order saved: what a stage's
    /// re-attempt reads for its feedback (the reports of the gates that sent it back, a producer's send-back),
    /// instead of every artifact of the run.
    pub async fn artifacts_of_attempts(
        &self,
        run_id: &RunId,
        attempt_ids: &[i64],
    ) -> Result<Vec<ArtifactRecord>, StoreError> {
        if attempt_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; attempt_ids.len()].join(", ");
        let sql = format!(
            "SELECT * FROM artifacts WHERE run_id = ? AND attempt_id IN ({placeholders}) ORDER BY created_at_ms, rowid"
        );
        let mut query = sqlx::query(&sql).bind(run_id.as_str());
        for id in attempt_ids {
            query = query.bind(id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter().map(rows::artifact).collect()
    }

    /// The attempts a producer's decision closed (each carries the decision as its artifact), oldest first.
    pub async fn decided_attempts(&self, run_id: &RunId) -> Result<Vec<i64>, StoreError> {
        let ids = sqlx::query_scalar(
            "SELECT attempt_id FROM artifacts WHERE run_id = ? AND kind = ? AND attempt_id IS NOT NULL ORDER BY attempt_id",
        )
        .bind(run_id.as_str())
        .bind(ArtifactKind::Decision.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(ids)
    }
}
