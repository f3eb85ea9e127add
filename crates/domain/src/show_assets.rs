//! The producer's own files kept with a show: an intro bed, an outro bed, a sting between segments, and
//! cover art. Each is stored content-addressed (its bytes' SHA-256) when it is uploaded, after it has been
//! decoded once, so a run that started with the show points at bytes that can never change under it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use ts_rs::TS;

use crate::{BlobHash, ValidationErrors};

/// How far speech pushes a bed down, dB. Less than 6 leaves the music fighting the voice; more than 30
/// is a mute.
pub const MIN_DUCK_DEPTH_DB: f64 = 6.0;
pub const MAX_DUCK_DEPTH_DB: f64 = 30.0;
/// A bed's level when nobody speaks, relative to the show's loudness target, LU.
pub const MIN_BED_LEVEL_LU: f64 = -20.0;
pub const MAX_BED_LEVEL_LU: f64 = 0.0;
/// Largest music or artwork file accepted, bytes.
pub const MAX_ASSET_BYTES: u64 = 100 * 1024 * 1024;
/// Apple Podcasts asks for square art from 1400 to 3000 pixels.
pub const MIN_ARTWORK_PX: u32 = 1400;
pub const MAX_ARTWORK_PX: u32 = 3000;

/// Where a music file plays in an episode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MusicSlot {
    /// Opens the episode, then sits ducked under the first lines until it ends.
    Intro,
    /// Comes up under the last line and plays out after it.
    Outro,
    /// A short cue between plan segments, in the clear.
    Sting,
}

impl MusicSlot {
    pub const ALL: &'static [MusicSlot] = MusicSlot::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<MusicSlot> {
        MusicSlot::ALL.iter().copied().find(|slot| slot.as_str() == s)
    }
}

/// A name that is not one of the music slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMusicSlot(pub String);

impl std::fmt::Display for UnknownMusicSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' is not a music slot; use intro, outro or sting", self.0)
    }
}

impl std::error::Error for UnknownMusicSlot {}

impl std::str::FromStr for MusicSlot {
    type Err = UnknownMusicSlot;

    fn from_str(s: &str) -> Result<MusicSlot, UnknownMusicSlot> {
        MusicSlot::parse(s.trim()).ok_or_else(|| UnknownMusicSlot(s.to_owned()))
    }
}

/// A stored file: its content hash, the name the producer knew it by, and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct StoredAsset {
    pub blob: BlobHash,
    /// The blob store's extension for it (`mp3`, `flac`, `ogg`, `wav`, `png`, `jpg`).
    pub ext: String,
    /// The uploaded file's name, for the form and the show notes.
    pub file_name: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A decoded-and-checked music file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct MusicFile {
    pub asset: StoredAsset,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub channels: u16,
}

/// The show's music. Every slot is optional; a show with none is mastered as speech only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
pub struct ShowMusic {
    pub intro: Option<MusicFile>,
    pub outro: Option<MusicFile>,
    pub sting: Option<MusicFile>,
    /// How far speech pushes a bed down, dB.
    pub duck_depth_db: f64,
    /// A bed's level in the clear, relative to the loudness target, LU.
    pub bed_level_lu: f64,
}

impl Default for ShowMusic {
    fn default() -> Self {
        ShowMusic {
            intro: None,
            outro: None,
            sting: None,
            duck_depth_db: 15.0,
            bed_level_lu: -6.0,
        }
    }
}

impl ShowMusic {
    pub fn slot(&self, slot: MusicSlot) -> Option<&MusicFile> {
        match slot {
            MusicSlot::Intro => self.intro.as_ref(),
            MusicSlot::Outro => self.outro.as_ref(),
            MusicSlot::Sting => self.sting.as_ref(),
        }
    }

    pub fn slot_mut(&mut self, slot: MusicSlot) -> &mut Option<MusicFile> {
        match slot {
            MusicSlot::Intro => &mut self.intro,
            MusicSlot::Outro => &mut self.outro,
            MusicSlot::Sting => &mut self.sting,
        }
    }

    pub fn is_empty(&self) -> bool {
        MusicSlot::ALL.iter().copied().all(|s| self.slot(s).is_none())
    }

    pub fn validate_into(&self, prefix: &str, errors: &mut ValidationErrors) {
        if !(MIN_DUCK_DEPTH_DB..=MAX_DUCK_DEPTH_DB).contains(&self.duck_depth_db) {
            errors.add(
                format!("{prefix}.duck_depth_db"),
                format!("Ducking must be between {MIN_DUCK_DEPTH_DB} and {MAX_DUCK_DEPTH_DB} dB."),
            );
        }
        if !(MIN_BED_LEVEL_LU..=MAX_BED_LEVEL_LU).contains(&self.bed_level_lu) {
            errors.add(
                format!("{prefix}.bed_level_lu"),
                format!("The music level must be between {MIN_BED_LEVEL_LU} and {MAX_BED_LEVEL_LU} LU."),
            );
        }
    }
}

/// The show's cover art, checked at upload (PNG or JPEG, square, 1400–3000 px).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Artwork {
    pub asset: StoredAsset,
    /// `image/png` or `image/jpeg`.
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip_their_names() {
        for &slot in MusicSlot::ALL {
            assert_eq!(MusicSlot::parse(slot.as_str()), Some(slot));
        }
        assert_eq!(MusicSlot::parse("bridge"), None);
        assert_eq!(" outro ".parse::<MusicSlot>(), Ok(MusicSlot::Outro));
        let err = "bridge".parse::<MusicSlot>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'bridge' is not a music slot; use intro, outro or sting"
        );
    }

    #[test]
    fn out_of_range_ducking_and_level_are_named() {
        let music = ShowMusic {
            duck_depth_db: 2.0,
            bed_level_lu: 3.0,
            ..ShowMusic::default()
        };
        let mut errors = ValidationErrors::default();
        music.validate_into("music", &mut errors);
        let fields: Vec<_> = errors
            .into_result()
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["music.duck_depth_db", "music.bed_level_lu"]);
    }

    #[test]
    fn a_show_saved_without_music_loads_with_none() {
        let music: ShowMusic = serde_json::from_str("{}").unwrap();
        assert!(music.is_empty());
        assert_eq!(music.duck_depth_db, 15.0);
    }
}
