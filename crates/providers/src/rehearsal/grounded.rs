//! Offline research from the producer's own sources: the chunks the stage handed a question are cut into
//! sentences, ranked by the words they share with the question (and, less, with the topic), and the best
//! become the findings, word for word. The stage cites each to its chunk; the writer invents nothing.

use std::collections::HashSet;

use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;

/// A chunk as the research stages put it in the prompt.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PromptChunk {
    pub text: String,
}

/// Findings per question, as the template research gives.
const FINDINGS: usize = 2;

/// Too short to say anything, or too long for a host to say in one breath.
fn speakable(sentence: &str) -> bool {
    let words = sentence.split_whitespace().count();
    (5..=60).contains(&words) && sentence.ends_with(['.', '!', '?', '"', '\u{201d}', ')'])
}

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The sentences of `chunks` that best answer `question` about `topic`, best first; ties keep document
/// order, rotated by the question's place so each question starts from a different part of the sources.
pub(crate) fn best_sentences(chunks: &[PromptChunk], topic: &str, question: &str, question_no: usize) -> Vec<String> {
    let question_words = words(question);
    let topic_words = words(topic);
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for chunk in chunks {
        for sentence in chunk.text.split_sentence_bounds() {
            let sentence = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
            if !speakable(&sentence) || candidates.iter().any(|(_, s)| *s == sentence) {
                continue;
            }
            let w = words(&sentence);
            let score = 2 * w.intersection(&question_words).count() + w.intersection(&topic_words).count();
            candidates.push((score, sentence));
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }
    let n = candidates.len();
    let offset = (question_no * FINDINGS) % n;
    let mut ranked: Vec<(usize, usize, String)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, (score, s))| (score, (i + n - offset) % n, s))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(FINDINGS).map(|(_, _, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_sharing_the_questions_words_comes_first() {
        let chunks = [PromptChunk {
            text: "Keepers kept goats and grew vegetables on the rock. The lamp burned whale oil until the 1870s, \
                   then kerosene. Short one."
                .into(),
        }];
        let got = best_sentences(&chunks, "Lighthouses", "What did the lamp burn before kerosene?", 0);
        assert_eq!(got[0], "The lamp burned whale oil until the 1870s, then kerosene.");
        assert_eq!(got.len(), 2, "the fragment 'Short one.' is not a finding: {got:?}");
    }
}
