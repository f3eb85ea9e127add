//! The events journal: one row per state change, written in the same transaction as the change.

use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};

use crate::{JournalEvent, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub seq: i64,
    pub at_ms: i64,
    /// e.g. `run.created`, `attempt.started`, `attempt.finished`, `artifact.saved`, `decision.recorded`.
    pub kind: String,
    pub run_id: Option<String>,
    pub episode_id: Option<String>,
    pub payload: serde_json::Value,
}

/// Where an event belongs.
#[derive(Default, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub run_id: Option<&'a str>,
    pub episode_id: Option<&'a str>,
}

pub(crate) async fn append(
    conn: &mut SqliteConnection,
    at_ms: i64,
    subject: Subject<'_>,
    event: &JournalEvent,
) -> Result<(), StoreError> {
    let (kind, payload) = event.columns()?;
    sqlx::query("INSERT INTO events (at_ms, kind, run_id, episode_id, payload) VALUES (?, ?, ?, ?, ?)")
        .bind(at_ms)
        .bind(kind)
        .bind(subject.run_id)
        .bind(subject.episode_id)
        .bind(payload.to_string())
        .execute(conn)
        .await?;
    crate::kill_points::appended();
    Ok(())
}

impl EventRecord {
    /// The event, typed; a kind the store never writes, or a payload that does not fit its kind, is `corrupt`.
    pub fn event(&self) -> Result<JournalEvent, StoreError> {
        JournalEvent::from_columns(&self.kind, &self.payload)
    }
}

fn event(row: &sqlx::sqlite::SqliteRow) -> Result<EventRecord, StoreError> {
    Ok(EventRecord {
        seq: row.try_get("seq")?,
        at_ms: row.try_get("at_ms")?,
        kind: row.try_get("kind")?,
        run_id: row.try_get("run_id")?,
        episode_id: row.try_get("episode_id")?,
        payload: serde_json::from_str(row.try_get::<&str, _>("payload")?)?,
    })
}

impl Store {
    /// Events after `seq`, oldest first, at most `limit`.
    pub async fn events_since(&self, seq: i64, limit: u32) -> Result<Vec<EventRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?")
            .bind(seq)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(event).collect()
    }

    pub async fn events_for_run(&self, run_id: &showrunner_domain::RunId) -> Result<Vec<EventRecord>, StoreError> {
        let rows = sqlx::query("SELECT * FROM events WHERE run_id = ? ORDER BY seq")
            .bind(run_id.as_str())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(event).collect()
    }
}
