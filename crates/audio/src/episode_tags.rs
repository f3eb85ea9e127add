//! ID3v2.4 tags for an exported episode: title, show, episode number, date, description, cover art, and one
//! CHAP frame per chapter under a top-level ordered CTOC, so podcast apps show chapters from the file itself.

use std::io::Cursor;

use id3::frame::{Chapter, Content, Picture, PictureType, TableOfContents};
use id3::{Frame, Tag, TagLike, Version};

use crate::AudioError;

#[derive(Debug, Clone, PartialEq)]
pub struct ChapterTag {
    pub title: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoverArt {
    /// e.g. `image/jpeg`.
    pub mime: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EpisodeTags {
    pub title: String,
    /// Written as album and artist, which is where players look for the show.
    pub show: String,
    pub episode_number: Option<u32>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub description: String,
    pub chapters: Vec<ChapterTag>,
    pub cover: Option<CoverArt>,
}

/// `mp3` with any ID3v2 tag it had replaced by `tags` (v2.4).
pub fn tag_episode(mp3: &[u8], tags: &EpisodeTags) -> Result<Vec<u8>, AudioError> {
    let audio = strip_id3v2(mp3);
    let mut tag = Tag::new();
    tag.set_title(tags.title.as_str());
    tag.set_album(tags.show.as_str());
    tag.set_artist(tags.show.as_str());
    tag.set_genre("Podcast");
    if let Some(n) = tags.episode_number {
        tag.set_track(n);
    }
    if let Some(date) = &tags.date {
        tag.add_frame(Frame::text("TDRC", date.as_str()));
    }
    if !tags.description.is_empty() {
        tag.add_frame(id3::frame::Comment {
            lang: "eng".into(),
            description: String::new(),
            text: tags.description.clone(),
        });
    }
    if let Some(cover) = &tags.cover {
        tag.add_frame(Picture {
            mime_type: cover.mime.clone(),
            picture_type: PictureType::CoverFront,
            description: String::new(),
            data: cover.bytes.clone(),
        });
    }
    if !tags.chapters.is_empty() {
        let ids: Vec<String> = (1..=tags.chapters.len()).map(|i| format!("chp{i}")).collect();
        tag.add_frame(Frame::with_content(
            "CTOC",
            Content::TableOfContents(TableOfContents {
                element_id: "toc".into(),
                top_level: true,
                ordered: true,
                elements: ids.clone(),
                frames: Vec::new(),
            }),
        ));
        for (id, chapter) in ids.into_iter().zip(&tags.chapters) {
            tag.add_frame(Frame::with_content(
                "CHAP",
                Content::Chapter(Chapter {
                    element_id: id,
                    start_time: ms_u32(chapter.start_ms),
                    end_time: ms_u32(chapter.end_ms),
                    // No byte offsets: the spec's "unknown" value.
                    start_offset: u32::MAX,
                    end_offset: u32::MAX,
                    frames: vec![Frame::text("TIT2", chapter.title.as_str())],
                }),
            ));
        }
    }
    let mut out = Cursor::new(Vec::with_capacity(audio.len() + 4096));
    tag.write_to(&mut out, Version::Id3v24)
        .map_err(|e| AudioError::Encode(format!("the ID3 tag could not be written ({e})")))?;
    let mut out = out.into_inner();
    out.extend_from_slice(audio);
    Ok(out)
}

fn ms_u32(ms: u64) -> u32 {
    u32::try_from(ms).unwrap_or(u32::MAX)
}

/// The bytes after a leading ID3v2 tag, if there is one (size is a 28-bit synchsafe integer, plus a footer
/// when flag bit 4 is set).
fn strip_id3v2(mp3: &[u8]) -> &[u8] {
    if mp3.len() < 10 || &mp3[..3] != b"ID3" {
        return mp3;
    }
    let size = mp3[6..10]
        .iter()
        .fold(0usize, |acc, &b| (acc << 7) | usize::from(b & 0x7f));
    let footer = if mp3[5] & 0x10 != 0 { 10 } else { 0 };
    mp3.get(10 + size + footer..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> EpisodeTags {
        EpisodeTags {
            title: "Lighthouses".into(),
            show: "Night Shift".into(),
            episode_number: Some(3),
            date: Some("2026-12-03".into()),
            description: "How lamps kept ships safe.".into(),
            chapters: vec![
                ChapterTag {
                    title: "Opening".into(),
                    start_ms: 0,
                    end_ms: 61_250,
                },
                ChapterTag {
                    title: "Fresnel's lens".into(),
                    start_ms: 61_250,
                    end_ms: 200_000,
                },
            ],
            cover: Some(CoverArt {
                mime: "image/png".into(),
                bytes: vec![0x89, b'P', b'N', b'G'],
            }),
        }
    }

    #[test]
    fn the_tag_reads_back_with_its_chapters_in_order_and_the_audio_untouched() {
        let audio = vec![0xFFu8, 0xFB, 0x90, 0x64, 1, 2, 3, 4];
        let tagged = tag_episode(&audio, &tags()).unwrap();
        assert!(tagged.ends_with(&audio));
        let tag = Tag::read_from2(Cursor::new(&tagged)).unwrap();
        assert_eq!(tag.version(), Version::Id3v24);
        assert_eq!(tag.title(), Some("Lighthouses"));
        assert_eq!(tag.album(), Some("Night Shift"));
        assert_eq!(tag.track(), Some(3));
        assert_eq!(tag.pictures().count(), 1);
        let chapters: Vec<(u32, u32, String)> = tag
            .chapters()
            .map(|c| {
                let title = c
                    .frames
                    .iter()
                    .find_map(|f| f.content().text())
                    .unwrap_or("")
                    .to_owned();
                (c.start_time, c.end_time, title)
            })
            .collect();
        assert_eq!(
            chapters,
            vec![
                (0, 61_250, "Opening".into()),
                (61_250, 200_000, "Fresnel's lens".into())
            ]
        );
        let toc = tag.tables_of_contents().next().unwrap();
        assert!(toc.top_level && toc.ordered);
        assert_eq!(toc.elements, vec!["chp1", "chp2"]);
    }

    #[test]
    fn tagging_twice_replaces_the_old_tag_instead_of_stacking_two() {
        let audio = vec![0xFFu8, 0xFB, 0x90, 0x64, 9, 9];
        let once = tag_episode(&audio, &tags()).unwrap();
        let mut retitled = tags();
        retitled.title = "DRAFT: Lighthouses".into();
        let twice = tag_episode(&once, &retitled).unwrap();
        assert_eq!(strip_id3v2(&twice), audio.as_slice());
        assert_eq!(
            Tag::read_from2(Cursor::new(&twice)).unwrap().title(),
            Some("DRAFT: Lighthouses")
        );
    }
}
