//! Injected time: business logic never reads the wall clock or tokio's timer directly. One clock tells the
//! time and waits: a stage's retry waits, its time limit per try and its deadline are all measured on it, so
//! a multi-day wait at a human gate, or a ten-minute Retry-After, is a test that runs in milliseconds.
//!
//! The engine's own waits for its tasks (a driver leaving a run, a cancel being written) are not a run's
//! time and stay on tokio's timer.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A wait on a [`Clock`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// Resolves once `duration` has passed on this clock.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The wall clock; it waits on tokio's timer, so under tokio's paused time (`start_paused`) its waits pass
/// at once while the time it tells stays the wall's.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that only moves when told to. Waiting on it tells it to: a wait, once polled, moves it on by its
/// length and ends, so a retry's wait shows on the clock and costs no real time. So a time limit on it is
/// reached as soon as the work it limits has to wait for anything (work that is ready is never late).
#[derive(Debug, Default)]
pub struct ManualClock {
    now: Arc<AtomicI64>,
}

impl ManualClock {
    pub fn starting_at(ms: i64) -> ManualClock {
        ManualClock {
            now: Arc::new(AtomicI64::new(ms)),
        }
    }

    pub fn advance_ms(&self, ms: i64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let (now, ms) = (
            self.now.clone(),
            i64::try_from(duration.as_millis()).unwrap_or(i64::MAX),
        );
        Box::pin(async move {
            now.fetch_add(ms, Ordering::SeqCst);
            // Still a point where other tasks run, as a real wait is.
            tokio::task::yield_now().await;
        })
    }
}

/// `work`'s output, or `None` when `limit` passes on `clock` first. The work is polled first, so work that is
/// already done is never counted as late.
pub(crate) async fn within<F: Future>(clock: &dyn Clock, limit: Duration, work: F) -> Option<F::Output> {
    tokio::select! {
        biased;
        out = work => Some(out),
        _ = clock.sleep(limit) => None,
    }
}
