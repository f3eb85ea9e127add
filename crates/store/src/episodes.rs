//! Episodes, with the figures the Episodes list shows (spend, length, where it is parked) derived from runs.

use showrunner_domain::{Episode, EpisodeId, EpisodeStatus, NewEpisode};

use crate::journal::{append, Subject};
use crate::rows::EpisodeRow;
use crate::JournalEvent;
use crate::{Store, StoreError};

/// One episode with its show's name, its latest run, spend over all runs (every provider call the ledger
/// recorded, failed and billed ones included), and the latest master's length.
pub(crate) const SELECT: &str = "
SELECT e.*, s.name AS show_name, r.id AS run_id, r.park AS park,
       COALESCE((SELECT SUM(c.cost) FROM provider_calls c JOIN runs cr ON cr.id = c.run_id
                  WHERE cr.episode_id = e.id), 0) AS spent,
       (SELECT json_extract(m.content, '$.duration_ms') FROM artifacts m
         WHERE m.run_id = r.id AND m.kind = 'master' ORDER BY m.version DESC LIMIT 1) AS duration_ms
  FROM episodes e
  JOIN shows s ON s.id = e.show_id
  LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE episode_id = e.id ORDER BY created_at_ms DESC, rowid DESC LIMIT 1)";

impl Store {
    pub async fn create_episode(&self, input: &NewEpisode, now_ms: i64) -> Result<Episode, StoreError> {
        let id = EpisodeId::new();
        // The api resolves the show's default; a caller that names none gets English, as before languages.
        let language = input.language.unwrap_or_default();
        let mut tx = self.write().await?;
        let show_exists = sqlx::query("SELECT 1 FROM shows WHERE id = ?")
            .bind(input.show_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if show_exists.is_none() {
            return Err(StoreError::UnknownShow(input.show_id.to_string()));
        }
        sqlx::query(
            "INSERT INTO episodes (id, show_id, topic, target_minutes, budget_cap, format, language, status, created_at_ms, updated_at_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id.as_str())
        .bind(input.show_id.as_str())
        .bind(input.topic.trim())
        .bind(input.target_minutes as i64)
        .bind(input.budget_cap.0)
        .bind(input.format.as_str())
        .bind(language.code())
        .bind(EpisodeStatus::Producing.as_str())
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now_ms,
            Subject {
                episode_id: Some(id.as_str()),
                run_id: None,
            },
            &JournalEvent::EpisodeCreated {
                show_id: input.show_id.clone(),
                topic: input.topic.trim().to_owned(),
                target_minutes: input.target_minutes,
                budget_cap: input.budget_cap,
                format: input.format,
                language,
            },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        self.episode(&id).await?.ok_or(StoreError::NotFound {
            what: "Episode",
            id: id.to_string(),
        })
    }

    pub async fn episode(&self, id: &EpisodeId) -> Result<Option<Episode>, StoreError> {
        let row = sqlx::query_as::<_, EpisodeRow>(&format!("{SELECT} WHERE e.id = ?"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(Episode::from))
    }

    /// Newest first.
    pub async fn list_episodes(&self) -> Result<Vec<Episode>, StoreError> {
        let rows = sqlx::query_as::<_, EpisodeRow>(&format!("{SELECT} ORDER BY e.created_at_ms DESC, e.id DESC"))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(Episode::from).collect())
    }
}
