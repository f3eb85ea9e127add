//! A pipeline as data: its budget phases and their shares of the cap, its stages, their dependencies, which are
//! gates, which park for a human, and which stage a failing gate sends work back to. The engine validates it
//! once (unique ids, known dependencies and phases, no cycles).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use showrunner_domain::{BudgetSplit, PhaseId, StageId};
use strum::IntoStaticStr;

use crate::RetryPolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StageKind {
    /// Produces artifacts.
    Work,
    /// Judges upstream work: pass, remediate (send back with feedback) or escalate (ask the producer).
    Gate,
    /// Parks the run until a producer decides.
    HumanGate,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSpec {
    pub id: StageId,
    /// What the producer sees ("Script · write").
    pub label: String,
    pub kind: StageKind,
    pub after: Vec<StageId>,
    /// The budget phase its paid calls are booked under (one of the pipeline's).
    pub phase: PhaseId,
    /// For gates: the stage a `remediate` verdict sends work back to.
    pub remediates: Option<StageId>,
    /// For gates: how many times work may be sent back before the run parks for the producer.
    pub max_remediations: u32,
    /// This stage's retry policy, when it differs from the engine's (a provider's own policy still wins for
    /// that provider's failures).
    pub retry: Option<RetryPolicy>,
    /// How long one try may take before it is abandoned as a transient `attempt_timeout`.
    pub attempt_timeout_ms: Option<u64>,
    /// How long the stage may keep retrying, from its first try; past it the stage fails with
    /// `stage_deadline` instead of waiting for another try.
    pub deadline_ms: Option<u64>,
}

impl StageSpec {
    pub fn work(id: &str, label: &str, after: &[&str], phase: &str) -> StageSpec {
        StageSpec {
            id: StageId::new(id),
            label: label.to_owned(),
            kind: StageKind::Work,
            after: after.iter().map(|s| StageId::new(*s)).collect(),
            phase: PhaseId::new(phase),
            remediates: None,
            max_remediations: 0,
            retry: None,
            attempt_timeout_ms: None,
            deadline_ms: None,
        }
    }

    /// The same stage with its own retry policy.
    pub fn with_retry(self, retry: RetryPolicy) -> StageSpec {
        StageSpec {
            retry: Some(retry),
            ..self
        }
    }

    /// The same stage with a time limit per try and one for all its tries together.
    pub fn with_time_limits(self, attempt: Duration, deadline: Duration) -> StageSpec {
        StageSpec {
            attempt_timeout_ms: Some(attempt.as_millis() as u64),
            deadline_ms: Some(deadline.as_millis() as u64),
            ..self
        }
    }

    pub fn gate(id: &str, label: &str, after: &[&str], phase: &str, remediates: Option<&str>) -> StageSpec {
        StageSpec {
            kind: StageKind::Gate,
            remediates: remediates.map(StageId::new),
            max_remediations: if remediates.is_some() { 2 } else { 0 },
            ..StageSpec::work(id, label, after, phase)
        }
    }

    pub fn human_gate(id: &str, label: &str, after: &[&str], phase: &str) -> StageSpec {
        StageSpec {
            kind: StageKind::HumanGate,
            ..StageSpec::work(id, label, after, phase)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    pub name: String,
    /// The budget's phases and their shares of the cap; each run keeps its copy for the ledger.
    pub budget: BudgetSplit,
    pub stages: Vec<StageSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    #[error("stage '{0}' appears twice")]
    DuplicateStage(StageId),
    #[error("stage '{stage}' waits for '{missing}', which is not in the pipeline")]
    UnknownDependency { stage: StageId, missing: StageId },
    #[error("gate '{gate}' sends work back to '{target}', which is not upstream of it")]
    BadRemediationTarget { gate: StageId, target: StageId },
    #[error("the stages form a cycle through '{0}'")]
    Cycle(StageId),
    #[error("stage '{stage}' spends from budget phase '{phase}', which the pipeline does not declare")]
    UnknownPhase { stage: StageId, phase: PhaseId },
}

impl Pipeline {
    pub fn spec(&self, id: &StageId) -> Option<&StageSpec> {
        self.stages.iter().find(|s| &s.id == id)
    }

    pub fn validate(&self) -> Result<(), PipelineError> {
        let mut ids = HashSet::new();
        for s in &self.stages {
            if !ids.insert(&s.id) {
                return Err(PipelineError::DuplicateStage(s.id.clone()));
            }
        }
        for s in &self.stages {
            if self.budget.get(&s.phase).is_none() {
                return Err(PipelineError::UnknownPhase {
                    stage: s.id.clone(),
                    phase: s.phase.clone(),
                });
            }
            for dep in &s.after {
                if !ids.contains(dep) {
                    return Err(PipelineError::UnknownDependency {
                        stage: s.id.clone(),
                        missing: dep.clone(),
                    });
                }
            }
        }
        self.topological_order()?;
        for s in &self.stages {
            if let Some(target) = &s.remediates {
                if !self.downstream_of(target).contains(&s.id) || target == &s.id {
                    return Err(PipelineError::BadRemediationTarget {
                        gate: s.id.clone(),
                        target: target.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Stages in an order where every stage comes after its dependencies (Kahn's algorithm, stable by
    /// declaration order so the UI lists stages the same way every time).
    pub fn topological_order(&self) -> Result<Vec<&StageSpec>, PipelineError> {
        let mut remaining: Vec<&StageSpec> = self.stages.iter().collect();
        let mut placed: HashSet<&StageId> = HashSet::new();
        let mut order = Vec::with_capacity(remaining.len());
        while !remaining.is_empty() {
            let before = remaining.len();
            remaining.retain(|s| {
                if s.after.iter().all(|d| placed.contains(d)) {
                    order.push(*s);
                    false
                } else {
                    true
                }
            });
            for s in &order[order.len() - (before - remaining.len())..] {
                placed.insert(&s.id);
            }
            if remaining.len() == before {
                return Err(PipelineError::Cycle(remaining[0].id.clone()));
            }
        }
        Ok(order)
    }

    /// `stage` and every stage that depends on it, directly or not: what must be redone when `stage` is.
    pub fn downstream_of(&self, stage: &StageId) -> Vec<StageId> {
        let mut dependents: HashMap<&StageId, Vec<&StageId>> = HashMap::new();
        for s in &self.stages {
            for d in &s.after {
                dependents.entry(d).or_default().push(&s.id);
            }
        }
        let mut seen: HashSet<&StageId> = HashSet::new();
        let mut stack = vec![stage];
        while let Some(s) = stack.pop() {
            if seen.insert(s) {
                if let Some(next) = dependents.get(s) {
                    stack.extend(next.iter().copied());
                }
            }
        }
        self.stages
            .iter()
            .filter(|s| seen.contains(&s.id))
            .map(|s| s.id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diamond() -> Pipeline {
        Pipeline {
            name: "t".into(),
            budget: BudgetSplit::whole("work", "Work"),
            stages: vec![
                StageSpec::work("a", "A", &[], "work"),
                StageSpec::work("b", "B", &["a"], "work"),
                StageSpec::work("c", "C", &["a"], "work"),
                StageSpec::gate("d", "D", &["b", "c"], "work", Some("b")),
            ],
        }
    }

    #[test]
    fn downstream_of_a_stage_includes_itself_and_every_dependent() {
        let p = diamond();
        assert_eq!(p.downstream_of(&"b".into()), vec![StageId::new("b"), StageId::new("d")]);
        assert_eq!(p.downstream_of(&"a".into()).len(), 4);
    }

    #[test]
    fn a_cycle_is_rejected() {
        let mut p = diamond();
        p.stages[0].after.push("d".into());
        assert!(matches!(p.validate(), Err(PipelineError::Cycle(_))));
    }

    #[test]
    fn a_gate_cannot_send_work_to_a_stage_that_is_not_upstream() {
        let mut p = diamond();
        p.stages.push(StageSpec::work("e", "E", &[], "work"));
        p.stages[3].remediates = Some("e".into());
        assert!(matches!(p.validate(), Err(PipelineError::BadRemediationTarget { .. })));
    }

    #[test]
    fn a_stage_spending_from_an_undeclared_phase_is_named() {
        let mut p = diamond();
        p.stages[2].phase = PhaseId::new("audio");
        assert_eq!(
            p.validate(),
            Err(PipelineError::UnknownPhase {
                stage: "c".into(),
                phase: PhaseId::new("audio")
            })
        );
    }

    #[test]
    fn an_unknown_dependency_is_named() {
        let mut p = diamond();
        p.stages[1].after.push("zzz".into());
        assert_eq!(
            p.validate(),
            Err(PipelineError::UnknownDependency {
                stage: "b".into(),
                missing: "zzz".into()
            })
        );
    }
}
