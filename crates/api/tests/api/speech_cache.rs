//! The speech cache across episodes of one show: a line with the same text, voice, engine and settings is
//! never paid twice. The second episode's unchanged lines reuse the first's takes (no call, $0 in its
//! ledger, the route says so); only an edited line is spoken.

use showrunner_api::domain::artifacts::SpeechTakes;
use showrunner_api::domain::{ArtifactKind, Episode, EpisodeStatus, Show};
use showrunner_api::script::{self, ScriptEditRequest};
use showrunner_api::script_room::ScriptEdit;
use showrunner_api::{episodes, ledger, runs, App};

use crate::{assert_status, open, settle, show, start};

const SYNTHESIZE: &str = "audio.synthesize";

/// Produces an episode to the release gate, applying `edit` to the first body line at sign-off.
async fn to_release(app: &App, show: &Show, edit: Option<&str>) -> Episode {
    let episode = settle(app, &start(app, show, 2).await).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);
    if let Some(text) = edit {
        let view = script::get_script(app, &episode.id).await.unwrap();
        let line = view.script.segments[1].lines[0].id.clone();
        let request = ScriptEditRequest {
            base_version: view.latest_version,
            edits: vec![ScriptEdit::SetText {
                line_id: line,
                text: text.into(),
            }],
        };
        script::edit_script(app, &episode.id, request).await.unwrap();
    }
    script::approve_script(app, &episode.id, "").await.unwrap();
    let episode = settle(app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    episode
}

struct Spoken {
    calls: usize,
    cost: i64,
    route: String,
    takes: SpeechTakes,
}

async fn spoken(app: &App, episode: &Episode) -> Spoken {
    let run = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    let view = ledger::run_ledger(app, &run).await.unwrap();
    let stage = view.stages.iter().find(|s| s.stage.as_str() == SYNTHESIZE);
    let run_view = runs::run_view(app, &run).await.unwrap();
    let synth = run_view.stages.iter().find(|s| s.stage.as_str() == SYNTHESIZE).unwrap();
    let record = app
        .store()
        .latest_artifact(&run, ArtifactKind::SpeechTakes)
        .await
        .unwrap()
        .unwrap();
    Spoken {
        calls: stage.map_or(0, |s| s.calls.len()),
        cost: stage.map_or(0, |s| s.cost.0),
        route: synth.route.clone().unwrap_or_default(),
        takes: serde_json::from_value(record.content).unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_second_episode_of_a_show_pays_only_for_the_line_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;

    let first = to_release(&app, &show, None).await;
    let first = spoken(&app, &first).await;
    let lines = first.takes.takes.len();
    assert!(lines > 3, "{lines} lines");
    assert_eq!(first.calls, lines, "the first episode speaks every line");
    assert!(!first.route.contains("reused"), "{}", first.route);

    let second = to_release(&app, &show, Some("A line the first episode never said.")).await;
    let second_spoken = spoken(&app, &second).await;
    assert_eq!(
        second_spoken.calls, 1,
        "only the edited line is spoken: {}",
        second_spoken.route
    );
    assert!(
        second_spoken
            .route
            .contains(&format!("reused {} takes from episode", lines - 1)),
        "{}",
        second_spoken.route
    );
    assert!(
        second_spoken.route.contains("$0 in this run"),
        "{}",
        second_spoken.route
    );
    assert!(second_spoken.cost <= first.cost);
    // The reused takes are the first episode's files; the edited one is new.
    let same = first
        .takes
        .takes
        .iter()
        .zip(&second_spoken.takes.takes)
        .filter(|(a, b)| a.audio == b.audio)
        .count();
    assert_eq!(same, lines - 1);

    // A third episode with the same edit reuses even that line: nothing is spoken at all.
    let third = to_release(&app, &show, Some("A line the first episode never said.")).await;
    assert_eq!(spoken(&app, &third).await.calls, 0);
}
