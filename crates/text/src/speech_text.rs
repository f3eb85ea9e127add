//! Speech text preparation: what the voice should say rather than what the page shows, in the episode's
//! language. Common symbols and abbreviations are spelled out, the show's pronunciation dictionary applies,
//! and numbers become words where num2words knows the language (English, French); elsewhere they are left
//! as digits for the voice, which reads them in its own language (espeak-ng, Piper's phonemizer, ElevenLabs'
//! and OpenAI's multilingual models all do), rather than spelled in the wrong one.

use num2words::{Lang, Num2Words};
use showrunner_domain::{Language, Pronunciation};

/// Written forms and what is said for them, per language. Longer forms first, so "z. B." is not half-read.
fn spoken_forms(language: Language) -> &'static [(&'static str, &'static str)] {
    match language {
        Language::English => &[
            ("e.g.", "for example"),
            ("i.e.", "that is"),
            ("etc.", "and so on"),
            ("vs.", "versus"),
            ("&", "and"),
            ("%", " percent"),
        ],
        Language::German => &[
            ("z. B.", "zum Beispiel"),
            ("z.B.", "zum Beispiel"),
            ("d. h.", "das heißt"),
            ("d.h.", "das heißt"),
            ("usw.", "und so weiter"),
            ("bzw.", "beziehungsweise"),
            ("&", "und"),
            (" %", " Prozent"),
            ("%", " Prozent"),
        ],
        Language::French => &[
            ("p. ex.", "par exemple"),
            ("c.-à-d.", "c'est-à-dire"),
            ("etc.", "et cetera"),
            ("&", "et"),
            (" %", " pour cent"),
            ("%", " pour cent"),
        ],
        Language::Spanish => &[
            ("p. ej.", "por ejemplo"),
            ("etc.", "etcétera"),
            ("&", "y"),
            ("%", " por ciento"),
        ],
        // "%" stays: its Russian word declines with the number before it, which the voice reads too.
        Language::Russian => &[
            ("т. е.", "то есть"),
            ("т.е.", "то есть"),
            ("и т. д.", "и так далее"),
            ("&", "и"),
        ],
    }
}

/// num2words' language for `language`, when it has one.
fn number_words(language: Language) -> Option<Lang> {
    match language {
        Language::English => Some(Lang::English),
        Language::French => Some(Lang::French),
        Language::German | Language::Spanish | Language::Russian => None,
    }
}

pub fn prepare_speech_text(text: &str, pronunciations: &[Pronunciation], language: Language) -> String {
    let mut out = text.to_owned();
    for (written, spoken) in spoken_forms(language) {
        out = out.replace(written, spoken);
    }
    for p in pronunciations {
        out = replace_word(&out, p.word.trim(), p.say_as.trim());
    }
    if number_words(language).is_some() {
        spell_numbers(&out, language)
    } else {
        out
    }
}

/// Replaces whole-word, case-insensitive occurrences of `word`.
///
/// Matching compares lowercase forms character by character against the original text, never byte offsets
/// of a lowercased copy: lowercasing changes some characters' byte length (`İ` → `i̇`, the Kelvin sign → `k`),
/// so offsets into the copy are not offsets into the text.
fn replace_word(text: &str, word: &str, say_as: &str) -> String {
    let needle: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < text.len() {
        let before_ok = !text[..at].chars().next_back().is_some_and(char::is_alphanumeric);
        match matched_len(&text[at..], &needle) {
            Some(len) if before_ok && !text[at + len..].chars().next().is_some_and(char::is_alphanumeric) => {
                out.push_str(&text[copied..at]);
                out.push_str(say_as);
                at += len;
                copied = at;
            }
            _ => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The byte length of the prefix of `text` whose lowercase form is exactly `needle`, if there is one.
fn matched_len(text: &str, needle: &[char]) -> Option<usize> {
    let mut want = needle.iter();
    for (offset, c) in text.char_indices() {
        for lower in c.to_lowercase() {
            if want.next() != Some(&lower) {
                return None;
            }
        }
        if want.len() == 0 {
            return Some(offset + c.len_utf8());
        }
    }
    None
}

/// Spells out whole numbers (with optional thousands separators); years read naturally as numbers too.
fn spell_numbers(text: &str, language: Language) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.is_empty() {
            return;
        }
        let clean: String = digits.chars().filter(|c| c.is_ascii_digit()).collect();
        match clean
            .parse::<i64>()
            .ok()
            .and_then(|n| Num2Words::new(n).lang(number_words(language)?).to_words().ok())
        {
            Some(words) => out.push_str(&words),
            None => out.push_str(digits),
        }
        digits.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let separator = c == ',' && !digits.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || separator {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Words with the characters whose case forms change byte length, and plain ones.
    const TRICKY: &str = "[a-zA-ZİıẞßK\u{212A}ǅΣσςÉé\u{0307}]";

    proptest! {
        /// Any text and any dictionary: no panic (this panicked on `İ`, `ẞ` and the Kelvin sign).
        #[test]
        fn any_text_and_dictionary_prepare_without_panicking(
            text in "\\PC{0,80}",
            entries in proptest::collection::vec(("\\PC{0,10}", "\\PC{0,10}"), 0..4),
        ) {
            let dict: Vec<Pronunciation> =
                entries.into_iter().map(|(word, say_as)| Pronunciation { word, say_as }).collect();
            let _ = prepare_speech_text(&text, &dict, Language::English);
        }

        /// A dictionary word standing alone is replaced, written as in the dictionary or in lower case.
        #[test]
        fn a_whole_word_is_replaced_in_either_case(
            word in proptest::string::string_regex(&format!("{TRICKY}{{1,8}}")).unwrap(),
            say_as in "[a-z]{1,8}",
            lower in any::<bool>(),
        ) {
            let lowered: String = word.chars().flat_map(char::to_lowercase).collect();
            prop_assume!(!["say", "now"].contains(&lowered.as_str()));
            // A combining mark first would join the space before it; a word is letters first.
            prop_assume!(word.chars().next().is_some_and(char::is_alphabetic));
            let written = if lower { lowered.clone() } else { word.clone() };
            let dict = [Pronunciation { word, say_as: say_as.clone() }];
            prop_assert_eq!(prepare_speech_text(&format!("Say {written} now"), &dict, Language::English), format!("Say {say_as} now"));
        }

        /// Text with no numbers, symbols or dictionary is spoken as written.
        #[test]
        fn plain_text_is_unchanged(text in "[a-zA-ZİẞK\u{212A} ,!?']{0,60}") {
            prop_assert_eq!(prepare_speech_text(&text, &[], Language::English), text);
        }
    }

    #[test]
    fn numbers_and_symbols_are_spoken_as_words() {
        assert_eq!(
            prepare_speech_text("Up 25% in 3 years", &[], Language::English),
            "Up twenty-five percent in three years"
        );
        assert_eq!(
            prepare_speech_text("1,200 boats & ships", &[], Language::English),
            "one thousand two hundred boats and ships"
        );
    }

    #[test]
    fn symbols_and_numbers_follow_the_episode_language() {
        assert_eq!(
            prepare_speech_text("Plus 25 % & mehr, z. B. im Jahr 1990", &[], Language::German),
            "Plus 25 Prozent und mehr, zum Beispiel im Jahr 1990",
            "German keeps its digits for the voice and never says them in English"
        );
        assert_eq!(
            prepare_speech_text("Il y a 3 phares & 20 bateaux", &[], Language::French),
            "Il y a trois phares et vingt bateaux"
        );
        assert_eq!(
            prepare_speech_text("Sube un 25% en 3 años", &[], Language::Spanish),
            "Sube un 25 por ciento en 3 años"
        );
        assert_eq!(
            prepare_speech_text("Рост 25% за 3 года, т. е. быстро", &[], Language::Russian),
            "Рост 25% за 3 года, то есть быстро"
        );
        assert_eq!(
            prepare_speech_text("25% & 3", &[], Language::English),
            "twenty-five percent and three"
        );
    }

    #[test]
    fn the_pronunciation_dictionary_replaces_whole_words_only() {
        let dict = [Pronunciation {
            word: "GIF".into(),
            say_as: "jif".into(),
        }];
        assert_eq!(
            prepare_speech_text("A GIF, not a gift.", &dict, Language::English),
            "A jif, not a gift."
        );
    }

    #[test]
    fn characters_whose_lowercase_changes_length_are_matched_without_panicking() {
        let dict = [
            Pronunciation {
                word: "İstanbul".into(),
                say_as: "Istanbul".into(),
            },
            Pronunciation {
                word: "\u{212A}elvin".into(),
                say_as: "kelvin".into(),
            },
        ];
        assert_eq!(
            prepare_speech_text("From İSTANBUL at 300 \u{212A}ELVIN, STRAẞE.", &dict, Language::English),
            "From Istanbul at three hundred kelvin, STRAẞE."
        );
        let strasse = [Pronunciation {
            word: "Straße".into(),
            say_as: "Strasse".into(),
        }];
        assert_eq!(
            prepare_speech_text("İİ Die STRAẞE.", &strasse, Language::German),
            "İİ Die Strasse."
        );
    }
}
