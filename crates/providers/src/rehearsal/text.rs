//! Small text helpers shared by the rehearsal tasks: a stable hash for seeding variety, casing, word counts,
//! name lists and the forbidden-phrase guard.

use showrunner_domain::brand_voice::contains_phrase;

/// FNV-1a: stable across platforms and Rust versions, unlike `DefaultHasher`.
pub(crate) fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// "How lighthouses…" → "how lighthouses…", leaving acronyms and "I" alone ("NASA…", "I'd…").
pub(crate) fn lower_first(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or_default();
    let mut chars = first_word.chars();
    let keep = match (chars.next(), chars.next()) {
        (Some(a), Some(b)) => a.is_uppercase() && (b.is_uppercase() || b == '\'' || b == '’'),
        (Some('I'), None) => true,
        _ => false,
    };
    if keep {
        return text.to_owned();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Drops a trailing sentence end so the text can sit inside a sentence.
pub(crate) fn strip_end(text: &str) -> &str {
    text.trim().trim_end_matches(['.', '!', '?', ';', ':'])
}

/// "A", "A and B", "A, B and C".
/// "A, B and C", with the language's `and` (spaces included).
pub(crate) fn join_names(names: &[String], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// True when `text` uses none of `phrases` (the brand check's case-insensitive rule).
pub(crate) fn is_clean(text: &str, phrases: &[String]) -> bool {
    !phrases.iter().any(|p| contains_phrase(text, p))
}

/// Fills `{name}` placeholders.
pub(crate) fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn casing_keeps_acronyms_and_i() {
        assert_eq!(lower_first("How tides work"), "how tides work");
        assert_eq!(lower_first("NASA at fifty"), "NASA at fifty");
        assert_eq!(lower_first("I'd say so"), "I'd say so");
        assert_eq!(upper_first("tides"), "Tides");
        assert_eq!(join_names(&["A".into(), "B".into(), "C".into()], " and "), "A, B and C");
        assert_eq!(join_names(&["A".into(), "B".into()], " und "), "A und B");
        assert_eq!(fill("{a} and {b}", &[("a", "x"), ("b", "y")]), "x and y");
    }
}
