//! A show's own versions of its stages' prompt templates. Version 1 of each template is the shipped default
//! (embedded in the app, never stored); every save — an override or a rollback — is the next version, so the
//! history only grows and the newest version is the one the stage renders.

use showrunner_domain::{RunId, ShowId};
use sqlx::FromRow;

use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{Store, StoreError};

/// The shipped default's version: a show's first override is version 2.
pub const SHIPPED_TEMPLATE_VERSION: u32 = 1;

/// One saved version of a show's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptVersion {
    pub show_id: ShowId,
    pub template_id: String,
    pub version: u32,
    pub content: String,
    pub author: String,
    pub note: String,
    pub created_at_ms: i64,
}

/// A version about to be saved; its number is the next one, assigned in the write transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPromptVersion {
    pub show_id: ShowId,
    pub template_id: String,
    pub content: String,
    pub author: String,
    pub note: String,
}

/// A `prompt_templates` row as stored.
#[derive(FromRow)]
struct VersionRow {
    show_id: String,
    template_id: String,
    version: u32,
    content: String,
    author: String,
    note: String,
    created_at_ms: i64,
}

impl From<VersionRow> for PromptVersion {
    fn from(row: VersionRow) -> PromptVersion {
        PromptVersion {
            show_id: ShowId(row.show_id),
            template_id: row.template_id,
            version: row.version,
            content: row.content,
            author: row.author,
            note: row.note,
            created_at_ms: row.created_at_ms,
        }
    }
}

impl Store {
    /// Every saved version of `template_id` for the show, oldest first (the shipped default is not among them).
    pub async fn prompt_versions(&self, show: &ShowId, template_id: &str) -> Result<Vec<PromptVersion>, StoreError> {
        let rows = sqlx::query_as::<_, VersionRow>(
            "SELECT * FROM prompt_templates WHERE show_id = ? AND template_id = ? ORDER BY version",
        )
        .bind(show.as_str())
        .bind(template_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(PromptVersion::from).collect())
    }

    /// The newest saved version of every template the show overrides.
    pub async fn current_prompts(&self, show: &ShowId) -> Result<Vec<PromptVersion>, StoreError> {
        let rows = sqlx::query_as::<_, VersionRow>(
            "SELECT * FROM prompt_templates t WHERE show_id = ?1
                AND version = (SELECT MAX(version) FROM prompt_templates
                                WHERE show_id = ?1 AND template_id = t.template_id)
              ORDER BY template_id",
        )
        .bind(show.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(PromptVersion::from).collect())
    }

    /// The override a stage of `run` renders for `template_id` now: the newest version its show saved, if any.
    pub async fn prompt_for_run(&self, run: &RunId, template_id: &str) -> Result<Option<PromptVersion>, StoreError> {
        let row = sqlx::query_as::<_, VersionRow>(
            "SELECT t.* FROM prompt_templates t
               JOIN episodes e ON e.show_id = t.show_id
               JOIN runs r ON r.episode_id = e.id
              WHERE r.id = ? AND t.template_id = ?
              ORDER BY t.version DESC LIMIT 1",
        )
        .bind(run.as_str())
        .bind(template_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(PromptVersion::from))
    }

    /// Saves `new` as the show's next version of its template (the first is version 2) and journals it.
    pub async fn save_prompt_version(&self, new: &NewPromptVersion, now_ms: i64) -> Result<PromptVersion, StoreError> {
        let mut tx = self.write().await?;
        let exists = sqlx::query("SELECT 1 FROM shows WHERE id = ?")
            .bind(new.show_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: "Show",
                id: new.show_id.to_string(),
            });
        }
        let row = sqlx::query_as::<_, VersionRow>(
            "INSERT INTO prompt_templates (show_id, template_id, version, content, author, note, created_at_ms)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(version), ?3) + 1 FROM prompt_templates
                               WHERE show_id = ?1 AND template_id = ?2), ?4, ?5, ?6, ?7)
             RETURNING *",
        )
        .bind(new.show_id.as_str())
        .bind(&new.template_id)
        .bind(i64::from(SHIPPED_TEMPLATE_VERSION))
        .bind(&new.content)
        .bind(&new.author)
        .bind(&new.note)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        let saved = PromptVersion::from(row);
        let event = JournalEvent::PromptTemplateSaved {
            show_id: saved.show_id.clone(),
            template_id: saved.template_id.clone(),
            version: saved.version,
            author: saved.author.clone(),
            note: saved.note.clone(),
        };
        append(&mut tx, now_ms, Subject::default(), &event).await?;
        crate::kill_points::commit(tx).await?;
        Ok(saved)
    }
}
