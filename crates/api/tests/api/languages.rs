//! Languages end to end, offline: for each of the five, an episode's plan and script are written in it (as an
//! independent language detector reads them), its speech text is prepared in it, and the system voice that
//! speaks it voices every host, each with a voice of their own. An episode may pick another language than
//! its show's.

use showrunner_api::domain::artifacts::{EpisodePlan, Script, SpeechScript};
use showrunner_api::domain::{
    ArtifactKind, BrandVoice, EpisodeFormat, EpisodeStatus, Language, Money, NewEpisode, Show,
};
use showrunner_api::{episodes, runs, script, shows, App};
use whatlang::Lang;

use crate::{latest, open};

/// What each language's show and episode say, and how the detector and the system voice name it.
struct Case {
    language: Language,
    detected: Lang,
    show: &'static str,
    intro: &'static str,
    outro: &'static str,
    topic: &'static str,
    /// The label of the system voice the first host speaks with.
    voice: &'static str,
}

const CASES: [Case; 5] = [
    Case {
        language: Language::English,
        detected: Lang::Eng,
        show: "Harbour Lights",
        intro: "Welcome to Harbour Lights.",
        outro: "Thanks for listening to Harbour Lights.",
        topic: "How lighthouses kept ships safe",
        voice: "American English",
    },
    Case {
        language: Language::German,
        detected: Lang::Deu,
        show: "Hafenlichter",
        intro: "Willkommen bei Hafenlichter.",
        outro: "Danke fürs Zuhören bei Hafenlichter.",
        topic: "Wie Leuchttürme die Schiffe schützten",
        voice: "German",
    },
    Case {
        language: Language::French,
        detected: Lang::Fra,
        show: "Phares du port",
        intro: "Bienvenue dans Phares du port.",
        outro: "Merci d'avoir écouté Phares du port.",
        topic: "Comment les phares protégeaient les navires",
        voice: "French",
    },
    Case {
        language: Language::Spanish,
        detected: Lang::Spa,
        show: "Luces del puerto",
        intro: "Bienvenidos a Luces del puerto.",
        outro: "Gracias por escuchar Luces del puerto.",
        topic: "Cómo los faros protegían a los barcos",
        voice: "Spanish (Spain)",
    },
    Case {
        language: Language::Russian,
        detected: Lang::Rus,
        show: "Огни гавани",
        intro: "Добро пожаловать в «Огни гавани».",
        outro: "Спасибо, что слушали «Огни гавани».",
        topic: "Как маяки защищали корабли",
        voice: "Russian",
    },
];

async fn show_in(app: &App, case: &Case, default: Language) -> Show {
    let brand = BrandVoice {
        intro_line: case.intro.into(),
        outro_line: case.outro.into(),
        default_language: default,
        ..BrandVoice::starter(case.show)
    };
    shows::create_show(app, brand).await.expect("the show saves")
}

/// Which language the detector reads `text` in.
fn detected(text: &str) -> Lang {
    whatlang::detect_lang(text).unwrap_or_else(|| panic!("no language detected in {text:?}"))
}

/// The share of `text`'s letters that are Cyrillic.
fn cyrillic_share(text: &str) -> f64 {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let cyrillic = letters
        .iter()
        .filter(|c| ('\u{0400}'..='\u{04FF}').contains(*c))
        .count();
    cyrillic as f64 / letters.len().max(1) as f64
}

#[tokio::test(flavor = "multi_thread")]
async fn each_language_writes_the_plan_and_script_in_it_and_the_system_voice_speaks_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let mut started = Vec::new();
    for case in &CASES {
        // The Spanish episode is made on an English show: the episode's pick wins over the show's default.
        let (default, pick) = match case.language {
            Language::Spanish => (Language::English, Some(Language::Spanish)),
            other => (other, None),
        };
        let show = show_in(&app, case, default).await;
        let episode = episodes::start_episode(
            &app,
            NewEpisode {
                show_id: show.id.clone(),
                topic: case.topic.into(),
                target_minutes: 2,
                budget_cap: Money::from_micros(5_000_000),
                format: EpisodeFormat::DeepDive,
                language: pick,
            },
        )
        .await
        .expect("the episode starts");
        assert_eq!(episode.language, case.language, "{}", case.show);
        started.push((case, episode));
    }

    for (case, episode) in &started {
        let name = case.language.name();
        let run = episode.run_id.clone().unwrap();
        app.engine().drive_to_rest(&run).await.unwrap();
        let parked = episodes::episode(&app, &episode.id).await.unwrap();
        assert_eq!(
            parked.status,
            EpisodeStatus::AwaitingScriptSignoff,
            "{name}: {parked:?}"
        );

        let plan: EpisodePlan = latest(&app, episode, ArtifactKind::Plan).await;
        let planned: String = plan
            .segments
            .iter()
            .map(|s| format!("{}. {}", s.title, s.goal))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(detected(&planned), case.detected, "{name} plan: {planned}");

        let written: Script = latest(&app, episode, ArtifactKind::Script).await;
        let said: String = written.lines().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ");
        assert_eq!(detected(&said), case.detected, "{name} script: {said}");
        assert!(
            written.lines().count() >= 8,
            "{name}: a conversation, not a line: {said}"
        );
        assert_eq!(written.lines().next().map(|l| l.text.as_str()), Some(case.intro));
        assert_eq!(written.lines().last().map(|l| l.text.as_str()), Some(case.outro));
        if case.language == Language::Russian {
            let share = cyrillic_share(&said);
            assert!(
                share > 0.95,
                "{name}: {:.0} % of the letters are Cyrillic: {said}",
                share * 100.0
            );
        }

        script::approve_script(&app, &episode.id, "").await.unwrap();
        app.engine().drive_to_rest(&run).await.unwrap();
        let done = episodes::episode(&app, &episode.id).await.unwrap();
        assert_eq!(done.status, EpisodeStatus::AwaitingRelease, "{name}: {done:?}");

        let speech: SpeechScript = latest(&app, episode, ArtifactKind::SpeechScript).await;
        assert_eq!(speech.language, case.language, "{name}");
        if case.language != Language::English {
            let spelled = speech
                .lines
                .iter()
                .any(|l| l.text.contains("twenty") || l.text.contains("percent"));
            assert!(!spelled, "{name}: nothing is spelled out in English");
        }
        // The Run view names the voice each host spoke with: the system voice for the language, one each.
        let view = runs::run_view(&app, &run).await.unwrap();
        let route = view
            .stages
            .iter()
            .find(|s| s.stage.as_str() == "audio.synthesize")
            .and_then(|s| s.route.clone())
            .unwrap_or_default();
        // "System speech (espeak-ng) · Alex: German, Sam: German, higher (passed over: …)"
        let cast = route.split(" · ").nth(1).unwrap_or_default();
        let cast = cast.split(" (passed over").next().unwrap_or_default();
        let (alex, sam) = cast.split_once(", Sam: ").unwrap_or_default();
        assert_eq!(alex, format!("Alex: {}", case.voice), "{name}: {route}");
        assert!(
            !sam.is_empty() && sam != case.voice,
            "{name}: Sam has a voice of their own: {route}"
        );
        assert!(
            done.duration_ms.is_some_and(|ms| ms > 60_000),
            "{name}: a mastered episode: {done:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_language_does_not_read_and_a_show_saved_before_languages_is_english() {
    let raw = serde_json::json!({
        "show_id": "s", "topic": "Tides", "target_minutes": 2, "budget_cap": 5_000_000, "language": "ja",
    });
    let refused = serde_json::from_value::<NewEpisode>(raw).unwrap_err().to_string();
    assert!(refused.contains("unknown variant `ja`"), "{refused}");
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    // A show saved before languages existed reads as English.
    let show = shows::create_show(&app, BrandVoice::starter("Old Show")).await.unwrap();
    let mut stored = serde_json::to_value(&show.brand).unwrap();
    stored.as_object_mut().unwrap().remove("default_language");
    let old: BrandVoice = serde_json::from_value(stored).unwrap();
    assert_eq!(old.default_language, Language::English);
}
