//! Cutting a document into index-sized chunks: whole paragraphs where they fit, else whole sentences
//! (Unicode sentence bounds), else whole words; a chunk never spans two locations, so its citation is exact.

use unicode_segmentation::UnicodeSegmentation;

use crate::{Document, Location};

/// The most characters a chunk holds (about 250 tokens: a few chunks fit any prompt).
pub const CHUNK_CHARS: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// 0, 1, … in document order.
    pub ordinal: u32,
    pub location: Option<Location>,
    pub text: String,
}

pub fn chunk_document(document: &Document, max_chars: usize) -> Vec<Chunk> {
    let max_chars = max_chars.max(1);
    let mut chunks = Vec::new();
    for section in &document.sections {
        for text in chunk_text(&section.text, max_chars) {
            chunks.push(Chunk {
                ordinal: chunks.len() as u32,
                location: section.location.clone(),
                text,
            });
        }
    }
    chunks
}

/// The sentences of `text`, trimmed, empty ones dropped.
pub fn sentences(text: &str) -> Vec<&str> {
    text.split_sentence_bounds()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn chunk_text(text: &str, max_chars: usize) -> Vec<String> {
    let mut pieces: Vec<(String, &'static str)> = Vec::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if paragraph.chars().count() <= max_chars {
            pieces.push((paragraph.to_owned(), "\n\n"));
            continue;
        }
        for sentence in sentences(paragraph) {
            if sentence.chars().count() <= max_chars {
                pieces.push((sentence.to_owned(), " "));
            } else {
                pieces.extend(split_words(sentence, max_chars).into_iter().map(|w| (w, " ")));
            }
        }
    }
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for (piece, separator) in pieces {
        let n = piece.chars().count();
        if current.is_empty() {
            current = piece;
            current_chars = n;
        } else if current_chars + separator.chars().count() + n <= max_chars {
            current.push_str(separator);
            current.push_str(&piece);
            current_chars += separator.chars().count() + n;
        } else {
            chunks.push(std::mem::take(&mut current));
            current = piece;
            current_chars = n;
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// A sentence longer than a chunk, cut between words; a single word longer than a chunk is cut between
/// characters (a URL or a run of symbols), since it cannot be kept whole.
fn split_words(sentence: &str, max_chars: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for word in sentence.split_whitespace() {
        let n = word.chars().count();
        let needed = if current.is_empty() { n } else { n + 1 };
        if current_chars + needed <= max_chars {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            current_chars += needed;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
            current_chars = 0;
        }
        if n <= max_chars {
            current.push_str(word);
            current_chars = n;
        } else {
            let chars: Vec<char> = word.chars().collect();
            for part in chars.chunks(max_chars) {
                out.push(part.iter().collect());
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{Format, Section};

    fn doc(sections: Vec<(Option<Location>, String)>) -> Document {
        Document {
            format: Format::Text,
            title: None,
            sections: sections
                .into_iter()
                .map(|(location, text)| Section { location, text })
                .collect(),
        }
    }

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn paragraphs_stay_whole_and_locations_are_kept() {
        let d = doc(vec![
            (Some(Location::Page(1)), "First paragraph.\n\nSecond one.".into()),
            (Some(Location::Page(2)), "Page two.".into()),
        ]);
        let chunks = chunk_document(&d, 20);
        let got: Vec<(Option<Location>, &str)> = chunks.iter().map(|c| (c.location.clone(), c.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(Location::Page(1)), "First paragraph."),
                (Some(Location::Page(1)), "Second one."),
                (Some(Location::Page(2)), "Page two."),
            ]
        );
    }

    #[test]
    fn a_long_paragraph_is_cut_between_sentences() {
        let d = doc(vec![(None, "One sentence here. Two sentence here. Three here.".into())]);
        let texts: Vec<String> = chunk_document(&d, 40).into_iter().map(|c| c.text).collect();
        assert_eq!(texts, ["One sentence here. Two sentence here.", "Three here."]);
    }

    proptest! {
        /// Nothing is lost or invented, and no chunk is too long or empty.
        #[test]
        fn chunks_cover_the_text_exactly(
            paragraphs in proptest::collection::vec("[a-zA-Zéü0-9 ,.!?\n\u{4e00}-\u{4e10}]{0,300}", 0..8),
            max in 5usize..200,
        ) {
            let text = paragraphs.join("\n\n");
            let d = doc(vec![(Some(Location::Section("S".into())), text.clone())]);
            let chunks = chunk_document(&d, max);
            let joined: String = chunks.iter().map(|c| c.text.as_str()).collect();
            prop_assert_eq!(squeeze(&joined), squeeze(&text));
            for (i, c) in chunks.iter().enumerate() {
                prop_assert!(c.text.chars().count() <= max, "chunk {} too long", i);
                prop_assert!(!c.text.trim().is_empty());
                prop_assert_eq!(c.ordinal as usize, i);
            }
        }

        /// Sentences are trimmed pieces of the text, in order, with nothing but whitespace between them.
        #[test]
        fn sentences_partition_the_text(text in "[a-zA-Z ,.!?\n]{0,400}") {
            let joined: String = sentences(&text).concat();
            prop_assert_eq!(squeeze(&joined), squeeze(&text));
        }
    }
}
