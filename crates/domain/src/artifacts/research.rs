//! Research artifacts: questions → findings → the numbered research package (F1…Fn) every later stage cites.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Source {
    pub title: String,
    pub url: String,
    /// Who published it; used for the source-diversity check.
    pub publisher: String,
    /// The producer's own source this cites (stamped by the stage from the chunk used, never by a model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    #[ts(optional)]
    pub source_id: Option<String>,
    /// Where in that source: `p. 3`, `§ Keeping the light` (stamped with `source_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    #[ts(optional)]
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ResearchQuestion {
    /// `Q1`, `Q2`, …
    pub id: String,
    pub question: String,
}

/// `research.discover`: the topic broken into questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ResearchBrief {
    pub topic: String,
    pub questions: Vec<ResearchQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Finding {
    pub question_id: String,
    pub claim: String,
    pub sources: Vec<Source>,
}

/// `research.deep_dive`: findings per question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ResearchNotes {
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Fact {
    /// `F1`, `F2`, …: what script lines cite.
    pub id: String,
    pub statement: String,
    pub sources: Vec<Source>,
}

/// `research.synthesize`: the research package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct ResearchPackage {
    pub topic: String,
    pub facts: Vec<Fact>,
    pub open_questions: Vec<String>,
    pub uncertainties: Vec<String>,
}

impl ResearchPackage {
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.id == id)
    }
}
