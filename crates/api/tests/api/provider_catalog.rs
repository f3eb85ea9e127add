//! The provider catalog end to end: OpenRouter called with its key, headers and prices; local Ollama and
//! LM Studio models found, warned about and put first on the writing routes (and a run then calling them);
//! a concurrency limit set to 1 obeyed. Each app gets its own environment (`Environment`), so nothing here
//! touches the process environment.

use std::time::{Duration, Instant};

use serde_json::json;
use showrunner_api::domain::{EpisodeStatus, Money};
use showrunner_api::local_models::{local_models, use_local_model};
use showrunner_api::provider_limits::set_provider_limit;
use showrunner_api::routing::{self, Job, ModelChoice, RoutePlan};
use showrunner_api::{connection, keys, runs, Access, App, AppOptions, Environment, ErrorCode, WriterRole};
use showrunner_production::Roster;
use showrunner_provider_fakes::openai_compat::{self, Flavour};
use showrunner_provider_fakes::FakeConfig;
use showrunner_providers::{CompletionRequest, SpeechRequest, Usage};

const OPENROUTER_KEY: &str = "sk-or-v1-fake-5e1c0a";
const ELEVENLABS_KEY: &str = "xi-fake-key-limit-1";

async fn app_with(dir: &std::path::Path, vars: Vec<(&'static str, String)>) -> App {
    let options = AppOptions {
        data_dir: Some(dir.to_path_buf()),
        offline: false,
    };
    App::open_in(options, Access::Writer(WriterRole::App), Environment::from_pairs(vars))
        .await
        .expect("the app opens")
}

/// The roster the app's runs cast from, with its shared limiters.
fn roster(app: &App) -> std::sync::Arc<dyn Roster> {
    app.crew().roster.clone()
}

async fn save(app: &App, job: Job, chain: Vec<ModelChoice>) {
    let mut plan = RoutePlan::default();
    plan.routes.insert(job, chain);
    routing::save_route_plan(app, plan).await.expect("a valid plan");
}

fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    url
}

#[tokio::test]
async fn openrouter_is_called_with_its_own_key_and_headers_and_billed_from_its_rows() {
    let fake = openai_compat::start_flavour(
        FakeConfig::answering(OPENROUTER_KEY, json!({"title": "Tides"})),
        Flavour::OpenRouter,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(
        dir.path(),
        vec![
            ("OPENROUTER_API_KEY", OPENROUTER_KEY.to_owned()),
            ("SHOWRUNNER_OPENROUTER_BASE_URL", format!("{}/api/v1", fake.base_url())),
        ],
    )
    .await;
    let model = "anthropic/claude-sonnet-4.5";
    save(&app, Job::Write, vec![ModelChoice::new("openrouter", model)]).await;

    let card = keys::list_providers(&app)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == "openrouter")
        .expect("OpenRouter has a card");
    assert!(card.needs_key);
    assert_eq!(
        card.key.as_ref().map(|k| k.set),
        Some(true),
        "the key from OPENROUTER_API_KEY"
    );
    assert_eq!(card.limit.as_ref().map(|l| l.concurrent), Some(8));
    let checked = connection::test_connection(&app, "openrouter").await.unwrap();
    assert_eq!(
        checked.verdict,
        connection::ConnectionOutcome::Ok,
        "{}",
        checked.message
    );

    let casting = roster(&app).writers(Job::Write).await;
    let writer = casting.cast[0].clone();
    assert!(!writer.is_rehearsal(), "skipped: {:?}", casting.skipped);
    let answer = writer
        .complete(CompletionRequest {
            task: "package".into(),
            system: "You write show notes.".into(),
            prompt: "Title this episode.".into(),
            context: json!({}),
            output_schema: json!({"type": "object"}),
            max_output_tokens: 500,
        })
        .await
        .expect("OpenRouter answers");
    assert_eq!(answer.provider_id, "openrouter");
    assert_eq!(answer.content["title"], "Tides");

    let sent = fake.requests().into_iter().last().unwrap();
    assert_eq!(sent.uri, "/api/v1/chat/completions");
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {OPENROUTER_KEY}").as_str())
    );
    assert_eq!(
        sent.header("x-title"),
        Some("Showrunner"),
        "the app names itself to OpenRouter"
    );
    let body = sent.json();
    assert_eq!(body["model"], model);
    assert_eq!(body["max_tokens"], 500, "OpenRouter takes max_tokens");

    let priced = app
        .prices()
        .cost("openrouter", model, &answer.usage)
        .expect("a row for the model");
    let expected = (answer.usage.input_tokens * 3 + answer.usage.output_tokens * 15) as i64;
    assert!(
        answer.usage.input_tokens > 0 && answer.usage.output_tokens > 0,
        "{:?}",
        answer.usage
    );
    assert_eq!(priced.cost.micros(), expected, "$3 in / $15 out per million tokens");
}

#[tokio::test]
async fn local_models_are_found_warned_about_and_one_click_puts_one_first_and_a_run_calls_it() {
    let ollama = openai_compat::start_flavour(
        FakeConfig::new("", crate::support::offline_answers::rehearsal_responder()),
        Flavour::Ollama,
    )
    .await;
    // LM Studio's model list is the OpenAI one; the vLLM fake without a key serves it the same way.
    let lm_studio = openai_compat::start_flavour(
        FakeConfig::new("", crate::support::offline_answers::rehearsal_responder()),
        Flavour::Vllm,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(
        dir.path(),
        vec![
            ("SHOWRUNNER_OLLAMA_BASE_URL", format!("{}/v1", ollama.base_url())),
            ("SHOWRUNNER_LMSTUDIO_BASE_URL", format!("{}/v1", lm_studio.base_url())),
        ],
    )
    .await;

    let found = local_models(&app).await.unwrap();
    let [o, l] = &found.servers[..] else {
        panic!("two servers: {found:?}")
    };
    assert!(o.running && l.running, "{found:?}");
    let names: Vec<&str> = o.models.iter().map(|m| m.model.as_str()).collect();
    assert_eq!(names, ["llama3.1:8b", "qwen2.5:7b", "deepseek-r1:8b"]);
    let llama = &o.models[0];
    assert_eq!(llama.context_tokens, Some(131_072));
    assert_eq!(llama.warning, None, "{:?}", llama.warning);
    let small = &o.models[2];
    assert_eq!(
        small.context_tokens,
        Some(4_096),
        "the Modelfile's num_ctx is what runs"
    );
    let warning = small.warning.as_deref().expect("4k cannot hold a script");
    assert!(warning.contains("Script writing"), "{warning}");
    assert_eq!(l.models[0].model, "Qwen/Qwen2.5-7B-Instruct");
    assert!(l.models[0]
        .warning
        .as_deref()
        .is_some_and(|w| w.contains("does not say")));

    let missing = use_local_model(&app, None, "mistral:7b").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(!routing::route_plan(&app).await.unwrap().customized, "nothing saved");

    let plan = use_local_model(&app, None, "llama3.1:8b").await.unwrap();
    let local = ModelChoice::new("ollama", "llama3.1:8b");
    for job in &plan.jobs {
        if job.speech {
            assert_eq!(job.chain, job.default_chain, "speech is left alone");
        } else {
            assert_eq!(job.chain[0], local, "{:?}", job.job);
        }
    }
    assert!(local_models(&app).await.unwrap().servers[0].models[0].in_use);

    let show = crate::show(&app, 2).await;
    let episode = crate::start(&app, &show, 2).await;
    let parked = crate::settle(&app, &episode).await;
    crate::assert_status(&parked, EpisodeStatus::AwaitingScriptSignoff);
    let run_id = parked.run_id.clone().unwrap();
    let view = runs::run_view(&app, &run_id).await.unwrap();
    let write = view
        .stages
        .iter()
        .find(|s| s.stage.as_str() == "script.write")
        .and_then(|s| s.route.clone())
        .unwrap_or_default();
    assert!(write.contains("Ollama"), "{write}");
    assert!(ollama.request_count() > 5, "{} requests", ollama.request_count());
    let ledger = app.store().ledger(&run_id).await.unwrap();
    let local_calls: Vec<_> = ledger.calls.iter().filter(|c| c.provider == "ollama").collect();
    assert!(!local_calls.is_empty());
    for call in local_calls {
        assert_eq!(call.cost, Money::ZERO, "local calls cost nothing");
        let usage: Usage = serde_json::from_value(call.usage.clone().expect("usage kept")).unwrap();
        assert!(usage.output_tokens > 0, "the ledger still records usage");
    }

    // A server that is not running is said so, quickly.
    let other = tempfile::tempdir().unwrap();
    let away = app_with(
        other.path(),
        vec![
            ("SHOWRUNNER_OLLAMA_BASE_URL", nothing_listening()),
            ("SHOWRUNNER_LMSTUDIO_BASE_URL", nothing_listening()),
        ],
    )
    .await;
    let started = Instant::now();
    let none = local_models(&away).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        none.servers.iter().all(|s| !s.running && s.problem.is_some()),
        "{none:?}"
    );
    let refused = use_local_model(&away, None, "llama3.1:8b").await.unwrap_err();
    assert!(
        refused.message.contains("No local server is running"),
        "{}",
        refused.message
    );
}

/// Speaks three lines at once through the roster's ElevenLabs member; the fake refuses a second request in
/// flight (429 `too_many_concurrent_requests`) and answers each after 150 ms.
async fn three_at_once(app: &App) -> (Vec<bool>, Duration) {
    let casting = roster(app).speakers().await;
    let engine = casting.cast[0].clone();
    let started = Instant::now();
    let calls = (0..3).map(|i| {
        let engine = engine.clone();
        async move {
            engine
                .synthesize(SpeechRequest {
                    text: format!("Line {i} of the limit test."),
                    voice: showrunner_provider_fakes::elevenlabs::VOICES[0].0.to_owned(),
                    ..SpeechRequest::default()
                })
                .await
                .is_ok()
        }
    });
    let outcomes = futures::future::join_all(calls).await;
    (outcomes, started.elapsed())
}

#[tokio::test]
async fn a_concurrency_limit_of_one_keeps_one_call_in_flight() {
    let fake = showrunner_provider_fakes::elevenlabs::start_with_concurrency(
        FakeConfig::answering(ELEVENLABS_KEY, json!({})),
        1,
    )
    .await;
    fake.script().set_latency(Duration::from_millis(150));
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(
        dir.path(),
        vec![
            ("ELEVENLABS_API_KEY", ELEVENLABS_KEY.to_owned()),
            ("SHOWRUNNER_ELEVENLABS_BASE_URL", fake.base_url()),
        ],
    )
    .await;
    save(
        &app,
        Job::Speak,
        vec![ModelChoice::new("elevenlabs", "eleven_flash_v2_5")],
    )
    .await;

    // The default (2 at once) overruns this account's single slot: one of three is refused.
    let (outcomes, _) = three_at_once(&app).await;
    assert!(
        outcomes.iter().any(|ok| !ok),
        "the default lets two through at once: {outcomes:?}"
    );

    let bad = set_provider_limit(&app, "elevenlabs", Some(0)).await.unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    assert_eq!(bad.details.unwrap()["errors"][0]["field"], "concurrent");
    let unknown = set_provider_limit(&app, "acme", Some(1)).await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput);

    let limit = set_provider_limit(&app, "elevenlabs", Some(1)).await.unwrap();
    assert_eq!((limit.concurrent, limit.customized), (1, true));
    let (outcomes, took) = three_at_once(&app).await;
    assert_eq!(outcomes, [true, true, true], "one at a time, none refused");
    assert!(
        took >= Duration::from_millis(440),
        "three calls one after another took {took:?}"
    );
    let card = keys::list_providers(&app)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == "elevenlabs")
        .unwrap();
    assert_eq!(card.limit.unwrap().concurrent, 1, "the card shows the saved number");

    let reset = set_provider_limit(&app, "elevenlabs", None).await.unwrap();
    assert_eq!((reset.concurrent, reset.customized), (2, false));
}

#[tokio::test]
async fn a_request_rate_is_validated_saved_on_its_own_and_shown_on_the_card() {
    use showrunner_api::provider_limits::set_provider_rate;
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), vec![]).await;
    let rate_of = |cards: &[showrunner_api::dto::ProviderInfo], id: &str| {
        let card = cards.iter().find(|p| p.id == id).unwrap();
        card.limit.as_ref().unwrap().requests_per_minute
    };
    let cards = keys::list_providers(&app).await.unwrap();
    assert_eq!(rate_of(&cards, "perplexity"), None, "no rate of ours until one is set");

    for bad in [0, 100_001] {
        let refused = set_provider_rate(&app, "perplexity", Some(bad)).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert_eq!(refused.details.unwrap()["errors"][0]["field"], "requests_per_minute");
    }
    let unknown = set_provider_rate(&app, "acme", Some(10)).await.unwrap_err();
    assert_eq!(unknown.details.unwrap()["errors"][0]["field"], "provider");
    assert_eq!(
        rate_of(&keys::list_providers(&app).await.unwrap(), "perplexity"),
        None,
        "nothing saved"
    );

    set_provider_limit(&app, "perplexity", Some(3)).await.unwrap();
    let set = set_provider_rate(&app, "perplexity", Some(50)).await.unwrap();
    assert_eq!(
        (set.requests_per_minute, set.concurrent),
        (Some(50), 3),
        "the rate leaves calls at once alone"
    );
    let cards = keys::list_providers(&app).await.unwrap();
    assert_eq!(rate_of(&cards, "perplexity"), Some(50));
    assert_eq!(rate_of(&cards, "gemini"), None, "one provider's rate is its own");

    let reset = set_provider_limit(&app, "perplexity", None).await.unwrap();
    assert_eq!(
        reset.requests_per_minute,
        Some(50),
        "resetting calls at once keeps the rate"
    );
    let cleared = set_provider_rate(&app, "perplexity", None).await.unwrap();
    assert_eq!(cleared.requests_per_minute, None);
}
