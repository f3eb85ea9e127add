//! How the provider fakes answer when a test drives a run to a particular park: healthy, or failing one
//! gate the way real answers fail it. Shared by the api's decision test and the real-window test.

// Each test binary that includes this file uses part of it.
#![allow(dead_code)]

use serde_json::{json, Value};
use showrunner_provider_fakes::FakeTask;

use super::offline_answers::rehearsal;

/// How the fakes answer: healthy, or failing one gate the way real answers fail it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Healthy,
    /// The deep dive finds nothing: the research gate fails "Every question answered".
    NothingFound,
    /// The brand-voice score is far below the bar.
    OffBrand,
    /// Every evaluator scores every dimension 2/10.
    PoorScript,
    /// Evaluator A 9, evaluator B 3, the arbiter 6: it sides with neither.
    Undecided,
    /// The script's middle lines use very long words: the word count (what the brand gate estimates length
    /// from) is unchanged, the speech is far longer than planned.
    LongWinded,
    /// Every plan the coordinator writes cites a fact the research does not have: the plan stage fails
    /// `invalid_output` after its correction requests. Those answers were paid for and settled; a retry must
    /// ask again rather than replay them.
    Unusable,
}

fn scored(task: &FakeTask, score: f64) -> Value {
    let mut answer = rehearsal(task);
    if let Some(scores) = answer["scores"].as_object_mut() {
        for value in scores.values_mut() {
            *value = json!(score);
        }
    }
    answer
}

fn long_winded(mut script: Value) -> Value {
    let Some(segments) = script["segments"].as_array_mut() else {
        return script;
    };
    let last_segment = segments.len().saturating_sub(1);
    for (s, segment) in segments.iter_mut().enumerate() {
        let Some(lines) = segment["lines"].as_array_mut() else {
            continue;
        };
        let last_line = lines.len().saturating_sub(1);
        for (l, line) in lines.iter_mut().enumerate() {
            // The intro and outro lines stay as the brand says them.
            if (s == 0 && l == 0) || (s == last_segment && l == last_line) {
                continue;
            }
            // Each word four times over: as many words, far more to say (and each line still its own text).
            if let Some(text) = line["text"].as_str() {
                let long: Vec<String> = text.split_whitespace().map(|w| w.repeat(4)).collect();
                line["text"] = json!(long.join(" "));
            }
        }
    }
    script
}

/// The fakes' answer to `task` in `mode`.
pub fn answer(mode: Mode, task: &FakeTask) -> Value {
    match (mode, task.task.as_str()) {
        (Mode::NothingFound, "research.deep_dive") => json!({ "findings": [] }),
        (Mode::OffBrand, "script.brand_score") => {
            let mut report = rehearsal(task);
            report["score"] = json!(0.1);
            report
        }
        (Mode::PoorScript, "script.evaluate") => scored(task, 2.0),
        (Mode::Undecided, "script.evaluate") => match task.inputs["evaluator"].as_str() {
            Some("Arbiter") => scored(task, 6.0),
            Some("Evaluator B") => scored(task, 3.0),
            _ => scored(task, 9.0),
        },
        (Mode::LongWinded, "script.write" | "script.polish") => long_winded(rehearsal(task)),
        (Mode::Unusable, "plan") => {
            let mut plan = rehearsal(task);
            plan["segments"][0]["facts"] = json!(["F999"]);
            plan
        }
        _ => rehearsal(task),
    }
}
