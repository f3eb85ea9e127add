//! Typed stage artifacts: the handoff contracts between stages. Each has a JSON Schema generated from its
//! type (`schema_for`), which is what model output is validated against before it is stored.

mod evaluation;
mod gate_report;
mod plan;
mod release;
mod research;
mod script;
mod speech;

pub use evaluation::{
    Arbitration, Dimension, DimensionScores, Evaluation, EvaluationPanel, CONSENSUS_THRESHOLD, PASS_SCORE, TARGET_SCORE,
};
pub use gate_report::{CheckFigure, GateCheck, GateReport};
pub use plan::{EpisodePlan, PlannedSegment};
pub use release::{ChapterMark, Citation, Decision, DecisionKind, ShowNotes};
pub use research::{Fact, Finding, ResearchBrief, ResearchNotes, ResearchPackage, ResearchQuestion, Source};
pub use script::{Line, Script, ScriptSegment, WORDS_PER_MINUTE};
pub use speech::{
    ChapterCue, Cue, Master, MasterCorrection, MasterFigures, SpeakerLoudness, SpeechLine, SpeechScript, SpeechTake,
    SpeechTakes,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};
use ts_rs::TS;

/// The kinds of artifact a run stores. The string form (snake_case: `as_str`, read back with `FromStr`) is the
/// `kind` column and the journal's word.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ArtifactKind {
    ResearchBrief,
    ResearchNotes,
    ResearchPackage,
    GateReport,
    Plan,
    Script,
    Evaluation,
    EvaluationPanel,
    SpeechScript,
    SpeechTakes,
    Master,
    ShowNotes,
    Decision,
}

impl ArtifactKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The JSON Schema of this kind's content type.
    pub fn schema(self) -> serde_json::Value {
        let schema = match self {
            ArtifactKind::ResearchBrief => schemars::schema_for!(ResearchBrief),
            ArtifactKind::ResearchNotes => schemars::schema_for!(ResearchNotes),
            ArtifactKind::ResearchPackage => schemars::schema_for!(ResearchPackage),
            ArtifactKind::GateReport => schemars::schema_for!(GateReport),
            ArtifactKind::Plan => schemars::schema_for!(EpisodePlan),
            ArtifactKind::Script => schemars::schema_for!(Script),
            ArtifactKind::Evaluation => schemars::schema_for!(Evaluation),
            ArtifactKind::EvaluationPanel => schemars::schema_for!(EvaluationPanel),
            ArtifactKind::SpeechScript => schemars::schema_for!(SpeechScript),
            ArtifactKind::SpeechTakes => schemars::schema_for!(SpeechTakes),
            ArtifactKind::Master => schemars::schema_for!(Master),
            ArtifactKind::ShowNotes => schemars::schema_for!(ShowNotes),
            ArtifactKind::Decision => schemars::schema_for!(Decision),
        };
        schema.to_value()
    }

    pub const ALL: [ArtifactKind; 13] = [
        ArtifactKind::ResearchBrief,
        ArtifactKind::ResearchNotes,
        ArtifactKind::ResearchPackage,
        ArtifactKind::GateReport,
        ArtifactKind::Plan,
        ArtifactKind::Script,
        ArtifactKind::Evaluation,
        ArtifactKind::EvaluationPanel,
        ArtifactKind::SpeechScript,
        ArtifactKind::SpeechTakes,
        ArtifactKind::Master,
        ArtifactKind::ShowNotes,
        ArtifactKind::Decision,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_artifact_kind_has_an_object_schema_and_a_stable_name() {
        for kind in ArtifactKind::ALL {
            let schema = kind.schema();
            assert_eq!(schema["type"], "object", "{kind:?} must be a JSON object contract");
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
    }
}
