//! Behaviour that needs no keyring: validation, and the environment fallback with the keyring switched off.
//! The environment is injected (`with_environment`) so no test mutates the shared process environment.

use showrunner_secrets::{KeySource, KeyStatus, Keychain, KeyringBackend, SecretsError, Sensitive};

use crate::support::{fake_key, keyed, unique_service};
use showrunner_domain::ProviderId;

/// A keychain with no keyring whose environment holds only `vars`.
fn keyring_off_with_env(test: &str, vars: &[(&'static str, String)]) -> Keychain {
    let vars = vars.to_vec();
    Keychain::with_service(unique_service(test))
        .with_backend(KeyringBackend::Disabled)
        .with_environment(move |name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| value.clone())
        })
}

#[tokio::test]
async fn malformed_keys_are_rejected_before_the_keyring_is_touched() {
    let keychain = keyring_off_with_env("malformed", &[]);
    for raw in ["", "   \n", "sk-ant part-two", "sk-ant\nsecond-line", "sk-ant\tx"] {
        let result = keychain
            .set(keyed(ProviderId::Anthropic), Sensitive::new(raw.to_owned()))
            .await;
        match result {
            Err(SecretsError::InvalidKey(message)) => {
                assert!(
                    message.contains("Anthropic (Claude)"),
                    "the message must name the provider: {message}"
                );
                assert!(
                    raw.trim().is_empty() || !message.contains(raw.trim()),
                    "the message must not echo the key: {message}"
                );
            }
            other => panic!(
                "{raw:?} must be rejected as invalid_key even with no keyring (validation comes first), got {other:?}"
            ),
        }
    }
}

#[tokio::test]
async fn an_environment_key_is_resolved_and_reported_with_source_environment() {
    let keychain = keyring_off_with_env(
        "env_fallback",
        &[("GEMINI_API_KEY", format!("  {}\n", fake_key("Gx7q")))],
    );

    let resolved = keychain
        .resolve(keyed(ProviderId::Gemini))
        .await
        .expect("an unusable keyring must not hide a key the environment provides");
    assert_eq!(
        resolved.as_ref().map(|key| key.expose().as_str()),
        Some(fake_key("Gx7q").as_str()),
        "the environment key is used, trimmed"
    );

    let status = keychain
        .status(keyed(ProviderId::Gemini))
        .await
        .expect("status mirrors resolve, so it must succeed too");
    assert_eq!(
        status,
        KeyStatus {
            provider: "gemini".to_owned(),
            set: true,
            ends_with: Some("Gx7q".to_owned()),
            source: KeySource::Environment,
        },
        "the settings screen must show that this key comes from the environment"
    );
}

#[tokio::test]
async fn a_status_shows_only_the_last_four_characters_of_the_key() {
    let key = fake_key("Zz91");
    let keychain = keyring_off_with_env("hint", &[("OPENAI_API_KEY", key.clone())]);
    let status = keychain
        .status(keyed(ProviderId::OpenAi))
        .await
        .expect("the environment provides the key");
    assert_eq!(status.ends_with.as_deref(), Some("Zz91"));
    let json = serde_json::to_string(&status).expect("a status is plain IPC data");
    assert!(
        !json.contains(&key[..key.len() - 4]),
        "nothing but the last four characters may reach the UI: {json}"
    );
    assert_eq!(
        json, r#"{"provider":"openai","set":true,"ends_with":"Zz91","source":"environment"}"#,
        "the UI relies on this exact shape"
    );
}

#[tokio::test]
async fn without_keyring_or_environment_resolve_reports_the_missing_keyring() {
    let keychain = keyring_off_with_env("nothing", &[("PERPLEXITY_API_KEY", "   ".to_owned())]);
    let error = keychain
        .resolve(keyed(ProviderId::Perplexity))
        .await
        .expect_err("a blank variable is no key, and the keyring's failure must not be swallowed");
    assert_eq!(error.code(), "keyring_unavailable");
}

#[tokio::test]
async fn storing_without_a_keyring_fails_instead_of_writing_the_key_elsewhere() {
    let keychain = keyring_off_with_env("no_store", &[]);
    let error = keychain
        .set(keyed(ProviderId::ElevenLabs), Sensitive::new(fake_key("El11")))
        .await
        .expect_err("with no keyring there is nowhere safe to put the key");
    assert!(matches!(error, SecretsError::Unavailable { .. }), "got {error:?}");
    assert!(
        error.to_string().contains("ANTHROPIC_API_KEY"),
        "the message must point to environment variables as the alternative: {error}"
    );
    assert!(
        !error.to_string().contains("El11"),
        "no part of the key may appear: {error}"
    );
}

/// Collects what the log would print, so a test can count lines.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_fallback_to_the_environment_is_said_once_per_provider_not_per_call() {
    let log = LogBuffer::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let keychain = keyring_off_with_env(
                "fallback_said_once",
                &[
                    ("GEMINI_API_KEY", fake_key("Gm01")),
                    ("OPENROUTER_API_KEY", fake_key("Or01")),
                ],
            );
            let copy = keychain.clone();
            for _ in 0..5 {
                keychain.resolve(keyed(ProviderId::Gemini)).await.unwrap().unwrap();
                copy.resolve(keyed(ProviderId::Gemini)).await.unwrap().unwrap();
            }
            keychain.resolve(keyed(ProviderId::OpenRouter)).await.unwrap().unwrap();
        });
    });
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let said: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("keyring unusable; using the environment variable"))
        .collect();
    assert_eq!(
        said.len(),
        2,
        "once for Gemini, once for OpenRouter, across clones: {text}"
    );
    assert!(said.iter().any(|l| l.contains("GEMINI_API_KEY")));
    assert!(said.iter().any(|l| l.contains("OPENROUTER_API_KEY")));
    assert!(!text.contains(&fake_key("Gm01")), "a key is never logged");
}
