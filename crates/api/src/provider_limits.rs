//! Per-provider concurrency the producer sets on a provider card (or `showrunner providers limit ID N`):
//! saved as the `provider_limits` setting, read by the roster at every cast, so the provider's shared
//! limiter follows the next call. Unset providers keep the catalog's default (ElevenLabs 2, others 8).

use std::collections::BTreeMap;

use serde::Serialize;
use showrunner_domain::provider::MAX_CONCURRENCY;
use showrunner_domain::ProviderId;
use showrunner_providers::ProviderLimits;
use showrunner_store::Store;
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

/// The settings key: `{"elevenlabs": 1, …}`, calls in flight per provider id.
pub const PROVIDER_LIMITS_SETTING: &str = "provider_limits";

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
}

/// The saved numbers; an unreadable setting counts as none saved (the defaults are safe).
pub(crate) async fn saved_limits(store: &Store) -> BTreeMap<String, u32> {
    match store.setting(PROVIDER_LIMITS_SETTING).await {
        Ok(Some(value)) => serde_json::from_value(value).unwrap_or_default(),
        _ => BTreeMap::new(),
    }
}

/// The limits `provider`'s shared limiter gets.
pub(crate) fn limits_for(provider: ProviderId, saved: &BTreeMap<String, u32>) -> ProviderLimits {
    ProviderLimits {
        concurrent: Some(concurrency(provider, saved) as usize),
        ..ProviderLimits::default()
    }
}

fn concurrency(provider: ProviderId, saved: &BTreeMap<String, u32>) -> u32 {
    saved
        .get(provider.as_str())
        .copied()
        .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
        .unwrap_or(provider.spec().default_concurrency)
}

pub(crate) fn view(provider: ProviderId, saved: &BTreeMap<String, u32>) -> ProviderLimitView {
    let concurrent = concurrency(provider, saved);
    ProviderLimitView {
        concurrent,
        default_concurrent: provider.spec().default_concurrency,
        customized: saved.contains_key(provider.as_str()),
        max_concurrent: MAX_CONCURRENCY,
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
    match concurrent {
        Some(n) => saved.insert(provider.as_str().to_owned(), n),
        None => saved.remove(provider.as_str()),
    };
    app.store()
        .put_setting(PROVIDER_LIMITS_SETTING, &serde_json::json!(saved), app.now_ms())
        .await?;
    Ok(view(provider, &saved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_and_out_of_range_numbers_fall_back_to_the_catalog() {
        let saved = BTreeMap::from([("elevenlabs".to_owned(), 1), ("gemini".to_owned(), 0)]);
        assert_eq!(limits_for(ProviderId::ElevenLabs, &saved).concurrent, Some(1));
        assert_eq!(limits_for(ProviderId::Gemini, &saved).concurrent, Some(8));
        assert_eq!(limits_for(ProviderId::OpenRouter, &BTreeMap::new()).concurrent, Some(8));
        assert!(view(ProviderId::ElevenLabs, &saved).customized);
        assert_eq!(view(ProviderId::ElevenLabs, &BTreeMap::new()).concurrent, 2);
    }
}
