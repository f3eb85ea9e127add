//! The OpenAI text-to-speech client against the fake that speaks OpenAI's wire format.

use std::time::Duration;

use showrunner_provider_fakes::{elevenlabs::speech_pcm, openai_tts as fake, FakeConfig, FakeServer, Fault};
use showrunner_providers::openai_tts::{AudioFormat, OpenAiTts, OpenAiTtsConfig};
use showrunner_providers::{ErrorClass, SpeechEngine};
use showrunner_secrets::Sensitive;

use crate::support::{assert_error, assert_mono_24k, line};

const KEY: &str = "sk-test-openai-4c2d9e1f";

async fn server() -> FakeServer {
    fake::start(FakeConfig::answering(KEY, serde_json::Value::Null)).await
}

fn config(server: &FakeServer) -> OpenAiTtsConfig {
    let mut config = OpenAiTtsConfig::new(Sensitive::new(KEY.to_owned()));
    config.base_url = format!("{}/v1", server.base_url());
    config.timeout = Duration::from_secs(10);
    config
}

fn engine(config: OpenAiTtsConfig) -> OpenAiTts {
    OpenAiTts::new(config).expect("a client")
}

fn fake_samples(chars: usize) -> usize {
    speech_pcm(chars, 24_000).len() / 2
}

#[tokio::test]
async fn a_line_becomes_a_wav_billed_by_its_characters() {
    let server = server().await;
    let mut cfg = config(&server);
    cfg.instructions = Some("Warm and unhurried.".into()); // tts-1-hd does not take them
    let tts = engine(cfg);
    assert_eq!(
        (tts.id(), tts.label(), tts.max_chars()),
        ("openai_tts", "OpenAI TTS (tts-1-hd)", 4_096)
    );
    let text = "The lighthouse keeper climbed the stairs at dusk.";
    let audio = tts.synthesize(line(text, "Nova")).await.unwrap();

    assert_eq!(assert_mono_24k(&audio), fake_samples(text.chars().count()));
    assert_eq!(audio.usage.characters, text.chars().count() as u64);
    assert_eq!(
        (audio.provider_id.as_str(), audio.model.as_str()),
        ("openai_tts", "tts-1-hd")
    );
    assert_eq!(audio.request_id.as_deref(), Some("req_fake00000001"));

    let sent = &server.requests()[0];
    assert_eq!((sent.method.as_str(), sent.uri.as_str()), ("POST", "/v1/audio/speech"));
    assert_eq!(sent.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    let body = sent.json();
    assert_eq!(body["model"], "tts-1-hd");
    assert_eq!(body["input"], text);
    assert_eq!(body["voice"], "nova", "voice names are matched case-insensitively");
    assert_eq!(body["response_format"], "wav");
    assert!(
        body.get("instructions").is_none(),
        "tts-1-hd rejects instructions: {body}"
    );
}

#[tokio::test]
async fn instructions_go_to_models_that_take_them_and_pcm_works_too() {
    let server = server().await;
    let mut cfg = config(&server);
    cfg.model = "gpt-4o-mini-tts".into();
    cfg.instructions = Some("Speak like a late-night radio host.".into());
    cfg.format = AudioFormat::Pcm;
    cfg.speed = Some(1.25);
    let tts = engine(cfg);
    let text = "Good evening, night owls.";
    let audio = tts.synthesize(line(text, "")).await.unwrap();
    assert_eq!(
        assert_mono_24k(&audio),
        fake_samples(text.chars().count()),
        "raw PCM is wrapped into a WAV"
    );
    let body = server.requests()[0].json();
    assert_eq!(body["instructions"], "Speak like a late-night radio host.");
    assert_eq!(
        (body["response_format"].as_str(), body["speed"].as_f64()),
        (Some("pcm"), Some(1.25))
    );
    assert_eq!(body["voice"], "alloy", "no voice means the first voice");
}

#[tokio::test]
async fn a_text_over_4096_characters_is_split_at_sentences_and_joined() {
    let server = server().await;
    let tts = engine(config(&server));
    let sentence = "Tides rise and fall twice a day because the moon pulls on the oceans. ";
    let text = sentence.repeat(70); // about 4,900 characters
    let audio = tts.synthesize(line(&text, "onyx")).await.unwrap();

    let inputs: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.json()["input"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(inputs.len(), 2, "two requests");
    for input in &inputs {
        assert!(input.chars().count() <= 4_096, "each within OpenAI's limit");
        assert!(
            input.ends_with("oceans."),
            "cut at a sentence end: …{}",
            &input[input.len() - 20..]
        );
    }
    assert_eq!(inputs.join(" "), text.trim(), "nothing lost or repeated");
    let samples = assert_mono_24k(&audio);
    assert_eq!(
        samples,
        inputs.iter().map(|i| fake_samples(i.chars().count())).sum::<usize>()
    );
    assert_eq!(
        audio.usage.characters,
        inputs.iter().map(|i| i.chars().count() as u64).sum::<u64>()
    );
}

#[tokio::test]
async fn voices_are_offered_and_an_unknown_one_is_named() {
    let server = server().await;
    let tts = engine(config(&server));
    let voices = tts.voices();
    assert_eq!(voices.len(), 10);
    assert_eq!((voices[0].id.as_str(), voices[0].label.as_str()), ("alloy", "Alloy"));
    let e = tts.synthesize(line("Hello.", "gandalf")).await.unwrap_err();
    assert_error(&e, "unknown_voice", ErrorClass::Terminal);
    assert!(e.message().contains("gandalf"), "{e}");
}

#[tokio::test]
async fn every_scripted_fault_gets_its_error_class() {
    let server = server().await;
    let tts = engine(config(&server));
    let cases = [
        (Fault::BadKey, "bad_key", ErrorClass::Auth, None),
        (Fault::QuotaExceeded, "out_of_quota", ErrorClass::Quota, None),
        (
            Fault::RateLimited {
                retry_after_secs: Some(3),
            },
            "rate_limited",
            ErrorClass::RateLimited,
            Some(3),
        ),
        (
            Fault::RateLimited { retry_after_secs: None },
            "rate_limited",
            ErrorClass::RateLimited,
            None,
        ),
        (Fault::TooManyConcurrent, "rate_limited", ErrorClass::RateLimited, None),
        (Fault::Overloaded, "server_error", ErrorClass::Transient, None),
        (Fault::ServerError, "server_error", ErrorClass::Transient, None),
        (Fault::TruncatedJson, "bad_response", ErrorClass::Transient, None),
        (Fault::SchemaInvalid, "bad_response", ErrorClass::Transient, None),
    ];
    for (fault, code, class, retry_secs) in cases {
        server.script().fail_next(fault.clone());
        let e = tts
            .synthesize(line("A short line.", "echo"))
            .await
            .expect_err("the fault fails the call");
        assert_error(&e, code, class);
        assert_eq!(e.retry_after(), retry_secs.map(Duration::from_secs), "{fault:?}");
        assert!(
            e.request_id().is_some(),
            "the request id is kept for support: {fault:?}"
        );
    }
    assert!(tts.synthesize(line("Back to normal.", "echo")).await.is_ok());
}

#[tokio::test]
async fn a_hung_request_times_out_as_a_transient_failure() {
    let server = server().await;
    let mut cfg = config(&server);
    cfg.timeout = Duration::from_millis(300);
    server.script().fail_next(Fault::Hang(Duration::from_secs(5)));
    let e = engine(cfg).synthesize(line("Anyone there?", "echo")).await.unwrap_err();
    assert_error(&e, "timeout", ErrorClass::Transient);
}

#[tokio::test]
async fn the_key_travels_only_as_a_bearer_token_and_never_shows() {
    let server = server().await;
    let tts = engine(config(&server));
    tts.synthesize(line("One line.", "sage")).await.unwrap();
    tts.check_connection().await.unwrap();
    let mut errors = vec![tts.synthesize(line("Hi.", "gandalf")).await.unwrap_err()];
    server.script().fail_next(Fault::ServerError);
    errors.push(tts.synthesize(line("Hi.", "sage")).await.unwrap_err());

    let mut cfg = config(&server);
    cfg.api_key = Sensitive::new("sk-wrong-key-0000aaaa".to_owned());
    let wrong = engine(cfg);
    let refused = wrong.synthesize(line("Hi.", "sage")).await.unwrap_err();
    assert_error(&refused, "bad_key", ErrorClass::Auth);
    assert!(
        !format!("{refused} {refused:?}").contains("aaaa"),
        "OpenAI's masked echo of the key is not passed on"
    );
    errors.push(refused);

    for request in server.requests() {
        assert!(!request.uri.contains(KEY) && !String::from_utf8_lossy(&request.body).contains(KEY));
        let elsewhere: Vec<_> = request
            .headers
            .iter()
            .filter(|(k, v)| k != "authorization" && v.contains(KEY))
            .collect();
        assert!(elsewhere.is_empty(), "only in Authorization: {elsewhere:?}");
    }
    for e in &errors {
        assert!(!format!("{e} {e:?}").contains(KEY), "{e:?}");
    }
    assert!(!format!("{tts:?}").contains(KEY));
}

#[tokio::test]
async fn checking_the_connection_gives_a_verdict() {
    let server = server().await;
    let tts = engine(config(&server));
    tts.check_connection().await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!((sent.method.as_str(), sent.uri.as_str()), ("GET", "/v1/models"));

    server.script().fail_next(Fault::QuotaExceeded);
    assert_error(
        &tts.check_connection().await.unwrap_err(),
        "out_of_quota",
        ErrorClass::Quota,
    );

    let mut cfg = config(&server);
    cfg.api_key = Sensitive::new("sk-wrong".to_owned());
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "bad_key",
        ErrorClass::Auth,
    );

    let mut cfg = config(&server);
    cfg.base_url = server.base_url(); // forgot the /v1
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "wrong_url",
        ErrorClass::Terminal,
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut cfg = config(&server);
    cfg.base_url = format!("http://127.0.0.1:{port}/v1");
    assert_error(
        &engine(cfg).check_connection().await.unwrap_err(),
        "unreachable",
        ErrorClass::Transient,
    );
}
