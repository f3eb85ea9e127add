//! How long to keep trying when a provider fails, per provider (the engine's default covers the rest:
//! 1 s, ×2, up to 100 s, 3 tries, ±20 % jitter). A provider's own Retry-After always wins over these delays.

use showrunner_engine::RetryPolicy;

/// Provider id → its policy, for `Engine::with_provider_retry`.
pub fn provider_retry_policies() -> Vec<(&'static str, RetryPolicy)> {
    vec![
        // 529 "overloaded" clears within seconds to a minute: more tries, the same doubling.
        (
            "anthropic",
            RetryPolicy {
                maximum_attempts: 5,
                ..RetryPolicy::default()
            },
        ),
        // "too_many_concurrent_requests" clears as soon as one of our own lines finishes: start sooner.
        (
            "elevenlabs",
            RetryPolicy {
                initial_interval_ms: 500,
                maximum_interval_ms: 30_000,
                maximum_attempts: 6,
                ..RetryPolicy::default()
            },
        ),
    ]
}
