//! `showrunner shows` and `showrunner show music|artwork|format|language`: a show's own files, default format
//! and language, set from the command line through the same checks as the app's show form.

use showrunner_api::domain::{MusicSlot, Show};
use showrunner_api::{show_assets, shows, ApiError, App};

use crate::args::ShowAction;
use crate::output::{self, json};

pub async fn act(app: &App, action: ShowAction) -> Result<(), ApiError> {
    match action {
        ShowAction::Sources { show, action } => crate::sources::show(app, &show, action).await,
        ShowAction::Music {
            show,
            slot,
            file,
            clear,
            json: as_json,
        } => {
            let id = shows::find_show(app, &show).await?.id;
            let show = match file.filter(|_| !clear) {
                Some(path) => show_assets::set_show_music(app, &id, slot, &path).await?,
                None => show_assets::clear_show_music(app, &id, slot).await?,
            };
            if as_json {
                return json(&show);
            }
            println!("{}", music_line(&show, slot));
            Ok(())
        }
        ShowAction::Format {
            show,
            format,
            json: as_json,
        } => {
            let show = shows::find_show(app, &show).await?;
            let brand = showrunner_api::domain::BrandVoice {
                default_format: format,
                ..show.brand
            };
            let show = shows::update_show(app, &show.id, brand).await?;
            if as_json {
                return json(&show);
            }
            println!(
                "{}: new episodes are {} by default.",
                show.brand.name,
                show.brand.default_format.label().to_lowercase()
            );
            Ok(())
        }
        ShowAction::Language {
            show,
            language,
            json: as_json,
        } => {
            let show = shows::find_show(app, &show).await?;
            let brand = showrunner_api::domain::BrandVoice {
                default_language: language,
                ..show.brand
            };
            let show = shows::update_show(app, &show.id, brand).await?;
            if as_json {
                return json(&show);
            }
            println!(
                "{}: new episodes are in {} by default.",
                show.brand.name,
                show.brand.default_language.name()
            );
            Ok(())
        }
        ShowAction::Artwork {
            show,
            file,
            clear,
            json: as_json,
        } => {
            let id = shows::find_show(app, &show).await?.id;
            let show = match file.filter(|_| !clear) {
                Some(path) => show_assets::set_show_artwork(app, &id, &path).await?,
                None => show_assets::clear_show_artwork(app, &id).await?,
            };
            if as_json {
                return json(&show);
            }
            println!("{}", artwork_line(&show));
            Ok(())
        }
    }
}

pub async fn list(app: &App, as_json: bool) -> Result<(), ApiError> {
    let list = shows::list_shows(app).await?;
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        println!("No shows yet. `showrunner produce` creates a starter show.");
    }
    for show in &list {
        let hosts: Vec<&str> = show.brand.hosts.iter().map(|h| h.name.as_str()).collect();
        println!("{}  {}  (hosts: {})", show.id, show.brand.name, hosts.join(", "));
        for &slot in MusicSlot::ALL {
            println!("  {}", music_line(show, slot));
        }
        let m = &show.brand.music;
        println!("  ducking {} dB, music level {} LU", m.duck_depth_db, m.bed_level_lu);
        println!("  {}", artwork_line(show));
    }
    Ok(())
}

/// `intro: bed.wav (0:12, 48000 Hz, 2 ch)` or `intro: none`.
pub fn music_line(show: &Show, slot: MusicSlot) -> String {
    match show.brand.music.slot(slot) {
        Some(f) => format!(
            "{}: {} ({}, {} Hz, {} ch)",
            slot.as_str(),
            f.asset.file_name,
            output::duration(Some(f.duration_ms)),
            f.sample_rate,
            f.channels
        ),
        None => format!("{}: none", slot.as_str()),
    }
}

pub fn artwork_line(show: &Show) -> String {
    match &show.brand.artwork {
        Some(a) => format!(
            "artwork: {} ({}×{} px, {})",
            a.asset.file_name, a.width, a.height, a.mime_type
        ),
        None => "artwork: none".into(),
    }
}
