//! Episode formats end to end, offline: each preset's plan and script have the shape it promises (who
//! speaks where, how many segments, how long), the show's default applies when an episode names none, and
//! a format the show cannot make is refused by field before anything is created.

use showrunner_api::domain::artifacts::{EpisodePlan, Script, ScriptSegment};
use showrunner_api::domain::{ArtifactKind, BrandVoice, Episode, EpisodeFormat, EpisodeStatus, Money, NewEpisode};
use showrunner_api::{episodes, shows, App, ErrorCode};

use crate::{latest, open, settle, start_as};

async fn produce(app: &App, show: &showrunner_api::domain::Show, format: EpisodeFormat, minutes: u32) -> Episode {
    let episode = start_as(app, show, minutes, format).await;
    let rested = settle(app, &episode).await;
    assert_eq!(
        rested.status,
        EpisodeStatus::AwaitingScriptSignoff,
        "a {format:?} passes its gates offline: {rested:?}"
    );
    rested
}

fn speakers(segment: &ScriptSegment) -> Vec<&str> {
    segment.lines.iter().map(|l| l.speaker.as_str()).collect()
}

/// The body: every segment but the welcome and the wrap-up.
fn body(script: &Script) -> &[ScriptSegment] {
    &script.segments[1..script.segments.len() - 1]
}

#[tokio::test(flavor = "multi_thread")]
async fn each_format_shapes_the_plan_and_the_script_offline() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = shows::create_show(&app, BrandVoice::starter("Harbour Lights"))
        .await
        .unwrap();
    let (alex, sam) = ("Alex", "Sam");

    // Deep dive: both hosts share every body segment.
    let deep = produce(&app, &show, EpisodeFormat::DeepDive, 6).await;
    assert_eq!(deep.format, EpisodeFormat::DeepDive);
    let script: Script = latest(&app, &deep, ArtifactKind::Script).await;
    assert!(body(&script).len() >= 2);
    for segment in body(&script) {
        let who = speakers(segment);
        assert!(who.contains(&alex) && who.contains(&sam), "{}: {who:?}", segment.title);
    }

    // Brief: one body segment of at most three facts, inside 2–5 minutes.
    let brief = produce(&app, &show, EpisodeFormat::Brief, 3).await;
    let plan: EpisodePlan = latest(&app, &brief, ArtifactKind::Plan).await;
    assert_eq!(plan.segments.len(), 3, "{plan:#?}");
    assert_eq!(plan.planned_seconds(), 180);
    assert!(
        (1..=3).contains(&plan.segments[1].facts.len()),
        "{:?}",
        plan.segments[1].facts
    );
    let script: Script = latest(&app, &brief, ArtifactKind::Script).await;
    let minutes = script.estimated_seconds() / 60.0;
    assert!((2.0..=5.0).contains(&minutes), "a brief of {minutes:.1} minutes");

    // Interview: Alex only asks, Sam answers with every fact, and they take turns.
    let interview = produce(&app, &show, EpisodeFormat::Interview, 6).await;
    let script: Script = latest(&app, &interview, ArtifactKind::Script).await;
    for segment in body(&script) {
        for line in &segment.lines {
            if line.speaker == alex {
                assert!(
                    line.text.contains('?'),
                    "the interviewer asks: {} {:?}",
                    line.id,
                    line.text
                );
                assert!(line.facts.is_empty(), "the interviewer cites nothing: {}", line.id);
            }
        }
        let who = speakers(segment);
        assert!(
            who.windows(2).all(|w| w[0] != w[1]),
            "{}: turns alternate {who:?}",
            segment.title
        );
        assert_eq!(
            who.first(),
            Some(&alex),
            "{}: each question starts the segment",
            segment.title
        );
    }
    let cited: Vec<&str> = body(&script)
        .iter()
        .flat_map(|s| &s.lines)
        .filter(|l| !l.facts.is_empty())
        .map(|l| l.speaker.as_str())
        .collect();
    assert!(
        !cited.is_empty() && cited.iter().all(|s| *s == sam),
        "the guest gives the facts: {cited:?}"
    );

    // Debate: each side makes its case alone, then both argue.
    let debate = produce(&app, &show, EpisodeFormat::Debate, 6).await;
    let plan: EpisodePlan = latest(&app, &debate, ArtifactKind::Plan).await;
    let titles: Vec<&str> = plan.segments.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(&titles[1..3], ["The case for", "The case against"], "{titles:?}");
    assert_eq!(titles.last(), Some(&"Closing statements"));
    let script: Script = latest(&app, &debate, ArtifactKind::Script).await;
    let segment = |title: &str| script.segments.iter().find(|s| s.title == title).unwrap();
    assert!(speakers(segment("The case for")).iter().all(|s| *s == alex));
    assert!(speakers(segment("The case against")).iter().all(|s| *s == sam));
    let cross: Vec<&ScriptSegment> = body(&script)
        .iter()
        .filter(|s| s.title.starts_with("Cross-examination"))
        .collect();
    assert!(!cross.is_empty(), "{titles:?}");
    assert!(cross
        .iter()
        .all(|s| speakers(s).contains(&alex) && speakers(s).contains(&sam)));

    // Solo narration: Alex alone, and never addressing Sam.
    let solo = produce(&app, &show, EpisodeFormat::Solo, 6).await;
    let script: Script = latest(&app, &solo, ArtifactKind::Script).await;
    assert!(script.lines().all(|l| l.speaker == alex));
    assert!(
        !script.lines().any(|l| l.text.contains(sam)),
        "nobody else is spoken to"
    );

    let listed = episodes::list_episodes(&app).await.unwrap();
    let formats: Vec<EpisodeFormat> = listed.iter().rev().map(|e| e.format).collect();
    assert_eq!(
        formats,
        EpisodeFormat::ALL,
        "the Episodes list keeps each episode's format"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_show_default_applies_and_a_format_the_show_cannot_make_is_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let mut brand = BrandVoice::starter("One Voice");
    brand.hosts.truncate(1);
    let show = shows::create_show(&app, brand.clone()).await.unwrap();

    for format in [EpisodeFormat::Interview, EpisodeFormat::Debate] {
        let refused = episodes::start_episode(
            &app,
            NewEpisode {
                show_id: show.id.clone(),
                topic: "Tides".into(),
                target_minutes: 5,
                budget_cap: Money::from_micros(5_000_000),
                format,
                language: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        let details = refused.details.unwrap();
        assert_eq!(details["errors"][0]["field"], "format");
        assert!(
            details["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("needs 2 hosts and the show has 1"),
            "{details}"
        );
    }
    assert!(
        episodes::list_episodes(&app).await.unwrap().is_empty(),
        "nothing was created"
    );

    // A show's default must be one it can make.
    let debate_alone = BrandVoice {
        default_format: EpisodeFormat::Debate,
        ..brand.clone()
    };
    let refused = shows::update_show(&app, &show.id, debate_alone).await.unwrap_err();
    assert_eq!(refused.details.unwrap()["errors"][0]["field"], "default_format");
    let solo = shows::update_show(
        &app,
        &show.id,
        BrandVoice {
            default_format: EpisodeFormat::Solo,
            ..brand
        },
    )
    .await
    .unwrap();
    assert_eq!(solo.brand.default_format, EpisodeFormat::Solo);
    let reopened = shows::list_shows(&app).await.unwrap();
    assert_eq!(
        reopened[0].brand.default_format,
        EpisodeFormat::Solo,
        "the default is saved"
    );
}
