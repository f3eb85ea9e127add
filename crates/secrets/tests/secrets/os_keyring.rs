//! Tests against a real OS keyring. Their bodies run only when the machine is prepared for them (see each
//! test); otherwise they print why they were skipped and pass.

use std::path::PathBuf;
use std::time::Duration;

use showrunner_secrets::{
    KeySource, Keychain, KeyedProvider, KeyringBackend, SecretsError, Sensitive, BACKEND_ENV_VAR,
};

use crate::support::{fake_key, keyed, unique_service};
use showrunner_domain::ProviderId;

/// Long enough for a slow CI machine, short enough that a hang fails the test instead of the job.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(30);

/// Deletes the test's key even when an assertion fails midway, so a developer's real keyring isn't left
/// with test items. Runs on its own thread and runtime because `Drop` can't await.
struct DeleteOnDrop(Keychain, KeyedProvider);

impl Drop for DeleteOnDrop {
    fn drop(&mut self) {
        let (keychain, provider) = (self.0.clone(), self.1);
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(runtime) = runtime {
                let _ = runtime.block_on(keychain.delete(provider));
            }
        });
        let _ = cleanup.join();
    }
}

// Multi-threaded like Tauri's runtime: calling the Secret Service backend from a task here would panic
// without the crate's spawn_blocking.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_round_trip_through_the_real_os_keyring() {
    let Ok(backend) = std::env::var(BACKEND_ENV_VAR) else {
        println!("skipped: set {BACKEND_ENV_VAR}=secret-service or keyutils to run against a real keyring");
        return;
    };
    let service = unique_service("round_trip");
    let provider = keyed(ProviderId::Anthropic);
    let writer = Keychain::with_service(service.clone()).with_environment(|_| None);
    assert!(
        writer.backend().is_ok(),
        "{BACKEND_ENV_VAR}={backend:?} must name a backend"
    );
    let _cleanup = DeleteOnDrop(writer.clone(), provider);
    let key = fake_key("Rt42");

    let stored = tokio::time::timeout(
        KEYRING_TIMEOUT,
        writer.set(provider, Sensitive::new(format!("{key}\n"))),
    )
    .await
    .expect("storing must not hang")
    .unwrap_or_else(|error| panic!("storing in the {backend} keyring failed: {error} ({})", error.code()));
    assert_eq!(stored.source, KeySource::Keyring);
    assert_eq!(stored.ends_with.as_deref(), Some("Rt42"));

    // A new value with a different environment: only the store itself can carry the key across.
    let reader = Keychain::with_service(service.clone())
        .with_environment(|name| (name == "ANTHROPIC_API_KEY").then(|| fake_key("Env0")));
    let read = reader.get(provider).await.expect("reading back must succeed");
    assert_eq!(
        read.as_ref().map(|secret| secret.expose().as_str()),
        Some(key.as_str()),
        "the key must persist in the store, trimmed, not in per-object memory"
    );
    let resolved = reader.resolve(provider).await.expect("resolving must succeed");
    assert_eq!(
        resolved.as_ref().map(|secret| secret.expose().as_str()),
        Some(key.as_str()),
        "a key the producer stored in the app wins over the environment"
    );
    let status = reader.status(provider).await.expect("status must succeed");
    assert!(status.set);
    assert_eq!(status.source, KeySource::Keyring);
    assert_eq!(status.ends_with.as_deref(), Some("Rt42"));
    assert!(
        reader
            .get(keyed(ProviderId::Gemini))
            .await
            .expect("reading an absent key succeeds")
            .is_none(),
        "keys are stored per provider"
    );

    let after_delete = reader.delete(provider).await.expect("deleting must succeed");
    assert_eq!(
        after_delete.source,
        KeySource::Environment,
        "after deleting, the status says which key would be used now"
    );
    assert!(
        writer
            .get(provider)
            .await
            .expect("reading after delete succeeds")
            .is_none(),
        "a deleted key must be gone for every keychain value"
    );
    let again = writer
        .delete(provider)
        .await
        .expect("deleting an absent key is not an error");
    assert_eq!(again.source, KeySource::None);
    assert!(!again.set);
}

/// Where zbus looks for the session bus when `DBUS_SESSION_BUS_ADDRESS` is unset.
fn default_session_bus_socket() -> PathBuf {
    let runtime_dir = std::env::var("XDG_RUNTIME_DIR").unwrap_or_else(|_| format!("/run/user/{}", effective_uid()));
    PathBuf::from(runtime_dir).join("bus")
}

/// The effective uid from procfs; avoids an unsafe libc call in a crate that denies unsafe code.
fn effective_uid() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(str::to_owned))
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_dbus_session_the_secret_service_is_reported_unavailable() {
    if cfg!(not(target_os = "linux")) {
        println!("skipped: the Secret Service backend is Linux-only here");
        return;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || default_session_bus_socket().exists() {
        println!("skipped: a D-Bus session bus is reachable, so this machine can't show its absence");
        return;
    }
    let keychain = Keychain::with_service(unique_service("no_dbus"))
        .with_backend(KeyringBackend::SecretService)
        .with_environment(|_| None);

    let result = tokio::time::timeout(
        KEYRING_TIMEOUT,
        keychain.set(keyed(ProviderId::OpenAi), Sensitive::new(fake_key("NoDb"))),
    )
    .await
    .expect("a missing bus must fail fast, not hang the command");
    match result {
        Err(SecretsError::Unavailable { detail }) => assert!(
            detail.contains("D-Bus"),
            "the detail should say what is missing: {detail}"
        ),
        other => {
            panic!("expected keyring_unavailable so the UI can explain the fix, got {other:?}")
        }
    }
}
