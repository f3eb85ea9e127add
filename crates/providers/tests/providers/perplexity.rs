//! The Perplexity client against the fake Sonar API: answers with their sources, usage with the exact
//! reported cost, reasoning preambles stripped, the key only in the Bearer header, every error class
//! (including the gateway's HTML 401), and "Test connection".

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use showrunner_domain::Money;
use showrunner_provider_fakes::{estimate_tokens, perplexity, FakeConfig, FakeServer, FakeTask, Fault};
use showrunner_providers::perplexity::{PerplexityClient, PerplexityConfig};
use showrunner_providers::{CompletionRequest, ErrorClass, LanguageModel, ProviderError, WebSource};
use showrunner_secrets::Sensitive;

use crate::support::{fails, nothing_listening, website};

const KEY: &str = "pplx-test-key-0123456789abcdef";
const SYSTEM: &str = "You are the research producer of Tidal Notes. Cite every claim.";
const PROMPT: &str =
    "Stage: research.discover (prompt template v1)\nFind sources.\n\nInputs:\n{\"topic\": \"Spring tides\"}";

fn echoing() -> FakeConfig {
    FakeConfig::new(
        KEY,
        Arc::new(|t: &FakeTask| json!({"task": t.task, "topic": t.inputs["topic"], "has_schema": t.schema.is_some()})),
    )
}

fn expected() -> Value {
    json!({"task": "research.discover", "topic": "Spring tides", "has_schema": true})
}

fn request(max_output_tokens: u32) -> CompletionRequest {
    CompletionRequest {
        task: "research.discover".into(),
        system: SYSTEM.into(),
        prompt: PROMPT.into(),
        context: json!({"topic": "Spring tides"}),
        output_schema: json!({"type": "object", "properties": {"topic": {"type": "string"}}}),
        max_output_tokens,
    }
}

fn client_at(base_url: String, key: &str, model: &str, timeout: Duration) -> PerplexityClient {
    let mut config = PerplexityConfig::new(Sensitive::new(key.to_owned()), model);
    config.base_url = base_url;
    config.timeout = timeout;
    PerplexityClient::new(config).unwrap()
}

fn client(fake: &FakeServer) -> PerplexityClient {
    client_at(fake.base_url(), KEY, "sonar", Duration::from_secs(10))
}

async fn fails_with(fault: Fault) -> ProviderError {
    let fake = perplexity::start(echoing()).await;
    fake.script().fail_next(fault);
    fails(&client(&fake), request(4096)).await
}

#[tokio::test]
async fn the_answer_comes_with_the_pages_sonar_read() {
    let fake = perplexity::start(echoing()).await;
    let sonar = client(&fake);
    let done = sonar.complete(request(4096)).await.unwrap();
    assert_eq!(done.content, expected());
    assert_eq!(
        (done.model.as_str(), done.provider_id.as_str()),
        ("sonar", "perplexity")
    );
    assert_eq!(sonar.label(), "Perplexity Sonar · sonar");
    assert!(done.request_id.is_some());
    let searched: Vec<WebSource> = perplexity::search_results("Spring tides")
        .into_iter()
        .map(|(url, title, date)| WebSource {
            url,
            title: Some(title),
            date,
        })
        .collect();
    assert_eq!(done.sources, searched);

    let sent = &fake.requests()[0];
    assert_eq!(sent.uri, "/chat/completions");
    assert_eq!(sent.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert!(!sent.uri.contains(KEY));
    let body = sent.json();
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(
        body["response_format"]["json_schema"]["schema"],
        request(1).output_schema
    );
    assert_eq!(body["messages"][0], json!({"role": "system", "content": SYSTEM}));
    assert_eq!(body["max_tokens"], 4096);
}

#[tokio::test]
async fn usage_carries_the_request_fee_and_the_exact_reported_cost() {
    let fake = perplexity::start(echoing()).await;
    let usage = client(&fake).complete(request(4096)).await.unwrap().usage;
    let input = estimate_tokens(SYSTEM) + estimate_tokens(PROMPT);
    let output = estimate_tokens(&expected().to_string());
    assert_eq!((usage.input_tokens, usage.output_tokens), (input, output));
    assert_eq!(
        (usage.search_requests, usage.search_context.as_deref()),
        (1, Some("low"))
    );
    // Sonar: $1 per million tokens each way (one micro-dollar a token) plus $5 per thousand requests.
    assert_eq!(
        usage.reported_cost,
        Some(Money::from_micros(5_000 + input as i64 + output as i64))
    );
}

#[tokio::test]
async fn a_larger_search_context_is_asked_for_and_billed() {
    let fake = perplexity::start(echoing()).await;
    let mut config = PerplexityConfig::new(Sensitive::new(KEY.to_owned()), "sonar-pro");
    config.base_url = fake.base_url();
    config.search_context_size = Some("medium".into());
    let usage = PerplexityClient::new(config)
        .unwrap()
        .complete(request(4096))
        .await
        .unwrap()
        .usage;
    assert_eq!(
        fake.requests()[0].json()["web_search_options"]["search_context_size"],
        "medium"
    );
    assert_eq!(usage.search_context.as_deref(), Some("medium"));
    // Sonar Pro: $3 in, $15 out per million, $10 per thousand requests at medium context.
    let expected = 10_000 + 3 * usage.input_tokens as i64 + 15 * usage.output_tokens as i64;
    assert_eq!(usage.reported_cost, Some(Money::from_micros(expected)));
}

#[tokio::test]
async fn a_reasoning_models_thinking_is_stripped_from_the_answer() {
    let fake = perplexity::start(echoing()).await;
    let sonar = client_at(fake.base_url(), KEY, "sonar-reasoning-pro", Duration::from_secs(10));
    let done = sonar.complete(request(4096)).await.unwrap();
    assert_eq!(done.content, expected());
    assert!(
        done.usage.output_tokens > estimate_tokens(&expected().to_string()),
        "the thinking is billed"
    );
}

#[tokio::test]
async fn the_gateways_html_401_is_a_bad_key_and_no_key_is_ever_shown() {
    let fake = perplexity::start(echoing()).await;
    let wrong = "pplx-wrong-key-9876543210";
    let sonar = client_at(fake.base_url(), wrong, "sonar", Duration::from_secs(10));
    let e = fails(&sonar, request(4096)).await;
    assert_eq!((e.code(), e.class()), ("bad_key", ErrorClass::Auth));
    for text in [e.to_string(), format!("{e:?}"), format!("{sonar:?}")] {
        assert!(!text.contains(wrong) && !text.contains(KEY), "{text}");
    }
}

#[tokio::test]
async fn running_out_of_credit_is_quota() {
    let e = fails_with(Fault::QuotaExceeded).await;
    assert_eq!((e.code(), e.class()), ("quota_exceeded", ErrorClass::Quota));
}

#[tokio::test]
async fn rate_limits_carry_the_retry_after_header_when_there_is_one() {
    let fake = perplexity::start(echoing()).await;
    fake.script().push([
        Some(Fault::RateLimited {
            retry_after_secs: Some(3),
        }),
        Some(Fault::RateLimited { retry_after_secs: None }),
    ]);
    let sonar = client(&fake);
    let with = fails(&sonar, request(4096)).await;
    assert_eq!(
        (with.class(), with.retry_after()),
        (ErrorClass::RateLimited, Some(Duration::from_secs(3)))
    );
    let without = fails(&sonar, request(4096)).await;
    assert_eq!(
        (without.class(), without.retry_after()),
        (ErrorClass::RateLimited, None)
    );
}

#[tokio::test]
async fn unavailable_and_internal_errors_are_transient() {
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
    let fake = perplexity::start(echoing()).await;
    fake.script().fail_next(Fault::Hang(Duration::from_secs(5)));
    let e = fails(
        &client_at(fake.base_url(), KEY, "sonar", Duration::from_millis(300)),
        request(4096),
    )
    .await;
    assert_eq!((e.code(), e.class()), ("timeout", ErrorClass::Transient));
}

#[tokio::test]
async fn an_unknown_model_is_named_in_the_error() {
    let fake = perplexity::start(echoing()).await;
    let e = fails(
        &client_at(fake.base_url(), KEY, "sonar-huge", Duration::from_secs(10)),
        request(4096),
    )
    .await;
    assert_eq!((e.code(), e.class()), ("unknown_model", ErrorClass::Terminal));
    assert!(e.message().contains("sonar-huge"), "{}", e.message());
}

#[tokio::test]
async fn hitting_the_output_limit_is_reported_not_returned() {
    let fake = perplexity::start(echoing()).await;
    let e = client(&fake).complete(request(3)).await.unwrap_err();
    assert_eq!((e.code(), e.class()), ("output_truncated", ErrorClass::Terminal));
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_returned_for_the_caller_to_validate() {
    let fake = perplexity::start(echoing()).await;
    fake.script().fail_next(Fault::SchemaInvalid);
    assert_eq!(
        client(&fake).complete(request(4096)).await.unwrap().content,
        json!({"unexpected": true})
    );
}

#[tokio::test]
async fn wrong_addresses_are_unreachable_or_wrong_url() {
    let quiet = client_at(nothing_listening(), KEY, "sonar", Duration::from_secs(5));
    assert_eq!(fails(&quiet, request(4096)).await.code(), "unreachable");
    let fake = perplexity::start(echoing()).await;
    let wrong_path = client_at(format!("{}/v1", fake.base_url()), KEY, "sonar", Duration::from_secs(5));
    assert_eq!(fails(&wrong_path, request(4096)).await.code(), "wrong_url");
}

#[tokio::test]
async fn test_connection_gives_each_verdict() {
    let fake = perplexity::start(echoing()).await;
    client(&fake).check_connection().await.unwrap();
    assert_eq!(fake.requests()[0].json()["max_tokens"], 1);
    fake.script().fail_next(Fault::QuotaExceeded);
    assert_eq!(
        client(&fake).check_connection().await.unwrap_err().class(),
        ErrorClass::Quota
    );
    let wrong_key = client_at(fake.base_url(), "pplx-nope", "sonar", Duration::from_secs(5));
    assert_eq!(wrong_key.check_connection().await.unwrap_err().code(), "bad_key");
    let quiet = client_at(nothing_listening(), KEY, "sonar", Duration::from_secs(5));
    assert_eq!(quiet.check_connection().await.unwrap_err().code(), "unreachable");
    let site = client_at(website(), KEY, "sonar", Duration::from_secs(5));
    assert_eq!(site.check_connection().await.unwrap_err().code(), "wrong_url");
}
