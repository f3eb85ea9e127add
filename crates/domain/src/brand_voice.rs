//! A show and its brand voice: who hosts it, how it sounds, what it never says. Every stage reads it; the
//! brand check gate enforces its rules.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Artwork, EpisodeFormat, Language, MasteringSettings, ShowId, ShowMusic, ValidationErrors};

pub const MIN_TARGET_MINUTES: u32 = 1;
pub const MAX_TARGET_MINUTES: u32 = 180;
pub const MAX_HOSTS: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Show {
    pub id: ShowId,
    pub brand: BrandVoice,
    #[ts(type = "number")]
    pub created_at_ms: i64,
    #[ts(type = "number")]
    pub updated_at_ms: i64,
}

/// What a producer edits on the "Shows & brand voice" form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct BrandVoice {
    /// The show's name, unique across shows.
    pub name: String,
    pub hosts: Vec<Host>,
    /// e.g. "warm, curious, lightly funny".
    pub tone: String,
    pub audience: String,
    /// Free-form rules, one per entry.
    pub guidelines: Vec<String>,
    /// Phrases the show never says; the brand check fails a script that contains one.
    pub forbidden_phrases: Vec<String>,
    /// Spoken word for word at the start of every episode.
    pub intro_line: String,
    /// Spoken word for word at the end of every episode.
    pub outro_line: String,
    pub target_minutes: u32,
    pub pronunciations: Vec<Pronunciation>,
    /// Loudness target, true-peak ceiling and MP3 format. Shows saved before these settings existed load
    /// with the delivery-spec defaults.
    #[serde(default)]
    pub mastering: MasteringSettings,
    /// Intro and outro beds, a sting, and how speech ducks them. Uploaded files only: the form sets the
    /// levels, the upload commands set the files.
    #[serde(default)]
    pub music: ShowMusic,
    /// Cover art for the MP3's tags and the feed.
    #[serde(default)]
    pub artwork: Option<Artwork>,
    /// The format a new episode of this show starts with (each episode may pick another).
    #[serde(default)]
    pub default_format: EpisodeFormat,
    /// The language a new episode of this show is written and spoken in (each episode may pick another).
    /// Shows saved before languages existed are English.
    #[serde(default)]
    pub default_language: Language,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Host {
    pub name: String,
    /// e.g. "host", "co-host", "expert".
    pub role: String,
    /// The system speech voice for this host (e.g. `en-us`).
    pub voice: String,
    /// The voice picked for this host on each other speech engine: engine id (`elevenlabs`, `openai_tts`)
    /// → that engine's voice id. Kept apart so a fallback engine is never handed another engine's id.
    /// Shows saved before this field existed load with none picked.
    #[serde(default)]
    pub voices: BTreeMap<String, String>,
}

impl Host {
    /// The voice picked for this host on `engine_id`; for system speech, its own entry or `voice`.
    pub fn voice_for(&self, engine_id: &str) -> Option<&str> {
        voice_for(&self.voice, &self.voices, engine_id)
    }
}

/// The system speech engine's id, whose voice is [`Host::voice`].
pub const SYSTEM_SPEECH_ID: &str = "system-speech";

/// Shared by [`Host`] and the speech lines that carry a host's voices into the speech stage.
pub fn voice_for<'a>(voice: &'a str, voices: &'a BTreeMap<String, String>, engine_id: &str) -> Option<&'a str> {
    let picked = voices.get(engine_id).map(String::as_str);
    if engine_id == SYSTEM_SPEECH_ID {
        picked.or(Some(voice))
    } else {
        picked
    }
}

/// How to say a word the speech engine gets wrong ("GIF" → "jif").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Pronunciation {
    pub word: String,
    pub say_as: String,
}

impl BrandVoice {
    /// A ready-to-edit starting point for a new show.
    pub fn starter(name: &str) -> BrandVoice {
        BrandVoice {
            name: name.to_owned(),
            hosts: vec![
                Host {
                    name: "Alex".into(),
                    role: "host".into(),
                    voice: "en-us".into(),
                    voices: BTreeMap::new(),
                },
                Host {
                    name: "Sam".into(),
                    role: "co-host".into(),
                    voice: "en-gb".into(),
                    voices: BTreeMap::new(),
                },
            ],
            tone: "warm, curious and precise".into(),
            audience: "curious listeners who want the real story".into(),
            guidelines: vec![
                "Cite a fact for every claim.".into(),
                "Explain jargon the first time it appears.".into(),
            ],
            forbidden_phrases: vec!["game changer".into(), "in today's fast-paced world".into()],
            intro_line: format!("Welcome to {name}."),
            outro_line: format!("Thanks for listening to {name}."),
            target_minutes: 25,
            pronunciations: Vec::new(),
            mastering: MasteringSettings::default(),
            music: ShowMusic::default(),
            artwork: None,
            default_format: EpisodeFormat::DeepDive,
            default_language: Language::English,
        }
    }

    /// Checks every field a producer fills in. Uniqueness of the name needs the store and is checked there.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.name.trim().is_empty() {
            errors.add("name", "Give the show a name.");
        } else if self.name.chars().count() > 80 {
            errors.add("name", "Keep the name under 80 characters.");
        }
        if self.hosts.is_empty() {
            errors.add("hosts", "Add at least one host.");
        } else if self.hosts.len() > MAX_HOSTS {
            errors.add("hosts", format!("A show can have at most {MAX_HOSTS} hosts."));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, host) in self.hosts.iter().enumerate() {
            let name = host.name.trim();
            if name.is_empty() {
                errors.add(format!("hosts[{i}].name"), "Each host needs a name.");
            } else if !seen.insert(name.to_lowercase()) {
                errors.add(
                    format!("hosts[{i}].name"),
                    format!("Two hosts are called '{name}'; names must differ."),
                );
            }
            if host.voice.trim().is_empty() {
                errors.add(format!("hosts[{i}].voice"), "Pick a voice for this host.");
            }
        }
        self.validate_engine_voices(&mut errors);
        if self.tone.trim().is_empty() {
            errors.add("tone", "Describe the tone, e.g. 'warm and curious'.");
        }
        if self.audience.trim().is_empty() {
            errors.add("audience", "Say who the show is for.");
        }
        if self.intro_line.trim().is_empty() {
            errors.add("intro_line", "Write the line every episode opens with.");
        }
        if self.outro_line.trim().is_empty() {
            errors.add("outro_line", "Write the line every episode closes with.");
        }
        if !(MIN_TARGET_MINUTES..=MAX_TARGET_MINUTES).contains(&self.target_minutes) {
            errors.add(
                "target_minutes",
                format!("Target length must be between {MIN_TARGET_MINUTES} and {MAX_TARGET_MINUTES} minutes."),
            );
        }
        for (i, phrase) in self.forbidden_phrases.iter().enumerate() {
            if phrase.trim().is_empty() {
                errors.add(format!("forbidden_phrases[{i}]"), "Remove the empty phrase.");
            } else if contains_phrase(&self.intro_line, phrase) || contains_phrase(&self.outro_line, phrase) {
                errors.add(
                    format!("forbidden_phrases[{i}]"),
                    "The intro or outro uses this forbidden phrase.",
                );
            }
        }
        for (i, p) in self.pronunciations.iter().enumerate() {
            if p.word.trim().is_empty() || p.say_as.trim().is_empty() {
                errors.add(
                    format!("pronunciations[{i}]"),
                    "Fill in both the word and how to say it.",
                );
            }
        }
        if let Some(problem) = self.default_format.problem(self.hosts.len(), self.target_minutes) {
            errors.add("default_format", problem);
        }
        self.mastering.validate_into("mastering", &mut errors);
        self.music.validate_into("music", &mut errors);
        errors.into_result()
    }

    /// Each picked engine voice is a real id, and no two hosts share one voice on the same engine (the
    /// listener could not tell them apart).
    fn validate_engine_voices(&self, errors: &mut ValidationErrors) {
        let mut taken: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        for (i, host) in self.hosts.iter().enumerate() {
            for (engine, voice) in &host.voices {
                let field = format!("hosts[{i}].voices.{engine}");
                let voice = voice.trim();
                if engine.trim().is_empty() {
                    errors.add(field, "A voice needs the speech engine it belongs to.");
                } else if voice.is_empty() {
                    errors.add(field, "Pick a voice, or leave this engine on automatic.");
                } else {
                    match taken.entry((engine.as_str(), voice)) {
                        Entry::Vacant(slot) => {
                            slot.insert(host.name.trim());
                        }
                        Entry::Occupied(other) => errors.add(
                            field,
                            format!(
                                "{} already speaks with this voice; give each host a different one.",
                                other.get()
                            ),
                        ),
                    }
                }
            }
        }
    }

    pub fn host_names(&self) -> Vec<String> {
        self.hosts.iter().map(|h| h.name.clone()).collect()
    }

    /// Each time a line of `script` says a phrase the show never says, as `L3 says "…"`: the brand check's
    /// finding and the offline judge's, in one wording.
    pub fn forbidden_said(&self, script: &crate::artifacts::Script) -> Vec<String> {
        script
            .lines()
            .flat_map(|l| {
                self.forbidden_phrases
                    .iter()
                    .filter(|p| contains_phrase(&l.text, p))
                    .map(move |p| format!("{} says \"{}\"", l.id, p.trim()))
            })
            .collect()
    }
}

/// Case-insensitive phrase match, the rule the brand check uses.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    let phrase = phrase.trim().to_lowercase();
    !phrase.is_empty() && text.to_lowercase().contains(&phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_brand_voice_is_valid() {
        assert_eq!(BrandVoice::starter("Deep Dive").validate(), Ok(()));
    }

    #[test]
    fn every_invalid_field_is_reported_by_name() {
        let mut b = BrandVoice::starter("X");
        b.name = " ".into();
        b.target_minutes = 0;
        b.hosts[1].name = "alex".into();
        b.intro_line.clear();
        let errors = b.validate().unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "hosts[1].name", "intro_line", "target_minutes"]);
    }

    #[test]
    fn engine_voices_must_be_filled_in_and_differ_between_hosts() {
        let mut b = BrandVoice::starter("X");
        b.hosts[0]
            .voices
            .insert("elevenlabs".into(), "21m00Tcm4TlvDq8ikWAM".into());
        b.hosts[1]
            .voices
            .insert("elevenlabs".into(), "21m00Tcm4TlvDq8ikWAM".into());
        b.hosts[1].voices.insert("openai_tts".into(), " ".into());
        let errors = b.validate().unwrap_err();
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["hosts[1].voices.elevenlabs", "hosts[1].voices.openai_tts"]);
        assert!(
            errors.errors[0].message.contains("Alex"),
            "{}",
            errors.errors[0].message
        );

        // The same voice on two different engines is fine.
        b.hosts[1].voices.clear();
        b.hosts[1]
            .voices
            .insert("openai_tts".into(), "21m00Tcm4TlvDq8ikWAM".into());
        assert_eq!(b.validate(), Ok(()));
    }

    #[test]
    fn a_host_saved_before_engine_voices_existed_still_loads() {
        let host: Host = serde_json::from_str(r#"{"name":"Alex","role":"host","voice":"en-us"}"#).unwrap();
        assert!(host.voices.is_empty());
        assert_eq!(host.voice_for(SYSTEM_SPEECH_ID), Some("en-us"));
        assert_eq!(
            host.voice_for("elevenlabs"),
            None,
            "the system voice is never handed to another engine"
        );
    }

    #[test]
    fn a_forbidden_phrase_in_the_intro_is_caught_before_any_episode_runs() {
        let mut b = BrandVoice::starter("X");
        b.intro_line = "This is a game changer.".into();
        let errors = b.validate().unwrap_err();
        assert_eq!(errors.errors[0].field, "forbidden_phrases[0]");
    }
}
