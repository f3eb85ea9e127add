//! A show's saved template is what the next call sends: runs of the standard pipeline to the script sign-off,
//! offline, with a writer that records every prompt it receives.

use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use showrunner_domain::{BrandVoice, Money, NewEpisode, RunId, ShowId};
use showrunner_engine::{Engine, RetryPolicy, SystemClock};
use showrunner_providers::{
    Completion, CompletionRequest, LanguageModel, ProviderError, RehearsalWriter, SystemSpeech,
};
use showrunner_store::{CallRecord, NewPromptVersion, Store};

use crate::prompts::shipped;
use crate::{standard_workflow, Crew, STANDARD_PIPELINE};

/// The offline writer, keeping each task's prompts as sent.
#[derive(Default)]
struct Recorder {
    prompts: Mutex<Vec<(String, String)>>,
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
        self.prompts
            .lock()
            .unwrap()
            .push((req.task.clone(), req.prompt.clone()));
        RehearsalWriter::new().complete(req).await
    }
}

struct Studio {
    store: Store,
    engine: Engine,
    recorder: Arc<Recorder>,
    show: ShowId,
    _dir: tempfile::TempDir,
}

impl Studio {
    async fn open() -> Studio {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let mut brand = BrandVoice::starter("Harbour Lights");
        brand.target_minutes = 3;
        let show = store.create_show(&brand, 0).await.unwrap().id;
        let recorder = Arc::new(Recorder::default());
        let crew = Crew::offline(recorder.clone(), Arc::new(SystemSpeech::default_program()), 2);
        let engine = Engine::new(store.clone(), Arc::new(SystemClock), vec![standard_workflow(crew)])
            .unwrap()
            .with_retry_policy(RetryPolicy::immediate(3));
        Studio {
            store,
            engine,
            recorder,
            show,
            _dir: dir,
        }
    }

    async fn save(&self, template_id: &str, content: &str, note: &str) -> u32 {
        let new = NewPromptVersion {
            show_id: self.show.clone(),
            template_id: template_id.into(),
            content: content.into(),
            author: "Ana".into(),
            note: note.into(),
        };
        self.store.save_prompt_version(&new, 1).await.unwrap().version
    }

    /// Produces an episode to the script sign-off; returns the run and the plan prompts sent for it.
    async fn produce(&self) -> (RunId, Vec<String>) {
        let episode = self
            .store
            .create_episode(
                &NewEpisode {
                    show_id: self.show.clone(),
                    topic: "How lighthouses kept ships safe".into(),
                    target_minutes: 3,
                    budget_cap: Money::from_micros(10_000_000),
                    format: Default::default(),
                    language: None,
                },
                0,
            )
            .await
            .unwrap();
        self.recorder.prompts.lock().unwrap().clear();
        let run = self
            .engine
            .start(Some(&episode.id), STANDARD_PIPELINE, episode.budget_cap)
            .await
            .unwrap()
            .id;
        self.engine.drive_to_rest(&run).await.unwrap();
        let plans = self
            .recorder
            .prompts
            .lock()
            .unwrap()
            .iter()
            .filter(|(task, _)| task == "plan")
            .map(|(_, p)| p.clone())
            .collect();
        (run, plans)
    }

    async fn plan_calls(&self, run: &RunId) -> Vec<CallRecord> {
        let ledger = self.store.ledger(run).await.unwrap();
        ledger
            .calls
            .into_iter()
            .filter(|c| c.stage.as_str() == "plan")
            .collect()
    }
}

const OVERRIDE: &str = "Stage: {{ task }} (prompt template v{{ version }})\n\
    Plan the episode as three acts, each ending on a question for the listener.\n\n\
    Inputs:\n{{ inputs }}";

#[tokio::test]
async fn a_saved_template_is_what_the_next_plan_call_sends_and_a_rollback_brings_the_shipped_words_back() {
    let studio = Studio::open().await;

    let (first, plans) = studio.produce().await;
    assert_eq!(plans.len(), 1, "{plans:?}");
    assert!(plans[0].contains("Segment seconds must add up"), "{}", plans[0]);
    let calls = studio.plan_calls(&first).await;
    let stamp = calls[0].prompt.clone().expect("the plan call names its template");
    assert_eq!((stamp.template_id.as_str(), stamp.template_version), ("plan", 1));
    assert_eq!(stamp.prompt_sha256, hex::encode(Sha256::digest(plans[0].as_bytes())));

    let version = studio.save("plan", OVERRIDE, "three acts").await;
    assert_eq!(version, 2);
    let (second, plans) = studio.produce().await;
    assert!(
        plans[0].contains("three acts, each ending on a question"),
        "{}",
        plans[0]
    );
    assert!(plans[0].starts_with("Stage: plan (prompt template v2)"), "{}", plans[0]);
    assert!(!plans[0].contains("Segment seconds must add up"));
    let stamp = studio.plan_calls(&second).await[0].prompt.clone().unwrap();
    assert_eq!(stamp.template_version, 2);
    assert_eq!(stamp.prompt_sha256, hex::encode(Sha256::digest(plans[0].as_bytes())));

    // A rollback to the shipped default is a new version with the shipped words.
    assert_eq!(studio.save("plan", &shipped("plan"), "rollback to v1").await, 3);
    let (third, plans) = studio.produce().await;
    assert!(plans[0].contains("Segment seconds must add up"), "{}", plans[0]);
    assert!(!plans[0].contains("three acts"));
    assert_eq!(
        studio.plan_calls(&third).await[0]
            .prompt
            .clone()
            .unwrap()
            .template_version,
        3
    );

    // Other stages kept the shipped template throughout.
    let write = studio.store.ledger(&third).await.unwrap().calls;
    let write = write.iter().find(|c| c.stage.as_str() == "script.write").unwrap();
    assert_eq!(write.prompt.as_ref().map(|p| p.template_version), Some(1));
}
