//! The host-voice pickers against the ElevenLabs fake: the account's voices with their preview samples, the
//! key sent in a header only, and the coded errors the form shows. Each app reads its own environment
//! (`Environment`), opened beside the first one as a reader.

use crate::support::keyed_app::NO_KEYRING;
use serde_json::json;
use showrunner_api::{voices, Access, App, AppOptions, Environment, ErrorCode};
use showrunner_provider_fakes::{FakeConfig, Fault};

const KEY: &str = "el-right-key-5f2a";

/// A reader on `dir` whose environment holds exactly `vars`.
async fn app_with(dir: &std::path::Path, vars: &[(&str, &str)]) -> App {
    let options = AppOptions {
        data_dir: Some(dir.to_path_buf()),
        offline: false,
    };
    App::open_in(
        options,
        Access::ReadOnly,
        Environment::from_pairs(vars.iter().copied().chain(NO_KEYRING)),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn list_voices_offers_each_engines_voices_or_says_what_is_missing() {
    let fake = showrunner_provider_fakes::elevenlabs::start(FakeConfig::answering(KEY, json!({}))).await;
    let url = fake.base_url();
    let at_fake = ("SHOWRUNNER_ELEVENLABS_BASE_URL", url.as_str());
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &[at_fake]).await;

    let missing = voices::list_voices(&app, "elevenlabs").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NoKey, "{}", missing.message);
    assert_eq!(missing.message, "Add an ElevenLabs key to choose its voices.");
    assert_eq!(fake.request_count(), 0, "nothing is sent without a key");
    let openai = voices::list_voices(&app, "openai_tts").await.unwrap_err();
    assert_eq!(openai.code, ErrorCode::NoKey, "{}", openai.message);

    let app = app_with(dir.path(), &[at_fake, ("ELEVENLABS_API_KEY", KEY)]).await;
    let listed = voices::list_voices(&app, "elevenlabs").await.unwrap();
    let names: Vec<&str> = listed.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Rachel", "Antoni", "Bella", "Nadia"]);
    let nadia = &listed[3];
    assert_eq!(
        nadia.id, "Zq7hostClonedVoice01",
        "the account's own voices are offered too"
    );
    assert!(
        nadia
            .preview_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/previews/Zq7hostClonedVoice01")),
        "{nadia:?}"
    );
    assert_eq!(nadia.description.as_deref(), Some("british, female, narration"));
    let sent = &fake.requests()[0];
    assert_eq!((sent.method.as_str(), sent.uri.as_str()), ("GET", "/v1/voices"));
    assert_eq!(sent.header("xi-api-key"), Some(KEY), "the key goes in a header");
    assert!(!sent.uri.contains(KEY), "the key never goes in the URL");

    fake.script().fail_next(Fault::QuotaExceeded);
    let refused = voices::list_voices(&app, "elevenlabs").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Provider, "{}", refused.message);
    let app = app_with(dir.path(), &[at_fake, ("ELEVENLABS_API_KEY", "el-wrong-key-0000")]).await;
    let bad = voices::list_voices(&app, "elevenlabs").await.unwrap_err();
    assert_eq!(bad.code, ErrorCode::Provider, "{}", bad.message);
    for error in [&missing, &refused, &bad] {
        let json = serde_json::to_string(error).unwrap();
        assert!(
            !json.contains(KEY) && !json.contains("el-wrong-key"),
            "a key reached the reply: {json}"
        );
    }

    let app = app_with(dir.path(), &[at_fake, ("OPENAI_API_KEY", "sk-openai-test-key")]).await;
    let openai = voices::list_voices(&app, "openai_tts").await.unwrap();
    assert_eq!(openai[0].id, "alloy");
    assert_eq!(openai[0].name, "Alloy");

    let system = voices::list_voices(&app, app.speech().id()).await.unwrap();
    assert!(!system.is_empty());

    let unknown = voices::list_voices(&app, "acme").await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput);
}
