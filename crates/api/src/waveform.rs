//! The release gate's waveform: peaks of the master WAV computed once, stored as a blob, and found again by
//! the master's hash (setting `waveform.<wav hash>`), so opening the gate again reads a few kilobytes
//! instead of decoding the master.

use serde::{Deserialize, Serialize};
use showrunner_audio::{waveform_peaks, WAVEFORM_BUCKETS};
use showrunner_domain::{BlobHash, EpisodeId};
use ts_rs::TS;

use crate::delivery::chapters::chapters;
use crate::{ApiError, App, ErrorCode};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WaveformChapter {
    pub title: String,
    #[ts(type = "number")]
    pub start_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WaveformView {
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Per bucket (equal slices of the master), the lowest and highest sample in [-1, 1].
    pub min: Vec<f32>,
    pub max: Vec<f32>,
    pub chapters: Vec<WaveformChapter>,
}

#[derive(Serialize, Deserialize)]
struct StoredPeaks {
    duration_ms: u64,
    min: Vec<f32>,
    max: Vec<f32>,
}

fn cache_key(wav: &BlobHash) -> String {
    format!("waveform.{}", wav.0)
}

/// The peaks of `wav`, from the cache or computed (off the async threads) and cached.
pub async fn peaks(app: &App, wav: &BlobHash) -> Result<(u64, Vec<f32>, Vec<f32>), ApiError> {
    let blobs = app.store().blobs();
    if let Some(hash) = app
        .store()
        .setting(&cache_key(wav))
        .await?
        .and_then(|v| serde_json::from_value::<BlobHash>(v).ok())
    {
        if let Ok(bytes) = blobs.read(&hash, "json").await {
            if let Ok(p) = serde_json::from_slice::<StoredPeaks>(&bytes) {
                return Ok((p.duration_ms, p.min, p.max));
            }
        }
    }
    let bytes = blobs.read(wav, "wav").await?;
    let w = tokio::task::spawn_blocking(move || waveform_peaks(&bytes, WAVEFORM_BUCKETS))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    let stored = StoredPeaks {
        duration_ms: w.duration_ms,
        min: w.min,
        max: w.max,
    };
    let json = serde_json::to_vec(&stored).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let hash = blobs.put(&json, "json").await?;
    app.store()
        .put_setting(
            &cache_key(wav),
            &serde_json::to_value(&hash).unwrap_or_default(),
            app.now_ms(),
        )
        .await?;
    Ok((stored.duration_ms, stored.min, stored.max))
}

/// The waveform of the episode's current master with its chapter starts.
pub async fn get_waveform(app: &App, episode_id: &EpisodeId) -> Result<WaveformView, ApiError> {
    let parts = crate::export::parts(app, episode_id).await?;
    let (duration_ms, min, max) = peaks(app, &parts.master.wav).await?;
    Ok(WaveformView {
        duration_ms,
        min,
        max,
        chapters: chapters(&parts.master, &parts.script)
            .into_iter()
            .map(|c| WaveformChapter {
                title: c.title,
                start_ms: c.start_ms,
            })
            .collect(),
    })
}
