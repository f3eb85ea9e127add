//! Playback at the release gate: the master plays through rodio in the backend (one audio thread owns the
//! output), and its position streams to the UI.

use std::path::PathBuf;

use showrunner_domain::EpisodeId;

use crate::dto::PlaybackView;
use crate::release::get_release;
use crate::{ApiError, App};

pub async fn load(app: &App, episode_id: &EpisodeId) -> Result<PlaybackView, ApiError> {
    let release = get_release(app, episode_id).await?;
    // The WAV master seeks sample-exactly; the transcript's cue times are measured on it.
    Ok(app.player().load(PathBuf::from(release.wav_path)).await?.into())
}

pub async fn play(app: &App) -> Result<PlaybackView, ApiError> {
    app.player().play().await?;
    Ok(app.player().state().await.into())
}

pub async fn pause(app: &App) -> Result<PlaybackView, ApiError> {
    app.player().pause().await?;
    Ok(app.player().state().await.into())
}

pub async fn seek(app: &App, position_ms: u64) -> Result<PlaybackView, ApiError> {
    app.player().seek(position_ms).await?;
    Ok(app.player().state().await.into())
}

/// Streams the player's state to `sink` until it says stop.
pub async fn watch<F>(app: &App, mut sink: F) -> Result<(), ApiError>
where
    F: FnMut(PlaybackView) -> bool,
{
    let mut states = app.player().subscribe();
    loop {
        let state = states.borrow_and_update().clone();
        if !sink(state.into()) {
            return Ok(());
        }
        if states.changed().await.is_err() {
            return Ok(());
        }
    }
}
