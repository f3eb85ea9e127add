//! Showrunner storage: one SQLite file (WAL), embedded migrations, the events journal, content-addressed blobs.
//!
//! Every state change is one `BEGIN IMMEDIATE` transaction that also appends its event to the journal, so the
//! journal and the tables can never disagree, and a killed process loses at most the change in flight.
//!
//! Durability is chosen per write. What costs money or records a person's word — provider call intents and
//! settlements, decisions, run status, shows, settings — commits with `synchronous = FULL` and survives power
//! loss. A stage's own progress (attempt started or finished, its artifacts, work sent back) commits with
//! `NORMAL`, which in WAL mode skips the fsync. That is safe because the WAL is append-only: after a power cut
//! the database holds a prefix of the commits that includes every FULL one, which is exactly the state a kill
//! at a later journal boundary leaves — and recovery from every such boundary is tested. At worst a stage that
//! had finished runs again, reusing the provider calls its ledger already settled.

mod artifacts;
mod attempts;
mod blobs;
mod budget;
mod dashboard;
mod decisions;
mod disk_full_fault;
mod episodes;
mod error;
mod journal;
mod journal_event;
mod kept_outcomes;
mod kill_points;
mod ledger_replay;
mod library;
mod producer_edits;
mod prompt_templates;
mod provider_calls;
mod records;
mod rows;
mod runs;
mod settings;
mod shows;
mod sources;
#[cfg(test)]
mod stored_names;
mod writer_lock;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use blobs::BlobStore;
pub use budget::BudgetThreshold;
pub use dashboard::{
    BudgetAlertRow, EvaluationMonth, FailureAlertRow, FinishedMinutes, GateMonth, ProviderReliability, ReleaseMonth,
    ShowMonthSpend,
};
pub use disk_full_fault::DISK_FULL_AT_CALL_ENV;
pub use error::StoreError;
pub use journal::EventRecord;
pub use journal_event::JournalEvent;
pub use kept_outcomes::KEPT_DIR;
pub use kill_points::KILL_AFTER_EVENT_ENV;
pub use ledger_replay::{replay_ledger, ReplayedLedger};
pub use library::{match_expression, LibraryPage, LibraryQuery};
pub use producer_edits::{EditProvenance, ProvenanceRecord};
pub use prompt_templates::{NewPromptVersion, PromptVersion, SHIPPED_TEMPLATE_VERSION};
pub use records::{
    ArtifactRecord, AttemptFinish, AttemptRecord, BudgetNotice, CallFailure, CallRecord, CallSettlement, CallStatus,
    CallUpdate, FinishedAttempt, Ledger, NewArtifact, NewCall, NoticeKind, PhaseSpend, PromptStamp, RunRecord,
    UNREADABLE_USAGE_NOTE,
};
pub use runs::SubjectStatus;
pub use sources::{match_query, NewChunk, NewSource};
pub use writer_lock::{read_holder, LockHolder, WriterLock, WriterRole, HOLDER_FILE, LOCK_FILE};

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "showrunner.db";
/// Audio and other large files live here, beside the database.
pub const BLOB_DIR: &str = "audio";

/// Long enough to ride out another writer's transaction (they are all short), short enough to report a
/// wedged database instead of hanging the UI.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Bytes the WAL file is cut back to once checkpointed (SQLite checkpoints on its own every 1,000 pages, 4 MB).
pub const WAL_SIZE_LIMIT: u64 = 16 * 1024 * 1024;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The store. Cheap to clone; all clones share its connection pools.
#[derive(Clone, Debug)]
pub struct Store {
    /// `synchronous = FULL`: reads, and every write that must survive power loss.
    pool: SqlitePool,
    /// `synchronous = NORMAL`: a stage's progress, which recovery can redo for free.
    progress: SqlitePool,
    data_dir: PathBuf,
    blobs: BlobStore,
    /// Call outcomes whose write failed, by call id, until written (see `kept_outcomes`).
    kept: Arc<Mutex<BTreeMap<i64, kept_outcomes::Kept>>>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and runs any pending migrations.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        tokio::fs::create_dir_all(data_dir)
            .await
            .map_err(|e| StoreError::io(data_dir, e))?;
        let db_path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(&db_path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            // After a checkpoint resets the WAL, SQLite truncates the file back to this size: one long run or
            // a reader that held the WAL open would otherwise leave it at its high-water mark for good.
            .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string())
            .foreign_keys(true);
        let pool = connect(options.clone(), 4).await?;
        MIGRATOR.run(&pool).await?;
        // Writes serialize on SQLite's one write lock, so a second small pool adds no contention.
        let progress = connect(options.synchronous(SqliteSynchronous::Normal), 2).await?;
        let blobs = BlobStore::open(data_dir.join(BLOB_DIR)).await?;
        Ok(Store {
            pool,
            progress,
            data_dir: data_dir.to_path_buf(),
            blobs,
            kept: Arc::default(),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// Folds the WAL back into the database file without waiting on anyone (the engine calls it when a run
    /// comes to rest). What readers still need stays; the next checkpoint takes it.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish (tests reopen the same file afterwards).
    pub async fn close(&self) {
        self.progress.close().await;
        self.pool.close().await;
    }

    /// A write transaction that takes the write lock up front: with a deferred `BEGIN`, two readers that both
    /// decide to write deadlock and one fails with "database is locked" despite the busy timeout.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        let mut tx = kill_points::began(self.pool.begin_with("BEGIN IMMEDIATE").await?);
        disk_full_fault::before_write(&mut tx).await?;
        Ok(tx)
    }

    /// The same for a stage's progress, committed without waiting for the fsync (see the module note on why
    /// losing these to a power cut is safe).
    pub(crate) async fn write_progress(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        let mut tx = kill_points::began(self.progress.begin_with("BEGIN IMMEDIATE").await?);
        disk_full_fault::before_write(&mut tx).await?;
        Ok(tx)
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

async fn connect(options: SqliteConnectOptions, max_connections: u32) -> Result<SqlitePool, StoreError> {
    Ok(SqlitePoolOptions::new()
        .max_connections(max_connections)
        // A task aborted mid-transaction (a cancelled run) must not hand a connection that still holds the
        // write lock back to the pool: every later writer would wait on it until "database is locked".
        .after_release(|conn, _| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
        .connect_with(options)
        .await?)
}
