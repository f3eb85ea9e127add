//! Integration tests for showrunner-secrets: one binary, one module per concern.
//!
//! `os_keyring` talks to a real OS keyring only when `SHOWRUNNER_KEYRING` is set (CI runs it under
//! keyutils and under gnome-keyring); every other module runs anywhere without a keyring.

mod environment_fallback;
mod os_keyring;
mod provider_key;
mod sensitive;
mod support;
