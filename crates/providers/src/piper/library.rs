//! The voices folder: one folder per installed voice (`voices/<name>/<name>.onnx` and its `.onnx.json`).
//! An install is checked in full first (the config read, the model loaded and run once) and lands by a
//! single rename of a finished folder, so a refused or interrupted install leaves nothing half-installed.

use std::path::{Path, PathBuf};

use super::model::{LoadedModel, Scales};
use super::voice_config::{VoiceConfig, BOS, EOS, PAD};
use super::{runtime, PiperError};

/// One installed voice.
#[derive(Debug, Clone, PartialEq)]
pub struct InstalledVoice {
    /// The model's file name without `.onnx`, e.g. `en_US-joe-medium`.
    pub name: String,
    pub model_path: PathBuf,
    pub config: VoiceConfig,
    /// The model file's size in bytes.
    pub size_bytes: u64,
}

/// Staging folders start with this; a crash mid-install leaves one, removed on the next scan.
const STAGING_PREFIX: &str = ".installing-";

/// Names are file names we create folders from: letters, digits, `_ - .`, not starting with a dot.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 120
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// The `.onnx.json` beside a model: `voice.onnx` → `voice.onnx.json`.
pub fn config_path_for(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

fn read_voice(dir: &Path, name: &str) -> Result<InstalledVoice, PiperError> {
    let model_path = dir.join(format!("{name}.onnx"));
    let size_bytes = std::fs::metadata(&model_path)
        .map_err(|_| PiperError::FilesMissing(format!("{} is missing", model_path.display())))?
        .len();
    let json = std::fs::read_to_string(config_path_for(&model_path))
        .map_err(|e| PiperError::FilesMissing(format!("{name}.onnx.json cannot be read: {e}")))?;
    Ok(InstalledVoice {
        name: name.to_owned(),
        config: VoiceConfig::parse(&json)?,
        model_path,
        size_bytes,
    })
}

/// The installed voices, by name. Folders that are not a readable voice are skipped (and logged); left-over
/// staging folders are removed.
pub fn installed(voices_dir: &Path) -> Vec<InstalledVoice> {
    let Ok(entries) = std::fs::read_dir(voices_dir) else {
        return Vec::new();
    };
    let mut voices = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(STAGING_PREFIX) {
            let _ = std::fs::remove_dir_all(entry.path());
            continue;
        }
        if !valid_name(&name) || !entry.path().is_dir() {
            continue;
        }
        match read_voice(&entry.path(), &name) {
            Ok(voice) => voices.push(voice),
            Err(e) => tracing::warn!(voice = %name, error = %e, "skipping an unreadable voice"),
        }
    }
    voices.sort_by(|a, b| a.name.cmp(&b.name));
    voices
}

/// Checks a model file and the `.onnx.json` beside it: the config is complete, ONNX Runtime loads the model,
/// the model's inputs match the config, and one short run gives audio.
pub fn check_pair(model: &Path) -> Result<(String, VoiceConfig), PiperError> {
    let file_name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = file_name
        .strip_suffix(".onnx")
        .ok_or_else(|| PiperError::FilesMissing(format!("'{file_name}' is not an .onnx model file")))?
        .to_owned();
    if !valid_name(&name) {
        return Err(PiperError::FilesMissing(format!(
            "'{name}' cannot be a voice name: use letters, digits, '_', '-' and '.'"
        )));
    }
    if !model.is_file() {
        return Err(PiperError::FilesMissing(format!("{} does not exist", model.display())));
    }
    let config_path = config_path_for(model);
    let json = std::fs::read_to_string(&config_path).map_err(|_| {
        PiperError::FilesMissing(format!(
            "{file_name}.json must be beside the model (it holds the voice's phonemes and sample rate)"
        ))
    })?;
    let config = VoiceConfig::parse(&json)?;
    let env = runtime::runtime()?;
    let loaded = LoadedModel::load(&env, model, &config)?;
    // A few of the voice's own symbols: enough for the model to speak a moment of sound.
    let symbol = |s: &str| config.phoneme_id_map.get(s).cloned().unwrap_or_default();
    let pad = symbol(PAD);
    let mut ids = symbol(BOS);
    for s in ["h", "a", "l", "o"] {
        ids.extend(pad.iter().copied());
        ids.extend(symbol(s));
    }
    ids.extend(pad.iter().copied());
    ids.extend(symbol(EOS));
    let audio = loaded.infer(
        &ids,
        Scales {
            noise_scale: config.noise_scale,
            length_scale: config.length_scale,
            noise_w: config.noise_w,
            speaker: config.multi_speaker().then_some(0),
        },
    )?;
    if audio.is_empty() || audio.iter().any(|s| !s.is_finite()) {
        return Err(PiperError::ModelInvalid(
            "the model's test run gave no usable audio".into(),
        ));
    }
    Ok((name, config))
}

/// Installs the voice in `model` (its `.onnx.json` beside it) into `voices_dir`.
pub fn install(voices_dir: &Path, model: &Path) -> Result<InstalledVoice, PiperError> {
    let (name, _) = check_pair(model)?;
    let target = voices_dir.join(&name);
    if target.exists() {
        return Err(PiperError::AlreadyInstalled(name));
    }
    let io = |what: &str, e: std::io::Error| PiperError::Storage(format!("{what}: {e}"));
    std::fs::create_dir_all(voices_dir).map_err(|e| io("cannot create the voices folder", e))?;
    let staging = voices_dir.join(format!("{STAGING_PREFIX}{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| io("cannot create a staging folder", e))?;
    let copied = (|| {
        let staged_model = staging.join(format!("{name}.onnx"));
        std::fs::copy(model, &staged_model).map_err(|e| io("cannot copy the model", e))?;
        std::fs::copy(config_path_for(model), config_path_for(&staged_model))
            .map_err(|e| io("cannot copy the .onnx.json", e))?;
        // The copy must be what was checked: same size as the source.
        let (from, to) = (
            std::fs::metadata(model).map(|m| m.len()).unwrap_or(0),
            std::fs::metadata(&staged_model).map(|m| m.len()).unwrap_or(1),
        );
        if from != to {
            return Err(PiperError::Storage(
                "the model changed while it was being copied".into(),
            ));
        }
        for file in [&staged_model, &config_path_for(&staged_model)] {
            std::fs::File::open(file)
                .and_then(|f| f.sync_all())
                .map_err(|e| io("cannot flush the copy", e))?;
        }
        std::fs::rename(&staging, &target).map_err(|e| io("cannot move the voice into place", e))
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    read_voice(&target, &name)
}

/// Removes an installed voice.
pub fn remove(voices_dir: &Path, name: &str) -> Result<(), PiperError> {
    if !valid_name(name) || !voices_dir.join(name).is_dir() {
        return Err(PiperError::NotInstalled(name.to_owned()));
    }
    std::fs::remove_dir_all(voices_dir.join(name))
        .map_err(|e| PiperError::Storage(format!("cannot remove {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_names_are_plain_file_names() {
        assert!(valid_name("en_US-joe-medium") && valid_name("de_DE-thorsten-high.v2"));
        for bad in ["", ".hidden", "../x", "a/b", "a b", "x\\y"] {
            assert!(!valid_name(bad), "{bad}");
        }
        assert_eq!(config_path_for(Path::new("/v/a.onnx")), Path::new("/v/a.onnx.json"));
    }

    #[test]
    fn a_model_without_its_config_is_refused_before_anything_is_copied() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("lonely.onnx");
        std::fs::write(&model, b"not really a model").unwrap();
        let voices = dir.path().join("voices");
        let e = install(&voices, &model).unwrap_err();
        assert_eq!(e.code(), "voice_files_missing", "{e}");
        assert!(!voices.exists(), "nothing was created");
        assert_eq!(
            install(&voices, &dir.path().join("x.bin")).unwrap_err().code(),
            "voice_files_missing"
        );
        assert_eq!(remove(&voices, "lonely").unwrap_err().code(), "voice_not_installed");
    }

    #[test]
    fn a_left_over_staging_folder_is_cleaned_up_and_never_listed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".installing-x-1")).unwrap();
        std::fs::create_dir_all(dir.path().join("broken")).unwrap();
        assert!(installed(dir.path()).is_empty());
        assert!(!dir.path().join(".installing-x-1").exists());
    }
}
