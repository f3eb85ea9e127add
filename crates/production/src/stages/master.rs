//! The master: every take through the audio crate's mastering chain (resample, level-match, loudness
//! normalisation to the show's target, true-peak limiter, MP3, re-measure), tagged with ID3v2.4 and one
//! chapter per plan segment, each line's start and end recorded so the transcript follows playback. Then
//! the audio gate measures the MP3 that ships.

use std::sync::Arc;
use std::time::Instant;

use showrunner_audio::{ChapterTag, CoverArt, EpisodeTags, MasterSettings, MusicBeds, Placement, Take};
use showrunner_domain::artifacts::{
    ChapterCue, Cue, EpisodePlan, GateReport, Master as MasterArtifact, MasterCorrection, MasterFigures, Script,
    SpeakerLoudness, SpeechTakes,
};
use showrunner_domain::StageCode;
use showrunner_domain::{ArtifactKind, GateVerdict, MasteringSettings, Route, TakeSpec};
use showrunner_engine::{StageContext, StageError, StageOutput, StageRunner};

use super::draft_master::{self, Draft};
use super::master_takes::{last_master_key, LastMaster, MasterTakes};
use super::{artifact, gate_output, music_beds};
use crate::audio_checks;
use crate::inputs::{episode, latest, store_error};

/// Pause between lines.
pub const LINE_GAP_MS: u64 = 350;

fn audio_error(e: showrunner_audio::AudioError) -> StageError {
    StageError::terminal(StageCode::of(e.code()), e.to_string())
}

fn stopped(e: tokio::task::JoinError) -> StageError {
    StageError::terminal(StageCode::Internal, format!("mastering stopped: {e}"))
}

/// The chain's settings for a show, with the audio gate's correction (if it sent the master back).
pub fn master_settings(show: &MasteringSettings, correction: Option<&MasterCorrection>) -> MasterSettings {
    MasterSettings {
        sample_rate: show.sample_rate,
        channels: show.channels,
        bitrate_kbps: show.bitrate_kbps,
        target_lufs: show.target_lufs,
        ceiling_dbtp: show.ceiling_dbtp,
        gap_ms: LINE_GAP_MS,
        extra_margin_db: correction.map_or(0.0, |c| c.ceiling_margin_db.max(0.0)),
    }
}

/// One chapter per plan segment: from the first cue of its lines (the first chapter from 0) to the next
/// chapter's start (the last runs to the end). A segment with no spoken line has no place on the timeline and is left out.
pub fn chapters(plan: &EpisodePlan, script: &Script, cues: &[Cue], duration_ms: u64) -> Vec<ChapterCue> {
    let mut starts: Vec<(String, String, u64)> = Vec::new();
    for segment in &plan.segments {
        let Some(lines) = script.segments.iter().find(|s| s.id == segment.id) else {
            continue;
        };
        let start = lines
            .lines
            .iter()
            .filter_map(|l| cues.iter().find(|c| c.line_id == l.id))
            .map(|c| c.start_ms)
            .min();
        if let Some(start) = start {
            starts.push((segment.id.clone(), segment.title.clone(), start));
        }
    }
    starts.sort_by_key(|s| s.2);
    // The first chapter starts at 0, so the intro bed before the first line belongs to it (as in the export).
    if let Some(first) = starts.first_mut() {
        first.2 = 0;
    }
    let ends: Vec<u64> = starts.iter().skip(1).map(|s| s.2).chain([duration_ms]).collect();
    starts
        .into_iter()
        .zip(ends)
        .map(|((segment_id, title, start_ms), end_ms)| ChapterCue {
            segment_id,
            title,
            start_ms,
            end_ms,
        })
        .collect()
}

/// Each take's cue where `placements` put it; a line the producer re-worded at the release gate reads as
/// it is now spoken.
pub(crate) fn cues(
    takes: &SpeechTakes,
    placements: &[Placement],
    script: &Script,
    reworded: &[(String, TakeSpec)],
) -> Vec<Cue> {
    takes
        .takes
        .iter()
        .zip(placements)
        .map(|(take, place)| Cue {
            line_id: take.line_id.clone(),
            speaker: take.speaker.clone(),
            text: reworded
                .iter()
                .find(|(id, _)| *id == take.line_id)
                .and_then(|(_, spec)| spec.text.clone())
                .or_else(|| script.lines().find(|l| l.id == take.line_id).map(|l| l.text.clone()))
                .unwrap_or_default(),
            start_ms: place.start_ms,
            end_ms: place.end_ms,
        })
        .collect()
}

/// The run's last speech-only master: this process's, or the stored one (another process made it).
async fn last_master(ctx: &StageContext, kept: &MasterTakes) -> Option<Arc<LastMaster>> {
    if let Some(last) = kept.last(&ctx.run.id) {
        return Some(last);
    }
    let value = ctx.store.setting(&last_master_key(&ctx.run.id)).await.ok()??;
    // Null: the last master had music, so there is nothing to splice into.
    if value.is_null() {
        return None;
    }
    match serde_json::from_value::<LastMaster>(value) {
        Ok(last) => Some(Arc::new(last)),
        Err(e) => {
            tracing::warn!(error = %e, "the stored last master cannot be read; no draft");
            None
        }
    }
}

/// Keeps the master just made for the next one to splice into (in memory and in the store); a master
/// with music clears it, so a later draft never splices into an older master.
async fn remember(ctx: &StageContext, kept: &MasterTakes, last: Option<LastMaster>) -> Result<(), StageError> {
    let value = match &last {
        Some(l) => crate::inputs::to_json(l)?,
        None => serde_json::Value::Null,
    };
    ctx.store
        .put_setting(&last_master_key(&ctx.run.id), &value, ctx.clock.now_ms())
        .await
        .map_err(store_error)?;
    kept.remember(&ctx.run.id, last);
    Ok(())
}

/// Keeps each run's prepared takes, so a re-master prepares only the takes it has not seen, and its last
/// master, so a master one take away from it writes a draft first (see `draft_master`).
pub struct Master(pub Arc<MasterTakes>);

#[async_trait::async_trait]
impl StageRunner for Master {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let started = Instant::now();
        let takes: SpeechTakes = latest(&ctx, ArtifactKind::SpeechTakes).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let inputs = episode(&ctx).await?;
        // Sent back by the audio gate: its correction is in its latest report.
        let correction = if ctx.feedback.is_some() {
            latest::<GateReport>(&ctx, ArtifactKind::GateReport)
                .await
                .ok()
                .and_then(|r| r.master_correction)
        } else {
            None
        };
        let show = inputs.brand.mastering.clone();
        let settings = master_settings(&show, correction.as_ref());
        // Each take by its bytes' hash: the same WAV prepared for the same master is the same samples.
        let keys: Vec<String> = takes.takes.iter().map(|t| t.audio.0.clone()).collect();
        let reworded = super::speech::current_takes(&ctx, &script).await?;
        if let Some(last) = last_master(&ctx, &self.0).await {
            let draft = Draft {
                takes: &takes,
                keys: &keys,
                settings: &settings,
                script: &script,
                plan: &plan,
                reworded: &reworded,
                started,
            };
            // The draft is a preview: whatever stops it, the full master below is still made.
            match draft_master::write(&ctx, &last, draft).await {
                Ok(Some(d)) => tracing::info!(line = %d.line_id, ms = d.took_ms, "draft master written"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e.message, "no draft master"),
            }
        }
        let mut wavs = Vec::with_capacity(takes.takes.len());
        for take in &takes.takes {
            wavs.push(ctx.store.blobs().read(&take.audio, "wav").await.map_err(store_error)?);
        }
        // The show's own music and art as the episode started; the bytes are content-addressed.
        let assets = music_beds::run_assets(&ctx, &inputs.brand).await?;
        let music = assets.music.clone();
        let beds = music_beds::load(&ctx, &music).await?;
        let sting_before = music_beds::sting_before(&plan, &script, &takes);
        let cover = match &assets.artwork {
            Some(art) => Some(CoverArt {
                mime_type: art.mime_type.clone(),
                data: ctx
                    .store
                    .blobs()
                    .read(&art.asset.blob, &art.asset.ext)
                    .await
                    .map_err(store_error)?,
            }),
            None => None,
        };
        let mut speakers: Vec<String> = Vec::new();
        let speaker_of: Vec<usize> = takes
            .takes
            .iter()
            .map(|t| match speakers.iter().position(|s| s == &t.speaker) {
                Some(i) => i,
                None => {
                    speakers.push(t.speaker.clone());
                    speakers.len() - 1
                }
            })
            .collect();

        let cache = self.0.of(&ctx.run.id);
        // Mastering is CPU-bound: keep it off the async workers.
        let chain = settings.clone();
        let chain_keys = keys.clone();
        let mastered = tokio::task::spawn_blocking(move || {
            let keys = chain_keys;
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let takes: Vec<Take> = wavs
                .iter()
                .zip(&speaker_of)
                .map(|(wav, &speaker)| Take { wav, speaker })
                .collect();
            let beds = MusicBeds {
                intro: beds.intro.as_deref(),
                outro: beds.outro.as_deref(),
                sting: beds.sting.as_deref(),
                sting_before: &sting_before,
                duck_depth_db: music.duck_depth_db,
                bed_level_lu: music.bed_level_lu,
            };
            let mastered = showrunner_audio::master_cached(&takes, &keys, &beds, &chain, &cache);
            cache.retain(&keys);
            mastered
        })
        .await
        .map_err(stopped)?
        .map_err(audio_error)?;

        let cues = cues(&takes, &mastered.placements, &script, &reworded);
        let chapters = chapters(&plan, &script, &cues, mastered.duration_ms);
        let tags = EpisodeTags {
            title: script.title.clone(),
            show: inputs.brand.name.clone(),
            episode_number: None,
            date: Some(showrunner_domain::utc::date(inputs.episode.created_at_ms)),
            description: inputs.episode.topic.clone(),
            cover,
            chapters: chapters
                .iter()
                .map(|c| ChapterTag::new(&c.title, c.start_ms, c.end_ms))
                .collect(),
        };
        let untagged = mastered.mp3;
        let mp3 = tokio::task::spawn_blocking(move || showrunner_audio::tag_episode(&untagged, &tags))
            .await
            .map_err(stopped)?
            .map_err(audio_error)?;
        let m = &mastered.measured;
        let figures = MasterFigures {
            integrated_lufs: m.integrated_lufs.unwrap_or(f64::NEG_INFINITY),
            true_peak_dbtp: m.true_peak_dbtp.unwrap_or(f64::NEG_INFINITY),
            loudness_range_lu: m.loudness_range_lu,
            target_lufs: settings.target_lufs,
            ceiling_dbtp: settings.ceiling_dbtp,
            channels: mastered.channels,
            bitrate_kbps: settings.bitrate_kbps,
            passes: mastered.passes,
            speakers: speakers
                .iter()
                .enumerate()
                .map(|(i, name)| SpeakerLoudness {
                    speaker: name.clone(),
                    integrated_lufs: m.group_lufs.get(i).copied().flatten(),
                })
                .collect(),
        };
        let wav = ctx.store.blobs().put(&mastered.wav, "wav").await.map_err(store_error)?;
        let mp3 = ctx.store.blobs().put(&mp3, "mp3").await.map_err(store_error)?;
        let last = mastered.splice.map(|base| LastMaster {
            keys,
            settings: settings.clone(),
            base,
            wav: wav.clone(),
        });
        remember(&ctx, &self.0, last).await?;
        let master = MasterArtifact {
            wav,
            mp3,
            duration_ms: mastered.duration_ms,
            sample_rate: mastered.sample_rate,
            cues,
            figures: Some(figures),
            chapters,
        };
        Ok(StageOutput {
            artifacts: vec![artifact(ArtifactKind::Master, &master)?],
            route: Some(Route::by("Local")),
            ..Default::default()
        })
    }
}

/// The audio gate: measures the MP3 that ships. A failed technical check (loudness, true peak, format,
/// clipping) sends the master back with a correction; anything mastering cannot fix escalates.
pub struct Validate;

#[async_trait::async_trait]
impl StageRunner for Validate {
    async fn run(&self, ctx: StageContext) -> Result<StageOutput, StageError> {
        let master: MasterArtifact = latest(&ctx, ArtifactKind::Master).await?;
        let plan: EpisodePlan = latest(&ctx, ArtifactKind::Plan).await?;
        let script: Script = latest(&ctx, ArtifactKind::Script).await?;
        let inputs = episode(&ctx).await?;
        let mp3 = ctx.store.blobs().read(&master.mp3, "mp3").await.map_err(store_error)?;
        let (spans, speakers) = audio_checks::speaker_spans(&master.cues);
        let measured = tokio::task::spawn_blocking(move || showrunner_audio::measure_mp3(&mp3, &spans))
            .await
            .map_err(|e| StageError::terminal(StageCode::Internal, format!("audio checks stopped: {e}")))?
            .map_err(audio_error)?;
        // Music the show added (lead-in, play-out, stings) is not speech the plan budgeted.
        let takes: SpeechTakes = latest(&ctx, ArtifactKind::SpeechTakes).await?;
        let assets = music_beds::run_assets(&ctx, &inputs.brand).await?;
        let music_ms = music_beds::added_ms(
            &assets.music,
            &master.cues,
            &music_beds::sting_before(&plan, &script, &takes),
            master.duration_ms,
            LINE_GAP_MS,
        );
        let expected = audio_checks::Expected {
            settings: inputs.brand.mastering.clone(),
            planned_ms: u64::from(plan.planned_seconds()) * 1000,
            music_ms,
            line_ids: script.lines().map(|l| l.id.clone()).collect(),
            speakers,
        };
        let report = audio_checks::report(&measured, &master.cues, &expected);
        let (verdict, feedback) = (report.verdict, report.feedback.clone());
        debug_assert!(verdict != GateVerdict::Remediate || report.master_correction.is_some());
        Ok(gate_output(
            vec![artifact(ArtifactKind::GateReport, &report)?],
            verdict,
            feedback,
            Some(Route::by("Local")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::{Line, PlannedSegment, ScriptSegment};

    #[test]
    fn the_first_chapter_takes_in_the_intro_before_the_first_line() {
        let segment = |id: &str| PlannedSegment {
            id: id.into(),
            title: format!("Part {id}"),
            goal: String::new(),
            seconds: 30,
            speakers: vec![],
            facts: vec![],
        };
        let plan = EpisodePlan {
            title: "t".into(),
            target_seconds: 60,
            segments: vec![segment("S1"), segment("S2")],
        };
        let lines = |id: &str| ScriptSegment {
            id: id.into(),
            title: id.into(),
            lines: vec![Line {
                id: format!("{id}-L1"),
                ..Line::default()
            }],
        };
        let script = Script {
            title: "t".into(),
            segments: vec![lines("S1"), lines("S2")],
        };
        let cue = |id: &str, start_ms| Cue {
            line_id: id.into(),
            speaker: "A".into(),
            text: String::new(),
            start_ms,
            end_ms: start_ms + 1_000,
        };
        // A 6 s intro lead-in, then a sting before S2.
        let cues = [cue("S1-L1", 6_000), cue("S2-L1", 12_000)];
        let marks: Vec<(u64, u64)> = chapters(&plan, &script, &cues, 20_000)
            .iter()
            .map(|c| (c.start_ms, c.end_ms))
            .collect();
        assert_eq!(marks, [(0, 12_000), (12_000, 20_000)]);
    }
}
