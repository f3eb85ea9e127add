//! One writer per data folder: the process that drives runs holds an exclusive OS file lock for as long as it
//! lives. Two drivers of one folder would each take the other's in-flight calls for a dead process's, release
//! them and send them again, so a second writer is refused and told who holds the folder.
//!
//! The lock is the OS's (`flock` on Unix, `LockFileEx` on Windows), so it goes away with its process however
//! that process ends; nothing stale is left to clean up. Who holds it is written to a separate small file,
//! because on Windows a locked file cannot be read by anyone else. Readers (listing, showing, exporting) take
//! no lock: SQLite's WAL lets them read beside the writer.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::StoreError;

/// The file the lock is taken on, inside the data folder.
pub const LOCK_FILE: &str = "showrunner.lock";
/// Who holds the lock: written by the holder once it has the lock.
pub const HOLDER_FILE: &str = "showrunner.lock.json";

/// Which program drives runs in a data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriterRole {
    /// The desktop app.
    App,
    /// The `showrunner` command line.
    Cli,
}

impl WriterRole {
    fn describe(self) -> &'static str {
        match self {
            WriterRole::App => "the Showrunner app",
            WriterRole::Cli => "a showrunner command",
        }
    }
}

/// The process that holds a data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    pub role: WriterRole,
    pub pid: u32,
    pub started_at_ms: i64,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (process {}, since {})",
            self.role.describe(),
            self.pid,
            showrunner_domain::utc::minute(self.started_at_ms)
        )
    }
}

/// The held lock; dropping it (or the process ending) frees the folder.
#[derive(Debug)]
pub struct WriterLock {
    // Held for its OS lock, which lasts as long as the open file.
    _file: File,
    holder: LockHolder,
    data_dir: PathBuf,
}

impl WriterLock {
    /// Takes the data folder for this process, or says who has it ([`StoreError::DataDirInUse`]).
    pub fn acquire(data_dir: &Path, role: WriterRole, now_ms: i64) -> Result<WriterLock, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::io(data_dir, e))?;
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::DataDirInUse {
                    data_dir: data_dir.to_path_buf(),
                    holder: read_holder(data_dir),
                })
            }
            Err(TryLockError::Error(e)) => return Err(StoreError::io(&path, e)),
        }
        let holder = LockHolder {
            role,
            pid: std::process::id(),
            started_at_ms: now_ms,
        };
        write_holder(data_dir, &holder)?;
        Ok(WriterLock {
            _file: file,
            holder,
            data_dir: data_dir.to_path_buf(),
        })
    }

    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// The holder a refused writer names. `None` when the holder has not written it yet (it just took the lock)
/// or the file is unreadable: the refusal still stands, it just cannot say who.
pub fn read_holder(data_dir: &Path) -> Option<LockHolder> {
    let text = std::fs::read(data_dir.join(HOLDER_FILE)).ok()?;
    serde_json::from_slice(&text).ok()
}

fn write_holder(data_dir: &Path, holder: &LockHolder) -> Result<(), StoreError> {
    let path = data_dir.join(HOLDER_FILE);
    let json = serde_json::to_vec(holder)?;
    // Written whole to a side file and renamed, so a refused process never reads half a holder.
    let partial = data_dir.join(format!("{HOLDER_FILE}.partial"));
    let mut file = File::create(&partial).map_err(|e| StoreError::io(&partial, e))?;
    file.write_all(&json).map_err(|e| StoreError::io(&partial, e))?;
    drop(file);
    std::fs::rename(&partial, &path).map_err(|e| StoreError::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_named_in_utc() {
        assert_eq!(showrunner_domain::utc::minute(0), "1970-01-01 00:00 UTC");
        // 2024-02-29 12:34:56 UTC
        assert_eq!(
            showrunner_domain::utc::minute(1_709_210_096_000),
            "2024-02-29 12:34 UTC"
        );
    }

    #[test]
    fn a_second_writer_is_refused_and_told_who_holds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let first = WriterLock::acquire(dir.path(), WriterRole::App, 1_709_210_096_000).unwrap();
        let refused = WriterLock::acquire(dir.path(), WriterRole::Cli, 0).unwrap_err();
        assert_eq!(refused.code(), "data_dir_in_use");
        let message = refused.to_string();
        assert!(message.contains("the Showrunner app"), "{message}");
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        assert!(message.contains("2024-02-29 12:34 UTC"), "{message}");
        drop(first);
        let again = WriterLock::acquire(dir.path(), WriterRole::Cli, 5).unwrap();
        assert_eq!(again.holder().role, WriterRole::Cli);
        assert_eq!(read_holder(dir.path()).unwrap().role, WriterRole::Cli);
    }
}
