//! Which credential store a `Keychain` talks to, and how it builds a keyring entry there.
//!
//! Invariants:
//! - Entries are built from an explicit credential builder, never from keyring's process-wide default
//!   builder: that global is shared mutable state, and parallel tests (or two keychains) would race on it.
//! - A backend that isn't compiled in for this platform, or is switched off, is reported as
//!   `SecretsError::Unavailable`, so callers handle it exactly like a missing keyring.

use std::fmt;

use keyring::{CredentialBuilder, Entry};

use crate::platform_error::from_keyring;
use crate::SecretsError;

/// Environment variable that forces a backend: `secret-service`, `keyutils` or `none`. Unset or empty means
/// the platform default. Meant for CI and headless machines, not for end users.
pub const BACKEND_ENV_VAR: &str = "SHOWRUNNER_KEYRING";

/// A credential store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyringBackend {
    /// The platform's own store: Keychain on macOS, Credential Manager on Windows, Secret Service (GNOME
    /// Keyring, KWallet) on Linux and the BSDs.
    PlatformDefault,
    /// Secret Service over D-Bus (Linux and the BSDs).
    SecretService,
    /// The Linux kernel keyring. Lost on reboot and needs a usable session keyring (`keyctl session -`),
    /// so it suits CI rather than desktops.
    Keyutils,
    /// No keyring at all: every keyring operation reports `Unavailable` and keys come only from the
    /// environment. For servers that must never prompt.
    Disabled,
}

impl KeyringBackend {
    /// Reads [`BACKEND_ENV_VAR`]. An unrecognised value is an error rather than a silent fallback, so a CI
    /// typo can't quietly test the wrong store.
    pub fn from_env() -> Result<Self, SecretsError> {
        Self::from_env_value(std::env::var(BACKEND_ENV_VAR).ok().as_deref())
    }

    /// Interprets a value of [`BACKEND_ENV_VAR`] (`None` when unset).
    pub fn from_env_value(value: Option<&str>) -> Result<Self, SecretsError> {
        match value.map(str::trim) {
            None | Some("") => Ok(Self::PlatformDefault),
            Some("secret-service") => Ok(Self::SecretService),
            Some("keyutils") => Ok(Self::Keyutils),
            Some("none") => Ok(Self::Disabled),
            Some(other) => Err(SecretsError::unavailable(format!(
                "{BACKEND_ENV_VAR}={other:?} is not a keyring backend; use secret-service, keyutils or none"
            ))),
        }
    }

    /// A keyring entry for `user` under `service` in this store. Building touches no storage.
    pub(crate) fn entry(self, service: &str, user: &str) -> Result<Entry, SecretsError> {
        let builder = self.credential_builder()?;
        let credential = builder
            .build(None, service, user)
            .map_err(|error| from_keyring(error, "open"))?;
        Ok(Entry::new_with_credential(credential))
    }

    fn credential_builder(self) -> Result<Box<CredentialBuilder>, SecretsError> {
        match self {
            Self::PlatformDefault => Ok(keyring::default::default_credential_builder()),
            Self::SecretService => secret_service_builder(),
            Self::Keyutils => keyutils_builder(),
            Self::Disabled => Err(SecretsError::unavailable(format!(
                "the keyring is switched off by {BACKEND_ENV_VAR}=none"
            ))),
        }
    }
}

impl fmt::Display for KeyringBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PlatformDefault => "platform-default",
            Self::SecretService => "secret-service",
            Self::Keyutils => "keyutils",
            Self::Disabled => "none",
        })
    }
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn secret_service_builder() -> Result<Box<CredentialBuilder>, SecretsError> {
    Ok(keyring::secret_service::default_credential_builder())
}

#[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
fn secret_service_builder() -> Result<Box<CredentialBuilder>, SecretsError> {
    Err(SecretsError::unavailable(
        "the Secret Service backend exists only on Linux and the BSDs",
    ))
}

#[cfg(target_os = "linux")]
fn keyutils_builder() -> Result<Box<CredentialBuilder>, SecretsError> {
    Ok(keyring::keyutils::default_credential_builder())
}

#[cfg(not(target_os = "linux"))]
fn keyutils_builder() -> Result<Box<CredentialBuilder>, SecretsError> {
    Err(SecretsError::unavailable(
        "the kernel keyring (keyutils) backend exists only on Linux",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_env_values_select_their_backend() {
        let cases = [
            (None, KeyringBackend::PlatformDefault),
            (Some(""), KeyringBackend::PlatformDefault),
            (Some("secret-service"), KeyringBackend::SecretService),
            (Some(" keyutils\n"), KeyringBackend::Keyutils),
            (Some("none"), KeyringBackend::Disabled),
        ];
        for (value, expected) in cases {
            assert_eq!(KeyringBackend::from_env_value(value), Ok(expected));
        }
    }

    #[test]
    fn an_unknown_env_value_is_reported_as_unavailable_and_named() {
        let error = KeyringBackend::from_env_value(Some("kwallet"))
            .expect_err("a typo in CI must not silently pick another store");
        assert_eq!(error.code(), "keyring_unavailable");
        assert!(
            error.to_string().contains("\"kwallet\""),
            "the message must show the bad value so it can be fixed: {error}"
        );
    }

    #[test]
    fn the_disabled_backend_never_builds_an_entry() {
        let error = KeyringBackend::Disabled
            .entry("dev.showrunner.test", "anthropic")
            .expect_err("a switched-off keyring must not reach any store");
        assert_eq!(error.code(), "keyring_unavailable");
    }
}
