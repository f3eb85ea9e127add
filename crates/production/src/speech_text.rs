//! Speech text preparation: what the voice should say rather than what the page shows. Numbers become
//! words, common symbols and abbreviations are spelled out, and the show's pronunciation dictionary applies.

use num2words::Num2Words;
use showrunner_domain::Pronunciation;

const SPOKEN_FORMS: &[(&str, &str)] = &[
    ("e.g.", "for example"),
    ("i.e.", "that is"),
    ("etc.", "and so on"),
    ("vs.", "versus"),
    ("&", "and"),
    ("%", " percent"),
];

pub fn prepare_speech_text(text: &str, pronunciations: &[Pronunciation]) -> String {
    let mut out = text.to_owned();
    for (written, spoken) in SPOKEN_FORMS {
        out = out.replace(written, spoken);
    }
    for p in pronunciations {
        out = replace_word(&out, p.word.trim(), p.say_as.trim());
    }
    spell_numbers(&out)
}

/// Replaces whole-word, case-insensitive occurrences of `word`.
fn replace_word(text: &str, word: &str, say_as: &str) -> String {
    if word.is_empty() {
        return text.to_owned();
    }
    let lower = text.to_lowercase();
    let needle = word.to_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(found) = lower[i..].find(&needle) {
        let start = i + found;
        let end = start + needle.len();
        let before_ok = start == 0 || !lower[..start].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = end >= lower.len() || !lower[end..].chars().next().is_some_and(char::is_alphanumeric);
        out.push_str(&text[i..start]);
        out.push_str(if before_ok && after_ok {
            say_as
        } else {
            &text[start..end]
        });
        i = end;
    }
    out.push_str(&text[i..]);
    out
}

/// Spells out whole numbers (with optional thousands separators); years read naturally as numbers too.
fn spell_numbers(text: &str) -> String {
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
            .and_then(|n| Num2Words::new(n).to_words().ok())
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
    use super::*;

    #[test]
    fn numbers_and_symbols_are_spoken_as_words() {
        assert_eq!(
            prepare_speech_text("Up 25% in 3 years", &[]),
            "Up twenty-five percent in three years"
        );
        assert_eq!(
            prepare_speech_text("1,200 boats & ships", &[]),
            "one thousand two hundred boats and ships"
        );
    }

    #[test]
    fn the_pronunciation_dictionary_replaces_whole_words_only() {
        let dict = [Pronunciation {
            word: "GIF".into(),
            say_as: "jif".into(),
        }];
        assert_eq!(prepare_speech_text("A GIF, not a gift.", &dict), "A jif, not a gift.");
    }
}
