//! System speech: the computer's own text-to-speech program (espeak-ng on Linux, `say` on macOS, SAPI through
//! PowerShell on Windows), run once per request with the text in a file, never on the command line, and
//! the WAV read back from a file of its own (espeak-ng's `--stdout` header carries wrong sizes).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use showrunner_domain::Language;
use tokio::process::Command;

use crate::wav;
use crate::{ProviderError, SpeechAudio, SpeechEngine, SpeechRequest, Usage, Voice};

/// Longest text one request may carry; the speech stage splits longer lines at sentence ends.
pub const MAX_CHARS: usize = 2_000;
/// espeak-ng's speaking rate, in its approximate words per minute. Its pace runs ahead of the nominal rate
/// on conversational text, so this lands near the 150 words a minute scripts are planned at.
const ESPEAK_WPM: u32 = 150;
/// `say`'s rate, in words per minute.
const SAY_WPM: u32 = 160;
/// A request that takes longer than this is stopped (the program hung).
const TIMEOUT: Duration = Duration::from_secs(120);
const EXCERPT_CHARS: usize = 300;

/// Which system speech program a [`SystemSpeech`] drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeechProgram {
    /// `espeak-ng` (Linux, also available elsewhere).
    EspeakNg,
    /// The older `espeak`, same options.
    Espeak,
    /// macOS `say`.
    Say,
    /// Windows SAPI through PowerShell's System.Speech.
    Sapi,
}

/// Voices offered per program, in the same order, so a show set up with one program's voices still gets
/// distinct voices on another: `(id, label)`.
const ESPEAK_VOICES: [(&str, &str); 6] = [
    ("en-us", "American English"),
    ("en-gb", "British English"),
    ("en-us+f3", "American English, higher"),
    ("en-gb-x-rp", "British English, received pronunciation"),
    ("en-gb-scotland", "Scottish English"),
    ("en-029", "Caribbean English"),
];
const SAY_VOICES: [(&str, &str); 6] = [
    ("Samantha", "Samantha (American English)"),
    ("Daniel", "Daniel (British English)"),
    ("Karen", "Karen (Australian English)"),
    ("Moira", "Moira (Irish English)"),
    ("Tessa", "Tessa (South African English)"),
    ("Rishi", "Rishi (Indian English)"),
];
const SAPI_VOICES: [(&str, &str); 3] = [
    ("Microsoft David Desktop", "David (American English)"),
    ("Microsoft Hazel Desktop", "Hazel (British English)"),
    ("Microsoft Zira Desktop", "Zira (American English)"),
];

/// espeak-ng's voices for the other languages, as many as the English table so each host keeps a voice of
/// their own: the language's voice and its male and female variants.
const ESPEAK_LANGUAGE_VOICES: [(Language, [(&str, &str); 4]); 4] = [
    (
        Language::German,
        [
            ("de", "German"),
            ("de+f3", "German, higher"),
            ("de+m3", "German, deeper"),
            ("de+f4", "German, bright"),
        ],
    ),
    (
        Language::French,
        [
            // espeak-ng takes variants on `fr`, not on `fr-fr` (which ignores them).
            ("fr", "French"),
            ("fr+f3", "French, higher"),
            ("fr+m3", "French, deeper"),
            ("fr+f2", "French, bright"),
        ],
    ),
    (
        Language::Spanish,
        [
            ("es", "Spanish (Spain)"),
            ("es+f3", "Spanish (Spain), higher"),
            ("es-419", "Spanish (Latin America)"),
            ("es-419+f3", "Spanish (Latin America), higher"),
        ],
    ),
    (
        Language::Russian,
        [
            ("ru", "Russian"),
            ("ru+f3", "Russian, higher"),
            ("ru+m3", "Russian, deeper"),
            ("ru+f4", "Russian, bright"),
        ],
    ),
];
/// `say`'s and SAPI's voices for the other languages (the ones those systems ship).
const SAY_LANGUAGE_VOICES: [(Language, [(&str, &str); 2]); 4] = [
    (
        Language::German,
        [("Anna", "Anna (German)"), ("Markus", "Markus (German)")],
    ),
    (
        Language::French,
        [("Thomas", "Thomas (French)"), ("Amelie", "Amélie (Canadian French)")],
    ),
    (
        Language::Spanish,
        [("Monica", "Mónica (Spanish)"), ("Jorge", "Jorge (Spanish)")],
    ),
    (
        Language::Russian,
        [("Milena", "Milena (Russian)"), ("Yuri", "Yuri (Russian)")],
    ),
];
const SAPI_LANGUAGE_VOICES: [(Language, [(&str, &str); 1]); 4] = [
    (Language::German, [("Microsoft Hedda Desktop", "Hedda (German)")]),
    (Language::French, [("Microsoft Hortense Desktop", "Hortense (French)")]),
    (Language::Spanish, [("Microsoft Helena Desktop", "Helena (Spanish)")]),
    (Language::Russian, [("Microsoft Irina Desktop", "Irina (Russian)")]),
];

/// Reads the text, voice and output path from the environment, so nothing a producer typed is ever parsed
/// as PowerShell. An unknown voice name falls back to the system default voice.
const SAPI_SCRIPT: &str = r#"$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
if ($env:SHOWRUNNER_SPEECH_VOICE) { try { $s.SelectVoice($env:SHOWRUNNER_SPEECH_VOICE) } catch { } }
$fmt = New-Object System.Speech.AudioFormat.SpeechAudioFormatInfo(22050, [System.Speech.AudioFormat.AudioBitsPerSample]::Sixteen, [System.Speech.AudioFormat.AudioChannel]::Mono)
$s.SetOutputToWaveFile($env:SHOWRUNNER_SPEECH_OUT, $fmt)
$s.Speak([System.IO.File]::ReadAllText($env:SHOWRUNNER_SPEECH_TEXT, [System.Text.Encoding]::UTF8))
$s.Dispose()
"#;

impl SpeechProgram {
    /// The program name looked up on `PATH`.
    pub fn program_name(self) -> &'static str {
        match self {
            SpeechProgram::EspeakNg => "espeak-ng",
            SpeechProgram::Espeak => "espeak",
            SpeechProgram::Say => "say",
            SpeechProgram::Sapi => "powershell",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SpeechProgram::EspeakNg => "System speech (espeak-ng)",
            SpeechProgram::Espeak => "System speech (espeak)",
            SpeechProgram::Say => "System speech (macOS say)",
            SpeechProgram::Sapi => "System speech (Windows SAPI)",
        }
    }

    /// This platform's usual program.
    pub fn platform_default() -> SpeechProgram {
        if cfg!(target_os = "macos") {
            SpeechProgram::Say
        } else if cfg!(windows) {
            SpeechProgram::Sapi
        } else {
            SpeechProgram::EspeakNg
        }
    }

    /// What [`SystemSpeech::detect`] looks for, best first.
    fn candidates() -> &'static [SpeechProgram] {
        if cfg!(target_os = "macos") {
            &[SpeechProgram::Say, SpeechProgram::EspeakNg, SpeechProgram::Espeak]
        } else if cfg!(windows) {
            &[SpeechProgram::Sapi, SpeechProgram::EspeakNg, SpeechProgram::Espeak]
        } else {
            &[SpeechProgram::EspeakNg, SpeechProgram::Espeak]
        }
    }

    /// Guesses the program from a path's file name (`/usr/bin/espeak-ng`, `pwsh.exe`…); espeak-ng when unsure.
    pub fn from_path(path: &Path) -> SpeechProgram {
        // Split on both separators, so a Windows path is understood on any platform.
        let text = path.to_string_lossy().to_ascii_lowercase();
        let name = text.rsplit(['/', '\\']).next().unwrap_or_default();
        let stem = name.strip_suffix(".exe").unwrap_or(name);
        match stem {
            "espeak" => SpeechProgram::Espeak,
            "say" => SpeechProgram::Say,
            "powershell" | "pwsh" => SpeechProgram::Sapi,
            _ => SpeechProgram::EspeakNg,
        }
    }

    fn voice_table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            SpeechProgram::EspeakNg | SpeechProgram::Espeak => &ESPEAK_VOICES,
            SpeechProgram::Say => &SAY_VOICES,
            SpeechProgram::Sapi => &SAPI_VOICES,
        }
    }

    /// This program's voices that speak `language`, in the order hosts get them.
    fn voices_for(self, language: Language) -> Vec<(&'static str, &'static str)> {
        fn find<const N: usize>(
            table: &'static [(Language, [(&'static str, &'static str); N])],
            language: Language,
        ) -> Vec<(&'static str, &'static str)> {
            table
                .iter()
                .find(|(l, _)| *l == language)
                .map(|(_, voices)| voices.to_vec())
                .unwrap_or_default()
        }
        match (self, language) {
            (_, Language::English) => self.voice_table().to_vec(),
            (SpeechProgram::EspeakNg | SpeechProgram::Espeak, l) => find(&ESPEAK_LANGUAGE_VOICES, l),
            (SpeechProgram::Say, l) => find(&SAY_LANGUAGE_VOICES, l),
            (SpeechProgram::Sapi, l) => find(&SAPI_LANGUAGE_VOICES, l),
        }
    }

    /// Every voice this program offers with the language it speaks.
    fn all_voices(self) -> Vec<(&'static str, &'static str, Language)> {
        Language::ALL
            .into_iter()
            .flat_map(|l| self.voices_for(l).into_iter().map(move |(id, label)| (id, label, l)))
            .collect()
    }

    /// The voice a host with `voice` speaks `language` with: `voice` itself when it speaks the language (or is
    /// no voice this program lists), else the language's voice at the same place in its list, so hosts with
    /// distinct English voices keep distinct voices in any language.
    pub fn voice_in(self, voice: &str, language: Language) -> String {
        let resolved = self.resolve_voice(voice);
        let all = self.all_voices();
        let Some(place) = all.iter().position(|(id, _, _)| id.eq_ignore_ascii_case(&resolved)) else {
            return resolved;
        };
        let (_, _, speaks) = all[place];
        if speaks == language {
            return resolved;
        }
        let of_its_language = self.voices_for(speaks);
        let index = of_its_language
            .iter()
            .position(|(id, _)| id.eq_ignore_ascii_case(&resolved))
            .unwrap_or(0);
        let targets = self.voices_for(language);
        targets
            .get(index % targets.len().max(1))
            .map_or(resolved, |(id, _)| (*id).to_owned())
    }

    /// A voice id as this program knows it: empty means the first voice, and another program's standard
    /// voice id maps to the voice at the same place in this program's list.
    fn resolve_voice(self, voice: &str) -> String {
        let voice = voice.trim();
        let table = self.voice_table();
        if voice.is_empty() {
            return table[0].0.to_owned();
        }
        if table.iter().any(|(id, _)| id.eq_ignore_ascii_case(voice)) {
            return voice.to_owned();
        }
        let others = [&ESPEAK_VOICES[..], &SAY_VOICES[..], &SAPI_VOICES[..]];
        others
            .iter()
            .find_map(|list| list.iter().position(|(id, _)| id.eq_ignore_ascii_case(voice)))
            .map(|i| table[i % table.len()].0.to_owned())
            .unwrap_or_else(|| voice.to_owned())
    }
}

/// The system's speech program as a [`SpeechEngine`]. Free, robotic, always offline.
#[derive(Debug, Clone)]
pub struct SystemSpeech {
    program: SpeechProgram,
    path: PathBuf,
}

impl SystemSpeech {
    /// Finds a speech program on `PATH`: espeak-ng (or espeak) on Linux, `say` on macOS, PowerShell (SAPI)
    /// on Windows. `speech_engine_missing`, with what to install, when there is none.
    pub fn detect() -> Result<SystemSpeech, ProviderError> {
        detect_on(std::env::var_os("PATH").as_deref(), SpeechProgram::candidates())
    }

    /// The platform's usual program by name, found or not: a machine without it still gets an engine whose
    /// every request fails with `speech_engine_missing` and the install hint.
    pub fn default_program() -> SystemSpeech {
        let program = SpeechProgram::platform_default();
        SystemSpeech {
            program,
            path: PathBuf::from(program.program_name()),
        }
    }

    /// A specific program file; which program it is comes from its file name.
    pub fn with_program(path: impl Into<PathBuf>) -> SystemSpeech {
        let path = path.into();
        SystemSpeech {
            program: SpeechProgram::from_path(&path),
            path,
        }
    }

    /// A specific program file driven as `program`.
    pub fn with_program_kind(program: SpeechProgram, path: impl Into<PathBuf>) -> SystemSpeech {
        SystemSpeech {
            program,
            path: path.into(),
        }
    }

    pub fn program(&self) -> SpeechProgram {
        self.program
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn command(&self, voice: &str, text_file: &Path, wav_file: &Path) -> Command {
        let mut cmd = Command::new(&self.path);
        match self.program {
            SpeechProgram::EspeakNg | SpeechProgram::Espeak => {
                cmd.arg("-v")
                    .arg(voice)
                    .arg("-s")
                    .arg(ESPEAK_WPM.to_string())
                    .arg("-b")
                    .arg("1");
                cmd.arg("-w").arg(wav_file).arg("-f").arg(text_file);
            }
            SpeechProgram::Say => {
                cmd.arg("-v").arg(voice).arg("-r").arg(SAY_WPM.to_string());
                cmd.arg("--file-format=WAVE").arg("--data-format=LEI16@22050");
                cmd.arg("-o").arg(wav_file).arg("-f").arg(text_file);
            }
            SpeechProgram::Sapi => {
                cmd.args([
                    "-NoProfile",
                    "-NonInteractive",
                    "-ExecutionPolicy",
                    "Bypass",
                    "-Command",
                    SAPI_SCRIPT,
                ]);
                cmd.env("SHOWRUNNER_SPEECH_VOICE", voice);
                cmd.env("SHOWRUNNER_SPEECH_TEXT", text_file);
                cmd.env("SHOWRUNNER_SPEECH_OUT", wav_file);
            }
        }
        cmd.kill_on_drop(true);
        cmd
    }

    fn display_name(&self) -> String {
        self.path.display().to_string()
    }
}

fn detect_on(path_var: Option<&OsStr>, candidates: &[SpeechProgram]) -> Result<SystemSpeech, ProviderError> {
    let dirs: Vec<PathBuf> = path_var.map(|p| std::env::split_paths(p).collect()).unwrap_or_default();
    for program in candidates {
        if let Some(path) = find_executable(&dirs, program.program_name()) {
            return Ok(SystemSpeech {
                program: *program,
                path,
            });
        }
    }
    let wanted = candidates
        .first()
        .copied()
        .unwrap_or_else(SpeechProgram::platform_default);
    Err(ProviderError::speech_engine_missing(wanted.program_name()))
}

fn find_executable(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    let names: Vec<OsString> = if cfg!(windows) {
        vec![format!("{name}.exe").into(), name.into()]
    } else {
        vec![name.into()]
    };
    dirs.iter()
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// The first few hundred characters of what the program said, for the error message.
fn excerpt(stderr: &[u8], stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(if stderr.iter().any(|b| !b.is_ascii_whitespace()) {
        stderr
    } else {
        stdout
    });
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > EXCERPT_CHARS {
        format!("{}…", text.chars().take(EXCERPT_CHARS).collect::<String>())
    } else {
        text
    }
}

/// Voice ids are names, never options: letters, digits, spaces and `+ - _ . ( )`, not starting with `-`.
fn valid_voice(voice: &str) -> bool {
    !voice.starts_with('-')
        && voice.len() <= 100
        && voice
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " +-_.()".contains(c))
}

#[async_trait::async_trait]
impl SpeechEngine for SystemSpeech {
    fn label(&self) -> &str {
        self.program.label()
    }

    fn id(&self) -> &str {
        "system-speech"
    }

    fn model(&self) -> &str {
        self.program.label()
    }

    fn voices(&self) -> Vec<Voice> {
        self.program
            .all_voices()
            .into_iter()
            .map(|(id, label, language)| Voice {
                id: id.to_owned(),
                label: label.to_owned(),
                language: Some(language.code().to_owned()),
            })
            .collect()
    }

    fn voice_in(&self, voice: &str, language: Language) -> String {
        self.program.voice_in(voice, language)
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
                "The text is {chars} characters; system speech takes at most {MAX_CHARS} at a time."
            )));
        }
        let voice = self.program.resolve_voice(&req.voice);
        if !valid_voice(&voice) {
            return Err(ProviderError::invalid_request(format!(
                "'{voice}' is not a voice name."
            )));
        }

        let dir = tempfile::Builder::new()
            .prefix("showrunner-speech-")
            .tempdir()
            .map_err(|e| ProviderError::speech_failed(format!("cannot create a temporary folder: {e}")))?;
        let text_file = dir.path().join("line.txt");
        let wav_file = dir.path().join("line.wav");
        tokio::fs::write(&text_file, text.as_bytes())
            .await
            .map_err(|e| ProviderError::speech_failed(format!("cannot write the text to speak: {e}")))?;

        let mut cmd = self.command(&voice, &text_file, &wav_file);
        let output = match tokio::time::timeout(TIMEOUT, cmd.output()).await {
            Err(_) => {
                return Err(ProviderError::transient(
                    "speech_timeout",
                    format!(
                        "{} took longer than {} s to speak one line.",
                        self.display_name(),
                        TIMEOUT.as_secs()
                    ),
                ))
            }
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied
                ) =>
            {
                tracing::warn!(program = %self.display_name(), error = %e, "system speech program cannot be started");
                return Err(ProviderError::speech_engine_missing(&self.display_name()));
            }
            Ok(Err(e)) => {
                return Err(ProviderError::speech_failed(format!(
                    "{} could not be started: {e}",
                    self.display_name()
                )))
            }
            Ok(Ok(output)) => output,
        };
        if !output.status.success() {
            return Err(ProviderError::speech_failed(format!(
                "{} ({} voice '{voice}') exited with {}: {}",
                self.display_name(),
                self.program.program_name(),
                output.status,
                excerpt(&output.stderr, &output.stdout)
            )));
        }
        let bytes = tokio::fs::read(&wav_file).await.map_err(|e| {
            ProviderError::speech_failed(format!(
                "{} wrote no audio ({e}): {}",
                self.display_name(),
                excerpt(&output.stderr, &output.stdout)
            ))
        })?;
        let (wav, info) = wav::canonical(bytes).map_err(|e| ProviderError::speech_failed(e.to_string()))?;
        Ok(SpeechAudio {
            wav,
            sample_rate: info.sample_rate,
            duration_ms: info.duration_ms,
            usage: Usage {
                characters: text.chars().count() as u64,
                ..Usage::default()
            },
            provider_id: "system-speech".to_owned(),
            model: self.program.label().to_owned(),
            request_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_finds_espeak_ng_before_espeak_and_reports_what_to_install() {
        let dir = tempfile::tempdir().unwrap();
        let missing = detect_on(
            Some(dir.path().as_os_str()),
            &[SpeechProgram::EspeakNg, SpeechProgram::Espeak],
        )
        .unwrap_err();
        assert_eq!(missing.code(), "speech_engine_missing");
        assert!(missing.to_string().contains("sudo apt install espeak-ng"), "{missing}");
        assert_eq!(
            detect_on(None, &[SpeechProgram::EspeakNg]).unwrap_err().code(),
            "speech_engine_missing"
        );

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let make = |name: &str, mode: u32| {
                let p = dir.path().join(name);
                std::fs::write(&p, "#!/bin/sh\n").unwrap();
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
                p
            };
            make("espeak-ng", 0o644); // not executable: ignored
            let espeak = make("espeak", 0o755);
            let found = detect_on(
                Some(dir.path().as_os_str()),
                &[SpeechProgram::EspeakNg, SpeechProgram::Espeak],
            )
            .unwrap();
            assert_eq!(
                (found.program(), found.path()),
                (SpeechProgram::Espeak, espeak.as_path())
            );
            assert_eq!(found.label(), "System speech (espeak)");
            let ng = make("espeak-ng", 0o755);
            let found = detect_on(
                Some(dir.path().as_os_str()),
                &[SpeechProgram::EspeakNg, SpeechProgram::Espeak],
            )
            .unwrap();
            assert_eq!((found.program(), found.path()), (SpeechProgram::EspeakNg, ng.as_path()));
            assert_eq!(found.label(), "System speech (espeak-ng)");
        }
    }

    #[test]
    fn the_program_is_recognised_from_its_file_name() {
        assert_eq!(
            SpeechProgram::from_path(Path::new("/usr/bin/espeak-ng")),
            SpeechProgram::EspeakNg
        );
        assert_eq!(
            SpeechProgram::from_path(Path::new("/usr/bin/espeak")),
            SpeechProgram::Espeak
        );
        assert_eq!(SpeechProgram::from_path(Path::new("/usr/bin/say")), SpeechProgram::Say);
        assert_eq!(
            SpeechProgram::from_path(Path::new(r"C:\Windows\powershell.exe")),
            SpeechProgram::Sapi
        );
        assert_eq!(
            SystemSpeech::with_program("/usr/bin/say").label(),
            "System speech (macOS say)"
        );
        assert_eq!(
            SystemSpeech::with_program("pwsh").label(),
            "System speech (Windows SAPI)"
        );
    }

    #[test]
    fn voices_are_distinct_and_carry_over_between_programs() {
        for program in [SpeechProgram::EspeakNg, SpeechProgram::Say, SpeechProgram::Sapi] {
            let voices = SystemSpeech::with_program_kind(program, "x").voices();
            let ids: std::collections::HashSet<_> = voices.iter().map(|v| v.id.as_str()).collect();
            assert!(
                voices.len() >= 3 && ids.len() == voices.len(),
                "{program:?}: {voices:?}"
            );
        }
        assert_eq!(SpeechProgram::Say.resolve_voice("en-gb"), "Daniel");
        assert_eq!(SpeechProgram::EspeakNg.resolve_voice("Daniel"), "en-gb");
        assert_eq!(SpeechProgram::EspeakNg.resolve_voice(" "), "en-us");
        assert_eq!(SpeechProgram::EspeakNg.resolve_voice("fr"), "fr");
        assert_eq!(
            SpeechProgram::Sapi.resolve_voice("en-gb-scotland"),
            "Microsoft Hazel Desktop"
        );
    }

    #[test]
    fn a_host_speaks_the_episode_language_with_a_voice_of_their_own() {
        let espeak = SpeechProgram::EspeakNg;
        assert_eq!(espeak.voice_in("en-us", Language::German), "de");
        assert_eq!(espeak.voice_in("en-gb", Language::German), "de+f3");
        assert_eq!(espeak.voice_in("", Language::Russian), "ru");
        assert_eq!(espeak.voice_in("en-gb", Language::English), "en-gb");
        assert_eq!(
            espeak.voice_in("de+m3", Language::German),
            "de+m3",
            "a German voice stays"
        );
        assert_eq!(espeak.voice_in("de+f3", Language::French), "fr+f3");
        assert_eq!(
            espeak.voice_in("en-029", Language::Spanish),
            "es+f3",
            "past the end, the list wraps"
        );
        assert_eq!(espeak.voice_in("my-own-voice", Language::German), "my-own-voice");
        assert_eq!(SpeechProgram::Say.voice_in("en-gb", Language::Spanish), "Jorge");
        assert_eq!(
            SpeechProgram::Sapi.voice_in("Daniel", Language::Russian),
            "Microsoft Irina Desktop"
        );
        for program in [SpeechProgram::EspeakNg, SpeechProgram::Say, SpeechProgram::Sapi] {
            for language in Language::ALL {
                let voices = program.voices_for(language);
                assert!(!voices.is_empty(), "{program:?} has a {language} voice");
            }
        }
    }

    #[test]
    fn voice_names_can_never_be_options() {
        assert!(valid_voice("en-us+f3") && valid_voice("Microsoft Zira Desktop"));
        assert!(!valid_voice("-w/etc/passwd") && !valid_voice("en;rm") && !valid_voice("$(x)"));
    }

    #[test]
    fn program_output_is_trimmed_for_the_error_message() {
        assert_eq!(excerpt(b"  \n", b"Error: no\n voice"), "Error: no voice");
        assert!(excerpt(&[b'a'; 1000], b"").chars().count() <= EXCERPT_CHARS + 1);
    }
}
