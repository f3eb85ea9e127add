//! The engine without production's hook: a workflow that says nothing about what its runs produce moves
//! nothing but its runs.

use std::collections::HashMap;
use std::sync::Arc;

use showrunner_domain::{BrandVoice, BudgetSplit, EpisodeStatus, Money, NewEpisode, RunStatus, StageId};
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
async fn without_a_subject_hook_a_runs_status_moves_nothing_but_the_run() {
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
    let show = store.create_show(&BrandVoice::starter("Tides"), 1).await.unwrap();
    let input = NewEpisode {
        show_id: show.id,
        topic: "Tides".into(),
        target_minutes: 5,
        budget_cap: Money::from_micros(1_000_000),
        format: Default::default(),
        language: None,
    };
    let episode = store.create_episode(&input, 1).await.unwrap();
    let run = engine
        .start(&episode.id, "plain", Money::from_micros(500_000))
        .await
        .unwrap();
    assert_eq!(engine.drive_to_rest(&run.id).await.unwrap(), RunStatus::Parked);
    engine.cancel(&run.id).await.unwrap();

    let events = store.events_for_run(&run.id).await.unwrap();
    let changes: Vec<_> = events.iter().filter(|e| e.kind == "run.status_changed").collect();
    assert_eq!(changes.len(), 2, "parked, then cancelled");
    assert!(
        changes.iter().all(|e| e.payload.get("episode_status").is_none()),
        "{changes:?}"
    );
    assert_eq!(
        store.episode(&episode.id).await.unwrap().unwrap().status,
        EpisodeStatus::Producing,
        "the episode is as it was created: nothing told the engine what a cancelled run means for it"
    );
    assert_eq!(store.ledger(&run.id).await.unwrap().cap, Money::from_micros(500_000));
}
