//! A Piper voice's `.onnx.json`: what the model was trained with (sample rate, espeak-ng language, the
//! phoneme → id table, speakers) and its default pace and noise. Read strictly: a file missing what
//! synthesis needs is refused with the field it lacks, not discovered broken mid-episode.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::PiperError;

/// Piper's start, end and padding symbols.
pub const BOS: &str = "^";
pub const EOS: &str = "$";
pub const PAD: &str = "_";

/// What synthesis needs from a voice's config, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceConfig {
    pub sample_rate: u32,
    /// e.g. "medium"; shown to the producer.
    pub quality: Option<String>,
    /// The espeak-ng voice phonemes come from (`en-us`, `de`…).
    pub espeak_voice: String,
    /// e.g. "en_US"; the espeak voice when the file has no language block.
    pub language: String,
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
    pub num_speakers: u32,
    /// Speaker name → id, for multi-speaker voices.
    pub speakers: BTreeMap<String, i64>,
    /// One IPA symbol (a Unicode scalar after NFD) → its ids.
    pub phoneme_id_map: BTreeMap<String, Vec<i64>>,
}

#[derive(Deserialize)]
struct Raw {
    audio: Option<RawAudio>,
    espeak: Option<RawEspeak>,
    #[serde(default)]
    inference: RawInference,
    phoneme_type: Option<String>,
    phoneme_id_map: Option<BTreeMap<String, Vec<i64>>>,
    num_speakers: Option<u32>,
    #[serde(default)]
    speaker_id_map: BTreeMap<String, i64>,
    language: Option<RawLanguage>,
}

#[derive(Deserialize)]
struct RawAudio {
    sample_rate: Option<u32>,
    quality: Option<String>,
}

#[derive(Deserialize)]
struct RawEspeak {
    voice: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawInference {
    noise_scale: Option<f32>,
    length_scale: Option<f32>,
    noise_w: Option<f32>,
}

#[derive(Deserialize)]
struct RawLanguage {
    code: Option<String>,
}

/// Piper's own defaults when `inference` leaves a value out.
const DEFAULT_NOISE_SCALE: f32 = 0.667;
const DEFAULT_LENGTH_SCALE: f32 = 1.0;
const DEFAULT_NOISE_W: f32 = 0.8;

fn invalid(field: &str, detail: &str) -> PiperError {
    PiperError::ConfigInvalid {
        field: field.to_owned(),
        detail: detail.to_owned(),
    }
}

impl VoiceConfig {
    /// Parses and checks a `.onnx.json`.
    pub fn parse(json: &str) -> Result<VoiceConfig, PiperError> {
        let raw: Raw = serde_json::from_str(json).map_err(|e| invalid("(file)", &format!("is not valid JSON: {e}")))?;
        if let Some(kind) = raw.phoneme_type.as_deref() {
            if kind != "espeak" {
                return Err(invalid(
                    "phoneme_type",
                    &format!("is '{kind}'; only espeak-ng phoneme voices are supported"),
                ));
            }
        }
        let audio = raw.audio.ok_or_else(|| invalid("audio.sample_rate", "is missing"))?;
        let sample_rate = audio
            .sample_rate
            .ok_or_else(|| invalid("audio.sample_rate", "is missing"))?;
        if !(8_000..=96_000).contains(&sample_rate) {
            return Err(invalid(
                "audio.sample_rate",
                &format!("{sample_rate} Hz is not a speech sample rate"),
            ));
        }
        let phoneme_id_map = raw
            .phoneme_id_map
            .ok_or_else(|| invalid("phoneme_id_map", "is missing"))?;
        for symbol in [BOS, EOS, PAD] {
            if phoneme_id_map.get(symbol).is_none_or(Vec::is_empty) {
                return Err(invalid("phoneme_id_map", &format!("has no ids for '{symbol}'")));
            }
        }
        if phoneme_id_map.len() < 10 {
            return Err(invalid("phoneme_id_map", "holds too few symbols to speak with"));
        }
        if phoneme_id_map.values().flatten().any(|id| *id < 0) {
            return Err(invalid("phoneme_id_map", "holds a negative id"));
        }
        let espeak_voice = raw
            .espeak
            .and_then(|e| e.voice)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| invalid("espeak.voice", "is missing"))?;
        let name_like = espeak_voice
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_+".contains(c));
        if !name_like || espeak_voice.starts_with('-') || espeak_voice.len() > 60 {
            return Err(invalid(
                "espeak.voice",
                &format!("'{espeak_voice}' is not a voice name"),
            ));
        }
        let language = raw
            .language
            .and_then(|l| l.code)
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| espeak_voice.clone());
        let scale = |value: Option<f32>, default: f32, field: &str| match value {
            None => Ok(default),
            Some(v) if v.is_finite() && (0.0..=10.0).contains(&v) => Ok(v),
            Some(v) => Err(invalid(field, &format!("{v} is out of range"))),
        };
        Ok(VoiceConfig {
            sample_rate,
            quality: audio.quality.filter(|q| !q.trim().is_empty()),
            language,
            espeak_voice,
            noise_scale: scale(raw.inference.noise_scale, DEFAULT_NOISE_SCALE, "inference.noise_scale")?,
            length_scale: scale(
                raw.inference.length_scale,
                DEFAULT_LENGTH_SCALE,
                "inference.length_scale",
            )?,
            noise_w: scale(raw.inference.noise_w, DEFAULT_NOISE_W, "inference.noise_w")?,
            num_speakers: raw.num_speakers.unwrap_or(1).max(1),
            speakers: raw.speaker_id_map,
            phoneme_id_map,
        })
    }

    pub fn multi_speaker(&self) -> bool {
        self.num_speakers > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(patch: impl FnOnce(&mut serde_json::Value)) -> Result<VoiceConfig, PiperError> {
        let mut map = serde_json::Map::new();
        for (i, s) in ["_", "^", "$", " ", ".", ",", "a", "b", "h", "ə", "ˈ"]
            .iter()
            .enumerate()
        {
            map.insert((*s).to_owned(), serde_json::json!([i]));
        }
        let mut json = serde_json::json!({
            "audio": {"sample_rate": 22050, "quality": "medium"},
            "espeak": {"voice": "de"},
            "inference": {"noise_scale": 0.5, "length_scale": 1.1, "noise_w": 0.7},
            "phoneme_type": "espeak",
            "phoneme_id_map": map,
            "num_speakers": 1,
            "language": {"code": "de_DE"}
        });
        patch(&mut json);
        VoiceConfig::parse(&json.to_string())
    }

    fn field(e: PiperError) -> String {
        match e {
            PiperError::ConfigInvalid { field, .. } => field,
            other => panic!("not a config error: {other:?}"),
        }
    }

    #[test]
    fn a_complete_config_is_read_with_its_own_pace_and_language() {
        let c = config(|_| {}).unwrap();
        assert_eq!(
            (c.sample_rate, c.espeak_voice.as_str(), c.language.as_str()),
            (22_050, "de", "de_DE")
        );
        assert_eq!((c.noise_scale, c.length_scale, c.noise_w), (0.5, 1.1, 0.7));
        assert!(!c.multi_speaker());
        let defaults = config(|j| j["inference"] = serde_json::json!({})).unwrap();
        assert_eq!((defaults.noise_scale, defaults.length_scale), (0.667, 1.0));
    }

    #[test]
    fn what_synthesis_needs_is_required_by_name() {
        let no_rate = config(|j| j["audio"] = serde_json::json!({}));
        assert_eq!(field(no_rate.unwrap_err()), "audio.sample_rate");
        let no_map = config(|j| {
            j.as_object_mut().unwrap().remove("phoneme_id_map");
        });
        assert_eq!(field(no_map.unwrap_err()), "phoneme_id_map");
        let no_pad = config(|j| {
            j["phoneme_id_map"].as_object_mut().unwrap().remove("_");
        });
        assert_eq!(field(no_pad.unwrap_err()), "phoneme_id_map");
        let option = config(|j| j["espeak"]["voice"] = "-w x".into());
        assert_eq!(field(option.unwrap_err()), "espeak.voice");
        let text = config(|j| j["phoneme_type"] = "text".into());
        assert_eq!(field(text.unwrap_err()), "phoneme_type");
        let rate = config(|j| j["audio"]["sample_rate"] = 12.into());
        assert_eq!(field(rate.unwrap_err()), "audio.sample_rate");
        assert_eq!(field(VoiceConfig::parse("{\"audio\":").unwrap_err()), "(file)");
    }
}
