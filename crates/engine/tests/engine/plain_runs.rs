//! The engine without production's hook or an episode: a workflow that says nothing about what its runs
//! produce runs like any other and moves nothing but its runs.

use std::collections::HashMap;
use std::sync::Arc;

use showrunner_domain::{BudgetSplit, Money, RunStatus, StageId};
use showrunner_engine::{
    Engine, ManualClock, Pipeline, StageContext, StageError, StageOutput, StageRunner, StageSpec, Workflow,
};
use showrunner_store::Store;

struct Nothing;

#[async_trait::async_trait]
impl StageRunner for Nothing {
    async fn run(&self, _ctx: StageContext) -> Result<StageOutput, StageError> {
        Ok(StageOutput::default())
    }
}

#[tokio::test]
async fn a_run_without_an_episode_or_a_subject_hook_moves_nothing_but_itself() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let pipeline = Pipeline {
        name: "plain".into(),
        budget: BudgetSplit::whole("work", "Work"),
        stages: vec![
            StageSpec::work("a", "A", &[], "work"),
            StageSpec::human_gate("look", "Look", &["a"], "work"),
        ],
    };
    let mut runners: HashMap<StageId, Arc<dyn StageRunner>> = HashMap::new();
    runners.insert(StageId::new("a"), Arc::new(Nothing));
    let clock = Arc::new(ManualClock::starting_at(1_700_000_000_000));
    let engine = Engine::new(store.clone(), clock, vec![Workflow::new(pipeline, runners)]).unwrap();
    let run = engine.start(None, "plain", Money::from_micros(500_000)).await.unwrap();
    assert_eq!(run.episode_id, None);
    assert_eq!(engine.drive_to_rest(&run.id).await.unwrap(), RunStatus::Parked);
    engine.cancel(&run.id).await.unwrap();

    let events = store.events_for_run(&run.id).await.unwrap();
    let changes: Vec<_> = events.iter().filter(|e| e.kind == "run.status_changed").collect();
    assert_eq!(changes.len(), 2, "parked, then cancelled");
    assert!(
        changes.iter().all(|e| e.payload.get("episode_status").is_none()),
        "{changes:?}"
    );
    assert!(
        events.iter().all(|e| e.episode_id.is_none()),
        "the journal names no episode for a run that produces none: {events:?}"
    );
    assert!(
        store.list_episodes().await.unwrap().is_empty(),
        "no show or episode was needed"
    );
    assert_eq!(store.ledger(&run.id).await.unwrap().cap, Money::from_micros(500_000));
}
