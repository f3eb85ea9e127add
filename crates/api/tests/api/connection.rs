//! "Test connection" against the Anthropic fake: the same key resolution and base URL a run uses, and each
//! verdict a producer can get. Each app reads its own environment (`Environment`), opened beside the first
//! one as a reader.

use crate::support::keyed_app::NO_KEYRING;
use serde_json::json;
use showrunner_api::connection::{self, ConnectionOutcome};
use showrunner_api::roster::BASE_URLS_SETTING;
use showrunner_api::{Access, App, AppOptions, Environment, ErrorCode};
use showrunner_provider_fakes::{FakeConfig, Fault};

const RIGHT_KEY: &str = "sk-ant-right-key-4c1d";
const WRONG_KEY: &str = "sk-ant-wrong-key-9e7b";

/// An address where nothing answers.
fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

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

async fn point_at(app: &App, url: &str) {
    app.store()
        .put_setting(BASE_URLS_SETTING, &json!({ "anthropic": url }), app.now_ms())
        .await
        .unwrap();
}

#[tokio::test]
async fn test_connection_says_whether_the_key_and_address_work() {
    let fake = showrunner_provider_fakes::anthropic::start(FakeConfig::answering(RIGHT_KEY, json!({}))).await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &[]).await;
    point_at(&app, &fake.base_url()).await;

    let none = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(none.verdict, ConnectionOutcome::NoKey, "{}", none.message);
    assert!(none.message.contains("ANTHROPIC_API_KEY"), "{}", none.message);
    assert_eq!(fake.request_count(), 0, "nothing is sent without a key");

    let app = app_with(dir.path(), &[("ANTHROPIC_API_KEY", RIGHT_KEY)]).await;
    let ok = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(ok.verdict, ConnectionOutcome::Ok, "{}", ok.message);
    // The check asks for the model the routes use, at the cost of one output token.
    assert_eq!(ok.model.as_deref(), Some("claude-sonnet-4-5"));
    let ping = fake.requests()[0].json();
    assert_eq!(ping["model"], "claude-sonnet-4-5");
    assert_eq!(ping["max_tokens"], 1);

    fake.script().fail_next(Fault::QuotaExceeded);
    let broke = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(broke.verdict, ConnectionOutcome::OutOfQuota, "{}", broke.message);

    let wrong = app_with(dir.path(), &[("ANTHROPIC_API_KEY", WRONG_KEY)]).await;
    let bad = connection::test_connection(&wrong, "anthropic").await.unwrap();
    assert_eq!(bad.verdict, ConnectionOutcome::BadKey, "{}", bad.message);
    assert!(
        !bad.message.contains(WRONG_KEY),
        "the key was echoed back: {}",
        bad.message
    );

    point_at(&app, &nothing_listening()).await;
    let away = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(away.verdict, ConnectionOutcome::Unreachable, "{}", away.message);

    for verdict in [&none, &ok, &broke, &bad, &away] {
        let json = serde_json::to_string(verdict).unwrap();
        assert!(
            !json.contains(RIGHT_KEY) && !json.contains(WRONG_KEY),
            "a key reached the reply: {json}"
        );
    }

    let unknown = connection::test_connection(&app, "acme").await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput);
    assert_eq!(unknown.details.unwrap()["errors"][0]["field"], "provider");
}
