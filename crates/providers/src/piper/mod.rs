//! Piper: a neural voice that runs on this computer. A voice is an ONNX model and its `.onnx.json`; text is
//! phonemized by espeak-ng in the voice's language, mapped to the voice's phoneme ids and run sentence by
//! sentence through ONNX Runtime (loaded at run time, see [`runtime`]). Free, offline, and a real voice.

pub mod catalog;
mod library;
mod model;
mod phonemize;
pub mod runtime;
mod voice_config;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ort::environment::Environment;
use tokio::sync::OnceCell;

pub use library::{check_pair, config_path_for, install, installed, remove, valid_name, InstalledVoice};
pub use model::Scales;
pub use phonemize::{phoneme_ids, sentences, Phonemizer, Sentence, Terminator};
pub use voice_config::{VoiceConfig, BOS, EOS, PAD};

use crate::{wav, ErrorClass, ProviderError, SpeechAudio, SpeechEngine, SpeechRequest, Usage, Voice};
use model::LoadedModel;

/// The engine id: the key of `Host::voices` and the price table.
pub const PROVIDER_ID: &str = "piper";
/// Shown in the Run view.
pub const LABEL: &str = "Piper (offline neural voice)";
/// Longest text one request may carry; the speech stage cuts longer lines, and each request is run sentence
/// by sentence.
pub const MAX_CHARS: usize = 2_000;
/// How much slower the "slower pace" variant of a voice speaks (its `length_scale` multiplier): enough to
/// tell two hosts sharing one single-speaker voice apart.
const SLOWER: f32 = 1.15;
/// How many speakers of a multi-speaker voice are offered as host voices.
const SPEAKERS_OFFERED: usize = 8;

/// Why Piper cannot be used or could not speak. Each has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PiperError {
    #[error("ONNX Runtime was not found, so Piper voices cannot speak (tried {}). Install it (for example `pip install onnxruntime` ships libonnxruntime) and set ORT_DYLIB_PATH to the library file.", tried.join("; "))]
    RuntimeMissing { tried: Vec<String> },
    #[error("The voice's .onnx.json is not usable: {field} {detail}.")]
    ConfigInvalid { field: String, detail: String },
    #[error("The voice files are incomplete: {0}.")]
    FilesMissing(String),
    #[error("The voice model is broken or does not match its .onnx.json: {0}")]
    ModelInvalid(String),
    #[error("A voice called '{0}' is already installed; remove it first to replace it.")]
    AlreadyInstalled(String),
    #[error("No voice called '{0}' is installed.")]
    NotInstalled(String),
    #[error("Piper voices need espeak-ng for their phonemes, and `{0}` was not found. Install espeak-ng (Debian/Ubuntu: `sudo apt install espeak-ng`).")]
    PhonemizerMissing(String),
    #[error("espeak-ng could not phonemize the text: {0}")]
    PhonemizerFailed(String),
    #[error("Piper could not synthesize the line: {0}")]
    Inference(String),
    #[error("The voices folder could not be changed: {0}")]
    Storage(String),
}

impl PiperError {
    /// Stable, snake_case.
    pub fn code(&self) -> &'static str {
        match self {
            PiperError::RuntimeMissing { .. } => "piper_runtime_missing",
            PiperError::ConfigInvalid { .. } => "voice_config_invalid",
            PiperError::FilesMissing(_) => "voice_files_missing",
            PiperError::ModelInvalid(_) => "voice_model_invalid",
            PiperError::AlreadyInstalled(_) => "voice_already_installed",
            PiperError::NotInstalled(_) => "voice_not_installed",
            PiperError::PhonemizerMissing(_) => "phonemizer_missing",
            PiperError::PhonemizerFailed(_) => "phonemize_failed",
            PiperError::Inference(_) => "piper_inference_failed",
            PiperError::Storage(_) => "voice_storage",
        }
    }
}

impl From<PiperError> for ProviderError {
    fn from(e: PiperError) -> ProviderError {
        ProviderError::new(e.code(), e.to_string(), ErrorClass::Terminal)
    }
}

/// A host's voice on Piper: `name`, `name#speaker` (a multi-speaker voice) or `name@slower`.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceChoice {
    pub name: String,
    pub speaker: Option<i64>,
    pub slower: bool,
}

impl VoiceChoice {
    pub fn parse(id: &str) -> VoiceChoice {
        let (rest, slower) = match id.trim().strip_suffix("@slower") {
            Some(rest) => (rest, true),
            None => (id.trim(), false),
        };
        let (name, speaker) = match rest.rsplit_once('#') {
            Some((name, n)) if n.parse::<i64>().is_ok() => (name, n.parse().ok()),
            _ => (rest, None),
        };
        VoiceChoice {
            name: name.to_owned(),
            speaker,
            slower,
        }
    }

    pub fn id(&self) -> String {
        let mut id = self.name.clone();
        if let Some(s) = self.speaker {
            id.push_str(&format!("#{s}"));
        }
        if self.slower {
            id.push_str("@slower");
        }
        id
    }
}

/// The voices a host can be given, distinct ones first: every offered speaker, then the slower variants.
pub fn voice_options(voices: &[InstalledVoice]) -> Vec<Voice> {
    let mut plain = Vec::new();
    let language = |name: &str| {
        voices
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.config.language.clone())
    };
    for v in voices {
        let about = match &v.config.quality {
            Some(q) => format!("{} · {} · {q}", v.name, v.config.language),
            None => format!("{} · {}", v.name, v.config.language),
        };
        if v.config.multi_speaker() {
            let mut speakers: Vec<(String, i64)> = v.config.speakers.iter().map(|(n, id)| (n.clone(), *id)).collect();
            speakers.sort_by_key(|(_, id)| *id);
            if speakers.is_empty() {
                speakers = (0..v.config.num_speakers as i64)
                    .map(|i| (format!("speaker {i}"), i))
                    .collect();
            }
            for (speaker, id) in speakers.into_iter().take(SPEAKERS_OFFERED) {
                plain.push((
                    VoiceChoice {
                        name: v.name.clone(),
                        speaker: Some(id),
                        slower: false,
                    },
                    format!("{about} · {speaker}"),
                ));
            }
        } else {
            plain.push((
                VoiceChoice {
                    name: v.name.clone(),
                    speaker: None,
                    slower: false,
                },
                about,
            ));
        }
    }
    let slower = plain.iter().map(|(c, label)| {
        (
            VoiceChoice {
                slower: true,
                ..c.clone()
            },
            format!("{label} · slower pace"),
        )
    });
    let all: Vec<(VoiceChoice, String)> = plain.clone().into_iter().chain(slower).collect();
    all.into_iter()
        .map(|(c, label)| Voice {
            id: c.id(),
            language: language(&c.name),
            label,
        })
        .collect()
}

struct VoiceSlot {
    voice: InstalledVoice,
    model: OnceCell<Arc<LoadedModel>>,
}

/// The installed Piper voices as one [`SpeechEngine`]. Models load on first use and stay loaded.
pub struct PiperSpeech {
    env: Environment,
    phonemizer: Phonemizer,
    voices: Vec<Arc<VoiceSlot>>,
    index: HashMap<String, usize>,
}

impl PiperSpeech {
    /// Piper over the voices installed in `voices_dir`, phonemizing with the espeak-ng at `espeak`.
    /// `voice_not_installed` when there is none; `piper_runtime_missing` without ONNX Runtime.
    pub fn open(voices_dir: &Path, espeak: impl Into<PathBuf>) -> Result<PiperSpeech, PiperError> {
        let voices = installed(voices_dir);
        if voices.is_empty() {
            return Err(PiperError::NotInstalled("(any)".into()));
        }
        PiperSpeech::with_voices(voices, espeak)
    }

    /// Piper over the given voices.
    pub fn with_voices(voices: Vec<InstalledVoice>, espeak: impl Into<PathBuf>) -> Result<PiperSpeech, PiperError> {
        let env = runtime::runtime()?;
        let index = voices.iter().enumerate().map(|(i, v)| (v.name.clone(), i)).collect();
        Ok(PiperSpeech {
            env,
            phonemizer: Phonemizer::new(espeak),
            voices: voices
                .into_iter()
                .map(|voice| {
                    Arc::new(VoiceSlot {
                        voice,
                        model: OnceCell::new(),
                    })
                })
                .collect(),
            index,
        })
    }

    pub fn installed(&self) -> Vec<&InstalledVoice> {
        self.voices.iter().map(|s| &s.voice).collect()
    }

    fn slot(&self, name: &str) -> Result<&Arc<VoiceSlot>, PiperError> {
        if name.is_empty() {
            return self
                .voices
                .first()
                .ok_or_else(|| PiperError::NotInstalled("(any)".into()));
        }
        self.index
            .get(name)
            .map(|i| &self.voices[*i])
            .ok_or_else(|| PiperError::NotInstalled(name.to_owned()))
    }

    async fn model(&self, slot: &Arc<VoiceSlot>) -> Result<Arc<LoadedModel>, PiperError> {
        slot.model
            .get_or_try_init(|| async {
                let (env, slot) = (self.env.clone(), slot.clone());
                tokio::task::spawn_blocking(move || {
                    LoadedModel::load(&env, &slot.voice.model_path, &slot.voice.config).map(Arc::new)
                })
                .await
                .map_err(|e| PiperError::Inference(format!("the model loader stopped: {e}")))?
            })
            .await
            .cloned()
    }

    /// The phoneme ids of each sentence of `text` for `voice`: what the model is given.
    pub async fn phoneme_ids(&self, voice: &str, text: &str) -> Result<Vec<Vec<i64>>, PiperError> {
        let slot = self.slot(&VoiceChoice::parse(voice).name)?;
        let config = &slot.voice.config;
        let sentences = self.phonemizer.phonemize(&config.espeak_voice, text).await?;
        Ok(sentences
            .iter()
            .map(|p| phoneme_ids(p, &config.phoneme_id_map))
            .collect())
    }

    /// Speaks `text` with `voice`: 16-bit mono samples at the voice's sample rate.
    pub async fn speak(&self, voice: &str, text: &str) -> Result<(Vec<i16>, u32, String), PiperError> {
        let choice = VoiceChoice::parse(voice);
        let slot = self.slot(&choice.name)?.clone();
        let config = slot.voice.config.clone();
        if let Some(speaker) = choice.speaker {
            if !config.multi_speaker() || speaker < 0 || speaker >= i64::from(config.num_speakers) {
                return Err(PiperError::NotInstalled(choice.id()));
            }
        }
        let ids = self.phoneme_ids(&slot.voice.name, text).await?;
        let model = self.model(&slot).await?;
        let scales = Scales {
            noise_scale: config.noise_scale,
            length_scale: config.length_scale * if choice.slower { SLOWER } else { 1.0 },
            noise_w: config.noise_w,
            speaker: config.multi_speaker().then(|| choice.speaker.unwrap_or(0)),
        };
        let samples = tokio::task::spawn_blocking(move || {
            let mut out: Vec<i16> = Vec::new();
            for sentence in ids {
                let audio = model.infer(&sentence, scales)?;
                out.extend(audio.iter().map(|s| (s.clamp(-1.0, 1.0) * 32_767.0) as i16));
            }
            Ok::<_, PiperError>(out)
        })
        .await
        .map_err(|e| PiperError::Inference(format!("the synthesis thread stopped: {e}")))??;
        Ok((samples, config.sample_rate, slot.voice.name.clone()))
    }
}

#[async_trait::async_trait]
impl SpeechEngine for PiperSpeech {
    fn label(&self) -> &str {
        LABEL
    }

    fn id(&self) -> &str {
        PROVIDER_ID
    }

    fn model(&self) -> &str {
        PROVIDER_ID
    }

    fn voices(&self) -> Vec<Voice> {
        voice_options(&self.voices.iter().map(|s| s.voice.clone()).collect::<Vec<_>>())
    }

    fn max_chars(&self) -> usize {
        MAX_CHARS
    }

    async fn synthesize(&self, req: SpeechRequest) -> Result<SpeechAudio, ProviderError> {
        let text = req.text.trim();
        if text.is_empty() {
            return Err(ProviderError::invalid_request("There is no text to speak."));
        }
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            return Err(ProviderError::invalid_request(format!(
                "The text is {chars} characters; Piper takes at most {MAX_CHARS} at a time."
            )));
        }
        let (samples, sample_rate, voice) = self.speak(&req.voice, text).await?;
        if samples.is_empty() {
            return Err(ProviderError::speech_failed("Piper produced no audio for the line"));
        }
        let wav = wav::pcm16_mono(sample_rate, &samples);
        Ok(SpeechAudio {
            wav,
            sample_rate,
            duration_ms: samples.len() as u64 * 1000 / u64::from(sample_rate),
            usage: Usage {
                characters: chars as u64,
                ..Usage::default()
            },
            provider_id: PROVIDER_ID.to_owned(),
            model: voice,
            request_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_ids_round_trip_with_speaker_and_pace() {
        for id in [
            "en_US-joe-medium",
            "en_US-libritts-high#12",
            "x#3@slower",
            "de_DE-thorsten-low@slower",
        ] {
            assert_eq!(VoiceChoice::parse(id).id(), id);
        }
        let c = VoiceChoice::parse("en_US-libritts-high#12@slower");
        assert_eq!(
            (c.name.as_str(), c.speaker, c.slower),
            ("en_US-libritts-high", Some(12), true)
        );
        assert_eq!(VoiceChoice::parse("odd#name").speaker, None);
    }

    #[test]
    fn one_single_speaker_voice_still_gives_two_hosts_different_voices() {
        let mut map = std::collections::BTreeMap::new();
        for (i, s) in ["_", "^", "$", " ", ".", "a", "b", "c", "d", "e"].iter().enumerate() {
            map.insert((*s).to_owned(), vec![i as i64]);
        }
        let config = VoiceConfig {
            sample_rate: 22_050,
            quality: Some("medium".into()),
            espeak_voice: "en-us".into(),
            language: "en_US".into(),
            noise_scale: 0.667,
            length_scale: 1.0,
            noise_w: 0.8,
            num_speakers: 1,
            speakers: Default::default(),
            phoneme_id_map: map,
        };
        let joe = InstalledVoice {
            name: "en_US-joe-medium".into(),
            model_path: "joe.onnx".into(),
            config: config.clone(),
            size_bytes: 1,
        };
        let ids: Vec<String> = voice_options(std::slice::from_ref(&joe))
            .into_iter()
            .map(|v| v.id)
            .collect();
        assert_eq!(ids, ["en_US-joe-medium", "en_US-joe-medium@slower"]);
        let many = InstalledVoice {
            name: "multi".into(),
            config: VoiceConfig {
                num_speakers: 3,
                speakers: [("b".to_owned(), 1), ("a".to_owned(), 0), ("c".to_owned(), 2)].into(),
                ..config
            },
            ..joe
        };
        let options = voice_options(&[many]);
        assert_eq!(options[0].id, "multi#0");
        assert!(options[0].label.ends_with("· a"), "{}", options[0].label);
        assert_eq!(options.len(), 6);
    }
}
