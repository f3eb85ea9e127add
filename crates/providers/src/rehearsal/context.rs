//! Reading a task's context: the keys each production stage sends, decoded into domain types, with a clear
//! `invalid_request` when one is missing or malformed.

use serde::de::DeserializeOwned;
use serde_json::Value;
use showrunner_domain::{EpisodeFormat, Language};

use super::phrasebook::{phrasebook, Phrasebook};
use crate::ProviderError;

pub(crate) struct Context<'a> {
    task: &'a str,
    value: &'a Value,
}

impl<'a> Context<'a> {
    pub fn new(task: &'a str, value: &'a Value) -> Context<'a> {
        Context { task, value }
    }

    /// A key the task cannot work without.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<T, ProviderError> {
        self.optional(key)?.ok_or_else(|| {
            ProviderError::invalid_request(format!("The {} request has no '{key}' in its context.", self.task))
        })
    }

    /// A key that may be absent or null.
    pub fn optional<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ProviderError> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some).map_err(|e| {
                ProviderError::invalid_request(format!("The {} request's '{key}' cannot be read: {e}", self.task))
            }),
        }
    }

    /// A non-empty text.
    pub fn text(&self, key: &str) -> Result<String, ProviderError> {
        let text: String = self.get(key)?;
        if text.trim().is_empty() {
            return Err(ProviderError::invalid_request(format!(
                "The {} request's '{key}' is empty.",
                self.task
            )));
        }
        Ok(text.trim().to_owned())
    }

    /// The episode's format (`format.id`); a task sent without one is a deep dive.
    pub fn format(&self) -> Result<EpisodeFormat, ProviderError> {
        #[derive(serde::Deserialize)]
        struct Format {
            id: EpisodeFormat,
        }
        Ok(self.optional::<Format>("format")?.map(|f| f.id).unwrap_or_default())
    }

    /// The episode's language (`language.code`); a task sent without one is English.
    pub fn language(&self) -> Result<Language, ProviderError> {
        #[derive(serde::Deserialize)]
        struct Stamped {
            code: Language,
        }
        Ok(self
            .optional::<Stamped>("language")?
            .map(|l| l.code)
            .unwrap_or_default())
    }

    /// The words the writer uses for this task: the episode language's phrasebook.
    pub fn phrasebook(&self) -> Result<&'static Phrasebook, ProviderError> {
        Ok(phrasebook(self.language()?))
    }

    /// An optional text; blank counts as absent.
    pub fn optional_text(&self, key: &str) -> Result<Option<String>, ProviderError> {
        Ok(self
            .optional::<String>(key)?
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()))
    }
}
