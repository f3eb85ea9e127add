//! Prompts as versioned data through the API: the shipped default and a show's versions, a checked save
//! (a template that does not render is refused with nothing saved), the diff against the shipped default,
//! rollback as a new version, and the ledger row of the next call naming the version it rendered.

use showrunner_api::domain::{Episode, EpisodeStatus, Show};
use showrunner_api::prompts::{self, PromptLineChange, PromptSave, TemplateSource};
use showrunner_api::{episodes, ledger, runs, App, ErrorCode};

use crate::{assert_status, open, settle, show, start};

const THREE_ACTS: &str = "Stage: {{ task }} (prompt template v{{ version }})\n\
    Plan the episode as three acts, each ending on a question.\n\nInputs:\n{{ inputs }}";

fn save(template_id: &str, content: &str, note: &str) -> PromptSave {
    PromptSave {
        template_id: template_id.into(),
        content: content.into(),
        note: note.into(),
        author: "Ana".into(),
    }
}

/// The version the plan call of the episode's run rendered, from the ledger and from the Run view.
async fn plan_version(app: &App, episode: &Episode) -> (Option<u32>, Vec<String>) {
    let run = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    let view = ledger::run_ledger(app, &run).await.unwrap();
    let stage = view.stages.iter().find(|s| s.stage.as_str() == "plan").unwrap();
    assert_eq!(stage.calls[0].template_id.as_deref(), Some("plan"));
    assert_eq!(stage.calls[0].prompt_sha256.as_ref().map(String::len), Some(64));
    let run_view = runs::run_view(app, &run).await.unwrap();
    let prompts = run_view
        .stages
        .iter()
        .find(|s| s.stage.as_str() == "plan")
        .unwrap()
        .prompts
        .clone();
    (stage.calls[0].template_version, prompts)
}

async fn produce(app: &App, show: &Show) -> Episode {
    let episode = settle(app, &start(app, show, 2).await).await;
    assert_status(&episode, EpisodeStatus::AwaitingScriptSignoff);
    episode
}

#[tokio::test(flavor = "multi_thread")]
async fn an_override_is_saved_as_version_2_rendered_by_the_next_run_and_rolled_back_as_version_3() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;

    let list = prompts::list_prompts(&app, &show.id).await.unwrap();
    let plan = list.iter().find(|t| t.template_id == "plan").unwrap();
    assert_eq!(
        (plan.version, plan.source, plan.author.as_str()),
        (1, TemplateSource::Shipped, "Showrunner")
    );
    let first = produce(&app, &show).await;
    assert_eq!(
        plan_version(&app, &first).await,
        (Some(1), vec!["plan v1 (shipped)".to_owned()])
    );

    let saved = prompts::save_prompt(&app, &show.id, save("plan", THREE_ACTS, "three acts"))
        .await
        .unwrap();
    assert_eq!((saved.version, saved.source), (2, TemplateSource::Override));
    let diff = prompts::diff_prompt(&app, &show.id, "plan", None).await.unwrap();
    assert!(!diff.same_as_shipped);
    assert!(diff
        .lines
        .iter()
        .any(|l| l.change == PromptLineChange::Added && l.text.contains("three acts")));
    assert!(diff
        .lines
        .iter()
        .any(|l| l.change == PromptLineChange::Removed && l.text.contains("Segment seconds")));

    let second = produce(&app, &show).await;
    assert_eq!(
        plan_version(&app, &second).await,
        (Some(2), vec!["plan v2 (override)".to_owned()])
    );

    let rolled = prompts::rollback_prompt(&app, &show.id, "plan", 1, "").await.unwrap();
    assert_eq!((rolled.version, rolled.note.as_str()), (3, "rollback to v1"));
    assert!(
        prompts::diff_prompt(&app, &show.id, "plan", None)
            .await
            .unwrap()
            .same_as_shipped
    );
    let history = prompts::prompt_history(&app, &show.id, "plan").await.unwrap();
    let versions: Vec<(u32, bool)> = history.iter().map(|v| (v.version, v.current)).collect();
    assert_eq!(versions, [(1, false), (2, false), (3, true)]);
    let third = produce(&app, &show).await;
    assert_eq!(plan_version(&app, &third).await.0, Some(3));
    // The first episode's record is unchanged by the later versions.
    assert_eq!(plan_version(&app, &first).await.0, Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_that_does_not_render_is_refused_naming_its_field_and_line_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 2).await;
    let cases = [
        ("Stage: {{ task }}\n\n{% for x in %}\n", 3),
        ("Stage: {{ task }}\nInputs:\n{{ inputs }}\n{{ topic }}", 4),
        ("Stage: {{ task }}\n{{ inputs.topic }}", 2),
    ];
    for (content, line) in cases {
        let e = prompts::save_prompt(&app, &show.id, save("plan", content, "broken"))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::TemplateInvalid, "{content}: {e:?}");
        let details = e.details.clone().unwrap();
        assert_eq!(details["errors"][0]["field"], "content", "{e:?}");
        assert_eq!(details["line"], line, "{content}: {e:?}");
        assert!(e.message.contains(&format!("line {line}")), "{}", e.message);
    }
    let e = prompts::save_prompt(&app, &show.id, save("plan", THREE_ACTS, "  "))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let e = prompts::save_prompt(&app, &show.id, save("script.wirte", THREE_ACTS, "typo"))
        .await
        .unwrap_err();
    assert_eq!(e.details.unwrap()["errors"][0]["field"], "template_id");
    let e = prompts::rollback_prompt(&app, &show.id, "plan", 7, "")
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);

    let history = prompts::prompt_history(&app, &show.id, "plan").await.unwrap();
    assert_eq!(history.len(), 1, "only the shipped default: {history:?}");
    assert_eq!(
        prompts::list_prompts(&app, &show.id).await.unwrap()[3].source,
        TemplateSource::Shipped
    );
}
