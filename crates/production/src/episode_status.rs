//! What an episode's status is while its run moves: production's reading of the engine's run statuses. The
//! engine asks this at every run status it writes and the store writes the answer in the same transaction,
//! so the Episodes list and the Run view never disagree, whatever the moment the app is killed.

use std::collections::HashMap;

use showrunner_domain::{EpisodeStatus, ParkReason, RunStatus, StageId};
use showrunner_engine::SubjectStatusHook;
use showrunner_store::SubjectStatus;

/// The episode follows its run; a run parked at a human gate shows the status that gate declares.
pub struct EpisodeFollowsRun {
    /// The status of an episode parked at each human gate (sign-off, release); any other park needs attention.
    pub parked_at: HashMap<StageId, EpisodeStatus>,
}

impl EpisodeFollowsRun {
    pub fn status(&self, status: RunStatus, park: Option<&ParkReason>) -> EpisodeStatus {
        match (status, park) {
            (RunStatus::Running, _) => EpisodeStatus::Producing,
            (RunStatus::Done, _) => EpisodeStatus::Released,
            (RunStatus::Failed, _) => EpisodeStatus::Failed,
            (RunStatus::Cancelled, _) => EpisodeStatus::Cancelled,
            (RunStatus::Parked, Some(ParkReason::HumanGate { stage })) => self
                .parked_at
                .get(stage)
                .copied()
                .unwrap_or(EpisodeStatus::NeedsAttention),
            (RunStatus::Parked, _) => EpisodeStatus::NeedsAttention,
        }
    }
}

impl SubjectStatusHook for EpisodeFollowsRun {
    fn subject_status(&self, status: RunStatus, park: Option<&ParkReason>) -> Option<SubjectStatus> {
        Some(SubjectStatus::Episode(self.status(status, park)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage_ids::{RELEASE, SCRIPT_EVALUATE, SCRIPT_SIGNOFF, SCRIPT_WRITE};

    #[test]
    fn each_human_gate_parks_the_episode_as_declared_and_every_other_stop_needs_attention() {
        let follows = crate::pipeline::episode_follows_run();
        let at = |stage: &str| ParkReason::HumanGate {
            stage: StageId::new(stage),
        };
        let parked = |reason: ParkReason| follows.status(RunStatus::Parked, Some(&reason));
        assert_eq!(parked(at(SCRIPT_SIGNOFF)), EpisodeStatus::AwaitingScriptSignoff);
        assert_eq!(parked(at(RELEASE)), EpisodeStatus::AwaitingRelease);
        assert_eq!(
            parked(ParkReason::GateEscalated {
                stage: StageId::new(SCRIPT_EVALUATE),
                summary: String::new()
            }),
            EpisodeStatus::NeedsAttention
        );
        assert_eq!(
            parked(ParkReason::BudgetExhausted {
                stage: StageId::new(SCRIPT_WRITE)
            }),
            EpisodeStatus::NeedsAttention
        );
        assert_eq!(
            [
                RunStatus::Running,
                RunStatus::Done,
                RunStatus::Failed,
                RunStatus::Cancelled
            ]
            .map(|s| follows.status(s, None)),
            [
                EpisodeStatus::Producing,
                EpisodeStatus::Released,
                EpisodeStatus::Failed,
                EpisodeStatus::Cancelled
            ]
        );
    }
}
