//! Every park a producer can reach, in the real window. The app runs with real provider clients pointed at
//! local fakes (scripted to fail one gate at a time, as in the api's decision test, which enumerates the park
//! kinds); for each park the test starts an episode from the New episode form, waits for the decision panel
//! to name that park, checks the ways forward it shows, takes the one that goes on, and sees the run move
//! past it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::{Client, Locator};
use showrunner_e2e::*;
use showrunner_provider_fakes::{FakeConfig, FakeServer, FakeTask, Responder};

#[path = "../../../../crates/api/tests/api/support/offline_answers.rs"]
mod offline_answers;
#[path = "../../../../crates/api/tests/api/support/park_answers.rs"]
mod park_answers;
use park_answers::{answer, Mode};

const KEYS: [(&str, &str); 3] = [
    ("ANTHROPIC_API_KEY", "sk-ant-fake-key-w1nd0w1"),
    ("GEMINI_API_KEY", "AIzaFakeGeminiKey-w1nd0w2"),
    ("PERPLEXITY_API_KEY", "pplx-fake-key-w1nd0w3"),
];

/// The parks the decision panel names (`data-park-kind`), as the backend serializes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Park {
    Research,
    Evaluation,
    Arbiter,
    Audio,
    Brand,
    Budget,
    Failed,
}

impl Park {
    /// The stage row that shows the park's stage done once the decision has moved the run past it.
    fn moved_row(self) -> &'static str {
        match self {
            Park::Research => "stage-row-research-validate",
            Park::Evaluation | Park::Arbiter => "stage-row-script-evaluate",
            Park::Audio => "stage-row-audio-validate",
            Park::Brand => "stage-row-script-write",
            Park::Budget => "stage-row-research-discover",
            Park::Failed => "stage-row-plan",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Park::Research => "research",
            Park::Evaluation => "evaluation",
            Park::Arbiter => "arbiter",
            Park::Audio => "audio",
            Park::Brand => "brand",
            Park::Budget => "budget",
            Park::Failed => "failed",
        }
    }
}

/// How the fakes answer and what the episode's budget is, to reach `park`; and the decision that goes on.
fn route_to(park: Park) -> (Mode, &'static str) {
    match park {
        Park::Research => (Mode::NothingFound, "20"),
        Park::Evaluation => (Mode::PoorScript, "20"),
        Park::Arbiter => (Mode::Undecided, "20"),
        Park::Audio => (Mode::LongWinded, "20"),
        Park::Brand => (Mode::OffBrand, "20"),
        Park::Budget => (Mode::Healthy, "0.001"),
        Park::Failed => (Mode::Unusable, "20"),
    }
}

const PARKS: [Park; 7] = [
    Park::Research,
    Park::Brand,
    Park::Evaluation,
    Park::Arbiter,
    Park::Budget,
    Park::Failed,
    Park::Audio,
];

/// How many attempts a stage row counts.
async fn attempts(c: &Client, row: &str) -> u32 {
    attr(c, row, "data-attempts")
        .await
        .and_then(|a| a.parse().ok())
        .unwrap_or(0)
}

/// The park the run screen's decision panel shows now, if any.
async fn shown_park(c: &Client) -> Option<String> {
    attr(c, "decision-panel", "data-park-kind").await
}

async fn wait_for_park(c: &Client, want: &str, within: Duration) {
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        if shown_park(c).await.as_deref() == Some(want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let shot = screenshot(c, &format!("timed-out-waiting-for-{want}")).await;
    let page = match c.find(Locator::Css("main")).await {
        Ok(main) => main.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    panic!(
        "the decision panel at the {want} park did not appear within {within:?} (showing {:?}; {}):\n{page}",
        shown_park(c).await,
        shot.display()
    );
}

async fn visible(c: &Client, id: &str) -> bool {
    match c.find(Locator::Css(&testid(id))).await {
        Ok(el) => el.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

async fn start_episode(c: &Client, topic: &str, budget: &str) {
    click(c, "nav-new-episode").await;
    type_into(c, "episode-topic", topic).await;
    let show = find(c, "episode-show", Duration::from_secs(10)).await;
    show.select_by_label("Harbour Lights").await.expect("pick the show");
    type_into(c, "episode-minutes", "1").await;
    type_into(c, "episode-budget", budget).await;
    click(c, "episode-start").await;
    find(c, "stage-row-research-discover", Duration::from_secs(20)).await;
}

/// Picks the last stage the send-back list offers (the nearest the gate), as a producer's pick would: the
/// change event is what the panel listens to.
async fn pick_last_send_back_stage(c: &Client) -> String {
    let picked = c
        .execute(
            "const s = document.querySelector(\"[data-testid='send-back-stage']\");
             s.value = s.options[s.options.length - 1].value;
             s.dispatchEvent(new Event('change', { bubbles: true }));
             return s.value;",
            vec![],
        )
        .await
        .expect("pick a stage to send back to");
    picked.as_str().unwrap_or_default().to_owned()
}

/// Stops the run, from its decision panel if it waits at one, else with Cancel run (the confirm step
/// included), so it uses no more of the machine. The run may come to a park between two clicks, so each
/// round looks again at what the screen offers.
async fn stop_run(c: &Client) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let stop = if visible(c, "decide-stop").await {
            "decide-stop"
        } else if visible(c, "cancel-run").await {
            "cancel-run"
        } else {
            return;
        };
        if let Ok(button) = c.find(Locator::Css(&testid(stop))).await {
            let _ = button.click().await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        if let Ok(confirm) = c.find(Locator::Css(&testid(&format!("{stop}-confirm")))).await {
            let _ = confirm.click().await;
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    let shot = screenshot(c, "not-stopped").await;
    panic!("the run did not stop ({})", shot.display());
}

/// Waits until the decision moved the run: the park's stage is done and the panel no longer shows that park
/// (the run goes on, or waits at a later park).
async fn wait_until_moved(c: &Client, park: Park) {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while std::time::Instant::now() < deadline {
        let done = attr(c, park.moved_row(), "data-status").await.as_deref() == Some("done");
        if done && shown_park(c).await.as_deref() != Some(park.kind()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let shot = screenshot(c, &format!("not-moved-{}", park.kind())).await;
    panic!("{park:?}: the decision did not move the run ({})", shot.display());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_park_offers_its_decisions_in_the_window_and_each_moves_the_run() {
    let mode = Arc::new(Mutex::new(Mode::Healthy));
    let shared = mode.clone();
    let responder: Responder = Arc::new(move |task: &FakeTask| answer(*shared.lock().unwrap(), task));
    let servers: Vec<(&str, FakeServer)> = vec![
        (
            "anthropic",
            showrunner_provider_fakes::anthropic::start(FakeConfig::new(KEYS[0].1, responder.clone())).await,
        ),
        (
            "gemini",
            showrunner_provider_fakes::gemini::start(FakeConfig::new(KEYS[1].1, responder.clone())).await,
        ),
        (
            "perplexity",
            showrunner_provider_fakes::perplexity::start(FakeConfig::new(KEYS[2].1, responder)).await,
        ),
    ];
    // The app gets them through tauri-driver and WebKitWebDriver, which pass their environment on.
    let mut env: Vec<(String, String)> = servers
        .iter()
        .map(|(provider, server)| offline_answers::base_url_var(provider, server))
        .collect();
    env.extend(KEYS.iter().map(|(var, value)| (var.to_string(), value.to_string())));

    let data = tempfile::tempdir().expect("temp data dir");
    let driver = start_driver_with(data.path(), &env);
    let c = launch(&driver).await;
    create_show(&c, "Harbour Lights", "1", None).await;

    for (n, park) in PARKS.into_iter().enumerate() {
        let (fakes, budget) = route_to(park);
        *mode.lock().unwrap() = fakes;
        start_episode(&c, &format!("Why tides turn, take {n}"), budget).await;
        if park == Park::Audio {
            // The audio gate comes after the script's sign-off, which the producer gives on the way.
            wait_for_park(&c, "script_signoff", Duration::from_secs(120)).await;
            click(&c, "decide-approve").await;
        }
        wait_for_park(&c, park.kind(), Duration::from_secs(180)).await;
        screenshot(&c, &format!("park-{}", park.kind())).await;
        assert!(
            visible(&c, "decide-stop").await,
            "{park:?}: the run can always be stopped"
        );

        match park {
            Park::Research | Park::Evaluation | Park::Arbiter | Park::Audio => {
                assert!(visible(&c, "decide-continue").await, "{park:?}: continue anyway");
                assert!(visible(&c, "decide-send-back").await, "{park:?}: send back");
                assert!(visible(&c, "failing-figures").await, "{park:?}: the failing figures");
                let mut editable = false;
                for id in ["open-script", "open-artifact", "open-master"] {
                    editable |= visible(&c, id).await;
                }
                assert!(editable, "{park:?}: a way to edit the work");
                type_into(&c, "decision-note", "Fine for this episode.").await;
                click(&c, "decide-continue").await;
            }
            Park::Brand => {
                // Send the script back with a note: the writer redoes it (the brand gate then judges the
                // redone script; the offline answers the fakes give ignore the note, so it fails again).
                assert!(visible(&c, "decide-continue").await, "brand: continue anyway");
                type_into(&c, "decision-note", "Open with the 1953 storm.").await;
                let stage = pick_last_send_back_stage(&c).await;
                assert_eq!(stage, "script.write", "the nearest work stage is offered last");
                let writes = attempts(&c, "stage-row-script-write").await;
                click(&c, "decide-send-back").await;
                eventually(Duration::from_secs(120), "script.write to be redone", || async {
                    let redone = attempts(&c, "stage-row-script-write").await > writes;
                    (redone && shown_park(&c).await.as_deref() == Some("brand")).then_some(())
                })
                .await;
            }
            Park::Budget => {
                assert!(!visible(&c, "decide-continue").await, "a budget park cannot be ignored");
                type_into(&c, "raise-budget-input", "20").await;
                click(&c, "raise-budget").await;
            }
            Park::Failed => {
                assert!(visible(&c, "decide-retry").await, "a failed run can be retried");
                let advice = find(&c, "failure-advice", Duration::from_secs(5))
                    .await
                    .text()
                    .await
                    .unwrap();
                assert!(advice.to_lowercase().contains("retry"), "{advice}");
                // The model's answers are usable again: the retry asks anew instead of replaying the
                // unusable plans it paid for.
                *mode.lock().unwrap() = Mode::Healthy;
                click(&c, "decide-retry").await;
            }
        }
        if park != Park::Brand {
            wait_until_moved(&c, park).await;
        }
        stop_run(&c).await;
    }
    c.close().await.expect("close the session");
}
