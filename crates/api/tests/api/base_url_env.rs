//! The address saved on the Providers page is the one "Test connection" calls, and the
//! `SHOWRUNNER_ANTHROPIC_BASE_URL` environment variable wins over it (and says so). The variable is read
//! when the app opens (`Environment`): each environment is its own app.

use crate::support::keyed_app::NO_KEYRING;
use serde_json::json;
use showrunner_api::base_urls::set_base_url;
use showrunner_api::connection::{self, ConnectionOutcome};
use showrunner_api::dto::{BaseUrlSource, BaseUrlView};
use showrunner_api::{keys, Access, App, AppOptions, Environment};
use showrunner_provider_fakes::FakeConfig;

const KEY: &str = "sk-ant-right-key-4c1d";
const ENV_VAR: &str = "SHOWRUNNER_ANTHROPIC_BASE_URL";

/// An address where nothing answers.
fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

async fn listed(app: &App) -> BaseUrlView {
    let providers = keys::list_providers(app).await.unwrap();
    let card = providers.into_iter().find(|p| p.id == "anthropic").unwrap();
    card.base_url.unwrap()
}

#[tokio::test]
async fn test_connection_goes_to_the_saved_address_and_the_environment_variable_wins() {
    let fake = showrunner_provider_fakes::anthropic::start(FakeConfig::answering(KEY, json!({}))).await;
    let dir = tempfile::tempdir().unwrap();
    let open = |vars: Vec<(&'static str, String)>| {
        let options = AppOptions {
            data_dir: Some(dir.path().to_path_buf()),
            offline: false,
        };
        App::open_in(
            options,
            Access::ReadOnly,
            Environment::from_pairs(vars.into_iter().chain(NO_KEYRING.map(|(k, v)| (k, v.to_owned())))),
        )
    };
    let app = open(vec![("ANTHROPIC_API_KEY", KEY.to_owned())]).await.unwrap();

    // Saved from the page, with the trailing slash a pasted address often has.
    let card = set_base_url(&app, "anthropic", Some(format!("{}/", fake.base_url())))
        .await
        .unwrap();
    assert_eq!(card.base_url.unwrap().url, fake.base_url());
    let ok = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(ok.verdict, ConnectionOutcome::Ok, "{}", ok.message);
    assert_eq!(fake.request_count(), 1, "the check went to the saved address");

    // The environment variable wins over the saved address, and the card names it.
    let elsewhere = nothing_listening();
    let app = open(vec![
        ("ANTHROPIC_API_KEY", KEY.to_owned()),
        (ENV_VAR, elsewhere.clone()),
    ])
    .await
    .unwrap();
    let address = listed(&app).await;
    assert_eq!(address.source, BaseUrlSource::Environment);
    assert_eq!(address.url, elsewhere);
    assert_eq!(address.env_var, ENV_VAR);
    assert_eq!(address.default_url, "https://api.anthropic.com");
    let away = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(away.verdict, ConnectionOutcome::Unreachable, "{}", away.message);
    assert_eq!(fake.request_count(), 1, "the saved address was not called");

    // Unset, the saved address is back in force.
    let app = open(vec![("ANTHROPIC_API_KEY", KEY.to_owned())]).await.unwrap();
    assert_eq!(listed(&app).await.source, BaseUrlSource::Setting);
    let again = connection::test_connection(&app, "anthropic").await.unwrap();
    assert_eq!(again.verdict, ConnectionOutcome::Ok, "{}", again.message);
    assert_eq!(fake.request_count(), 2);
}
