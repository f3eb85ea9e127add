//! An injected outage: every Anthropic request fails with 529 "overloaded". The first job routed to Claude
//! retries it by its policy until the shared limiter has it out (three failed calls in a row), and that try
//! moves on to the route's next provider (Gemini), the route string saying why. Every later Claude job, in
//! this run and the next, passes Claude over at once: nothing rediscovers the outage.
//!
//! The research fake answers without echoing question ids (schema-valid findings whose `question_id` is a
//! paraphrase): the stage stamps the id of the question each call asked, so the research gate passes.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use showrunner_api::domain::{AttemptStatus, BrandVoice, EpisodeStatus, GateVerdict, Money, NewEpisode, RunId};
use showrunner_api::routing::{self, ModelChoice, RoutePlan};
use showrunner_api::{episodes, shows, App};
use showrunner_provider_fakes::{FakeConfig, FakeTask, Fault};
use showrunner_providers::limiter::{COOL_DOWN, OUTAGE_AFTER};
use showrunner_store::AttemptRecord;

use crate::support::offline_answers::{rehearsal, rehearsal_responder};

use crate::support::keyed_app::FakeEnvironment;

const KEYS: [(&str, &str); 4] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-1b7e44"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-9d03c2"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-5a8f10"),
    ("ELEVENLABS_API_KEY", "xi-fake-key-27e6bd"),
];

fn key(var: &str) -> String {
    KEYS.iter()
        .find(|(v, _)| *v == var)
        .map(|(_, k)| k.to_string())
        .unwrap()
}

/// The offline answer, except that deep-dive findings name their question in words, not by its id.
fn paraphrasing(task: &FakeTask) -> Value {
    let mut answer = rehearsal(task);
    if task.task == "research.deep_dive" {
        if let Some(findings) = answer["findings"].as_array_mut() {
            for finding in findings {
                finding["question_id"] = Value::from("the question about who kept the lights");
            }
        }
    }
    answer
}

async fn produce_to_signoff(app: &App, show_id: &showrunner_api::domain::ShowId, topic: &str) -> RunId {
    let episode = episodes::start_episode(
        app,
        NewEpisode {
            show_id: show_id.clone(),
            topic: topic.into(),
            target_minutes: 1,
            budget_cap: Money::from_micros(20_000_000),
            format: Default::default(),
            language: None,
        },
    )
    .await
    .unwrap();
    let run_id = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    app.engine().drive_to_rest(&run_id).await.unwrap();
    let parked = episodes::episode(app, &episode.id).await.unwrap();
    assert_eq!(parked.status, EpisodeStatus::AwaitingScriptSignoff, "{parked:?}");
    run_id
}

fn of_stage<'a>(attempts: &'a [AttemptRecord], stage: &str) -> Vec<&'a AttemptRecord> {
    attempts.iter().filter(|a| a.stage.as_str() == stage).collect()
}

fn done_route(attempts: &[AttemptRecord], stage: &str) -> String {
    of_stage(attempts, stage)
        .into_iter()
        .find(|a| a.status == AttemptStatus::Done)
        .and_then(|a| a.route.as_ref().map(ToString::to_string))
        .unwrap_or_else(|| panic!("{stage} did not finish: {attempts:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_outage_moves_the_route_on_after_three_calls_and_later_runs_skip_it() {
    let began = Instant::now();
    let responder = rehearsal_responder();
    let anthropic =
        showrunner_provider_fakes::anthropic::start(FakeConfig::new(key("ANTHROPIC_API_KEY"), responder.clone())).await;
    anthropic.script().set_fault_rate(1.0, vec![Fault::Overloaded], 7);
    let gemini =
        showrunner_provider_fakes::gemini::start(FakeConfig::new(key("GEMINI_API_KEY"), responder.clone())).await;
    let perplexity = showrunner_provider_fakes::perplexity::start(FakeConfig::new(
        key("PERPLEXITY_API_KEY"),
        Arc::new(paraphrasing),
    ))
    .await;
    let elevenlabs =
        showrunner_provider_fakes::elevenlabs::start(FakeConfig::new(key("ELEVENLABS_API_KEY"), responder.clone()))
            .await;
    let mut env = FakeEnvironment::with_keys(&KEYS);
    env.point_at("anthropic", &anthropic);
    env.point_at("gemini", &gemini);
    env.point_at("perplexity", &perplexity);
    env.point_at("elevenlabs", &elevenlabs);

    let dir = tempfile::tempdir().unwrap();
    // The shipped retry policies (Anthropic: five tries, 1 s doubling): the time to fall back is the real one.
    let app = env.open(dir.path()).await;
    // Every text job gets Gemini after its own providers.
    let mut plan = RoutePlan::default();
    for (job, chain) in plan.routes.iter_mut() {
        if *job != routing::Job::Speak && !chain.iter().any(|c| c.provider == "gemini") {
            chain.push(ModelChoice::new("gemini", "gemini-2.5-pro"));
        }
    }
    routing::save_route_plan(&app, plan).await.unwrap();
    let show = shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();

    let first = produce_to_signoff(&app, &show.id, "Lighthouse keepers").await;
    let attempts = app.store().attempts(&first).await.unwrap();

    // Research went to Perplexity, and the gate passed at once although no finding echoed its question's id.
    let validate = of_stage(&attempts, "research.validate");
    assert_eq!(validate.len(), 1, "the research gate sent work back: {validate:?}");
    assert_eq!(validate[0].verdict, Some(GateVerdict::Pass));

    // The first Claude job (synthesis, on the coordination route) tried Claude three times, then Gemini.
    let synthesize = of_stage(&attempts, "research.synthesize");
    assert_eq!(synthesize.len(), OUTAGE_AFTER as usize, "{synthesize:?}");
    let route = done_route(&attempts, "research.synthesize");
    assert!(
        route.starts_with("Gemini") && route.contains("Claude") && route.contains("out after failing 3 calls in a row"),
        "{route}"
    );
    let fell_back_ms = synthesize.last().unwrap().finished_at_ms.unwrap() - synthesize[0].started_at_ms;

    // Later Claude jobs (planning, writing) passed Claude over without calling it.
    for stage in ["plan", "script.write"] {
        let route = done_route(&attempts, stage);
        assert!(
            route.starts_with("Gemini") && route.contains("skipped for"),
            "{stage}: {route}"
        );
    }
    let calls_in_first_run = anthropic.request_count();

    // A second episode inside the cool-down: Claude is not called again.
    let second = produce_to_signoff(&app, &show.id, "Fog signals").await;
    let elapsed = began.elapsed();
    let second_attempts = app.store().attempts(&second).await.unwrap();
    assert_eq!(of_stage(&second_attempts, "research.synthesize").len(), 1);
    let second_route = done_route(&second_attempts, "research.synthesize");
    assert!(
        second_route.contains("out after failing 3 calls in a row"),
        "{second_route}"
    );
    // Each cool-down lets one call probe the provider; within the first, none did.
    let probes_allowed = (elapsed.as_secs() / COOL_DOWN.as_secs()) as usize;
    assert!(
        anthropic.request_count() <= OUTAGE_AFTER as usize + probes_allowed,
        "{} calls to a provider that was out ({probes_allowed} probes allowed)",
        anthropic.request_count()
    );
    eprintln!(
        "outage: {calls_in_first_run} calls to the failing provider before the route moved on, {:.1} s from the first \
         try to the fallback's answer; {} calls from the second episode; both episodes in {:.1} s",
        fell_back_ms as f64 / 1000.0,
        anthropic.request_count() - calls_in_first_run,
        elapsed.as_secs_f64()
    );
}
