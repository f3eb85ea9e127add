//! Writes, through the store's own API and in the order the engine would, the history of a run that the
//! producer sent back from release many times and that was then interrupted mid-synthesis with a paid call
//! out: the state a restart has to resume from.

use std::path::Path;

use showrunner_domain::{
    ArtifactKind, AttemptStatus, Decision, DecisionKind, EpisodeStatus, GateVerdict, Money, ParkReason, RunId,
    RunStatus, StageId,
};
use showrunner_engine::Pipeline;
use showrunner_store::{AttemptFinish, CallSettlement, NewArtifact, NewCall, RunRecord, Store, SubjectStatus};

use crate::rig::new_run;

pub const MIN_EVENTS: usize = 10_000;
/// Lines spoken per round; the interrupted round had spoken half of them.
const LINES: usize = 40;

struct Writer<'a> {
    store: &'a Store,
    run: &'a RunRecord,
    round: usize,
    now: i64,
    seen_seq: i64,
    events: usize,
}

/// Roughly what each stage saves: scripts and research are tens of kilobytes of text, reports are small.
fn content(stage: &str, bytes: usize) -> serde_json::Value {
    let words = "the tide comes in twice a day ";
    serde_json::json!({ "stage": stage, "text": words.repeat(bytes / words.len() + 1) })
}

impl Writer<'_> {
    fn tick(&mut self) -> i64 {
        self.now += 1;
        self.now
    }

    fn call(&self, stage: &str, attempt_id: i64, i: usize) -> NewCall {
        NewCall {
            run_id: self.run.id.clone(),
            stage: StageId::new(stage),
            attempt_id: Some(attempt_id),
            call_key: format!("{stage}/{}/{i}", self.round),
            phase: "work".into(),
            provider: "fake".into(),
            model: "fake-1".into(),
            reserve: Money::from_micros(2_000),
            prompt: None,
            reuse_key: None,
        }
    }

    async fn paid_call(&mut self, stage: &str, attempt_id: i64, i: usize) {
        let now = self.tick();
        let reserved = self
            .store
            .reserve_call(&self.call(stage, attempt_id, i), now)
            .await
            .expect("reserve");
        let settlement = CallSettlement {
            cost: Money::from_micros(1_000),
            usage: serde_json::json!({ "input_tokens": 1200, "output_tokens": 400 }),
            price_row: Some("fake#1".into()),
            request_id: Some(format!("req-{}", reserved.call.id)),
            result: serde_json::json!({ "text": "an answer of a few words" }),
        };
        let now = self.tick();
        self.store
            .settle_call(reserved.call.id, &settlement, now)
            .await
            .expect("settle");
    }

    /// One attempt of `stage`: started, its paid calls, finished with what it saved.
    async fn stage(&mut self, stage: &str, calls: usize, saved: (ArtifactKind, usize), verdict: Option<GateVerdict>) {
        let now = self.tick();
        let attempt = self
            .store
            .start_attempt(&self.run.id, &StageId::new(stage), None, now)
            .await
            .expect("start");
        for i in 0..calls {
            self.paid_call(stage, attempt.id, i).await;
        }
        let finish = AttemptFinish {
            status: AttemptStatus::Done,
            cost: Money::from_micros(1_000 * calls as i64),
            route: Some(showrunner_domain::Route::by("fake")),
            verdict,
            error_code: None,
            error_message: None,
            artifacts: vec![NewArtifact {
                kind: saved.0,
                content: content(stage, saved.1),
            }],
        };
        let now = self.tick();
        self.store
            .finish_attempt(attempt.id, finish, now)
            .await
            .expect("finish");
    }

    /// Parks at a human gate, then records the producer's decision, as `Engine::decide` does.
    async fn human_gate(&mut self, gate: &str, decision: DecisionKind, pipeline: &Pipeline) {
        let (store, run) = (self.store, &self.run.id);
        let now = self.tick();
        let parked = store
            .start_attempt(run, &StageId::new(gate), None, now)
            .await
            .expect("park");
        let finish = AttemptFinish::with_status(AttemptStatus::Parked);
        store.finish_attempt(parked.id, finish, now).await.expect("parked");
        let reason = ParkReason::HumanGate {
            stage: StageId::new(gate),
        };
        let parked_as = Some(SubjectStatus::Episode(EpisodeStatus::AwaitingRelease));
        store
            .set_run_status(run, RunStatus::Parked, Some(&reason), parked_as, now)
            .await
            .expect("parked run");
        let now = self.tick();
        let record = Decision {
            gate: StageId::new(gate),
            decision: decision.clone(),
            note: "tighten the middle section".into(),
            decided_by: "bench".into(),
            decided_at_ms: now,
            artifact_version: 1,
        };
        store
            .record_decision(run, parked.id, &record, now)
            .await
            .expect("decision");
        if let DecisionKind::SendBack { stage } = &decision {
            store
                .supersede_stages(run, &pipeline.downstream_of(stage), now)
                .await
                .expect("send back");
        }
        store
            .set_run_status(
                run,
                RunStatus::Running,
                None,
                Some(SubjectStatus::Episode(EpisodeStatus::Producing)),
                now,
            )
            .await
            .expect("running again");
    }

    async fn count_events(&mut self) {
        let new = self
            .store
            .events_since(self.seen_seq, 1_000_000)
            .await
            .expect("journal");
        self.events += new.len();
        self.seen_seq = new.last().map_or(self.seen_seq, |e| e.seq);
    }

    /// Script through signoff, speech text and show notes.
    async fn script_round(&mut self, pipeline: &Pipeline) {
        use ArtifactKind::*;
        self.stage("script.write", 1, (Script, 16_000), None).await;
        self.stage("script.brand_check", 1, (GateReport, 1_000), Some(GateVerdict::Pass))
            .await;
        self.stage("script.evaluate", 2, (EvaluationPanel, 2_000), Some(GateVerdict::Pass))
            .await;
        self.stage("script.polish", 1, (Script, 16_000), None).await;
        self.human_gate("script.signoff", DecisionKind::Approve, pipeline).await;
        self.stage("tts.prepare", 0, (SpeechScript, 16_000), None).await;
        self.stage("package", 1, (ShowNotes, 3_000), None).await;
    }
}

/// The interrupted run and the size of what a resume reads.
pub struct Journal {
    pub run: RunId,
    pub events: usize,
    pub attempts: usize,
    pub artifacts: usize,
    /// Artifact content, as stored JSON.
    pub artifact_bytes: usize,
}

/// Builds the journal in `dir` and closes the store.
pub async fn build(dir: &Path, pipeline: &Pipeline) -> Journal {
    use ArtifactKind::*;
    let store = Store::open(dir).await.expect("open store");
    let run = new_run(&store, &pipeline.name).await;
    let mut w = Writer {
        store: &store,
        run: &run,
        round: 0,
        now: 1_000,
        seen_seq: 0,
        events: 0,
    };
    w.stage("research.discover", 1, (ResearchBrief, 2_000), None).await;
    w.stage("research.deep_dive", 5, (ResearchNotes, 12_000), None).await;
    w.stage("research.validate", 0, (GateReport, 1_000), Some(GateVerdict::Pass))
        .await;
    w.stage("research.synthesize", 1, (ResearchPackage, 8_000), None).await;
    w.stage("plan", 1, (Plan, 3_000), None).await;
    while w.events < MIN_EVENTS {
        w.script_round(pipeline).await;
        w.stage("audio.synthesize", LINES, (SpeechTakes, 6_000), None).await;
        w.stage("audio.master", 0, (Master, 1_000), None).await;
        w.stage("audio.validate", 0, (GateReport, 1_000), Some(GateVerdict::Pass))
            .await;
        let back = DecisionKind::SendBack {
            stage: StageId::new("script.write"),
        };
        w.human_gate("release", back, pipeline).await;
        w.round += 1;
        w.count_events().await;
    }
    // The last round stops mid-synthesis: half the lines paid for, one call out when the process died.
    w.script_round(pipeline).await;
    let now = w.tick();
    let speaking = store
        .start_attempt(&run.id, &StageId::new("audio.synthesize"), None, now)
        .await
        .expect("start");
    for i in 0..LINES / 2 {
        w.paid_call("audio.synthesize", speaking.id, i).await;
    }
    let now = w.tick();
    store
        .reserve_call(&w.call("audio.synthesize", speaking.id, LINES / 2), now)
        .await
        .expect("reserve");
    w.count_events().await;
    let artifacts = store.artifacts(&run.id).await.expect("artifacts");
    let journal = Journal {
        events: w.events,
        attempts: store.attempts(&run.id).await.expect("attempts").len(),
        artifacts: artifacts.len(),
        artifact_bytes: artifacts.iter().map(|a| a.content.to_string().len()).sum(),
        run: run.id,
    };
    store.close().await;
    journal
}
