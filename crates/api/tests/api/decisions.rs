//! A decision at every park. The test enumerates the park kinds (an exhaustive match: a new kind does not
//! compile until it is driven here), drives a run to each with the real provider clients against their fakes
//! (scripted to fail the gate in question), checks the decisions offered there, and shows each decision moves
//! the run.

use std::sync::{Arc, Mutex};

use showrunner_api::decisions::{self, AvailableDecision, EditTarget, ParkKind, ParkView, ProducerDecision};
use showrunner_api::domain::{AttemptStatus, BrandVoice, Money, NewEpisode, RunId, RunStatus, ShowId, StageId};
use showrunner_api::{episodes, runs, shows, App, ErrorCode, FailureHint};
use showrunner_provider_fakes::{FakeConfig, FakeServer, FakeTask, Fault, Responder};

use crate::support::park_answers::{answer, Mode};

use crate::support::keyed_app::FakeEnvironment;

const KEYS: [(&str, &str); 3] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-d3c1s1"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-d3c1s2"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-d3c1s3"),
];

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
        ParkKind::Failed => route(Mode::Unusable),
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
        let episode = episodes::start_episode(
            &self.app,
            NewEpisode {
                show_id: self.show.clone(),
                topic: format!("Why tides turn, take {n}"),
                target_minutes: 1,
                budget_cap: route.budget,
                format: Default::default(),
                language: None,
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
                .set_fault_rate(if refuse { 1.0 } else { 0.0 }, vec![Fault::BadKey], 11);
        }
    }

    /// How many requests for `task` the fakes received.
    fn calls_to(&self, task: &str) -> usize {
        let marker = format!("Stage: {task} (");
        self.servers
            .iter()
            .flat_map(|s| s.requests())
            .filter(|r| String::from_utf8_lossy(&r.body).contains(&marker))
            .count()
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
    let mut env = FakeEnvironment::with_keys(&KEYS);
    env.point_at("anthropic", &anthropic);
    env.point_at("gemini", &gemini);
    env.point_at("perplexity", &perplexity);
    let dir = tempfile::tempdir().unwrap();
    let app = env.open(dir.path()).await;
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
                ProducerDecision::Retry
            }
            _ => ProducerDecision::ContinueAnyway {
                note: "fine for this episode".into(),
            },
        };
        let gate = park.stage.clone();
        let plans_asked = studio.calls_to("plan");
        decisions::decide(&studio.app, &run, &gate, go_on).await.unwrap();
        studio.rest(&run).await;
        if kind == ParkKind::Failed {
            assert!(
                studio.calls_to("plan") > plans_asked,
                "the retry asked for a plan again instead of replaying the unusable ones it paid for"
            );
        }
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

    // Keys that every provider refuses: the run fails saying so, instead of the offline crew writing a
    // rehearsal episode in their place; once the keys work, the retry goes on with the real providers.
    *studio.mode.lock().unwrap() = Mode::Healthy;
    studio.refuse_keys(true);
    let episode = episodes::start_episode(
        &studio.app,
        NewEpisode {
            show_id: studio.show.clone(),
            topic: "Why tides turn, with refused keys".into(),
            target_minutes: 1,
            budget_cap: Money::from_micros(20_000_000),
            format: Default::default(),
            language: None,
        },
    )
    .await
    .unwrap();
    let run = episodes::episode(&studio.app, &episode.id)
        .await
        .unwrap()
        .run_id
        .unwrap();
    studio.rest(&run).await;
    let park = studio.park(&run).await.expect("the run waits for a decision");
    assert_eq!(park.kind, ParkKind::Failed, "{park:#?}");
    assert_eq!(park.hint, Some(FailureHint::AddKey), "{park:#?}");
    assert!(park.summary.contains("offline crew"), "{}", park.summary);
    let view = runs::run_view(&studio.app, &run).await.unwrap();
    assert!(
        view.stages
            .iter()
            .all(|s| s.route.as_deref().is_none_or(|r| !r.contains("Rehearsal"))),
        "no stage was handed to the offline crew: {:#?}",
        view.stages
    );
    studio.refuse_keys(false);
    decisions::decide(&studio.app, &run, &park.stage, ProducerDecision::Retry)
        .await
        .unwrap();
    studio.rest(&run).await;
    let view = runs::run_view(&studio.app, &run).await.unwrap();
    let first = view.stages.iter().find(|s| s.stage == park.stage).unwrap();
    assert_eq!(first.status, AttemptStatus::Done, "{first:#?}");
    assert!(
        first.route.as_deref().is_some_and(|r| !r.contains("Rehearsal")),
        "{first:#?}"
    );
}
