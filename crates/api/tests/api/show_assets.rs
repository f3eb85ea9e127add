//! A show's own music and cover art: refused files leave the show as it was, good ones are stored by hash
//! and land on the show, the form's save cannot replace them, and an episode of the show carries the ones
//! it started with (the cover in the MP3, the package and item.xml; the intro's lead-in before the first
//! line).

use std::path::{Path, PathBuf};
use std::process::Command;

use showrunner_api::delivery::transcript_reader::read_vtt;
use showrunner_api::domain::{Artwork, BlobHash, Episode, EpisodeStatus, MusicFile, MusicSlot, Show, StoredAsset};
use showrunner_api::{export, release, script, show_assets, shows, App, ErrorCode};

use crate::delivery::{attr, xml_elements};
use crate::{assert_status, open, settle, show, start};

/// A stereo sine bed, 16-bit WAV.
fn wav_bed(path: &Path, ms: u32, rate: u32) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(u64::from(rate) * u64::from(ms) / 1000) {
        let s = (i as f64 * 220.0 * std::f64::consts::TAU / f64::from(rate)).sin() * 0.3;
        let v = (s * f64::from(i16::MAX)) as i16;
        w.write_sample(v).unwrap();
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
}

/// A real PNG of `px`×`px`, one grey value throughout.
fn png_art(path: &Path, px: u32) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, px, px);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![128u8; (px * px) as usize]).unwrap();
    writer.finish().unwrap();
}

async fn stored(app: &App, show: &Show) -> Show {
    app.store().show(&show.id).await.unwrap().unwrap()
}

fn blob_exists(app: &App, hash: &BlobHash, ext: &str) -> bool {
    app.store().blobs().path(hash, ext).unwrap().is_file()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_will_not_decode_is_refused_and_the_show_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let before = serde_json::to_string(&stored(&app, &show).await).unwrap();
    let garbage = dir.path().join("not-music.mp3");
    std::fs::write(
        &garbage,
        b"ID3 this is words pretending to be an MP3 file, nothing more".repeat(40),
    )
    .unwrap();

    let e = show_assets::set_show_music(&app, &show.id, MusicSlot::Intro, &garbage)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::MusicUnreadable, "{}", e.message);
    assert!(
        e.message.contains("not-music.mp3"),
        "the message names the file: {}",
        e.message
    );
    let after = serde_json::to_string(&stored(&app, &show).await).unwrap();
    assert_eq!(after, before, "the stored show is unchanged");

    // A missing file is a field error on the path, and the show is still unchanged.
    let e = show_assets::set_show_music(&app, &show.id, MusicSlot::Sting, &dir.path().join("gone.wav"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
    assert_eq!(serde_json::to_string(&stored(&app, &show).await).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wav_or_flac_bed_fills_its_slot_with_its_length_and_clearing_empties_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let bed = dir.path().join("Harbour Theme.wav");
    wav_bed(&bed, 2_500, 48_000);

    let updated = show_assets::set_show_music(&app, &show.id, MusicSlot::Intro, &bed)
        .await
        .unwrap();
    let intro = updated.brand.music.intro.clone().expect("the intro is set");
    assert_eq!(
        (intro.duration_ms, intro.sample_rate, intro.channels),
        (2_500, 48_000, 2)
    );
    assert_eq!(intro.asset.file_name, "Harbour Theme.wav");
    assert_eq!(intro.asset.bytes, std::fs::metadata(&bed).unwrap().len());
    assert!(
        blob_exists(&app, &intro.asset.blob, "wav"),
        "the bytes are in the blob store"
    );
    assert_eq!(stored(&app, &show).await.brand.music.intro, Some(intro.clone()));
    assert!(updated.brand.music.outro.is_none() && updated.brand.music.sting.is_none());

    // A FLAC (made by ffmpeg, an encoder that is not ours) as the outro.
    let flac = dir.path().join("outro.flac");
    let made = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=330:duration=3",
            "-ar",
            "44100",
        ])
        .arg(&flac)
        .status()
        .expect("ffmpeg is installed (.ci/setup.sh)");
    assert!(made.success());
    let updated = show_assets::set_show_music(&app, &show.id, MusicSlot::Outro, &flac)
        .await
        .unwrap();
    let outro = updated.brand.music.outro.clone().expect("the outro is set");
    assert_eq!(outro.asset.ext, "flac");
    assert!(outro.duration_ms.abs_diff(3_000) <= 50, "{} ms", outro.duration_ms);
    assert_eq!(updated.brand.music.intro, Some(intro), "the intro is kept");

    let cleared = show_assets::clear_show_music(&app, &show.id, MusicSlot::Intro)
        .await
        .unwrap();
    assert!(cleared.brand.music.intro.is_none());
    assert!(stored(&app, &show).await.brand.music.intro.is_none());
    assert_eq!(cleared.brand.music.outro, Some(outro));
}

fn forged_asset(ext: &str) -> StoredAsset {
    StoredAsset {
        blob: BlobHash("ab".repeat(32)),
        ext: ext.into(),
        file_name: "forged".into(),
        bytes: 1,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_form_save_keeps_the_stored_files_and_takes_only_the_levels() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let bed = dir.path().join("bed.wav");
    wav_bed(&bed, 1_000, 44_100);
    let real = show_assets::set_show_music(&app, &show.id, MusicSlot::Intro, &bed)
        .await
        .unwrap()
        .brand
        .music
        .intro
        .unwrap();

    // The form holds a stale or forged intro, a sting and artwork nobody uploaded, and new levels.
    let mut brand = stored(&app, &show).await.brand;
    let forged = MusicFile {
        asset: forged_asset("wav"),
        duration_ms: 9_000,
        sample_rate: 44_100,
        channels: 1,
    };
    brand.music.intro = Some(forged.clone());
    brand.music.sting = Some(forged.clone());
    brand.music.duck_depth_db = 20.0;
    brand.music.bed_level_lu = -10.0;
    brand.artwork = Some(Artwork {
        asset: forged_asset("png"),
        mime_type: "image/png".into(),
        width: 1400,
        height: 1400,
    });
    let saved = shows::update_show(&app, &show.id, brand.clone()).await.unwrap();
    for s in [saved.brand.clone(), stored(&app, &show).await.brand] {
        assert_eq!(s.music.intro.as_ref(), Some(&real), "the uploaded intro stays");
        assert!(
            s.music.sting.is_none() && s.artwork.is_none(),
            "nothing the form invented lands"
        );
        assert_eq!(
            (s.music.duck_depth_db, s.music.bed_level_lu),
            (20.0, -10.0),
            "the levels are the form's"
        );
    }

    // A new show cannot be created pointing at files either.
    brand.name = "Second Show".into();
    let created = shows::create_show(&app, brand).await.unwrap();
    assert!(created.brand.music.is_empty() && created.brand.artwork.is_none());

    // Levels out of range are field errors.
    let mut bad = stored(&app, &show).await.brand;
    bad.music.duck_depth_db = 40.0;
    let e = shows::update_show(&app, &show.id, bad).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(
        format!("{:?}", e.details).contains("music.duck_depth_db"),
        "{:?}",
        e.details
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn artwork_must_be_square_and_large_enough() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let before = serde_json::to_string(&stored(&app, &show).await).unwrap();
    let small = dir.path().join("small.png");
    png_art(&small, 500);
    let e = show_assets::set_show_artwork(&app, &show.id, &small).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ArtworkInvalid, "{}", e.message);
    assert!(
        e.message.contains("500×500"),
        "the measured size is given: {}",
        e.message
    );
    assert_eq!(serde_json::to_string(&stored(&app, &show).await).unwrap(), before);

    let text = dir.path().join("cover.png");
    std::fs::write(&text, b"not an image").unwrap();
    let e = show_assets::set_show_artwork(&app, &show.id, &text).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ArtworkInvalid, "{}", e.message);

    let good = dir.path().join("cover-1400.png");
    png_art(&good, 1400);
    let art = show_assets::set_show_artwork(&app, &show.id, &good)
        .await
        .unwrap()
        .brand
        .artwork
        .expect("the artwork is set");
    assert_eq!(
        (art.width, art.height, art.mime_type.as_str()),
        (1400, 1400, "image/png")
    );
    assert!(blob_exists(&app, &art.asset.blob, "png"));
    let cleared = show_assets::clear_show_artwork(&app, &show.id).await.unwrap();
    assert!(cleared.brand.artwork.is_none());
}

/// Drives a started offline episode through sign-off and release.
async fn released(app: &App, episode: Episode) -> Episode {
    settle(app, &episode).await;
    script::approve_script(app, &episode.id, "").await.unwrap();
    let episode = settle(app, &episode).await;
    assert_status(&episode, EpisodeStatus::AwaitingRelease);
    release::approve_release(app, &episode.id, "").await.unwrap();
    let episode = settle(app, &episode).await;
    assert_status(&episode, EpisodeStatus::Released);
    episode
}

/// ffprobe's streams of a file (an independent reader of what we wrote).
fn ffprobe_streams(path: &Path) -> Vec<serde_json::Value> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_streams", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe is installed (.ci/setup.sh)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["streams"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_episode_of_a_show_with_artwork_carries_the_cover_in_its_mp3_package_and_item() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let art = dir.path().join("art.png");
    png_art(&art, 1400);
    show_assets::set_show_artwork(&app, &show.id, &art).await.unwrap();
    let episode = start(&app, &show, 1).await;
    settle(&app, &episode).await;
    // Art removed while the episode waits at sign-off: the episode keeps the art it started with.
    show_assets::clear_show_artwork(&app, &show.id).await.unwrap();
    let episode = released(&app, episode).await;

    // The master stage tagged the shipped MP3 with the cover.
    let gate = release::get_release(&app, &episode.id).await.unwrap();
    let master_mp3 = PathBuf::from(&gate.mp3_path);
    let pictures = |path: &Path| {
        ffprobe_streams(path)
            .into_iter()
            .filter(|s| s["disposition"]["attached_pic"] == 1)
            .count()
    };
    assert_eq!(pictures(&master_mp3), 1, "the master MP3 has an attached picture");

    let package = dir.path().join("package");
    let exported = export::export(&app, &episode.id, &package, false).await.unwrap();
    assert!(
        exported.files.iter().any(|f| f.name == "cover.png"),
        "{:?}",
        exported.files
    );
    assert_eq!(
        std::fs::read(package.join("cover.png")).unwrap(),
        std::fs::read(&art).unwrap()
    );
    assert_eq!(
        pictures(&package.join("episode.mp3")),
        1,
        "the exported MP3 has an attached picture"
    );
    let item = xml_elements(&std::fs::read_to_string(package.join("item.xml")).unwrap());
    assert_eq!(attr(&item, "image", "href"), "cover.png");
}

/// Needs the music mix (`showrunner_audio::master_with_music`) to place the intro before the first line.
#[tokio::test(flavor = "multi_thread")]
async fn an_episode_with_an_intro_bed_starts_its_first_line_after_the_lead_in() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let show = show(&app, 1).await;
    let bed = dir.path().join("intro.wav");
    wav_bed(&bed, 6_000, 44_100);
    show_assets::set_show_music(&app, &show.id, MusicSlot::Intro, &bed)
        .await
        .unwrap();
    let episode = released(&app, start(&app, &show, 1).await).await;

    let package = dir.path().join("package");
    export::export(&app, &episode.id, &package, false).await.unwrap();
    let cues = read_vtt(&std::fs::read_to_string(package.join("transcript.vtt")).unwrap()).unwrap();
    let master = release::get_release(&app, &episode.id).await.unwrap().master;
    assert!(
        master.cues[0].start_ms > 0,
        "the first line starts after the intro's lead-in, at {} ms",
        master.cues[0].start_ms
    );
    assert_eq!(
        cues[0].start_ms, master.cues[0].start_ms,
        "the transcript follows the master"
    );
}
