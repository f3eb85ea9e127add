//! App settings as JSON values by key (never secrets: API keys live in the OS keyring).

use sqlx::types::Json;
use sqlx::FromRow;

use crate::journal::{append, Subject};
use crate::JournalEvent;
use crate::{Store, StoreError};

/// A setting's value, read by its column's name so damage is reported under it.
#[derive(FromRow)]
struct SettingRow {
    value: Json<serde_json::Value>,
}

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let row = sqlx::query_as::<_, SettingRow>("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.value.0))
    }

    pub async fn put_setting(&self, key: &str, value: &serde_json::Value, now_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at_ms) VALUES (?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
        )
        .bind(key)
        .bind(value.to_string())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now_ms,
            Subject::default(),
            &JournalEvent::SettingChanged {
                key: key.to_owned(),
                value: value.clone(),
            },
        )
        .await?;
        crate::kill_points::commit(tx).await?;
        Ok(())
    }
}
