//! The Anthropic client against the fake Messages API: answers, cache-aware usage, where the key travels,
//! every error class, and "Test connection".

use std::time::Duration;

use serde_json::json;
use showrunner_provider_fakes::{anthropic, estimate_tokens, FakeServer, Fault};
use showrunner_providers::anthropic::{AnthropicClient, AnthropicConfig};
use showrunner_providers::{ErrorClass, LanguageModel, ProviderError};
use showrunner_secrets::Sensitive;

use crate::support::{echoing, expected, fails, nothing_listening, request, website, PROMPT, SYSTEM};

const KEY: &str = "fake-anthropic-key-0123456789abcdef";
const MODEL: &str = "claude-sonnet-4-20250514";

fn client_at(base_url: String, key: &str, model: &str, timeout: Duration) -> AnthropicClient {
    let mut config = AnthropicConfig::new(Sensitive::new(key.to_owned()), model);
    config.base_url = base_url;
    config.timeout = timeout;
    AnthropicClient::new(config).unwrap()
}

fn client(fake: &FakeServer) -> AnthropicClient {
    client_at(fake.base_url(), KEY, MODEL, Duration::from_secs(10))
}

async fn fails_with(fault: Fault) -> ProviderError {
    let fake = anthropic::start(echoing(KEY)).await;
    fake.script().fail_next(fault);
    fails(&client(&fake), request(4096)).await
}

#[tokio::test]
async fn the_forced_tool_call_brings_back_the_answer_and_who_gave_it() {
    let fake = anthropic::start(echoing(KEY)).await;
    let claude = client(&fake);
    let done = claude.complete(request(4096)).await.unwrap();
    assert_eq!(done.content, expected());
    assert_eq!(done.model, MODEL);
    assert_eq!(done.provider_id, "anthropic");
    assert_eq!(done.provider, format!("Claude (Anthropic) · {MODEL}"));
    assert_eq!(claude.label(), done.provider);
    assert!(!claude.is_rehearsal());
    assert!(
        done.request_id.as_deref().is_some_and(|id| id.starts_with("req_")),
        "{:?}",
        done.request_id
    );
    assert!(done.sources.is_empty());

    let sent = &fake.requests()[0];
    assert_eq!((sent.method.as_str(), sent.uri.as_str()), ("POST", "/v1/messages"));
    assert_eq!(sent.header("x-api-key"), Some(KEY));
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.header("authorization"), None);
    assert!(!sent.uri.contains(KEY));
    let body = sent.json();
    assert_eq!(body["system"][0]["cache_control"]["type"], "ephemeral");
    assert_eq!(body["tool_choice"], json!({"type": "tool", "name": "answer"}));
    assert_eq!(body["tools"][0]["input_schema"], request(1).output_schema);
    assert_eq!(body["max_tokens"], 4096);
}

#[tokio::test]
async fn the_system_prompt_is_written_to_the_cache_once_then_read() {
    let fake = anthropic::start(echoing(KEY)).await;
    let claude = client(&fake);
    let first = claude.complete(request(4096)).await.unwrap().usage;
    let second = claude.complete(request(4096)).await.unwrap().usage;
    let system = estimate_tokens(SYSTEM);
    assert_eq!(
        (first.input_tokens, first.cache_write_5m_tokens, first.cache_read_tokens),
        (estimate_tokens(PROMPT), system, 0)
    );
    assert_eq!(
        (
            second.input_tokens,
            second.cache_write_5m_tokens,
            second.cache_read_tokens
        ),
        (estimate_tokens(PROMPT), 0, system)
    );
    assert_eq!(first.cache_write_1h_tokens, 0);
    assert_eq!(first.output_tokens, estimate_tokens(&expected().to_string()));
    assert_eq!(first.total_input_tokens(), second.total_input_tokens());
}

#[tokio::test]
async fn a_wrong_key_is_a_bad_key_and_no_key_is_ever_shown() {
    let fake = anthropic::start(echoing(KEY)).await;
    let wrong = "fake-anthropic-wrong-key-98765";
    let claude = client_at(fake.base_url(), wrong, MODEL, Duration::from_secs(10));
    let e = fails(&claude, request(4096)).await;
    assert_eq!((e.code(), e.class()), ("bad_key", ErrorClass::Auth));
    assert!(!e.class().is_retryable());
    for text in [
        e.to_string(),
        format!("{e:?}"),
        format!("{claude:?}"),
        format!("{:?}", client(&fake)),
    ] {
        assert!(!text.contains(wrong) && !text.contains(KEY), "{text}");
    }
    assert_eq!(fake.requests()[0].header("x-api-key"), Some(wrong));
}

#[tokio::test]
async fn running_out_of_credit_is_quota_and_not_retried() {
    let e = fails_with(Fault::QuotaExceeded).await;
    assert_eq!((e.code(), e.class()), ("quota_exceeded", ErrorClass::Quota));
    assert!(!e.class().is_retryable());
    assert!(e.message().contains("credit balance is too low"), "{}", e.message());
}

#[tokio::test]
async fn rate_limits_carry_the_retry_after_header_when_there_is_one() {
    let fake = anthropic::start(echoing(KEY)).await;
    fake.script().push([
        Some(Fault::RateLimited {
            retry_after_secs: Some(7),
        }),
        Some(Fault::RateLimited { retry_after_secs: None }),
    ]);
    let claude = client(&fake);
    let with = fails(&claude, request(4096)).await;
    assert_eq!((with.code(), with.class()), ("rate_limited", ErrorClass::RateLimited));
    assert_eq!(with.retry_after(), Some(Duration::from_secs(7)));
    assert!(with.request_id().is_some_and(|id| id.starts_with("req_")));
    let without = fails(&claude, request(4096)).await;
    assert_eq!(without.class(), ErrorClass::RateLimited);
    assert_eq!(without.retry_after(), None);
    assert!(
        claude.complete(request(4096)).await.is_ok(),
        "answers again once the limit passes"
    );
}

#[tokio::test]
async fn overload_and_server_errors_are_transient() {
    let overloaded = fails_with(Fault::Overloaded).await;
    assert_eq!(
        (overloaded.code(), overloaded.class()),
        ("overloaded", ErrorClass::Transient)
    );
    let broken = fails_with(Fault::ServerError).await;
    assert_eq!((broken.code(), broken.class()), ("server_error", ErrorClass::Transient));
}

#[tokio::test]
async fn a_reply_cut_off_mid_json_is_a_retryable_bad_response() {
    let e = fails_with(Fault::TruncatedJson).await;
    assert_eq!((e.code(), e.class()), ("bad_response", ErrorClass::Transient));
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let fake = anthropic::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Hang(Duration::from_secs(5)));
    let claude = client_at(fake.base_url(), KEY, MODEL, Duration::from_millis(300));
    let e = fails(&claude, request(4096)).await;
    assert_eq!((e.code(), e.class()), ("timeout", ErrorClass::Transient));
}

#[tokio::test]
async fn an_unknown_model_is_named_in_the_error() {
    let fake = anthropic::start(echoing(KEY)).await;
    let e = fails(
        &client_at(fake.base_url(), KEY, "gpt-4o", Duration::from_secs(10)),
        request(4096),
    )
    .await;
    assert_eq!((e.code(), e.class()), ("unknown_model", ErrorClass::Terminal));
    assert!(e.message().contains("gpt-4o"), "{}", e.message());
}

#[tokio::test]
async fn running_out_of_output_tokens_is_reported_not_returned() {
    let fake = anthropic::start(echoing(KEY)).await;
    let e = client(&fake).complete(request(3)).await.unwrap_err();
    assert_eq!((e.code(), e.class()), ("output_truncated", ErrorClass::Terminal));
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_returned_for_the_caller_to_validate() {
    let fake = anthropic::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::SchemaInvalid);
    let done = client(&fake).complete(request(4096)).await.unwrap();
    assert_eq!(done.content, json!({"unexpected": true}));
}

#[tokio::test]
async fn wrong_addresses_are_unreachable_or_wrong_url() {
    let quiet = client_at(nothing_listening(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(fails(&quiet, request(4096)).await.code(), "unreachable");
    let fake = anthropic::start(echoing(KEY)).await;
    let wrong_path = client_at(format!("{}/api", fake.base_url()), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(fails(&wrong_path, request(4096)).await.code(), "wrong_url");
    let not_a_url = client_at("api.anthropic.com".into(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(fails(&not_a_url, request(4096)).await.code(), "wrong_url");
}

#[tokio::test]
async fn test_connection_gives_each_verdict() {
    let fake = anthropic::start(echoing(KEY)).await;
    let claude = client(&fake);
    claude.check_connection().await.unwrap();
    let ping = fake.requests()[0].json();
    assert_eq!(ping["max_tokens"], 1, "the check costs one output token");

    fake.script().fail_next(Fault::QuotaExceeded);
    assert_eq!(claude.check_connection().await.unwrap_err().class(), ErrorClass::Quota);
    let wrong_key = client_at(fake.base_url(), "sk-ant-nope", MODEL, Duration::from_secs(5));
    assert_eq!(
        wrong_key.check_connection().await.unwrap_err().class(),
        ErrorClass::Auth
    );
    let quiet = client_at(nothing_listening(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(quiet.check_connection().await.unwrap_err().code(), "unreachable");
    let wrong_path = client_at(format!("{}/v2", fake.base_url()), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(wrong_path.check_connection().await.unwrap_err().code(), "wrong_url");
    let site = client_at(website(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(site.check_connection().await.unwrap_err().code(), "wrong_url");
}

/// A base URL that 302s to another host: the client does not follow, so the key never reaches that host,
/// and the failure is the coded `redirected` that moves the route on.
#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_and_the_key_stays_home() {
    let elsewhere = showrunner_provider_fakes::redirect::sink_on([127, 0, 0, 2]).await;
    let redirecting = showrunner_provider_fakes::redirect::start(elsewhere.base_url()).await;
    let e = fails(&client(&redirecting), request(4096)).await;
    assert_eq!((e.code(), e.class()), ("redirected", ErrorClass::Terminal), "{e}");
    assert!(e.message().contains(&elsewhere.base_url()), "{}", e.message());
    assert_eq!(redirecting.request_count(), 1);
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the redirect was followed: {:?}",
        elsewhere.requests()
    );
    assert_eq!(
        e.fallback(),
        showrunner_providers::Fallback::NextProvider,
        "a redirect says 'not this address'"
    );
}

/// A credential inside the base URL (as `SHOWRUNNER_ANTHROPIC_BASE_URL` may carry one) is in no message.
#[tokio::test]
async fn a_credential_in_the_base_url_never_reaches_an_error_message() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let secret = "pw-4f9c1e7b2a6d";
    for base in [
        format!("http://producer:{secret}@127.0.0.1:{port}"),
        format!("http://producer:{secret}@127.0.0.1:{port}/v1/"),
    ] {
        let e = fails(&client_at(base, KEY, MODEL, Duration::from_secs(5)), request(4096)).await;
        assert_eq!(e.code(), "unreachable", "{e}");
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
    }
}

/// Claude's `stop_reason: "refusal"`: not retried, and its tokens go on the ledger.
#[tokio::test]
async fn a_refusal_is_terminal_and_carries_what_it_billed() {
    let fake = anthropic::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Refusal);
    let e = fails(&client(&fake), request(4096)).await;
    crate::withheld::assert_withheld_and_billed(&e, &fake, MODEL);
}
