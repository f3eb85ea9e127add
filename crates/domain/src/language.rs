//! The language an episode is written and spoken in. A show keeps a default; each episode may pick another.
//! The prompts ask for it, the brand rules and speech text preparation follow it, voice pickers filter by it,
//! and the offline writer and system voice speak it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The languages Showrunner makes end to end, offline included. Stored and sent as the ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema, TS)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "de")]
    German,
    #[serde(rename = "fr")]
    French,
    #[serde(rename = "es")]
    Spanish,
    #[serde(rename = "ru")]
    Russian,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Russian,
    ];

    /// The ISO 639-1 code: what the store, the CLI and voice catalogs use.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Russian => "ru",
        }
    }

    /// The language's English name, as prompts and the app's pickers say it.
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "German",
            Language::French => "French",
            Language::Spanish => "Spanish",
            Language::Russian => "Russian",
        }
    }

    /// The language's name in itself, shown beside the English one.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
            Language::French => "Français",
            Language::Spanish => "Español",
            Language::Russian => "Русский",
        }
    }

    /// Reads a code ("de", "de-AT", "de_DE"), an English name ("German") or a native name ("Deutsch"), in
    /// any case.
    pub fn parse(s: &str) -> Option<Language> {
        let typed = s.trim().to_lowercase();
        let primary = typed.split(['-', '_']).next().unwrap_or_default();
        Language::ALL.into_iter().find(|l| {
            l.code() == primary || l.name().to_lowercase() == typed || l.native_name().to_lowercase() == typed
        })
    }

    /// Whether a voice tagged `tag` (a BCP 47 tag or a catalog's code, e.g. "en_US", "de-DE", "fr") speaks
    /// this language.
    pub fn matches_tag(self, tag: &str) -> bool {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        primary.eq_ignore_ascii_case(self.code())
    }

    /// What the plan, script and polish prompts are told, before their inputs.
    pub fn guidance(self) -> String {
        match self {
            Language::English => "Write every spoken line, title and summary in English.".to_owned(),
            other => format!(
                "Write every spoken line, title and summary in {} ({}), natural as a native speaker talks; keep \
                 names, quotes from sources and the show's fixed lines as they are.",
                other.name(),
                other.native_name()
            ),
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Text that names no language Showrunner makes, with the ones it could have been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage(pub String);

impl std::fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let codes: Vec<String> = Language::ALL
            .iter()
            .map(|l| format!("{} ({})", l.code(), l.name()))
            .collect();
        write!(
            f,
            "'{}' is not a language Showrunner makes: use one of {}",
            self.0.trim(),
            codes.join(", ")
        )
    }
}

impl std::error::Error for UnknownLanguage {}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;

    /// [`Language::parse`], with the refusal typed.
    fn from_str(s: &str) -> Result<Language, UnknownLanguage> {
        Language::parse(s).ok_or_else(|| UnknownLanguage(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_reads_back_from_its_code_and_names() {
        for l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Some(l));
            assert_eq!(Language::parse(l.name()), Some(l));
            assert_eq!(Language::parse(l.native_name()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.code());
        }
        assert_eq!(Language::parse(" de-AT "), Some(Language::German));
        assert_eq!(Language::parse("FR_ca"), Some(Language::French));
        assert_eq!(Language::parse("русский"), Some(Language::Russian));
        assert_eq!(Language::parse("ja"), None);
        assert_eq!(Language::parse(""), None);
        assert_eq!(
            "klingon".parse::<Language>().unwrap_err().to_string(),
            "'klingon' is not a language Showrunner makes: use one of en (English), de (German), fr (French), \
             es (Spanish), ru (Russian)"
        );
    }

    #[test]
    fn a_voice_tag_matches_by_its_primary_language() {
        assert!(Language::German.matches_tag("de_DE"));
        assert!(Language::English.matches_tag("en-GB"));
        assert!(Language::Russian.matches_tag("RU"));
        assert!(!Language::Spanish.matches_tag("eu"));
        assert!(
            !Language::English.matches_tag("eng"),
            "a three-letter code is another language's"
        );
    }

    #[test]
    fn the_guidance_names_the_language_in_both_its_names() {
        assert!(Language::German.guidance().contains("German (Deutsch)"));
        assert!(Language::English.guidance().contains("in English"));
    }

    proptest::proptest! {
        /// Any text either names a language (by code, primary subtag or name) or is refused; nothing panics.
        #[test]
        fn other_text_parses_only_when_it_names_a_language(text in "\\PC{0,24}") {
            let parsed = Language::parse(&text);
            let lower = text.trim().to_lowercase();
            let primary = lower.split(['-', '_']).next().unwrap_or_default().to_owned();
            let named = Language::ALL.iter().any(|l| {
                l.code() == primary || l.name().to_lowercase() == lower || l.native_name().to_lowercase() == lower
            });
            proptest::prop_assert_eq!(parsed.is_some(), named);
        }
    }
}
