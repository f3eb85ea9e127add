//! One shared limiter per provider: every episode producing at once draws from the same requests-per-minute,
//! tokens-per-minute and concurrent-request allowances, and a 429 slows all of them down together instead of
//! every task retrying on its own.
//!
//! Invariants: at most `concurrent` calls hold a [`Permit`] at once; permits are handed out no faster than
//! the per-minute quotas allow (a token bucket that refills continuously, the way providers document their
//! limits); after [`ProviderLimiter::slow_down`] no permit is handed out before the gate reopens.
//!
//! It also keeps each provider's outage record: after [`OUTAGE_AFTER`] calls in a row failed with an outage
//! (5xx, overloaded, timeouts, unreachable; see [`Fallback::Outage`]), the provider is out for a cool-down
//! that every run sees ([`ProviderLimiter::out_for`]), so routes move on to their next provider instead of
//! each episode rediscovering the outage. After the cool-down one call tries again: a success clears the
//! record, another failure puts the provider out again for twice as long (at most [`MAX_COOL_DOWN`]).
//!
//! Time is read from tokio's clock (not the system's), so tests can pause it; governor's own clock and
//! `until_ready` use real time and are deliberately not used.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::{
    Completion, CompletionRequest, ErrorClass, Fallback, LanguageModel, ProviderError, SpeechAudio, SpeechEngine,
    SpeechRequest, Voice,
};

/// How long everyone waits after a 429 that did not say how long.
pub const DEFAULT_SLOW_DOWN: Duration = Duration::from_secs(5);
/// The longest a 429 may close the gate: a longer wait is better surfaced by the caller's retry policy than
/// spent silently here.
pub const MAX_SLOW_DOWN: Duration = Duration::from_secs(10 * 60);

/// Calls failing in a row with an outage before the provider is put out of the route for a cool-down: the
/// engine's default retry policy gives a call three tries, so a lone call's last try is the one that moves on.
pub const OUTAGE_AFTER: u32 = 3;
/// The first cool-down after an outage; each failed retry after one doubles it.
pub const COOL_DOWN: Duration = Duration::from_secs(60);
/// The longest cool-down.
pub const MAX_COOL_DOWN: Duration = Duration::from_secs(15 * 60);

/// A provider's run of failed calls.
#[derive(Debug, Default)]
struct OutageRecord {
    failures_in_a_row: u32,
    out_until: Option<Instant>,
    cool_down: Option<Duration>,
}

/// What one provider allows; `None` means no limit of that kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderLimits {
    pub requests_per_minute: Option<NonZeroU32>,
    /// Input plus output tokens per minute (language models only).
    pub tokens_per_minute: Option<NonZeroU32>,
    /// Calls in flight at once (ElevenLabs plans allow 2 to 15).
    pub concurrent: Option<usize>,
}

/// governor's clock trait over tokio's clock, so paused test time drives the quotas too.
#[derive(Debug, Clone, Copy, Default)]
struct TokioClock;

impl Clock for TokioClock {
    type Instant = std::time::Instant;

    fn now(&self) -> Self::Instant {
        Instant::now().into_std()
    }
}

type Bucket = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<std::time::Instant>>;

/// The right to make one call. Dropping it frees the concurrency slot.
#[derive(Debug)]
pub struct Permit {
    _slot: Option<OwnedSemaphorePermit>,
}

/// A provider's shared allowance. Cheap to share behind an `Arc`; see [`Limiters`].
pub struct ProviderLimiter {
    limits: ProviderLimits,
    requests: Option<Bucket>,
    tokens: Option<(Bucket, NonZeroU32)>,
    slots: Option<Arc<Semaphore>>,
    /// Closed until this instant after a 429.
    gate: Mutex<Option<Instant>>,
    outage: Mutex<OutageRecord>,
}

impl std::fmt::Debug for ProviderLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderLimiter")
            .field("limits", &self.limits)
            .field("closed_until", &*self.gate.lock().expect("limiter gate"))
            .finish_non_exhaustive()
    }
}

impl ProviderLimiter {
    pub fn new(limits: ProviderLimits) -> ProviderLimiter {
        let bucket = |per_minute: NonZeroU32| RateLimiter::direct_with_clock(Quota::per_minute(per_minute), TokioClock);
        ProviderLimiter {
            requests: limits.requests_per_minute.map(bucket),
            tokens: limits.tokens_per_minute.map(|n| (bucket(n), n)),
            // A limit of 0 would block forever; treat it as 1.
            slots: limits.concurrent.map(|n| Arc::new(Semaphore::new(n.max(1)))),
            gate: Mutex::new(None),
            outage: Mutex::new(OutageRecord::default()),
            limits,
        }
    }

    pub fn limits(&self) -> &ProviderLimits {
        &self.limits
    }

    /// Waits for a concurrency slot, the gate and one request's share of the per-minute quota.
    pub async fn acquire(&self) -> Permit {
        self.acquire_tokens(0).await
    }

    /// Like [`acquire`](Self::acquire), also taking `tokens` from the tokens-per-minute quota (a request
    /// larger than the whole quota takes all of it).
    pub async fn acquire_tokens(&self, tokens: u32) -> Permit {
        // The slot comes first: a rate allowance taken while still queued for a slot would be spent long
        // before the request goes out, letting queued requests leave in a burst.
        let slot = match &self.slots {
            Some(slots) => Some(
                slots
                    .clone()
                    .acquire_owned()
                    .await
                    .expect("the semaphore is never closed"),
            ),
            None => None,
        };
        self.wait_for_gate().await;
        if let Some(bucket) = &self.requests {
            take(bucket, NonZeroU32::MIN).await;
        }
        if let (Some((bucket, capacity)), Some(n)) = (&self.tokens, NonZeroU32::new(tokens)) {
            take(bucket, n.min(*capacity)).await;
        }
        // A 429 may have arrived while this call waited for its quota.
        self.wait_for_gate().await;
        Permit { _slot: slot }
    }

    /// Closes the gate for `retry_after` (or [`DEFAULT_SLOW_DOWN`]), capped at [`MAX_SLOW_DOWN`]: every
    /// caller of [`acquire`](Self::acquire) waits until then. An earlier reopening never shortens a wait
    /// already set.
    pub fn slow_down(&self, retry_after: Option<Duration>) {
        let wait = retry_after.unwrap_or(DEFAULT_SLOW_DOWN).min(MAX_SLOW_DOWN);
        let until = Instant::now() + wait;
        let mut gate = self.gate.lock().expect("limiter gate");
        if gate.is_none_or(|current| current < until) {
            *gate = Some(until);
        }
    }

    /// When the gate reopens, if it is closed now.
    pub fn closed_until(&self) -> Option<Instant> {
        self.gate
            .lock()
            .expect("limiter gate")
            .filter(|until| *until > Instant::now())
    }

    /// A call failed with an outage: after [`OUTAGE_AFTER`] in a row the provider is out for a cool-down.
    pub fn record_outage(&self) {
        let mut record = self.outage.lock().expect("limiter outage");
        record.failures_in_a_row = record.failures_in_a_row.saturating_add(1);
        // Calls that were already in flight when the provider went out do not lengthen its cool-down.
        let out_now = record.out_until.is_some_and(|until| until > Instant::now());
        if record.failures_in_a_row >= OUTAGE_AFTER && !out_now {
            let cool_down = record.cool_down.map_or(COOL_DOWN, |last| (last * 2).min(MAX_COOL_DOWN));
            record.cool_down = Some(cool_down);
            record.out_until = Some(Instant::now() + cool_down);
            tracing::warn!(
                failures = record.failures_in_a_row,
                cool_down_s = cool_down.as_secs(),
                "provider out"
            );
        }
    }

    /// A call was answered: the provider is back.
    pub fn record_answer(&self) {
        *self.outage.lock().expect("limiter outage") = OutageRecord::default();
    }

    /// How long the provider stays out of the routes, if it is out now.
    pub fn out_for(&self) -> Option<Duration> {
        let record = self.outage.lock().expect("limiter outage");
        let now = Instant::now();
        record.out_until.filter(|until| *until > now).map(|until| until - now)
    }

    /// Failed calls in a row (0 after an answer).
    pub fn failures_in_a_row(&self) -> u32 {
        self.outage.lock().expect("limiter outage").failures_in_a_row
    }

    /// Calls holding a permit right now (0 without a concurrency limit).
    pub fn in_flight(&self) -> usize {
        match (&self.slots, self.limits.concurrent) {
            (Some(slots), Some(n)) => n.max(1) - slots.available_permits(),
            _ => 0,
        }
    }

    async fn wait_for_gate(&self) {
        // Loop: the gate may be pushed further while we sleep.
        while let Some(until) = self.closed_until() {
            tokio::time::sleep_until(until).await;
        }
    }
}

async fn take(bucket: &Bucket, n: NonZeroU32) {
    loop {
        let wait = match bucket.check_n(n) {
            Ok(Ok(())) => return,
            Ok(Err(not_until)) => not_until.wait_time_from(TokioClock.now()),
            // `n` is capped at the quota's size by the caller, so it always fits eventually.
            Err(_) => return,
        };
        tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
    }
}

/// The limiters of every provider, shared by all runs in the app: the same id always gets the same limiter
/// while its limits stay the same.
#[derive(Debug, Default)]
pub struct Limiters {
    by_provider: Mutex<HashMap<String, Arc<ProviderLimiter>>>,
}

impl Limiters {
    pub fn new() -> Limiters {
        Limiters::default()
    }

    /// The limiter for `provider_id`. When the limits changed (the producer edited the plan's numbers), a new
    /// limiter replaces the old one; calls already holding the old one finish under it.
    pub fn for_provider(&self, provider_id: &str, limits: ProviderLimits) -> Arc<ProviderLimiter> {
        let mut map = self.by_provider.lock().expect("limiters");
        if let Some(existing) = map.get(provider_id).filter(|l| l.limits == limits) {
            return existing.clone();
        }
        let limiter = Arc::new(ProviderLimiter::new(limits));
        map.insert(provider_id.to_owned(), limiter.clone());
        limiter
    }
}

/// A model or speech engine whose every call first takes a permit from its provider's shared limiter, and
/// slows that limiter down when the provider answers 429.
///
/// A speech engine that splits a long text into several requests makes them one after another under one
/// permit, so concurrency holds; the requests-per-minute quota counts the call once.
pub struct Limited<T: ?Sized> {
    inner: Arc<T>,
    limiter: Arc<ProviderLimiter>,
}

impl<T: ?Sized> Limited<T> {
    pub fn new(inner: Arc<T>, limiter: Arc<ProviderLimiter>) -> Limited<T> {
        Limited { inner, limiter }
    }

    pub fn inner(&self) -> &Arc<T> {
        &self.inner
    }

    pub fn limiter(&self) -> &Arc<ProviderLimiter> {
        &self.limiter
    }

    fn observe<R>(&self, result: Result<R, ProviderError>) -> Result<R, ProviderError> {
        match &result {
            Ok(_) => self.limiter.record_answer(),
            Err(e) if e.class() == ErrorClass::RateLimited => self.limiter.slow_down(e.retry_after()),
            Err(e) if e.fallback() == Fallback::Outage => self.limiter.record_outage(),
            // A bad request or an unusable answer says nothing about whether the provider is up.
            Err(_) => {}
        }
        result
    }
}

/// What a request may cost in tokens, for the tokens-per-minute quota: about four characters per input
/// token plus the most the model may write.
fn estimated_tokens(req: &CompletionRequest) -> u32 {
    let chars = req.system.chars().count() + req.prompt.chars().count() + req.context.to_string().chars().count();
    let input = chars.div_ceil(4) as u64;
    (input + u64::from(req.max_output_tokens)).min(u64::from(u32::MAX)) as u32
}

#[async_trait::async_trait]
impl<T: LanguageModel + ?Sized> LanguageModel for Limited<T> {
    fn label(&self) -> &str {
        self.inner.label()
    }

    fn id(&self) -> &str {
        self.inner.id()
    }

    fn model(&self) -> &str {
        self.inner.model()
    }

    fn is_rehearsal(&self) -> bool {
        self.inner.is_rehearsal()
    }

    fn out_for(&self) -> Option<Duration> {
        self.limiter.out_for()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let _permit = self.limiter.acquire_tokens(estimated_tokens(&req)).await;
        let result = self.inner.complete(req).await;
        self.observe(result)
    }
}

#[async_trait::async_trait]
impl<T: SpeechEngine + ?Sized> SpeechEngine for Limited<T> {
    fn label(&self) -> &str {
        self.inner.label()
    }

    fn id(&self) -> &str {
        self.inner.id()
    }

    fn model(&self) -> &str {
        self.inner.model()
    }

    fn voices(&self) -> Vec<Voice> {
        self.inner.voices()
    }

    async fn refresh_voices(&self) {
        self.inner.refresh_voices().await
    }

    fn max_chars(&self) -> usize {
        self.inner.max_chars()
    }

    fn out_for(&self) -> Option<Duration> {
        self.limiter.out_for()
    }

    async fn synthesize(&self, req: SpeechRequest) -> Result<SpeechAudio, ProviderError> {
        let _permit = self.limiter.acquire().await;
        let result = self.inner.synthesize(req).await;
        self.observe(result)
    }
}
