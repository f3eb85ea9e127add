//! The host-voice pickers: which voices a speech engine offers, so a producer can pick each host's voice per
//! engine. ElevenLabs lists the account's voices (with preview samples) using the same key and base URL a
//! run uses; OpenAI text-to-speech and system speech have fixed lists.

use std::time::Duration;

use serde::Serialize;
use showrunner_production::ModelChoice;
use showrunner_providers::elevenlabs::{self, VoiceInfo};
use showrunner_providers::{openai_tts, piper, SpeechEngine, Voice};
use ts_rs::TS;

use crate::roster::{base_urls, build_client, setup, Client, Setup};
use crate::routing::provider_label;
use crate::{ApiError, App, ErrorCode};

/// Long enough for a slow proxy, short enough that the picker never seems stuck.
const LIST_TIMEOUT: Duration = Duration::from_secs(20);

/// One voice a host can be given on an engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VoiceOption {
    /// What goes in the host's `voices[engine]` (or `voice` for system speech).
    pub id: String,
    pub name: String,
    /// A short remote sample (https) the producer can play before choosing.
    pub preview_url: Option<String>,
    /// e.g. "british, female, narration".
    pub description: Option<String>,
    /// The language the voice speaks ("de", "en_US"); `None` when it speaks any. The pickers offer a show the
    /// voices of its language.
    pub language: Option<String>,
}

impl From<VoiceInfo> for VoiceOption {
    fn from(v: VoiceInfo) -> VoiceOption {
        let labels: Vec<String> = v.labels.into_values().filter(|l| !l.trim().is_empty()).collect();
        VoiceOption {
            id: v.id,
            name: v.name,
            preview_url: v.preview_url,
            description: (!labels.is_empty()).then(|| labels.join(", ")),
            language: None,
        }
    }
}

impl From<Voice> for VoiceOption {
    fn from(v: Voice) -> VoiceOption {
        VoiceOption {
            id: v.id,
            name: v.label,
            preview_url: None,
            description: None,
            language: v.language,
        }
    }
}

/// The voices `engine_id` offers. Keyed engines without a key answer `no_key`; provider refusals answer
/// `provider` with the provider's own words (never the key).
pub async fn list_voices(app: &App, engine_id: &str) -> Result<Vec<VoiceOption>, ApiError> {
    let engine = engine_id.trim();
    let model = match engine {
        elevenlabs::PROVIDER_ID => elevenlabs::DEFAULT_MODEL,
        openai_tts::PROVIDER_ID => openai_tts::DEFAULT_MODEL,
        piper::PROVIDER_ID => {
            let engine = app.local_speech().piper()?;
            return Ok(engine.voices().into_iter().map(VoiceOption::from).collect());
        }
        _ if engine == app.speech().id() => {
            return Ok(app.speech().voices().into_iter().map(VoiceOption::from).collect())
        }
        _ => {
            return Err(ApiError::field(
                ErrorCode::InvalidInput,
                "engine",
                &format!("'{engine}' is not a speech engine with voices to pick."),
            ))
        }
    };
    let label = provider_label(app, engine);
    // Only keyed speech engines reach here (the arms above return for the rest).
    let Some(provider) = showrunner_domain::ProviderId::parse(engine) else {
        return Err(ApiError::new(
            ErrorCode::Internal,
            format!("'{engine}' has no catalog row"),
        ));
    };
    let (key, base_url) = match setup(
        app.keychain(),
        app.environment(),
        provider,
        &base_urls(app.store()).await,
    )
    .await
    {
        Setup::Ready { key, base_url } => (key, base_url),
        Setup::NoKey(_) | Setup::KeyUnreadable { locked: false, .. } => {
            return Err(ApiError::new(
                ErrorCode::NoKey,
                format!("Add an {label} key to choose its voices."),
            ))
        }
        Setup::KeyUnreadable { reason, locked: true } => {
            return Err(ApiError::new(
                ErrorCode::KeyringUnavailable,
                format!("{label}: {reason}"),
            ))
        }
    };
    match build_client(&ModelChoice::new(engine, model), key, base_url)? {
        Client::ElevenLabs(client) => match tokio::time::timeout(LIST_TIMEOUT, client.list_voices()).await {
            Ok(listed) => Ok(listed?.into_iter().map(VoiceOption::from).collect()),
            Err(_) => Err(ApiError::new(
                ErrorCode::Provider,
                format!(
                    "{label} did not answer within {} seconds. Check your internet connection and the base URL.",
                    LIST_TIMEOUT.as_secs()
                ),
            )),
        },
        other => Ok(other
            .into_speaker()
            .map(|speaker| speaker.voices().into_iter().map(VoiceOption::from).collect())
            .unwrap_or_default()),
    }
}
