//! Showrunner secrets: API keys in the OS keyring, behind a type that refuses to print or serialize.
//!
//! - [`Sensitive`] wraps a secret: `<redacted>` in `Debug`/`Display`, an error from `Serialize`.
//! - [`Keychain`] stores one key per [`KeyedProvider`] in the OS keyring (every call on a blocking thread)
//!   and falls back to the provider's environment variable for the CLI and CI.
//! - [`KeyStatus`] is what the UI may see about a key: set or not, where from, its last four characters.
//! - [`SecretsError`] has stable `code()`s; no error message ever contains a key.
//!
//! This crate depends on no other Showrunner crate.

mod backend;
mod error;
mod key_rules;
mod key_status;
mod keychain;
mod platform_error;
mod provider_key;
mod sensitive;

pub use backend::{KeyringBackend, BACKEND_ENV_VAR};
pub use error::SecretsError;
pub use key_status::{KeySource, KeyStatus};
pub use keychain::{Keychain, SYSTEM_SERVICE};
pub use provider_key::KeyedProvider;
pub use sensitive::Sensitive;
