//! The OpenAI-compatible client against the fake in its three flavours (OpenAI, Ollama, vLLM): answers,
//! usage without double-counted cached tokens, the right output-limit field, the key only in the Bearer
//! header (and none at all for local servers), every error shape and class, and "Test connection".

use std::time::Duration;

use serde_json::json;
use showrunner_provider_fakes::openai_compat::{self, Flavour};
use showrunner_provider_fakes::{estimate_tokens, FakeServer, Fault};
use showrunner_providers::openai_compat::{OpenAiCompatClient, OpenAiCompatConfig};
use showrunner_providers::{ErrorClass, LanguageModel, ProviderError};
use showrunner_secrets::Sensitive;

use crate::support::{echoing, expected, fails, nothing_listening, request, website, PROMPT, SYSTEM};

const KEY: &str = "fake-openai-key-0123456789abcdef";
const MODEL: &str = "gpt-4.1-mini";

fn openai_at(base_url: String, key: &str, model: &str, timeout: Duration) -> OpenAiCompatClient {
    let mut config = OpenAiCompatConfig::openai(Sensitive::new(key.to_owned()), model);
    config.base_url = base_url;
    config.timeout = timeout;
    OpenAiCompatClient::new(config).unwrap()
}

fn openai(fake: &FakeServer) -> OpenAiCompatClient {
    openai_at(format!("{}/v1", fake.base_url()), KEY, MODEL, Duration::from_secs(10))
}

fn ollama(fake: &FakeServer, model: &str) -> OpenAiCompatClient {
    let mut config = OpenAiCompatConfig::ollama(model);
    config.base_url = format!("{}/v1", fake.base_url());
    OpenAiCompatClient::new(config).unwrap()
}

fn vllm(fake: &FakeServer, key: Option<&str>, model: &str) -> OpenAiCompatClient {
    let key = key.map(|k| Sensitive::new(k.to_owned()));
    let config = OpenAiCompatConfig::custom("vllm", "vLLM", format!("{}/v1", fake.base_url()), key, model);
    OpenAiCompatClient::new(config).unwrap()
}

async fn fails_with(fault: Fault) -> ProviderError {
    let fake = openai_compat::start(echoing(KEY)).await;
    fake.script().fail_next(fault);
    fails(&openai(&fake), request(4096)).await
}

#[tokio::test]
async fn openai_answers_through_the_json_schema_response_format() {
    let fake = openai_compat::start(echoing(KEY)).await;
    let gpt = openai(&fake);
    let done = gpt.complete(request(4096)).await.unwrap();
    assert_eq!(done.content, expected());
    assert_eq!((done.model.as_str(), done.provider_id.as_str()), (MODEL, "openai"));
    assert_eq!(gpt.label(), format!("OpenAI · {MODEL}"));
    assert!(
        done.request_id.as_deref().is_some_and(|id| id.starts_with("req_")),
        "x-request-id is kept"
    );

    let sent = &fake.requests()[0];
    assert_eq!(sent.uri, "/v1/chat/completions");
    assert_eq!(sent.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert!(!sent.uri.contains(KEY));
    let body = sent.json();
    assert_eq!(
        body["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "answer", "strict": false,
            "schema": request(1).output_schema}})
    );
    assert_eq!(body["max_completion_tokens"], 4096);
    assert!(
        body.get("max_tokens").is_none(),
        "OpenAI's reasoning models reject max_tokens"
    );
}

#[tokio::test]
async fn cached_prompt_tokens_are_not_counted_twice() {
    let fake = openai_compat::start(echoing(KEY)).await;
    let gpt = openai(&fake);
    let first = gpt.complete(request(4096)).await.unwrap().usage;
    let second = gpt.complete(request(4096)).await.unwrap().usage;
    let prompt = estimate_tokens(SYSTEM) + estimate_tokens(PROMPT);
    assert_eq!((first.input_tokens, first.cache_read_tokens), (prompt, 0));
    assert_eq!(
        (second.input_tokens, second.cache_read_tokens),
        (estimate_tokens(PROMPT), estimate_tokens(SYSTEM))
    );
    assert_eq!(second.total_input_tokens(), prompt);
    assert_eq!(first.output_tokens, estimate_tokens(&expected().to_string()));
}

#[tokio::test]
async fn reasoning_tokens_are_part_of_the_output() {
    let fake = openai_compat::start(echoing(KEY)).await;
    let o4 = openai_at(
        format!("{}/v1", fake.base_url()),
        KEY,
        "o4-mini",
        Duration::from_secs(10),
    );
    let usage = o4.complete(request(4096)).await.unwrap().usage;
    let answer = estimate_tokens(&expected().to_string());
    assert_eq!(
        (usage.output_tokens, usage.reasoning_tokens),
        (answer + answer.div_ceil(4), answer.div_ceil(4))
    );
}

#[tokio::test]
async fn ollama_needs_no_key_and_its_sparse_replies_are_read() {
    let fake = openai_compat::start_flavour(echoing(""), Flavour::Ollama).await;
    let llama = ollama(&fake, "llama3.1:8b");
    let done = llama.complete(request(4096)).await.unwrap();
    assert_eq!(done.content, expected(), "finish_reason null is fine");
    assert_eq!(
        (done.provider_id.as_str(), llama.label()),
        ("ollama", "Ollama · llama3.1:8b")
    );
    assert_eq!(
        done.usage.input_tokens,
        estimate_tokens(SYSTEM) + estimate_tokens(PROMPT)
    );
    assert_eq!((done.usage.cache_read_tokens, done.usage.reasoning_tokens), (0, 0));
    let sent = &fake.requests()[0];
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.json()["max_tokens"], 4096);
}

#[tokio::test]
async fn a_local_reasoning_models_thinking_is_stripped() {
    let fake = openai_compat::start_flavour(echoing(""), Flavour::Ollama).await;
    let done = ollama(&fake, "deepseek-r1:8b").complete(request(4096)).await.unwrap();
    assert_eq!(done.content, expected());
}

#[tokio::test]
async fn vllms_flat_errors_and_plain_unauthorized_are_understood() {
    let fake = openai_compat::start_flavour(echoing(KEY), Flavour::Vllm).await;
    let served = openai_compat::VLLM_MODELS[0];
    assert_eq!(
        vllm(&fake, Some(KEY), served)
            .complete(request(4096))
            .await
            .unwrap()
            .content,
        expected()
    );
    let missing = fails(&vllm(&fake, Some(KEY), "meta-llama/Llama-3-70B"), request(4096)).await;
    assert_eq!(
        (missing.code(), missing.class()),
        ("unknown_model", ErrorClass::Terminal)
    );
    let wrong = fails(&vllm(&fake, Some("wrong-token"), served), request(4096)).await;
    assert_eq!((wrong.code(), wrong.class()), ("bad_key", ErrorClass::Auth));
    fake.script().fail_next(Fault::Overloaded);
    assert_eq!(
        fails(&vllm(&fake, Some(KEY), served), request(4096)).await.class(),
        ErrorClass::Transient
    );
}

#[tokio::test]
async fn a_wrong_key_is_a_bad_key_even_though_openai_echoes_part_of_it() {
    let fake = openai_compat::start(echoing(KEY)).await;
    let wrong = "fake-openai-wrong-key-98765";
    let gpt = openai_at(format!("{}/v1", fake.base_url()), wrong, MODEL, Duration::from_secs(10));
    let e = fails(&gpt, request(4096)).await;
    assert_eq!((e.code(), e.class()), ("bad_key", ErrorClass::Auth));
    for text in [e.to_string(), format!("{e:?}"), format!("{gpt:?}")] {
        assert!(
            !text.contains(wrong) && !text.contains(KEY) && !text.contains("3210"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn insufficient_quota_is_quota_not_a_rate_limit() {
    let e = fails_with(Fault::QuotaExceeded).await;
    assert_eq!((e.code(), e.class()), ("quota_exceeded", ErrorClass::Quota));
    assert_eq!(e.retry_after(), None);
}

#[tokio::test]
async fn rate_limits_honour_retry_after_when_given() {
    let fake = openai_compat::start(echoing(KEY)).await;
    fake.script().push([
        Some(Fault::RateLimited {
            retry_after_secs: Some(7),
        }),
        Some(Fault::RateLimited { retry_after_secs: None }),
    ]);
    let gpt = openai(&fake);
    let with = fails(&gpt, request(4096)).await;
    assert_eq!((with.code(), with.class()), ("rate_limited", ErrorClass::RateLimited));
    assert_eq!(with.retry_after(), Some(Duration::from_secs(7)));
    let without = fails(&gpt, request(4096)).await;
    assert_eq!(
        (without.class(), without.retry_after()),
        (ErrorClass::RateLimited, None)
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
    let fake = openai_compat::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Hang(Duration::from_secs(5)));
    let gpt = openai_at(
        format!("{}/v1", fake.base_url()),
        KEY,
        MODEL,
        Duration::from_millis(300),
    );
    let e = fails(&gpt, request(4096)).await;
    assert_eq!((e.code(), e.class()), ("timeout", ErrorClass::Transient));
}

#[tokio::test]
async fn unknown_models_are_named_for_openai_and_ollama() {
    let fake = openai_compat::start(echoing(KEY)).await;
    let gpt9 = openai_at(format!("{}/v1", fake.base_url()), KEY, "gpt-9", Duration::from_secs(10));
    let e = fails(&gpt9, request(4096)).await;
    assert_eq!((e.code(), e.class()), ("unknown_model", ErrorClass::Terminal));
    assert!(e.message().contains("gpt-9"), "{}", e.message());
    let local = openai_compat::start_flavour(echoing(""), Flavour::Ollama).await;
    assert_eq!(
        fails(&ollama(&local, "mistral:7b"), request(4096)).await.code(),
        "unknown_model"
    );
}

#[tokio::test]
async fn hitting_the_output_limit_is_reported_not_returned() {
    let fake = openai_compat::start_flavour(echoing(""), Flavour::Ollama).await;
    let e = ollama(&fake, "qwen2.5:7b").complete(request(3)).await.unwrap_err();
    assert_eq!((e.code(), e.class()), ("output_truncated", ErrorClass::Terminal));
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_returned_for_the_caller_to_validate() {
    let fake = openai_compat::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::SchemaInvalid);
    assert_eq!(
        openai(&fake).complete(request(4096)).await.unwrap().content,
        json!({"unexpected": true})
    );
}

#[tokio::test]
async fn wrong_addresses_are_unreachable_or_wrong_url() {
    assert_eq!(
        fails(
            &openai_at(
                format!("{}/v1", nothing_listening()),
                KEY,
                MODEL,
                Duration::from_secs(5)
            ),
            request(4096)
        )
        .await
        .code(),
        "unreachable"
    );
    let fake = openai_compat::start(echoing(KEY)).await;
    let without_v1 = openai_at(fake.base_url(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(fails(&without_v1, request(4096)).await.code(), "wrong_url");
}

#[tokio::test]
async fn test_connection_gives_each_verdict() {
    let fake = openai_compat::start(echoing(KEY)).await;
    let base = format!("{}/v1", fake.base_url());
    openai(&fake).check_connection().await.unwrap();
    assert_eq!(
        (fake.requests()[0].method.as_str(), fake.requests()[0].uri.as_str()),
        ("GET", "/v1/models")
    );

    let unlisted = openai_at(base.clone(), KEY, "gpt-9", Duration::from_secs(5));
    assert_eq!(unlisted.check_connection().await.unwrap_err().code(), "unknown_model");
    let wrong_key = openai_at(base, "sk-nope", MODEL, Duration::from_secs(5));
    assert_eq!(
        wrong_key.check_connection().await.unwrap_err().class(),
        ErrorClass::Auth
    );
    let without_v1 = openai_at(fake.base_url(), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(without_v1.check_connection().await.unwrap_err().code(), "wrong_url");
    let quiet = openai_at(
        format!("{}/v1", nothing_listening()),
        KEY,
        MODEL,
        Duration::from_secs(5),
    );
    assert_eq!(quiet.check_connection().await.unwrap_err().code(), "unreachable");
    let site = openai_at(format!("{}/v1", website()), KEY, MODEL, Duration::from_secs(5));
    assert_eq!(site.check_connection().await.unwrap_err().code(), "wrong_url");

    let local = openai_compat::start_flavour(echoing(""), Flavour::Ollama).await;
    ollama(&local, "llama3.1:8b").check_connection().await.unwrap();
    assert_eq!(
        ollama(&local, "mistral:7b")
            .check_connection()
            .await
            .unwrap_err()
            .code(),
        "unknown_model"
    );
}

/// `message.refusal` with `content: null`: not retried, and its tokens go on the ledger.
#[tokio::test]
async fn a_refusal_is_terminal_and_carries_what_it_billed() {
    let fake = openai_compat::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Refusal);
    let e = fails(&openai(&fake), request(4096)).await;
    crate::withheld::assert_withheld_and_billed(&e, &fake, MODEL);
}

/// `finish_reason: "content_filter"`: what was generated and withheld is billed.
#[tokio::test]
async fn a_content_filter_stop_is_terminal_and_carries_what_it_billed() {
    let fake = openai_compat::start(echoing(KEY)).await;
    fake.script().fail_next(Fault::Safety);
    let e = fails(&openai(&fake), request(4096)).await;
    crate::withheld::assert_withheld_and_billed(&e, &fake, MODEL);
}
