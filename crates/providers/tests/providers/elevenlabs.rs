//! The ElevenLabs client against the fake that speaks ElevenLabs' wire format.

use std::sync::Arc;
use std::time::Duration;

use showrunner_provider_fakes::{elevenlabs as fake, FakeConfig, FakeServer, Fault};
use showrunner_providers::elevenlabs::{ElevenLabs, ElevenLabsConfig};
use showrunner_providers::{
    ErrorClass, Limited, ProviderError, ProviderLimiter, ProviderLimits, SpeechAudio, SpeechEngine, SpeechRequest,
};
use showrunner_secrets::Sensitive;

use crate::support::{assert_error, assert_mono_24k, line};

const KEY: &str = "xi-test-key-5b1f0c9a77";
const RACHEL: &str = "21m00Tcm4TlvDq8ikWAM";
const NADIA: &str = "Zq7hostClonedVoice01";

async fn server() -> FakeServer {
    fake::start(FakeConfig::answering(KEY, serde_json::Value::Null)).await
}

fn config(server: &FakeServer) -> ElevenLabsConfig {
    let mut config = ElevenLabsConfig::new(Sensitive::new(KEY.to_owned()));
    config.base_url = server.base_url();
    config.timeout = Duration::from_secs(10);
    config
}

fn engine(config: ElevenLabsConfig) -> ElevenLabs {
    ElevenLabs::new(config).expect("a client")
}

/// Samples the fake speaks for `chars` characters (its pace is public).
fn fake_samples(chars: usize) -> usize {
    fake::speech_pcm(chars, 24_000).len() / 2
}

#[tokio::test]
async fn a_line_becomes_a_wav_whose_duration_matches_its_audio() {
    let server = server().await;
    let el = engine(config(&server));
    assert_eq!(el.label(), "ElevenLabs (Multilingual v2)");
    assert_eq!((el.id(), el.max_chars()), ("elevenlabs", 10_000));
    let text = "Welcome back to the show. Today we talk about the tides."; // 56 characters
    let audio = el.synthesize(line(text, RACHEL)).await.unwrap();

    let samples = assert_mono_24k(&audio);
    assert_eq!(samples, fake_samples(56), "every sample ElevenLabs sent is in the take");
    assert!(
        (3_700..=3_800).contains(&audio.duration_ms),
        "56 characters at 15 a second: {}",
        audio.duration_ms
    );
    assert_eq!(audio.usage.characters, 56);
    assert_eq!(
        (audio.provider_id.as_str(), audio.model.as_str()),
        ("elevenlabs", "eleven_multilingual_v2")
    );
    assert_eq!(audio.request_id.as_deref(), Some("fake-el-000001"));

    let sent = &server.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.uri,
        format!("/v1/text-to-speech/{RACHEL}/with-timestamps?output_format=pcm_24000")
    );
    let body = sent.json();
    assert_eq!(body["text"], text);
    assert_eq!(body["model_id"], "eleven_multilingual_v2");
    assert_eq!(body["voice_settings"]["stability"], 0.5);
    assert_eq!(body["voice_settings"]["similarity_boost"], 0.75);
    assert_eq!(body["voice_settings"]["use_speaker_boost"], true);
    assert!(
        body.get("previous_text").is_none() && body.get("next_text").is_none(),
        "{body}"
    );
}

#[tokio::test]
async fn billed_characters_come_from_the_character_cost_header() {
    let server = server().await;
    let mut cfg = config(&server);
    cfg.model = "eleven_flash_v2_5".into();
    cfg.voice_settings.stability = 0.3;
    let el = engine(cfg);
    assert_eq!((el.label(), el.max_chars()), ("ElevenLabs (Flash v2.5)", 40_000));
    let text = "Flash bills half a credit for every character it speaks aloud.";
    let sent = text.chars().count() as u64;
    let audio = el.synthesize(line(text, RACHEL)).await.unwrap();
    assert_eq!(
        audio.usage.characters,
        sent.div_ceil(2),
        "the header's discounted cost, not the {sent} characters sent"
    );
    let body = server.requests()[0].json();
    assert_eq!(
        (body["model_id"].as_str(), body["voice_settings"]["stability"].as_f64()),
        (Some("eleven_flash_v2_5"), Some(0.3))
    );
}

#[tokio::test]
async fn a_text_over_the_limit_is_split_at_sentences_with_context_and_the_audio_joined() {
    let server = server().await;
    let mut cfg = config(&server);
    cfg.max_chars = Some(60);
    let el = engine(cfg);
    assert_eq!(el.max_chars(), 60);
    let sentences = [
        "The harbour was quiet before the storm arrived.",
        "Boats knocked together, ropes creaking in the dark.",
        "By morning, the pier was gone.",
    ];
    let req = SpeechRequest {
        text: sentences.join(" "),
        voice: RACHEL.into(),
        previous_text: Some("Let me tell you about that night.".into()),
        next_text: Some("Nobody was hurt.".into()),
    };
    let audio = el.synthesize(req).await.unwrap();

    let bodies: Vec<_> = server.requests().iter().map(|r| r.json()).collect();
    assert_eq!(bodies.len(), 3, "one request per sentence");
    for (body, sentence) in bodies.iter().zip(sentences) {
        assert_eq!(body["text"], sentence, "cut at sentence ends");
    }
    assert_eq!(bodies[0]["previous_text"], "Let me tell you about that night.");
    assert_eq!(bodies[0]["next_text"], sentences[1]);
    assert_eq!(bodies[1]["previous_text"], sentences[0]);
    assert_eq!(bodies[1]["next_text"], sentences[2]);
    assert_eq!(bodies[2]["previous_text"], sentences[1]);
    assert_eq!(bodies[2]["next_text"], "Nobody was hurt.");

    let samples = assert_mono_24k(&audio);
    let lens: Vec<usize> = sentences.iter().map(|s| s.chars().count()).collect();
    assert_eq!(
        samples,
        lens.iter().map(|n| fake_samples(*n)).sum::<usize>(),
        "all pieces' audio, joined"
    );
    assert_eq!(
        audio.usage.characters,
        lens.iter().sum::<usize>() as u64,
        "billed for every piece"
    );
    assert_eq!(audio.request_id.as_deref(), Some("fake-el-000003"));
}

#[tokio::test]
async fn the_voices_list_feeds_the_pickers_and_names_resolve_to_ids() {
    let server = server().await;
    let el = engine(config(&server));
    assert_eq!(el.voices()[0].id, RACHEL, "premade voices before the list is fetched");
    let voices = el.list_voices().await.unwrap();
    assert_eq!(voices.len(), 4);
    let nadia = voices
        .iter()
        .find(|v| v.id == NADIA)
        .expect("the cloned voice is listed");
    assert_eq!(nadia.name, "Nadia");
    assert_eq!(nadia.category.as_deref(), Some("cloned"));
    assert_eq!(nadia.labels.get("accent").map(String::as_str), Some("british"));
    assert_eq!(
        nadia.preview_url,
        Some(format!("{}/previews/{NADIA}", server.base_url()))
    );
    let offered = el.voices();
    assert!(
        offered
            .iter()
            .any(|v| v.id == NADIA && v.label == "Nadia (british, female, narration)"),
        "{offered:?}"
    );
    let sent = &server.requests()[0];
    assert_eq!((sent.method.as_str(), sent.uri.as_str()), ("GET", "/v1/voices"));

    el.synthesize(line("Hello from Nadia.", "nadia")).await.unwrap();
    assert!(
        server.requests()[1]
            .uri
            .starts_with(&format!("/v1/text-to-speech/{NADIA}/")),
        "a voice name resolves"
    );
}

#[tokio::test]
async fn every_scripted_fault_gets_its_error_class() {
    let server = server().await;
    let el = engine(config(&server));
    let say = || el.synthesize(line("A short line.", RACHEL));

    let cases = [
        (Fault::BadKey, "bad_key", ErrorClass::Auth, None),
        (Fault::QuotaExceeded, "out_of_quota", ErrorClass::Quota, None),
        (
            Fault::RateLimited {
                retry_after_secs: Some(7),
            },
            "rate_limited",
            ErrorClass::RateLimited,
            Some(7),
        ),
        (
            Fault::RateLimited { retry_after_secs: None },
            "rate_limited",
            ErrorClass::RateLimited,
            None,
        ),
        (
            Fault::TooManyConcurrent,
            "too_many_concurrent_requests",
            ErrorClass::RateLimited,
            Some(1),
        ),
        (Fault::Overloaded, "system_busy", ErrorClass::RateLimited, Some(15)),
        (Fault::ServerError, "server_error", ErrorClass::Transient, None),
        (Fault::TruncatedJson, "bad_response", ErrorClass::Transient, None),
        (Fault::SchemaInvalid, "bad_response", ErrorClass::Transient, None),
    ];
    for (fault, code, class, retry_secs) in cases {
        server.script().fail_next(fault.clone());
        let e = say().await.expect_err("the fault fails the call");
        assert_error(&e, code, class);
        assert_eq!(e.retry_after(), retry_secs.map(Duration::from_secs), "{fault:?}");
    }
    assert!(say().await.is_ok(), "normal answers resume after the faults");
}

#[tokio::test]
async fn a_hung_request_times_out_as_a_transient_failure() {
    let server = server().await;
    let mut cfg = config(&server);
    cfg.timeout = Duration::from_millis(300);
    let el = engine(cfg);
    server.script().fail_next(Fault::Hang(Duration::from_secs(5)));
    let e = el.synthesize(line("Anyone there?", RACHEL)).await.unwrap_err();
    assert_error(&e, "timeout", ErrorClass::Transient);
}

#[tokio::test]
async fn bad_voices_keys_and_texts_are_terminal() {
    let server = server().await;
    let el = engine(config(&server));
    let e = el.synthesize(line("Hello.", "NoSuchVoice42")).await.unwrap_err();
    assert_error(&e, "unknown_voice", ErrorClass::Terminal);
    assert!(e.message().contains("NoSuchVoice42"), "the voice is named: {e}");
    let before = server.request_count();
    let e = el.synthesize(line("Hello.", "../v1/voices")).await.unwrap_err();
    assert_error(&e, "unknown_voice", ErrorClass::Terminal);
    let e = el.synthesize(line("   ", RACHEL)).await.unwrap_err();
    assert_error(&e, "invalid_request", ErrorClass::Terminal);
    assert_eq!(server.request_count(), before, "neither was sent");

    let mut cfg = config(&server);
    cfg.api_key = Sensitive::new("xi-wrong-key".to_owned());
    let e = engine(cfg).synthesize(line("Hello.", RACHEL)).await.unwrap_err();
    assert_error(&e, "bad_key", ErrorClass::Auth);
}

#[tokio::test]
async fn the_key_travels_only_in_its_header_and_never_shows() {
    let server = server().await;
    let el = engine(config(&server));
    el.list_voices().await.unwrap();
    el.synthesize(line("One line.", RACHEL)).await.unwrap();
    let mut errors = Vec::new();
    for fault in [
        Fault::BadKey,
        Fault::QuotaExceeded,
        Fault::ServerError,
        Fault::TruncatedJson,
    ] {
        server.script().fail_next(fault);
        errors.push(el.synthesize(line("Another line.", RACHEL)).await.unwrap_err());
    }
    errors.push(el.synthesize(line("Hi.", "NoSuchVoice42")).await.unwrap_err());

    for request in server.requests() {
        assert_eq!(request.header("xi-api-key"), Some(KEY));
        assert!(!request.uri.contains(KEY), "not in the URL");
        assert!(!String::from_utf8_lossy(&request.body).contains(KEY), "not in the body");
        let elsewhere: Vec<_> = request
            .headers
            .iter()
            .filter(|(k, v)| k != "xi-api-key" && v.contains(KEY))
            .collect();
        assert!(elsewhere.is_empty(), "only in xi-api-key: {elsewhere:?}");
    }
    for e in &errors {
        assert!(!format!("{e} {e:?}").contains(KEY), "{e:?}");
    }
    assert!(!format!("{el:?}").contains(KEY));
}

#[tokio::test]
async fn the_plans_concurrency_limit_is_read_from_the_headers() {
    let server = fake::start_with_concurrency(FakeConfig::answering(KEY, serde_json::Value::Null), 3).await;
    let el = engine(config(&server));
    assert_eq!(el.max_concurrency(), None, "unknown before any answer");
    el.synthesize(line("Counting.", RACHEL)).await.unwrap();
    assert_eq!(el.max_concurrency(), Some(3));
}

#[tokio::test]
async fn the_fake_refuses_requests_over_the_plan_and_the_shared_limiter_keeps_under_it() {
    let server = server().await; // two at once
    server.script().set_latency(Duration::from_millis(800));
    let el: Arc<dyn SpeechEngine> = Arc::new(engine(config(&server)));

    let results = futures_join(el.clone(), 4).await;
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(refused.len(), 2, "four at once on a two-request plan: two are refused");
    for e in refused {
        assert_error(e, "too_many_concurrent_requests", ErrorClass::RateLimited);
    }

    let limiter = Arc::new(ProviderLimiter::new(ProviderLimits {
        concurrent: Some(2),
        ..ProviderLimits::default()
    }));
    let limited: Arc<dyn SpeechEngine> = Arc::new(Limited::new(el, limiter));
    let results = futures_join(limited, 4).await;
    assert!(
        results.iter().all(Result::is_ok),
        "queued behind the limiter, all four succeed: {results:?}"
    );
}

/// Runs `n` syntheses at once.
async fn futures_join(el: Arc<dyn SpeechEngine>, n: usize) -> Vec<Result<SpeechAudio, ProviderError>> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let el = el.clone();
            tokio::spawn(async move { el.synthesize(line(&format!("Line number {i}."), RACHEL)).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test]
async fn checking_the_connection_gives_a_verdict() {
    let server = server().await;
    let el = engine(config(&server));
    el.check_connection().await.unwrap();
    let mut cfg = config(&server);
    cfg.base_url = format!("{}/v1/", server.base_url());
    engine(cfg)
        .check_connection()
        .await
        .expect("a base URL pasted with /v1 works too");

    server.script().fail_next(Fault::QuotaExceeded);
    assert_error(
        &el.check_connection().await.unwrap_err(),
        "out_of_quota",
        ErrorClass::Quota,
    );

    let mut cfg = config(&server);
    cfg.api_key = Sensitive::new("xi-wrong-key".to_owned());
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "bad_key",
        ErrorClass::Auth,
    );

    let mut cfg = config(&server);
    cfg.base_url = format!("{}/not-elevenlabs", server.base_url());
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "wrong_url",
        ErrorClass::Terminal,
    );

    let mut cfg = config(&server);
    cfg.base_url = "not a url".into();
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "wrong_url",
        ErrorClass::Terminal,
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut cfg = config(&server);
    cfg.base_url = format!("http://127.0.0.1:{port}");
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "unreachable",
        ErrorClass::Transient,
    );
}

#[tokio::test]
async fn refreshing_voices_offers_the_accounts_own_voices_behind_the_limiter_too() {
    let server = server().await;
    let limiters = showrunner_providers::Limiters::default();
    let limited = Limited::new(
        Arc::new(engine(config(&server))) as Arc<dyn SpeechEngine>,
        limiters.for_provider("elevenlabs", ProviderLimits::default()),
    );
    let cloned = "Zq7hostClonedVoice01";
    assert!(
        !limited.voices().iter().any(|v| v.id == cloned),
        "only the premade voices are known before asking"
    );
    limited.refresh_voices().await;
    assert!(
        limited.voices().iter().any(|v| v.id == cloned),
        "a host's cloned voice can be cast"
    );
    assert_eq!(server.requests()[0].uri, "/v1/voices");
}
