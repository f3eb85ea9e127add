//! Export: the release package a producer uploads — the MP3, a WebVTT transcript, chapters JSON, show notes
//! in Markdown. Files are written to a temporary name and renamed, so a failed export leaves no half file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use showrunner_domain::artifacts::{Master, Script};
use showrunner_domain::{ArtifactKind, EpisodeId};

use crate::release::get_release;
use crate::script::current_run;
use crate::{ApiError, App, ErrorCode};

#[derive(Debug, Clone, Serialize)]
pub struct ExportedFile {
    pub name: String,
    pub path: PathBuf,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
struct ChapterJson {
    title: String,
    start_ms: u64,
}

pub async fn export(app: &App, episode_id: &EpisodeId, to: &Path) -> Result<Vec<ExportedFile>, ApiError> {
    let release = get_release(app, episode_id).await?;
    let run = current_run(app, episode_id).await?;
    let script: Script = app
        .store()
        .latest_artifact(&run.id, ArtifactKind::Script)
        .await?
        .and_then(|r| serde_json::from_value(r.content).ok())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "The episode has no script."))?;
    tokio::fs::create_dir_all(to).await.map_err(|e| io_error(to, e))?;
    let mp3 = app.store().blobs().read(&release.master.mp3, "mp3").await?;
    let chapters = chapters(&release.master, &script);
    let mut notes = format!(
        "# {}\n\n",
        release
            .show_notes
            .as_ref()
            .map(|n| n.title.as_str())
            .unwrap_or(&script.title)
    );
    if let Some(n) = &release.show_notes {
        let _ = writeln!(notes, "{}\n\n## Chapters\n", n.summary);
        for c in &chapters {
            let _ = writeln!(notes, "- {} {}", timestamp(c.start_ms), c.title);
        }
        let _ = writeln!(notes, "\n## Sources\n");
        for citation in &n.citations {
            for s in &citation.sources {
                let _ = writeln!(
                    notes,
                    "- [{}] {} — {} ({})",
                    citation.fact_id, citation.statement, s.title, s.url
                );
            }
        }
    }
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("episode.mp3", mp3),
        ("transcript.vtt", vtt(&release.master).into_bytes()),
        (
            "chapters.json",
            serde_json::to_vec_pretty(&chapters).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
        ),
        ("show-notes.md", notes.into_bytes()),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = to.join(name);
        let tmp = to.join(format!(".{name}.partial"));
        tokio::fs::write(&tmp, &bytes).await.map_err(|e| io_error(&tmp, e))?;
        tokio::fs::rename(&tmp, &path).await.map_err(|e| io_error(&path, e))?;
        written.push(ExportedFile {
            name: name.to_owned(),
            path,
            bytes: bytes.len() as u64,
        });
    }
    Ok(written)
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    let code = if e.raw_os_error() == Some(28) {
        ErrorCode::DiskFull
    } else {
        ErrorCode::Storage
    };
    ApiError::new(code, format!("Cannot write {}: {e}", path.display()))
}

/// Chapter starts from the master: where the first line of each segment begins.
fn chapters(master: &Master, script: &Script) -> Vec<ChapterJson> {
    script
        .segments
        .iter()
        .filter_map(|segment| {
            let first = segment.lines.first()?;
            let cue = master.cues.iter().find(|c| c.line_id == first.id)?;
            Some(ChapterJson {
                title: segment.title.clone(),
                start_ms: cue.start_ms,
            })
        })
        .collect()
}

fn timestamp(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// WebVTT with a voice tag per speaker.
pub fn vtt(master: &Master) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for cue in &master.cues {
        let _ = writeln!(
            out,
            "{}\n{} --> {}\n<v {}>{}\n",
            cue.line_id,
            timestamp(cue.start_ms),
            timestamp(cue.end_ms),
            cue.speaker,
            cue.text
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::artifacts::Cue;
    use showrunner_domain::BlobHash;

    #[test]
    fn the_transcript_is_valid_webvtt_with_speakers() {
        let master = Master {
            wav: BlobHash("a".into()),
            mp3: BlobHash("b".into()),
            duration_ms: 5_000,
            sample_rate: 22_050,
            cues: vec![Cue {
                line_id: "S1-L1".into(),
                speaker: "Alex".into(),
                text: "Hello.".into(),
                start_ms: 0,
                end_ms: 1_250,
            }],
            figures: None,
            chapters: Vec::new(),
        };
        assert_eq!(
            vtt(&master),
            "WEBVTT\n\nS1-L1\n00:00:00.000 --> 00:00:01.250\n<v Alex>Hello.\n\n"
        );
    }
}
