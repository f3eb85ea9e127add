//! Providers & keys. Keys go into the OS keyring and never come back out through this API: callers see
//! whether a key is set and its last four characters.

use showrunner_domain::ProviderId;
use showrunner_secrets::{KeySource, KeyStatus, KeyedProvider, Sensitive};

use crate::base_urls::base_url_view;
use crate::dto::{KeySourceView, KeyStatusView, ProviderInfo, ProviderKind};
use crate::provider_limits::{self, saved_limits};
use crate::{ApiError, App, ErrorCode};

fn view(status: KeyStatus) -> KeyStatusView {
    KeyStatusView {
        provider: status.provider,
        set: status.set,
        ends_with: status.ends_with,
        source: match status.source {
            KeySource::Keyring => KeySourceView::Keyring,
            KeySource::Environment => KeySourceView::Environment,
            KeySource::None => KeySourceView::None,
        },
    }
}

fn provider(id: &str) -> Result<KeyedProvider, ApiError> {
    KeyedProvider::parse(id).ok_or_else(|| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "provider",
            &format!("'{id}' is not a provider that takes a key."),
        )
    })
}

pub async fn list_providers(app: &App) -> Result<Vec<ProviderInfo>, ApiError> {
    let mut out = vec![
        ProviderInfo {
            id: app.writer().id().to_owned(),
            label: app.writer().label().to_owned(),
            kind: ProviderKind::LanguageModel,
            offline: true,
            needs_key: false,
            key: None,
            note: "A deterministic stand-in that fills every stage from your topic and brand voice, so the whole pipeline runs offline. It is not AI.".into(),
            base_url: None,
            limit: None,
            local: true,
        },
        ProviderInfo {
            id: app.speech().id().to_owned(),
            label: app.speech().label().to_owned(),
            kind: ProviderKind::Speech,
            offline: true,
            needs_key: false,
            key: None,
            note: "Your computer's built-in speech engine: robotic, free, and always available.".into(),
            base_url: None,
            limit: None,
            local: true,
        },
    ];
    let limits = saved_limits(app.store()).await;
    for p in ProviderId::all() {
        out.push(provider_info_with(app, p, &limits).await);
    }
    Ok(out)
}

/// One catalog provider's card: its key status (or why the keyring could not be read), its address and its
/// concurrency.
pub(crate) async fn provider_info(app: &App, p: ProviderId) -> ProviderInfo {
    provider_info_with(app, p, &saved_limits(app.store()).await).await
}

async fn provider_info_with(app: &App, p: ProviderId, limits: &provider_limits::SavedLimits) -> ProviderInfo {
    let own_key = KeyedProvider::entry(p);
    let (key, note) = match own_key {
        Some(keyed) => match app.keychain().status(keyed).await {
            Ok(status) => (Some(view(status)), String::new()),
            Err(e) => (None, e.to_string()),
        },
        None => (None, shared_note(p)),
    };
    ProviderInfo {
        id: p.as_str().to_owned(),
        label: p.label().to_owned(),
        kind: p.kind(),
        offline: false,
        needs_key: own_key.is_some(),
        key,
        note,
        base_url: base_url_view(app, p).await,
        limit: Some(provider_limits::view(p, limits)),
        local: p.is_local(),
    }
}

/// What a card without its own key field says instead.
fn shared_note(p: ProviderId) -> String {
    match p.key_owner() {
        Some(owner) => format!("Uses the {} key; set it on that card.", owner.label()),
        None => format!(
            "Runs on this computer: no key, no bill. Start {} and its models appear under Local models.",
            p.spec().name
        ),
    }
}

pub async fn set_api_key(app: &App, provider_id: &str, key: Sensitive<String>) -> Result<KeyStatusView, ApiError> {
    Ok(view(app.keychain().set(provider(provider_id)?, key).await?))
}

pub async fn clear_api_key(app: &App, provider_id: &str) -> Result<KeyStatusView, ApiError> {
    Ok(view(app.keychain().delete(provider(provider_id)?).await?))
}
