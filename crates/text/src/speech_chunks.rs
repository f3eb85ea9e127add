//! Splitting a long text into pieces a speech provider accepts in one request: the one chunker every speech
//! path uses.
//!
//! Invariants: every piece has at most `max_chars` characters (Unicode scalar values, the unit providers
//! count); pieces are cut at the last sentence end that fits, else the last clause break, else the last
//! space, so a word is never split unless one word alone is longer than the limit; joining the pieces with
//! single spaces gives back the text with only the whitespace at the cuts changed.

/// Characters that end a sentence.
const SENTENCE_ENDS: &[char] = &['.', '!', '?', '…'];
/// Characters after which a clause may break.
const CLAUSE_BREAKS: &[char] = &[',', ';', ':', '—', '–'];
/// Closing quotes and brackets that stay with the punctuation before them.
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];

/// How good a cut is: sentences beat clauses beat plain spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    Word,
    Clause,
    Sentence,
}

/// Splits `text` into trimmed, non-empty pieces of at most `max_chars` characters each.
pub fn split(text: &str, max_chars: usize) -> Vec<String> {
    let max = max_chars.max(1);
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        if chars.len() <= max {
            pieces.push(rest.to_owned());
            break;
        }
        let cut = best_cut(&chars, max).unwrap_or_else(|| chars[max].0);
        let (head, tail) = rest.split_at(cut);
        let head = head.trim_end();
        if !head.is_empty() {
            pieces.push(head.to_owned());
        }
        rest = tail.trim_start();
    }
    pieces
}

/// The byte offset of the best place to cut within the first `max` characters: the whitespace after the
/// last sentence end, else after the last clause break, else the last whitespace. `None` when the window
/// holds no whitespace at all (one overlong word).
fn best_cut(chars: &[(usize, char)], max: usize) -> Option<usize> {
    // The whitespace at index `max` counts: cutting there leaves exactly `max` characters before it.
    let window = &chars[..=max.min(chars.len() - 1)];
    let mut best: Option<(Break, usize)> = None;
    for (i, &(offset, c)) in window.iter().enumerate().skip(1) {
        if !c.is_whitespace() {
            continue;
        }
        let kind = break_before(&window[..i]);
        if best.is_none_or(|(b, _)| kind >= b) {
            best = Some((kind, offset));
        }
    }
    best.map(|(_, offset)| offset)
}

/// What kind of break the text just before a space makes.
fn break_before(before: &[(usize, char)]) -> Break {
    let mut marks = before.iter().rev().map(|&(_, c)| c).skip_while(|c| CLOSERS.contains(c));
    match marks.next() {
        Some(c) if SENTENCE_ENDS.contains(&c) => Break::Sentence,
        Some(c) if CLAUSE_BREAKS.contains(&c) => Break::Clause,
        _ => Break::Word,
    }
}

/// The end of the text before a piece, at most `max_chars` long and starting at a word: context that helps a
/// provider join the piece naturally. `None` when there is nothing to send.
pub fn context_before(text: &str, max_chars: usize) -> Option<String> {
    if max_chars == 0 {
        return None;
    }
    let text = text.trim();
    let count = text.chars().count();
    let context = if count <= max_chars {
        text
    } else {
        let start = text.char_indices().nth(count - max_chars).map_or(0, |(i, _)| i);
        let tail = &text[start..];
        // Drop the partial word the cut landed in, unless the cut was already at a word's start.
        if text[..start].ends_with(char::is_whitespace) {
            tail
        } else {
            tail.split_once(char::is_whitespace).map_or("", |(_, rest)| rest)
        }
    };
    let context = context.trim();
    (!context.is_empty()).then(|| context.to_owned())
}

/// The start of the text after a piece, at most `max_chars` long and ending at a word.
pub fn context_after(text: &str, max_chars: usize) -> Option<String> {
    let text = text.trim();
    let context = match text.char_indices().nth(max_chars) {
        None => text,
        Some((end, c)) if c.is_whitespace() => &text[..end],
        Some((end, _)) => text[..end]
            .rsplit_once(char::is_whitespace)
            .map_or("", |(head, _)| head),
    };
    let context = context.trim();
    (!context.is_empty()).then(|| context.to_owned())
}
