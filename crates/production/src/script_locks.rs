//! Line locks: a line the producer locked passes through every later model stage verbatim. The model is told
//! which lines are locked, and its answer is checked: a locked line it changed or dropped is put back as it
//! was, and the stage reports which. Locks and comments are the producer's, so they are copied from the
//! version the stage was given, never taken from the model's answer.

use serde_json::{json, Value};
use showrunner_domain::artifacts::{Line, Script};
use showrunner_domain::{ArtifactKind, Route, RouteNote, StageCode};
use showrunner_engine::{StageContext, StageError};

use crate::inputs::store_error;

/// The run's current script, if one was written: what a redo (a gate's remediation or a producer's
/// send-back) rewrites, with its locks.
pub async fn current_script(ctx: &StageContext) -> Result<Option<Script>, StageError> {
    let Some(record) = ctx
        .store
        .latest_artifact(&ctx.run.id, ArtifactKind::Script)
        .await
        .map_err(store_error)?
    else {
        return Ok(None);
    };
    serde_json::from_value(record.content).map(Some).map_err(|e| {
        StageError::terminal(
            StageCode::CorruptArtifact,
            format!("the stored script cannot be read: {e}"),
        )
    })
}

/// Applies [`keep_locked_lines`] and appends the report to the stage's route.
pub fn enforce(given: Option<&Script>, answer: &mut Script, route: &mut Route) {
    let Some(given) = given else { return };
    if let Some(note) = route_note(&keep_locked_lines(given, answer)) {
        route.notes.push(RouteNote::After(note));
    }
}

/// What the model is told about locked lines (part of the stage's prompt inputs); `None` when nothing is
/// locked, so a script without locks asks exactly what it asked before locks existed.
pub fn prompt_inputs(given: &Script) -> Option<Value> {
    let locked: Vec<Value> = given
        .locked_lines()
        .map(|l| json!({ "id": l.id, "speaker": l.speaker, "text": l.text, "facts": l.facts }))
        .collect();
    if locked.is_empty() {
        return None;
    }
    Some(json!({
        "rule": "The producer locked these lines. Keep each one exactly as given (same id, speaker, text and \
                 facts) and in its place; write around them.",
        "lines": locked,
    }))
}

/// Puts every locked line of `given` back into `answer` verbatim and copies the producer's locks and
/// comments across. Returns the ids of the locked lines the model had changed or dropped.
pub fn keep_locked_lines(given: &Script, answer: &mut Script) -> Vec<String> {
    // The producer's marks, by line id; a model cannot lock a line or write a comment.
    for line in answer.segments.iter_mut().flat_map(|s| s.lines.iter_mut()) {
        match given.line(&line.id) {
            Some(before) => {
                line.locked = before.locked;
                line.comment = before.comment.clone();
            }
            None => {
                line.locked = false;
                line.comment.clear();
            }
        }
    }
    let mut restored = Vec::new();
    let order: Vec<&Line> = given.lines().collect();
    for (index, locked) in order.iter().enumerate().filter(|(_, l)| l.locked) {
        match answer.line_mut(&locked.id) {
            Some(line) if *line == **locked => {}
            Some(line) => {
                *line = (*locked).clone();
                restored.push(locked.id.clone());
            }
            None => {
                reinsert(given, answer, &order[..index], locked);
                restored.push(locked.id.clone());
            }
        }
    }
    restored
}

/// Puts a dropped locked line back after the nearest line that preceded it and is still there; failing that,
/// at the start of its own segment (or of the script).
fn reinsert(given: &Script, answer: &mut Script, preceding: &[&Line], locked: &Line) {
    for anchor in preceding.iter().rev() {
        for segment in answer.segments.iter_mut() {
            if let Some(at) = segment.lines.iter().position(|l| l.id == anchor.id) {
                segment.lines.insert(at + 1, locked.clone());
                return;
            }
        }
    }
    let own_segment = given
        .segments
        .iter()
        .find(|s| s.lines.iter().any(|l| l.id == locked.id))
        .map(|s| s.id.as_str());
    let target = answer
        .segments
        .iter()
        .position(|s| Some(s.id.as_str()) == own_segment)
        .unwrap_or(0);
    match answer.segments.get_mut(target) {
        Some(segment) => segment.lines.insert(0, locked.clone()),
        None => answer.segments.push(showrunner_domain::artifacts::ScriptSegment {
            id: own_segment.unwrap_or("S1").to_owned(),
            title: String::new(),
            lines: vec![locked.clone()],
        }),
    }
}

/// The note a stage adds to its route when it had to restore locked lines.
pub fn route_note(restored: &[String]) -> Option<String> {
    if restored.is_empty() {
        return None;
    }
    Some(format!(
        "locked line{} {} restored verbatim (the model had changed {})",
        if restored.len() == 1 { "" } else { "s" },
        restored.join(", "),
        if restored.len() == 1 { "it" } else { "them" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::ScriptSegment;

    fn line(id: &str, speaker: &str, text: &str) -> Line {
        Line {
            id: id.into(),
            speaker: speaker.into(),
            text: text.into(),
            facts: vec!["F1".into()],
            ..Default::default()
        }
    }

    fn script(lines: Vec<Line>) -> Script {
        Script {
            title: "t".into(),
            segments: vec![ScriptSegment {
                id: "S1".into(),
                title: "One".into(),
                lines,
            }],
        }
    }

    /// A model that rewrites every line it is given, including the locked ones, and marks its own locks.
    fn rewrite_everything(given: &Script) -> Script {
        let mut out = given.clone();
        for l in out.segments.iter_mut().flat_map(|s| s.lines.iter_mut()) {
            l.text = format!("Rewritten: {}", l.text.to_uppercase());
            l.speaker = "Model".into();
            l.facts.clear();
            l.locked = !l.locked;
            l.comment = "model comment".into();
        }
        out
    }

    #[test]
    fn a_locked_line_survives_a_model_that_rewrites_every_line() {
        let mut given = script(vec![
            line("S1-L1", "Alex", "Welcome aboard."),
            line("S1-L2", "Sam", "The keeper's log, word for word."),
            line("S1-L3", "Alex", "Goodbye."),
        ]);
        given.segments[0].lines[1].locked = true;
        given.segments[0].lines[1].comment = "legal approved this wording".into();
        let mut answer = rewrite_everything(&given);
        let restored = keep_locked_lines(&given, &mut answer);
        assert_eq!(restored, vec!["S1-L2".to_owned()]);
        assert_eq!(answer.line("S1-L2"), given.line("S1-L2"));
        // The unlocked lines keep the model's rewrite, and no lock or comment of the model's survives.
        assert!(answer.line("S1-L1").unwrap().text.starts_with("Rewritten"));
        assert!(!answer.line("S1-L1").unwrap().locked);
        assert!(answer.line("S1-L3").unwrap().comment.is_empty());
        assert!(route_note(&restored).unwrap().contains("S1-L2"));
    }

    #[test]
    fn a_dropped_locked_line_goes_back_after_the_line_that_preceded_it() {
        let mut given = script(vec![
            line("S1-L1", "Alex", "One."),
            line("S1-L2", "Sam", "Two, locked."),
            line("S1-L3", "Alex", "Three."),
        ]);
        given.segments[0].lines[1].locked = true;
        let mut answer = script(vec![line("S1-L1", "Alex", "Uno."), line("S1-L9", "Sam", "Nine.")]);
        let restored = keep_locked_lines(&given, &mut answer);
        assert_eq!(restored, vec!["S1-L2".to_owned()]);
        let ids: Vec<&str> = answer.lines().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["S1-L1", "S1-L2", "S1-L9"]);
        assert!(answer.line("S1-L2").unwrap().locked);
    }

    #[test]
    fn an_untouched_locked_line_is_not_reported_and_no_locks_means_no_prompt_inputs() {
        let mut given = script(vec![line("S1-L1", "Alex", "Keep me.")]);
        assert!(prompt_inputs(&given).is_none());
        given.segments[0].lines[0].locked = true;
        let mut answer = given.clone();
        answer.segments[0].lines[0].locked = false;
        assert!(keep_locked_lines(&given, &mut answer).is_empty());
        assert!(answer.segments[0].lines[0].locked);
        let inputs = prompt_inputs(&given).unwrap();
        assert_eq!(inputs["lines"][0]["id"], "S1-L1");
    }
}
