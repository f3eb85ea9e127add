//! Runs: one pass of a pipeline, producing an episode or nothing the store knows of.

use showrunner_domain::{BudgetSplit, EpisodeId, EpisodeStatus, Money, ParkReason, RunId, RunStatus};
use sqlx::types::Json;

use crate::error::is_unique_violation;
use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{rows, RunRecord, Store, StoreError};

/// What follows a run's status in the same transaction: the thing the run produces moving with it. Which
/// status that is belongs to whoever defines the pipeline (production: the episode's), not to the engine,
/// which only carries it; written with the run's status, the two are never seen apart, whatever the
/// moment a process is killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectStatus {
    /// The run's episode takes this status.
    Episode(EpisodeStatus),
}

impl SubjectStatus {
    fn episode_status(self) -> EpisodeStatus {
        match self {
            SubjectStatus::Episode(status) => status,
        }
    }
}

impl Store {
    /// Creates a running run with its own budget `cap` and `split` of it over the pipeline's phases, for the
    /// episode it produces if it produces one, and moves that episode as `subject` says. An episode has at most
    /// one run: a second is refused with [`StoreError::RunExists`].
    pub async fn create_run(
        &self,
        episode: Option<&EpisodeId>,
        pipeline: &str,
        cap: Money,
        split: &BudgetSplit,
        subject: Option<SubjectStatus>,
        now_ms: i64,
    ) -> Result<RunRecord, StoreError> {
        let run = RunRecord {
            id: RunId::new(),
            episode_id: episode.cloned(),
            pipeline: pipeline.to_owned(),
            status: RunStatus::Running,
            park: None,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
        };
        if cap <= Money::ZERO {
            return Err(StoreError::InvalidAmount(format!("a cap of {cap}")));
        }
        let mut tx = self.write().await?;
        if let Some(episode) = episode {
            let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM episodes WHERE id = ?")
                .bind(episode.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::NotFound {
                    what: "Episode",
                    id: episode.to_string(),
                });
            }
        }
        if let Some(subject) = subject {
            set_episode_status(&mut tx, &run.id, episode.map(EpisodeId::as_str), subject, now_ms).await?;
        }
        sqlx::query(
            "INSERT INTO runs (id, episode_id, pipeline, status, park, budget_cap, budget_split, created_at_ms,
                               updated_at_ms)
             VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)",
        )
        .bind(run.id.as_str())
        .bind(episode.map(EpisodeId::as_str))
        .bind(pipeline)
        .bind(run.status.as_str())
        .bind(cap.0)
        .bind(Json(split))
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .map_err(|e| match is_unique_violation(&e) {
            // Someone else created it first (two resumes of one episode): the schema keeps one run.
            true => StoreError::RunExists {
                episode: episode.map(EpisodeId::to_string).unwrap_or_default(),
            },
            false => e.into(),
        })?;
        let subject = Subject {
            run_id: Some(run.id.as_str()),
            episode_id: episode.map(EpisodeId::as_str),
        };
        append(
            &mut tx,
            now_ms,
            subject,
            &JournalEvent::RunCreated {
                pipeline: pipeline.to_owned(),
                budget_cap: Some(cap),
                budget_split: Some(split.clone()),
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

    /// Moves the run, and its subject as `subject` says, together, so the Episodes list never disagrees with
    /// the Run view.
    pub async fn set_run_status(
        &self,
        id: &RunId,
        status: RunStatus,
        park: Option<&ParkReason>,
        subject: Option<SubjectStatus>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        set_status_in(&mut tx, id, status, park, subject, now_ms).await?;
        crate::kill_points::commit(tx).await?;
        Ok(())
    }
}

/// Sets a run's status, and its subject's, inside the caller's transaction (see [`Store::set_run_status`]).
pub(crate) async fn set_status_in(
    tx: &mut sqlx::SqliteConnection,
    id: &RunId,
    status: RunStatus,
    park: Option<&ParkReason>,
    subject: Option<SubjectStatus>,
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
    let episode_id: Option<String> = sqlx::Row::try_get(&row, "episode_id")?;
    if let Some(subject) = subject {
        set_episode_status(&mut *tx, id, episode_id.as_deref(), subject, now_ms).await?;
    }
    let journal_subject = Subject {
        run_id: Some(id.as_str()),
        episode_id: episode_id.as_deref(),
    };
    let event = JournalEvent::RunStatusChanged {
        status,
        park: park.cloned(),
        episode_status: subject.map(SubjectStatus::episode_status),
    };
    append(&mut *tx, now_ms, journal_subject, &event).await?;
    Ok(())
}

/// Moves the run's episode. A run that produces none has no episode status to take: asking for one is a
/// workflow's mistake, refused rather than dropped.
async fn set_episode_status(
    tx: &mut sqlx::SqliteConnection,
    run: &RunId,
    episode_id: Option<&str>,
    subject: SubjectStatus,
    now_ms: i64,
) -> Result<(), StoreError> {
    let Some(episode_id) = episode_id else {
        return Err(StoreError::NotFound {
            what: "The episode of run",
            id: run.to_string(),
        });
    };
    sqlx::query("UPDATE episodes SET status = ?, updated_at_ms = ? WHERE id = ?")
        .bind(subject.episode_status().as_str())
        .bind(now_ms)
        .bind(episode_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
