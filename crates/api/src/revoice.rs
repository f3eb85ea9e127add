//! Re-voicing an episode at the release gate: one host's lines spoken again with another voice (and
//! optionally another engine), without paying for research or the script again. Each of the host's lines
//! gets a new take (`line_takes`), so the speech stage pays for exactly those lines and reuses the rest.
//! The estimate is what the price table reserves for those lines, shown before anything is decided.

use serde::{Deserialize, Serialize};
use showrunner_domain::artifacts::SpeechScript;
use showrunner_domain::{ArtifactKind, EpisodeId, LineTakes, Money, TakeSpec};
use ts_rs::TS;

use crate::line_takes::{check_voice, choose, field, gate};
use crate::{ApiError, App, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Revoice {
    /// The host's name, as in the show and the transcript.
    pub host: String,
    pub voice: String,
    #[serde(default)]
    pub engine: Option<String>,
    pub master_version: u32,
}

/// What a re-voice would speak again and reserve.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RevoiceEstimate {
    pub host: String,
    pub lines: u32,
    #[ts(type = "number")]
    pub characters: u64,
    /// The engine that would speak them (the episode's own when none is named).
    pub engine: String,
    /// The worst case reserved against the cap; a local engine's is zero.
    pub estimate: Money,
}

/// The lines of `host` (matched as the speech stage does, ignoring case) and their speech text.
async fn host_lines(app: &App, episode_id: &EpisodeId, request: &Revoice) -> Result<Vec<(String, String)>, ApiError> {
    let run = crate::script::current_run(app, episode_id).await?;
    let artifacts = app.store().artifacts(&run.id).await?;
    let speech = artifacts
        .iter()
        .filter(|a| a.kind == ArtifactKind::SpeechScript)
        .max_by_key(|a| a.version)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no speech text yet."))?;
    let speech: SpeechScript = serde_json::from_value(speech.content.clone())
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the speech text cannot be read: {e}")))?;
    let host = request.host.trim();
    let lines: Vec<(String, String)> = speech
        .lines
        .into_iter()
        .filter(|l| l.speaker.trim().eq_ignore_ascii_case(host))
        .map(|l| (l.line_id, l.text))
        .collect();
    if lines.is_empty() {
        return Err(field(
            "host",
            &format!("No line of this episode is spoken by {host:?}."),
        ));
    }
    Ok(lines)
}

/// What re-voicing `request.host` would cost, before anything is decided.
///
/// Errors: an unknown host, engine or voice (`invalid_input` naming the field).
pub async fn revoice_estimate(
    app: &App,
    episode_id: &EpisodeId,
    request: &Revoice,
) -> Result<RevoiceEstimate, ApiError> {
    check_voice(app, request.engine.as_deref(), Some(request.voice.as_str())).await?;
    let lines = host_lines(app, episode_id, request).await?;
    let cast = app.crew().roster.speakers().await.cast;
    let engine = match request.engine.as_deref() {
        Some(id) => cast.iter().find(|e| e.id() == id),
        None => cast.first(),
    }
    .ok_or_else(|| field("engine", "No speech engine is set up."))?;
    let characters: u64 = lines.iter().map(|(_, t)| t.chars().count() as u64).sum();
    let estimate = app
        .crew()
        .prices
        .current()
        .estimate_speech(engine.id(), engine.model(), characters)
        .map_err(|e| field("engine", &format!("{} has no price for speech: {e}", engine.label())))?;
    Ok(RevoiceEstimate {
        host: request.host.trim().to_owned(),
        lines: lines.len() as u32,
        characters,
        engine: engine.label().to_owned(),
        estimate,
    })
}

/// Speaks every line of one host again with the new voice; returns the estimate it was decided on.
///
/// Errors: those of [`revoice_estimate`] and of `line_takes::regenerate_line` for the gate and the master
/// version. Nothing is saved or paid on any of them.
pub async fn revoice(app: &App, episode_id: &EpisodeId, request: Revoice) -> Result<RevoiceEstimate, ApiError> {
    let gate = gate(app, episode_id, true).await?;
    gate.fresh(request.master_version)?;
    let estimate = revoice_estimate(app, episode_id, &request).await?;
    let lines = host_lines(app, episode_id, &request).await?;
    let mut choices = gate.choices.clone();
    for (line_id, _) in &lines {
        let Some(script_text) = gate.script.lines().find(|l| &l.id == line_id).map(|l| l.text.clone()) else {
            continue;
        };
        let line = choices.lines.entry(line_id.clone()).or_insert_with(|| LineTakes {
            current: 1,
            takes: Vec::new(),
        });
        let take = line.next_take();
        line.takes.push(TakeSpec {
            take,
            script_text,
            text: None,
            voice: Some(request.voice.trim().to_owned()),
            engine: request.engine.clone(),
            pronunciation: None,
        });
        line.current = take;
    }
    let note = format!("Re-voice {} with {}.", estimate.host, request.voice.trim());
    choose(app, &gate, &choices, note).await?;
    Ok(estimate)
}
