//! The script room on the offline crew and a real SQLite file: versions with provenance, diffs, restore,
//! typed edits on a base version, locks kept through polish and a send-back rewrite, coded refusals.

use showrunner_api::domain::{AttemptStatus, Episode, EpisodeStatus};
use showrunner_api::dto::ScriptView;
use showrunner_api::script::{self, ScriptEditRequest};
use showrunner_api::script_room::{LineChange, ScriptEdit, VersionOrigin};
use showrunner_api::{episodes, runs, ApiError, App, ErrorCode};

use crate::{assert_status, open, settle, show, start};

async fn at_sign_off(dir: &std::path::Path) -> (App, Episode, ScriptView) {
    let app = open(dir).await;
    let show = show(&app, 2).await;
    let episode = start(&app, &show, 2).await;
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);
    let view = script::get_script(&app, &episode.id).await.unwrap();
    assert!(view.editable);
    (app, episode, view)
}

fn field(e: &ApiError) -> String {
    e.details
        .as_ref()
        .and_then(|d| d["errors"][0]["field"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn edit(base_version: u32, edits: Vec<ScriptEdit>) -> ScriptEditRequest {
    ScriptEditRequest { base_version, edits }
}

fn set_text(line_id: &str, text: &str) -> ScriptEdit {
    ScriptEdit::SetText {
        line_id: line_id.into(),
        text: text.into(),
    }
}

/// The route of the newest done attempt of `stage`.
async fn route_of(app: &App, episode: &Episode, stage: &str) -> String {
    let run = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    let view = runs::run_view(app, &run).await.unwrap();
    view.stages
        .iter()
        .rfind(|s| s.stage.as_str() == stage && s.status == AttemptStatus::Done)
        .and_then(|s| s.route.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn locked_lines_survive_a_send_back_rewrite_and_the_polish_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let (app, episode, view) = at_sign_off(dir.path()).await;
    let target = view.script.segments[1].lines[0].clone();
    let untouched = view.script.segments[1].lines[1].clone();
    // Text the offline writer would never write and its polish would change (curly quote, no capital, no
    // full stop): only the lock can bring it through both.
    let locked_text = "the keeper\u{2019}s log stays exactly as the producer wrote it";
    let locked = script::edit_script(
        &app,
        &episode.id,
        edit(
            view.latest_version,
            vec![
                set_text(&target.id, locked_text),
                ScriptEdit::SetLock {
                    line_id: target.id.clone(),
                    locked: true,
                },
                ScriptEdit::SetComment {
                    line_id: target.id.clone(),
                    comment: "legal cleared this wording".into(),
                },
                ScriptEdit::SetLock {
                    line_id: untouched.id.clone(),
                    locked: true,
                },
            ],
        ),
    )
    .await
    .unwrap();

    script::send_back_script(&app, &episode.id, "script.write", "Warmer opening, please.")
        .await
        .unwrap();
    let episode = settle(&app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);

    let after = script::get_script(&app, &episode.id).await.unwrap();
    let kept = after.script.line(&target.id).expect("the locked line is still there");
    assert_eq!(kept.text, locked_text, "the locked line came through verbatim");
    assert!(kept.locked, "the lock itself is kept");
    assert_eq!(kept.comment, "legal cleared this wording");
    assert_eq!(after.script.line(&untouched.id), locked.script.line(&untouched.id));
    // The rehearsal writer rewrote the line and the polish retouched it: both stages report the restore.
    assert!(
        route_of(&app, &episode, "script.write").await.contains(&target.id),
        "the writer's route names the restored line"
    );
    assert!(
        route_of(&app, &episode, "script.polish").await.contains(&target.id),
        "the polish's route names the restored line"
    );

    // The rewrite is listed as a send-back with the note, and its diff keeps the locked line unchanged.
    let versions = script::script_versions(&app, &episode.id).await.unwrap();
    let rewrite = versions
        .iter()
        .find(|v| v.origin == VersionOrigin::SendBack)
        .expect("a send-back version");
    assert_eq!(rewrite.note, "Warmer opening, please.");
    assert!(rewrite.version > locked.latest_version);
    let diff = script::diff_versions(&app, &episode.id, locked.latest_version, after.latest_version)
        .await
        .unwrap();
    let row = diff
        .rows
        .iter()
        .find(|r| r.new.as_ref().is_some_and(|n| n.line_id == target.id))
        .unwrap();
    assert_eq!(row.change, LineChange::Same);
    assert!(row.new.as_ref().unwrap().locked);
}

#[tokio::test(flavor = "multi_thread")]
async fn history_and_diff_after_edit_restore_edit() {
    let dir = tempfile::tempdir().unwrap();
    let (app, episode, view) = at_sign_off(dir.path()).await;
    let v0 = view.latest_version;
    let line = view.script.segments[1].lines[0].clone();
    let other = view
        .speakers
        .iter()
        .find(|s| **s != line.speaker)
        .expect("two hosts")
        .clone();

    let edited = script::edit_line(&app, &episode.id, &line.id, "A brand new sentence here.", v0)
        .await
        .unwrap();
    let restored = script::restore_version(&app, &episode.id, v0, edited.latest_version)
        .await
        .unwrap();
    assert_eq!(restored.script, view.script, "a restore brings the old content back");
    let last = script::edit_script(
        &app,
        &episode.id,
        edit(
            restored.latest_version,
            vec![ScriptEdit::SetSpeaker {
                line_id: line.id.clone(),
                speaker: other.clone(),
            }],
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        (edited.latest_version, restored.latest_version, last.latest_version),
        (v0 + 1, v0 + 2, v0 + 3)
    );

    let versions = script::script_versions(&app, &episode.id).await.unwrap();
    let tail: Vec<(VersionOrigin, &str)> = versions[versions.len() - 3..]
        .iter()
        .map(|v| (v.origin, v.note.as_str()))
        .collect();
    let speaker_note = format!("gave {} to {other}", line.id);
    assert_eq!(
        tail,
        [
            (VersionOrigin::ProducerEdit, format!("edited {}", line.id).as_str()),
            (VersionOrigin::Restore, format!("restored v{v0}").as_str()),
            (VersionOrigin::ProducerEdit, speaker_note.as_str()),
        ]
    );
    assert_eq!(versions[0].origin, VersionOrigin::Writer);
    assert!(versions.iter().any(|v| v.origin == VersionOrigin::Polish));

    let first = script::diff_versions(&app, &episode.id, v0, v0 + 1).await.unwrap();
    assert_eq!((first.changed, first.added, first.removed), (1, 0, 0));
    let row = first.rows.iter().find(|r| r.change == LineChange::Changed).unwrap();
    let new_words: String = row
        .new
        .as_ref()
        .unwrap()
        .spans
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(new_words, "A brand new sentence here.");
    assert!(row.new.as_ref().unwrap().spans.iter().any(|s| s.changed));
    let back = script::diff_versions(&app, &episode.id, v0, v0 + 2).await.unwrap();
    assert_eq!((back.changed, back.added, back.removed), (0, 0, 0));
    let speaker = script::diff_versions(&app, &episode.id, v0 + 2, v0 + 3).await.unwrap();
    assert_eq!(speaker.changed, 1);
    // An old version can be read, but not edited.
    let old = script::get_script_version(&app, &episode.id, v0 + 1).await.unwrap();
    assert!(!old.editable);
    assert_eq!(old.script.line(&line.id).unwrap().text, "A brand new sentence here.");
}

#[tokio::test(flavor = "multi_thread")]
async fn of_two_concurrent_edits_one_wins_and_the_other_gets_conflict_with_the_newer_version() {
    let dir = tempfile::tempdir().unwrap();
    let (app, episode, view) = at_sign_off(dir.path()).await;
    let line = view.script.segments[0].lines[0].id.clone();
    let base = view.latest_version;
    let (a, b) = tokio::join!(
        script::edit_script(
            &app,
            &episode.id,
            edit(base, vec![set_text(&line, "First producer's words.")])
        ),
        script::edit_script(
            &app,
            &episode.id,
            edit(base, vec![set_text(&line, "Second producer's words.")])
        ),
    );
    let (winner, loser) = match (a, b) {
        (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
        other => panic!("exactly one edit must win: {other:?}"),
    };
    assert_eq!(loser.code, ErrorCode::Conflict);
    assert_eq!(field(&loser), "base_version");
    let current = &loser.details.as_ref().unwrap()["current"];
    assert_eq!(current["artifact"]["version"], winner.latest_version);
    let now = script::get_script(&app, &episode.id).await.unwrap();
    assert_eq!(now.latest_version, base + 1, "one new version, not two");
    assert_eq!(now.script.line(&line), winner.script.line(&line));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_edits_are_refused_with_the_field_named_and_nothing_saved_and_none_after_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let (app, episode, view) = at_sign_off(dir.path()).await;
    let base = view.latest_version;
    let line = view.script.segments[0].lines[0].id.clone();
    let cases: Vec<(ScriptEditRequest, ErrorCode, &str)> = vec![
        (
            edit(
                base,
                vec![ScriptEdit::SetSpeaker {
                    line_id: line.clone(),
                    speaker: "Nobody".into(),
                }],
            ),
            ErrorCode::InvalidInput,
            "speaker",
        ),
        (
            edit(base, vec![set_text(&line, "   ")]),
            ErrorCode::InvalidInput,
            "text",
        ),
        (
            edit(
                base,
                vec![ScriptEdit::SetLock {
                    line_id: "S9-L99".into(),
                    locked: true,
                }],
            ),
            ErrorCode::NotFound,
            "line_id",
        ),
        (
            edit(base - 1, vec![set_text(&line, "Fine words.")]),
            ErrorCode::Conflict,
            "base_version",
        ),
    ];
    for (request, code, expected) in cases {
        let err = script::edit_script(&app, &episode.id, request.clone())
            .await
            .unwrap_err();
        assert_eq!((err.code, field(&err).as_str()), (code, expected), "{request:?}");
    }
    let err = script::send_back_script(&app, &episode.id, "script.write", " ")
        .await
        .unwrap_err();
    assert_eq!(field(&err), "note");
    assert_eq!(
        script::get_script(&app, &episode.id).await.unwrap().latest_version,
        base,
        "nothing was saved"
    );

    script::approve_script(&app, &episode.id, "").await.unwrap();
    let err = script::edit_script(&app, &episode.id, edit(base, vec![set_text(&line, "Too late.")]))
        .await
        .unwrap_err();
    assert_eq!((err.code, field(&err).as_str()), (ErrorCode::Conflict, "script"));
    let err = script::restore_version(&app, &episode.id, 1, base).await.unwrap_err();
    assert_eq!(field(&err), "script");
    assert_eq!(
        script::get_script(&app, &episode.id).await.unwrap().latest_version,
        base
    );
}
