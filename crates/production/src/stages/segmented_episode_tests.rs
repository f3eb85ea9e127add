//! Whole runs of the standard pipeline up to the script sign-off, offline, with a writer that records what it
//! was asked: a long episode's script is written one planned segment per call, and a short one in one call.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use showrunner_domain::artifacts::{EpisodePlan, ResearchPackage, Script};
use showrunner_domain::{ArtifactKind, BrandVoice, DecisionKind, Money, NewEpisode, RunId, RunStatus, StageId};
use showrunner_engine::{Engine, HumanDecision, RetryPolicy, SystemClock};
use showrunner_providers::{
    Completion, CompletionRequest, LanguageModel, ProviderError, RehearsalWriter, SystemSpeech,
};
use showrunner_store::{ArtifactRecord, EditProvenance, NewArtifact, Store};

use super::output_limits::{script_tokens, segment_tokens};
use super::segment_writer::{segment_ids, turn_order};
use crate::stage_ids::{SCRIPT_SIGNOFF, SCRIPT_WRITE, TASK_WRITE_SEGMENT};
use crate::{brand_rules, standard_workflow, Crew, STANDARD_PIPELINE};

const TOPIC: &str = "How lighthouses kept ships safe";

/// One request as the writer saw it.
#[derive(Debug, Clone)]
struct Asked {
    task: String,
    /// The segment's place (1-based), for a segment task.
    number: Option<u64>,
    limit: u32,
    answer_tokens: u64,
}

/// The offline writer, recording every request; segment answers come back with the ids, titles and
/// speakers mangled (a model's careless echo), and one segment can fail once as if the provider dropped it.
struct Recorder {
    asked: Mutex<Vec<Asked>>,
    fail_once: Mutex<Option<u64>>,
}

#[async_trait::async_trait]
impl LanguageModel for Recorder {
    fn label(&self) -> &str {
        "Recorder"
    }
    fn id(&self) -> &str {
        "rehearsal"
    }
    fn model(&self) -> &str {
        "rehearsal"
    }
    fn is_rehearsal(&self) -> bool {
        true
    }
    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let number = (req.task == TASK_WRITE_SEGMENT).then(|| req.context["position"]["number"].as_u64().unwrap_or(0));
        if number.is_some() && *self.fail_once.lock().unwrap() == number {
            *self.fail_once.lock().unwrap() = None;
            return Err(ProviderError::transient("timeout", "the connection dropped"));
        }
        let limit = req.max_output_tokens;
        let task = req.task.clone();
        let mut completion = RehearsalWriter::new().complete(req).await?;
        if number.is_some() {
            mangle(&mut completion.content);
        }
        self.asked.lock().unwrap().push(Asked {
            task,
            number,
            limit,
            answer_tokens: completion.usage.output_tokens,
        });
        Ok(completion)
    }
}

fn mangle(answer: &mut Value) {
    answer["title"] = json!("Echo");
    for segment in answer["segments"].as_array_mut().into_iter().flatten() {
        segment["id"] = json!("S99");
        segment["title"] = json!("Echoed title");
        for line in segment["lines"].as_array_mut().into_iter().flatten() {
            line["id"] = json!("L1");
            line["speaker"] = json!("Narrator");
        }
    }
}

struct Produced {
    asked: Vec<Asked>,
    artifacts: Vec<ArtifactRecord>,
    brand: BrandVoice,
    status: RunStatus,
    /// Whether the failure asked for was served.
    failed: bool,
    studio: Studio,
}

/// What a run was produced with, to carry on with a decision.
struct Studio {
    engine: Engine,
    store: Store,
    run: RunId,
    recorder: Arc<Recorder>,
    _dir: tempfile::TempDir,
}

impl Studio {
    async fn open(minutes: u32, fail_once: Option<u64>) -> (Studio, BrandVoice) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let mut brand = BrandVoice::starter("Harbour Lights");
        brand.target_minutes = minutes;
        let show = store.create_show(&brand, 0).await.unwrap();
        let episode = store
            .create_episode(
                &NewEpisode {
                    show_id: show.id.clone(),
                    topic: TOPIC.into(),
                    target_minutes: minutes,
                    budget_cap: Money::from_micros(10_000_000),
                    format: Default::default(),
                    language: None,
                },
                0,
            )
            .await
            .unwrap();
        let recorder = Arc::new(Recorder {
            asked: Mutex::new(Vec::new()),
            fail_once: Mutex::new(fail_once),
        });
        let crew = Crew::offline(recorder.clone(), Arc::new(SystemSpeech::default_program()), 2);
        let engine = Engine::new(store.clone(), Arc::new(SystemClock), vec![standard_workflow(crew)])
            .unwrap()
            .with_retry_policy(RetryPolicy::immediate(3));
        let run = engine
            .start(Some(&episode.id), STANDARD_PIPELINE, episode.budget_cap)
            .await
            .unwrap()
            .id;
        let studio = Studio {
            engine,
            store,
            run,
            recorder,
            _dir: dir,
        };
        (studio, brand)
    }

    async fn drive(self, brand: BrandVoice, fail_once: Option<u64>) -> Produced {
        let status = self.engine.drive_to_rest(&self.run).await.unwrap();
        let artifacts = self.store.artifacts(&self.run).await.unwrap();
        let asked = std::mem::take(&mut *self.recorder.asked.lock().unwrap());
        let failed = fail_once.is_some() && self.recorder.fail_once.lock().unwrap().is_none();
        Produced {
            asked,
            artifacts,
            brand,
            status,
            failed,
            studio: self,
        }
    }
}

impl Produced {
    fn latest<T: serde::de::DeserializeOwned>(&self, kind: ArtifactKind) -> T {
        let record = self.artifacts.iter().rev().find(|a| a.kind == kind).expect("stored");
        serde_json::from_value(record.content.clone()).unwrap()
    }

    /// The script as the write stage stored it last (before polish).
    fn written(&self) -> Script {
        let record = self
            .artifacts
            .iter()
            .rev()
            .find(|a| a.kind == ArtifactKind::Script && a.stage.as_str() == SCRIPT_WRITE)
            .expect("a written script");
        serde_json::from_value(record.content.clone()).unwrap()
    }

    fn count(&self, task: &str) -> usize {
        self.asked.iter().filter(|a| a.task == task).count()
    }
}

async fn produce(minutes: u32, fail_once: Option<u64>) -> Produced {
    let (studio, brand) = Studio::open(minutes, fail_once).await;
    studio.drive(brand, fail_once).await
}

#[tokio::test]
async fn a_90_minute_script_is_written_one_planned_segment_per_call_and_merged_as_the_plan_says() {
    let p = produce(90, None).await;
    assert_eq!(p.status, RunStatus::Parked, "parked at the script sign-off");
    let plan: EpisodePlan = p.latest(ArtifactKind::Plan);
    let research: ResearchPackage = p.latest(ArtifactKind::ResearchPackage);
    assert!(plan.segments.len() >= 3, "{} segments", plan.segments.len());

    // One call per planned segment, in order, each with its own limit and answered within it.
    assert_eq!(p.count(SCRIPT_WRITE), 0, "no whole-script call");
    let calls: Vec<&Asked> = p.asked.iter().filter(|a| a.task == TASK_WRITE_SEGMENT).collect();
    let numbers: Vec<u64> = calls.iter().filter_map(|a| a.number).collect();
    assert_eq!(numbers, (1..=plan.segments.len() as u64).collect::<Vec<_>>());
    for (call, planned) in calls.iter().zip(&plan.segments) {
        assert_eq!(call.limit, segment_tokens(planned.seconds), "{}", planned.id);
        assert!(call.limit < script_tokens(90));
        assert!(
            call.answer_tokens <= u64::from(call.limit),
            "{}: {} tokens over a limit of {}",
            planned.id,
            call.answer_tokens,
            call.limit
        );
    }

    // The code's ids, titles and turns, not the model's echo.
    let script = p.written();
    let ids = segment_ids(&plan);
    let hosts = p.brand.host_names();
    let mut last_speaker: Option<String> = None;
    for ((segment, planned), id) in script.segments.iter().zip(&plan.segments).zip(&ids) {
        assert_eq!((&segment.id, segment.title.as_str()), (id, planned.title.trim()));
        let order = turn_order(planned, &hosts, last_speaker.as_deref());
        for (j, line) in segment.lines.iter().enumerate() {
            assert_eq!(line.id, format!("{id}-L{}", j + 1));
            assert_eq!(line.speaker, order[j % order.len()], "{}", line.id);
        }
        last_speaker = segment.lines.last().map(|l| l.speaker.clone());
    }
    assert_eq!(script.segments.len(), plan.segments.len());
    assert_eq!(script.title, plan.title);

    // Merged, it says what the offline writer's whole script says, and keeps the brand's rules.
    let whole: Script = serde_json::from_value(
        RehearsalWriter::new()
            .answer(
                SCRIPT_WRITE,
                &json!({ "topic": TOPIC, "brand": p.brand, "plan": plan, "research": research, "feedback": null }),
            )
            .unwrap(),
    )
    .unwrap();
    let words = |s: &Script| s.lines().map(|l| l.text.clone()).collect::<Vec<_>>();
    assert_eq!(words(&script), words(&whole));
    let checks = brand_rules::check(&p.brand, &plan, &script);
    assert!(checks.iter().all(|c| c.passed), "{checks:#?}");
}

#[tokio::test]
async fn a_short_episode_is_still_written_in_one_call() {
    let p = produce(10, None).await;
    assert_eq!(p.status, RunStatus::Parked);
    assert_eq!(p.count(SCRIPT_WRITE), 1);
    assert_eq!(p.count(TASK_WRITE_SEGMENT), 0);
    let written = p.asked.iter().find(|a| a.task == SCRIPT_WRITE).unwrap();
    assert_eq!(written.limit, script_tokens(10));
}

#[tokio::test]
async fn a_segment_that_fails_is_asked_again_and_the_segments_before_it_are_not() {
    let p = produce(45, Some(3)).await;
    assert_eq!(p.status, RunStatus::Parked);
    assert!(p.failed, "segment 3 failed once");
    let plan: EpisodePlan = p.latest(ArtifactKind::Plan);
    let asked = |n: u64| p.asked.iter().filter(|a| a.number == Some(n)).count();
    assert_eq!((asked(1), asked(2)), (1, 1), "paid answers are reused on the retry");
    for n in 3..=plan.segments.len() as u64 {
        assert_eq!(asked(n), 1, "segment {n}");
    }
    assert_eq!(p.written().segments.len(), plan.segments.len());
}

#[tokio::test]
async fn a_line_the_producer_locked_survives_a_send_back_of_a_long_script_verbatim() {
    let p = produce(45, None).await;
    assert_eq!(p.status, RunStatus::Parked);
    let mut script: Script = p.latest(ArtifactKind::Script);
    let version = p.artifacts.iter().filter(|a| a.kind == ArtifactKind::Script).count() as u32;
    let target = script.segments[1].lines[2].id.clone();
    let locked_text = "The keeper's log stays exactly as the producer wrote it.";
    let line = script.line_mut(&target).unwrap();
    line.text = locked_text.into();
    line.locked = true;
    let Produced { studio, brand, .. } = p;
    studio
        .store
        .save_producer_edit(
            &studio.run,
            &StageId::new(SCRIPT_SIGNOFF),
            NewArtifact {
                kind: ArtifactKind::Script,
                content: serde_json::to_value(&script).unwrap(),
            },
            EditProvenance {
                origin: "producer_edit".into(),
                author: "Producer".into(),
                note: "lock".into(),
                base_version: version,
            },
            1,
        )
        .await
        .unwrap();
    studio
        .engine
        .decide(
            &studio.run,
            &StageId::new(SCRIPT_SIGNOFF),
            HumanDecision {
                decision: DecisionKind::SendBack {
                    stage: StageId::new(SCRIPT_WRITE),
                },
                note: "Warmer, please.".into(),
                decided_by: "Producer".into(),
                artifact_version: version + 1,
            },
        )
        .await
        .unwrap();
    let again = studio.drive(brand, None).await;
    assert_eq!(again.status, RunStatus::Parked);
    let calls: Vec<&Asked> = again.asked.iter().filter(|a| a.task == TASK_WRITE_SEGMENT).collect();
    assert!(!calls.is_empty(), "the redo is written per segment too");
    let rewritten = again.written();
    let kept = rewritten.line(&target).expect("the locked line is in the rewrite");
    assert_eq!((kept.text.as_str(), kept.locked), (locked_text, true));
    assert!(
        rewritten.lines().any(|l| l.text.contains("rewritten after a note")),
        "the rest was rewritten with the note"
    );
}
