//! Finding the feedback for a stage's next attempt. Feedback is never held in memory: it lives in the
//! artifacts of the gate or decision that sent the work back (their `feedback` field, or a send-back
//! decision's `note`), so a run resumed after a crash retries with the same feedback. Only the artifacts of
//! the attempts that can hold it are read ([`crate::run_state::RunState::feedback_sources`]), not the run's.

use showrunner_domain::{ArtifactKind, Decision, DecisionKind, GateVerdict, StageId};
use showrunner_store::{ArtifactRecord, AttemptRecord};

use crate::Pipeline;

/// The most recent feedback aimed at `stage` in `sources` (attempts after its last one, oldest first) and
/// `artifacts` (what those attempts produced).
pub(crate) fn feedback_for(
    pipeline: &Pipeline,
    stage: &StageId,
    sources: &[&AttemptRecord],
    artifacts: &[ArtifactRecord],
) -> Option<String> {
    let mut latest: Option<(i64, String)> = None;
    for attempt in sources {
        let aimed_here = match attempt.verdict {
            Some(GateVerdict::Remediate) => {
                pipeline.spec(&attempt.stage).and_then(|s| s.remediates.as_ref()) == Some(stage)
            }
            _ => false,
        };
        for artifact in artifacts.iter().filter(|r| r.attempt_id == Some(attempt.id)) {
            let text = if artifact.kind == ArtifactKind::Decision {
                serde_json::from_value::<Decision>(artifact.content.clone())
                    .ok()
                    .and_then(|d| match d.decision {
                        DecisionKind::SendBack { stage: target } if &target == stage => Some(d.note),
                        _ => None,
                    })
            } else if aimed_here {
                artifact
                    .content
                    .get("feedback")
                    .and_then(|f| f.as_str())
                    .map(str::to_owned)
            } else {
                None
            };
            if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                if latest.as_ref().is_none_or(|(id, _)| attempt.id >= *id) {
                    latest = Some((attempt.id, text));
                }
            }
        }
    }
    latest.map(|(_, text)| text)
}
