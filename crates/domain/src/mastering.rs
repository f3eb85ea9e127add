//! How a show's episodes are mastered: the loudness target, the true-peak ceiling and the MP3 format.
//! Defaults follow the podcast delivery spec (Apple Podcasts: −16 LUFS ±1, ≤ −1 dBTP, 44.1 or 48 kHz).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ValidationErrors;

pub const MIN_TARGET_LUFS: f64 = -24.0;
pub const MAX_TARGET_LUFS: f64 = -14.0;
/// Lower than −6 dBTP wastes headroom; higher than −1 dBTP breaks the delivery spec.
pub const MIN_CEILING_DBTP: f64 = -6.0;
pub const MAX_CEILING_DBTP: f64 = -1.0;
pub const BITRATES_KBPS: [u32; 5] = [96, 112, 128, 160, 192];
pub const SAMPLE_RATES_HZ: [u32; 2] = [44_100, 48_000];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
pub struct MasteringSettings {
    /// Integrated loudness of the master (BS.1770-4, gated), LUFS.
    pub target_lufs: f64,
    /// Highest true peak allowed, dBTP.
    pub ceiling_dbtp: f64,
    /// Constant MP3 bitrate.
    pub bitrate_kbps: u32,
    /// 1 (mono) or 2 (stereo).
    pub channels: u16,
    pub sample_rate: u32,
}

impl Default for MasteringSettings {
    fn default() -> Self {
        MasteringSettings {
            target_lufs: -16.0,
            ceiling_dbtp: -1.0,
            bitrate_kbps: 128,
            channels: 1,
            sample_rate: 44_100,
        }
    }
}

impl MasteringSettings {
    /// Adds one error per bad field, under `prefix` (the form's field path, e.g. `mastering`).
    pub fn validate_into(&self, prefix: &str, errors: &mut ValidationErrors) {
        if !(MIN_TARGET_LUFS..=MAX_TARGET_LUFS).contains(&self.target_lufs) {
            errors.add(
                format!("{prefix}.target_lufs"),
                format!("Target loudness must be between {MIN_TARGET_LUFS} and {MAX_TARGET_LUFS} LUFS."),
            );
        }
        if !(MIN_CEILING_DBTP..=MAX_CEILING_DBTP).contains(&self.ceiling_dbtp) {
            errors.add(
                format!("{prefix}.ceiling_dbtp"),
                format!("The true-peak ceiling must be between {MIN_CEILING_DBTP} and {MAX_CEILING_DBTP} dBTP."),
            );
        }
        if !BITRATES_KBPS.contains(&self.bitrate_kbps) {
            errors.add(
                format!("{prefix}.bitrate_kbps"),
                "Pick a bitrate of 96, 112, 128, 160 or 192 kbps.",
            );
        }
        if !(1..=2).contains(&self.channels) {
            errors.add(format!("{prefix}.channels"), "Pick mono (1) or stereo (2).");
        }
        if !SAMPLE_RATES_HZ.contains(&self.sample_rate) {
            errors.add(format!("{prefix}.sample_rate"), "Pick 44,100 Hz or 48,000 Hz.");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_delivery_spec_and_valid() {
        let s = MasteringSettings::default();
        assert_eq!((s.target_lufs, s.ceiling_dbtp, s.bitrate_kbps), (-16.0, -1.0, 128));
        assert_eq!((s.channels, s.sample_rate), (1, 44_100));
        let mut errors = ValidationErrors::default();
        s.validate_into("mastering", &mut errors);
        assert!(errors.is_empty(), "{errors}");
    }

    #[test]
    fn each_out_of_range_setting_names_its_field() {
        let s = MasteringSettings {
            target_lufs: -13.0,
            ceiling_dbtp: -0.5,
            bitrate_kbps: 100,
            channels: 3,
            sample_rate: 22_050,
        };
        let mut errors = ValidationErrors::default();
        s.validate_into("mastering", &mut errors);
        let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "mastering.target_lufs",
                "mastering.ceiling_dbtp",
                "mastering.bitrate_kbps",
                "mastering.channels",
                "mastering.sample_rate"
            ]
        );
    }

    #[test]
    fn a_show_saved_without_settings_loads_the_defaults() {
        let s: MasteringSettings = serde_json::from_str(r#"{"target_lufs": -19}"#).unwrap();
        assert_eq!(s.target_lufs, -19.0);
        assert_eq!(s.bitrate_kbps, 128);
    }
}
