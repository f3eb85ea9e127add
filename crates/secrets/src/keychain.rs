//! `Keychain`: provider API keys in the OS keyring, with the conventional environment variables as the
//! fallback for the CLI and CI.
//!
//! Invariants:
//! - Every keyring call runs on tokio's blocking pool (`spawn_blocking`). keyring's async Secret Service
//!   backend starts its own runtime and panics ("Cannot start a runtime from within a runtime") when called
//!   from a tokio task, which is where Tauri commands run; the native stores block on I/O or prompts anyway.
//!   So the async methods must be awaited on a tokio runtime.
//! - Keys are written to the keyring and nowhere else. If there is no keyring, `set` fails with
//!   `Unavailable`; there is no plaintext fallback file.
//! - A key is never logged: log lines carry the provider id, the backend and error codes only.
//! - Each call builds a fresh entry, so what one `Keychain` value stores another one reads (the store is
//!   the only state).

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};

use keyring::Entry;

use crate::key_rules::normalize;
use crate::platform_error::from_keyring;
use crate::{KeySource, KeyStatus, KeyedProvider, KeyringBackend, SecretsError, Sensitive};

/// The keyring service name the desktop app and the CLI share.
pub const SYSTEM_SERVICE: &str = "dev.showrunner.app";

/// Reads an environment variable; replaceable so tests don't mutate the process environment.
type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Provider API keys in one keyring service. Cheap to clone.
#[derive(Clone)]
pub struct Keychain {
    service: Arc<str>,
    /// An unusable `SHOWRUNNER_KEYRING` value is kept as its error and returned by every keyring call, so
    /// construction stays infallible and the settings screen can show the problem.
    backend: Result<KeyringBackend, SecretsError>,
    environment: EnvLookup,
    /// Providers whose keyring fallback was already said: the warning is news once, not on every call
    /// (a CLI run resolves keys for each provider call). Shared by clones, so once per app.
    fallback_said: Arc<Mutex<HashSet<KeyedProvider>>>,
}

impl Keychain {
    /// The app's keychain: service [`SYSTEM_SERVICE`], the platform's store unless `SHOWRUNNER_KEYRING`
    /// says otherwise.
    pub fn system() -> Self {
        Self::with_service(SYSTEM_SERVICE)
    }

    /// A keychain under another service name (tests use a unique one each), with the backend chosen like
    /// [`Keychain::system`].
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: Arc::from(service.into()),
            backend: KeyringBackend::from_env(),
            environment: Arc::new(|name: &str| std::env::var(name).ok()),
            fallback_said: Arc::default(),
        }
    }

    /// Uses `backend` regardless of `SHOWRUNNER_KEYRING`.
    pub fn with_backend(mut self, backend: KeyringBackend) -> Self {
        self.backend = Ok(backend);
        self
    }

    /// Picks the store as a `SHOWRUNNER_KEYRING` value of `setting` would (`None`: the platform's), for an app
    /// that reads its configuration from an environment of its own rather than the process's.
    pub fn with_backend_setting(mut self, setting: Option<&str>) -> Self {
        self.backend = KeyringBackend::from_env_value(setting);
        self
    }

    /// Reads the fallback environment variables through `lookup` instead of the process environment.
    pub fn with_environment<F>(mut self, lookup: F) -> Self
    where
        F: Fn(&str) -> Option<String> + Send + Sync + 'static,
    {
        self.environment = Arc::new(lookup);
        self
    }

    /// The keyring service name entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The store this keychain uses, or why it has none.
    pub fn backend(&self) -> Result<KeyringBackend, SecretsError> {
        self.backend.clone()
    }

    /// Stores `key` for `provider` after trimming it; rejects an empty key or one containing whitespace.
    pub async fn set(&self, provider: KeyedProvider, key: Sensitive<String>) -> Result<KeyStatus, SecretsError> {
        let key = normalize(provider, &key)?;
        let status = KeyStatus::describe(provider, Some((&key, KeySource::Keyring)));
        self.on_blocking_thread(provider, move |entry| {
            entry
                .set_password(key.expose())
                .map_err(|error| from_keyring(error, "store"))
        })
        .await?;
        tracing::info!(provider = provider.id(), service = %self.service, "stored API key in the keyring");
        Ok(status)
    }

    /// The key stored in the keyring for `provider`, ignoring the environment.
    pub async fn get(&self, provider: KeyedProvider) -> Result<Option<Sensitive<String>>, SecretsError> {
        self.on_blocking_thread(provider, |entry| match entry.get_password() {
            Ok(key) => Ok(Some(Sensitive::new(key))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(from_keyring(error, "read")),
        })
        .await
    }

    /// Removes the stored key; removing an absent key succeeds. Returns the status afterwards, which can
    /// still be "set" when the environment variable provides a key.
    pub async fn delete(&self, provider: KeyedProvider) -> Result<KeyStatus, SecretsError> {
        self.on_blocking_thread(provider, |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(from_keyring(error, "delete")),
        })
        .await?;
        tracing::info!(provider = provider.id(), service = %self.service, "deleted API key from the keyring");
        let fallback = self.environment_key(provider);
        Ok(KeyStatus::describe(
            provider,
            fallback.as_ref().map(|key| (key, KeySource::Environment)),
        ))
    }

    /// Whether `provider` has a usable key and where it comes from, as [`Keychain::resolve`] would find it.
    pub async fn status(&self, provider: KeyedProvider) -> Result<KeyStatus, SecretsError> {
        let found = self.resolve_with_source(provider).await?;
        Ok(KeyStatus::describe(
            provider,
            found.as_ref().map(|(key, source)| (key, *source)),
        ))
    }

    /// The key to call `provider` with: the keyring's, else the environment variable's. When the keyring
    /// fails (none installed, locked, broken) and the variable is set, the variable wins, because on a CI
    /// machine or server that is the key the user meant; otherwise the keyring's error is returned.
    pub async fn resolve(&self, provider: KeyedProvider) -> Result<Option<Sensitive<String>>, SecretsError> {
        Ok(self.resolve_with_source(provider).await?.map(|(key, _source)| key))
    }

    async fn resolve_with_source(
        &self,
        provider: KeyedProvider,
    ) -> Result<Option<(Sensitive<String>, KeySource)>, SecretsError> {
        match self.get(provider).await {
            Ok(Some(key)) => Ok(Some((key, KeySource::Keyring))),
            Ok(None) => Ok(self.environment_key(provider).map(|key| (key, KeySource::Environment))),
            Err(error) => match self.environment_key(provider) {
                Some(key) => {
                    if self.first_fallback(provider) {
                        tracing::warn!(
                            provider = provider.id(),
                            code = error.code(),
                            env_var = provider.env_var(),
                            "keyring unusable; using the environment variable"
                        );
                    }
                    Ok(Some((key, KeySource::Environment)))
                }
                None => Err(error),
            },
        }
    }

    /// True the first time `provider` falls back to its environment variable in this keychain's life.
    fn first_fallback(&self, provider: KeyedProvider) -> bool {
        self.fallback_said
            .lock()
            .map(|mut said| said.insert(provider))
            .unwrap_or(true)
    }

    /// The provider's environment variable, trimmed; empty counts as unset.
    fn environment_key(&self, provider: KeyedProvider) -> Option<Sensitive<String>> {
        let raw = Sensitive::new((self.environment)(provider.env_var())?);
        let trimmed = raw.expose().trim();
        (!trimmed.is_empty()).then(|| Sensitive::new(trimmed.to_owned()))
    }

    /// Runs `operation` on the provider's keyring entry on the blocking pool (see the module invariants).
    async fn on_blocking_thread<R, F>(&self, provider: KeyedProvider, operation: F) -> Result<R, SecretsError>
    where
        R: Send + 'static,
        F: FnOnce(Entry) -> Result<R, SecretsError> + Send + 'static,
    {
        let backend = self.backend.clone()?;
        let service = Arc::clone(&self.service);
        tokio::task::spawn_blocking(move || operation(backend.entry(&service, provider.id())?))
            .await
            // The join error's panic payload is not formatted: it is foreign text we can't vouch for.
            .map_err(|_join_error| {
                SecretsError::Platform(
                    "the keyring call stopped before finishing (it panicked or the runtime is shutting down)"
                        .to_owned(),
                )
            })?
    }
}

impl fmt::Debug for Keychain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keychain")
            .field("service", &self.service)
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}
