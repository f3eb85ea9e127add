//! A producer's edits to a script, as typed operations applied here (never a whole script sent back by the
//! app): change text or speaker, add, delete, split, merge and move lines, lock, comment, attach or detach a
//! fact. Each bad operation is refused with an error naming its field, and a refused batch changes nothing.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use showrunner_domain::artifacts::{Line, ResearchPackage, Script};
use ts_rs::TS;

use crate::{ApiError, ErrorCode};

pub const MAX_LINE_CHARS: usize = 2_000;
pub const MAX_COMMENT_CHARS: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ScriptEdit {
    SetText {
        line_id: String,
        text: String,
    },
    SetSpeaker {
        line_id: String,
        speaker: String,
    },
    /// A new line after `after` (a line id), or first in `segment_id` when `after` is absent.
    AddLine {
        segment_id: String,
        after: Option<String>,
        speaker: String,
        text: String,
    },
    DeleteLine {
        line_id: String,
    },
    /// Splits the line's text at a character offset; the second half becomes a new line with a fresh id.
    SplitLine {
        line_id: String,
        at: u32,
    },
    /// Joins the next line of the same segment onto this one; the next line's id is retired.
    MergeWithNext {
        line_id: String,
    },
    /// Moves the line to `index` within `segment_id` (counted after it is taken out).
    MoveLine {
        line_id: String,
        segment_id: String,
        index: u32,
    },
    SetLock {
        line_id: String,
        locked: bool,
    },
    SetComment {
        line_id: String,
        comment: String,
    },
    AttachFact {
        line_id: String,
        fact_id: String,
    },
    DetachFact {
        line_id: String,
        fact_id: String,
    },
}

impl ScriptEdit {
    /// A short description for the version's note.
    pub fn describe(&self) -> String {
        match self {
            ScriptEdit::SetText { line_id, .. } => format!("edited {line_id}"),
            ScriptEdit::SetSpeaker { line_id, speaker } => format!("gave {line_id} to {speaker}"),
            ScriptEdit::AddLine { segment_id, .. } => format!("added a line to {segment_id}"),
            ScriptEdit::DeleteLine { line_id } => format!("deleted {line_id}"),
            ScriptEdit::SplitLine { line_id, .. } => format!("split {line_id}"),
            ScriptEdit::MergeWithNext { line_id } => format!("merged the next line into {line_id}"),
            ScriptEdit::MoveLine { line_id, .. } => format!("moved {line_id}"),
            ScriptEdit::SetLock { line_id, locked: true } => format!("locked {line_id}"),
            ScriptEdit::SetLock { line_id, locked: false } => format!("unlocked {line_id}"),
            ScriptEdit::SetComment { line_id, .. } => format!("commented on {line_id}"),
            ScriptEdit::AttachFact { line_id, fact_id } => format!("attached {fact_id} to {line_id}"),
            ScriptEdit::DetachFact { line_id, fact_id } => format!("detached {fact_id} from {line_id}"),
        }
    }
}

/// What the edits are checked against.
pub struct EditRules<'a> {
    /// The show's hosts (and anyone already speaking in the script).
    pub speakers: &'a [String],
    pub research: Option<&'a ResearchPackage>,
    /// Every line id any version of this run's script has used: a new line never reuses one.
    pub used_ids: HashSet<String>,
}

/// Applies `edits` in order to a copy of `script`; the first bad one refuses the whole batch.
pub fn apply(script: &Script, edits: &[ScriptEdit], rules: &mut EditRules<'_>) -> Result<Script, ApiError> {
    if edits.is_empty() {
        return Err(invalid("edits", "Nothing to change: send at least one edit."));
    }
    let mut out = script.clone();
    for edit in edits {
        apply_one(&mut out, edit, rules)?;
    }
    Ok(out)
}

fn apply_one(script: &mut Script, edit: &ScriptEdit, rules: &mut EditRules<'_>) -> Result<(), ApiError> {
    match edit {
        ScriptEdit::SetText { line_id, text } => {
            let text = line_text(text)?;
            find(script, line_id)?.text = text;
        }
        ScriptEdit::SetSpeaker { line_id, speaker } => {
            let speaker = known_speaker(speaker, rules)?;
            find(script, line_id)?.speaker = speaker;
        }
        ScriptEdit::AddLine {
            segment_id,
            after,
            speaker,
            text,
        } => {
            let speaker = known_speaker(speaker, rules)?;
            let text = line_text(text)?;
            let s = segment(script, segment_id)?;
            let at = match after {
                None => 0,
                Some(after) => {
                    script.segments[s]
                        .lines
                        .iter()
                        .position(|l| &l.id == after)
                        .ok_or_else(|| missing("after", &format!("Segment {segment_id} has no line {after}.")))?
                        + 1
                }
            };
            let id = fresh_id(segment_id, rules);
            script.segments[s].lines.insert(
                at,
                Line {
                    id,
                    speaker,
                    text,
                    ..Default::default()
                },
            );
        }
        ScriptEdit::DeleteLine { line_id } => {
            let (s, i) = position(script, line_id)?;
            if script.lines().count() == 1 {
                return Err(invalid(
                    "line_id",
                    "A script needs at least one line; edit this one instead.",
                ));
            }
            script.segments[s].lines.remove(i);
        }
        ScriptEdit::SplitLine { line_id, at } => {
            let (s, i) = position(script, line_id)?;
            let line = &script.segments[s].lines[i];
            let chars: Vec<char> = line.text.chars().collect();
            let at = (*at as usize).min(chars.len());
            let first: String = chars[..at].iter().collect::<String>().trim().to_owned();
            let second: String = chars[at..].iter().collect::<String>().trim().to_owned();
            if first.is_empty() || second.is_empty() {
                return Err(invalid(
                    "at",
                    "Split inside the text: both halves need words (the offset counts characters).",
                ));
            }
            let tail = Line {
                id: fresh_id(&script.segments[s].id, rules),
                speaker: line.speaker.clone(),
                text: second,
                facts: line.facts.clone(),
                locked: line.locked,
                comment: String::new(),
            };
            script.segments[s].lines[i].text = first;
            script.segments[s].lines.insert(i + 1, tail);
        }
        ScriptEdit::MergeWithNext { line_id } => {
            let (s, i) = position(script, line_id)?;
            let lines = &mut script.segments[s].lines;
            if i + 1 >= lines.len() {
                return Err(invalid(
                    "line_id",
                    &format!("{line_id} is the last line of its segment; there is nothing to merge into it."),
                ));
            }
            let merged = line_text(&format!("{} {}", lines[i].text, lines[i + 1].text))?;
            let next = lines.remove(i + 1);
            let line = &mut lines[i];
            line.text = merged;
            for fact in next.facts {
                if !line.facts.contains(&fact) {
                    line.facts.push(fact);
                }
            }
            if !next.comment.is_empty() {
                line.comment = format!("{} {}", line.comment, next.comment).trim().to_owned();
            }
        }
        ScriptEdit::MoveLine {
            line_id,
            segment_id,
            index,
        } => {
            let target = segment(script, segment_id)?;
            let (s, i) = position(script, line_id)?;
            let room = script.segments[target].lines.len() - usize::from(s == target);
            if *index as usize > room {
                return Err(invalid(
                    "index",
                    &format!("Segment {segment_id} has room for positions 0 to {room}."),
                ));
            }
            if s != target && script.segments[s].lines.len() == 1 {
                return Err(invalid(
                    "segment_id",
                    "This is the segment's only line; a segment cannot be left empty.",
                ));
            }
            let line = script.segments[s].lines.remove(i);
            script.segments[target].lines.insert(*index as usize, line);
        }
        ScriptEdit::SetLock { line_id, locked } => find(script, line_id)?.locked = *locked,
        ScriptEdit::SetComment { line_id, comment } => {
            let comment = comment.trim();
            if comment.chars().count() > MAX_COMMENT_CHARS {
                return Err(invalid(
                    "comment",
                    &format!("Keep a comment under {MAX_COMMENT_CHARS} characters."),
                ));
            }
            find(script, line_id)?.comment = comment.to_owned();
        }
        ScriptEdit::AttachFact { line_id, fact_id } => {
            if rules.research.is_none_or(|r| r.fact(fact_id).is_none()) {
                return Err(missing("fact_id", &format!("The research has no fact {fact_id}.")));
            }
            let line = find(script, line_id)?;
            if !line.facts.contains(fact_id) {
                line.facts.push(fact_id.clone());
            }
        }
        ScriptEdit::DetachFact { line_id, fact_id } => {
            let line = find(script, line_id)?;
            let before = line.facts.len();
            line.facts.retain(|f| f != fact_id);
            if line.facts.len() == before {
                return Err(missing("fact_id", &format!("{line_id} does not cite {fact_id}.")));
            }
        }
    }
    Ok(())
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidInput, field, message)
}

fn missing(field: &str, message: &str) -> ApiError {
    ApiError::field(ErrorCode::NotFound, field, message)
}

fn line_text(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("text", "A line cannot be empty; delete the line instead."));
    }
    if text.chars().count() > MAX_LINE_CHARS {
        return Err(invalid(
            "text",
            &format!("Keep a line under {MAX_LINE_CHARS} characters."),
        ));
    }
    Ok(text.to_owned())
}

fn known_speaker(speaker: &str, rules: &EditRules<'_>) -> Result<String, ApiError> {
    let speaker = speaker.trim();
    rules
        .speakers
        .iter()
        .find(|s| s.as_str() == speaker)
        .cloned()
        .ok_or_else(|| {
            invalid(
                "speaker",
                &format!(
                    "{speaker:?} is not a host of this show; pick one of: {}.",
                    rules.speakers.join(", ")
                ),
            )
        })
}

fn segment(script: &Script, segment_id: &str) -> Result<usize, ApiError> {
    script
        .segments
        .iter()
        .position(|s| s.id == segment_id)
        .ok_or_else(|| missing("segment_id", &format!("The script has no segment {segment_id}.")))
}

fn position(script: &Script, line_id: &str) -> Result<(usize, usize), ApiError> {
    script
        .segments
        .iter()
        .enumerate()
        .find_map(|(s, seg)| seg.lines.iter().position(|l| l.id == line_id).map(|i| (s, i)))
        .ok_or_else(|| missing("line_id", &format!("The script has no line {line_id}.")))
}

fn find<'s>(script: &'s mut Script, line_id: &str) -> Result<&'s mut Line, ApiError> {
    script
        .line_mut(line_id)
        .ok_or_else(|| missing("line_id", &format!("The script has no line {line_id}.")))
}

/// `S2-P1`, `S2-P2`, …: the producer's own lines, numbered past every id this run has ever used, so a
/// deleted line's id (and its takes and transcript cue) never comes back for a different line.
fn fresh_id(segment_id: &str, rules: &mut EditRules<'_>) -> String {
    let mut n = 1;
    loop {
        let id = format!("{segment_id}-P{n}");
        if rules.used_ids.insert(id.clone()) {
            return id;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::ScriptSegment;

    fn script() -> Script {
        let line = |id: &str, text: &str| Line {
            id: id.into(),
            speaker: "Alex".into(),
            text: text.into(),
            ..Default::default()
        };
        Script {
            title: "t".into(),
            segments: vec![ScriptSegment {
                id: "S1".into(),
                title: "One".into(),
                lines: vec![line("S1-L1", "Hello there. Welcome."), line("S1-L2", "Second.")],
            }],
        }
    }

    fn field(e: &ApiError) -> String {
        e.details.as_ref().unwrap()["errors"][0]["field"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn split_merge_and_move_keep_ids_stable_and_never_reuse_one() {
        let speakers = vec!["Alex".to_owned(), "Sam".to_owned()];
        let mut rules = EditRules {
            speakers: &speakers,
            research: None,
            used_ids: ["S1-L1", "S1-L2", "S1-P1"].iter().map(|s| s.to_string()).collect(),
        };
        let split = ScriptEdit::SplitLine {
            line_id: "S1-L1".into(),
            at: 12,
        };
        let out = apply(&script(), &[split], &mut rules).unwrap();
        let ids: Vec<&str> = out.lines().map(|l| l.id.as_str()).collect();
        // S1-P1 was used by an earlier version (then deleted): the new line gets S1-P2.
        assert_eq!(ids, ["S1-L1", "S1-P2", "S1-L2"]);
        assert_eq!(out.line("S1-L1").unwrap().text, "Hello there.");
        assert_eq!(out.line("S1-P2").unwrap().text, "Welcome.");
        let moved = ScriptEdit::MoveLine {
            line_id: "S1-L2".into(),
            segment_id: "S1".into(),
            index: 0,
        };
        let merge = ScriptEdit::MergeWithNext {
            line_id: "S1-L2".into(),
        };
        let out = apply(&out, &[moved, merge], &mut rules).unwrap();
        let ids: Vec<&str> = out.lines().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["S1-L2", "S1-P2"]);
        assert_eq!(out.line("S1-L2").unwrap().text, "Second. Hello there.");
    }

    #[test]
    fn each_bad_edit_names_its_field_and_the_batch_changes_nothing() {
        let speakers = vec!["Alex".to_owned()];
        let mut rules = EditRules {
            speakers: &speakers,
            research: None,
            used_ids: HashSet::new(),
        };
        let cases = [
            (
                ScriptEdit::SetText {
                    line_id: "S1-L1".into(),
                    text: "  ".into(),
                },
                "text",
                ErrorCode::InvalidInput,
            ),
            (
                ScriptEdit::SetSpeaker {
                    line_id: "S1-L1".into(),
                    speaker: "Mallory".into(),
                },
                "speaker",
                ErrorCode::InvalidInput,
            ),
            (
                ScriptEdit::SetLock {
                    line_id: "S9-L9".into(),
                    locked: true,
                },
                "line_id",
                ErrorCode::NotFound,
            ),
            (
                ScriptEdit::SplitLine {
                    line_id: "S1-L2".into(),
                    at: 0,
                },
                "at",
                ErrorCode::InvalidInput,
            ),
            (
                ScriptEdit::AttachFact {
                    line_id: "S1-L1".into(),
                    fact_id: "F99".into(),
                },
                "fact_id",
                ErrorCode::NotFound,
            ),
        ];
        let original = script();
        for (edit, expected, code) in cases {
            let good = ScriptEdit::SetText {
                line_id: "S1-L2".into(),
                text: "Changed first.".into(),
            };
            let err = apply(&original, &[good, edit.clone()], &mut rules).unwrap_err();
            assert_eq!(field(&err), expected, "{edit:?}");
            assert_eq!(err.code, code, "{edit:?}");
        }
        assert_eq!(original, script());
    }
}
