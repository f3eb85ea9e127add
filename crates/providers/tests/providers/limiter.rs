//! The shared per-provider limiter, on tokio's paused clock: minutes of waiting run in milliseconds and every
//! wait is measured exactly.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use showrunner_providers::{
    Completion, CompletionRequest, ErrorClass, LanguageModel, Limited, Limiters, ProviderError, ProviderLimiter,
    ProviderLimits, SpeechAudio, SpeechEngine, SpeechRequest, Usage, Voice,
};
use tokio::time::Instant;

fn limits(rpm: Option<u32>, tpm: Option<u32>, concurrent: Option<usize>) -> ProviderLimits {
    ProviderLimits {
        requests_per_minute: rpm.and_then(NonZeroU32::new),
        tokens_per_minute: tpm.and_then(NonZeroU32::new),
        concurrent,
    }
}

#[tokio::test(start_paused = true)]
async fn twenty_callers_never_exceed_the_concurrency_limit() {
    let limiter = Arc::new(ProviderLimiter::new(limits(None, None, Some(3))));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (limiter, in_flight, most, done) = (limiter.clone(), in_flight.clone(), most.clone(), done.clone());
            tokio::spawn(async move {
                let _permit = limiter.acquire().await;
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                assert!(
                    limiter.in_flight() <= 3,
                    "the limiter's own count stays within the limit"
                );
                // Uneven call lengths, so slots free up in a different order than they were taken.
                tokio::time::sleep(Duration::from_millis(50 + (i % 4) * 30)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(done.load(Ordering::SeqCst), 20, "every caller got its turn");
    assert_eq!(
        most.load(Ordering::SeqCst),
        3,
        "three at a time: the limit is used fully and never exceeded"
    );
    assert_eq!(limiter.in_flight(), 0, "dropped permits give their slots back");
}

#[tokio::test(start_paused = true)]
async fn a_slow_down_makes_every_later_caller_wait_at_least_the_delay() {
    let limiter = ProviderLimiter::new(limits(None, None, Some(4)));
    let start = Instant::now();
    drop(limiter.acquire().await);
    assert_eq!(start.elapsed(), Duration::ZERO, "an open gate does not wait");

    limiter.slow_down(Some(Duration::from_secs(30)));
    limiter.slow_down(Some(Duration::from_secs(2))); // a shorter wait never reopens the gate early
    let (a, b) = tokio::join!(limiter.acquire(), limiter.acquire());
    drop((a, b));
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(30) && waited < Duration::from_secs(31),
        "both callers waited out the 429's Retry-After: {waited:?}"
    );
    assert!(limiter.closed_until().is_none());

    let again = Instant::now();
    limiter.slow_down(None);
    drop(limiter.acquire().await);
    assert!(
        again.elapsed() >= showrunner_providers::limiter::DEFAULT_SLOW_DOWN,
        "a 429 without Retry-After still slows everyone down"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_down_during_a_wait_extends_that_wait() {
    let limiter = Arc::new(ProviderLimiter::new(limits(None, None, None)));
    let start = Instant::now();
    limiter.slow_down(Some(Duration::from_secs(10)));
    let waiter = {
        let limiter = limiter.clone();
        tokio::spawn(async move {
            drop(limiter.acquire().await);
            start.elapsed()
        })
    };
    tokio::time::sleep(Duration::from_secs(5)).await;
    limiter.slow_down(Some(Duration::from_secs(20)));
    let waited = waiter.await.unwrap();
    assert!(
        waited >= Duration::from_secs(25) && waited < Duration::from_secs(26),
        "the second 429 (at 5 s, 20 s more) pushed the gate to 25 s: {waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_requests_per_minute_limit_spaces_requests_after_the_allowance() {
    // Two a minute: the bucket holds two, then one more every 30 s.
    let limiter = ProviderLimiter::new(limits(Some(2), None, None));
    let start = Instant::now();
    let mut at = Vec::new();
    for _ in 0..5 {
        drop(limiter.acquire().await);
        at.push(start.elapsed().as_secs_f64());
    }
    let expected = [0.0, 0.0, 30.0, 60.0, 90.0];
    for (got, want) in at.iter().zip(expected) {
        assert!((got - want).abs() < 0.01, "request times {at:?}, expected {expected:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_tokens_per_minute_limit_waits_for_enough_tokens() {
    let limiter = ProviderLimiter::new(limits(None, Some(6_000), None));
    let start = Instant::now();
    drop(limiter.acquire_tokens(4_000).await);
    assert_eq!(start.elapsed(), Duration::ZERO);
    // 2,000 left; 4,000 more needs 2,000 refilled at 100 a second.
    drop(limiter.acquire_tokens(4_000).await);
    let waited = start.elapsed().as_secs_f64();
    assert!((waited - 20.0).abs() < 0.05, "waited {waited} s");
    // Bigger than the whole allowance: takes all of it instead of waiting forever.
    drop(limiter.acquire_tokens(50_000).await);
    assert!(start.elapsed() < Duration::from_secs(90));
}

#[test]
fn every_run_gets_the_same_limiter_for_a_provider() {
    let limiters = Limiters::new();
    let a = limiters.for_provider("elevenlabs", limits(None, None, Some(2)));
    let b = limiters.for_provider("elevenlabs", limits(None, None, Some(2)));
    let other = limiters.for_provider("openai_tts", limits(None, None, Some(2)));
    assert!(Arc::ptr_eq(&a, &b), "two runs share one ElevenLabs limiter");
    assert!(!Arc::ptr_eq(&a, &other), "providers do not share limits");
    let changed = limiters.for_provider("elevenlabs", limits(None, None, Some(5)));
    assert_eq!(changed.limits().concurrent, Some(5), "a changed plan takes effect");
    assert!(Arc::ptr_eq(
        &changed,
        &limiters.for_provider("elevenlabs", limits(None, None, Some(5)))
    ));
}

/// Fails its first call with `first`, then answers; records when each call reached it.
struct Flaky {
    first: Mutex<Option<ProviderError>>,
    calls: Mutex<Vec<Instant>>,
}

impl Flaky {
    fn failing_once(error: ProviderError) -> Arc<Flaky> {
        Arc::new(Flaky {
            first: Mutex::new(Some(error)),
            calls: Mutex::new(Vec::new()),
        })
    }

    fn call(&self) -> Result<(), ProviderError> {
        self.calls.lock().unwrap().push(Instant::now());
        match self.first.lock().unwrap().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn call_times(&self, since: Instant) -> Vec<Duration> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|t| t.duration_since(since))
            .collect()
    }
}

#[async_trait::async_trait]
impl SpeechEngine for Flaky {
    fn label(&self) -> &str {
        "Flaky speech"
    }
    fn id(&self) -> &str {
        "flaky"
    }
    fn model(&self) -> &str {
        "m"
    }
    fn voices(&self) -> Vec<Voice> {
        Vec::new()
    }
    fn max_chars(&self) -> usize {
        100
    }
    async fn synthesize(&self, _req: SpeechRequest) -> Result<SpeechAudio, ProviderError> {
        self.call()?;
        Ok(SpeechAudio {
            wav: Vec::new(),
            sample_rate: 24_000,
            duration_ms: 0,
            usage: Usage::default(),
            provider_id: "flaky".into(),
            model: "m".into(),
            request_id: None,
        })
    }
}

#[async_trait::async_trait]
impl LanguageModel for Flaky {
    fn label(&self) -> &str {
        "Flaky model"
    }
    fn id(&self) -> &str {
        "flaky"
    }
    fn model(&self) -> &str {
        "m"
    }
    fn is_rehearsal(&self) -> bool {
        false
    }
    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        self.call()?;
        // Built from JSON so fields the contract gains later (with serde defaults) need no change here.
        let mut answer: Completion = serde_json::from_value(serde_json::json!({
            "content": null, "usage": Usage::default(), "provider": "Flaky", "provider_id": "flaky", "model": "m",
            "request_id": null
        }))
        .unwrap();
        answer.content = req.context;
        Ok(answer)
    }
}

fn rate_limited(after: u64) -> ProviderError {
    ProviderError::new("rate_limited", "slow down", ErrorClass::RateLimited)
        .with_retry_after(Duration::from_secs(after))
}

#[tokio::test(start_paused = true)]
async fn a_429_from_a_speech_engine_holds_back_every_caller_of_that_provider() {
    let inner = Flaky::failing_once(rate_limited(20));
    let limiter = Arc::new(ProviderLimiter::new(limits(None, None, Some(2))));
    let first = Limited::new(inner.clone() as Arc<dyn SpeechEngine>, limiter.clone());
    let second = Limited::new(inner.clone() as Arc<dyn SpeechEngine>, limiter.clone());
    assert_eq!(
        (first.id(), first.max_chars()),
        ("flaky", 100),
        "the wrapper is transparent"
    );
    let start = Instant::now();
    let e = first.synthesize(SpeechRequest::default()).await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::RateLimited);
    // Another episode's call, through another wrapper of the same provider.
    second.synthesize(SpeechRequest::default()).await.unwrap();
    let times = inner.call_times(start);
    assert_eq!(times.len(), 2);
    assert!(
        times[1] >= Duration::from_secs(20),
        "the second call went out only after the Retry-After: {times:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn other_failures_do_not_slow_a_language_model_down() {
    let inner = Flaky::failing_once(ProviderError::transient("server_error", "500"));
    let model = Limited::new(
        inner.clone() as Arc<dyn LanguageModel>,
        Arc::new(ProviderLimiter::new(limits(Some(600), None, None))),
    );
    let start = Instant::now();
    let req = CompletionRequest {
        task: "plan".into(),
        system: "s".into(),
        prompt: "p".into(),
        context: serde_json::json!({"topic": "tides"}),
        output_schema: serde_json::json!({}),
        max_output_tokens: 100,
    };
    assert!(model.complete(req.clone()).await.is_err());
    let answer = model.complete(req).await.unwrap();
    assert_eq!(
        answer.content["topic"], "tides",
        "the inner model's answer comes through unchanged"
    );
    assert!(!model.is_rehearsal());
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "a server error is the retry policy's business, not the limiter's: {:?}",
        start.elapsed()
    );

    let limited = Flaky::failing_once(rate_limited(8));
    let model = Limited::new(
        limited.clone() as Arc<dyn LanguageModel>,
        Arc::new(ProviderLimiter::new(ProviderLimits::default())),
    );
    let start = Instant::now();
    let req = CompletionRequest {
        task: "plan".into(),
        system: String::new(),
        prompt: String::new(),
        context: serde_json::Value::Null,
        output_schema: serde_json::Value::Null,
        max_output_tokens: 1,
    };
    assert!(model.complete(req.clone()).await.is_err());
    model.complete(req).await.unwrap();
    assert!(
        limited.call_times(start)[1] >= Duration::from_secs(8),
        "a model's 429 closes the gate too"
    );
}

/// A model that fails every call with `error`.
struct Down(ProviderError);

#[async_trait::async_trait]
impl LanguageModel for Down {
    fn label(&self) -> &str {
        "Down"
    }
    fn id(&self) -> &str {
        "down"
    }
    fn model(&self) -> &str {
        "m"
    }
    fn is_rehearsal(&self) -> bool {
        false
    }
    async fn complete(&self, _req: CompletionRequest) -> Result<Completion, ProviderError> {
        Err(self.0.clone())
    }
}

fn any_request() -> CompletionRequest {
    CompletionRequest {
        task: "plan".into(),
        system: "s".into(),
        prompt: "p".into(),
        context: serde_json::json!({}),
        output_schema: serde_json::json!({}),
        max_output_tokens: 10,
    }
}

#[tokio::test(start_paused = true)]
async fn three_outages_in_a_row_put_a_provider_out_for_every_run_and_a_failed_probe_doubles_it() {
    use showrunner_providers::limiter::{COOL_DOWN, MAX_COOL_DOWN, OUTAGE_AFTER};
    let limiters = Limiters::new();
    let shared = || limiters.for_provider("down", limits(None, None, Some(4)));
    let overloaded = ProviderError::transient("overloaded", "529");
    // Two runs' clients of the same provider share its record.
    let run_a = Limited::new(Arc::new(Down(overloaded.clone())) as Arc<dyn LanguageModel>, shared());
    let run_b = Limited::new(Arc::new(Down(overloaded)) as Arc<dyn LanguageModel>, shared());
    for n in 1..OUTAGE_AFTER {
        let model = if n % 2 == 0 { &run_a } else { &run_b };
        assert!(model.complete(any_request()).await.is_err());
        assert_eq!(model.out_for(), None, "{n} failures are not an outage yet");
    }
    assert!(run_a.complete(any_request()).await.is_err());
    assert_eq!(run_b.out_for(), Some(COOL_DOWN), "the other run sees the outage");

    tokio::time::advance(COOL_DOWN + Duration::from_secs(1)).await;
    assert_eq!(run_b.out_for(), None, "after the cool-down one call may probe");
    assert!(run_b.complete(any_request()).await.is_err());
    assert_eq!(
        run_a.out_for(),
        Some(COOL_DOWN * 2),
        "a failed probe doubles the cool-down"
    );
    for _ in 0..10 {
        tokio::time::advance(MAX_COOL_DOWN + Duration::from_secs(1)).await;
        assert!(run_a.complete(any_request()).await.is_err());
    }
    assert_eq!(run_a.out_for(), Some(MAX_COOL_DOWN), "the cool-down is capped");
}

#[tokio::test(start_paused = true)]
async fn an_answer_clears_the_record_and_rate_limits_or_bad_requests_are_not_outages() {
    let limiter = Arc::new(ProviderLimiter::new(limits(None, None, None)));
    let flaky = Limited::new(
        Flaky::failing_once(ProviderError::transient("timeout", "slow")) as Arc<dyn LanguageModel>,
        limiter.clone(),
    );
    assert!(flaky.complete(any_request()).await.is_err());
    assert_eq!(limiter.failures_in_a_row(), 1);
    flaky.complete(any_request()).await.unwrap();
    assert_eq!(limiter.failures_in_a_row(), 0, "an answer means the provider is back");

    for error in [
        rate_limited(1),
        ProviderError::new("invalid_request", "bad", ErrorClass::Terminal),
        ProviderError::transient("malformed_output", "not JSON"),
        ProviderError::new("bad_key", "no", ErrorClass::Auth),
    ] {
        let code = error.code().to_owned();
        let model = Limited::new(Arc::new(Down(error)) as Arc<dyn LanguageModel>, limiter.clone());
        for _ in 0..5 {
            let _ = model.complete(any_request()).await;
        }
        assert_eq!(limiter.failures_in_a_row(), 0, "{code} counted as an outage");
        assert_eq!(model.out_for(), None);
    }
}
