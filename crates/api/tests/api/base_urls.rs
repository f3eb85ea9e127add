//! Setting a provider's server address on the Providers page: normalized, kept across restarts, cleared back
//! to the provider's own, and refused (with nothing saved) when it is not a plain http(s) address.
//! Uses Perplexity: no test in this binary sets `SHOWRUNNER_PERPLEXITY_BASE_URL`.

use serde_json::{json, Value};
use showrunner_api::base_urls::set_base_url;
use showrunner_api::dto::{BaseUrlSource, BaseUrlView, ProviderInfo};
use showrunner_api::roster::BASE_URLS_SETTING;
use showrunner_api::{keys, App, ErrorCode};

use crate::open;

const PROVIDER: &str = "perplexity";

async fn listed(app: &App) -> BaseUrlView {
    let providers: Vec<ProviderInfo> = keys::list_providers(app).await.unwrap();
    let card = providers
        .into_iter()
        .find(|p| p.id == PROVIDER)
        .expect("a Perplexity card");
    card.base_url.expect("keyed providers have an address")
}

async fn saved(app: &App) -> Option<Value> {
    app.store().setting(BASE_URLS_SETTING).await.unwrap()
}

#[tokio::test]
async fn a_saved_address_is_normalized_kept_after_a_restart_and_cleared_back_to_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let fresh = listed(&app).await;
    assert_eq!(fresh.source, BaseUrlSource::Default);
    assert_eq!(fresh.default_url, "https://api.perplexity.ai");
    assert_eq!(fresh.url, fresh.default_url);
    assert_eq!(fresh.env_var, "SHOWRUNNER_PERPLEXITY_BASE_URL");

    let card = set_base_url(
        &app,
        PROVIDER,
        Some("  https://Gateway.Example.com/perplexity/  ".into()),
    )
    .await
    .unwrap();
    let address = card.base_url.unwrap();
    assert_eq!(address.url, "https://gateway.example.com/perplexity");
    assert_eq!(address.source, BaseUrlSource::Setting);
    assert_eq!(card.id, PROVIDER);
    drop(app);

    let app = open(dir.path()).await;
    assert_eq!(listed(&app).await, address, "the address survives a restart");
    assert_eq!(
        saved(&app).await,
        Some(json!({ PROVIDER: "https://gateway.example.com/perplexity" }))
    );

    let cleared = set_base_url(&app, PROVIDER, Some("   ".into()))
        .await
        .unwrap()
        .base_url
        .unwrap();
    assert_eq!(cleared.source, BaseUrlSource::Default);
    assert_eq!(cleared.url, "https://api.perplexity.ai");
    assert_eq!(saved(&app).await, Some(json!({})));

    set_base_url(&app, PROVIDER, Some("http://localhost:8080".into()))
        .await
        .unwrap();
    let back = set_base_url(&app, PROVIDER, None).await.unwrap().base_url.unwrap();
    assert_eq!(
        back.source,
        BaseUrlSource::Default,
        "'Use default' clears the saved address"
    );
    drop(app);
    let app = open(dir.path()).await;
    assert_eq!(listed(&app).await.source, BaseUrlSource::Default);
}

#[tokio::test]
async fn addresses_that_are_not_plain_http_urls_are_refused_on_the_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    set_base_url(&app, PROVIDER, Some("https://gateway.example.com/v1".into()))
        .await
        .unwrap();
    let before = saved(&app).await;

    for bad in [
        "gateway.example.com/v1",
        "localhost:11434",
        "ftp://gateway.example.com",
        "https://producer:hunter2-secret@gateway.example.com",
        "https://sk-live-token@gateway.example.com",
        "https://gateway.example.com/v1?api_key=abc",
        "https://gateway.example.com/v1#top",
        // The key would cross the internet unencrypted.
        "http://gateway.example.com/v1",
        "http://8.8.8.8:8080",
        "http://[2001:db8::1]/v1",
        "https://",
        "not an address",
    ] {
        let err = set_base_url(&app, PROVIDER, Some(bad.into())).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
        let details = err.details.clone().expect("field details");
        assert_eq!(details["errors"][0]["field"], "base_url", "{bad}");
        assert!(!err.message.is_empty());
        assert!(
            !err.message.contains("hunter2") && !err.message.contains("sk-live"),
            "the credentials were echoed back: {}",
            err.message
        );
        assert_eq!(saved(&app).await, before, "{bad} changed the saved addresses");
    }
    assert_eq!(listed(&app).await.url, "https://gateway.example.com/v1");

    let unknown = set_base_url(&app, "acme", Some("https://acme.example".into()))
        .await
        .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput);
    assert_eq!(unknown.details.unwrap()["errors"][0]["field"], "provider");
    assert_eq!(saved(&app).await, before);
}

#[tokio::test]
async fn plain_http_is_accepted_for_this_machine_and_the_local_network_only() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    for local in [
        "http://localhost:11434",
        "http://127.0.0.1:1234/v1",
        "http://[::1]:8080",
        "http://192.168.1.20:11434",
        "http://10.0.0.7",
        "http://172.20.0.3:8000",
        "http://ollama:11434",
        "http://gpu-box.local:1234",
        "https://gateway.example.com",
    ] {
        let card = set_base_url(&app, PROVIDER, Some(local.into())).await;
        assert!(card.is_ok(), "{local} was refused: {:?}", card.err());
    }
}

#[tokio::test]
async fn an_address_saved_with_credentials_outside_the_page_is_listed_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let older = json!({ PROVIDER: "https://producer:pplx-secret-token@gateway.example.com/v1" });
    app.store()
        .put_setting(BASE_URLS_SETTING, &older, app.now_ms())
        .await
        .unwrap();
    let address = listed(&app).await;
    assert_eq!(address.source, BaseUrlSource::Setting);
    assert_eq!(address.url, "https://gateway.example.com/v1");
}
