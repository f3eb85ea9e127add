//! Storage errors, coded for the UI and CLI.

use std::path::PathBuf;

use showrunner_domain::Money;

use crate::writer_lock::LockHolder;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("A show called '{0}' already exists. Pick another name.")]
    DuplicateShowName(String),
    #[error("There is no show with id {0}.")]
    UnknownShow(String),
    #[error("{what} {id} was not found.")]
    NotFound { what: &'static str, id: String },
    /// A state change that no longer applies: the row moved on (e.g. two decisions raced).
    #[error("{what} {id} is already {status}; the change was not applied.")]
    Stale {
        what: &'static str,
        id: String,
        status: String,
    },
    /// A producer's edit was made on a version that is no longer the newest; nothing was saved.
    #[error("This edit was made on version {base}, but version {latest} is newer; nothing was saved. Review the newer version and edit it.")]
    VersionConflict { base: u32, latest: u32 },
    /// A paid call would take the run past its budget cap; nothing was reserved.
    #[error(
        "The budget cap of {cap} is reached: {committed} is committed and this call needs up to {requested}. \
         Raise the budget to continue, or stop the run."
    )]
    BudgetExceeded {
        cap: Money,
        /// Settled plus reserved when the call was refused.
        committed: Money,
        requested: Money,
    },
    #[error("The budget is already {cap}; enter an amount above it (you asked for {requested}).")]
    CapNotRaised { cap: Money, requested: Money },
    #[error("Amounts cannot be negative ({0}).")]
    InvalidAmount(String),
    #[error("The disk is full. Free some space; nothing was lost, the last change was not saved.")]
    DiskFull,
    #[error("Stored data is damaged ({0}).")]
    Corrupt(String),
    #[error("Database error: {0}")]
    Database(sqlx::Error),
    #[error("Cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("Cannot use {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The episode already has its run (one run per episode, enforced by the schema).
    #[error("Episode {episode} already has a run; it was not started twice.")]
    RunExists { episode: String },
    /// Another process drives runs in this data folder (see `writer_lock`).
    #[error("{}", in_use_message(data_dir, holder.as_ref()))]
    DataDirInUse {
        data_dir: PathBuf,
        holder: Option<LockHolder>,
    },
}

fn in_use_message(data_dir: &std::path::Path, holder: Option<&LockHolder>) -> String {
    let who = holder.map_or_else(|| "another Showrunner process".to_owned(), |h| h.to_string());
    format!(
        "The data folder {} is in use by {who}. One program at a time produces episodes in a folder: \
         continue there, or quit it and try again. Listing and showing episodes work meanwhile.",
        data_dir.display()
    )
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::DuplicateShowName(_) => "duplicate_show_name",
            StoreError::UnknownShow(_) => "unknown_show",
            StoreError::NotFound { .. } => "not_found",
            StoreError::Stale { .. } => "stale_state",
            StoreError::VersionConflict { .. } => "version_conflict",
            StoreError::BudgetExceeded { .. } => "budget_exhausted",
            StoreError::CapNotRaised { .. } | StoreError::InvalidAmount(_) => "invalid_input",
            StoreError::DiskFull => "disk_full",
            StoreError::Corrupt(_) => "storage_corrupt",
            StoreError::Database(_) | StoreError::Migrate(_) => "storage_error",
            StoreError::Io { .. } => "storage_io",
            StoreError::DataDirInUse { .. } => "data_dir_in_use",
            StoreError::RunExists { .. } => "run_exists",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> StoreError {
        if source.kind() == std::io::ErrorKind::StorageFull {
            return StoreError::DiskFull;
        }
        StoreError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}

/// SQLITE_FULL: the database or its journal could not grow.
const SQLITE_FULL: &str = "13";

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.code().as_deref() == Some(SQLITE_FULL) => StoreError::DiskFull,
            sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => StoreError::DiskFull,
            // A stored value that does not read as its column's type (an unknown name, JSON of another shape,
            // text where a number belongs) is damage, whichever query met it.
            sqlx::Error::ColumnDecode { index, source } => StoreError::corrupt(format!("column {index}: {source}")),
            _ => StoreError::Database(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::corrupt(e)
    }
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
