//! The offline voices: Piper voices installed in the data folder (`voices/`) and system speech. The speech
//! cast always ends with them, in that order: an installed Piper voice speaks when no keyed engine can, and
//! system speech when Piper cannot (no voice installed, no ONNX Runtime), with the reason in the route.
//! Install, remove, list and sample are what the Voices section and `showrunner voices` call.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use showrunner_production::Casting;
use showrunner_providers::piper::{self, InstalledVoice, PiperError, PiperSpeech};
use showrunner_providers::{SpeechEngine, SpeechProgram, SpeechRequest, SystemSpeech};
use ts_rs::TS;

use crate::dto::PlaybackView;
use crate::voice_catalog::Downloads;
use crate::{ApiError, App, ErrorCode};

/// The voices folder's name inside the data folder.
pub const VOICES_DIR: &str = "voices";
/// What ▶ says.
const SAMPLE_TEXT: &str = "Hello, and welcome to the show. This is how I sound when I read your script.";

/// The voices folder as listed: each voice's name and model size.
type FolderPrint = Vec<(String, u64)>;

/// Piper (when it can speak) and system speech, cast fresh each time the voices folder changes.
pub struct LocalSpeech {
    voices_dir: PathBuf,
    espeak: PathBuf,
    system: Arc<dyn SpeechEngine>,
    /// The Piper engine for the folder as it was listed (names and sizes), so loaded models are reused
    /// across lines and runs and a change to the folder is picked up.
    piper: Mutex<Option<(FolderPrint, Arc<PiperSpeech>)>>,
    /// Catalog downloads under way, so Cancel can reach them.
    downloads: Downloads,
}

impl LocalSpeech {
    pub fn new(
        data_dir: &Path,
        system: Arc<dyn SpeechEngine>,
        system_program: Option<(SpeechProgram, PathBuf)>,
    ) -> LocalSpeech {
        // Piper's phonemes come from espeak-ng; use the one system speech found, else look it up by name.
        let espeak = match system_program {
            Some((SpeechProgram::EspeakNg, path)) => path,
            _ => PathBuf::from("espeak-ng"),
        };
        LocalSpeech {
            voices_dir: data_dir.join(VOICES_DIR),
            espeak,
            system,
            piper: Mutex::new(None),
            downloads: Downloads::default(),
        }
    }

    pub fn voices_dir(&self) -> &Path {
        &self.voices_dir
    }

    pub(crate) fn begin_download(&self, key: &str) -> Option<tokio_util::sync::CancellationToken> {
        self.downloads.begin(key)
    }

    pub(crate) fn end_download(&self, key: &str) {
        self.downloads.end(key)
    }

    pub(crate) fn cancel_download(&self, key: &str) -> bool {
        self.downloads.cancel(key)
    }

    pub fn downloading(&self, key: &str) -> bool {
        self.downloads.running(key)
    }

    pub fn system(&self) -> &Arc<dyn SpeechEngine> {
        &self.system
    }

    /// The Piper engine over the installed voices, or why there is none.
    pub fn piper(&self) -> Result<Arc<PiperSpeech>, PiperError> {
        let voices = piper::installed(&self.voices_dir);
        if voices.is_empty() {
            return Err(PiperError::NotInstalled("(any)".into()));
        }
        let print: FolderPrint = voices.iter().map(|v| (v.name.clone(), v.size_bytes)).collect();
        let mut slot = self.piper.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((known, engine)) = slot.as_ref() {
            if *known == print {
                return Ok(engine.clone());
            }
        }
        let engine = Arc::new(PiperSpeech::with_voices(voices, &self.espeak)?);
        *slot = Some((print, engine.clone()));
        Ok(engine)
    }

    /// The offline end of every speech cast: Piper when it can speak, then system speech.
    pub fn cast(&self) -> Casting<dyn SpeechEngine> {
        let mut casting: Casting<dyn SpeechEngine> = Casting {
            cast: Vec::new(),
            skipped: Vec::new(),
        };
        match self.piper() {
            Ok(engine) => casting.cast.push(engine as Arc<dyn SpeechEngine>),
            Err(e) => casting.skipped.push(format!("{}: {}", piper::LABEL, skip_reason(&e))),
        }
        casting.cast.push(self.system.clone());
        casting
    }
}

/// Why Piper was passed over, in the words the route shows, with the way forward.
fn skip_reason(e: &PiperError) -> String {
    match e {
        PiperError::NotInstalled(_) => {
            "no voice installed (install one under Voices, or `showrunner voices download NAME` or `voices install FILE.onnx`)".into()
        }
        PiperError::RuntimeMissing { .. } => format!(
            "[{}] ONNX Runtime was not found; set ORT_DYLIB_PATH to libonnxruntime",
            e.code()
        ),
        other => format!("[{}] {other}", other.code()),
    }
}

/// One installed voice, as the Voices section and `showrunner voices` list it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct InstalledVoiceView {
    /// e.g. `en_US-joe-medium`: what `voices remove` and ▶ take.
    pub name: String,
    /// e.g. `en_US`.
    pub language: String,
    /// e.g. `medium`.
    pub quality: Option<String>,
    /// The model file's size.
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub speakers: u32,
    pub sample_rate: u32,
}

impl From<&InstalledVoice> for InstalledVoiceView {
    fn from(v: &InstalledVoice) -> InstalledVoiceView {
        InstalledVoiceView {
            name: v.name.clone(),
            language: v.config.language.clone(),
            quality: v.config.quality.clone(),
            size_bytes: v.size_bytes,
            speakers: v.config.num_speakers,
            sample_rate: v.config.sample_rate,
        }
    }
}

/// The Voices section: what is installed, and whether Piper can speak with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VoicesView {
    pub voices: Vec<InstalledVoiceView>,
    /// True when an installed voice will speak offline episodes.
    pub piper_ready: bool,
    /// Why Piper cannot speak yet (a code such as `piper_runtime_missing`), when it cannot.
    pub problem: Option<VoiceProblem>,
    /// Who speaks an episode when no keyed engine can: "Piper (offline neural voice)" or the system voice.
    pub offline_speaker: String,
    /// The folder voices are kept in.
    pub folder: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VoiceProblem {
    pub code: String,
    pub message: String,
}

/// A synthesized sample: where the WAV is and how long it plays.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VoiceSample {
    pub path: String,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub sample_rate: u32,
}

impl From<PiperError> for ApiError {
    fn from(e: PiperError) -> ApiError {
        let code = match &e {
            PiperError::NotInstalled(_) => ErrorCode::NotFound,
            PiperError::AlreadyInstalled(_) => ErrorCode::Duplicate,
            PiperError::RuntimeMissing { .. } | PiperError::PhonemizerMissing(_) => ErrorCode::SpeechEngineMissing,
            PiperError::ConfigInvalid { .. } | PiperError::FilesMissing(_) | PiperError::ModelInvalid(_) => {
                ErrorCode::VoiceInvalid
            }
            PiperError::Storage(_) => ErrorCode::Storage,
            PiperError::PhonemizerFailed(_) | PiperError::Inference(_) => ErrorCode::Provider,
        };
        ApiError {
            code,
            message: e.to_string(),
            details: Some(serde_json::json!({ "reason": e.code() })),
        }
    }
}

/// The installed voices and whether Piper can speak with them.
pub async fn list_installed_voices(app: &App) -> Result<VoicesView, ApiError> {
    let local = app.local_speech().clone();
    tokio::task::spawn_blocking(move || {
        let voices = piper::installed(local.voices_dir());
        let piper = local.piper();
        let problem = piper.as_ref().err().map(|e| VoiceProblem {
            code: e.code().to_owned(),
            message: match e {
                PiperError::NotInstalled(_) => "No Piper voice is installed: episodes are read by system speech. Install a voice (an .onnx file with its .onnx.json beside it).".to_owned(),
                other => other.to_string(),
            },
        });
        VoicesView {
            voices: voices.iter().map(InstalledVoiceView::from).collect(),
            piper_ready: piper.is_ok(),
            problem,
            offline_speaker: match &piper {
                Ok(_) => piper::LABEL.to_owned(),
                Err(_) => local.system().label().to_owned(),
            },
            folder: local.voices_dir().display().to_string(),
        }
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

/// Installs the voice in `model_path` (an `.onnx` with its `.onnx.json` beside it), after checking the pair.
pub async fn install_voice(app: &App, model_path: &str) -> Result<InstalledVoiceView, ApiError> {
    let model = PathBuf::from(model_path.trim());
    if model.as_os_str().is_empty() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "path",
            "Choose a voice's .onnx file.",
        ));
    }
    let dir = app.local_speech().voices_dir().to_path_buf();
    let installed = tokio::task::spawn_blocking(move || piper::install(&dir, &model))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    Ok(InstalledVoiceView::from(&installed))
}

/// Installs the voice in `model_path` with its config at `config_path` (the file dialog's second pick) when
/// the config is not beside the model: the pair is staged side by side first, then installed as usual.
pub async fn install_voice_pair(
    app: &App,
    model_path: &str,
    config_path: Option<&str>,
) -> Result<InstalledVoiceView, ApiError> {
    let Some(config) = config_path.map(str::trim).filter(|c| !c.is_empty()) else {
        return install_voice(app, model_path).await;
    };
    let model = PathBuf::from(model_path.trim());
    let config = PathBuf::from(config);
    if piper::config_path_for(&model) == config {
        return install_voice(app, model_path).await;
    }
    let dir = app.local_speech().voices_dir().to_path_buf();
    let installed = tokio::task::spawn_blocking(move || {
        let io = |e: std::io::Error| PiperError::Storage(format!("cannot stage the voice files: {e}"));
        std::fs::create_dir_all(&dir).map_err(io)?;
        // A dot folder inside the voices folder: same disk as the install, never listed as a voice.
        let staging = tempfile::Builder::new().prefix(".pair-").tempdir_in(&dir).map_err(io)?;
        let name = model
            .file_name()
            .ok_or_else(|| PiperError::FilesMissing(format!("'{}' is not an .onnx model file", model.display())))?;
        let staged = staging.path().join(name);
        if !model.is_file() {
            return Err(PiperError::FilesMissing(format!("{} does not exist", model.display())));
        }
        std::fs::copy(&model, &staged).map_err(io)?;
        std::fs::copy(&config, piper::config_path_for(&staged))
            .map_err(|_| PiperError::FilesMissing(format!("{} cannot be read", config.display())))?;
        piper::install(&dir, &staged)
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    Ok(InstalledVoiceView::from(&installed))
}

/// Removes an installed voice.
pub async fn remove_voice(app: &App, name: &str) -> Result<(), ApiError> {
    let dir = app.local_speech().voices_dir().to_path_buf();
    let name = name.trim().to_owned();
    tokio::task::spawn_blocking(move || piper::remove(&dir, &name))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    Ok(())
}

/// Speaks a short sentence with `voice` (a voice name, or a host voice id such as `name@slower`) into a WAV
/// file in the voices folder's `.samples`.
pub async fn sample_voice(app: &App, voice: &str) -> Result<VoiceSample, ApiError> {
    let engine = app.local_speech().piper()?;
    let audio = engine
        .synthesize(SpeechRequest {
            text: SAMPLE_TEXT.into(),
            voice: voice.trim().to_owned(),
            ..SpeechRequest::default()
        })
        .await?;
    let dir = app.local_speech().voices_dir().join(".samples");
    let safe: String = voice
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{}.wav", safe.trim_start_matches('.')));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| ApiError::new(ErrorCode::Storage, format!("cannot write the sample: {e}")))?;
    tokio::fs::write(&path, &audio.wav)
        .await
        .map_err(|e| ApiError::new(ErrorCode::Storage, format!("cannot write the sample: {e}")))?;
    Ok(VoiceSample {
        path: path.display().to_string(),
        duration_ms: audio.duration_ms,
        sample_rate: audio.sample_rate,
    })
}

/// ▶ in the Voices section: synthesizes the sample and plays it through the app's player.
pub async fn play_voice_sample(app: &App, voice: &str) -> Result<PlaybackView, ApiError> {
    let sample = sample_voice(app, voice).await?;
    app.player().load(PathBuf::from(&sample.path)).await?;
    app.player().play().await?;
    Ok(app.player().state().await.into())
}

/// The system program a [`SystemSpeech`] drives, for Piper's phonemizer.
pub(crate) fn system_program(speech: &SystemSpeech) -> Option<(SpeechProgram, PathBuf)> {
    Some((speech.program(), speech.path().to_path_buf()))
}
