//! Speech: prepare what each host says aloud, then synthesize every line (several at once) with the host's
//! voice. Each take is stored as a content-addressed WAV beside the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use showrunner_domain::artifacts::{Script, SpeechLine, SpeechScript, SpeechTake, SpeechTakes};
use showrunner_domain::{
    line_takes_key, ArtifactKind, BlobHash, EpisodeId, Language, Money, Route, RouteNote, RunTakes, StageCode,
    TakeSpec, SYSTEM_SPEECH_ID,
};
use showrunner_engine::{PaidCall, PaidCallError, PaidResult, StageContext, StageError, StageOutput, StageRunner};
use showrunner_providers::{ProviderError, SpeechEngine, SpeechRequest, Usage};

use super::artifact;
use crate::failure_bill::failed_call;
use crate::fan_out::all_or_first_error;
use crate::inputs::{episode, latest, store_error};
use crate::model_call::{after_failure, out_reason, refused_before_offline, Try};
use crate::Crew;
use showrunner_text::prepare_speech_text;

pub struct Prepare;

#[async_trait::async_trait]
impl StageRunner for Prepare {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let inputs = episode(&ctx).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let mut lines = Vec::new();
        for line in script.lines() {
            let host = inputs
                .brand
                .hosts
                .iter()
                .find(|h| h.name.trim().eq_ignore_ascii_case(line.speaker.trim()));
            let host = host.ok_or_else(|| {
                StageError::terminal(
                    StageCode::UnknownSpeaker,
                    format!(
                        "line {} is spoken by {}, who is not a host of the show",
                        line.id, line.speaker
                    ),
                )
            })?;
            lines.push(SpeechLine {
                line_id: line.id.clone(),
                speaker: line.speaker.clone(),
                voice: host.voice.clone(),
                voices: host.voices.clone(),
                text: prepare_speech_text(&line.text, &inputs.brand.pronunciations, inputs.episode.language),
            });
        }
        let speech = SpeechScript {
            lines,
            language: inputs.episode.language,
        };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::SpeechScript, &speech)?],
            route: Some(Route::by("Rules")),
            ..Default::default()
        })
    }
}

pub struct Synthesize(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Synthesize {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let speech: SpeechScript = latest(&ctx, ArtifactKind::SpeechScript).await?;
        let retakes = retakes(&ctx).await?;
        let casting = self.0.roster.speakers().await;
        let everyone = casting.cast.clone();
        let mut passed_over = casting.skipped;
        // One engine speaks the whole episode: if it cannot (no key, no quota, unknown voice), the next one
        // on the route redoes every line rather than mixing voices from two engines.
        let engines = casting.cast.len();
        // The failure of the last keyed engine that was tried and refused the episode.
        let mut refused: Option<StageError> = None;
        for (i, engine) in casting.cast.into_iter().enumerate() {
            // The offline voice (always last) stands in only for engines that are not set up.
            if i + 1 == engines {
                if let Some(error) = refused_before_offline(refused.take(), &passed_over) {
                    return Err(error);
                }
            }
            // The offline voice is always last; only a real engine stands in for one that is down.
            let real_one_later = i + 2 < engines;
            if let (Some(left), true) = (engine.out_for(), real_one_later) {
                passed_over.push(format!("{}: {}", engine.label(), out_reason(left, None)));
                continue;
            }
            // An engine whose every voice speaks another language (a Piper voice is one language) would read
            // the script with the wrong sounds: the next one speaks the episode.
            if i + 1 < engines && !speaks(engine.as_ref(), speech.language) {
                passed_over.push(format!(
                    "{}: no voice speaks {}",
                    engine.label(),
                    speech.language.name()
                ));
                continue;
            }
            let lines = Lines {
                speech: &speech,
                retakes: &retakes,
                engines: &everyone,
            };
            match speak_all(&self.0, &ctx, engine.clone(), lines).await {
                Ok(Spoken {
                    takes,
                    cost,
                    recast,
                    cast,
                    reused_from,
                }) => {
                    // The Run view names who spoke each host, so a producer hears no surprise at release.
                    let mut route =
                        Route::by(format!("{} · {cast}", engine.label())).noting(RouteNote::VoicesNotOffered(recast));
                    if !reused_from.is_empty() {
                        route = route.noting(RouteNote::Note(reused_note(&ctx, &reused_from).await));
                    }
                    let route = route.noting(RouteNote::PassedOver(passed_over));
                    return Ok(StageOutput {
                        artifacts: vec![artifact(ArtifactKind::SpeechTakes, &SpeechTakes { takes })?],
                        cost,
                        route: Some(route),
                        gate: None,
                    });
                }
                Err(Try::PassOver { reason, error }) => {
                    passed_over.push(format!("{}: {reason}", engine.label()));
                    refused = Some(error);
                }
                Err(Try::Outage { reason, .. }) if real_one_later => {
                    passed_over.push(format!("{}: {reason}", engine.label()))
                }
                Err(Try::Outage { error, .. } | Try::Fail(error)) => return Err(error),
            }
        }
        Err(StageError::terminal(
            StageCode::NoProvider,
            format!("No speech engine could speak the episode: {}", passed_over.join("; ")),
        ))
    }
}

/// Whether `engine` has a voice for `language`: one tagged with it, or one that speaks any.
fn speaks(engine: &dyn SpeechEngine, language: Language) -> bool {
    let voices = engine.voices();
    voices.is_empty()
        || voices
            .iter()
            .any(|v| v.language.as_deref().is_none_or(|tag| language.matches_tag(tag)))
}

/// One engine's takes of the whole episode.
struct Spoken {
    takes: Vec<SpeechTake>,
    /// What this run paid for them (a reused take costs nothing).
    cost: Money,
    recast: Vec<String>,
    cast: String,
    /// The episode each reused take was bought for, one entry per reused take.
    reused_from: Vec<EpisodeId>,
}

/// `reused 3 takes from episode "Tides", $0 in this run`, for the route string.
async fn reused_note(ctx: &StageContext, from: &[EpisodeId]) -> String {
    let mut counts: Vec<(&EpisodeId, usize)> = Vec::new();
    for id in from {
        match counts.iter_mut().find(|(e, _)| *e == id) {
            Some((_, n)) => *n += 1,
            None => counts.push((id, 1)),
        }
    }
    let mut parts = Vec::new();
    for (id, n) in counts {
        let takes = if n == 1 {
            "1 take".to_owned()
        } else {
            format!("{n} takes")
        };
        let name = if ctx.run.episode_id.as_ref() == Some(id) {
            "this episode".to_owned()
        } else {
            match ctx.store.episode(id).await {
                Ok(Some(episode)) => format!("episode \"{}\"", episode.topic),
                _ => format!("episode {id}"),
            }
        };
        parts.push(format!("reused {takes} from {name}, $0 in this run"));
    }
    parts.join("; ")
}

/// A line spoken with the take the producer chose at the release gate instead of the stage's own.
struct Retake {
    take: u32,
    /// Prepared for speech (the show's pronunciations applied).
    text: String,
    voice: Option<String>,
    engine: Option<String>,
}

/// The current take of each line the producer regenerated (`showrunner_domain::line_takes`), for the lines
/// whose script text is still the one the take was asked for: a rewritten line starts again at take 1.
async fn retakes(ctx: &StageContext) -> Result<HashMap<String, Retake>, StageError> {
    let script: Script = latest(ctx, ArtifactKind::Script).await?;
    let current = current_takes(ctx, &script).await?;
    if current.is_empty() {
        return Ok(HashMap::new());
    }
    let inputs = episode(ctx).await?;
    let (pronunciations, language) = (inputs.brand.pronunciations, inputs.episode.language);
    let mut retakes = HashMap::new();
    for (line_id, spec) in current {
        let text = spec.text.as_deref().unwrap_or(&spec.script_text);
        retakes.insert(
            line_id,
            Retake {
                take: spec.take,
                text: prepare_speech_text(text, &pronunciations, language),
                voice: spec.voice.clone(),
                engine: spec.engine.clone(),
            },
        );
    }
    Ok(retakes)
}

/// The run's chosen take of each line past take 1, for the lines of `script` still reading as they did when
/// the take was asked for.
pub(crate) async fn current_takes(ctx: &StageContext, script: &Script) -> Result<Vec<(String, TakeSpec)>, StageError> {
    let Some(value) = ctx
        .store
        .setting(&line_takes_key(&ctx.run.id))
        .await
        .map_err(store_error)?
    else {
        return Ok(Vec::new());
    };
    let plan: RunTakes = serde_json::from_value(value).map_err(|e| {
        StageError::terminal(
            StageCode::StoredResultUnreadable,
            format!("the line takes chosen at the release gate can no longer be read ({e})"),
        )
    })?;
    Ok(plan
        .lines
        .into_iter()
        .filter_map(|(line_id, takes)| {
            let spec = takes.current_spec()?.clone();
            script
                .lines()
                .any(|l| l.id == line_id && l.text == spec.script_text)
                .then_some((line_id, spec))
        })
        .collect())
}

/// What the stage speaks: the prepared lines, the producer's retakes, and every engine a retake may name.
#[derive(Clone, Copy)]
struct Lines<'a> {
    speech: &'a SpeechScript,
    retakes: &'a HashMap<String, Retake>,
    engines: &'a [Arc<dyn SpeechEngine>],
}

async fn speak_all(
    crew: &Crew,
    ctx: &StageContext,
    engine: Arc<dyn SpeechEngine>,
    lines: Lines<'_>,
) -> Result<Spoken, Try> {
    let speech = lines.speech;
    if picks_unknown_voice(engine.as_ref(), speech) {
        engine.refresh_voices().await;
    }
    let VoiceCast { voices, recast } = cast_voices(engine.as_ref(), speech);
    let cast = who_speaks(engine.as_ref(), speech, &voices);
    // What each line says as spoken, retakes' new words included: its neighbours' context for the engine.
    let said: Vec<&str> = speech
        .lines
        .iter()
        .map(|line| {
            lines
                .retakes
                .get(&line.line_id)
                .map_or(line.text.as_str(), |r| r.text.as_str())
        })
        .collect();
    let calls = speech.lines.iter().cloned().enumerate().map(|(i, mut line)| {
        let around = Around {
            before: i.checked_sub(1).map(|j| said[j].to_owned()),
            after: said.get(i + 1).map(|t| (*t).to_owned()),
        };
        let mut engine = engine.clone();
        let mut voice = voices.get(&line.speaker).cloned().unwrap_or_default();
        let mut take = 1;
        if let Some(retake) = lines.retakes.get(&line.line_id) {
            take = retake.take;
            line.text = retake.text.clone();
            let other = retake
                .engine
                .as_deref()
                .filter(|id| *id != engine.id())
                .and_then(|id| lines.engines.iter().find(|e| e.id() == id));
            if let Some(other) = other {
                // The cast's voice belongs to the episode's engine: on another, the host's pick for it.
                voice = line.voice_for(other.id()).unwrap_or_default().to_owned();
                engine = other.clone();
            }
            if let Some(picked) = &retake.voice {
                voice = picked.clone();
            }
        }
        async move { speak_line(crew, ctx, engine.as_ref(), line, around, voice, take).await }
    });
    let spoken: Vec<LineTake> = all_or_first_error(calls, crew.concurrency).await?;
    Ok(Spoken {
        cost: spoken.iter().map(|t| t.cost).sum(),
        reused_from: spoken.iter().filter_map(|t| t.reused_from.clone()).collect(),
        takes: spoken.into_iter().map(|t| t.take).collect(),
        recast,
        cast,
    })
}

/// "Alex: Rachel, Sam: Antoni": each host, in speaking order, with the voice's name on this engine.
fn who_speaks(engine: &dyn SpeechEngine, speech: &SpeechScript, voices: &HashMap<String, String>) -> String {
    let offered = engine.voices();
    let mut seen: Vec<&str> = Vec::new();
    let mut parts = Vec::new();
    for line in &speech.lines {
        if seen.contains(&line.speaker.as_str()) {
            continue;
        }
        seen.push(&line.speaker);
        let id = voices.get(&line.speaker).map(String::as_str).unwrap_or_default();
        let name = offered
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.label.as_str())
            .filter(|_| !id.is_empty())
            .unwrap_or(if id.is_empty() { "default voice" } else { id });
        parts.push(format!("{}: {name}", line.speaker));
    }
    parts.join(", ")
}

/// Which voice each host speaks with on one engine.
struct VoiceCast {
    /// Speaker → voice id.
    voices: HashMap<String, String>,
    /// "Alex: picked X, spoke with Y" for each pick the engine did not offer, for the route string.
    recast: Vec<String>,
}

/// Each host speaks with the voice the show picked for them on this engine (the system voice on system
/// speech) when the engine offers it; hosts without one get the engine's voices in order, skipping voices
/// already taken, so two hosts never share a voice and no engine is handed another engine's voice id.
fn cast_voices(engine: &dyn SpeechEngine, speech: &SpeechScript) -> VoiceCast {
    let offered = engine.voices();
    let system = engine.id() == SYSTEM_SPEECH_ID;
    let mut cast = HashMap::new();
    let mut unpicked = Vec::new();
    for line in &speech.lines {
        if cast.contains_key(&line.speaker) || unpicked.iter().any(|(s, _)| *s == line.speaker) {
            continue;
        }
        // A show saved before per-engine picks may hold this engine's voice id in `voice`.
        let legacy = (!system).then_some(line.voice.as_str());
        // The system voices are the show's own ids (`en-us`…), passed through as they are.
        let kept = [line.voice_for(engine.id()), legacy]
            .into_iter()
            .flatten()
            .find(|voice| system || offered.iter().any(|v| v.id == *voice));
        match kept {
            Some(voice) => {
                cast.insert(line.speaker.clone(), voice.to_owned());
            }
            None => unpicked.push((line.speaker.clone(), line.voices.get(engine.id()).cloned())),
        }
    }
    let mut free = offered
        .iter()
        .filter(|v| !cast.values().any(|taken| *taken == v.id))
        .chain(offered.iter())
        .map(|v| v.id.clone())
        .collect::<Vec<_>>()
        .into_iter();
    let mut recast = Vec::new();
    for (speaker, picked) in unpicked {
        // An engine that lists no voices picks its own default from an empty id.
        let voice = free.next().unwrap_or_default();
        if let Some(picked) = picked {
            recast.push(format!("{speaker}: picked {picked}, spoke with {voice}"));
        }
        cast.insert(speaker, voice);
    }
    // Each host speaks the episode's language with the engine's voice for it (system speech has one per
    // language; other engines' voices speak any).
    for voice in cast.values_mut() {
        *voice = engine.voice_in(voice, speech.language);
    }
    VoiceCast { voices: cast, recast }
}

/// Whether a host's picked voice for `engine` is missing from what the engine knows, so its list is worth
/// refreshing before casting.
fn picks_unknown_voice(engine: &dyn SpeechEngine, speech: &SpeechScript) -> bool {
    let offered = engine.voices();
    engine.id() != SYSTEM_SPEECH_ID
        && speech
            .lines
            .iter()
            .filter_map(|line| line.voices.get(engine.id()))
            .any(|voice| !offered.iter().any(|v| v.id == *voice))
}

/// A line's audio as the ledger remembers it: the stored take, so a restart reuses it instead of paying again.
#[derive(Serialize, Deserialize)]
struct LineAudio {
    audio: BlobHash,
    duration_ms: u64,
}

/// One line's take, what this run paid for it, and the episode it was bought for when reused.
struct LineTake {
    take: SpeechTake,
    cost: Money,
    reused_from: Option<EpisodeId>,
}

/// The lines spoken just before and after one line, handed to the engine so a take joins its neighbours
/// naturally (ElevenLabs' `previous_text`/`next_text`); engines that cannot use them ignore them.
struct Around {
    before: Option<String>,
    after: Option<String>,
}

async fn speak_line(
    crew: &Crew,
    ctx: &StageContext,
    engine: &dyn SpeechEngine,
    line: SpeechLine,
    around: Around,
    voice: String,
    take: u32,
) -> Result<LineTake, Try> {
    if ctx.cancel.is_cancelled() {
        return Err(Try::Fail(StageError::terminal(
            StageCode::Cancelled,
            "the run was cancelled",
        )));
    }
    let characters = line.text.chars().count() as u64;
    let estimate = crew
        .prices
        .current()
        .estimate_speech(engine.id(), engine.model(), characters)
        .map_err(|e| Try::no_price(&e))?;
    let call = PaidCall {
        key: line_key(engine, &line.line_id, &voice, &line.text, take),
        provider: engine.id().to_owned(),
        model: engine.model().to_owned(),
        estimate,
        prompt: None,
        // A fresh take the producer asked for is a new request, never the show's earlier take of these words.
        reuse_key: (take == 1).then(|| take_key(engine, &voice, &line.text)),
    };
    let refused: Mutex<Option<ProviderError>> = Mutex::new(None);
    let outcome = ctx
        .paid_call(call, || async {
            // The pieces already spoken were billed even if a later one fails.
            let keep = |e: ProviderError, cost: Money, usage: &Usage| {
                if let Ok(mut slot) = refused.lock() {
                    *slot = Some(e.clone());
                }
                failed_call(&crew.prices.current(), engine.id(), e, cost, usage)
            };
            let mut wavs = Vec::new();
            let mut cost = Money::ZERO;
            let mut usage = Usage::default();
            let mut price_row = None;
            let mut request_id = None;
            let pieces = chunks(&line.text, engine.max_chars());
            for (i, piece) in pieces.iter().enumerate() {
                // A piece's context is the piece beside it, or past the line's ends, the neighbouring line.
                let previous_text = match i {
                    0 => around.before.clone(),
                    _ => Some(pieces[i - 1].clone()),
                };
                let next_text = pieces.get(i + 1).cloned().or_else(|| around.after.clone());
                let audio = engine
                    .synthesize(SpeechRequest {
                        text: piece.clone(),
                        voice: voice.clone(),
                        previous_text,
                        next_text,
                    })
                    .await
                    .map_err(|e| keep(e, cost, &usage))?;
                match crew
                    .prices
                    .current()
                    .cost(&audio.provider_id, &audio.model, &audio.usage)
                {
                    Ok(priced) => {
                        cost += priced.cost;
                        price_row = Some(priced.row_id);
                    }
                    // Billed at the reservation when the table has no row for what answered: never less.
                    Err(_) => cost += estimate,
                }
                usage.characters += audio.usage.characters;
                request_id = audio.request_id.or(request_id);
                wavs.push(audio.wav);
            }
            let wav = if wavs.len() == 1 {
                wavs.remove(0)
            } else {
                showrunner_audio::assemble(&wavs, 0)
                    .map_err(|e| {
                        PaidCallError::billed(StageError::terminal(StageCode::of(e.code()), e.to_string()), cost)
                    })?
                    .wav
            };
            let info = showrunner_audio::wav_info(&wav).map_err(|e| {
                PaidCallError::billed(StageError::terminal(StageCode::of(e.code()), e.to_string()), cost)
            })?;
            let audio = ctx
                .store
                .blobs()
                .put(&wav, "wav")
                .await
                .map_err(|e| PaidCallError::billed(store_error(e), cost))?;
            Ok(PaidResult {
                value: LineAudio {
                    audio,
                    duration_ms: info.duration_ms,
                },
                cost,
                usage: serde_json::to_value(&usage).unwrap_or_default(),
                price_row,
                request_id,
            })
        })
        .await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            let provider_refused = refused.lock().ok().and_then(|mut slot| slot.take());
            return Err(match provider_refused {
                Some(p) => after_failure(&p, engine.out_for(), ctx.spec.deadline_ms, e),
                None => Try::Fail(e),
            });
        }
    };
    let spoken = SpeechTake {
        line_id: line.line_id,
        speaker: line.speaker,
        audio: outcome.value.audio,
        duration_ms: outcome.value.duration_ms,
        engine: engine.label().to_owned(),
        take,
    };
    Ok(LineTake {
        take: spoken,
        cost: outcome.cost,
        reused_from: outcome.reused_from,
    })
}

/// What makes two takes the same sound, whatever the run or line: engine, model, voice, the settings a
/// request is made with (the piece length, which decides where a long line is cut) and the prepared text.
/// A take settled under it in any episode of the show is reused rather than bought again.
fn take_key(engine: &dyn SpeechEngine, voice: &str, text: &str) -> String {
    let settings = format!("max_chars={}", engine.max_chars());
    let mut hash = Sha256::new();
    for part in [engine.id(), engine.model(), voice, &settings, text] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    format!("speech-take/{}", hex::encode(&hash.finalize()[..16]))
}

/// Same line, engine, model, voice and text: same take, reused after a restart instead of synthesized again.
/// The line id is part of it: a long script can say the same words twice ("Welcome back."), and the two
/// lines, spoken at once, are two requests (one key for both was refused as a duplicate call). A take after
/// the first is part of it too, so a fresh take of the same words is a new request, and keeping an earlier
/// take again reuses the call that made it.
fn line_key(engine: &dyn SpeechEngine, line_id: &str, voice: &str, text: &str, take: u32) -> String {
    let mut hash = Sha256::new();
    for part in [engine.id(), engine.model(), line_id, voice, text] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    // Take 1 hashes as before, so runs recorded before takes existed are reused.
    if take > 1 {
        hash.update(format!("take {take}").as_bytes());
    }
    format!("audio.synthesize/{}", hex::encode(&hash.finalize()[..12]))
}

/// Splits a line into pieces of at most `max_chars` (speech engines reject or truncate longer requests) with
/// the one chunker (`showrunner_text::speech_chunks`). An empty line stays one piece, so the engine refuses
/// it with its own code rather than the take going missing.
pub fn chunks(text: &str, max_chars: usize) -> Vec<String> {
    let pieces = showrunner_text::speech_chunks::split(text, max_chars);
    if pieces.is_empty() {
        vec![text.to_owned()]
    } else {
        pieces
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use showrunner_providers::{SpeechAudio, Voice};

    use super::*;

    /// An engine that only lists voices; casting never speaks.
    struct Lister {
        id: &'static str,
        voices: &'static [&'static str],
    }

    #[async_trait::async_trait]
    impl SpeechEngine for Lister {
        fn label(&self) -> &str {
            self.id
        }
        fn id(&self) -> &str {
            self.id
        }
        fn model(&self) -> &str {
            "m"
        }
        fn voices(&self) -> Vec<Voice> {
            let voice = |id: &&str| Voice {
                id: (*id).to_owned(),
                label: (*id).to_owned(),
                language: None,
            };
            self.voices.iter().map(voice).collect()
        }
        fn max_chars(&self) -> usize {
            1_000
        }
        async fn synthesize(&self, _: SpeechRequest) -> Result<SpeechAudio, ProviderError> {
            Err(ProviderError::invalid_request("casting only"))
        }
    }

    const ELEVENLABS: Lister = Lister {
        id: "elevenlabs",
        voices: &["el-rachel", "el-antoni", "el-bella"],
    };
    const OPENAI: Lister = Lister {
        id: "openai_tts",
        voices: &["alloy", "echo", "fable"],
    };

    fn line(id: &str, speaker: &str, system_voice: &str, elevenlabs: &str) -> SpeechLine {
        SpeechLine {
            line_id: id.into(),
            speaker: speaker.into(),
            voice: system_voice.into(),
            voices: BTreeMap::from([("elevenlabs".to_owned(), elevenlabs.to_owned())]),
            text: "Hello.".into(),
        }
    }

    /// Who speaks each line, with which voice, when `engine` speaks the episode.
    fn spoken(engine: &dyn SpeechEngine, speech: &SpeechScript) -> Vec<(String, String)> {
        let cast = cast_voices(engine, speech).voices;
        speech
            .lines
            .iter()
            .map(|l| (l.line_id.clone(), cast[&l.speaker].clone()))
            .collect()
    }

    fn two_hosts() -> SpeechScript {
        SpeechScript {
            lines: vec![
                line("l1", "Alex", "en-us", "el-bella"),
                line("l2", "Sam", "en-gb", "el-antoni"),
                line("l3", "Alex", "en-us", "el-bella"),
            ],
            language: Language::English,
        }
    }

    #[test]
    fn each_line_is_spoken_with_its_hosts_chosen_elevenlabs_voice() {
        let lines = spoken(&ELEVENLABS, &two_hosts());
        let expected = [("l1", "el-bella"), ("l2", "el-antoni"), ("l3", "el-bella")];
        assert_eq!(lines, expected.map(|(l, v)| (l.to_owned(), v.to_owned())));
    }

    #[test]
    fn a_fallback_engine_gets_its_own_voices_never_the_elevenlabs_ids() {
        let lines = spoken(&OPENAI, &two_hosts());
        let expected = [("l1", "alloy"), ("l2", "echo"), ("l3", "alloy")];
        assert_eq!(lines, expected.map(|(l, v)| (l.to_owned(), v.to_owned())));

        let system = Lister {
            id: SYSTEM_SPEECH_ID,
            voices: &["en-us", "en-gb"],
        };
        let lines = spoken(&system, &two_hosts());
        let expected = [("l1", "en-us"), ("l2", "en-gb"), ("l3", "en-us")];
        assert_eq!(lines, expected.map(|(l, v)| (l.to_owned(), v.to_owned())));
    }

    #[test]
    fn a_pick_the_engine_does_not_offer_falls_back_without_taking_another_hosts_voice() {
        let speech = SpeechScript {
            lines: vec![
                line("l1", "Alex", "en-us", "gone-voice"),
                line("l2", "Sam", "en-gb", "el-rachel"),
            ],
            language: Language::English,
        };
        assert!(picks_unknown_voice(&ELEVENLABS, &speech));
        let lines = spoken(&ELEVENLABS, &speech);
        assert_eq!(lines[0].1, "el-antoni", "the first voice nobody picked");
        assert_eq!(lines[1].1, "el-rachel");
        assert!(!picks_unknown_voice(&ELEVENLABS, &two_hosts()));
        assert_eq!(
            cast_voices(&ELEVENLABS, &speech).recast,
            ["Alex: picked gone-voice, spoke with el-antoni"],
            "the route says the pick was not honoured"
        );
        assert!(
            cast_voices(&OPENAI, &speech).recast.is_empty(),
            "no pick was made for OpenAI"
        );
    }

    #[test]
    fn the_route_names_each_hosts_voice_in_speaking_order() {
        let speech = two_hosts();
        let cast = cast_voices(&ELEVENLABS, &speech).voices;
        assert_eq!(
            who_speaks(&ELEVENLABS, &speech, &cast),
            "Alex: el-bella, Sam: el-antoni"
        );
    }

    #[test]
    fn long_text_is_split_at_sentence_ends_under_the_limit() {
        let text = "One two three. Four five six. Seven eight nine.";
        let parts = chunks(text, 20);
        assert!(parts.iter().all(|p| p.chars().count() <= 20), "{parts:?}");
        assert_eq!(parts.join(" "), text);
    }
}
