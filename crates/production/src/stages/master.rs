//! The master: every take placed on one timeline with short pauses, encoded to WAV and MP3, each line's
//! start and end recorded so the transcript follows playback. Then the audio gate measures it.

use showrunner_domain::artifacts::{Cue, EpisodePlan, GateReport, Master as MasterArtifact, Script, SpeechTakes};
use showrunner_domain::ArtifactKind;
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};

use super::{artifact, gate_output};
use crate::audio_checks;
use crate::inputs::{latest, store_error};

/// Pause between lines.
pub const LINE_GAP_MS: u64 = 350;
pub const MP3_KBPS: u32 = 96;
/// The audio gate's pass mark (architecture.md).
pub const AUDIO_THRESHOLD: f64 = 0.85;

fn audio_error(e: showrunner_audio::AudioError) -> StageError {
    StageError::terminal(e.code(), e.to_string())
}

pub struct Master;

#[async_trait::async_trait]
impl StageRunner for Master {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let takes: SpeechTakes = latest(&ctx, ArtifactKind::SpeechTakes).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let mut wavs = Vec::with_capacity(takes.takes.len());
        for take in &takes.takes {
            wavs.push(ctx.store.blobs().read(&take.audio, "wav").await.map_err(store_error)?);
        }
        // Assembly and encoding are CPU-bound: keep them off the async workers.
        let (assembled, mp3) = tokio::task::spawn_blocking(move || {
            let assembled = showrunner_audio::assemble(&wavs, LINE_GAP_MS)?;
            let mp3 = showrunner_audio::encode_mp3(&assembled.wav, MP3_KBPS)?;
            Ok::<_, showrunner_audio::AudioError>((assembled, mp3))
        })
        .await
        .map_err(|e| StageError::terminal("internal", format!("mastering stopped: {e}")))?
        .map_err(audio_error)?;
        let wav = ctx
            .store
            .blobs()
            .put(&assembled.wav, "wav")
            .await
            .map_err(store_error)?;
        let mp3 = ctx.store.blobs().put(&mp3, "mp3").await.map_err(store_error)?;
        let cues = takes
            .takes
            .iter()
            .zip(&assembled.placements)
            .map(|(take, place)| Cue {
                line_id: take.line_id.clone(),
                speaker: take.speaker.clone(),
                text: script
                    .lines()
                    .find(|l| l.id == take.line_id)
                    .map(|l| l.text.clone())
                    .unwrap_or_default(),
                start_ms: place.start_ms,
                end_ms: place.end_ms,
            })
            .collect();
        let master = MasterArtifact {
            wav,
            mp3,
            duration_ms: assembled.duration_ms,
            sample_rate: assembled.sample_rate,
            cues,
        };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::Master, &master)?],
            route: Some("Local".into()),
            ..Default::default()
        })
    }
}

/// The audio gate. A failing master escalates to the producer: re-synthesizing the same text would not fix it.
pub struct Validate;

#[async_trait::async_trait]
impl StageRunner for Validate {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let master: MasterArtifact = latest(&ctx, ArtifactKind::Master).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let wav = ctx.store.blobs().read(&master.wav, "wav").await.map_err(store_error)?;
        let measured = tokio::task::spawn_blocking(move || {
            let reader = hound::WavReader::new(std::io::Cursor::new(wav))
                .map_err(|e| StageError::terminal("invalid_audio", format!("the master cannot be read: {e}")))?;
            let rate = reader.spec().sample_rate;
            let samples: Result<Vec<i16>, _> = reader.into_samples::<i16>().collect();
            let samples = samples
                .map_err(|e| StageError::terminal("invalid_audio", format!("the master cannot be read: {e}")))?;
            Ok::<_, StageError>(audio_checks::measure(&samples, rate))
        })
        .await
        .map_err(|e| StageError::terminal("internal", format!("audio checks stopped: {e}")))??;
        let checks = audio_checks::checks(
            &measured,
            plan.planned_seconds() as u64 * 1000,
            script.lines().count(),
            master.cues.len(),
        );
        let report = GateReport::from_checks(checks, AUDIO_THRESHOLD);
        let (verdict, feedback) = (report.verdict, report.feedback.clone());
        Ok(gate_output(
            vec![artifact(ArtifactKind::GateReport, &report)?],
            verdict,
            feedback,
            Some("Local".into()),
        ))
    }
}
