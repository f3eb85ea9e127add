//! `script.polish`: a light, deterministic edit for reading aloud. Every line keeps its id, speaker and fact
//! references; the intro and outro lines are left exactly as the brand wrote them.

use showrunner_domain::artifacts::Script;
use showrunner_domain::BrandVoice;

use super::context::Context;
use crate::ProviderError;

pub(crate) fn polish(ctx: &Context) -> Result<Script, ProviderError> {
    let brand: BrandVoice = ctx.get("brand")?;
    let mut script: Script = ctx.get("script")?;
    let keep = [brand.intro_line.trim(), brand.outro_line.trim()];
    for line in script.segments.iter_mut().flat_map(|s| s.lines.iter_mut()) {
        if keep.contains(&line.text.trim()) {
            continue;
        }
        line.text = polish_text(&line.text);
    }
    Ok(script)
}

/// Tidies one line: typographic quotes and dashes to plain ones, spacing around punctuation, doubled words
/// ("the the"), a capital to start and an ending mark.
pub(crate) fn polish_text(text: &str) -> String {
    let text = text
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}', '\u{201E}'], "\"")
        .replace(['\u{2013}', '\u{2014}'], " - ")
        .replace('\u{2026}', "...");
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let doubled = words.last().is_some_and(|prev| {
            prev.eq_ignore_ascii_case(word)
                && word.chars().all(char::is_alphabetic)
                && !["had", "that"].contains(&word.to_lowercase().as_str())
        });
        if !doubled {
            words.push(word);
        }
    }
    let mut out = String::with_capacity(text.len());
    for word in words {
        // Punctuation typed as its own word joins the word before it.
        if !out.is_empty() && !word.chars().all(|c| matches!(c, ',' | '.' | '!' | '?' | ';' | ':')) {
            out.push(' ');
        }
        out.push_str(word);
    }
    let mut chars = out.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return out,
    };
    if !out.ends_with(['.', '!', '?', '"', '\'', ')']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::polish_text;

    #[test]
    fn tidies_spacing_quotes_doubles_and_endings() {
        assert_eq!(
            polish_text("  the  the tide\u{2019}s turning , slowly"),
            "The tide's turning, slowly."
        );
        assert_eq!(polish_text("Is it ?"), "Is it?");
        assert_eq!(polish_text("Already fine."), "Already fine.");
        assert_eq!(polish_text("that that's it"), "That that's it.");
        assert_eq!(polish_text("She had had enough"), "She had had enough.");
    }
}
