//! `showrunner regenerate`, `takes` and `keep-take`: line-level audio at the release gate.

use std::time::Instant;

use showrunner_api::domain::{EpisodeId, Pronunciation};
use showrunner_api::draft_master;
use showrunner_api::line_takes::{self, KeepTake, RegenerateLine};
use showrunner_api::revoice::{self, Revoice};
use showrunner_api::{ApiError, App, ErrorCode};

use crate::output::json;

/// What `regenerate` changes in the line's next take.
pub struct Change {
    pub text: Option<String>,
    pub voice: Option<String>,
    pub engine: Option<String>,
    /// `WORD=SAY_AS`.
    pub pronounce: Option<String>,
}

fn pronunciation(arg: &str) -> Result<Pronunciation, ApiError> {
    let (word, say_as) = arg.split_once('=').ok_or_else(|| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "pronunciation",
            "Write the pronunciation as WORD=SAY_AS, e.g. --pronounce GIF=jif.",
        )
    })?;
    Ok(Pronunciation {
        word: word.to_owned(),
        say_as: say_as.to_owned(),
    })
}

pub async fn regenerate(app: &App, id: &EpisodeId, line: &str, change: Change, as_json: bool) -> Result<(), ApiError> {
    let request = RegenerateLine {
        line_id: line.trim().to_owned(),
        master_version: line_takes::master_version(app, id).await?,
        text: change.text,
        voice: change.voice,
        engine: change.engine,
        pronunciation: change.pronounce.as_deref().map(pronunciation).transpose()?,
    };
    let chosen = line_takes::regenerate_line(app, id, request).await?;
    if as_json {
        return json(&chosen);
    }
    eprintln!(
        "Regenerating line {} as take {}; the new master waits at the release gate.",
        chosen.line_id, chosen.take
    );
    Ok(())
}

/// While the run re-masters after a regenerate or a kept take, says once where the draft master with the
/// new take is: playable before the finished master, which follows at the release gate. It looks when the
/// engine announces a change (the master stage does once the draft is written), not on a timer.
pub fn announce_draft(app: &App, id: &EpisodeId) -> tokio::task::JoinHandle<()> {
    let (app, id, asked) = (app.clone(), id.clone(), Instant::now());
    let mut changes = app.engine().subscribe();
    tokio::spawn(async move {
        loop {
            match draft_master::draft_master(&app, &id).await {
                Ok(Some(d)) => {
                    eprintln!(
                        "Draft master with take {} of line {} ready {:.1} s after the request (the line starts at {}): {}\n  The finished master follows at the release gate.",
                        d.take,
                        d.line_id,
                        asked.elapsed().as_secs_f64(),
                        crate::output::duration(Some(d.cue.start_ms)),
                        d.wav_path
                    );
                    return;
                }
                Ok(None) => {}
                // The run's own progress says what went wrong.
                Err(_) => return,
            }
            // A lagged receiver still means something changed; a closed one means nothing more will.
            if let Err(tokio::sync::broadcast::error::RecvError::Closed) = changes.recv().await {
                return;
            }
        }
    })
}

pub async fn list(app: &App, id: &EpisodeId, line: &str, as_json: bool) -> Result<(), ApiError> {
    let view = line_takes::line_takes(app, id, line.trim()).await?;
    if as_json {
        return json(&view);
    }
    println!("Line {} ({}):", view.line_id, view.speaker);
    for t in &view.takes {
        let mark = if t.in_master { "*" } else { " " };
        let length = t
            .duration_ms
            .map_or("not spoken yet".to_owned(), |ms| format!("{:.1} s", ms as f64 / 1000.0));
        println!("{mark} take {:<3} {:<28} {length}", t.take, t.change);
        println!("      {}", t.text);
        if let Some(path) = &t.wav_path {
            println!("      {path}");
        }
    }
    Ok(())
}

pub async fn keep(app: &App, id: &EpisodeId, line: &str, take: u32) -> Result<(), ApiError> {
    let request = KeepTake {
        line_id: line.trim().to_owned(),
        take,
        master_version: line_takes::master_version(app, id).await?,
    };
    let chosen = line_takes::keep_take(app, id, request).await?;
    eprintln!(
        "Keeping take {} of line {}; the episode is re-mastered and waits at the release gate.",
        chosen.take, chosen.line_id
    );
    Ok(())
}

/// Prints the re-voice's estimate, asks (unless `yes`), then decides it; returns whether it went ahead.
pub async fn revoice(
    app: &App,
    id: &EpisodeId,
    host: String,
    voice: String,
    engine: Option<String>,
    yes: bool,
) -> Result<bool, ApiError> {
    let request = Revoice {
        host,
        voice,
        engine,
        master_version: line_takes::master_version(app, id).await?,
    };
    let estimate = revoice::revoice_estimate(app, id, &request).await?;
    eprintln!(
        "Re-voicing {}: {} lines ({} characters) with {} on {}, reserving at most {}.",
        estimate.host, estimate.lines, estimate.characters, request.voice, estimate.engine, estimate.estimate
    );
    if !yes && !confirm("Go ahead? [y/N] ") {
        eprintln!("Nothing was changed.");
        return Ok(false);
    }
    revoice::revoice(app, id, request).await?;
    eprintln!("Re-voicing; the new master waits at the release gate.");
    Ok(true)
}

fn confirm(prompt: &str) -> bool {
    use std::io::Write;
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && matches!(answer.trim(), "y" | "Y" | "yes")
}
