//! Per-provider limits the producer sets on a provider card: calls at once (`showrunner providers limit ID N`,
//! the `provider_limits` setting) and requests a minute (`showrunner providers rate ID N`, the
//! `provider_rates` setting). The roster reads both at every cast, so the provider's shared limiter follows
//! the next call. Unset, a provider keeps the catalog's concurrency (ElevenLabs 2, others 8) and no request
//! rate of ours (its own 429s and `Retry-After` pace it).

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use serde::Serialize;
use showrunner_domain::provider::{MAX_CONCURRENCY, MAX_REQUESTS_PER_MINUTE};
use showrunner_domain::ProviderId;
use showrunner_providers::ProviderLimits;
use showrunner_store::Store;
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

/// The settings key: `{"elevenlabs": 1, …}`, calls in flight per provider id.
pub const PROVIDER_LIMITS_SETTING: &str = "provider_limits";
/// The settings key: `{"perplexity": 50, …}`, requests a minute per provider id.
pub const PROVIDER_RATES_SETTING: &str = "provider_rates";

/// A provider's concurrency as a card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderLimitView {
    /// Calls in flight at once, in force now.
    pub concurrent: u32,
    /// What "Reset" puts back (the catalog's number).
    pub default_concurrent: u32,
    /// The producer set `concurrent`; otherwise it is the default.
    pub customized: bool,
    /// The largest number the card accepts.
    pub max_concurrent: u32,
    /// Requests a minute the limiter allows, when the producer set a number; none paces by the provider's
    /// own 429s.
    pub requests_per_minute: Option<u32>,
    /// The largest requests-a-minute number the card accepts.
    pub max_requests_per_minute: u32,
}

/// What the producer saved, by provider id: calls at once and requests a minute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SavedLimits {
    calls: BTreeMap<String, u32>,
    rates: BTreeMap<String, u32>,
}

/// One setting's numbers; an unreadable setting counts as none saved (the defaults are safe).
async fn saved_numbers(store: &Store, key: &str) -> BTreeMap<String, u32> {
    match store.setting(key).await {
        Ok(Some(value)) => serde_json::from_value(value).unwrap_or_default(),
        _ => BTreeMap::new(),
    }
}

pub(crate) async fn saved_limits(store: &Store) -> SavedLimits {
    SavedLimits {
        calls: saved_numbers(store, PROVIDER_LIMITS_SETTING).await,
        rates: saved_numbers(store, PROVIDER_RATES_SETTING).await,
    }
}

/// The limits `provider`'s shared limiter gets.
pub(crate) fn limits_for(provider: ProviderId, saved: &SavedLimits) -> ProviderLimits {
    ProviderLimits {
        concurrent: Some(concurrency(provider, saved) as usize),
        requests_per_minute: rate(provider, saved).and_then(NonZeroU32::new),
        ..ProviderLimits::default()
    }
}

fn concurrency(provider: ProviderId, saved: &SavedLimits) -> u32 {
    saved
        .calls
        .get(provider.as_str())
        .copied()
        .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
        .unwrap_or(provider.spec().default_concurrency)
}

fn rate(provider: ProviderId, saved: &SavedLimits) -> Option<u32> {
    saved
        .rates
        .get(provider.as_str())
        .copied()
        .filter(|n| (1..=MAX_REQUESTS_PER_MINUTE).contains(n))
}

pub(crate) fn view(provider: ProviderId, saved: &SavedLimits) -> ProviderLimitView {
    let concurrent = concurrency(provider, saved);
    ProviderLimitView {
        concurrent,
        default_concurrent: provider.spec().default_concurrency,
        customized: saved.calls.contains_key(provider.as_str()),
        max_concurrent: MAX_CONCURRENCY,
        requests_per_minute: rate(provider, saved),
        max_requests_per_minute: MAX_REQUESTS_PER_MINUTE,
    }
}

/// The provider a card or the CLI names, or a field error.
pub(crate) fn known_provider(id: &str) -> Result<ProviderId, ApiError> {
    ProviderId::parse(id.trim()).ok_or_else(|| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "provider",
            &format!("'{}' is not a provider Showrunner knows.", id.trim()),
        )
    })
}

/// Sets (`Some`) or resets (`None`) how many calls `provider_id` may have in flight. Refused outside
/// 1..=[`MAX_CONCURRENCY`] with nothing saved.
pub async fn set_provider_limit(
    app: &App,
    provider_id: &str,
    concurrent: Option<u32>,
) -> Result<ProviderLimitView, ApiError> {
    let provider = known_provider(provider_id)?;
    if let Some(n) = concurrent {
        if !(1..=MAX_CONCURRENCY).contains(&n) {
            return Err(ApiError::field(
                ErrorCode::InvalidInput,
                "concurrent",
                &format!("Calls at once must be between 1 and {MAX_CONCURRENCY}; {n} is not."),
            ));
        }
    }
    let mut saved = saved_limits(app.store()).await;
    set_number(&mut saved.calls, provider, concurrent);
    app.store()
        .put_setting(PROVIDER_LIMITS_SETTING, &serde_json::json!(saved.calls), app.now_ms())
        .await?;
    Ok(view(provider, &saved))
}

/// Sets (`Some`) or clears (`None`) how many requests a minute `provider_id` may be sent. Refused outside
/// 1..=[`MAX_REQUESTS_PER_MINUTE`] with nothing saved.
pub async fn set_provider_rate(
    app: &App,
    provider_id: &str,
    requests_per_minute: Option<u32>,
) -> Result<ProviderLimitView, ApiError> {
    let provider = known_provider(provider_id)?;
    if let Some(n) = requests_per_minute {
        if !(1..=MAX_REQUESTS_PER_MINUTE).contains(&n) {
            return Err(ApiError::field(
                ErrorCode::InvalidInput,
                "requests_per_minute",
                &format!("Requests a minute must be between 1 and {MAX_REQUESTS_PER_MINUTE}; {n} is not."),
            ));
        }
    }
    let mut saved = saved_limits(app.store()).await;
    set_number(&mut saved.rates, provider, requests_per_minute);
    app.store()
        .put_setting(PROVIDER_RATES_SETTING, &serde_json::json!(saved.rates), app.now_ms())
        .await?;
    Ok(view(provider, &saved))
}

fn set_number(numbers: &mut BTreeMap<String, u32>, provider: ProviderId, n: Option<u32>) {
    match n {
        Some(n) => numbers.insert(provider.as_str().to_owned(), n),
        None => numbers.remove(provider.as_str()),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_and_out_of_range_numbers_fall_back_to_the_catalog() {
        let saved = SavedLimits {
            calls: BTreeMap::from([("elevenlabs".to_owned(), 1), ("gemini".to_owned(), 0)]),
            rates: BTreeMap::from([("perplexity".to_owned(), 50), ("gemini".to_owned(), 0)]),
        };
        let none = SavedLimits::default();
        assert_eq!(limits_for(ProviderId::ElevenLabs, &saved).concurrent, Some(1));
        assert_eq!(limits_for(ProviderId::Gemini, &saved).concurrent, Some(8));
        assert_eq!(limits_for(ProviderId::OpenRouter, &none).concurrent, Some(8));
        assert!(view(ProviderId::ElevenLabs, &saved).customized);
        assert_eq!(view(ProviderId::ElevenLabs, &none).concurrent, 2);
        assert_eq!(
            limits_for(ProviderId::Perplexity, &saved).requests_per_minute,
            NonZeroU32::new(50)
        );
        assert_eq!(
            limits_for(ProviderId::Gemini, &saved).requests_per_minute,
            None,
            "0 is no number"
        );
        assert_eq!(view(ProviderId::Perplexity, &saved).requests_per_minute, Some(50));
        assert_eq!(view(ProviderId::Perplexity, &none).requests_per_minute, None);
    }
}
