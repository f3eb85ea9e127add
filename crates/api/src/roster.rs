//! Casting jobs from the producer's route plan: for each route entry, a client with its key (OS keyring,
//! else the conventional environment variable) and base URL (`SHOWRUNNER_<PROVIDER>_BASE_URL`, else the
//! `base_urls` setting, else the catalog's), behind the provider's shared limiter (the producer's
//! concurrency, else the catalog's). Entries without a key are skipped with the reason; the offline crew
//! always follows. Clients are cached and rebuilt only when their key, URL or limit changes, so connections
//! are reused across calls and runs. Everything provider-specific comes from the catalog
//! (`showrunner_domain::provider`); only the wire → client match is here.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use showrunner_domain::{KeyRule, ProviderId, Wire};
use showrunner_production::{Casting, Job, ModelChoice, Roster, RoutePlan, ROUTES_SETTING};
use showrunner_providers::anthropic::{AnthropicClient, AnthropicConfig};
use showrunner_providers::elevenlabs::{ElevenLabs, ElevenLabsConfig};
use showrunner_providers::gemini::{GeminiClient, GeminiConfig};
use showrunner_providers::openai_compat::{OpenAiCompatClient, OpenAiCompatConfig, TokenLimitField};
use showrunner_providers::openai_tts::{OpenAiTts, OpenAiTtsConfig};
use showrunner_providers::perplexity::{PerplexityClient, PerplexityConfig};
use showrunner_providers::{LanguageModel, Limited, Limiters, ProviderError, ProviderLimits, SpeechEngine};
use showrunner_secrets::{Keychain, KeyedProvider, Sensitive};
use showrunner_store::Store;

use crate::environment::Environment;
use crate::local_voices::LocalSpeech;
use crate::provider_limits::{limits_for, saved_limits};

/// The settings key for per-provider base URLs (`{"anthropic": "https://proxy.example/v1", …}`).
pub const BASE_URLS_SETTING: &str = "base_urls";

/// The keyring entry a provider's key lives under (OpenAI TTS shares OpenAI's key; local servers need none).
pub fn key_owner(provider: ProviderId) -> Option<KeyedProvider> {
    KeyedProvider::owner_of(provider)
}

type Fingerprint = [u8; 32];
/// Built clients by (provider, model), with the key/URL fingerprint they were built with.
type ClientCache<T> = Mutex<HashMap<(String, String), (Fingerprint, Arc<T>)>>;

pub struct KeyedRoster {
    store: Store,
    keychain: Keychain,
    environment: Environment,
    offline_writer: Arc<dyn LanguageModel>,
    offline_speech: Arc<LocalSpeech>,
    limiters: Limiters,
    writers: ClientCache<dyn LanguageModel>,
    speakers: ClientCache<dyn SpeechEngine>,
}

/// What a provider needs before a client can be built: its key and base URL, or why it cannot be.
pub(crate) enum Setup {
    Ready {
        key: Option<Sensitive<String>>,
        base_url: Option<String>,
    },
    /// No key in the keyring or the environment; the reason names where to add one.
    NoKey(String),
    /// The keyring could not be read and no environment variable holds a key. `locked`: a key may be in
    /// the keyring once it is unlocked; otherwise there is no keyring to hold one.
    KeyUnreadable { reason: String, locked: bool },
}

/// A provider's own client, before it goes behind its shared limiter: the roster casts it, and "Test
/// connection" calls its `check_connection` directly.
pub(crate) enum Client {
    Anthropic(AnthropicClient),
    Gemini(GeminiClient),
    Perplexity(PerplexityClient),
    OpenAiCompat(OpenAiCompatClient),
    ElevenLabs(ElevenLabs),
    OpenAiTts(OpenAiTts),
}

impl Client {
    pub(crate) async fn check_connection(&self) -> Result<(), ProviderError> {
        match self {
            Client::Anthropic(c) => c.check_connection().await,
            Client::Gemini(c) => c.check_connection().await,
            Client::Perplexity(c) => c.check_connection().await,
            Client::OpenAiCompat(c) => c.check_connection().await,
            Client::ElevenLabs(c) => c.check_connection().await,
            Client::OpenAiTts(c) => c.check_connection().await,
        }
    }

    fn into_writer(self) -> Option<Arc<dyn LanguageModel>> {
        Some(match self {
            Client::Anthropic(c) => Arc::new(c),
            Client::Gemini(c) => Arc::new(c),
            Client::Perplexity(c) => Arc::new(c),
            Client::OpenAiCompat(c) => Arc::new(c),
            Client::ElevenLabs(_) | Client::OpenAiTts(_) => return None,
        })
    }

    pub(crate) fn into_speaker(self) -> Option<Arc<dyn SpeechEngine>> {
        Some(match self {
            Client::ElevenLabs(c) => Arc::new(c),
            Client::OpenAiTts(c) => Arc::new(c),
            _ => return None,
        })
    }
}

/// The producer's route plan, or the defaults.
pub(crate) async fn saved_plan(store: &Store) -> RoutePlan {
    match store.setting(ROUTES_SETTING).await {
        Ok(Some(value)) => serde_json::from_value(value).unwrap_or_default(),
        _ => RoutePlan::default(),
    }
}

/// The `base_urls` setting.
pub(crate) async fn base_urls(store: &Store) -> BTreeMap<String, String> {
    match store.setting(BASE_URLS_SETTING).await {
        Ok(Some(value)) => serde_json::from_value(value).unwrap_or_default(),
        _ => BTreeMap::new(),
    }
}

/// The key (keyring, else environment) and base URL (environment, else `base_urls`) for `provider`.
pub(crate) async fn setup(
    keychain: &Keychain,
    environment: &Environment,
    provider: ProviderId,
    base_urls: &BTreeMap<String, String>,
) -> Setup {
    let base_url = environment
        .base_url(provider)
        .or_else(|| base_urls.get(provider.as_str()).cloned());
    let key = match key_owner(provider) {
        None => None,
        Some(owner) => match keychain.resolve(owner).await {
            Ok(Some(key)) => Some(key),
            Ok(None) => {
                return Setup::NoKey(format!(
                    "no API key (add it in Providers & keys, or set {})",
                    owner.env_var()
                ))
            }
            Err(e) => {
                return Setup::KeyUnreadable {
                    reason: format!("the key could not be read: {e}"),
                    locked: matches!(e, showrunner_secrets::SecretsError::Locked),
                }
            }
        },
    };
    Setup::Ready { key, base_url }
}

/// Builds `choice`'s client with `key` and `base_url` (the catalog's address when `None`).
pub(crate) fn build_client(
    choice: &ModelChoice,
    key: Option<Sensitive<String>>,
    base_url: Option<String>,
) -> Result<Client, ProviderError> {
    let provider = choice.provider_id().ok_or_else(|| {
        ProviderError::invalid_request(format!("'{}' is not a provider Showrunner knows", choice.provider))
    })?;
    let spec = provider.spec();
    if let Some(address) = &base_url {
        crate::base_urls::check_address(provider.as_str(), address)?;
    }
    let base_url = base_url.unwrap_or_else(|| spec.default_base_url.to_owned());
    let model = choice.model.clone();
    let missing = || ProviderError::invalid_request(format!("{} needs an API key", spec.name));
    if spec.key != KeyRule::None && key.is_none() {
        return Err(missing());
    }
    Ok(match spec.wire {
        Wire::Anthropic => Client::Anthropic(AnthropicClient::new(AnthropicConfig {
            base_url,
            ..AnthropicConfig::new(key.ok_or_else(missing)?, model)
        })?),
        Wire::Gemini => Client::Gemini(GeminiClient::new(GeminiConfig {
            base_url,
            ..GeminiConfig::new(key.ok_or_else(missing)?, model)
        })?),
        Wire::Perplexity => Client::Perplexity(PerplexityClient::new(PerplexityConfig {
            base_url,
            ..PerplexityConfig::new(key.ok_or_else(missing)?, model)
        })?),
        Wire::OpenAiCompat { max_completion_tokens } => {
            let mut config = OpenAiCompatConfig::custom(provider.as_str(), spec.name, base_url, key, model);
            if max_completion_tokens {
                config.token_limit = TokenLimitField::MaxCompletionTokens;
            }
            config.headers = spec
                .headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect();
            Client::OpenAiCompat(OpenAiCompatClient::new(config)?)
        }
        Wire::ElevenLabs => Client::ElevenLabs(ElevenLabs::new(ElevenLabsConfig {
            base_url,
            model,
            ..ElevenLabsConfig::new(key.ok_or_else(missing)?)
        })?),
        Wire::OpenAiTts => Client::OpenAiTts(OpenAiTts::new(OpenAiTtsConfig {
            base_url,
            model,
            ..OpenAiTtsConfig::new(key.ok_or_else(missing)?)
        })?),
    })
}

impl KeyedRoster {
    pub fn new(
        store: Store,
        keychain: Keychain,
        environment: Environment,
        offline_writer: Arc<dyn LanguageModel>,
        offline_speech: Arc<LocalSpeech>,
    ) -> KeyedRoster {
        KeyedRoster {
            store,
            keychain,
            environment,
            offline_writer,
            offline_speech,
            limiters: Limiters::default(),
            writers: Mutex::default(),
            speakers: Mutex::default(),
        }
    }

    /// The producer's route plan, or the defaults.
    pub async fn plan(&self) -> RoutePlan {
        saved_plan(&self.store).await
    }

    /// What a cached client was built with: a new key, address or limit rebuilds it (the limit because
    /// the client holds its limiter).
    fn fingerprint(key: &Option<Sensitive<String>>, base_url: &Option<String>, limits: &ProviderLimits) -> Fingerprint {
        let mut hash = Sha256::new();
        hash.update(key.as_ref().map(|k| k.expose().as_str()).unwrap_or_default());
        hash.update([0]);
        hash.update(base_url.as_deref().unwrap_or_default());
        hash.update([0]);
        hash.update(format!("{limits:?}"));
        hash.finalize().into()
    }

    fn build_writer(
        &self,
        choice: &ModelChoice,
        key: Option<Sensitive<String>>,
        base_url: Option<String>,
        limits: ProviderLimits,
    ) -> Result<Arc<dyn LanguageModel>, ProviderError> {
        let client = build_client(choice, key, base_url)?.into_writer().ok_or_else(|| {
            ProviderError::invalid_request(format!("'{}' is not a text provider Showrunner knows", choice.provider))
        })?;
        let limiter = self.limiters.for_provider(&choice.provider, limits);
        Ok(Arc::new(Limited::new(client, limiter)))
    }

    fn build_speaker(
        &self,
        choice: &ModelChoice,
        key: Option<Sensitive<String>>,
        base_url: Option<String>,
        limits: ProviderLimits,
    ) -> Result<Arc<dyn SpeechEngine>, ProviderError> {
        let engine = build_client(choice, key, base_url)?.into_speaker().ok_or_else(|| {
            ProviderError::invalid_request(format!(
                "'{}' is not a speech provider Showrunner knows",
                choice.provider
            ))
        })?;
        let limiter = self.limiters.for_provider(&choice.provider, limits);
        Ok(Arc::new(Limited::new(engine, limiter)))
    }
}

/// Looks `choice` up in `cache`, rebuilding it when its key or URL changed.
fn cached<T: ?Sized>(
    cache: &ClientCache<T>,
    choice: &ModelChoice,
    fingerprint: Fingerprint,
    build: impl FnOnce() -> Result<Arc<T>, ProviderError>,
) -> Result<Arc<T>, ProviderError> {
    let slot = (choice.provider.clone(), choice.model.clone());
    if let Ok(cache) = cache.lock() {
        if let Some((known, member)) = cache.get(&slot) {
            if *known == fingerprint {
                return Ok(member.clone());
            }
        }
    }
    let member = build()?;
    if let Ok(mut cache) = cache.lock() {
        cache.insert(slot, (fingerprint, member.clone()));
    }
    Ok(member)
}

#[async_trait::async_trait]
impl Roster for KeyedRoster {
    async fn writers(&self, job: Job) -> Casting<dyn LanguageModel> {
        let plan = self.plan().await;
        let base_urls = base_urls(&self.store).await;
        let saved_limits = saved_limits(&self.store).await;
        let mut casting = Casting {
            cast: Vec::new(),
            skipped: Vec::new(),
        };
        for choice in plan.route(job) {
            let name = format!("{} · {}", choice.provider, choice.model);
            let Some(provider) = choice.provider_id() else {
                casting.skipped.push(format!("{name}: not a provider Showrunner knows"));
                continue;
            };
            match setup(&self.keychain, &self.environment, provider, &base_urls).await {
                Setup::NoKey(reason) | Setup::KeyUnreadable { reason, .. } => {
                    casting.skipped.push(format!("{name}: {reason}"))
                }
                Setup::Ready { key, base_url } => {
                    let limits = limits_for(provider, &saved_limits);
                    let print = Self::fingerprint(&key, &base_url, &limits);
                    match cached(&self.writers, choice, print, || {
                        self.build_writer(choice, key, base_url, limits)
                    }) {
                        Ok(member) => casting.cast.push(member),
                        Err(e) => casting.skipped.push(format!("{name}: {e}")),
                    }
                }
            }
        }
        casting.cast.push(self.offline_writer.clone());
        casting
    }

    async fn speakers(&self) -> Casting<dyn SpeechEngine> {
        let plan = self.plan().await;
        let base_urls = base_urls(&self.store).await;
        let saved_limits = saved_limits(&self.store).await;
        let mut casting = Casting {
            cast: Vec::new(),
            skipped: Vec::new(),
        };
        for choice in plan.route(Job::Speak) {
            let name = format!("{} · {}", choice.provider, choice.model);
            let Some(provider) = choice.provider_id() else {
                casting.skipped.push(format!("{name}: not a provider Showrunner knows"));
                continue;
            };
            match setup(&self.keychain, &self.environment, provider, &base_urls).await {
                Setup::NoKey(reason) | Setup::KeyUnreadable { reason, .. } => {
                    casting.skipped.push(format!("{name}: {reason}"))
                }
                Setup::Ready { key, base_url } => {
                    let limits = limits_for(provider, &saved_limits);
                    let print = Self::fingerprint(&key, &base_url, &limits);
                    match cached(&self.speakers, choice, print, || {
                        self.build_speaker(choice, key, base_url, limits)
                    }) {
                        Ok(member) => casting.cast.push(member),
                        Err(e) => casting.skipped.push(format!("{name}: {e}")),
                    }
                }
            }
        }
        let local = self.offline_speech.cast();
        casting.cast.extend(local.cast);
        casting.skipped.extend(local.skipped);
        casting
    }
}

/// The offline crew alone (`--offline`): the rehearsal writer, and an installed Piper voice before system
/// speech.
pub struct LocalRoster {
    pub writer: Arc<dyn LanguageModel>,
    pub speech: Arc<LocalSpeech>,
}

#[async_trait::async_trait]
impl Roster for LocalRoster {
    async fn writers(&self, _job: Job) -> Casting<dyn LanguageModel> {
        Casting::only(self.writer.clone())
    }

    async fn speakers(&self) -> Casting<dyn SpeechEngine> {
        self.speech.cast()
    }
}
