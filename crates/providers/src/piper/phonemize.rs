//! Text → Piper phoneme ids, as Piper does it: espeak-ng IPA in the voice's language, clause by clause, the
//! clause's punctuation kept as a symbol (`,` `:` `;` followed by a space), decomposed (NFD) into single
//! Unicode scalars, each mapped through the voice's `phoneme_id_map`, with `^` first, `$` last and `_` after
//! every symbol. One id sequence per sentence: the model is run sentence by sentence.
//!
//! Piper links libespeak-ng and gets each clause's terminator from it; here the espeak-ng program prints one
//! clause per line (`-q --ipa`), and the terminators come from our own clause split of the same text. When
//! the two disagree on where clauses end (an abbreviation, a clause espeak-ng cuts for length), the
//! sentence is phonemized alone and its clauses joined, keeping only its final punctuation.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::voice_config::{BOS, EOS, PAD};
use super::PiperError;

/// A phonemizer run that takes longer than this is stopped (the program hung).
const TIMEOUT: Duration = Duration::from_secs(60);

/// How a clause ends, as espeak-ng classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    Period,
    Question,
    Exclamation,
    Comma,
    Colon,
    Semicolon,
    /// Text without closing punctuation.
    None,
}

impl Terminator {
    fn from_char(c: char) -> Terminator {
        match c {
            '.' | '…' => Terminator::Period,
            '?' => Terminator::Question,
            '!' => Terminator::Exclamation,
            ',' => Terminator::Comma,
            ':' => Terminator::Colon,
            ';' => Terminator::Semicolon,
            _ => Terminator::None,
        }
    }

    /// The symbol Piper appends, with the space it adds after a clause break.
    fn symbols(self) -> &'static str {
        match self {
            Terminator::Period => ".",
            Terminator::Question => "?",
            Terminator::Exclamation => "!",
            Terminator::Comma => ", ",
            Terminator::Colon => ": ",
            Terminator::Semicolon => "; ",
            Terminator::None => "",
        }
    }
}

/// One sentence of the text, cut into clauses with how each ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence with its whitespace collapsed, as espeak-ng is given it.
    pub text: String,
    pub clauses: Vec<Terminator>,
}

/// Splits text into sentences (Unicode sentence boundaries) and each sentence into clauses at `, ; :` before
/// whitespace; the sentence's last clause ends with its closing punctuation, if any.
pub fn sentences(text: &str) -> Vec<Sentence> {
    // espeak-ng reads `[[…]]` as phoneme mnemonics; a script's brackets are just text.
    let text = text.replace("[[", "[ [").replace("]]", "] ]");
    text.unicode_sentences()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .map(|text| {
            let chars: Vec<char> = text.chars().collect();
            let mut clauses = Vec::new();
            for (i, c) in chars.iter().enumerate() {
                let next_is_space = chars.get(i + 1).is_some_and(|n| n.is_whitespace());
                if matches!(c, ',' | ';' | ':') && next_is_space {
                    clauses.push(Terminator::from_char(*c));
                }
            }
            let last = text
                .trim_end_matches(|c: char| "\"'”’)]»".contains(c))
                .chars()
                .next_back()
                .map(Terminator::from_char)
                .unwrap_or(Terminator::None);
            clauses.push(last);
            Sentence { text, clauses }
        })
        .collect()
}

/// Drops espeak-ng's language-switch flags (`(en)`…) and surrounding whitespace from one clause.
fn clean_clause(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth = 0usize;
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// A sentence's phonemes: the IPA of each clause with its punctuation, as single Unicode scalars.
pub fn sentence_phonemes(clauses: &[(String, Terminator)]) -> Vec<char> {
    let mut text = String::new();
    for (ipa, terminator) in clauses {
        text.push_str(ipa);
        text.push_str(terminator.symbols());
    }
    text.trim_end().nfd().collect()
}

/// Piper's id sequence for one sentence: `^ _ (p _)* $`. Symbols the voice does not know are left out,
/// as Piper does.
pub fn phoneme_ids(phonemes: &[char], map: &std::collections::BTreeMap<String, Vec<i64>>) -> Vec<i64> {
    let ids = |symbol: &str| map.get(symbol).map(Vec::as_slice).unwrap_or(&[]);
    let mut out = Vec::with_capacity(phonemes.len() * 2 + 3);
    out.extend_from_slice(ids(BOS));
    out.extend_from_slice(ids(PAD));
    let mut buf = [0u8; 4];
    for p in phonemes {
        if let Some(found) = map.get(p.encode_utf8(&mut buf) as &str) {
            out.extend_from_slice(found);
            out.extend_from_slice(ids(PAD));
        }
    }
    out.extend_from_slice(ids(EOS));
    out
}

/// The espeak-ng program, run once per line of the script.
#[derive(Debug, Clone)]
pub struct Phonemizer {
    program: PathBuf,
}

impl Phonemizer {
    pub fn new(program: impl Into<PathBuf>) -> Phonemizer {
        Phonemizer {
            program: program.into(),
        }
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Each sentence's phonemes, in order; sentences with nothing to say are left out.
    pub async fn phonemize(&self, espeak_voice: &str, text: &str) -> Result<Vec<Vec<char>>, PiperError> {
        let sentences = sentences(text);
        if sentences.is_empty() {
            return Ok(Vec::new());
        }
        let joined = sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n");
        let lines = self.run(espeak_voice, &joined).await?;
        let expected: usize = sentences.iter().map(|s| s.clauses.len()).sum();
        let mut out = Vec::with_capacity(sentences.len());
        if lines.len() == expected {
            let mut lines = lines.into_iter();
            for sentence in &sentences {
                let clauses: Vec<(String, Terminator)> = sentence
                    .clauses
                    .iter()
                    .map(|t| (lines.next().unwrap_or_default(), *t))
                    .collect();
                out.push(sentence_phonemes(&clauses));
            }
        } else {
            for sentence in &sentences {
                let lines = self.run(espeak_voice, &sentence.text).await?;
                let clauses: Vec<(String, Terminator)> = if lines.len() == sentence.clauses.len() {
                    lines.into_iter().zip(sentence.clauses.iter().copied()).collect()
                } else {
                    let last = sentence.clauses.last().copied().unwrap_or(Terminator::None);
                    vec![(lines.join(" "), last)]
                };
                out.push(sentence_phonemes(&clauses));
            }
        }
        out.retain(|p| p.iter().any(|c| c.is_alphabetic()));
        Ok(out)
    }

    /// espeak-ng's IPA for `text`, one cleaned clause per entry. The text goes on stdin, never the command line.
    async fn run(&self, espeak_voice: &str, text: &str) -> Result<Vec<String>, PiperError> {
        let mut cmd = Command::new(&self.program);
        cmd.args(["-q", "--ipa", "-b", "1", "-v", espeak_voice, "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                PiperError::PhonemizerMissing(self.program.display().to_string())
            }
            _ => PiperError::PhonemizerFailed(format!("{} could not be started: {e}", self.program.display())),
        })?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(text.as_bytes())
                .await
                .map_err(|e| PiperError::PhonemizerFailed(format!("cannot hand text to espeak-ng: {e}")))?;
        }
        let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
            .await
            .map_err(|_| PiperError::PhonemizerFailed(format!("espeak-ng took longer than {} s", TIMEOUT.as_secs())))?
            .map_err(|e| PiperError::PhonemizerFailed(e.to_string()))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() || stderr.contains("not found") || stderr.contains("Failed to read voice") {
            return Err(PiperError::PhonemizerFailed(format!(
                "espeak-ng (voice '{espeak_voice}') exited with {}: {}",
                output.status,
                stderr.split_whitespace().collect::<Vec<_>>().join(" ")
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(clean_clause)
            .filter(|l| !l.is_empty())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn map(symbols: &[&str]) -> BTreeMap<String, Vec<i64>> {
        symbols
            .iter()
            .enumerate()
            .map(|(i, s)| ((*s).to_owned(), vec![i as i64]))
            .collect()
    }

    #[test]
    fn clauses_end_as_the_text_punctuates_them() {
        let s = sentences("Hello there, my friend. How are you?  Fine!\nWell");
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Hello there, my friend.", "How are you?", "Fine!", "Well"]);
        assert_eq!(s[0].clauses, [Terminator::Comma, Terminator::Period]);
        assert_eq!(s[1].clauses, [Terminator::Question]);
        assert_eq!(s[3].clauses, [Terminator::None]);
        assert_eq!(
            sentences("It costs 3,5 euros: “cheap.”")[0].clauses,
            [Terminator::Colon, Terminator::Period]
        );
        assert!(sentences(" — … ").is_empty(), "nothing to say");
    }

    #[test]
    fn phonemes_keep_punctuation_and_decompose_accents() {
        let clauses = [
            ("həlˈoʊ".to_owned(), Terminator::Comma),
            ("ðɛɹ".to_owned(), Terminator::Question),
        ];
        let p: String = sentence_phonemes(&clauses).into_iter().collect();
        assert_eq!(p, "həlˈoʊ, ðɛɹ?");
        let nasal = sentence_phonemes(&[("ɑ̃".nfc().collect(), Terminator::Period)]);
        assert_eq!(nasal, ['ɑ', '\u{303}', '.']);
        assert_eq!(clean_clause(" (en)wˈiːkˈɛnd(de) ɪst "), "wˈiːkˈɛnd ɪst");
    }

    #[test]
    fn ids_are_framed_and_padded_like_piper() {
        let m = map(&["_", "^", "$", " ", "h", "a", "."]);
        assert_eq!(phoneme_ids(&['h', 'a', 'x', '.'], &m), [1, 0, 4, 0, 5, 0, 6, 0, 2]);
    }

    proptest! {
        #[test]
        fn any_text_splits_into_sentences_that_keep_every_word(text in "[a-zA-Z ,.;:!?\n'’-]{0,200}") {
            let words = |t: &str| t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect::<Vec<_>>();
            let split = sentences(&text);
            let rejoined: Vec<String> = split.iter().flat_map(|s| words(&s.text)).collect();
            prop_assert_eq!(rejoined, words(&text));
            for s in &split {
                prop_assert!(!s.clauses.is_empty());
                prop_assert!(!s.text.contains('\n') && !s.text.contains("  "));
            }
        }

        #[test]
        fn any_phonemes_give_a_framed_padded_sequence(p in proptest::collection::vec(prop::sample::select(vec!['h', 'a', 'x', '.', ' ']), 0..60)) {
            let m = map(&["_", "^", "$", " ", "h", "a", "."]);
            let ids = phoneme_ids(&p, &m);
            prop_assert_eq!(ids[0], 1);
            prop_assert_eq!(*ids.last().unwrap(), 2);
            let known = p.iter().filter(|c| **c != 'x').count();
            prop_assert_eq!(ids.len(), 3 + 2 * known);
            prop_assert!(ids[1..ids.len() - 1].iter().step_by(2).all(|id| *id == 0), "a pad after every symbol: {:?}", ids);
        }
    }
}
