//! ID3v2.4 tags for a finished episode: title, show, episode number, date, description, cover art and
//! chapters (one CHAP per chapter under a single ordered, top-level CTOC), written with the `id3` crate.
//! A tag already in the file is replaced, so the export can re-tag a master with the show notes' text.

use std::io::Cursor;
use std::path::Path;

use id3::frame::{Chapter, Comment, Picture, PictureType, TableOfContents};
use id3::{Frame, Tag, TagLike, Timestamp, Version};

use crate::AudioError;

/// The episode's cover art, as stored for the show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverArt {
    /// `image/jpeg` or `image/png`.
    pub mime_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterTag {
    pub title: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

impl ChapterTag {
    pub fn new(title: &str, start_ms: u64, end_ms: u64) -> ChapterTag {
        ChapterTag {
            title: title.to_owned(),
            start_ms,
            end_ms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EpisodeTags {
    pub title: String,
    /// Written as album and artist, the fields podcast apps show as the show's name.
    pub show: String,
    pub episode_number: Option<u32>,
    /// `YYYY-MM-DD` (or any ISO 8601 prefix); anything else is refused.
    pub date: Option<String>,
    pub description: String,
    pub cover: Option<CoverArt>,
    pub chapters: Vec<ChapterTag>,
}

fn tag_error(what: &str, e: impl std::fmt::Display) -> AudioError {
    AudioError::Encode(format!("the ID3 tag could not be {what} ({e})"))
}

fn build(tags: &EpisodeTags) -> Result<Tag, AudioError> {
    let mut tag = Tag::new();
    tag.set_title(tags.title.as_str());
    tag.set_album(tags.show.as_str());
    tag.set_artist(tags.show.as_str());
    tag.set_genre("Podcast");
    if let Some(n) = tags.episode_number {
        tag.set_track(n);
    }
    if let Some(date) = &tags.date {
        let ts: Timestamp = date
            .parse()
            .map_err(|_| AudioError::invalid(format!("'{date}' is not a date (use YYYY-MM-DD)")))?;
        tag.set_date_recorded(ts);
        tag.set_date_released(ts);
    }
    if !tags.description.is_empty() {
        tag.add_frame(Comment {
            lang: "eng".into(),
            description: String::new(),
            text: tags.description.clone(),
        });
    }
    if let Some(cover) = &tags.cover {
        tag.add_frame(Picture {
            mime_type: cover.mime_type.clone(),
            picture_type: PictureType::CoverFront,
            description: "Cover".into(),
            data: cover.data.clone(),
        });
    }
    let ms = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    let mut ids = Vec::with_capacity(tags.chapters.len());
    for (i, ch) in tags.chapters.iter().enumerate() {
        if ch.end_ms < ch.start_ms {
            return Err(AudioError::invalid(format!(
                "chapter {} ('{}') ends before it starts",
                i + 1,
                ch.title
            )));
        }
        let id = format!("chp{i}");
        tag.add_frame(Chapter {
            element_id: id.clone(),
            start_time: ms(ch.start_ms),
            end_time: ms(ch.end_ms),
            // No byte offsets: players seek by time.
            start_offset: u32::MAX,
            end_offset: u32::MAX,
            frames: vec![Frame::text("TIT2", ch.title.as_str())],
        });
        ids.push(id);
    }
    if !ids.is_empty() {
        tag.add_frame(TableOfContents {
            element_id: "toc".into(),
            top_level: true,
            ordered: true,
            elements: ids,
            frames: vec![Frame::text("TIT2", "Chapters")],
        });
    }
    Ok(tag)
}

/// Returns `mp3` with its ID3v2 tag replaced by one built from `tags`.
pub fn tag_episode(mp3: &[u8], tags: &EpisodeTags) -> Result<Vec<u8>, AudioError> {
    let tag = build(tags)?;
    let mut file = Cursor::new(mp3.to_vec());
    tag.write_to_file(&mut file, Version::Id3v24)
        .map_err(|e| tag_error("written", e))?;
    Ok(file.into_inner())
}

/// Re-tags the MP3 at `path` in place.
pub fn tag_episode_file(path: &Path, tags: &EpisodeTags) -> Result<(), AudioError> {
    let tag = build(tags)?;
    tag.write_to_path(path, Version::Id3v24)
        .map_err(|e| tag_error(&format!("written to {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode_mp3;
    use crate::test_support::sine_wav;

    fn tags() -> EpisodeTags {
        EpisodeTags {
            title: "Harbour lights".into(),
            show: "Deep Dive".into(),
            episode_number: Some(7),
            date: Some("2026-12-03".into()),
            description: "Why lighthouses still matter.".into(),
            cover: Some(CoverArt {
                mime_type: "image/png".into(),
                data: vec![0x89, b'P', b'N', b'G', 1, 2, 3],
            }),
            chapters: vec![
                ChapterTag {
                    title: "Opening".into(),
                    start_ms: 0,
                    end_ms: 1_200,
                },
                ChapterTag {
                    title: "The keepers".into(),
                    start_ms: 1_200,
                    end_ms: 2_000,
                },
            ],
        }
    }

    #[test]
    fn the_tag_reads_back_with_chapters_in_order() {
        let mp3 = encode_mp3(&sine_wav(44_100, 1, 2_000), 128).unwrap();
        let tagged = tag_episode(&mp3, &tags()).unwrap();
        let tag = Tag::read_from2(Cursor::new(&tagged)).unwrap();
        assert_eq!(tag.version(), Version::Id3v24);
        assert_eq!(
            (tag.title(), tag.album(), tag.artist()),
            (Some("Harbour lights"), Some("Deep Dive"), Some("Deep Dive"))
        );
        assert_eq!(tag.track(), Some(7));
        assert_eq!(tag.date_recorded().map(|d| d.to_string()), Some("2026-12-03".into()));
        assert_eq!(
            tag.comments().next().map(|c| c.text.as_str()),
            Some("Why lighthouses still matter.")
        );
        assert_eq!(tag.pictures().next().map(|p| p.mime_type.as_str()), Some("image/png"));
        let chapters: Vec<(u32, u32, Option<&str>)> = tag
            .chapters()
            .map(|c| {
                (
                    c.start_time,
                    c.end_time,
                    c.frames.iter().find_map(|f| f.content().text()),
                )
            })
            .collect();
        assert_eq!(
            chapters,
            vec![(0, 1_200, Some("Opening")), (1_200, 2_000, Some("The keepers"))]
        );
        let toc = tag.tables_of_contents().next().unwrap();
        assert!(toc.top_level && toc.ordered);
        assert_eq!(toc.elements, ["chp0", "chp1"]);
        // The audio after the tag is untouched.
        assert!(tagged.ends_with(&mp3));
    }

    #[test]
    fn retagging_replaces_the_old_tag() {
        let mp3 = encode_mp3(&sine_wav(44_100, 1, 500), 128).unwrap();
        let once = tag_episode(&mp3, &tags()).unwrap();
        let mut other = tags();
        other.description = "Show notes text.".into();
        other.cover = None;
        let twice = tag_episode(&once, &other).unwrap();
        let tag = Tag::read_from2(Cursor::new(&twice)).unwrap();
        assert_eq!(tag.comments().count(), 1);
        assert_eq!(tag.comments().next().unwrap().text, "Show notes text.");
        assert_eq!(tag.pictures().count(), 0);
        assert!(twice.ends_with(&mp3));
    }

    #[test]
    fn a_bad_date_or_backwards_chapter_is_refused() {
        let mp3 = encode_mp3(&sine_wav(44_100, 1, 200), 128).unwrap();
        let mut t = tags();
        t.date = Some("third of December".into());
        assert_eq!(tag_episode(&mp3, &t).unwrap_err().code(), "audio_invalid");
        let mut t = tags();
        t.chapters[1].end_ms = 100;
        assert_eq!(tag_episode(&mp3, &t).unwrap_err().code(), "audio_invalid");
    }
}
