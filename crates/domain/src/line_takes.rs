//! A run's take history per line, chosen at the release gate: take 1 is the speech stage's, each
//! "regenerate" adds one, and "keep" picks which take the master uses. Kept as a setting per run
//! (`line_takes.<run id>`) so the speech stage finds it on any re-run, after a restart too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Pronunciation;

/// The setting key of a run's takes.
pub fn line_takes_key(run_id: &crate::RunId) -> String {
    format!("line_takes.{run_id}")
}

/// What one take of a line asks the speech engine for, beyond the stage's own line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TakeSpec {
    /// 1-based; part of the paid call's key, so a fresh take of the same words is a new request.
    pub take: u32,
    /// The script's text of the line when the take was asked for: a take whose line was rewritten since
    /// (a send-back to the writer) no longer applies.
    pub script_text: String,
    /// The producer's new text; `None` speaks the script's.
    #[serde(default)]
    pub text: Option<String>,
    /// Another voice id for the line's speaker.
    #[serde(default)]
    pub voice: Option<String>,
    /// Another speech engine id.
    #[serde(default)]
    pub engine: Option<String>,
    /// Added to the show's dictionary with this take.
    #[serde(default)]
    pub pronunciation: Option<Pronunciation>,
}

/// Every take of one line beyond the first, and which one the master uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct LineTakes {
    /// The take in the master; 1 is the stage's own.
    pub current: u32,
    /// Takes 2, 3, … in order.
    pub takes: Vec<TakeSpec>,
}

impl LineTakes {
    /// The spec of the current take, `None` for take 1.
    pub fn current_spec(&self) -> Option<&TakeSpec> {
        self.takes.iter().find(|t| t.take == self.current)
    }

    /// The number the next regenerate gets.
    pub fn next_take(&self) -> u32 {
        self.takes.iter().map(|t| t.take).max().unwrap_or(1) + 1
    }
}

/// A run's takes by line id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct RunTakes {
    pub lines: BTreeMap<String, LineTakes>,
}
