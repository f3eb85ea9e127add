//! The mastering chain's prepared takes, kept per run between masters: a re-master after the audio gate's
//! correction, a send-back or one regenerated line prepares only the takes it has not seen. Only the
//! latest few runs are kept (a 60-minute episode's takes are about 600 MB at 44.1 kHz), and each master
//! lets go of the takes its run no longer uses.
//!
//! Beside them, what the run's last speech-only master needs for a splice ([`LastMaster`]): the next
//! master that changes one take writes a draft master from it at once (see `draft_master`). It is also
//! stored (`last_master.<run id>`), so another process (the CLI) or the app after a restart drafts too.

use std::sync::{Arc, Mutex};

use showrunner_audio::{MasterSettings, SpliceBase, TakeCache};
use showrunner_domain::{BlobHash, RunId};

/// Runs whose takes are kept: the one mastering now and the one before (two episodes in production).
const RUNS_KEPT: usize = 2;

/// The setting key of a run's [`LastMaster`].
pub fn last_master_key(run: &RunId) -> String {
    format!("last_master.{run}")
}

/// A run's last finished master, as a splice needs it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LastMaster {
    /// Each take's key (its WAV's hash), in the master's order.
    pub keys: Vec<String>,
    pub settings: MasterSettings,
    pub base: SpliceBase,
    /// The master's WAV blob.
    pub wav: BlobHash,
}

struct Kept {
    run: RunId,
    takes: Arc<TakeCache>,
    last: Option<Arc<LastMaster>>,
}

#[derive(Default)]
pub struct MasterTakes {
    /// Most recently used last.
    runs: Mutex<Vec<Kept>>,
}

impl MasterTakes {
    /// Runs `f` on the run's entry (made the first time, or after it was let go), now the most recent.
    fn with<T>(&self, run: &RunId, f: impl FnOnce(&mut Kept) -> T) -> T {
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        let mut kept = match runs.iter().position(|k| &k.run == run) {
            Some(i) => runs.remove(i),
            None => Kept {
                run: run.clone(),
                takes: Arc::new(TakeCache::new()),
                last: None,
            },
        };
        let out = f(&mut kept);
        runs.push(kept);
        let over = runs.len().saturating_sub(RUNS_KEPT);
        runs.drain(..over);
        out
    }

    /// The cache of `run`, made empty the first time (or after it was let go).
    pub fn of(&self, run: &RunId) -> Arc<TakeCache> {
        self.with(run, |k| k.takes.clone())
    }

    /// The run's last speech-only master, if this process made one and still keeps the run.
    pub fn last(&self, run: &RunId) -> Option<Arc<LastMaster>> {
        self.with(run, |k| k.last.clone())
    }

    /// Keeps `last` as the run's latest master (`None`: it cannot be spliced into, as with music).
    pub fn remember(&self, run: &RunId, last: Option<LastMaster>) {
        self.with(run, |k| k.last = last.map(Arc::new));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_finds_its_own_cache_again_and_only_the_latest_runs_are_kept() {
        let takes = MasterTakes::default();
        let (a, b, c) = (RunId::from("a"), RunId::from("b"), RunId::from("c"));
        let first = takes.of(&a);
        assert!(Arc::ptr_eq(&first, &takes.of(&a)));
        takes.of(&b);
        takes.of(&a);
        takes.of(&c);
        assert!(Arc::ptr_eq(&first, &takes.of(&a)), "a was used after b, so b went");
        assert!(!Arc::ptr_eq(&takes.of(&b), &first));
    }
}
