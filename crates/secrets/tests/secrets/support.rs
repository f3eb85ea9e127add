//! Helpers shared by the test modules.

use std::time::{SystemTime, UNIX_EPOCH};

/// A keyring service name no other test, run or developer uses, so tests never see each other's keys.
pub fn unique_service(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("dev.showrunner.test.{test}.{}.{nanos}", std::process::id())
}

/// A realistic-looking (fake) key whose last four characters are `tail`.
pub fn fake_key(tail: &str) -> String {
    format!("sk-test-0123456789abcdefghij-{tail}")
}

/// `provider`'s keyring entry; every provider the tests name has one.
pub fn keyed(provider: showrunner_domain::ProviderId) -> showrunner_secrets::KeyedProvider {
    showrunner_secrets::KeyedProvider::entry(provider).expect("a provider with its own key")
}
