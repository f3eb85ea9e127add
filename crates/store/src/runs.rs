//! Runs: one production of an episode through a pipeline.

use showrunner_domain::{EpisodeId, EpisodeStatus, ParkReason, RunId, RunStatus};

use crate::error::is_unique_violation;
use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{rows, RunRecord, Store, StoreError};

impl Store {
    /// Creates a running run for the episode; the episode goes back to "producing". An episode has at most
    /// one run: a second is refused with [`StoreError::RunExists`].
    pub async fn create_run(&self, episode: &EpisodeId, pipeline: &str, now_ms: i64) -> Result<RunRecord, StoreError> {
        let run = RunRecord {
            id: RunId::new(),
            episode_id: episode.clone(),
            pipeline: pipeline.to_owned(),
            status: RunStatus::Running,
            park: None,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
        };
        let mut tx = self.write().await?;
        let updated = sqlx::query("UPDATE episodes SET status = ?, updated_at_ms = ? WHERE id = ?")
            .bind(EpisodeStatus::Producing.as_str())
            .bind(now_ms)
            .bind(episode.as_str())
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "Episode",
                id: episode.to_string(),
            });
        }
        sqlx::query(
            "INSERT INTO runs (id, episode_id, pipeline, status, park, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, NULL, ?, ?)",
        )
        .bind(run.id.as_str())
        .bind(episode.as_str())
        .bind(pipeline)
        .bind(run.status.as_str())
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .map_err(|e| match is_unique_violation(&e) {
            // Someone else created it first (two resumes of one episode): the schema keeps one run.
            true => StoreError::RunExists {
                episode: episode.to_string(),
            },
            false => e.into(),
        })?;
        let subject = Subject {
            run_id: Some(run.id.as_str()),
            episode_id: Some(episode.as_str()),
        };
        append(
            &mut tx,
            now_ms,
            subject,
            &JournalEvent::RunCreated {
                pipeline: pipeline.to_owned(),
            },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(run)
    }

    pub async fn run(&self, id: &RunId) -> Result<Option<RunRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM runs WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(rows::run).transpose()
    }

    /// The episode's current run: the most recently created.
    pub async fn latest_run(&self, episode: &EpisodeId) -> Result<Option<RunRecord>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM runs WHERE episode_id = ? ORDER BY created_at_ms DESC, rowid DESC LIMIT 1")
                .bind(episode.as_str())
                .fetch_optional(self.pool())
                .await?;
        row.as_ref().map(rows::run).transpose()
    }

    pub async fn runs_with_status(&self, status: RunStatus) -> Result<Vec<RunRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM runs WHERE status = ? ORDER BY created_at_ms, rowid")
            .bind(status.as_str())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(rows::run).collect()
    }

    /// Moves the run and its episode together, so the Episodes list never disagrees with the Run view.
    pub async fn set_run_status(
        &self,
        id: &RunId,
        status: RunStatus,
        park: Option<&ParkReason>,
        episode_status: EpisodeStatus,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        set_status_in(&mut tx, id, status, park, episode_status, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(())
    }
}

/// Sets a run's and its episode's status inside the caller's transaction (see [`Store::set_run_status`]).
pub(crate) async fn set_status_in(
    tx: &mut sqlx::SqliteConnection,
    id: &RunId,
    status: RunStatus,
    park: Option<&ParkReason>,
    episode_status: EpisodeStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    let park_json = park.map(serde_json::to_string).transpose()?;
    let row = sqlx::query("UPDATE runs SET status = ?, park = ?, updated_at_ms = ? WHERE id = ? RETURNING episode_id")
        .bind(status.as_str())
        .bind(&park_json)
        .bind(now_ms)
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "Run",
            id: id.to_string(),
        })?;
    let episode_id: String = sqlx::Row::try_get(&row, "episode_id")?;
    sqlx::query("UPDATE episodes SET status = ?, updated_at_ms = ? WHERE id = ?")
        .bind(episode_status.as_str())
        .bind(now_ms)
        .bind(&episode_id)
        .execute(&mut *tx)
        .await?;
    let subject = Subject {
        run_id: Some(id.as_str()),
        episode_id: Some(&episode_id),
    };
    let event = JournalEvent::RunStatusChanged {
        status,
        park: park.cloned(),
        episode_status,
    };
    append(&mut *tx, now_ms, subject, &event).await?;
    Ok(())
}
