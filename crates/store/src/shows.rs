//! Shows and their brand voice.

use serde_json::json;
use showrunner_domain::{BrandVoice, Show, ShowId};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use crate::error::is_unique_violation;
use crate::journal::{append, Subject};
use crate::{Store, StoreError};

/// Names compare without case or surrounding spaces: "Deep Dive" and " deep dive" are the same show.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn show(row: &SqliteRow) -> Result<Show, StoreError> {
    Ok(Show {
        id: ShowId(row.try_get("id")?),
        brand: serde_json::from_str(row.try_get::<&str, _>("brand")?)?,
        created_at_ms: row.try_get("created_at_ms")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
    })
}

impl Store {
    pub async fn create_show(&self, brand: &BrandVoice, now_ms: i64) -> Result<Show, StoreError> {
        let show = Show {
            id: ShowId::new(),
            brand: brand.clone(),
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
        };
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO shows (id, name, name_key, brand, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(show.id.as_str())
        .bind(brand.name.trim())
        .bind(name_key(&brand.name))
        .bind(serde_json::to_string(brand)?)
        .bind(now_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::DuplicateShowName(brand.name.trim().to_owned()))
            }
            other => other?,
        };
        append(
            &mut tx,
            now_ms,
            "show.created",
            Subject::default(),
            &json!({ "show_id": show.id, "name": brand.name }),
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(show)
    }

    pub async fn update_show(&self, id: &ShowId, brand: &BrandVoice, now_ms: i64) -> Result<Show, StoreError> {
        let mut tx = self.write().await?;
        let updated = sqlx::query("UPDATE shows SET name = ?, name_key = ?, brand = ?, updated_at_ms = ? WHERE id = ?")
            .bind(brand.name.trim())
            .bind(name_key(&brand.name))
            .bind(serde_json::to_string(brand)?)
            .bind(now_ms)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await;
        let updated = match updated {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::DuplicateShowName(brand.name.trim().to_owned()))
            }
            other => other?,
        };
        if updated.rows_affected() == 0 {
            return Err(StoreError::UnknownShow(id.to_string()));
        }
        append(
            &mut tx,
            now_ms,
            "show.updated",
            Subject::default(),
            &json!({ "show_id": id, "name": brand.name }),
        )
        .await?;
        let row = sqlx::query("SELECT * FROM shows WHERE id = ?")
            .bind(id.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let show = show(&row)?;
        crate::kill_points::commit(tx).await?;
        Ok(show)
    }

    pub async fn show(&self, id: &ShowId) -> Result<Option<Show>, StoreError> {
        let row = sqlx::query("SELECT * FROM shows WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(show).transpose()
    }

    pub async fn show_by_name(&self, name: &str) -> Result<Option<Show>, StoreError> {
        let row = sqlx::query("SELECT * FROM shows WHERE name_key = ?")
            .bind(name_key(name))
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(show).transpose()
    }

    /// All shows, by name.
    pub async fn list_shows(&self) -> Result<Vec<Show>, StoreError> {
        let rows = sqlx::query("SELECT * FROM shows ORDER BY name_key")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(show).collect()
    }
}
