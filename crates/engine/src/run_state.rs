//! The run as its drive loop sees it, held in memory for one `drive` call: every attempt, each stage's live
//! attempt, which stages are failed, parked or done, and which stages may have become ready. Built from the
//! store when a drive starts, and changed only by the rows the loop's own writes return once they commit, so
//! a turn reads nothing and costs the same at the thousandth stage as at the first.
//!
//! Nothing else changes a run's attempts while it is driven: a decision, a retry or a raised cap needs a run
//! at rest, and drives it again, which builds this anew; a cancel is a token the loop checks. The journal stays
//! the truth: a killed process rebuilds this from it on resume.

use std::collections::{BTreeSet, HashMap, HashSet};

use showrunner_domain::{AttemptStatus, GateVerdict, StageId};
use showrunner_store::AttemptRecord;

use crate::Pipeline;

pub(crate) struct RunState {
    /// Every attempt of the run by id, those of stages the pipeline no longer has included.
    attempts: HashMap<i64, AttemptRecord>,
    /// Each stage's position in the pipeline's declaration order, which every per-stage list below follows.
    index: HashMap<StageId, usize>,
    /// Per stage: its attempts' ids, oldest first.
    by_stage: Vec<Vec<i64>>,
    /// Per stage: its live attempt (the latest not superseded) and that attempt's status.
    live: Vec<Option<(i64, AttemptStatus)>>,
    /// Per stage: the stages that wait for it.
    dependents: Vec<Vec<usize>>,
    /// Per stage: the gates that send work back to it.
    remediated_by: Vec<Vec<usize>>,
    failed: BTreeSet<usize>,
    parked: BTreeSet<usize>,
    done: usize,
    /// Stages whose readiness may have changed since the loop last looked at them (their own live attempt or
    /// a dependency's changed), in declaration order, so a turn looks at those alone.
    to_check: BTreeSet<usize>,
    /// The attempts a producer's decision closed. Decisions need a run at rest, so this does not change
    /// while a drive holds the state.
    decided: HashSet<i64>,
}

impl RunState {
    pub(crate) fn build(pipeline: &Pipeline, attempts: Vec<AttemptRecord>, decided: Vec<i64>) -> RunState {
        let stages = pipeline.stages.len();
        let index: HashMap<StageId, usize> = pipeline
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let mut dependents = vec![Vec::new(); stages];
        let mut remediated_by = vec![Vec::new(); stages];
        for (i, spec) in pipeline.stages.iter().enumerate() {
            for dep in &spec.after {
                if let Some(&d) = index.get(dep) {
                    dependents[d].push(i);
                }
            }
            if let Some(&target) = spec.remediates.as_ref().and_then(|t| index.get(t)) {
                remediated_by[target].push(i);
            }
        }
        let mut state = RunState {
            attempts: HashMap::with_capacity(attempts.len()),
            index,
            by_stage: vec![Vec::new(); stages],
            live: vec![None; stages],
            dependents,
            remediated_by,
            failed: BTreeSet::new(),
            parked: BTreeSet::new(),
            done: 0,
            to_check: (0..stages).collect(),
            decided: decided.into_iter().collect(),
        };
        for attempt in attempts {
            state.record(attempt);
        }
        state
    }

    /// Takes in an attempt row as a committed write returned it (a new attempt, or a change to a known one).
    pub(crate) fn record(&mut self, attempt: AttemptRecord) {
        let id = attempt.id;
        let stage = self.index.get(&attempt.stage).copied();
        if self.attempts.insert(id, attempt).is_none() {
            if let Some(s) = stage {
                let ids = &mut self.by_stage[s];
                let at = ids.partition_point(|&known| known < id);
                ids.insert(at, id);
            }
        }
        if let Some(s) = stage {
            self.refresh_live(s);
        }
    }

    /// Finds stage `s`'s live attempt again; when it changed, so may the readiness of `s` and of the stages
    /// waiting for it.
    fn refresh_live(&mut self, s: usize) {
        let live = self.by_stage[s]
            .iter()
            .rev()
            .map(|id| &self.attempts[id])
            .find(|a| a.status != AttemptStatus::Superseded)
            .map(|a| (a.id, a.status));
        let before = std::mem::replace(&mut self.live[s], live);
        if before == live {
            return;
        }
        let status = |l: Option<(i64, AttemptStatus)>| l.map(|(_, st)| st);
        match status(before) {
            Some(AttemptStatus::Failed) => _ = self.failed.remove(&s),
            Some(AttemptStatus::Parked) => _ = self.parked.remove(&s),
            Some(AttemptStatus::Done) => self.done -= 1,
            _ => {}
        }
        match status(live) {
            Some(AttemptStatus::Failed) => _ = self.failed.insert(s),
            Some(AttemptStatus::Parked) => _ = self.parked.insert(s),
            Some(AttemptStatus::Done) => self.done += 1,
            _ => {}
        }
        self.to_check.insert(s);
        self.to_check.extend(self.dependents[s].iter().copied());
    }

    /// The stage's position in the pipeline.
    pub(crate) fn stage_index(&self, stage: &StageId) -> Option<usize> {
        self.index.get(stage).copied()
    }

    /// The latest attempt of stage `s` that still counts (not superseded).
    pub(crate) fn live(&self, s: usize) -> Option<&AttemptRecord> {
        self.live[s].map(|(id, _)| &self.attempts[&id])
    }

    fn live_status(&self, s: usize) -> Option<AttemptStatus> {
        self.live[s].map(|(_, status)| status)
    }

    /// The first stage, in declaration order, whose live attempt failed.
    pub(crate) fn first_failed(&self) -> Option<usize> {
        self.failed.first().copied()
    }

    /// The first stage, in declaration order, whose live attempt is parked.
    pub(crate) fn first_parked(&self) -> Option<usize> {
        self.parked.first().copied()
    }

    pub(crate) fn all_done(&self) -> bool {
        self.done == self.live.len()
    }

    /// The stages to look at this turn, in declaration order; each is looked at again once its own live
    /// attempt or a dependency's changes, or when [`RunState::check_again`] asks for it.
    pub(crate) fn take_to_check(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.to_check).into_iter().collect()
    }

    /// Looks at stage `s` again next turn: it was passed over for a reason that is not in its attempts (its
    /// earlier task still in flight, or the run waiting for the producer).
    pub(crate) fn check_again(&mut self, s: usize) {
        self.to_check.insert(s);
    }

    /// A stage can start when it has no live attempt (never run, sent back, or interrupted) and every
    /// dependency's live attempt is done.
    pub(crate) fn is_ready(&self, pipeline: &Pipeline, s: usize) -> bool {
        matches!(self.live_status(s), None | Some(AttemptStatus::Cancelled))
            && pipeline.stages[s]
                .after
                .iter()
                .all(|d| self.stage_index(d).and_then(|d| self.live_status(d)) == Some(AttemptStatus::Done))
    }

    /// Whether stage `s` has been tried before in this run (only then can feedback be waiting for it).
    pub(crate) fn has_run(&self, s: usize) -> bool {
        !self.by_stage[s].is_empty()
    }

    /// The attempts after stage `s`'s last one that may hold feedback for it, oldest first: the send-backs
    /// of the gates that remediate it, and the attempts a producer's decision closed.
    pub(crate) fn feedback_sources(&self, s: usize) -> Vec<&AttemptRecord> {
        let last_own = self.by_stage[s].last().copied().unwrap_or(0);
        let gates = self.remediated_by[s].iter().flat_map(|&g| self.by_stage[g].iter());
        let mut ids: Vec<i64> = gates
            .copied()
            .filter(|id| self.attempts[id].verdict == Some(GateVerdict::Remediate))
            .chain(self.decided.iter().copied())
            .filter(|&id| id > last_own)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.iter().filter_map(|id| self.attempts.get(id)).collect()
    }

    /// How often gate `g` sent work back since the producer last decided at it: a decision starts the count
    /// again.
    pub(crate) fn remediations_since_decision(&self, g: usize) -> u32 {
        let own = &self.by_stage[g];
        let since = own
            .iter()
            .copied()
            .filter(|id| self.decided.contains(id))
            .max()
            .unwrap_or(0);
        own.iter()
            .filter(|&&id| id > since && self.attempts[&id].verdict == Some(GateVerdict::Remediate))
            .count() as u32
    }

    /// Whether a gate that sends work back to stage `s` has used up its send-backs: the next failure parks the
    /// run.
    pub(crate) fn last_remediation(&self, pipeline: &Pipeline, s: usize) -> bool {
        self.remediated_by[s].iter().any(|&g| {
            let max = pipeline.stages[g].max_remediations;
            max > 0 && self.remediations_since_decision(g) >= max
        })
    }
}
