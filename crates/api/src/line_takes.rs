//! Line-level audio at the release gate: regenerate one line (a fresh take, new words, another voice or
//! engine, a pronunciation), list a line's takes for A/B listening, and keep either.
//!
//! A regenerate or a keep writes the run's take choices (`showrunner_domain::line_takes`) and sends the
//! episode back to `audio.synthesize` with a note. The speech stage reuses every settled call (same key),
//! so only the regenerated line is synthesized and paid (its take number is in its key); the master stage
//! reuses the other takes' prepared audio, and the release gate parks again with the new master.
//! Everything is checked before anything is written: a refused request saves nothing and pays nothing.

use serde::{Deserialize, Serialize};
use showrunner_domain::artifacts::{Master, Script, SpeechTakes};
use showrunner_domain::{
    line_takes_key, ArtifactKind, EpisodeId, LineTakes, Pronunciation, RunTakes, StageId, TakeSpec,
};
use showrunner_production::stage_ids::{AUDIO_SYNTHESIZE, RELEASE};
use showrunner_store::{ArtifactRecord, RunRecord};
use ts_rs::TS;

use crate::decisions::{decide, ProducerDecision};
use crate::episodes::episode;
use crate::script::{current_run, parked_at};
use crate::script_room::MAX_LINE_CHARS;
use crate::{ApiError, App, ErrorCode};

/// What to change in a line's next take; every field empty is a fresh take of the same words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct RegenerateLine {
    /// The `transcript.vtt` cue id.
    pub line_id: String,
    /// The master version the producer listened to: a newer one means someone else changed it.
    pub master_version: u32,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub voice: Option<String>,
    #[serde(default)]
    pub engine: Option<String>,
    /// Added to the show's dictionary (so later episodes say it too) and applied to this line.
    #[serde(default)]
    pub pronunciation: Option<Pronunciation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeepTake {
    pub line_id: String,
    pub take: u32,
    pub master_version: u32,
}

/// One take of a line, for the A/B panel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TakeView {
    pub take: u32,
    /// What it says (the producer's words for a re-worded take).
    pub text: String,
    /// What changed from take 1, in a producer's words ("fresh take", "voice en-gb").
    pub change: String,
    /// The WAV to play; `None` while the take is still being spoken.
    pub wav_path: Option<String>,
    #[ts(type = "number | null")]
    pub duration_ms: Option<u64>,
    /// The take in the current master.
    pub in_master: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LineTakesView {
    pub line_id: String,
    pub speaker: String,
    /// The take chosen for the master (it is in the master once the run parks at the release gate again).
    pub current: u32,
    pub takes: Vec<TakeView>,
    pub master_version: u32,
}

/// What a regenerate or keep started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TakeChosen {
    pub line_id: String,
    pub take: u32,
}

/// Everything a take request checks against: the parked run, its latest master and takes, the script.
pub(crate) struct Gate {
    pub run: RunRecord,
    pub master_version: u32,
    pub takes: SpeechTakes,
    pub script: Script,
    pub choices: RunTakes,
    pub artifacts: Vec<ArtifactRecord>,
}

fn decode<T: serde::de::DeserializeOwned>(record: &ArtifactRecord) -> Result<T, ApiError> {
    serde_json::from_value(record.content.clone()).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("a stored {:?} cannot be read: {e}", record.kind),
        )
    })
}

fn latest(artifacts: &[ArtifactRecord], kind: ArtifactKind) -> Option<&ArtifactRecord> {
    artifacts.iter().filter(|a| a.kind == kind).max_by_key(|a| a.version)
}

pub(crate) async fn gate(app: &App, episode_id: &EpisodeId, must_be_parked: bool) -> Result<Gate, ApiError> {
    let run = current_run(app, episode_id).await?;
    if must_be_parked && !parked_at(&run, RELEASE) {
        return Err(ApiError::conflict(
            "The episode is not waiting at the release gate, so its lines cannot be re-recorded now.",
        ));
    }
    let artifacts = app.store().artifacts(&run.id).await?;
    let master = latest(&artifacts, ArtifactKind::Master)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no master yet."))?;
    let takes = latest(&artifacts, ArtifactKind::SpeechTakes)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no spoken lines yet."))?;
    let script = latest(&artifacts, ArtifactKind::Script)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no script yet."))?;
    let choices = match app.store().setting(&line_takes_key(&run.id)).await? {
        Some(v) => serde_json::from_value(v)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the saved line takes cannot be read: {e}")))?,
        None => RunTakes::default(),
    };
    Ok(Gate {
        master_version: master.version,
        takes: decode(takes)?,
        script: decode(script)?,
        choices,
        run,
        artifacts,
    })
}

impl Gate {
    pub(crate) fn fresh(&self, master_version: u32) -> Result<(), ApiError> {
        if master_version == self.master_version {
            return Ok(());
        }
        let mut e = ApiError::field(
            ErrorCode::Conflict,
            "master_version",
            &format!(
                "The master changed since you listened (version {master_version}, now {}); listen again first.",
                self.master_version
            ),
        );
        if let Some(d) = e.details.as_mut() {
            d["current"] = self.master_version.into();
        }
        Err(e)
    }

    /// The script's text of a line the master speaks.
    fn line(&self, line_id: &str) -> Result<(&str, &str), ApiError> {
        let spoken = self.takes.takes.iter().any(|t| t.line_id == line_id);
        self.script
            .lines()
            .find(|l| l.id == line_id)
            .filter(|_| spoken)
            .map(|l| (l.text.as_str(), l.speaker.as_str()))
            .ok_or_else(|| {
                ApiError::field(
                    ErrorCode::InvalidInput,
                    "line_id",
                    &format!("The master has no line {line_id:?} (line ids are the transcript's cue ids)."),
                )
            })
    }
}

pub(crate) fn field(name: &str, message: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidInput, name, message)
}

/// Checks the engine and voice a take asks for against the speech engines this app can use now.
pub(crate) async fn check_voice(app: &App, engine: Option<&str>, voice: Option<&str>) -> Result<(), ApiError> {
    if engine.is_none() && voice.is_none() {
        return Ok(());
    }
    let cast = app.crew().roster.speakers().await.cast;
    let chosen = match engine {
        Some(id) => Some(cast.iter().find(|e| e.id() == id).ok_or_else(|| {
            let known: Vec<&str> = cast.iter().map(|e| e.id()).collect();
            field(
                "engine",
                &format!("No speech engine {id:?} is set up; choose one of {}.", known.join(", ")),
            )
        })?),
        None => None,
    };
    if let Some(voice) = voice {
        if voice.trim().is_empty() {
            return Err(field("voice", "Choose a voice, or leave it out to keep the host's."));
        }
        // Without an engine, the voice is for whichever engine speaks the episode: any of them may offer it.
        let engines = match chosen {
            Some(e) => vec![e.clone()],
            None => cast.clone(),
        };
        let offered = engines.iter().any(|e| {
            let voices = e.voices();
            voices.is_empty() || voices.iter().any(|v| v.id == voice)
        });
        if !offered {
            return Err(field("voice", &format!("No speech engine offers the voice {voice:?}.")));
        }
    }
    Ok(())
}

/// Asks for a new take of one line and sends the episode back to speak it; returns the take's number.
///
/// Errors: not at the release gate or a newer master (`conflict`, `details.current`), an unknown line,
/// empty or over-long text, an unknown engine or voice, an empty pronunciation (`invalid_input` naming
/// the field). Nothing is saved or paid on any of them.
pub async fn regenerate_line(
    app: &App,
    episode_id: &EpisodeId,
    request: RegenerateLine,
) -> Result<TakeChosen, ApiError> {
    let gate = gate(app, episode_id, true).await?;
    gate.fresh(request.master_version)?;
    let (script_text, _) = gate.line(&request.line_id)?;
    let text = match request.text.as_deref().map(str::trim) {
        Some("") => {
            return Err(field(
                "text",
                "Give the line some words, or leave the text out to keep them.",
            ))
        }
        Some(t) if t.chars().count() > MAX_LINE_CHARS => {
            return Err(field(
                "text",
                &format!("A line is at most {MAX_LINE_CHARS} characters."),
            ))
        }
        Some(t) => Some(t.to_owned()),
        None => None,
    };
    check_voice(app, request.engine.as_deref(), request.voice.as_deref()).await?;
    let pronunciation = match request.pronunciation {
        Some(p) if p.word.trim().is_empty() || p.say_as.trim().is_empty() => {
            return Err(field("pronunciation", "Fill in both the word and how to say it."))
        }
        Some(p) => Some(Pronunciation {
            word: p.word.trim().to_owned(),
            say_as: p.say_as.trim().to_owned(),
        }),
        None => None,
    };

    let mut choices = gate.choices.clone();
    let line = choices
        .lines
        .entry(request.line_id.clone())
        .or_insert_with(|| LineTakes {
            current: 1,
            takes: Vec::new(),
        });
    let take = line.next_take();
    line.takes.push(TakeSpec {
        take,
        script_text: script_text.to_owned(),
        text,
        voice: request.voice.map(|v| v.trim().to_owned()),
        engine: request.engine,
        pronunciation: pronunciation.clone(),
    });
    line.current = take;
    if let Some(p) = pronunciation {
        add_pronunciation(app, episode_id, p).await?;
    }
    let note = format!("Regenerate line {} (take {take}).", request.line_id);
    choose(app, &gate, &choices, note).await?;
    Ok(TakeChosen {
        line_id: request.line_id,
        take,
    })
}

/// Puts an earlier (or later) take of a line back into the master; no new speech is paid for.
///
/// Errors: those of [`regenerate_line`] for the gate, the master version and the line, and a take the
/// line does not have (`invalid_input` on `take`).
pub async fn keep_take(app: &App, episode_id: &EpisodeId, request: KeepTake) -> Result<TakeChosen, ApiError> {
    let gate = gate(app, episode_id, true).await?;
    gate.fresh(request.master_version)?;
    gate.line(&request.line_id)?;
    let mut choices = gate.choices.clone();
    let line = choices
        .lines
        .entry(request.line_id.clone())
        .or_insert_with(|| LineTakes {
            current: 1,
            takes: Vec::new(),
        });
    if request.take != 1 && !line.takes.iter().any(|t| t.take == request.take) {
        return Err(field(
            "take",
            &format!("Line {} has no take {}.", request.line_id, request.take),
        ));
    }
    line.current = request.take;
    let note = format!("Keep take {} of line {}.", request.take, request.line_id);
    choose(app, &gate, &choices, note).await?;
    Ok(TakeChosen {
        line_id: request.line_id,
        take: request.take,
    })
}

/// Saves the choices and sends the run back to speak them; if the send-back is refused (the gate was
/// decided meanwhile), the choices are put back as they were.
pub(crate) async fn choose(app: &App, gate: &Gate, choices: &RunTakes, note: String) -> Result<(), ApiError> {
    let key = line_takes_key(&gate.run.id);
    let before = serde_json::to_value(&gate.choices).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let after = serde_json::to_value(choices).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    app.store().put_setting(&key, &after, app.now_ms()).await?;
    let decision = ProducerDecision::SendBack {
        stage: StageId::new(AUDIO_SYNTHESIZE),
        note,
    };
    if let Err(e) = decide(app, &gate.run.id, &StageId::new(RELEASE), decision).await {
        app.store().put_setting(&key, &before, app.now_ms()).await?;
        return Err(e);
    }
    Ok(())
}

async fn add_pronunciation(app: &App, episode_id: &EpisodeId, p: Pronunciation) -> Result<(), ApiError> {
    let episode = episode(app, episode_id).await?;
    let show = app
        .store()
        .show(&episode.show_id)
        .await?
        .ok_or_else(|| ApiError::not_found("The episode's show"))?;
    let mut brand = show.brand;
    brand.pronunciations.retain(|q| !q.word.eq_ignore_ascii_case(&p.word));
    brand.pronunciations.push(p);
    crate::shows::update_show(app, &show.id, brand).await?;
    Ok(())
}

/// Every take of one line, oldest first, with the audio of each that has been spoken.
pub async fn line_takes(app: &App, episode_id: &EpisodeId, line_id: &str) -> Result<LineTakesView, ApiError> {
    let gate = gate(app, episode_id, false).await?;
    let (script_text, speaker) = gate.line(line_id)?;
    let chosen = gate.choices.lines.get(line_id).cloned().unwrap_or_default();
    // Each spoken take's audio, from every version of the stage's takes (a later version wins).
    let mut spoken: Vec<(u32, showrunner_domain::BlobHash, u64)> = Vec::new();
    let mut versions: Vec<&ArtifactRecord> = gate
        .artifacts
        .iter()
        .filter(|a| a.kind == ArtifactKind::SpeechTakes)
        .collect();
    versions.sort_by_key(|a| a.version);
    for record in versions {
        let Ok(takes) = decode::<SpeechTakes>(record) else {
            continue;
        };
        if let Some(t) = takes.takes.into_iter().find(|t| t.line_id == line_id) {
            spoken.retain(|(n, _, _)| *n != t.take);
            spoken.push((t.take, t.audio, t.duration_ms));
        }
    }
    let in_master = gate.takes.takes.iter().find(|t| t.line_id == line_id).map(|t| t.take);
    let blobs = app.store().blobs();
    let mut takes = Vec::new();
    let first = TakeSpec {
        take: 1,
        script_text: script_text.to_owned(),
        text: None,
        voice: None,
        engine: None,
        pronunciation: None,
    };
    for spec in std::iter::once(&first).chain(chosen.takes.iter()) {
        let audio = spoken.iter().find(|(n, _, _)| *n == spec.take);
        takes.push(TakeView {
            take: spec.take,
            text: spec.text.clone().unwrap_or_else(|| script_text.to_owned()),
            change: change(spec),
            wav_path: audio
                .map(|(_, hash, _)| blobs.path(hash, "wav").map(|p| p.display().to_string()))
                .transpose()?,
            duration_ms: audio.map(|(_, _, ms)| *ms),
            in_master: in_master == Some(spec.take),
        });
    }
    Ok(LineTakesView {
        line_id: line_id.to_owned(),
        speaker: speaker.to_owned(),
        current: chosen.current.max(1),
        takes,
        master_version: gate.master_version,
    })
}

fn change(spec: &TakeSpec) -> String {
    if spec.take == 1 {
        return "the stage's take".into();
    }
    let mut parts = Vec::new();
    if spec.text.is_some() {
        parts.push("new words".to_owned());
    }
    if let Some(v) = &spec.voice {
        parts.push(format!("voice {v}"));
    }
    if let Some(e) = &spec.engine {
        parts.push(format!("engine {e}"));
    }
    if let Some(p) = &spec.pronunciation {
        parts.push(format!("says {:?} as {:?}", p.word, p.say_as));
    }
    if parts.is_empty() {
        "fresh take".into()
    } else {
        parts.join(", ")
    }
}

/// The latest master version, for a caller that did not listen first (the CLI).
pub async fn master_version(app: &App, episode_id: &EpisodeId) -> Result<u32, ApiError> {
    let run = current_run(app, episode_id).await?;
    let artifacts = app.store().artifacts(&run.id).await?;
    let master = latest(&artifacts, ArtifactKind::Master)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no master yet."))?;
    let _: Master = decode(master)?;
    Ok(master.version)
}

/// Loads one take of a line into the player (the A/B panel's ▶), in place of the master; the release
/// gate loads the master again with `playback::load`.
///
/// Errors: an unknown line, or a take the line does not have or that is not spoken yet (`invalid_input`
/// on `take`), and the player's own.
pub async fn load_take(
    app: &App,
    episode_id: &EpisodeId,
    line_id: &str,
    take: u32,
) -> Result<crate::dto::PlaybackView, ApiError> {
    let view = line_takes(app, episode_id, line_id).await?;
    let path = view
        .takes
        .iter()
        .find(|t| t.take == take)
        .and_then(|t| t.wav_path.clone())
        .ok_or_else(|| field("take", &format!("Line {line_id} has no spoken take {take}.")))?;
    Ok(app.player().load(std::path::PathBuf::from(path)).await?.into())
}
