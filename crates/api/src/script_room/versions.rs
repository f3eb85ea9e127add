//! Every version of a run's script with who or what made it, when and why: the writer's first draft, a
//! gate's remediation round, a producer's send-back, the polish, the producer's own edits and restores.
//! A stage's version is explained by its attempt (its feedback and route); a producer's by its provenance row.

use serde::Serialize;
use showrunner_domain::artifacts::Script;
use showrunner_domain::{ArtifactKind, Decision, DecisionKind, Route, RouteNote, StageId};
use showrunner_production::stage_ids::{SCRIPT_POLISH, SCRIPT_WRITE};
use showrunner_store::{ArtifactRecord, AttemptRecord, ProvenanceRecord};
use ts_rs::TS;

/// Provenance origins a producer's version is stored with.
pub const ORIGIN_EDIT: &str = "producer_edit";
pub const ORIGIN_RESTORE: &str = "restore";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VersionOrigin {
    Writer,
    /// Rewritten after a gate's feedback.
    Remediation,
    /// Rewritten after the producer sent the script back with a note.
    SendBack,
    Polish,
    ProducerEdit,
    Restore,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScriptVersion {
    pub version: u32,
    pub origin: VersionOrigin,
    /// "Remediation round 2", "Restore of v3", …
    pub label: String,
    /// The model route that wrote it, or the producer.
    pub author: String,
    /// Why: the gate's feedback, the producer's note, or what the edit did.
    pub note: String,
    pub stage: StageId,
    #[ts(type = "number")]
    pub created_at_ms: i64,
    pub lines: u32,
    pub locked_lines: u32,
}

pub fn versions(
    artifacts: &[ArtifactRecord],
    attempts: &[AttemptRecord],
    provenance: &[ProvenanceRecord],
) -> Vec<ScriptVersion> {
    let send_back_notes: Vec<String> = artifacts
        .iter()
        .filter(|a| a.kind == ArtifactKind::Decision)
        .filter_map(|a| serde_json::from_value::<Decision>(a.content.clone()).ok())
        .filter(|d| matches!(&d.decision, DecisionKind::SendBack { stage } if stage.as_str() == SCRIPT_WRITE))
        .map(|d| d.note)
        .collect();
    let mut scripts: Vec<&ArtifactRecord> = artifacts.iter().filter(|a| a.kind == ArtifactKind::Script).collect();
    scripts.sort_by_key(|a| a.version);
    let mut rounds = 0;
    scripts
        .into_iter()
        .map(|record| {
            let script = serde_json::from_value::<Script>(record.content.clone()).ok();
            let attempt = record.attempt_id.and_then(|id| attempts.iter().find(|a| a.id == id));
            let route = attempt.and_then(|a| a.route.as_ref()).map(author).unwrap_or_default();
            let feedback = attempt.and_then(|a| a.feedback.clone()).unwrap_or_default();
            let own = provenance.iter().find(|p| p.artifact_id == record.id);
            let (origin, label, author, note) = match (own, record.stage.as_str()) {
                (Some(p), _) if p.provenance.origin == ORIGIN_RESTORE => (
                    VersionOrigin::Restore,
                    "Restore".to_owned(),
                    p.provenance.author.clone(),
                    p.provenance.note.clone(),
                ),
                (Some(p), _) => (
                    VersionOrigin::ProducerEdit,
                    "Producer edit".to_owned(),
                    p.provenance.author.clone(),
                    p.provenance.note.clone(),
                ),
                (None, SCRIPT_WRITE) if feedback.trim().is_empty() => {
                    (VersionOrigin::Writer, "First draft".to_owned(), route, String::new())
                }
                (None, SCRIPT_WRITE) if send_back_notes.contains(&feedback) => (
                    VersionOrigin::SendBack,
                    "Rewrite after send-back".to_owned(),
                    route,
                    feedback,
                ),
                (None, SCRIPT_WRITE) => {
                    rounds += 1;
                    (
                        VersionOrigin::Remediation,
                        format!("Remediation round {rounds}"),
                        route,
                        feedback,
                    )
                }
                (None, SCRIPT_POLISH) => (VersionOrigin::Polish, "Polish".to_owned(), route, String::new()),
                // A producer's edit saved before provenance was recorded.
                (None, _) => (
                    VersionOrigin::ProducerEdit,
                    "Producer edit".to_owned(),
                    "producer".to_owned(),
                    String::new(),
                ),
            };
            ScriptVersion {
                version: record.version,
                origin,
                label,
                author,
                note,
                stage: record.stage.clone(),
                created_at_ms: record.created_at_ms,
                lines: script.as_ref().map_or(0, |s| s.lines().count() as u32),
                locked_lines: script.as_ref().map_or(0, |s| s.locked_lines().count() as u32),
            }
        })
        .collect()
}

/// Who wrote a version, as its history shows it: the writer and what the stage did to its answer (a locked
/// line put back), not the providers passed over on the way (the Run view lists those).
fn author(route: &Route) -> String {
    let mut out = route.by.clone();
    for note in &route.notes {
        if let RouteNote::After(text) = note {
            out.push_str(" · ");
            out.push_str(text);
        }
    }
    out
}
