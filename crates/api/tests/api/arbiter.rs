//! The two evaluators disagree: the arbiter route (Claude Opus by default) evaluates the same script and
//! settles it by siding with one of them, or, agreeing with neither, leaves it to the producer. Real clients
//! against their fakes; Gemini (evaluator B) is scripted to score every dimension far below evaluator A.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use showrunner_api::domain::{ArtifactKind, BrandVoice, EpisodeStatus, Money, NewEpisode, ParkReason, RunStatus};
use showrunner_api::{episodes, runs, shows, App};
use showrunner_provider_fakes::{FakeConfig, FakeTask, Responder};

use crate::support::offline_answers::rehearsal;

use crate::support::keyed_app::FakeEnvironment;

const KEYS: [(&str, &str); 3] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-1b2c3d"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-4e5f6a"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-7a8b9c"),
];

/// The offline writer's evaluation with every dimension scored `score`.
fn scored(task: &FakeTask, score: f64) -> Value {
    let mut answer = rehearsal(task);
    if let Some(scores) = answer["scores"].as_object_mut() {
        for value in scores.values_mut() {
            *value = json!(score);
        }
    }
    answer
}

fn is_evaluation(task: &FakeTask) -> bool {
    task.task == "script.evaluate"
}

async fn episode_to_rest(
    app: &App,
    show: &showrunner_api::domain::ShowId,
    topic: &str,
) -> showrunner_api::domain::RunId {
    let episode = episodes::start_episode(
        app,
        NewEpisode {
            show_id: show.clone(),
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
    run_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn evaluators_that_disagree_are_settled_by_the_arbiter_or_left_to_the_producer() {
    // The arbiter (asked with both evaluations in its inputs) agrees with evaluator A, or, when
    // `arbiter_undecided` is set, sits halfway between the two.
    let arbiter_undecided = Arc::new(AtomicBool::new(false));
    let undecided = arbiter_undecided.clone();
    let anthropic_answers: Responder = Arc::new(move |task: &FakeTask| {
        let arbitrating = is_evaluation(task) && task.inputs["evaluator"] == "Arbiter";
        match (arbitrating, undecided.load(Ordering::SeqCst)) {
            (true, true) => scored(task, 6.0),
            (true, false) => scored(task, 9.0),
            _ if is_evaluation(task) => scored(task, 9.0),
            _ => rehearsal(task),
        }
    });
    let gemini_answers: Responder = Arc::new(|task: &FakeTask| {
        if is_evaluation(task) {
            scored(task, 3.0)
        } else {
            rehearsal(task)
        }
    });
    let anthropic = showrunner_provider_fakes::anthropic::start(FakeConfig::new(KEYS[0].1, anthropic_answers)).await;
    let gemini = showrunner_provider_fakes::gemini::start(FakeConfig::new(KEYS[1].1, gemini_answers)).await;
    let perplexity =
        showrunner_provider_fakes::perplexity::start(FakeConfig::new(KEYS[2].1, Arc::new(rehearsal))).await;
    let mut env = FakeEnvironment::with_keys(&KEYS);
    env.point_at("anthropic", &anthropic);
    env.point_at("gemini", &gemini);
    env.point_at("perplexity", &perplexity);

    let dir = tempfile::tempdir().unwrap();
    let app = env.open(dir.path()).await;
    let show = shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();

    // Settled: the arbiter sides with A, both pass, the script goes on to the producer's sign-off.
    let run_id = episode_to_rest(&app, &show.id, "Why tides turn").await;
    let view = runs::run_view(&app, &run_id).await.unwrap();
    assert_eq!(view.status, RunStatus::Parked);
    assert!(
        matches!(&view.park, Some(ParkReason::HumanGate { .. })),
        "{:?}",
        view.park
    );
    let panel = app
        .store()
        .latest_artifact(&run_id, ArtifactKind::EvaluationPanel)
        .await
        .unwrap()
        .unwrap()
        .content;
    assert_eq!(panel["evaluations"].as_array().unwrap().len(), 3, "{panel}");
    assert!(panel["arbiter"].as_str().unwrap().starts_with("Arbiter · "), "{panel}");
    assert_eq!(panel["passed"], true);
    let evaluate = view
        .stages
        .iter()
        .find(|s| s.stage.as_str() == "script.evaluate")
        .unwrap();
    assert!(
        evaluate.route.as_deref().unwrap_or_default().contains(" → "),
        "{:?}",
        evaluate.route
    );
    let ledger = app.store().ledger(&run_id).await.unwrap();
    let arbiter_calls: Vec<_> = ledger
        .calls
        .iter()
        .filter(|c| c.stage.as_str() == "script.evaluate" && c.model == "claude-opus-4-5")
        .collect();
    assert_eq!(arbiter_calls.len(), 1, "one paid call on the arbiter route");
    assert!(arbiter_calls[0].cost > Money::ZERO);

    // Unsettled: the arbiter agrees with neither; the run parks for the producer, with no send-back.
    arbiter_undecided.store(true, Ordering::SeqCst);
    let run_id = episode_to_rest(&app, &show.id, "Why rivers meander").await;
    let view = runs::run_view(&app, &run_id).await.unwrap();
    assert_eq!(view.status, RunStatus::Parked);
    match &view.park {
        Some(ParkReason::GateEscalated { stage, summary }) => {
            assert_eq!(stage.as_str(), "script.evaluate");
            assert!(summary.starts_with("Three evaluators disagree"), "{summary}");
        }
        other => panic!("parked for {other:?}"),
    }
    let episode = episodes::list_episodes(&app).await.unwrap();
    assert!(episode.iter().any(|e| e.status == EpisodeStatus::NeedsAttention));
    let writes = app
        .store()
        .attempts(&run_id)
        .await
        .unwrap()
        .iter()
        .filter(|a| a.stage.as_str() == "script.write")
        .count();
    assert_eq!(
        writes, 1,
        "a disagreement nobody could settle is not sent back to the writer"
    );
}
