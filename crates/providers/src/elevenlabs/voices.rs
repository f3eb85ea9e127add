//! ElevenLabs voices: what `GET /v1/voices` lists, read leniently (one odd entry never hides the others),
//! and the premade voices offered before the account's own list has been fetched.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Voice;

/// One voice for the host-voice pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceInfo {
    /// What goes in `Host::voices["elevenlabs"]` (ElevenLabs `voice_id`).
    pub id: String,
    pub name: String,
    /// `premade`, `cloned`, `generated`, `professional`…
    pub category: Option<String>,
    /// A short sample the producer can play before choosing.
    pub preview_url: Option<String>,
    /// Descriptive labels such as `accent`, `gender`, `age`, `use_case`.
    pub labels: BTreeMap<String, String>,
}

impl VoiceInfo {
    /// "Name (label, label…)", for a picker.
    pub fn display_label(&self) -> String {
        let details: Vec<&str> = self
            .labels
            .values()
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .collect();
        if details.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, details.join(", "))
        }
    }

    pub fn to_voice(&self) -> Voice {
        Voice {
            id: self.id.clone(),
            label: self.display_label(),
            // The multilingual models speak every voice in the text's language.
            language: None,
        }
    }
}

/// Long-standing premade voices `(voice_id, name)`, offered until the account's own list is fetched.
pub(super) const PREMADE: [(&str, &str); 6] = [
    ("21m00Tcm4TlvDq8ikWAM", "Rachel"),
    ("ErXwobaYiN019PkySvjV", "Antoni"),
    ("EXAVITQu4vr4xnSDxMaL", "Bella"),
    ("TxGEqnHWrfWFTfGW9XjX", "Josh"),
    ("AZnzlk1XvdvUeBnXmlld", "Domi"),
    ("VR6AewLTigWG4xSOukaG", "Arnold"),
];

pub(super) fn premade() -> Vec<VoiceInfo> {
    PREMADE
        .iter()
        .map(|(id, name)| VoiceInfo {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            category: Some("premade".to_owned()),
            preview_url: None,
            labels: BTreeMap::new(),
        })
        .collect()
}

/// Reads a `{"voices": [...]}` body. `None` when the body is not that shape at all.
pub(super) fn parse(body: &[u8]) -> Option<Vec<VoiceInfo>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let voices = value.get("voices")?.as_array()?;
    Some(voices.iter().filter_map(parse_one).collect())
}

fn parse_one(v: &Value) -> Option<VoiceInfo> {
    let id = v.get("voice_id")?.as_str()?.trim();
    if id.is_empty() {
        return None;
    }
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let labels = v
        .get("labels")
        .and_then(Value::as_object)
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Some(VoiceInfo {
        id: id.to_owned(),
        name: text("name").unwrap_or_else(|| id.to_owned()),
        category: text("category"),
        preview_url: text("preview_url").filter(|u| !u.is_empty()),
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_voices_list_is_read_leniently() {
        let body = br#"{"voices":[
            {"voice_id":"abc","name":"Ava","category":"premade","labels":{"accent":"british","age":null,"gender":"female"},
             "preview_url":"https://example.com/ava.mp3","settings":null,"extra":[1,2]},
            {"name":"no id, skipped"},
            {"voice_id":"def"}
        ]}"#;
        let voices = parse(body).unwrap();
        assert_eq!(voices.len(), 2);
        assert_eq!(voices[0].display_label(), "Ava (british, female)");
        assert_eq!(voices[0].preview_url.as_deref(), Some("https://example.com/ava.mp3"));
        assert_eq!(voices[1].name, "def", "a voice without a name shows its id");
        assert!(parse(b"<html>not json</html>").is_none());
        assert!(parse(br#"{"detail":"x"}"#).is_none());
    }
}
