//! The show's music as the master stage feeds it to the audio crate: the beds' bytes from the blob
//! store, and where the stings go (before the first take of every plan segment after the first). And
//! the time the music added to the master, so the audio gate holds only the speech to the plan's length.

use serde::{Deserialize, Serialize};
use showrunner_domain::artifacts::{Cue, EpisodePlan, Script, SpeechTakes};
use showrunner_domain::{Artwork, BrandVoice, EpisodeId, MusicSlot, ShowMusic};
use showrunner_engine::{StageContext, StageError};

use crate::inputs::store_error;

/// The show's files and levels as they were when the episode started, kept under
/// [`run_assets_key`]: a file the producer swaps mid-run changes the next episode, not this one (the
/// bytes are content-addressed, so the references stay good).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunAssets {
    pub music: ShowMusic,
    pub artwork: Option<Artwork>,
}

impl RunAssets {
    pub fn of(brand: &BrandVoice) -> RunAssets {
        RunAssets {
            music: brand.music.clone(),
            artwork: brand.artwork.clone(),
        }
    }
}

/// The setting that holds an episode's [`RunAssets`].
pub fn run_assets_key(episode_id: &EpisodeId) -> String {
    format!("show_assets.{episode_id}")
}

/// The episode's assets as it started; an episode started before they were kept uses the show's now.
pub async fn run_assets(ctx: &StageContext, brand: &BrandVoice) -> Result<RunAssets, StageError> {
    let kept = ctx
        .store
        .setting(&run_assets_key(crate::inputs::episode_id(ctx)?))
        .await
        .map_err(store_error)?
        .and_then(|v| serde_json::from_value(v).ok());
    Ok(kept.unwrap_or_else(|| RunAssets::of(brand)))
}

/// The bytes of each music slot the show fills.
#[derive(Default)]
pub struct BedBytes {
    pub intro: Option<Vec<u8>>,
    pub outro: Option<Vec<u8>>,
    pub sting: Option<Vec<u8>>,
}

/// Reads every filled slot's file. A file missing from the store fails the stage with the store's code:
/// the show points at it, so it must be there.
pub async fn load(ctx: &StageContext, music: &ShowMusic) -> Result<BedBytes, StageError> {
    let mut beds = BedBytes::default();
    for &slot in MusicSlot::ALL {
        let Some(file) = music.slot(slot) else { continue };
        let bytes = ctx
            .store
            .blobs()
            .read(&file.asset.blob, &file.asset.ext)
            .await
            .map_err(store_error)?;
        match slot {
            MusicSlot::Intro => beds.intro = Some(bytes),
            MusicSlot::Outro => beds.outro = Some(bytes),
            MusicSlot::Sting => beds.sting = Some(bytes),
        }
    }
    Ok(beds)
}

/// The index of the first take of each plan segment after the first segment that has a take, in take
/// order. A segment with no take has nothing to announce and gets no sting.
pub fn sting_before(plan: &EpisodePlan, script: &Script, takes: &SpeechTakes) -> Vec<usize> {
    let mut opens: Vec<usize> = plan
        .segments
        .iter()
        .filter_map(|planned| {
            let lines = &script.segments.iter().find(|s| s.id == planned.id)?.lines;
            takes.takes.iter().position(|t| lines.iter().any(|l| l.id == t.line_id))
        })
        .collect();
    opens.sort_unstable();
    opens.dedup();
    // The episode's first segment is opened by the intro (or nothing), never by a sting.
    opens.retain(|&i| i > 0);
    opens
}

/// How much of `duration_ms` is music rather than speech: the intro's lead-in before the first line, the
/// outro's play-out after the last, and each sting's gap beyond the usual pause between lines. Only the
/// slots the show fills count, so a speech-only master is held to the plan exactly as before.
pub fn added_ms(music: &ShowMusic, cues: &[Cue], sting_before: &[usize], duration_ms: u64, gap_ms: u64) -> u64 {
    let (Some(first), Some(last)) = (cues.first(), cues.last()) else {
        return 0;
    };
    let mut added = 0;
    if music.intro.is_some() {
        added += first.start_ms;
    }
    if music.outro.is_some() {
        added += duration_ms.saturating_sub(last.end_ms);
    }
    if music.sting.is_some() {
        for &i in sting_before {
            if let (Some(before), Some(at)) = (i.checked_sub(1).and_then(|b| cues.get(b)), cues.get(i)) {
                added += at.start_ms.saturating_sub(before.end_ms).saturating_sub(gap_ms);
            }
        }
    }
    added.min(duration_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::{Line, PlannedSegment, ScriptSegment, SpeechTake};
    use showrunner_domain::{BlobHash, MusicFile, StoredAsset};

    fn plan(ids: &[&str]) -> EpisodePlan {
        EpisodePlan {
            title: "t".into(),
            target_seconds: 60,
            segments: ids
                .iter()
                .map(|id| PlannedSegment {
                    id: (*id).into(),
                    title: (*id).into(),
                    goal: String::new(),
                    seconds: 20,
                    speakers: vec![],
                    facts: vec![],
                })
                .collect(),
        }
    }

    fn script(segments: &[(&str, &[&str])]) -> Script {
        Script {
            title: "t".into(),
            segments: segments
                .iter()
                .map(|(id, lines)| ScriptSegment {
                    id: (*id).into(),
                    title: (*id).into(),
                    lines: lines
                        .iter()
                        .map(|l| Line {
                            id: (*l).into(),
                            ..Line::default()
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn takes(ids: &[&str]) -> SpeechTakes {
        SpeechTakes {
            takes: ids
                .iter()
                .map(|id| SpeechTake {
                    line_id: (*id).into(),
                    speaker: "A".into(),
                    audio: BlobHash("0".repeat(64)),
                    duration_ms: 1_000,
                    engine: "e".into(),
                    take: 1,
                })
                .collect(),
        }
    }

    fn cue(start_ms: u64, end_ms: u64) -> Cue {
        Cue {
            line_id: String::new(),
            speaker: "A".into(),
            text: String::new(),
            start_ms,
            end_ms,
        }
    }

    fn file() -> MusicFile {
        MusicFile {
            asset: StoredAsset {
                blob: BlobHash("0".repeat(64)),
                ext: "wav".into(),
                file_name: "bed.wav".into(),
                bytes: 1,
            },
            duration_ms: 5_000,
            sample_rate: 44_100,
            channels: 2,
        }
    }

    #[test]
    fn stings_go_before_the_first_take_of_each_later_segment() {
        let plan = plan(&["S1", "S2", "S3", "S4"]);
        // S3 has no lines; S4's lines are spoken.
        let script = script(&[("S1", &["a", "b"]), ("S2", &["c"]), ("S3", &[]), ("S4", &["d", "e"])]);
        let takes = takes(&["a", "b", "c", "d", "e"]);
        assert_eq!(sting_before(&plan, &script, &takes), [2, 3]);
    }

    #[test]
    fn only_the_filled_slots_add_time() {
        let cues = [cue(4_000, 5_000), cue(5_350, 6_000), cue(8_350, 9_000)];
        let none = ShowMusic::default();
        assert_eq!(added_ms(&none, &cues, &[2], 12_000, 350), 0);
        let all = ShowMusic {
            intro: Some(file()),
            outro: Some(file()),
            sting: Some(file()),
            ..ShowMusic::default()
        };
        // 4 s lead-in, 3 s play-out, a 2 s sting (2.35 s gap less the usual 0.35 s).
        assert_eq!(added_ms(&all, &cues, &[2], 12_000, 350), 9_000);
    }
}
