//! How long to keep trying when a provider fails, per the catalog's retry profile (the engine's default
//! covers the standard profile: 1 s, ×2, up to 100 s, 3 tries, ±20 % jitter). A provider's own Retry-After
//! always wins over these delays.

use showrunner_domain::{ProviderId, RetryProfile};
use showrunner_engine::RetryPolicy;

/// The policy a retry profile stands for; `None` for the engine's default.
fn policy(profile: RetryProfile) -> Option<RetryPolicy> {
    match profile {
        RetryProfile::Standard => None,
        // 529 "overloaded" clears within seconds to a minute: more tries, the same doubling.
        RetryProfile::Overloads => Some(RetryPolicy {
            maximum_attempts: 5,
            ..RetryPolicy::default()
        }),
        // "too_many_concurrent_requests" clears as soon as one of our own lines finishes: start sooner.
        RetryProfile::ConcurrencyCap => Some(RetryPolicy {
            initial_interval_ms: 500,
            maximum_interval_ms: 30_000,
            maximum_attempts: 6,
            ..RetryPolicy::default()
        }),
    }
}

/// Provider id → its policy, for `Engine::with_provider_retry`; providers on the default are left out.
pub fn provider_retry_policies() -> Vec<(&'static str, RetryPolicy)> {
    ProviderId::all()
        .filter_map(|id| policy(id.spec().retry).map(|p| (id.as_str(), p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anthropic_and_elevenlabs_get_their_own_patience_and_the_rest_the_default() {
        let policies = provider_retry_policies();
        let ids: Vec<&str> = policies.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, ["anthropic", "elevenlabs"]);
        assert_eq!(policies[0].1.maximum_attempts, 5);
        assert_eq!(policies[1].1.initial_interval_ms, 500);
    }
}
