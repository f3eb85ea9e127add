use serde_json::Value;
use showrunner_api::routing::{self, Job, ModelChoice, RoutePlan};
use showrunner_api::ErrorCode;

use crate::open;

fn chain(view: &showrunner_api::routing::RoutePlanView, job: Job) -> Vec<ModelChoice> {
    view.jobs.iter().find(|j| j.job == job).unwrap().chain.clone()
}

fn plan_of(view: &showrunner_api::routing::RoutePlanView) -> RoutePlan {
    RoutePlan {
        routes: view.jobs.iter().map(|j| (j.job, j.chain.clone())).collect(),
    }
}

#[tokio::test]
async fn the_routes_page_shows_each_job_with_its_chain_and_the_offline_crew_last() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let view = routing::route_plan(&app).await.unwrap();
    assert_eq!(view.jobs.len(), 8);
    assert!(!view.customized);
    let write = view.jobs.iter().find(|j| j.job == Job::Write).unwrap();
    assert_eq!(write.label, "Script writing");
    assert_eq!(write.chain[0], ModelChoice::new("anthropic", "claude-opus-4-5"));
    assert_eq!(write.chain, write.default_chain);
    assert!(view.jobs.iter().find(|j| j.job == Job::Speak).unwrap().speech);
    assert_eq!(view.offline_writer.label, app.writer().label());
    assert_eq!(view.offline_speech.label, app.speech().label());

    let ollama = view.providers.iter().find(|p| p.id == "ollama").unwrap();
    assert!(ollama.local && !ollama.needs_key, "local servers need no key");
    let anthropic = view.providers.iter().find(|p| p.id == "anthropic").unwrap();
    assert!(anthropic.needs_key);
    assert!(
        anthropic.models.iter().any(|m| m.model == "claude-sonnet-4-5"),
        "priced models are offered"
    );
}

#[tokio::test]
async fn a_saved_plan_is_what_the_next_call_is_cast_from() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let mut plan = plan_of(&routing::route_plan(&app).await.unwrap());
    plan.routes.insert(
        Job::Write,
        vec![
            ModelChoice::new("anthropic", " claude-sonnet-4-5 "),
            ModelChoice::new("openai", "gpt-4.1"),
        ],
    );
    plan.routes.insert(Job::Arbitrate, Vec::new());
    let saved = routing::save_route_plan(&app, plan).await.unwrap();
    assert!(saved.customized);
    assert_eq!(
        chain(&saved, Job::Write),
        [
            ModelChoice::new("anthropic", "claude-sonnet-4-5"),
            ModelChoice::new("openai", "gpt-4.1")
        ],
        "model names are trimmed"
    );
    assert!(
        chain(&saved, Job::Arbitrate).is_empty(),
        "a job may be left to the offline crew"
    );
    assert_eq!(routing::route_plan(&app).await.unwrap(), saved);

    // The roster reads the same setting at call time.
    let roster = showrunner_api::roster::KeyedRoster::new(
        app.store().clone(),
        app.keychain().clone(),
        app.environment().clone(),
        app.writer().clone(),
        app.local_speech().clone(),
    );
    assert_eq!(roster.plan().await, plan_of(&saved));
}

#[tokio::test]
async fn a_bad_step_is_reported_on_that_step_naming_the_job_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let before = routing::route_plan(&app).await.unwrap();
    let mut plan = plan_of(&before);
    plan.routes.insert(
        Job::Write,
        vec![
            ModelChoice::new("anthropic", "claude-opus-4-5"),
            ModelChoice::new("elevenlabs", "eleven_v3"),
        ],
    );
    plan.routes
        .insert(Job::Speak, vec![ModelChoice::new("anthropic", "claude-haiku-4-5")]);
    plan.routes
        .insert(Job::Research, vec![ModelChoice::new("perplexity", "  ")]);

    let err = routing::save_route_plan(&app, plan).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let errors: Vec<(String, String)> = err.details.unwrap()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e: &Value| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "routes.research[0].model",
            "routes.write[1].provider",
            "routes.speak[0].provider"
        ]
    );
    assert!(errors[1].1.starts_with("Script writing:"), "{}", errors[1].1);
    assert!(errors[2].1.starts_with("Speech:"), "{}", errors[2].1);
    assert_eq!(routing::route_plan(&app).await.unwrap(), before, "nothing was saved");
}
