//! The Gemini client against the fake generateContent API: answers, usage with thinking and implicit
//! caching, the key kept out of the URL, every error class (Google's 400 bad key, `retryDelay` in the body),
//! and "Test connection".

use std::time::Duration;

use serde_json::json;
use showrunner_provider_fakes::{estimate_tokens, gemini, FakeServer, Fault};
use showrunner_providers::gemini::{GeminiClient, GeminiConfig};
use showrunner_providers::{ErrorClass, LanguageModel, ProviderError};
use showrunner_secrets::Sensitive;

use crate::support::{echoing, expected, fails, nothing_listening, request, website, PROMPT, SYSTEM};

const KEY: &str = "fake-gemini-key-0123456789abcdefghij";
const MODEL: &str = "gemini-2.5-flash";

fn client_at(base_url: String, key: &str, model: &str, timeout: Duration) -> GeminiClient {
    let mut config = GeminiConfig::new(Sensitive::new(key.to_owned()), model);
    config.base_url = base_url;
    config.timeout = timeout;
    GeminiClient::new(config).unwrap()
}

fn client(fake: &FakeServer) -> GeminiClient {
    client_at(fake.base_url(), KEY, MODEL, Duration::from_secs(10))
}

async fn fails_with(fault: Fault) -> ProviderError {
    let fake = gemini::start(echoing(KEY)).await;
    fake.script().fail_next(fault);
    fails(&client(&fake), request(8192)).await
}

#[tokio::test]
async fn the_json_answer_comes_back_with_the_model_that_gave_it() {
    let fake = gemini::start(echoing(KEY)).await;
    let gemini = client(&fake);
    let done = gemini.complete(request(8192)).await.unwrap();
    assert_eq!(done.content, expected());
    assert_eq!((done.model.as_str(), done.provider_id.as_str()), (MODEL, "gemini"));
    assert_eq!(gemini.label(), format!("Gemini (Google) · {MODEL}"));
    assert!(done.request_id.is_some(), "the responseId is kept for support");

    let sent = &fake.requests()[0];
    assert_eq!(sent.uri, format!("/v1beta/models/{MODEL}:generateContent"));
    assert_eq!(sent.header("x-goog-api-key"), Some(KEY));
    assert_eq!(sent.header("authorization"), None);
    let body = sent.json();
    assert_eq!(body["systemInstruction"]["parts"][0]["text"], SYSTEM);
    assert_eq!(body["contents"][0]["parts"][0]["text"], PROMPT);
    assert_eq!(body["generationConfig"]["responseMimeType"], "application/json");
    assert_eq!(body["generationConfig"]["responseJsonSchema"], request(1).output_schema);
    assert_eq!(body["generationConfig"]["maxOutputTokens"], 8192);
}

#[tokio::test]
async fn the_key_never_appears_in_a_url() {
    let fake = gemini::start(echoing(KEY)).await;
    let gemini = client(&fake);
    gemini.complete(request(8192)).await.unwrap();
    gemini.check_connection().await.unwrap();
    for sent in fake.requests() {
        assert!(!sent.uri.contains(KEY) && !sent.uri.contains("key="), "{}", sent.uri);
        assert_eq!(sent.header("x-goog-api-key"), Some(KEY));
    }
}

#[tokio::test]
async fn thinking_bills_as_output_and_a_repeated_system_prompt_reads_from_the_cache() {
    let fake = gemini::start(echoing(KEY)).await;
    let gemini = client(&fake);
    let first = gemini.complete(request(8192)).await.unwrap().usage;
    let second = gemini.complete(request(8192)).await.unwrap().usage;
    let answer = estimate_tokens(&expected().to_string());
    let thoughts = answer.div_ceil(10);
    assert!(thoughts > 0);
    assert_eq!(
        (first.output_tokens, first.reasoning_tokens),
        (answer + thoughts, thoughts)
    );
    assert_eq!(
        (first.input_tokens, first.cache_read_tokens),
        (estimate_tokens(SYSTEM) + estimate_tokens(PROMPT), 0)
    );
    assert_eq!(
        (second.input_tokens, second.cache_read_tokens),
        (estimate_tokens(PROMPT), estimate_tokens(SYSTEM)),
        "cached tokens are not counted twice"
    );
    assert_eq!(first.total_input_tokens(), second.total_input_tokens());
}

#[tokio::test]
async fn googles_400_for_a_wrong_key_is_a_bad_key_and_no_key_is_ever_shown() {
    let fake = gemini::start(echoing(KEY)).await;
    let wrong = "fake-gemini-wrong-key-98765";
    let gemini = client_at(fake.base_url(), wrong, MODEL, Duration::from_secs(10));
    let e = fails(&gemini, request(8192)).await;
    assert_eq!((e.code(), e.class()), ("bad_key", ErrorClass::Auth));
    for text in [e.to_string(), format!("{e:?}"), format!("{gemini:?}")] {
        assert!(!text.contains(wrong) && !text.contains(KEY), "{text}");
    }
}

#[tokio::test]
async fn the_retry_delay_in_the_body_is_honoured() {
    let fake = gemini::start(echoing(KEY)).await;
    fake.script().push([
        Some(Fault::RateLimited {
            retry_after_secs: Some(37),
        }),
        Some(Fault::RateLimited { retry_after_secs: None }),
    ]);
    let gemini = client(&fake);
    let with = fails(&gemini, request(8192)).await;
    assert_eq!((with.code(), with.class()), ("rate_limited", ErrorClass::RateLimited));
    assert_eq!(with.retry_after(), Some(Duration::from_secs(37)));
    let without = fails(&gemini, request(8192)).await;
    assert_eq!(
        (without.class(), without.retry_after()),
        (ErrorClass::RateLimited, None)
    );
}

#[tokio::test]
async fn a_used_up_daily_quota_is_quota_not_a_rate_limit() {
    let e = fails_with(Fault::QuotaExceeded).await;
    assert_eq!((e.code(), e.class()), ("quota_exceeded", ErrorClass::Quota));
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
    let fake = gemini::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Hang(Duration::from_secs(5)));
    let e = fails(
        &client_at(fake.base_url(), KEY, MODEL, Duration::from_millis(300)),
        request(8192),
    )
    .await;
    assert_eq!((e.code(), e.class()), ("timeout", ErrorClass::Transient));
}

#[tokio::test]
async fn an_unknown_model_is_named_in_the_error() {
    let fake = gemini::start(echoing(KEY)).await;
    let e = fails(
        &client_at(fake.base_url(), KEY, "palm-2", Duration::from_secs(10)),
        request(8192),
    )
    .await;
    assert_eq!((e.code(), e.class()), ("unknown_model", ErrorClass::Terminal));
    assert!(e.message().contains("palm-2"), "{}", e.message());
}

#[tokio::test]
async fn hitting_the_output_limit_is_reported_not_returned() {
    let fake = gemini::start(echoing(KEY)).await;
    let e = client(&fake).complete(request(4)).await.unwrap_err();
    assert_eq!((e.code(), e.class()), ("output_truncated", ErrorClass::Terminal));
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_returned_for_the_caller_to_validate() {
    let fake = gemini::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::SchemaInvalid);
    assert_eq!(
        client(&fake).complete(request(8192)).await.unwrap().content,
        json!({"unexpected": true})
    );
}

#[tokio::test]
async fn wrong_addresses_are_unreachable_or_wrong_url() {
    let quiet = client_at(nothing_listening(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(fails(&quiet, request(8192)).await.code(), "unreachable");
    let fake = gemini::start(echoing(KEY)).await;
    let wrong_path = client_at(format!("{}/v1", fake.base_url()), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(fails(&wrong_path, request(8192)).await.code(), "wrong_url");
}

#[tokio::test]
async fn test_connection_gives_each_verdict() {
    let fake = gemini::start(echoing(KEY)).await;
    client(&fake).check_connection().await.unwrap();
    assert_eq!(fake.requests()[0].method, "GET", "the check is a free model lookup");
    assert_eq!(fake.requests()[0].uri, format!("/v1beta/models/{MODEL}"));

    let wrong_key = client_at(fake.base_url(), "fake-gemini-nope", MODEL, Duration::from_secs(5));
    assert_eq!(
        wrong_key.check_connection().await.unwrap_err().class(),
        ErrorClass::Auth
    );
    let other_model = client_at(fake.base_url(), KEY, "text-bison", Duration::from_secs(5));
    assert_eq!(
        other_model.check_connection().await.unwrap_err().code(),
        "unknown_model"
    );
    let quiet = client_at(nothing_listening(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(quiet.check_connection().await.unwrap_err().code(), "unreachable");
    let wrong_path = client_at(
        format!("{}/google", fake.base_url()),
        KEY,
        MODEL,
        Duration::from_secs(5),
    );
    assert_eq!(wrong_path.check_connection().await.unwrap_err().code(), "wrong_url");
    let site = client_at(website(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(site.check_connection().await.unwrap_err().code(), "wrong_url");
}

/// `finishReason: "SAFETY"` with no content and no `candidatesTokenCount`: the thinking is still billed.
#[tokio::test]
async fn a_safety_stop_is_terminal_and_carries_what_it_billed() {
    let fake = gemini::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Safety);
    let e = fails(&client(&fake), request(8192)).await;
    crate::withheld::assert_withheld_and_billed(&e, &fake, MODEL);
}
