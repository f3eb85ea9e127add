//! Shows and their brand voice.

use showrunner_domain::{BrandVoice, MusicSlot, Show, ShowId};

use crate::{ApiError, App};

pub async fn list_shows(app: &App) -> Result<Vec<Show>, ApiError> {
    Ok(app.store().list_shows().await?)
}

pub fn starter_brand_voice(name: &str) -> BrandVoice {
    BrandVoice::starter(name.trim())
}

/// A new show starts without files: music and artwork are only set by their upload commands
/// (`show_assets`), so a form cannot point a show at bytes that were never checked.
pub async fn create_show(app: &App, brand: BrandVoice) -> Result<Show, ApiError> {
    let mut brand = tidy(brand);
    for &slot in MusicSlot::ALL {
        *brand.music.slot_mut(slot) = None;
    }
    brand.artwork = None;
    brand.validate()?;
    Ok(app.store().create_show(&brand, app.now_ms()).await?)
}

/// Saves the form. The show's stored files are kept whatever the form carries (the store replaces them
/// in the same transaction); the ducking depth and music level are the form's.
pub async fn update_show(app: &App, id: &ShowId, brand: BrandVoice) -> Result<Show, ApiError> {
    let brand = tidy(brand);
    brand.validate()?;
    Ok(app.store().update_show(id, &brand, app.now_ms()).await?)
}

/// Finds a show by name (case-insensitive), for the CLI's `--show NAME`.
pub async fn find_show(app: &App, name: &str) -> Result<Show, ApiError> {
    app.store().show_by_name(name.trim()).await?.ok_or_else(|| {
        ApiError::field(
            crate::ErrorCode::NotFound,
            "show",
            &format!("No show is called '{}'. Create it first.", name.trim()),
        )
    })
}

/// Trims what a producer typed and drops empty list entries, so stray whitespace never fails a rule.
fn tidy(mut brand: BrandVoice) -> BrandVoice {
    brand.name = brand.name.trim().to_owned();
    brand.tone = brand.tone.trim().to_owned();
    brand.audience = brand.audience.trim().to_owned();
    brand.intro_line = brand.intro_line.trim().to_owned();
    brand.outro_line = brand.outro_line.trim().to_owned();
    brand.guidelines = brand
        .guidelines
        .into_iter()
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty())
        .collect();
    brand.forbidden_phrases = brand
        .forbidden_phrases
        .into_iter()
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty())
        .collect();
    for host in &mut brand.hosts {
        host.name = host.name.trim().to_owned();
        host.role = host.role.trim().to_owned();
        host.voice = host.voice.trim().to_owned();
    }
    brand
}
