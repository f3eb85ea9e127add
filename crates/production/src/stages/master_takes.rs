//! The mastering chain's prepared takes, kept per run between masters: a re-master after the audio gate's
//! correction, a send-back or one regenerated line prepares only the takes it has not seen. Only the
//! latest few runs are kept (a 60-minute episode's takes are about 600 MB at 44.1 kHz), and each master
//! lets go of the takes its run no longer uses. Each run's latest speech-only master is kept too (what a
//! splice needs, a few hundred kilobytes), so one regenerated line is spliced into it rather than the whole
//! episode mastered again.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use showrunner_audio::{MasterSettings, SpliceBase, TakeCache};
use showrunner_domain::{BlobHash, RunId};

/// Runs whose takes are kept: the one mastering now and the one before (two episodes in production).
const RUNS_KEPT: usize = 2;

#[derive(Default)]
pub struct MasterTakes {
    /// Most recently used last.
    runs: Mutex<Vec<(RunId, Arc<TakeCache>)>>,
    kept: Mutex<Vec<(RunId, KeptMaster)>>,
}

/// A run's latest speech-only master: which WAV it is, the take keys it was made from, its settings, and
/// what a splice into it needs.
#[derive(Debug, Clone)]
pub struct KeptMaster {
    pub wav: BlobHash,
    pub keys: Vec<String>,
    pub settings: MasterSettings,
    pub base: SpliceBase,
    /// Every take key this run has mastered: a take mastered before goes through the full chain, so going
    /// back to it gives back the very master the producer heard, byte for byte.
    pub seen: HashSet<String>,
}

impl KeptMaster {
    /// The one line whose take changed, when `keys` differ from this master's in exactly one place and
    /// the new take was never mastered in this run.
    pub fn changed_line(&self, keys: &[String]) -> Option<usize> {
        if keys.len() != self.keys.len() {
            return None;
        }
        let mut changed = keys.iter().zip(&self.keys).enumerate().filter(|(_, (a, b))| a != b);
        match (changed.next(), changed.next()) {
            (Some((i, (key, _))), None) if !self.seen.contains(key) => Some(i),
            _ => None,
        }
    }
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
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|(id, _)| runs.iter().any(|(r, _)| r == id));
        cache
    }

    /// The run's latest speech-only master, if it is still kept.
    pub fn kept(&self, run: &RunId) -> Option<KeptMaster> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter().find(|(id, _)| id == run).map(|(_, k)| k.clone())
    }

    /// Keeps `master` as the run's latest (`None`: the latest cannot be spliced into, so forget it),
    /// adding the takes of the masters before it to those it has seen.
    pub fn keep(&self, run: &RunId, master: Option<KeptMaster>) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let before = kept.iter().position(|(id, _)| id == run).map(|i| kept.remove(i).1);
        if let Some(mut master) = master {
            master.seen.extend(master.keys.iter().cloned());
            if let Some(before) = before {
                master.seen.extend(before.seen);
            }
            kept.push((run.clone(), master));
        }
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

    fn kept(keys: &[&str]) -> KeptMaster {
        let wavs: Vec<Vec<u8>> = (0..2)
            .map(|i| {
                let tone = showrunner_audio::synthetic::speech_like(22_050, 1_000, i, 0.02, 0.0);
                showrunner_audio::synthetic::wav16(22_050, 1, &tone)
            })
            .collect();
        let takes: Vec<showrunner_audio::Take> = wavs
            .iter()
            .map(|wav| showrunner_audio::Take { wav, speaker: 0 })
            .collect();
        let settings = MasterSettings::default();
        let master = showrunner_audio::master(&takes, &settings).unwrap();
        KeptMaster {
            wav: BlobHash("w".into()),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            settings,
            base: master.splice.unwrap(),
            seen: HashSet::new(),
        }
    }

    #[test]
    fn only_one_never_mastered_take_is_spliced() {
        let store = MasterTakes::default();
        let run = RunId::from("r");
        store.of(&run);
        store.keep(&run, Some(kept(&["a1", "b1"])));
        let keys = |k: &[&str]| k.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let latest = store.kept(&run).unwrap();
        assert_eq!(latest.changed_line(&keys(&["a1", "b2"])), Some(1));
        assert_eq!(latest.changed_line(&keys(&["a2", "b2"])), None, "two lines changed");
        assert_eq!(latest.changed_line(&keys(&["a1", "b1"])), None, "nothing changed");
        assert_eq!(latest.changed_line(&keys(&["a1"])), None, "a line fewer");
        // After the regenerate's master, going back to b1 (mastered before) is not spliced.
        store.keep(&run, Some(kept(&["a1", "b2"])));
        let latest = store.kept(&run).unwrap();
        assert_eq!(latest.changed_line(&keys(&["a1", "b1"])), None);
        assert_eq!(latest.changed_line(&keys(&["a1", "b3"])), Some(1));
        store.keep(&run, None);
        assert!(store.kept(&run).is_none(), "a master with music forgets the kept one");
    }
}
