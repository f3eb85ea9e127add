//! Test-only crash injection at journal boundaries (cargo feature `kill-points`, off by default).
//!
//! With the feature on and `SHOWRUNNER_KILL_AFTER_EVENT=N` set, the process aborts right after the write
//! transaction that holds the N-th journal event this process appended has committed. `abort` runs no
//! destructors and flushes nothing, so the database is left exactly as a SIGKILL at that moment would leave it.
//! The crash harness walks N across a whole run to prove every boundary resumes cleanly.
//!
//! Every write transaction goes through [`began`] (in `Store::write`), every journal row through [`appended`]
//! and every commit through [`commit`]; without the feature the first two are empty and the last is a plain
//! commit.

use sqlx::{Sqlite, Transaction};

/// The variable that arms the kill point: the 1-based number of the event after whose commit to abort.
pub const KILL_AFTER_EVENT_ENV: &str = "SHOWRUNNER_KILL_AFTER_EVENT";

#[cfg(feature = "kill-points")]
mod armed {
    use std::sync::atomic::AtomicU64;
    pub(super) use std::sync::atomic::Ordering::SeqCst;
    use std::sync::OnceLock;

    /// Journal rows written by this process, committed or not.
    pub(super) static APPENDED: AtomicU64 = AtomicU64::new(0);
    /// `APPENDED` when the open write transaction began. SQLite admits one writer at a time and every write
    /// transaction takes the lock up front, so the rows appended since then all belong to that transaction;
    /// rows of a transaction that rolled back are skipped when the next one begins.
    pub(super) static TX_START: AtomicU64 = AtomicU64::new(0);
    /// Journal rows of this process's committing transactions, numbered while the write lock is still held,
    /// i.e. in commit order.
    pub(super) static NUMBERED: AtomicU64 = AtomicU64::new(0);

    pub(super) fn target() -> Option<u64> {
        static TARGET: OnceLock<Option<u64>> = OnceLock::new();
        *TARGET.get_or_init(|| {
            let raw = std::env::var(super::KILL_AFTER_EVENT_ENV).ok()?;
            match raw.trim().parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                // A typo must not silently disarm a crash test.
                _ => panic!(
                    "{} must be a positive whole number, not '{raw}'",
                    super::KILL_AFTER_EVENT_ENV
                ),
            }
        })
    }
}

/// A write transaction has just taken the write lock.
pub(crate) fn began(tx: Transaction<'static, Sqlite>) -> Transaction<'static, Sqlite> {
    #[cfg(feature = "kill-points")]
    armed::TX_START.store(armed::APPENDED.load(armed::SeqCst), armed::SeqCst);
    tx
}

/// A journal row was written inside the open write transaction.
pub(crate) fn appended() {
    #[cfg(feature = "kill-points")]
    armed::APPENDED.fetch_add(1, armed::SeqCst);
}

/// Commits a write transaction; with the kill point armed, aborts once the target event is durable.
pub(crate) async fn commit(tx: Transaction<'static, Sqlite>) -> Result<(), sqlx::Error> {
    // Counted before the commit releases the lock: afterwards the next writer may already be appending.
    #[cfg(feature = "kill-points")]
    let holds_target = {
        let ours = armed::APPENDED.load(armed::SeqCst) - armed::TX_START.load(armed::SeqCst);
        let first = armed::NUMBERED.fetch_add(ours, armed::SeqCst) + 1;
        armed::target().is_some_and(|n| (first..first + ours).contains(&n))
    };
    tx.commit().await?;
    #[cfg(feature = "kill-points")]
    if holds_target {
        std::process::abort();
    }
    Ok(())
}
