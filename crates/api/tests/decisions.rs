//! A decision at every park. The test enumerates the park kinds (an exhaustive match: a new kind does not
//! compile until it is driven here), drives a run to each with the real provider clients against their fakes
//! (scripted to fail the gate in question), checks the decisions offered there, and shows each decision moves
//! the run.
//!
//! One test in its own binary: it sets process-wide environment variables (keys and fake addresses).

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use showrunner_api::decisions::{self, AvailableDecision, EditTarget, ParkKind, ParkView, ProducerDecision};
use showrunner_api::domain::{AttemptStatus, BrandVoice, Money, NewEpisode, RunId, RunStatus, ShowId, StageId};
use showrunner_api::{episodes, runs, shows, App, AppOptions, ErrorCode, FailureHint};
use showrunner_provider_fakes::{FakeConfig, FakeServer, FakeTask, Fault, Responder};

#[path = "support/offline_answers.rs"]
mod offline_answers;
use offline_answers::{point_at, rehearsal};

const KEYS: [(&str, &str); 3] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-d3c1s1"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-d3c1s2"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-d3c1s3"),
];

/// How the fakes answer: healthy, or failing one gate the way real answers fail it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Healthy,
    /// The deep dive finds nothing: the research gate fails "Every question answered".
    NothingFound,
    /// The brand-voice score is far below the bar.
    OffBrand,
    /// Every evaluator scores every dimension 2/10.
    PoorScript,
    /// Evaluator A 9, evaluator B 3, the arbiter 6: it sides with neither.
    Undecided,
    /// The script's middle lines use very long words: the word count (what the brand gate estimates length
    /// from) is unchanged, the speech is far longer than planned.
    LongWinded,
    /// Every provider is down (5xx after its retries): the first stage fails, and nothing was settled, so a
    /// retry asks again.
    /// (A settled answer, even an unusable one, is reused by its call key on a retry.)
    RefusedKeys,
}

fn scored(task: &FakeTask, score: f64) -> Value {
    let mut answer = rehearsal(task);
    if let Some(scores) = answer["scores"].as_object_mut() {
        for value in scores.values_mut() {
            *value = json!(score);
        }
    }
    answer
}

fn long_winded(mut script: Value) -> Value {
    let Some(segments) = script["segments"].as_array_mut() else {
        return script;
    };
    let last_segment = segments.len().saturating_sub(1);
    for (s, segment) in segments.iter_mut().enumerate() {
        let Some(lines) = segment["lines"].as_array_mut() else {
            continue;
        };
        let last_line = lines.len().saturating_sub(1);
        for (l, line) in lines.iter_mut().enumerate() {
            // The intro and outro lines stay as the brand says them.
            if (s == 0 && l == 0) || (s == last_segment && l == last_line) {
                continue;
            }
            // Each word four times over: as many words, far more to say (and each line still its own text).
            if let Some(text) = line["text"].as_str() {
                let long: Vec<String> = text.split_whitespace().map(|w| w.repeat(4)).collect();
                line["text"] = json!(long.join(" "));
            }
        }
    }
    script
}

fn answer(mode: Mode, task: &FakeTask) -> Value {
    match (mode, task.task.as_str()) {
        (Mode::NothingFound, "research.deep_dive") => json!({ "findings": [] }),
        (Mode::OffBrand, "script.brand_score") => {
            let mut report = rehearsal(task);
            report["score"] = json!(0.1);
            report
        }
        (Mode::PoorScript, "script.evaluate") => scored(task, 2.0),
        (Mode::Undecided, "script.evaluate") => match task.inputs["evaluator"].as_str() {
            Some("Arbiter") => scored(task, 6.0),
            Some("Evaluator B") => scored(task, 3.0),
            _ => scored(task, 9.0),
        },
        (Mode::LongWinded, "script.write" | "script.polish") => long_winded(rehearsal(task)),
        _ => rehearsal(task),
    }
}

/// How to bring a run to rest at `kind`: the fakes' mode and the budget (parks after sign-off are reached by
/// signing the script off on the way).
struct Route {
    mode: Mode,
    budget: Money,
}

fn route_to(kind: ParkKind) -> Option<Route> {
    let normal = Money::from_micros(20_000_000);
    let route = |mode| Route { mode, budget: normal };
    Some(match kind {
        ParkKind::ScriptSignoff => route(Mode::Healthy),
        ParkKind::Release => route(Mode::Healthy),
        ParkKind::Research => route(Mode::NothingFound),
        ParkKind::Brand => route(Mode::OffBrand),
        ParkKind::Evaluation => route(Mode::PoorScript),
        ParkKind::Arbiter => route(Mode::Undecided),
        ParkKind::Audio => route(Mode::LongWinded),
        ParkKind::Budget => Route {
            mode: Mode::Healthy,
            budget: Money::from_micros(1_000),
        },
        ParkKind::Failed => route(Mode::RefusedKeys),
        // Only a pipeline other than the standard one has such a gate; `every_gate_of_the_standard_pipeline…`
        // below checks none of its gates falls here.
        ParkKind::OtherGate => return None,
    })
}

const KINDS: [ParkKind; 10] = [
    ParkKind::ScriptSignoff,
    ParkKind::Release,
    ParkKind::Research,
    ParkKind::Brand,
    ParkKind::Evaluation,
    ParkKind::Arbiter,
    ParkKind::Audio,
    ParkKind::OtherGate,
    ParkKind::Budget,
    ParkKind::Failed,
];

struct Studio {
    app: App,
    servers: Vec<FakeServer>,
    show: ShowId,
    mode: Arc<Mutex<Mode>>,
}

impl Studio {
    async fn park(&self, run: &RunId) -> Option<ParkView> {
        decisions::park(&self.app, run).await.unwrap()
    }

    async fn rest(&self, run: &RunId) -> RunStatus {
        self.app.engine().drive_to_rest(run).await.unwrap()
    }

    /// Drives `run` until it rests at `kind`, signing off the script on the way when `kind` comes after it.
    async fn rest_at(&self, run: &RunId, kind: ParkKind) -> ParkView {
        self.rest(run).await;
        let mut park = self.park(run).await.expect("the run waits for a decision");
        if park.kind == ParkKind::ScriptSignoff && matches!(kind, ParkKind::Audio | ParkKind::Release) {
            let view = decisions::decide(
                &self.app,
                run,
                &park.stage,
                ProducerDecision::Approve { note: String::new() },
            )
            .await
            .unwrap();
            assert_eq!(view.status, RunStatus::Running);
            self.rest(run).await;
            park = self.park(run).await.expect("the run waits for a decision");
        }
        assert_eq!(park.kind, kind, "expected to wait at {kind:?}: {park:#?}");
        park
    }

    async fn start_at(&self, kind: ParkKind, n: usize) -> (RunId, ParkView) {
        let route = route_to(kind).expect("reachable");
        *self.mode.lock().unwrap() = route.mode;
        self.refuse_keys(route.mode == Mode::RefusedKeys);
        let episode = episodes::start_episode(
            &self.app,
            NewEpisode {
                show_id: self.show.clone(),
                topic: format!("Why tides turn, take {n}"),
                target_minutes: 1,
                budget_cap: route.budget,
            },
        )
        .await
        .unwrap();
        let run = episodes::episode(&self.app, &episode.id).await.unwrap().run_id.unwrap();
        let park = self.rest_at(&run, kind).await;
        (run, park)
    }

    fn refuse_keys(&self, refuse: bool) {
        for server in &self.servers {
            server
                .script()
                .set_fault_rate(if refuse { 1.0 } else { 0.0 }, vec![Fault::ServerError], 11);
        }
    }

    async fn attempts_of(&self, run: &RunId, stage: &StageId) -> usize {
        let attempts = self.app.store().attempts(run).await.unwrap();
        attempts.iter().filter(|a| &a.stage == stage).count()
    }
}

fn offers(park: &ParkView) -> Vec<&'static str> {
    park.available
        .iter()
        .map(|o| match o {
            AvailableDecision::Approve => "approve",
            AvailableDecision::ContinueAnyway => "continue_anyway",
            AvailableDecision::SendBack { .. } => "send_back",
            AvailableDecision::Edit { .. } => "edit",
            AvailableDecision::RaiseBudget { .. } => "raise_budget",
            AvailableDecision::Retry => "retry",
            AvailableDecision::Stop => "stop",
        })
        .collect()
}

fn edit_target(park: &ParkView) -> Option<EditTarget> {
    park.available.iter().find_map(|o| match o {
        AvailableDecision::Edit { target, .. } => Some(*target),
        _ => None,
    })
}

/// The stage a send-back redoes in this test: the latest work stage offered (the one nearest the gate).
fn nearest_stage(park: &ParkView) -> StageId {
    park.available
        .iter()
        .find_map(|o| match o {
            AvailableDecision::SendBack { stages } => stages.last().map(|s| s.stage.clone()),
            _ => None,
        })
        .expect("a stage to send back to")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_park_kind_offers_decisions_and_each_decision_moves_the_run() {
    let mode = Arc::new(Mutex::new(Mode::Healthy));
    let shared = mode.clone();
    let responder: Responder = Arc::new(move |task: &FakeTask| answer(*shared.lock().unwrap(), task));
    let anthropic = showrunner_provider_fakes::anthropic::start(FakeConfig::new(KEYS[0].1, responder.clone())).await;
    let gemini = showrunner_provider_fakes::gemini::start(FakeConfig::new(KEYS[1].1, responder.clone())).await;
    let perplexity = showrunner_provider_fakes::perplexity::start(FakeConfig::new(KEYS[2].1, responder)).await;
    point_at("anthropic", &anthropic);
    point_at("gemini", &gemini);
    point_at("perplexity", &perplexity);
    for (var, value) in KEYS {
        std::env::set_var(var, value);
    }
    std::env::set_var(showrunner_secrets::BACKEND_ENV_VAR, "none");
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppOptions {
        data_dir: Some(dir.path().to_path_buf()),
        offline: false,
    })
    .await
    .unwrap();
    let show = shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();
    let studio = Studio {
        app,
        servers: vec![anthropic, gemini, perplexity],
        show: show.id,
        mode,
    };

    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    for kind in KINDS {
        if route_to(kind).is_none() {
            continue;
        }
        // First run: the decision that goes on (approve, continue anyway, raise the cap, retry).
        let (run, park) = studio.start_at(kind, next()).await;
        let offered = offers(&park);
        assert!(offered.contains(&"stop"), "{kind:?} can always be stopped: {offered:?}");
        match kind {
            ParkKind::ScriptSignoff | ParkKind::Release => {
                assert_eq!(offered, ["approve", "send_back", "edit", "stop"], "{kind:?}");
                let target = if kind == ParkKind::Release {
                    EditTarget::Master
                } else {
                    EditTarget::Script
                };
                assert_eq!(edit_target(&park), Some(target));
            }
            ParkKind::Research | ParkKind::Brand | ParkKind::Evaluation | ParkKind::Arbiter | ParkKind::Audio => {
                assert_eq!(offered, ["continue_anyway", "send_back", "edit", "stop"], "{kind:?}");
                assert!(
                    !park.failing.is_empty(),
                    "{kind:?}: the failing figures are shown: {park:#?}"
                );
                let target = match kind {
                    ParkKind::Research => EditTarget::Research,
                    ParkKind::Audio => EditTarget::Master,
                    _ => EditTarget::Script,
                };
                assert_eq!(edit_target(&park), Some(target), "{kind:?}");
            }
            ParkKind::Budget => assert_eq!(offered, ["raise_budget", "stop"]),
            ParkKind::Failed => {
                assert_eq!(offered, ["retry", "stop"]);
                assert!(park.hint.is_some_and(|h| h != FailureHint::ReportBug), "{park:#?}");
                assert!(
                    park.advice.as_deref().unwrap_or_default().contains("retry"),
                    "{park:#?}"
                );
            }
            ParkKind::OtherGate => unreachable!("skipped above"),
        }
        // A decision the park does not offer is refused and changes nothing.
        let wrong = match kind {
            ParkKind::Failed | ParkKind::Budget => ProducerDecision::Approve { note: String::new() },
            _ => ProducerDecision::Retry,
        };
        let refused = decisions::decide(&studio.app, &run, &park.stage, wrong)
            .await
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
        assert_eq!(studio.park(&run).await.as_ref().map(|p| p.kind), Some(kind));

        let go_on = match kind {
            ParkKind::ScriptSignoff | ParkKind::Release => ProducerDecision::Approve { note: "good".into() },
            ParkKind::Budget => ProducerDecision::RaiseBudget {
                cap: Money::from_micros(20_000_000),
            },
            ParkKind::Failed => {
                *studio.mode.lock().unwrap() = Mode::Healthy;
                studio.refuse_keys(false);
                ProducerDecision::Retry
            }
            _ => ProducerDecision::ContinueAnyway {
                note: "fine for this episode".into(),
            },
        };
        let gate = park.stage.clone();
        decisions::decide(&studio.app, &run, &gate, go_on).await.unwrap();
        studio.rest(&run).await;
        let after = runs::run_view(&studio.app, &run).await.unwrap();
        let stage = after.stages.iter().find(|s| s.stage == gate).unwrap();
        match kind {
            ParkKind::Budget | ParkKind::Failed => {
                assert!(
                    after.decision.as_ref().is_none_or(|p| p.kind != kind),
                    "{kind:?}: the run moved on: {:#?}",
                    after.decision
                );
                assert_eq!(stage.status, AttemptStatus::Done, "{kind:?}: {stage:#?}");
            }
            _ => {
                assert_eq!(stage.status, AttemptStatus::Done, "{kind:?}: the gate is passed");
                assert!(
                    after.decision.as_ref().is_none_or(|p| p.stage != gate),
                    "{kind:?}: the run went past {gate}"
                );
            }
        }
        if matches!(
            kind,
            ParkKind::Research | ParkKind::Brand | ParkKind::Evaluation | ParkKind::Arbiter | ParkKind::Audio
        ) {
            let decided = studio.app.store().decisions(&run).await.unwrap();
            let last = decided.last().unwrap();
            assert!(
                matches!(&last.decision, showrunner_api::domain::DecisionKind::ContinueAnyway { failing } if *failing == park.failing),
                "the override keeps the failing figures: {last:?}"
            );
            assert_eq!(last.note, "fine for this episode");
        }

        // Second run: send back (where offered), then stop.
        let (run, park) = studio.start_at(kind, next()).await;
        if offers(&park).contains(&"send_back") {
            let redo = nearest_stage(&park);
            let before = studio.attempts_of(&run, &redo).await;
            decisions::decide(
                &studio.app,
                &run,
                &park.stage,
                ProducerDecision::SendBack {
                    stage: redo.clone(),
                    note: "Open with the 1953 storm.".into(),
                },
            )
            .await
            .unwrap();
            // Sent back from release, the script comes back for sign-off on the way.
            let park = studio.rest_at(&run, kind).await;
            assert!(
                studio.attempts_of(&run, &redo).await > before,
                "{kind:?}: {redo} was redone"
            );
            if kind != ParkKind::ScriptSignoff && kind != ParkKind::Release {
                // The producer's decision gave the gate its send-backs again: it sent the work back itself
                // before asking once more.
                let gate_runs = studio.attempts_of(&run, &park.stage).await;
                assert!(gate_runs >= 2, "{kind:?}: the gate judged the redone work: {gate_runs}");
            }
        }
        let park = studio.park(&run).await.unwrap();
        decisions::decide(&studio.app, &run, &park.stage, ProducerDecision::Stop)
            .await
            .unwrap();
        let stopped = runs::run_view(&studio.app, &run).await.unwrap();
        assert_eq!(stopped.status, RunStatus::Cancelled, "{kind:?}");
        assert!(stopped.decision.is_none(), "a stopped run waits for nothing");
    }
}
