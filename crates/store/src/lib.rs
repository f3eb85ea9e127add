//! Showrunner storage: one SQLite file (WAL), embedded migrations, the events journal, content-addressed blobs.
//!
//! Every state change is one `BEGIN IMMEDIATE` transaction that also appends its event to the journal, so the
//! journal and the tables can never disagree, and a killed process loses at most the change in flight.
//! `synchronous = FULL`: a decision or a finished stage that the app reported as saved survives power loss
//! (WAL with NORMAL could lose the last commits, which would re-run a paid stage or lose an approval).

mod artifacts;
mod attempts;
mod blobs;
mod budget;
mod decisions;
mod episodes;
mod error;
mod journal;
mod kill_points;
mod ledger_replay;
mod provider_calls;
mod records;
mod rows;
mod runs;
mod settings;
mod shows;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use blobs::BlobStore;
pub use budget::{BudgetThreshold, LedgerPhase};
pub use error::StoreError;
pub use journal::EventRecord;
pub use kill_points::KILL_AFTER_EVENT_ENV;
pub use ledger_replay::{replay_ledger, ReplayedLedger};
pub use records::{
    ArtifactRecord, AttemptFinish, AttemptRecord, BudgetNotice, CallRecord, CallSettlement, CallStatus, CallUpdate,
    Ledger, NewArtifact, NewCall, NoticeKind, PhaseSpend, RunRecord,
};

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "showrunner.db";
/// Audio and other large files live here, beside the database.
pub const BLOB_DIR: &str = "audio";

/// Long enough to ride out another writer's transaction (they are all short), short enough to report a
/// wedged database instead of hanging the UI.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The store. Cheap to clone; all clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    data_dir: PathBuf,
    blobs: BlobStore,
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
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A task aborted mid-transaction (a cancelled run) must not hand a connection that still holds the
            // write lock back to the pool: every later writer would wait on it until "database is locked".
            .after_release(|conn, _| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        let blobs = BlobStore::open(data_dir.join(BLOB_DIR)).await?;
        Ok(Store {
            pool,
            data_dir: data_dir.to_path_buf(),
            blobs,
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

    /// Folds the WAL back into the database file so it stays bounded (SQLite also does this on its own
    /// every 1000 pages; call this at quiet moments such as a run coming to rest).
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish (tests reopen the same file afterwards).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A write transaction that takes the write lock up front: with a deferred `BEGIN`, two readers that both
    /// decide to write deadlock and one fails with "database is locked" despite the busy timeout.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(kill_points::began(self.pool.begin_with("BEGIN IMMEDIATE").await?))
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}
