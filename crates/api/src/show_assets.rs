//! A show's own files: an intro bed, an outro bed, a sting, and cover art. Each upload is read, checked
//! (music decoded whole with Symphonia, artwork measured from its header), stored content-addressed in the
//! blob store, and only then put on the show, so a file that fails any check leaves the show as it was.
//! These commands are the only way a file reference gets onto a show: the brand-voice save keeps the
//! stored ones (`Store::update_show`).

use std::path::Path;

use showrunner_domain::show_assets::{MAX_ARTWORK_PX, MAX_ASSET_BYTES, MIN_ARTWORK_PX};
use showrunner_domain::{Artwork, Episode, MusicFile, MusicSlot, Show, ShowId, StoredAsset};
use showrunner_production::{run_assets_key, RunAssets};

use crate::{ApiError, App, ErrorCode};

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];

fn shown_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The file's bytes, refused before reading when it is larger than [`MAX_ASSET_BYTES`].
async fn read_upload(path: &Path) -> Result<Vec<u8>, ApiError> {
    let name = shown_name(path);
    let unreadable = |e: std::io::Error| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "path",
            &format!("{name} cannot be read ({e})."),
        )
    };
    let meta = tokio::fs::metadata(path).await.map_err(unreadable)?;
    if !meta.is_file() {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "path",
            &format!("{name} is not a file."),
        ));
    }
    if meta.len() > MAX_ASSET_BYTES {
        return Err(ApiError::field(
            ErrorCode::AssetTooLarge,
            "path",
            &format!(
                "{name} is {} MB; a show's file may be at most {} MB.",
                meta.len().div_ceil(1024 * 1024),
                MAX_ASSET_BYTES / (1024 * 1024)
            ),
        ));
    }
    tokio::fs::read(path).await.map_err(unreadable)
}

async fn existing_show(app: &App, show_id: &ShowId) -> Result<Show, ApiError> {
    app.store()
        .show(show_id)
        .await?
        .ok_or_else(|| ApiError::not_found("That show"))
}

/// Puts the producer's music file in `slot`: decoded whole first (a file that will not decode is
/// `music_unreadable`, naming the file, and the show is unchanged), then stored by its hash.
pub async fn set_show_music(app: &App, show_id: &ShowId, slot: MusicSlot, path: &Path) -> Result<Show, ApiError> {
    existing_show(app, show_id).await?;
    let name = shown_name(path);
    let bytes = read_upload(path).await?;
    let bytes = std::sync::Arc::new(bytes);
    let probed = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || showrunner_audio::probe_music(&bytes))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("checking the music stopped: {e}")))?
    };
    let info = probed.map_err(|e| match e {
        showrunner_audio::AudioError::MusicUnreadable(why) => ApiError::field(
            ErrorCode::MusicUnreadable,
            "path",
            &format!(
                "{name} cannot be the {} music: {why}. Use a WAV, MP3, FLAC or Ogg Vorbis file.",
                slot.as_str()
            ),
        ),
        other => ApiError::from(other),
    })?;
    let blob = app.store().blobs().put(&bytes, info.ext).await?;
    let file = MusicFile {
        asset: StoredAsset {
            blob,
            ext: info.ext.to_owned(),
            file_name: name,
            bytes: bytes.len() as u64,
        },
        duration_ms: info.duration_ms,
        sample_rate: info.sample_rate,
        channels: info.channels,
    };
    Ok(app
        .store()
        .set_show_assets(show_id, app.now_ms(), |music, _| *music.slot_mut(slot) = Some(file))
        .await?)
}

/// Empties `slot`. The stored bytes stay (a run that used them may still need them).
pub async fn clear_show_music(app: &App, show_id: &ShowId, slot: MusicSlot) -> Result<Show, ApiError> {
    Ok(app
        .store()
        .set_show_assets(show_id, app.now_ms(), |music, _| *music.slot_mut(slot) = None)
        .await?)
}

/// What an artwork file is: PNG or JPEG by its first bytes, its size from its header.
pub fn check_artwork(name: &str, bytes: &[u8]) -> Result<(&'static str, &'static str, u32, u32), ApiError> {
    let invalid = |message: String| ApiError::field(ErrorCode::ArtworkInvalid, "path", &message);
    let (ext, mime) = if bytes.starts_with(PNG_MAGIC) {
        ("png", "image/png")
    } else if bytes.starts_with(JPEG_MAGIC) {
        ("jpg", "image/jpeg")
    } else {
        return Err(invalid(format!("{name} is not a PNG or JPEG image.")));
    };
    let size =
        imagesize::blob_size(bytes).map_err(|e| invalid(format!("{name}: the image's size cannot be read ({e}).")))?;
    let (width, height) = (
        u32::try_from(size.width).unwrap_or(u32::MAX),
        u32::try_from(size.height).unwrap_or(u32::MAX),
    );
    if width != height || !(MIN_ARTWORK_PX..=MAX_ARTWORK_PX).contains(&width) {
        return Err(invalid(format!(
            "{name} is {width}×{height} px; cover art must be square, from {MIN_ARTWORK_PX} to {MAX_ARTWORK_PX} px."
        )));
    }
    Ok((ext, mime, width, height))
}

/// Sets the show's cover art: PNG or JPEG, square, 1400–3000 px (`artwork_invalid` with the measured
/// size otherwise; the show is unchanged).
pub async fn set_show_artwork(app: &App, show_id: &ShowId, path: &Path) -> Result<Show, ApiError> {
    existing_show(app, show_id).await?;
    let name = shown_name(path);
    let bytes = read_upload(path).await?;
    let (ext, mime, width, height) = check_artwork(&name, &bytes)?;
    let blob = app.store().blobs().put(&bytes, ext).await?;
    let artwork = Artwork {
        asset: StoredAsset {
            blob,
            ext: ext.to_owned(),
            file_name: name,
            bytes: bytes.len() as u64,
        },
        mime_type: mime.to_owned(),
        width,
        height,
    };
    Ok(app
        .store()
        .set_show_assets(show_id, app.now_ms(), |_, art| *art = Some(artwork))
        .await?)
}

pub async fn clear_show_artwork(app: &App, show_id: &ShowId) -> Result<Show, ApiError> {
    Ok(app
        .store()
        .set_show_assets(show_id, app.now_ms(), |_, art| *art = None)
        .await?)
}

/// The artwork an episode was produced with (kept when it started; the show's now for an episode started
/// before that was kept), with its bytes, for the export's MP3 tag, `cover.<ext>` and `itunes:image`.
pub(crate) async fn episode_cover(app: &App, episode: &Episode) -> Result<Option<(Artwork, Vec<u8>)>, ApiError> {
    let kept: Option<RunAssets> = app
        .store()
        .setting(&run_assets_key(&episode.id))
        .await?
        .and_then(|v| serde_json::from_value(v).ok());
    let artwork = match kept {
        Some(assets) => assets.artwork,
        None => app.store().show(&episode.show_id).await?.and_then(|s| s.brand.artwork),
    };
    let Some(artwork) = artwork else {
        return Ok(None);
    };
    let bytes = app
        .store()
        .blobs()
        .read(&artwork.asset.blob, &artwork.asset.ext)
        .await?;
    Ok(Some((artwork, bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header (signature and IHDR) is all `imagesize` reads.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut b = PNG_MAGIC.to_vec();
        b.extend_from_slice(&13u32.to_be_bytes());
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&width.to_be_bytes());
        b.extend_from_slice(&height.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn artwork_must_be_square_png_or_jpeg_within_the_sizes() {
        assert_eq!(check_artwork("a.png", &png_header(1400, 1400)).unwrap().2, 1400);
        let small = check_artwork("a.png", &png_header(500, 500)).unwrap_err();
        assert_eq!(small.code, ErrorCode::ArtworkInvalid);
        assert!(small.message.contains("500×500"), "{}", small.message);
        let wide = check_artwork("a.png", &png_header(2000, 1500)).unwrap_err();
        assert!(wide.message.contains("2000×1500"), "{}", wide.message);
        let gif = check_artwork("a.gif", b"GIF89a....").unwrap_err();
        assert_eq!(gif.code, ErrorCode::ArtworkInvalid);
        assert!(gif.message.contains("a.gif"), "{}", gif.message);
    }
}
