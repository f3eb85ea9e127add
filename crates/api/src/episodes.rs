//! Episodes: list, inspect, and start production.

use showrunner_domain::{Episode, EpisodeId, NewEpisode, PhaseId, SourceOwner};
use showrunner_production::STANDARD_PIPELINE;
use showrunner_production::{run_assets_key, RunAssets};
use showrunner_providers::SystemSpeech;
use showrunner_store::NoticeKind;

use crate::dto::{EpisodeChanged, EpisodeDetail};
use crate::runs::run_view;
use crate::sources::{read_sources, refused_at_start, SourceInput};
use crate::{ApiError, App, RunChanged};

pub async fn list_episodes(app: &App) -> Result<Vec<Episode>, ApiError> {
    Ok(app.store().list_episodes().await?)
}

pub async fn episode(app: &App, id: &EpisodeId) -> Result<Episode, ApiError> {
    app.store()
        .episode(id)
        .await?
        .ok_or_else(|| ApiError::not_found("That episode"))
}

pub async fn get_episode(app: &App, id: &EpisodeId) -> Result<EpisodeDetail, ApiError> {
    let episode = episode(app, id).await?;
    let run = match &episode.run_id {
        Some(run_id) => Some(run_view(app, run_id).await?),
        None => None,
    };
    Ok(EpisodeDetail { episode, run })
}

/// Validates the form, checks the crew can work (the speech engine is installed), then creates the episode
/// and starts its run. Nothing is written when any check fails.
pub async fn start_episode(app: &App, input: NewEpisode) -> Result<Episode, ApiError> {
    start_episode_with_sources(app, input, &[]).await
}

/// [`start_episode`] with the producer's sources: every one is read (files, pages fetched once, notes)
/// before anything is written, and if any cannot be read the start is refused naming each, so the form
/// keeps everything and the producer fixes or removes the one named. The show's standing sources join too.
pub async fn start_episode_with_sources(
    app: &App,
    input: NewEpisode,
    sources: &[SourceInput],
) -> Result<Episode, ApiError> {
    let input = NewEpisode {
        topic: input.topic.trim().to_owned(),
        ..input
    };
    input.validate()?;
    let Some(show) = app.store().show(&input.show_id).await? else {
        return Err(ApiError::field(
            crate::ErrorCode::NotFound,
            "show_id",
            "Pick a show: the one selected no longer exists.",
        ));
    };
    input.check_cast(show.brand.hosts.len())?;
    // An episode that names no language is made in its show's.
    let input = NewEpisode {
        language: Some(input.language.unwrap_or(show.brand.default_language)),
        ..input
    };
    SystemSpeech::detect()?;
    let (read, refused) = read_sources(sources, &app.source_limits()).await;
    if !refused.is_empty() {
        return Err(refused_at_start(&refused));
    }
    let episode = app.store().create_episode(&input, app.now_ms()).await?;
    let owner = SourceOwner::Episode(episode.id.clone());
    for source in &read {
        app.store().add_source(&owner, source, app.now_ms()).await?;
    }
    app.store()
        .copy_show_sources(&show.id, &episode.id, app.now_ms())
        .await?;
    // The run masters with the music and art the show has now, whatever is uploaded while it runs.
    let assets = serde_json::to_value(RunAssets::of(&show.brand))
        .map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))?;
    app.store()
        .put_setting(&run_assets_key(&episode.id), &assets, app.now_ms())
        .await?;
    app.engine()
        .start(Some(&episode.id), STANDARD_PIPELINE, episode.budget_cap)
        .await?;
    self::episode(app, &episode.id).await
}

/// The app-wide notice for a run change: which episode, and its status now.
pub async fn episode_changed(app: &App, change: &RunChanged) -> Result<EpisodeChanged, ApiError> {
    let episode_id = change
        .episode_id
        .as_ref()
        .ok_or_else(|| ApiError::not_found("The run's episode"))?;
    let episode = episode(app, episode_id).await?;
    let notices = app.store().budget_notices(&change.run_id).await?;
    // Only a phase that went over needs its label, and it is rare: the split is read only then.
    let split = match notices.iter().any(|n| matches!(n.kind, NoticeKind::PhaseOver { .. })) {
        true => app.store().budget_split(&change.run_id).await?,
        false => None,
    };
    let label = |phase: &PhaseId| {
        split
            .as_ref()
            .and_then(|s| s.get(phase))
            .map_or_else(|| phase.to_string(), |p| p.label.clone())
    };
    Ok(EpisodeChanged {
        episode_id: episode.id,
        status: episode.status,
        topic: episode.topic,
        budget_notices: notices.iter().map(|n| crate::ledger::notice_view(n, label)).collect(),
    })
}
