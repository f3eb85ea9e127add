//! The draft master: when a master changes exactly one take of the run's last speech-only master (a line
//! regenerated or a take kept at the release gate), the new take is spliced into the old master first
//! (`showrunner_audio::splice_take`, well under a second at 60 minutes) and written as the run's draft,
//! which the release gate's player can play while the full master is made behind it. The full master is
//! still what ships and what the audio gate measures; the draft is only ever a preview of it.

use std::time::Instant;

use showrunner_audio::{MasterSettings, Spliced};
use showrunner_domain::artifacts::{EpisodePlan, Script, SpeechTakes};
use showrunner_domain::{draft_master_key, DraftMaster, TakeSpec};
use showrunner_engine::{RunChanged, StageContext, StageError};

use super::master::{chapters, cues};
use super::master_takes::LastMaster;
use crate::inputs::{store_error, to_json};

/// What the master stage knows when it starts, for the draft.
pub(crate) struct Draft<'a> {
    pub takes: &'a SpeechTakes,
    pub keys: &'a [String],
    pub settings: &'a MasterSettings,
    pub script: &'a Script,
    pub plan: &'a EpisodePlan,
    pub reworded: &'a [(String, TakeSpec)],
    pub started: Instant,
}

/// The one take that differs from the last master, if exactly one does under the same settings.
fn changed_take(last: &LastMaster, keys: &[String], settings: &MasterSettings) -> Option<usize> {
    if last.settings != *settings || last.keys.len() != keys.len() {
        return None;
    }
    let mut changed = keys.iter().zip(&last.keys).enumerate().filter(|(_, (a, b))| a != b);
    match (changed.next(), changed.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Writes the run's draft master and tells the run's watchers; `Ok(None)` when this master is not one
/// take away from the last (or the splice would move the loudness, and only a full master will do).
pub(crate) async fn write(
    ctx: &StageContext,
    last: &LastMaster,
    draft: Draft<'_>,
) -> Result<Option<DraftMaster>, StageError> {
    let Some(line) = changed_take(last, draft.keys, draft.settings) else {
        return Ok(None);
    };
    let blobs = ctx.store.blobs();
    let old = blobs.read(&last.wav, "wav").await.map_err(store_error)?;
    let take = blobs
        .read(&draft.takes.takes[line].audio, "wav")
        .await
        .map_err(store_error)?;
    let (base, settings) = (last.base.clone(), draft.settings.clone());
    let spliced: Option<Spliced> =
        tokio::task::spawn_blocking(move || showrunner_audio::splice_take(&base, &old, line, &take, &settings))
            .await
            .map_err(|e| StageError::terminal(showrunner_domain::StageCode::Internal, format!("splice stopped: {e}")))?
            .map_err(|e| StageError::terminal(showrunner_domain::StageCode::of(e.code()), e.to_string()))?;
    let Some(spliced) = spliced else {
        return Ok(None);
    };
    let key = draft_master_key(&ctx.run.id);
    let earlier = ctx.store.setting(&key).await.ok().flatten();
    let duration_ms = spliced.duration_ms;
    let wav = blobs.put_preview(spliced.wav, "wav").await.map_err(store_error)?;
    let cues = cues(draft.takes, &spliced.placements, draft.script, draft.reworded);
    let chapters = chapters(draft.plan, draft.script, &cues, duration_ms);
    let made = DraftMaster {
        line_id: draft.takes.takes[line].line_id.clone(),
        take: draft.takes.takes[line].take,
        replaces_wav: last.wav.clone(),
        wav,
        duration_ms,
        cues,
        chapters,
        integrated_lufs: spliced.integrated_lufs,
        made_at_ms: ctx.clock.now_ms(),
        took_ms: draft.started.elapsed().as_millis() as u64,
    };
    ctx.store
        .put_setting(&key, &to_json(&made)?, made.made_at_ms)
        .await
        .map_err(store_error)?;
    // One draft per run is kept: the earlier one is never offered again.
    if let Some(earlier) = earlier.and_then(|v| serde_json::from_value::<DraftMaster>(v).ok()) {
        if earlier.wav != made.wav {
            blobs.remove_preview(&earlier.wav, "wav").await;
        }
    }
    // Nobody may be watching (the CLI); the draft is in the store either way.
    let _ = ctx.changes.send(RunChanged {
        run_id: ctx.run.id.clone(),
        episode_id: ctx.run.episode_id.clone(),
    });
    Ok(Some(made))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last(keys: &[&str]) -> LastMaster {
        // A real base from a real (tiny) master, so the test holds the same type the stage keeps.
        use showrunner_audio::synthetic::{at_lufs, speech_like, wav16};
        let tone = wav16(
            22_050,
            1,
            &at_lufs(speech_like(22_050, 1_500, 1, 0.0, 0.0), 22_050, -20.0),
        );
        let takes: Vec<showrunner_audio::Take> = keys
            .iter()
            .map(|_| showrunner_audio::Take { wav: &tone, speaker: 0 })
            .collect();
        let mastered = showrunner_audio::master(&takes, &MasterSettings::default()).unwrap();
        LastMaster {
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            settings: MasterSettings::default(),
            base: mastered.splice.unwrap(),
            wav: showrunner_domain::BlobHash("old".into()),
        }
    }

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn only_a_master_one_take_away_under_the_same_settings_is_drafted() {
        let last = last(&["a", "b", "c"]);
        let same = MasterSettings::default();
        assert_eq!(changed_take(&last, &keys(&["a", "B", "c"]), &same), Some(1));
        assert_eq!(
            changed_take(&last, &keys(&["a", "b", "c"]), &same),
            None,
            "nothing changed"
        );
        assert_eq!(changed_take(&last, &keys(&["A", "B", "c"]), &same), None, "a re-voice");
        assert_eq!(changed_take(&last, &keys(&["a", "b"]), &same), None, "a line fewer");
        let corrected = MasterSettings {
            extra_margin_db: 0.5,
            ..MasterSettings::default()
        };
        assert_eq!(
            changed_take(&last, &keys(&["a", "B", "c"]), &corrected),
            None,
            "the audio gate's correction changes the chain"
        );
    }
}
