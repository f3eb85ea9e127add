//! The rehearsal writer against the contracts the production stages hold it to: each task gets the context
//! its stage sends (built from domain types) and must answer with JSON that decodes into the stage's
//! artifact type and keeps the stage's rules.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use showrunner_domain::artifacts::{
    EpisodePlan, Evaluation, EvaluationPanel, GateReport, ResearchBrief, ResearchNotes, ResearchPackage, Script,
    ScriptSegment, ShowNotes, WORDS_PER_MINUTE,
};
use showrunner_domain::brand_voice::contains_phrase;
use showrunner_domain::{ArtifactKind, BrandVoice, GateVerdict, Host};
use showrunner_providers::{CompletionRequest, LanguageModel, RehearsalWriter};

const TOPIC: &str = "How lighthouses kept ships safe";

async fn ask<T: DeserializeOwned>(task: &str, context: Value) -> T {
    let raw = ask_raw(task, context).await;
    serde_json::from_value(raw).unwrap_or_else(|e| panic!("{task} answered JSON that does not decode: {e}"))
}

async fn ask_raw(task: &str, context: Value) -> Value {
    let writer = RehearsalWriter::new();
    let kind = match task {
        "research.discover" => ArtifactKind::ResearchBrief,
        "research.deep_dive" => ArtifactKind::ResearchNotes,
        "research.synthesize" => ArtifactKind::ResearchPackage,
        "plan" => ArtifactKind::Plan,
        "script.write" | "script.write_segment" | "script.polish" => ArtifactKind::Script,
        "script.evaluate" => ArtifactKind::Evaluation,
        "script.brand_score" => ArtifactKind::GateReport,
        _ => ArtifactKind::ShowNotes,
    };
    let req = CompletionRequest {
        task: task.into(),
        system: "system".into(),
        prompt: "prompt".into(),
        context,
        output_schema: kind.schema(),
        max_output_tokens: 16_000,
    };
    let completion = writer
        .complete(req)
        .await
        .unwrap_or_else(|e| panic!("{task} failed: {} {e}", e.code()));
    assert_eq!(completion.provider_id, "rehearsal");
    assert!(completion.usage.input_tokens > 0, "usage follows the prompt size");
    assert_eq!(completion.provider, "Rehearsal (offline)");
    assert_eq!(completion.model, "rehearsal");
    completion.content
}

/// Everything up to and including the script, as the stages chain it.
struct Episode {
    brand: BrandVoice,
    brief: ResearchBrief,
    notes: ResearchNotes,
    research: ResearchPackage,
    plan: EpisodePlan,
    script: Script,
}

async fn research(topic: &str, brand: &BrandVoice, minutes: u32) -> (ResearchBrief, ResearchNotes, ResearchPackage) {
    let brief: ResearchBrief = ask(
        "research.discover",
        json!({ "topic": topic, "brand": brand, "target_minutes": minutes }),
    )
    .await;
    let mut findings = Vec::new();
    for question in &brief.questions {
        let notes: ResearchNotes = ask(
            "research.deep_dive",
            json!({ "topic": topic, "question": question, "feedback": null }),
        )
        .await;
        findings.extend(notes.findings);
    }
    let notes = ResearchNotes { findings };
    let research: ResearchPackage = ask("research.synthesize", json!({ "topic": topic, "notes": [notes] })).await;
    (brief, notes, research)
}

async fn episode(topic: &str, brand: &BrandVoice, minutes: u32, feedback: Option<&str>) -> Episode {
    let (brief, notes, research) = research(topic, brand, minutes).await;
    let plan: EpisodePlan = ask(
        "plan",
        json!({ "topic": topic, "brand": brand, "target_minutes": minutes, "research": research }),
    )
    .await;
    let script: Script = ask(
        "script.write",
        json!({ "topic": topic, "brand": brand, "plan": plan, "research": research, "feedback": feedback, "attempt": 1 }),
    )
    .await;
    Episode {
        brand: brand.clone(),
        brief,
        notes,
        research,
        plan,
        script,
    }
}

async fn evaluate(e: &Episode, script: &Script, evaluator: &str) -> Evaluation {
    ask(
        "script.evaluate",
        json!({ "brand": e.brand, "plan": e.plan, "research": e.research, "script": script, "evaluator": evaluator }),
    )
    .await
}

async fn panel(e: &Episode, script: &Script) -> EvaluationPanel {
    EvaluationPanel::judge(vec![
        evaluate(e, script, "Rehearsal evaluator A").await,
        evaluate(e, script, "Rehearsal evaluator B").await,
    ])
}

async fn brand_score(e: &Episode, script: &Script) -> GateReport {
    ask("script.brand_score", json!({ "brand": e.brand, "script": script })).await
}

fn three_hosts() -> BrandVoice {
    let mut brand = BrandVoice::starter("Harbour Lights");
    brand.hosts.push(Host {
        name: "Priya".into(),
        role: "expert".into(),
        voice: "en-us+f3".into(),
        voices: Default::default(),
    });
    brand
}

/// The rules a script must keep, whatever the length.
fn assert_script_contract(e: &Episode, minutes: u32) {
    let lines: Vec<_> = e.script.lines().collect();
    assert_eq!(
        lines.first().unwrap().text,
        e.brand.intro_line,
        "the intro line opens the script word for word"
    );
    assert_eq!(
        lines.last().unwrap().text,
        e.brand.outro_line,
        "the outro line closes the script word for word"
    );

    let target = minutes as f64 * WORDS_PER_MINUTE;
    let words = e.script.word_count() as f64;
    assert!(
        (words / target - 1.0).abs() <= 0.10,
        "{minutes} min: {words} words for a target of {target}"
    );

    let mut ids = HashSet::new();
    let hosts = e.brand.host_names();
    for (s, segment) in e.script.segments.iter().enumerate() {
        assert_eq!(segment.id, e.plan.segments[s].id, "script segments follow the plan");
        assert_eq!(segment.title, e.plan.segments[s].title);
        for (l, line) in segment.lines.iter().enumerate() {
            assert_eq!(line.id, format!("{}-L{}", segment.id, l + 1));
            assert!(ids.insert(line.id.clone()), "line id {} is unique", line.id);
            assert!(
                hosts.contains(&line.speaker),
                "{} is spoken by a host, not {}",
                line.id,
                line.speaker
            );
            assert!(!line.text.trim().is_empty());
            for f in &line.facts {
                assert!(
                    e.research.fact(f).is_some(),
                    "{} cites {f}, which the research package has",
                    line.id
                );
            }
            for phrase in &e.brand.forbidden_phrases {
                assert!(
                    !contains_phrase(&line.text, phrase),
                    "{} uses the forbidden phrase {phrase:?}",
                    line.id
                );
            }
        }
    }
    let cited: HashSet<&String> = lines.iter().flat_map(|l| l.facts.iter()).collect();
    for fact in e.plan.segments.iter().flat_map(|s| s.facts.iter()) {
        assert!(cited.contains(fact), "planned fact {fact} is cited");
    }
    for host in &hosts {
        assert!(lines.iter().any(|l| &l.speaker == host), "{host} speaks");
    }
    let text: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    assert!(text.contains("rehearsal"), "the script says it is a rehearsal");
    assert!(
        !text.contains(" ai ") && !text.contains("artificial intelligence"),
        "it never claims to be AI"
    );
}

#[tokio::test]
async fn discovery_breaks_the_topic_into_several_questions() {
    let brand = BrandVoice::starter("Harbour Lights");
    for (minutes, expected) in [(5, 4), (25, 5), (60, 6)] {
        let brief: ResearchBrief = ask(
            "research.discover",
            json!({ "topic": TOPIC, "brand": brand, "target_minutes": minutes }),
        )
        .await;
        assert_eq!(brief.topic, TOPIC);
        assert_eq!(brief.questions.len(), expected, "{minutes} min");
        let ids: Vec<&str> = brief.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, (1..=expected).map(|i| format!("Q{i}")).collect::<Vec<_>>());
        assert!(brief
            .questions
            .iter()
            .all(|q| q.question.contains("lighthouses kept ships safe") && q.question.ends_with('?')));
        let distinct: HashSet<&str> = brief.questions.iter().map(|q| q.question.as_str()).collect();
        assert_eq!(distinct.len(), expected);
    }
}

#[tokio::test]
async fn deep_dives_answer_the_question_with_two_placeholder_publishers_per_finding() {
    let brand = BrandVoice::starter("Harbour Lights");
    let (brief, notes, _) = research(TOPIC, &brand, 25).await;
    for q in &brief.questions {
        let findings: Vec<_> = notes.findings.iter().filter(|f| f.question_id == q.id).collect();
        assert!(findings.len() >= 2, "{} has findings", q.id);
        for f in findings {
            let publishers: HashSet<&str> = f.sources.iter().map(|s| s.publisher.as_str()).collect();
            assert!(publishers.len() >= 2, "two publishers back {:?}", f.claim);
            for s in &f.sources {
                assert!(s.url.starts_with("offline:rehearsal/"), "{}", s.url);
                assert!(
                    s.publisher.contains("placeholder") && s.title.contains("Placeholder"),
                    "{s:?}"
                );
            }
        }
    }
    // A question that is not one of ours still gets sourced findings.
    let notes: ResearchNotes = ask(
        "research.deep_dive",
        json!({ "topic": TOPIC, "question": { "id": "Q9", "question": "Who paid for the lamps?" }, "feedback": "more sources" }),
    )
    .await;
    assert_eq!(notes.findings.len(), 2);
    assert!(notes
        .findings
        .iter()
        .all(|f| f.question_id == "Q9" && f.sources.len() == 2 && f.claim.contains("Who paid for the lamps")));
}

#[tokio::test]
async fn synthesis_numbers_every_finding_as_a_sourced_fact() {
    let brand = BrandVoice::starter("Harbour Lights");
    let (_, notes, research) = research(TOPIC, &brand, 25).await;
    assert_eq!(research.topic, TOPIC);
    assert_eq!(research.facts.len(), notes.findings.len());
    for (i, fact) in research.facts.iter().enumerate() {
        assert_eq!(fact.id, format!("F{}", i + 1));
        assert_eq!(fact.statement, notes.findings[i].claim);
        assert!(fact.sources.len() >= 2);
    }
    assert!(!research.open_questions.is_empty());
    assert!(
        research.uncertainties.iter().any(|u| u.contains("rehearsal")),
        "the package says its facts are placeholders"
    );
}

#[tokio::test]
async fn plans_add_up_to_the_target_and_cite_only_real_facts() {
    for brand in [BrandVoice::starter("Harbour Lights"), three_hosts()] {
        for minutes in [1, 2, 5, 25, 60, 180] {
            let (_, _, research) = research(TOPIC, &brand, minutes).await;
            let plan: EpisodePlan = ask(
                "plan",
                json!({ "topic": TOPIC, "brand": brand, "target_minutes": minutes, "research": research }),
            )
            .await;
            assert_eq!(plan.target_seconds, minutes * 60);
            assert_eq!(
                plan.planned_seconds(),
                minutes * 60,
                "{minutes} min: segment seconds add up to the target"
            );
            assert!(plan.segments.len() >= 3, "a welcome, a body and a wrap-up");
            assert_eq!(plan.segments.first().unwrap().title, "Welcome");
            assert_eq!(plan.segments.last().unwrap().title, "Wrap-up");
            for (i, s) in plan.segments.iter().enumerate() {
                assert_eq!(s.id, format!("S{}", i + 1));
                assert!(s.seconds > 0);
                assert_eq!(s.speakers, brand.host_names());
                assert!(s.facts.iter().all(|f| research.fact(f).is_some()), "{:?}", s.facts);
            }
            assert!(plan.segments.iter().any(|s| !s.facts.is_empty()));
            assert_eq!(plan.title, TOPIC);
        }
    }
}

#[tokio::test]
async fn scripts_keep_the_brand_rules_and_the_length_at_5_25_and_60_minutes() {
    for minutes in [5, 25, 60] {
        for brand in [BrandVoice::starter("Harbour Lights"), three_hosts()] {
            let e = episode(TOPIC, &brand, minutes, None).await;
            assert_script_contract(&e, minutes);
        }
    }
}

#[tokio::test]
async fn short_episodes_and_a_single_host_still_keep_the_contract() {
    let mut solo = BrandVoice::starter("Night Desk");
    solo.hosts.truncate(1);
    for minutes in [1, 2, 3] {
        for brand in [BrandVoice::starter("Harbour Lights"), solo.clone()] {
            let e = episode(TOPIC, &brand, minutes, None).await;
            assert_script_contract(&e, minutes);
            assert!(
                panel(&e, &e.script).await.passed,
                "{minutes} min, {} hosts",
                brand.hosts.len()
            );
        }
    }
}

#[tokio::test]
async fn a_script_asked_segment_by_segment_says_what_the_whole_script_says() {
    for brand in [BrandVoice::starter("Harbour Lights"), three_hosts()] {
        let e = episode(TOPIC, &brand, 90, Some("Warmer, please.")).await;
        let mut merged: Vec<ScriptSegment> = Vec::new();
        for (i, segment) in e.plan.segments.iter().enumerate() {
            let answer: Script = ask(
                "script.write_segment",
                json!({
                    "topic": TOPIC, "brand": brand, "plan": e.plan, "research": e.research,
                    "feedback": "Warmer, please.", "segment": segment,
                    "position": { "number": i + 1, "of": e.plan.segments.len() },
                    "previous_lines": merged.last().map(|s| &s.lines),
                }),
            )
            .await;
            assert_eq!(answer.segments.len(), 1, "one segment per answer");
            assert_eq!(answer.segments[0].id, segment.id);
            merged.extend(answer.segments);
        }
        assert_eq!(merged, e.script.segments, "{} hosts", brand.hosts.len());
    }
    // A segment the plan does not have is refused, not guessed.
    let brand = BrandVoice::starter("Harbour Lights");
    let e = episode(TOPIC, &brand, 90, None).await;
    let mut stranger = e.plan.segments[0].clone();
    stranger.id = "S99".into();
    let err = RehearsalWriter::new()
        .complete(CompletionRequest {
            task: "script.write_segment".into(),
            system: String::new(),
            prompt: String::new(),
            context: json!({
                "topic": TOPIC, "brand": brand, "plan": e.plan, "research": e.research,
                "segment": stranger, "position": { "number": 99, "of": 8 },
            }),
            output_schema: json!({}),
            max_output_tokens: 100,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_request");
    assert!(err.to_string().contains("S99"), "{err}");
}

#[tokio::test]
async fn a_topic_or_template_that_would_break_a_rule_is_worded_around() {
    let mut brand = BrandVoice::starter("Harbour Lights");
    // The topic itself uses a forbidden phrase, and so would several template sentences.
    brand.forbidden_phrases = vec![
        "game changer".into(),
        "honestly".into(),
        "the story".into(),
        "research".into(),
    ];
    let e = episode("Why the lighthouse lens was a game changer", &brand, 5, None).await;
    assert_script_contract(&e, 5);
    assert!(panel(&e, &e.script).await.passed);
}

#[tokio::test]
async fn feedback_still_gets_a_valid_script() {
    let brand = BrandVoice::starter("Harbour Lights");
    let plain = episode(TOPIC, &brand, 5, None).await;
    let revised = episode(TOPIC, &brand, 5, Some("Open with the 1953 storm.")).await;
    assert_script_contract(&revised, 5);
    assert_ne!(plain.script, revised.script, "the rewrite acknowledges the note");
    assert!(panel(&revised, &revised.script).await.passed);
}

#[tokio::test]
async fn a_good_script_passes_the_panel_and_the_brand_check() {
    let brand = BrandVoice::starter("Harbour Lights");
    for minutes in [5, 25, 60] {
        let e = episode(TOPIC, &brand, minutes, None).await;
        let panel = panel(&e, &e.script).await;
        assert!(panel.passed, "{minutes} min: {:#?}", panel);
        assert_eq!(panel.evaluations[0].evaluator, "Rehearsal evaluator A");
        assert_eq!(panel.evaluations[1].evaluator, "Rehearsal evaluator B");
        let report = brand_score(&e, &e.script).await;
        assert_eq!(report.verdict, GateVerdict::Pass, "{report:#?}");
        assert!(report.score >= 0.90);
    }
}

#[tokio::test]
async fn a_forbidden_phrase_fails_the_panel_and_the_brand_check() {
    let brand = BrandVoice::starter("Harbour Lights");
    let e = episode(TOPIC, &brand, 5, None).await;
    let mut bad = e.script.clone();
    let line = &mut bad.segments[1].lines[1];
    line.text.push_str(" Honestly, the Fresnel lens was a Game Changer.");
    let id = line.id.clone();

    let evaluation = evaluate(&e, &bad, "Rehearsal evaluator A").await;
    assert!(evaluation.scores.brand_voice < 7.0, "{evaluation:#?}");
    assert!(
        evaluation
            .comments
            .iter()
            .any(|c| c.contains(&id) && c.contains("game changer")),
        "{:?}",
        evaluation.comments
    );
    let panel = panel(&e, &bad).await;
    assert!(!panel.passed);
    assert!(panel.feedback.contains("Brand voice scored"), "{}", panel.feedback);

    let report = brand_score(&e, &bad).await;
    assert_eq!(report.verdict, GateVerdict::Remediate);
    assert!(report.score < 0.90);
    assert!(report.feedback.contains(&id), "{}", report.feedback);
}

#[tokio::test]
async fn a_missing_intro_or_outro_fails_the_panel_and_the_brand_check() {
    let brand = BrandVoice::starter("Harbour Lights");
    let e = episode(TOPIC, &brand, 5, None).await;

    let mut no_intro = e.script.clone();
    no_intro.segments[0].lines.remove(0);
    let evaluation = evaluate(&e, &no_intro, "A").await;
    assert!(evaluation.scores.format_compliance < 7.0, "{evaluation:#?}");
    assert!(!panel(&e, &no_intro).await.passed);
    assert_eq!(brand_score(&e, &no_intro).await.verdict, GateVerdict::Remediate);

    let mut no_outro = e.script.clone();
    let last = no_outro.segments.last_mut().unwrap();
    last.lines.last_mut().unwrap().text = "Bye for now.".into();
    assert!(!panel(&e, &no_outro).await.passed);
    assert_eq!(brand_score(&e, &no_outro).await.verdict, GateVerdict::Remediate);
}

#[tokio::test]
async fn invented_facts_a_wrong_length_and_a_silent_host_are_each_caught() {
    let brand = BrandVoice::starter("Harbour Lights");
    let e = episode(TOPIC, &brand, 5, None).await;

    let mut invented = e.script.clone();
    invented.segments[1].lines[1].facts = vec!["F99".into()];
    invented.segments[2].lines[1].facts = vec!["F42".into()];
    let evaluation = evaluate(&e, &invented, "A").await;
    assert!(evaluation.scores.factual_support < 7.0, "{evaluation:#?}");
    assert!(evaluation.comments.iter().any(|c| c.contains("F99")));

    // Half the body cut: far too short for the plan.
    let mut short = e.script.clone();
    for s in &mut short.segments[1..3] {
        s.lines.truncate(1);
    }
    let evaluation = evaluate(&e, &short, "A").await;
    assert!(evaluation.scores.format_compliance < 7.0, "{evaluation:#?}");

    let mut solo = e.script.clone();
    for line in solo.segments.iter_mut().flat_map(|s| s.lines.iter_mut()) {
        line.speaker = "Alex".into();
    }
    let evaluation = evaluate(&e, &solo, "A").await;
    assert!(evaluation.scores.engagement < 7.0, "{evaluation:#?}");
    assert_eq!(brand_score(&e, &solo).await.verdict, GateVerdict::Remediate);
}

#[tokio::test]
async fn polish_keeps_every_line_id_speaker_and_fact_and_the_brand_lines_verbatim() {
    let brand = BrandVoice::starter("Harbour Lights");
    let e = episode(TOPIC, &brand, 5, None).await;
    let mut messy = e.script.clone();
    messy.segments[1].lines[0].text = "  so  so the keepers \u{2019}d climb , every night".into();
    let polished: Script = ask("script.polish", json!({ "brand": brand, "script": messy })).await;
    let shape = |s: &Script| {
        s.lines()
            .map(|l| (l.id.clone(), l.speaker.clone(), l.facts.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&polished), shape(&messy));
    assert_eq!(
        polished.segments[1].lines[0].text,
        "So the keepers 'd climb, every night."
    );
    assert_eq!(polished.lines().next().unwrap().text, brand.intro_line);
    assert_eq!(polished.lines().last().unwrap().text, brand.outro_line);
    // A clean script comes back as it went in, and still passes.
    let again: Script = ask("script.polish", json!({ "brand": brand, "script": e.script })).await;
    assert_eq!(again, e.script);
    assert!(panel(&e, &again).await.passed);
}

#[tokio::test]
async fn show_notes_cite_every_fact_the_script_uses_and_chapter_the_segments() {
    let brand = BrandVoice::starter("Harbour Lights");
    let e = episode(TOPIC, &brand, 25, None).await;
    let chapters = json!([]);
    let notes: ShowNotes = ask(
        "package",
        json!({ "topic": TOPIC, "brand": brand, "research": e.research, "plan": e.plan, "script": e.script, "chapters": chapters }),
    )
    .await;
    assert_eq!(notes.title, e.plan.title);
    assert!(
        notes.summary.contains("Harbour Lights") && notes.summary.contains("rehearsal"),
        "{}",
        notes.summary
    );
    let titles: Vec<&str> = notes.chapters.iter().map(|c| c.title.as_str()).collect();
    let segments: Vec<&str> = e.script.segments.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, segments);
    assert_eq!(notes.chapters[0].start_ms, 0);
    assert!(notes.chapters.windows(2).all(|w| w[0].start_ms < w[1].start_ms));
    let cited: HashSet<&str> = e
        .script
        .lines()
        .flat_map(|l| l.facts.iter().map(String::as_str))
        .collect();
    let citations: HashSet<&str> = notes.citations.iter().map(|c| c.fact_id.as_str()).collect();
    assert_eq!(citations, cited);
    for c in &notes.citations {
        let fact = e.research.fact(&c.fact_id).unwrap();
        assert_eq!((&c.statement, &c.sources), (&fact.statement, &fact.sources));
    }
    assert_eq!(notes.promo.len(), 3);

    // The stage's own chapter estimate is used when it sends one.
    let given = json!([{ "title": "Welcome", "start_ms": 0 }, { "title": "Body", "start_ms": 61_000 }]);
    let notes: ShowNotes = ask(
        "package",
        json!({ "topic": TOPIC, "brand": brand, "research": e.research, "plan": e.plan, "script": e.script, "chapters": given }),
    )
    .await;
    assert_eq!(notes.chapters.len(), 2);
    assert_eq!(notes.chapters[1].start_ms, 61_000);
}

#[tokio::test]
async fn the_same_request_always_gets_the_same_answer_and_topics_vary_it() {
    let brand = BrandVoice::starter("Harbour Lights");
    let a = episode(TOPIC, &brand, 25, None).await;
    let b = episode(TOPIC, &brand, 25, None).await;
    assert_eq!(
        (&a.brief, &a.notes, &a.research, &a.plan, &a.script),
        (&b.brief, &b.notes, &b.research, &b.plan, &b.script)
    );
    let ea = evaluate(&a, &a.script, "A").await;
    let eb = evaluate(&b, &b.script, "A").await;
    assert_eq!(ea, eb);
    let other = episode("The history of the printing press", &brand, 25, None).await;
    assert_ne!(other.script, a.script);
    assert!(other.script.lines().any(|l| l.text.contains("printing press")));
}

#[tokio::test]
async fn unknown_tasks_and_missing_context_are_coded_errors() {
    let writer = RehearsalWriter::new();
    assert_eq!(writer.label(), "Rehearsal (offline)");
    assert_eq!(writer.id(), "rehearsal");
    assert!(writer.is_rehearsal());
    let req = |task: &str, context: Value| CompletionRequest {
        task: task.into(),
        system: String::new(),
        prompt: String::new(),
        context,
        output_schema: json!({}),
        max_output_tokens: 100,
    };
    let e = writer.complete(req("audio.compose", json!({}))).await.unwrap_err();
    assert_eq!(e.code(), "unknown_task");
    assert!(e.to_string().contains("audio.compose"));
    let e = writer
        .complete(req("research.discover", json!({ "topic": "  " })))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_request");
    let e = writer
        .complete(req("plan", json!({ "topic": TOPIC })))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_request");
    assert!(e.to_string().contains("brand"), "{e}");
    for task in RehearsalWriter::TASKS {
        let e = writer.complete(req(task, json!({}))).await.unwrap_err();
        assert_eq!(e.code(), "invalid_request", "{task} with no context");
    }
}
