//! Speech: prepare what each host says aloud, then synthesize every line (several at once) with the host's
//! voice. Each take is stored as a content-addressed WAV beside the database.

use std::sync::Arc;

use futures::stream::{self, StreamExt, TryStreamExt};
use showrunner_domain::artifacts::{Script, SpeechLine, SpeechScript, SpeechTake, SpeechTakes};
use showrunner_domain::{ArtifactKind, Money};
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};
use showrunner_providers::{SpeechEngine, SpeechRequest};

use super::artifact;
use crate::inputs::{episode, latest, store_error};
use crate::model_call::provider_error;
use crate::speech_text::prepare_speech_text;
use crate::Crew;

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
            let voice = host.map(|h| h.voice.clone()).ok_or_else(|| {
                StageError::terminal(
                    "unknown_speaker",
                    format!(
                        "line {} is spoken by {}, who is not a host of the show",
                        line.id, line.speaker
                    ),
                )
            })?;
            lines.push(SpeechLine {
                line_id: line.id.clone(),
                speaker: line.speaker.clone(),
                voice,
                text: prepare_speech_text(&line.text, &inputs.brand.pronunciations),
            });
        }
        let speech = SpeechScript { lines };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::SpeechScript, &speech)?],
            route: Some("Rules".into()),
            ..Default::default()
        })
    }
}

pub struct Synthesize(pub Arc<Crew>);

#[async_trait::async_trait]
impl StageRunner for Synthesize {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let speech: SpeechScript = latest(&ctx, ArtifactKind::SpeechScript).await?;
        let engine = self.0.speech.clone();
        let takes: Vec<(SpeechTake, Money)> = stream::iter(speech.lines.into_iter().map(|line| {
            let engine = engine.clone();
            let ctx = &ctx;
            async move { synthesize_line(engine.as_ref(), ctx, line).await }
        }))
        .buffered(self.0.concurrency.max(1))
        .try_collect()
        .await?;
        let cost = takes.iter().map(|(_, c)| *c).sum();
        let takes = SpeechTakes {
            takes: takes.into_iter().map(|(t, _)| t).collect(),
        };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::SpeechTakes, &takes)?],
            cost,
            route: Some(engine.label().to_owned()),
            gate: None,
        })
    }
}

async fn synthesize_line(
    engine: &dyn SpeechEngine,
    ctx: &StageContext,
    line: SpeechLine,
) -> Result<(SpeechTake, Money), StageError> {
    if ctx.cancel.is_cancelled() {
        return Err(StageError::terminal("cancelled", "the run was cancelled"));
    }
    let mut wavs = Vec::new();
    let mut cost = Money::ZERO;
    for chunk in chunks(&line.text, engine.max_chars()) {
        let audio = engine
            .synthesize(SpeechRequest {
                text: chunk,
                voice: line.voice.clone(),
            })
            .await
            .map_err(provider_error)?;
        cost += Money::ZERO;
        wavs.push(audio.wav);
    }
    let wav = if wavs.len() == 1 {
        wavs.remove(0)
    } else {
        showrunner_audio::assemble(&wavs, 0)
            .map_err(|e| StageError::terminal(e.code(), e.to_string()))?
            .wav
    };
    let info = showrunner_audio::wav_info(&wav).map_err(|e| StageError::terminal(e.code(), e.to_string()))?;
    let audio = ctx.store.blobs().put(&wav, "wav").await.map_err(store_error)?;
    let take = SpeechTake {
        line_id: line.line_id,
        speaker: line.speaker,
        audio,
        duration_ms: info.duration_ms,
        engine: engine.label().to_owned(),
    };
    Ok((take, cost))
}

/// Splits text at sentence ends so no piece exceeds `max_chars` (a single overlong sentence is split at
/// spaces). Speech engines reject or truncate longer requests.
pub fn chunks(text: &str, max_chars: usize) -> Vec<String> {
    let max = max_chars.max(1);
    if text.chars().count() <= max {
        return vec![text.to_owned()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    for word in text.split_inclusive(' ') {
        if current.chars().count() + word.chars().count() > max && !current.is_empty() {
            let cut = current
                .rfind(['.', '!', '?'])
                .map(|i| i + 1)
                .filter(|&i| i > current.len() / 2)
                .unwrap_or(current.len());
            let rest = current.split_off(cut);
            pieces.push(current.trim().to_owned());
            current = rest.trim_start().to_owned();
        }
        current.push_str(word);
    }
    if !current.trim().is_empty() {
        pieces.push(current.trim().to_owned());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::chunks;

    #[test]
    fn long_text_is_split_at_sentence_ends_under_the_limit() {
        let text = "One two three. Four five six. Seven eight nine.";
        let parts = chunks(text, 20);
        assert!(parts.iter().all(|p| p.chars().count() <= 20), "{parts:?}");
        assert_eq!(parts.join(" "), text);
    }
}
