//! Retry policy as data, Temporal's arithmetic: attempt n waits `initial × coefficient^(n-1)`, capped; a
//! provider's own delay (Retry-After) overrides the computed one; attempts count the first try. Jitter spreads
//! the computed delay (never a provider's) by ± a fraction, so runs that failed together retry apart. No delay
//! is ever longer than [`MAX_DELAY`], whatever a provider or a hand-edited policy asks for: a huge Retry-After
//! would otherwise park a stage for ever (and overflow the deadline arithmetic).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The longest wait between two tries.
pub const MAX_DELAY: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub initial_interval_ms: u64,
    pub backoff_coefficient: f64,
    pub maximum_interval_ms: u64,
    /// Including the first try; 0 means unlimited.
    pub maximum_attempts: u32,
    /// Each computed delay is spread uniformly over ± this fraction of itself (0.2 = ±20 %).
    #[serde(default)]
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_interval_ms: 1_000,
            backoff_coefficient: 2.0,
            maximum_interval_ms: 100_000,
            maximum_attempts: 3,
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// No waiting between attempts (tests).
    pub fn immediate(maximum_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            initial_interval_ms: 0,
            backoff_coefficient: 2.0,
            maximum_interval_ms: 0,
            maximum_attempts,
            jitter: 0.0,
        }
    }

    /// The delay before the next try after `attempt` (1-based) failed, or `None` when no try is left.
    pub fn next_delay(&self, attempt: u32, provider_delay: Option<Duration>) -> Option<Duration> {
        self.next_delay_drawn(attempt, provider_delay, fastrand::f64())
    }

    /// [`next_delay`](Self::next_delay) with the jitter's random draw (in `[0, 1)`) given: 0 is the shortest
    /// spread delay, 0.5 the computed one, towards 1 the longest.
    pub fn next_delay_drawn(&self, attempt: u32, provider_delay: Option<Duration>, draw: f64) -> Option<Duration> {
        if self.maximum_attempts > 0 && attempt >= self.maximum_attempts {
            return None;
        }
        if let Some(explicit) = provider_delay {
            return Some(explicit.min(MAX_DELAY));
        }
        let coefficient = if self.backoff_coefficient < 1.0 {
            2.0
        } else {
            self.backoff_coefficient
        };
        let max = (self.maximum_interval_ms.max(self.initial_interval_ms) as f64).min(MAX_DELAY.as_millis() as f64);
        let exponent = attempt.saturating_sub(1).min(1_000) as i32;
        let delay = (self.initial_interval_ms as f64 * coefficient.powi(exponent)).min(max);
        let delay = if delay.is_finite() { delay.max(0.0) } else { max };
        // NaN from a hand-edited policy counts as no jitter / the middle draw.
        let jitter = if self.jitter.is_nan() {
            0.0
        } else {
            self.jitter.clamp(0.0, 1.0)
        };
        let draw = if draw.is_nan() { 0.5 } else { draw.clamp(0.0, 1.0) };
        let spread = delay * (1.0 - jitter + 2.0 * jitter * draw);
        Some(Duration::from_millis(spread.round() as u64).min(MAX_DELAY))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any policy (hand-edited settings included) and any provider delay: never a panic, never longer than
        /// [`MAX_DELAY`], no try after the last, and a provider's delay (capped) wins over the computed one.
        #[test]
        fn every_delay_is_bounded_and_the_last_try_has_none(
            initial in any::<u64>(),
            coefficient in any::<f64>(),
            maximum in any::<u64>(),
            attempts in 0u32..20,
            jitter in any::<f64>(),
            attempt in 1u32..40,
            provider_secs in proptest::option::of(any::<u64>()),
            draw in any::<f64>(),
        ) {
            let p = RetryPolicy {
                initial_interval_ms: initial,
                backoff_coefficient: coefficient,
                maximum_interval_ms: maximum,
                maximum_attempts: attempts,
                jitter,
            };
            let provider = provider_secs.map(Duration::from_secs);
            let delay = p.next_delay_drawn(attempt, provider, draw);
            if attempts > 0 && attempt >= attempts {
                prop_assert_eq!(delay, None);
            } else {
                let delay = delay.expect("a try is left");
                prop_assert!(delay <= MAX_DELAY);
                if let Some(asked) = provider {
                    prop_assert_eq!(delay, asked.min(MAX_DELAY));
                }
            }
        }
    }

    #[test]
    fn a_huge_retry_after_is_capped_instead_of_sleeping_for_ever() {
        let p = RetryPolicy::default();
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(u64::MAX))), Some(MAX_DELAY));
    }

    // Ported from Temporal sdk-core retry_logic.rs.
    #[test]
    fn delays_double_up_to_the_maximum_then_stop_at_max_attempts() {
        let p = RetryPolicy {
            initial_interval_ms: 1_000,
            backoff_coefficient: 2.0,
            maximum_interval_ms: 10_000,
            maximum_attempts: 10,
            jitter: 0.0,
        };
        let secs: Vec<u64> = (1..=6).map(|a| p.next_delay(a, None).unwrap().as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 10, 10]);
        assert_eq!(p.next_delay(10, None), None, "attempt 10 of 10 leaves no retry");
    }

    #[test]
    fn zero_max_attempts_retries_forever() {
        let p = RetryPolicy {
            maximum_attempts: 0,
            ..RetryPolicy::default()
        };
        assert!((1..50).all(|a| p.next_delay(a, None).is_some()));
    }

    #[test]
    fn huge_attempt_numbers_return_the_max_interval_without_overflow() {
        let p = RetryPolicy {
            maximum_attempts: 0,
            jitter: 0.0,
            ..RetryPolicy::default()
        };
        assert_eq!(p.next_delay(u32::MAX, None), Some(Duration::from_millis(100_000)));
    }

    #[test]
    fn a_provider_delay_overrides_the_computed_one() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.next_delay(1, Some(Duration::from_secs(50))),
            Some(Duration::from_secs(50))
        );
    }

    #[test]
    fn jitter_spreads_the_computed_delay_both_ways_and_never_a_providers() {
        let p = RetryPolicy::default();
        assert_eq!(p.next_delay_drawn(2, None, 0.0), Some(Duration::from_millis(1_600)));
        assert_eq!(p.next_delay_drawn(2, None, 0.5), Some(Duration::from_millis(2_000)));
        assert_eq!(
            p.next_delay_drawn(2, None, 0.999_999),
            Some(Duration::from_millis(2_400))
        );
        let asked = Some(Duration::from_secs(7));
        assert_eq!(p.next_delay_drawn(1, asked, 0.0), asked);
        assert_eq!(p.next_delay_drawn(1, asked, 0.999), asked);
    }

    #[test]
    fn drawn_delays_of_many_runs_spread_over_the_whole_band() {
        let p = RetryPolicy::default();
        let delays: Vec<u64> = (0..200)
            .map(|_| p.next_delay(1, None).unwrap().as_millis() as u64)
            .collect();
        assert!(delays.iter().all(|d| (800..=1_200).contains(d)), "{delays:?}");
        assert!(
            delays.iter().any(|d| *d < 900) && delays.iter().any(|d| *d > 1_100),
            "{delays:?}"
        );
    }
}
