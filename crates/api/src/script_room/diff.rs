//! Two script versions side by side: lines aligned by their stable ids (a line the writer rewrote keeps its
//! id), each changed line with its changed words marked. Computed here, so the app and the CLI show the same
//! diff.

use serde::Serialize;
use showrunner_domain::artifacts::{Line, Script};
use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffTag, TextDiff};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    Same,
    /// Text, speaker, facts or lock differ.
    Changed,
    Added,
    Removed,
}

/// A run of words, marked when it differs from the other side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WordSpan {
    pub text: String,
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiffSide {
    pub line_id: String,
    pub speaker: String,
    pub locked: bool,
    pub facts: Vec<String>,
    pub spans: Vec<WordSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiffRow {
    pub change: LineChange,
    pub old: Option<DiffSide>,
    pub new: Option<DiffSide>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScriptDiff {
    pub from_version: u32,
    pub to_version: u32,
    pub rows: Vec<DiffRow>,
    pub changed: u32,
    pub added: u32,
    pub removed: u32,
}

pub fn diff(from_version: u32, old: &Script, to_version: u32, new: &Script) -> ScriptDiff {
    let old_lines: Vec<&Line> = old.lines().collect();
    let new_lines: Vec<&Line> = new.lines().collect();
    let old_ids: Vec<&str> = old_lines.iter().map(|l| l.id.as_str()).collect();
    let new_ids: Vec<&str> = new_lines.iter().map(|l| l.id.as_str()).collect();
    let mut rows = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_ids, &new_ids) {
        let (tag, olds, news) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (o, n) in olds.zip(news) {
                    rows.push(pair(old_lines[o], new_lines[n]));
                }
            }
            DiffTag::Delete => rows.extend(olds.map(|o| removed(old_lines[o]))),
            DiffTag::Insert => rows.extend(news.map(|n| added(new_lines[n]))),
            DiffTag::Replace => {
                // Different ids in the same place: shown side by side as a rewrite, extras on their own.
                let (olds, news): (Vec<usize>, Vec<usize>) = (olds.collect(), news.collect());
                for i in 0..olds.len().max(news.len()) {
                    match (olds.get(i), news.get(i)) {
                        (Some(&o), Some(&n)) => rows.push(pair(old_lines[o], new_lines[n])),
                        (Some(&o), None) => rows.push(removed(old_lines[o])),
                        (None, Some(&n)) => rows.push(added(new_lines[n])),
                        (None, None) => {}
                    }
                }
            }
        }
    }
    let count = |c: LineChange| rows.iter().filter(|r| r.change == c).count() as u32;
    ScriptDiff {
        from_version,
        to_version,
        changed: count(LineChange::Changed),
        added: count(LineChange::Added),
        removed: count(LineChange::Removed),
        rows,
    }
}

fn side(line: &Line, spans: Vec<WordSpan>) -> DiffSide {
    DiffSide {
        line_id: line.id.clone(),
        speaker: line.speaker.clone(),
        locked: line.locked,
        facts: line.facts.clone(),
        spans,
    }
}

fn whole(text: &str, changed: bool) -> Vec<WordSpan> {
    vec![WordSpan {
        text: text.to_owned(),
        changed,
    }]
}

fn removed(line: &Line) -> DiffRow {
    DiffRow {
        change: LineChange::Removed,
        old: Some(side(line, whole(&line.text, true))),
        new: None,
    }
}

fn added(line: &Line) -> DiffRow {
    DiffRow {
        change: LineChange::Added,
        old: None,
        new: Some(side(line, whole(&line.text, true))),
    }
}

fn pair(old: &Line, new: &Line) -> DiffRow {
    let same = old.id == new.id
        && old.text == new.text
        && old.speaker == new.speaker
        && old.facts == new.facts
        && old.locked == new.locked;
    let (old_spans, new_spans) = word_spans(&old.text, &new.text);
    DiffRow {
        change: if same { LineChange::Same } else { LineChange::Changed },
        old: Some(side(old, old_spans)),
        new: Some(side(new, new_spans)),
    }
}

/// Each side's text as spans, the words only it has marked changed. Adjacent spans of the same kind are
/// joined, so a rewritten clause is one highlight, not one per word.
fn word_spans(old: &str, new: &str) -> (Vec<WordSpan>, Vec<WordSpan>) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(old, new);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut left, text, false);
                push(&mut right, text, false);
            }
            ChangeTag::Delete => push(&mut left, text, !text.trim().is_empty()),
            ChangeTag::Insert => push(&mut right, text, !text.trim().is_empty()),
        }
    }
    (left, right)
}

fn push(spans: &mut Vec<WordSpan>, text: &str, changed: bool) {
    match spans.last_mut() {
        // Whitespace between two changed words belongs to the highlight.
        Some(last) if last.changed == changed || (last.changed && text.trim().is_empty()) => last.text.push_str(text),
        _ => spans.push(WordSpan {
            text: text.to_owned(),
            changed,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::ScriptSegment;

    fn script(lines: &[(&str, &str)]) -> Script {
        Script {
            title: "t".into(),
            segments: vec![ScriptSegment {
                id: "S1".into(),
                title: "One".into(),
                lines: lines
                    .iter()
                    .map(|(id, text)| Line {
                        id: (*id).into(),
                        speaker: "Alex".into(),
                        text: (*text).into(),
                        ..Default::default()
                    })
                    .collect(),
            }],
        }
    }

    fn changed_words(side: &DiffSide) -> Vec<String> {
        side.spans
            .iter()
            .filter(|s| s.changed)
            .map(|s| s.text.trim().to_owned())
            .collect()
    }

    #[test]
    fn a_changed_word_is_marked_on_both_sides_and_the_text_is_kept_whole() {
        let old = script(&[("S1-L1", "The lamp burned whale oil."), ("S1-L2", "Then kerosene.")]);
        let new = script(&[
            ("S1-L1", "The lamp burned colza oil."),
            ("S1-L3", "Fresh."),
            ("S1-L2", "Then kerosene."),
        ]);
        let d = diff(1, &old, 2, &new);
        assert_eq!((d.changed, d.added, d.removed), (1, 1, 0));
        let row = &d.rows[0];
        assert_eq!(row.change, LineChange::Changed);
        assert_eq!(changed_words(row.old.as_ref().unwrap()), ["whale"]);
        assert_eq!(changed_words(row.new.as_ref().unwrap()), ["colza"]);
        let joined: String = row
            .new
            .as_ref()
            .unwrap()
            .spans
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(joined, "The lamp burned colza oil.");
        assert_eq!(d.rows[1].change, LineChange::Added);
        assert_eq!(d.rows[2].change, LineChange::Same);
    }

    #[test]
    fn a_deleted_line_is_removed_and_identical_versions_have_no_changes() {
        let old = script(&[("S1-L1", "One."), ("S1-L2", "Two.")]);
        let new = script(&[("S1-L1", "One.")]);
        let d = diff(1, &old, 2, &new);
        assert_eq!((d.changed, d.added, d.removed), (0, 0, 1));
        assert_eq!(d.rows[1].old.as_ref().unwrap().line_id, "S1-L2");
        let same = diff(1, &old, 1, &old);
        assert!(same.rows.iter().all(|r| r.change == LineChange::Same));
    }
}
