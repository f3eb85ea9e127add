//! Prepared takes kept between masters of one episode, so regenerating one line re-masters without
//! decoding, resampling and level-matching the hundreds of lines that did not change.
//!
//! A take is keyed by the caller's name for its bytes (the blob store's SHA-256) and by what its
//! preparation depends on (the master rate and the loudness target): the same WAV prepared for the same
//! master is the same samples, bit for bit, so a cached take and a fresh one master identically.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What a take's preparation depends on besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    take: String,
    rate: u32,
    /// The loudness target's bits: a take matched to −16 LUFS is not the one matched to −14.
    target: u64,
}

/// One take ready for the timeline: mono at the master rate, matched to the target, and what it measured
/// before matching (`None` under the −70 LUFS gate).
#[derive(Debug, Clone)]
pub(crate) struct PreparedTake {
    pub mono: Arc<[f32]>,
    pub lufs: Option<f64>,
}

/// How often the cache answered and how often a take was prepared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: usize,
    pub misses: usize,
}

/// Prepared takes by take key, shared by the mastering workers (see [`crate::master_cached`]).
#[derive(Debug, Default)]
pub struct TakeCache {
    entries: Mutex<HashMap<Key, PreparedTake>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl TakeCache {
    pub fn new() -> TakeCache {
        TakeCache::default()
    }

    /// Takes held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hits and misses since the cache was made.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Keeps only the takes named in `keep`: a replaced take's audio is otherwise held for nothing.
    pub fn retain(&self, keep: &[&str]) {
        self.lock().retain(|k, _| keep.contains(&k.take.as_str()));
    }

    /// The measured loudness (LUFS, before matching) of a take prepared for `rate` and `target_lufs`.
    pub fn loudness(&self, take: &str, rate: u32, target_lufs: f64) -> Option<Option<f64>> {
        self.lock().get(&key(take, rate, target_lufs)).map(|p| p.lufs)
    }

    pub(crate) fn get(&self, take: &str, rate: u32, target_lufs: f64) -> Option<PreparedTake> {
        let found = self.lock().get(&key(take, rate, target_lufs)).cloned();
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub(crate) fn put(&self, take: &str, rate: u32, target_lufs: f64, prepared: PreparedTake) {
        self.lock().insert(key(take, rate, target_lufs), prepared);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, PreparedTake>> {
        // A worker that panicked mid-insert leaves a whole map behind (insert is not torn).
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn key(take: &str, rate: u32, target_lufs: f64) -> Key {
    Key {
        take: take.to_owned(),
        rate,
        target: target_lufs.to_bits(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mastering::tests::{assert_on_spec, at_lufs, float_wav, speechy};
    use crate::{master, master_cached, MasterSettings, MusicBeds, Take};

    /// Eight lines of two hosts 9 LU apart at 22.05 kHz, each with its own key.
    fn lines() -> (Vec<Vec<u8>>, Vec<String>) {
        let wavs: Vec<Vec<u8>> = (0..8)
            .map(|i| {
                let lufs = if i % 2 == 0 { -20.0 } else { -29.0 };
                float_wav(
                    22_050,
                    &at_lufs(speechy(22_050, 2_000 + 150 * i, i as u32), 22_050, lufs),
                )
            })
            .collect();
        let keys = (0..8).map(|i| format!("take-{i}")).collect();
        (wavs, keys)
    }

    fn takes(wavs: &[Vec<u8>]) -> Vec<Take<'_>> {
        wavs.iter()
            .enumerate()
            .map(|(i, wav)| Take { wav, speaker: i % 2 })
            .collect()
    }

    fn keyed(keys: &[String]) -> Vec<&str> {
        keys.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_cached_master_is_the_plain_master_and_a_second_one_prepares_nothing() {
        let (wavs, keys) = lines();
        let s = MasterSettings::default();
        let plain = master(&takes(&wavs), &s).unwrap();
        let cache = TakeCache::new();
        let first = master_cached(&takes(&wavs), &keyed(&keys), &MusicBeds::default(), &s, &cache).unwrap();
        assert_eq!(cache.stats(), CacheStats { hits: 0, misses: 8 });
        assert!(
            first.wav == plain.wav && first.mp3 == plain.mp3,
            "a cold cache changes nothing"
        );
        let again = master_cached(&takes(&wavs), &keyed(&keys), &MusicBeds::default(), &s, &cache).unwrap();
        assert_eq!(cache.stats(), CacheStats { hits: 8, misses: 8 });
        assert!(
            again.wav == plain.wav && again.mp3 == plain.mp3,
            "cached takes master the same"
        );
        // Another target is another preparation, never the −16 LUFS one.
        let louder = MasterSettings {
            target_lufs: -14.0,
            ..s.clone()
        };
        master_cached(&takes(&wavs), &keyed(&keys), &MusicBeds::default(), &louder, &cache).unwrap();
        assert_eq!(cache.stats().misses, 16);
        assert!(cache.loudness("take-1", 44_100, -16.0).unwrap().unwrap() < -28.0);
    }

    #[test]
    fn regenerating_one_line_prepares_only_it_and_moves_the_later_cues_by_its_change_in_length() {
        let (mut wavs, mut keys) = lines();
        let s = MasterSettings::default();
        let cache = TakeCache::new();
        let before = master_cached(&takes(&wavs), &keyed(&keys), &MusicBeds::default(), &s, &cache).unwrap();
        // Line 4 (index 3) comes back 1.3 s longer and 6 LU hotter, from "another engine".
        let old_take = (wavs[3].clone(), keys[3].clone());
        wavs[3] = float_wav(24_000, &at_lufs(speechy(24_000, 3_750, 40), 24_000, -14.0));
        keys[3] = "take-3-v2".into();
        let after = master_cached(&takes(&wavs), &keyed(&keys), &MusicBeds::default(), &s, &cache).unwrap();
        assert_eq!(
            cache.stats(),
            CacheStats { hits: 7, misses: 9 },
            "only the new take is prepared"
        );
        assert_on_spec(&after, &s);
        let grew = |p: &crate::Placement| p.end_ms as i64 - p.start_ms as i64;
        let delta = grew(&after.placements[3]) - grew(&before.placements[3]);
        assert!((delta - 1_300).abs() <= 2, "the line grew by {delta} ms");
        assert_eq!(
            after.placements[..4].iter().map(|p| p.start_ms).collect::<Vec<_>>(),
            before.placements[..4].iter().map(|p| p.start_ms).collect::<Vec<_>>()
        );
        for (a, b) in after.placements[4..].iter().zip(&before.placements[4..]) {
            let moved = a.start_ms as i64 - b.start_ms as i64;
            assert!((moved - delta).abs() <= 1, "a later cue moved {moved} ms, not {delta}");
            assert_eq!(a.end_ms - a.start_ms, b.end_ms - b.start_ms);
        }
        assert!(after.mp3 != before.mp3);

        // Keeping the old take again (the A/B "keep") restores the first master exactly, preparing nothing.
        wavs[3] = old_take.0;
        keys[3] = old_take.1;
        let kept = master_cached(&takes(&wavs), &keyed(&keys), &MusicBeds::default(), &s, &cache).unwrap();
        assert_eq!(cache.stats().misses, 9);
        assert!(
            kept.wav == before.wav && kept.mp3 == before.mp3,
            "the old master's audio is back"
        );
        assert_eq!(kept.placements, before.placements);

        cache.retain(&keyed(&keys));
        assert_eq!(cache.len(), 8, "the replaced take is let go");
    }

    #[test]
    fn keys_must_name_every_take() {
        let (wavs, keys) = lines();
        let err = master_cached(
            &takes(&wavs),
            &keyed(&keys[..7]),
            &MusicBeds::default(),
            &MasterSettings::default(),
            &TakeCache::new(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "audio_invalid");
        assert!(err.to_string().contains("7 take keys for 8 takes"), "{err}");
    }
}
