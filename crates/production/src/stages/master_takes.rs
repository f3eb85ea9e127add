//! The mastering chain's prepared takes, kept per run between masters: a re-master after the audio gate's
//! correction, a send-back or one regenerated line prepares only the takes it has not seen. Only the
//! latest few runs are kept (a 60-minute episode's takes are about 600 MB at 44.1 kHz), and each master
//! lets go of the takes its run no longer uses.

use std::sync::{Arc, Mutex};

use showrunner_audio::TakeCache;
use showrunner_domain::RunId;

/// Runs whose takes are kept: the one mastering now and the one before (two episodes in production).
const RUNS_KEPT: usize = 2;

#[derive(Default)]
pub struct MasterTakes {
    /// Most recently used last.
    runs: Mutex<Vec<(RunId, Arc<TakeCache>)>>,
}

impl MasterTakes {
    /// The cache of `run`, made empty the first time (or after it was let go).
    pub fn of(&self, run: &RunId) -> Arc<TakeCache> {
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        let cache = match runs.iter().position(|(id, _)| id == run) {
            Some(i) => runs.remove(i).1,
            None => Arc::new(TakeCache::new()),
        };
        runs.push((run.clone(), cache.clone()));
        let over = runs.len().saturating_sub(RUNS_KEPT);
        runs.drain(..over);
        cache
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
