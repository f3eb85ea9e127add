//! A decision that lands while the run's driver still holds the run (it has written the park but not let go
//! of the run yet) is driven by that same task, from the store: the state a drive keeps in memory is rebuilt
//! when the loop is entered again, so the decision is seen instead of the run parking at the decided gate.

use std::sync::atomic::Ordering;
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::Duration;

use showrunner_domain::{DecisionKind, EpisodeStatus, RunStatus, StageId};
use showrunner_engine::HumanDecision;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use crate::harness::Rig;

/// Stops the driver of one run right after it wrote the run's park (the "run status changed" event), until
/// the test lets it go: the window in which a decision finds the run parked and its driver still there.
struct HoldAtPark;

/// The run whose driver to hold, set by the test before it drives.
static ARMED: Mutex<Option<Armed>> = Mutex::new(None);

struct Armed {
    run_id: String,
    parked: mpsc::Sender<()>,
    release: mpsc::Receiver<()>,
}

/// The `run_id` of a `run` span, kept so events inside it can be matched to their run.
struct RunIdOf(String);

#[derive(Default)]
struct Fields {
    run_id: Option<String>,
    message: Option<String>,
    status: Option<String>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        match field.name() {
            "run_id" => self.run_id = Some(text),
            "message" => self.message = Some(text),
            "status" => self.status = Some(text),
            _ => {}
        }
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for HoldAtPark {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let (Some(run_id), Some(span)) = (fields.run_id, ctx.span(id)) {
            span.extensions_mut().insert(RunIdOf(run_id));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if fields.message.as_deref() != Some("run status changed") || fields.status.as_deref() != Some("parked") {
            return;
        }
        let run_id = ctx.event_scope(event).and_then(|scope| {
            scope
                .from_root()
                .find_map(|s| s.extensions().get::<RunIdOf>().map(|r| r.0.clone()))
        });
        let armed = {
            let mut armed = ARMED.lock().unwrap();
            match armed.as_ref() {
                Some(a) if Some(&a.run_id) == run_id.as_ref() => armed.take(),
                _ => None,
            }
        };
        if let Some(armed) = armed {
            let _ = armed.parked.send(());
            // Hands this worker's other tasks to another thread while the driver waits.
            tokio::task::block_in_place(|| {
                let _ = armed.release.recv_timeout(Duration::from_secs(30));
            });
        }
    }
}

/// Holds the driver of `run` at its park once; installed for the whole test binary on first use.
fn arm(run_id: String, parked: mpsc::Sender<()>, release: mpsc::Receiver<()>) {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(HoldAtPark))
            .expect("no other subscriber in the engine tests");
    });
    *ARMED.lock().unwrap() = Some(Armed {
        run_id,
        parked,
        release,
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_made_while_the_driver_still_holds_the_parked_run_is_driven_from_the_store() {
    let rig = Rig::new().await;
    let run = rig.start().await;
    let (parked_tx, parked_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    arm(run.id.to_string(), parked_tx, release_rx);
    let driver = rig.engine.spawn_drive(&run.id).expect("a new driver");
    tokio::task::spawn_blocking(move || parked_rx.recv_timeout(Duration::from_secs(30)))
        .await
        .unwrap()
        .expect("the run parks at the review gate");

    assert!(
        rig.engine.is_driving(&run.id),
        "the driver has not let go of the run yet"
    );
    let approve = HumanDecision {
        decision: DecisionKind::Approve,
        note: "sounds right".into(),
        decided_by: "pat".into(),
        artifact_version: 1,
    };
    rig.engine
        .decide(&run.id, &StageId::new("review"), approve)
        .await
        .expect("the run is parked in the store, so the decision applies");
    release_tx.send(()).unwrap();

    let status = driver.await.unwrap().unwrap();
    assert_eq!(status, RunStatus::Done, "the same task drove on past the decided gate");
    assert_eq!(rig.runner("done").runs.load(Ordering::SeqCst), 1);
    assert_eq!(
        rig.runner("a").runs.load(Ordering::SeqCst),
        1,
        "nothing before the gate is redone"
    );
    let review_attempts = rig
        .store
        .attempts(&run.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.stage == "review")
        .count();
    assert_eq!(review_attempts, 1, "the decided gate is not parked at again");
    assert_eq!(rig.subject.now(), Some(EpisodeStatus::Released));
}
