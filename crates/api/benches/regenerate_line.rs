//! Regenerate one line to a playable new master, through the api and the real stages, on an offline
//! episode (espeak-ng speech): `cargo bench -p showrunner-api --bench regenerate_line` (60 minutes;
//! `SHOWRUNNER_BENCH_MINUTES` changes the length). The episode is produced to the release gate, then its
//! middle line is regenerated with longer words, and the bench times, from the regenerate call:
//! the draft master offered by the api (the new take spliced in: playable), and the run parked at the
//! release gate again (the full master made and measured behind the draft). In the same run it reads the
//! first master stage's time (mastering from scratch) from the store, and ffmpeg's `ebur128` on the draft
//! and on the final MP3. See docs/benchmarks.md.

#[path = "../tests/api/support/ebur128.rs"]
mod ebur128;

use std::time::{Duration, Instant};

use ebur128::ffmpeg_reading;

use showrunner_api::domain::{BrandVoice, EpisodeFormat, Money, NewEpisode};
use showrunner_api::draft_master;
use showrunner_api::line_takes::{self, RegenerateLine};
use showrunner_api::{episodes, release, script, shows, App, AppOptions};

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(bench());
}

/// ffmpeg's reading, as the tests take it.
fn ffmpeg(path: &str) -> String {
    let (i, tp) = ffmpeg_reading(path);
    format!("{i:.1} LUFS, {tp:.1} dBTP")
}

async fn drive(app: &App, episode: &showrunner_api::domain::Episode) {
    let run = episodes::episode(app, &episode.id).await.unwrap().run_id.unwrap();
    app.engine().drive_to_rest(&run).await.expect("the run rests");
}

async fn bench() {
    let minutes: u32 = std::env::var("SHOWRUNNER_BENCH_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().expect("a temp dir");
    let app = App::open(AppOptions {
        data_dir: Some(dir.path().to_path_buf()),
        offline: true,
    })
    .await
    .expect("the app opens");
    let mut brand = BrandVoice::starter("Harbour Lights");
    brand.target_minutes = minutes;
    let show = shows::create_show(&app, brand).await.expect("a show");
    let began = Instant::now();
    let episode = episodes::start_episode(
        &app,
        NewEpisode {
            show_id: show.id.clone(),
            topic: "How lighthouses kept ships safe".into(),
            target_minutes: minutes,
            budget_cap: Money::from_micros(33_250_000),
            format: EpisodeFormat::DeepDive,
            language: None,
        },
    )
    .await
    .expect("the episode starts");
    drive(&app, &episode).await;
    script::approve_script(&app, &episode.id, "").await.expect("sign-off");
    drive(&app, &episode).await;
    let gate = release::get_release(&app, &episode.id)
        .await
        .expect("at the release gate");
    let run = gate.episode.run_id.clone().unwrap();
    println!(
        "{minutes}-minute offline episode at the release gate in {:.1} s: {} lines, master {:.1} min",
        began.elapsed().as_secs_f64(),
        gate.master.cues.len(),
        gate.master.duration_ms as f64 / 60_000.0
    );

    let line = gate.master.cues[gate.master.cues.len() / 2].clone();
    let words = format!(
        "{} And one more sentence, said slowly, that the first take never had.",
        line.text.trim()
    );
    let asked = Instant::now();
    line_takes::regenerate_line(
        &app,
        &episode.id,
        RegenerateLine {
            line_id: line.line_id.clone(),
            master_version: gate.master_version,
            text: Some(words),
            ..RegenerateLine::default()
        },
    )
    .await
    .expect("the regenerate is accepted");
    let driving = tokio::spawn({
        let (app, episode) = (app.clone(), episode.clone());
        async move { drive(&app, &episode).await }
    });
    let mut draft = None;
    while draft.is_none() && !driving.is_finished() {
        draft = draft_master::draft_master(&app, &episode.id).await.unwrap();
        if draft.is_none() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let playable = asked.elapsed();
    driving.await.unwrap();
    let parked = asked.elapsed();
    let after = release::get_release(&app, &episode.id).await.unwrap();

    let masters: Vec<(i64, i64)> = app
        .store()
        .attempts(&run)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.stage.as_str() == "audio.master")
        .filter_map(|a| Some((a.started_at_ms, a.finished_at_ms?)))
        .collect();
    let stage_s = |(s, f): (i64, i64)| (f - s) as f64 / 1000.0;
    println!(
        "| {minutes} min, {} takes | wall | ffmpeg `ebur128` |",
        gate.master.cues.len()
    );
    println!("| --- | --- | --- |");
    println!(
        "| master stage, from scratch (first production) | {:.2} s | {} |",
        stage_s(masters[0]),
        ffmpeg(&gate.mp3_path)
    );
    match &draft {
        Some(d) => println!(
            "| **regenerate → draft master playable** (draft written {:.2} s into the master stage) | **{:.2} s** | {} (the WAV; ours {:.2} LUFS) |",
            d.took_ms as f64 / 1000.0,
            playable.as_secs_f64(),
            ffmpeg(&d.wav_path),
            d.integrated_lufs
        ),
        None => println!("| regenerate → draft master | none offered (MISS) | |"),
    }
    println!(
        "| master stage again, takes reused (behind the draft) | {:.2} s | {} |",
        stage_s(*masters.last().unwrap()),
        ffmpeg(&after.mp3_path)
    );
    println!(
        "| regenerate → parked at the release gate again | {:.2} s | |",
        parked.as_secs_f64()
    );
    let passes = |m: &showrunner_api::domain::artifacts::Master| m.figures.as_ref().map_or(0, |f| f.passes);
    println!(
        "mastering passes (limiter + encode): {} from scratch, {} again",
        passes(&gate.master),
        passes(&after.master)
    );
    println!(
        "goal: a playable new master ≤ 3 s: {}",
        if draft.is_some() && playable <= Duration::from_secs(3) {
            "PASS"
        } else {
            "MISS"
        }
    );
}
