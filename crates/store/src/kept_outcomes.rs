//! Answers the provider already billed whose settlement could not be written (the disk was full, the database
//! failed). Re-sending such a call would pay for it twice, so its outcome is kept — in memory for this process
//! and spooled to a small file beside the database for the next one — and written to the ledger by
//! [`Store::settle_kept_outcomes`], which the engine runs before it drives a run again.
//!
//! The spool is a best effort: on a disk too full for even a small file the outcome lives in memory, which the
//! app keeps until the producer frees space and resumes. Settling a kept outcome is idempotent: a call that
//! was closed meanwhile is simply forgotten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use crate::provider_calls::detached;
use crate::{CallFailure, CallSettlement, Store, StoreError};

/// The spool folder inside the data folder.
pub const KEPT_DIR: &str = "kept-answers";

/// What a returned call came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub(crate) enum KeptOutcome {
    Settled { settlement: CallSettlement },
    Failed { failure: CallFailure },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Kept {
    pub(crate) call_id: i64,
    #[serde(flatten)]
    pub(crate) outcome: KeptOutcome,
}

fn spool_path(dir: &Path, call_id: i64) -> PathBuf {
    dir.join(format!("call-{call_id}.json"))
}

impl StoreError {
    /// The write failed because of the storage itself (space, I/O, the database), not because of what was
    /// asked: worth keeping what was being written and trying again later.
    pub fn is_storage_failure(&self) -> bool {
        matches!(
            self,
            StoreError::DiskFull | StoreError::Database(_) | StoreError::Io { .. }
        )
    }
}

impl Store {
    fn kept_dir(&self) -> PathBuf {
        self.data_dir().join(KEPT_DIR)
    }

    /// Keeps a call's outcome whose write just failed; see the module note.
    pub(crate) fn keep_outcome(&self, kept: Kept) {
        let spooled = spool(&self.kept_dir(), &kept);
        match &spooled {
            Ok(()) => warn!(
                call_id = kept.call_id,
                "kept a provider answer the ledger could not take"
            ),
            Err(e) => warn!(call_id = kept.call_id, error = %e, "kept a provider answer in memory only"),
        }
        if let Ok(mut memory) = self.kept.lock() {
            memory.insert(kept.call_id, kept);
        }
    }

    /// Writes every kept outcome to the ledger; returns how many were settled. Stops at the first that still
    /// cannot be written (the disk is still full), keeping it and the rest.
    pub async fn settle_kept_outcomes(&self, now_ms: i64) -> Result<usize, StoreError> {
        let mut pending: BTreeMap<i64, Kept> = self.kept.lock().map(|m| m.clone()).unwrap_or_default();
        for kept in read_spool(&self.kept_dir()) {
            pending.entry(kept.call_id).or_insert(kept);
        }
        let mut settled = 0;
        for (call_id, kept) in pending {
            let store = self.clone();
            let written = detached(async move {
                match &kept.outcome {
                    KeptOutcome::Settled { settlement } => store.settle_now(call_id, settlement, now_ms).await,
                    KeptOutcome::Failed { failure } => store.fail_now(call_id, failure, now_ms).await,
                }
            })
            .await;
            match written {
                Ok(_) => {
                    info!(call_id, "settled a kept provider answer");
                    settled += 1;
                }
                // Closed meanwhile, or gone: nothing left to write.
                Err(StoreError::Stale { .. } | StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            self.forget_kept(call_id);
        }
        Ok(settled)
    }

    fn forget_kept(&self, call_id: i64) {
        if let Ok(mut memory) = self.kept.lock() {
            memory.remove(&call_id);
        }
        let path = spool_path(&self.kept_dir(), call_id);
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                warn!(call_id, error = %e, "could not remove a settled answer's spool file");
            }
        }
    }
}

fn spool(dir: &Path, kept: &Kept) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let path = spool_path(dir, kept.call_id);
    let partial = path.with_extension("partial");
    let json = serde_json::to_vec(kept)?;
    // Whole or not at all: a torn file would be skipped as unreadable and the answer re-bought.
    std::fs::write(&partial, json).map_err(|e| StoreError::io(&partial, e))?;
    std::fs::rename(&partial, &path).map_err(|e| StoreError::io(&path, e))
}

fn read_spool(dir: &Path) -> Vec<Kept> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        match std::fs::read(&path).map(|bytes| serde_json::from_slice::<Kept>(&bytes)) {
            Ok(Ok(k)) => kept.push(k),
            Ok(Err(e)) => warn!(path = %path.display(), error = %e, "skipped an unreadable kept answer"),
            Err(e) => warn!(path = %path.display(), error = %e, "could not read a kept answer"),
        }
    }
    kept
}
