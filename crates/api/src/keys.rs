//! Providers & keys. Keys go into the OS keyring and never come back out through this API: callers see
//! whether a key is set and its last four characters.

use showrunner_secrets::{KeySource, KeyStatus, KeyedProvider, Sensitive};

use crate::base_urls::base_url_view;
use crate::dto::{KeySourceView, KeyStatusView, ProviderInfo, ProviderKind};
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
        },
    ];
    for p in KeyedProvider::ALL {
        out.push(keyed_provider_info(app, p).await);
    }
    Ok(out)
}

/// One keyed provider's card: its key status (or why the keyring could not be read) and its address.
pub(crate) async fn keyed_provider_info(app: &App, p: KeyedProvider) -> ProviderInfo {
    let (key, note) = match app.keychain().status(p).await {
        Ok(status) => (Some(view(status)), String::new()),
        Err(e) => (None, e.to_string()),
    };
    let kind = if matches!(p, KeyedProvider::ElevenLabs) {
        ProviderKind::Speech
    } else {
        ProviderKind::LanguageModel
    };
    ProviderInfo {
        id: p.id().to_owned(),
        label: p.label().to_owned(),
        kind,
        offline: false,
        needs_key: true,
        key,
        note,
        base_url: base_url_view(app, p.id()).await,
    }
}

pub async fn set_api_key(app: &App, provider_id: &str, key: Sensitive<String>) -> Result<KeyStatusView, ApiError> {
    Ok(view(app.keychain().set(provider(provider_id)?, key).await?))
}

pub async fn clear_api_key(app: &App, provider_id: &str) -> Result<KeyStatusView, ApiError> {
    Ok(view(app.keychain().delete(provider(provider_id)?).await?))
}
