//! Chapters: one per script segment, starting where the segment's first line starts on the master and
//! ending where the next begins (the last at the end of the master). Written as Podcasting 2.0 JSON chapters.

use serde::Serialize;
use showrunner_domain::artifacts::{Master, Script};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    pub title: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

/// Chapters from the master's real cue times (a segment none of whose lines is on the master is skipped).
pub fn chapters(master: &Master, script: &Script) -> Vec<Chapter> {
    let starts: Vec<(String, u64)> = script
        .segments
        .iter()
        .filter_map(|segment| {
            let start = segment
                .lines
                .iter()
                .filter_map(|l| master.cues.iter().find(|c| c.line_id == l.id))
                .map(|c| c.start_ms)
                .min()?;
            Some((segment.title.clone(), start))
        })
        .collect();
    let mut out: Vec<Chapter> = Vec::with_capacity(starts.len());
    for (i, (title, start)) in starts.iter().enumerate() {
        // The first chapter starts at 0 so the intro before the first line belongs to it.
        let start_ms = if i == 0 { 0 } else { *start };
        let end_ms = starts.get(i + 1).map_or(master.duration_ms, |n| n.1).max(start_ms);
        out.push(Chapter {
            title: title.clone(),
            start_ms,
            end_ms,
        });
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonChapter<'a> {
    start_time: f64,
    end_time: f64,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonChapters<'a> {
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    chapters: Vec<JsonChapter<'a>>,
}

/// `{"version": "1.2.0", "chapters": [{"startTime": 0, "endTime": 61.25, "title": "…"}]}`, seconds.
pub fn chapters_json(chapters: &[Chapter], title: Option<&str>) -> Vec<u8> {
    let doc = JsonChapters {
        version: "1.2.0",
        title,
        chapters: chapters
            .iter()
            .map(|c| JsonChapter {
                start_time: c.start_ms as f64 / 1000.0,
                end_time: c.end_ms as f64 / 1000.0,
                title: &c.title,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
