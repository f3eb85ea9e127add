//! RSS 2.0 with the iTunes and Podcasting 2.0 namespaces: one episode's `<item>` (the package's `item.xml`)
//! and a show's whole `feed.xml`. Written with quick-xml's writer, which escapes text and attributes;
//! characters XML 1.0 cannot hold at all (most control characters) are dropped first.

use std::io::Cursor;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use serde::{Deserialize, Serialize};
pub use showrunner_domain::utc::{date as iso_date, rfc2822};

pub const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";

/// One episode in a feed. Stored per show (setting `feed_entries.<show id>`) so the feed can be rewritten
/// whole on every release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    /// The episode id: stable, so releasing an episode again replaces its item.
    pub guid: String,
    pub title: String,
    pub description: String,
    /// RFC 2822, as RSS 2.0 wants.
    pub pub_date: String,
    pub enclosure_url: String,
    pub enclosure_length: u64,
    pub duration_ms: u64,
    pub transcript_url: String,
    pub chapters_url: String,
    pub episode_number: Option<u32>,
    /// The show's cover art beside the package (`cover.png`/`cover.jpg`), when the show has artwork.
    #[serde(default)]
    pub image_url: Option<String>,
}

/// The channel of a feed, from the show's feed settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub author: String,
    pub language: String,
    pub category: String,
    pub artwork_url: Option<String>,
}

/// Only characters XML 1.0 allows (`#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`).
pub(crate) fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
        .collect()
}

/// `HH:MM:SS`, rounded to the nearest second.
pub fn itunes_duration(ms: u64) -> String {
    let s = (ms + 500) / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

type W = Writer<Cursor<Vec<u8>>>;

fn text_element(w: &mut W, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_chars(text)))?;
    Ok(())
}

fn write_item(w: &mut W, item: &FeedItem, declare_namespaces: bool) -> std::io::Result<()> {
    let mut element = w.create_element("item");
    if declare_namespaces {
        // A standalone item carries the declarations an <rss> element would, so it parses on its own.
        element = element
            .with_attribute(("xmlns:itunes", ITUNES_NS))
            .with_attribute(("xmlns:podcast", PODCAST_NS));
    }
    element.write_inner_content(|w| {
        text_element(w, "title", &item.title)?;
        text_element(w, "description", &item.description)?;
        w.create_element("guid")
            .with_attribute(("isPermaLink", "false"))
            .write_text_content(BytesText::new(&xml_chars(&item.guid)))?;
        text_element(w, "pubDate", &item.pub_date)?;
        let length = item.enclosure_length.to_string();
        w.create_element("enclosure")
            .with_attribute(("url", xml_chars(&item.enclosure_url).as_str()))
            .with_attribute(("length", length.as_str()))
            .with_attribute(("type", "audio/mpeg"))
            .write_empty()?;
        text_element(w, "itunes:duration", &itunes_duration(item.duration_ms))?;
        if let Some(n) = item.episode_number {
            text_element(w, "itunes:episode", &n.to_string())?;
        }
        text_element(w, "itunes:episodeType", "full")?;
        if let Some(image) = &item.image_url {
            w.create_element("itunes:image")
                .with_attribute(("href", xml_chars(image).as_str()))
                .write_empty()?;
        }
        w.create_element("podcast:transcript")
            .with_attribute(("url", xml_chars(&item.transcript_url).as_str()))
            .with_attribute(("type", "text/vtt"))
            .write_empty()?;
        w.create_element("podcast:chapters")
            .with_attribute(("url", xml_chars(&item.chapters_url).as_str()))
            .with_attribute(("type", "application/json+chapters"))
            .write_empty()?;
        Ok(())
    })?;
    Ok(())
}

fn document(body: impl FnOnce(&mut W) -> std::io::Result<()>) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let written = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| body(&mut w));
    // Writing into memory cannot fail.
    debug_assert!(written.is_ok(), "{written:?}");
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

/// `item.xml`: one `<item>`.
pub fn item_xml(item: &FeedItem) -> Vec<u8> {
    document(|w| write_item(w, item, true))
}

/// `feed.xml`: the channel and its items, in the order given (newest first).
pub fn feed_xml(channel: &Channel, items: &[FeedItem]) -> Vec<u8> {
    document(|w| {
        w.create_element("rss")
            .with_attribute(("version", "2.0"))
            .with_attribute(("xmlns:itunes", ITUNES_NS))
            .with_attribute(("xmlns:podcast", PODCAST_NS))
            .write_inner_content(|w| {
                w.create_element("channel").write_inner_content(|w| {
                    text_element(w, "title", &channel.title)?;
                    text_element(w, "link", &channel.link)?;
                    text_element(w, "description", &channel.description)?;
                    text_element(w, "language", &channel.language)?;
                    text_element(w, "itunes:author", &channel.author)?;
                    w.create_element("itunes:category")
                        .with_attribute(("text", xml_chars(&channel.category).as_str()))
                        .write_empty()?;
                    text_element(w, "itunes:explicit", "false")?;
                    if let Some(art) = &channel.artwork_url {
                        w.create_element("itunes:image")
                            .with_attribute(("href", xml_chars(art).as_str()))
                            .write_empty()?;
                    }
                    for item in items {
                        write_item(w, item, false)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc_2822_in_utc() {
        assert_eq!(rfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        // 2026-12-03T05:36:31Z
        assert_eq!(rfc2822(1_796_276_191_000), "Thu, 03 Dec 2026 05:36:31 +0000");
        assert_eq!(iso_date(1_796_276_191_000), "2026-12-03");
        assert_eq!(rfc2822(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 +0000");
    }

    #[test]
    fn durations_are_hours_minutes_seconds() {
        assert_eq!(itunes_duration(0), "00:00:00");
        assert_eq!(itunes_duration(1_499), "00:00:01");
        assert_eq!(itunes_duration(3_723_600), "01:02:04");
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped_and_the_rest_kept() {
        assert_eq!(xml_chars("a\u{0}b\u{1b}c\td\u{FFFE}é👋"), "abc\tdé👋");
    }
}

#[cfg(test)]
mod parse_back {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    use quick_xml::NsReader;

    /// (namespace, local name, attributes, text) of one element.
    type Element = (String, String, Vec<(String, String)>, String);

    /// Every element, read by a namespace-aware parser that fails on any malformed XML.
    fn elements(xml: &[u8]) -> Vec<Element> {
        let text = std::str::from_utf8(xml).expect("UTF-8");
        let mut reader = NsReader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut out: Vec<Element> = Vec::new();
        // Indexes of the open elements: text belongs to the innermost.
        let mut open: Vec<usize> = Vec::new();
        loop {
            match reader.read_resolved_event() {
                Ok((_, Event::End(_))) => {
                    open.pop();
                }
                Ok((ns, event @ (Event::Start(_) | Event::Empty(_)))) => {
                    let (Event::Start(e) | Event::Empty(e)) = &event else {
                        unreachable!()
                    };
                    let ns = match ns {
                        ResolveResult::Bound(n) => n.as_ref().to_owned(),
                        ResolveResult::Unbound => String::new(),
                        ResolveResult::Unknown(p) => panic!("undeclared prefix {p:?}"),
                    };
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("well-formed attribute");
                            (
                                a.key.as_ref().to_owned(),
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .expect("escaped value")
                                    .into_owned(),
                            )
                        })
                        .collect();
                    out.push((ns, e.local_name().as_ref().to_owned(), attrs, String::new()));
                    if matches!(event, Event::Start(_)) {
                        open.push(out.len() - 1);
                    }
                }
                Ok((_, Event::Text(t))) => {
                    if let Some(&i) = open.last() {
                        out[i].3.push_str(&t.xml10_content());
                    }
                }
                Ok((_, Event::GeneralRef(r))) => {
                    let name = r.xml10_content().into_owned();
                    let c = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unknown entity {other}"),
                    };
                    if let Some(&i) = open.last() {
                        out[i].3.push_str(c);
                    }
                }
                Ok((_, Event::Eof)) => break,
                Ok(_) => {}
                Err(e) => panic!("malformed XML at {}: {e}\n{text}", reader.buffer_position()),
            }
        }
        out
    }

    fn hostile_item() -> FeedItem {
        FeedItem {
            guid: "0193-ep".into(),
            title: "Then --> now: a < b && c > d ]]> \u{0}\u{1b} مرحبا 👋🏽".into(),
            description: "first\n\nsecond <script>alert(1)</script> &amp; \"q\" 'a'".repeat(2_000),
            pub_date: rfc2822(0),
            enclosure_url: "https://example.org/p/ep-1/episode.mp3?a=1&b=\"2\"".into(),
            enclosure_length: 16_900_000,
            duration_ms: 1_500_000,
            transcript_url: "https://example.org/p/ep-1/transcript.vtt".into(),
            chapters_url: "https://example.org/p/ep-1/chapters.json".into(),
            episode_number: Some(7),
            image_url: Some("https://example.org/p/ep-1/cover.png?a=1&b=2".into()),
        }
    }

    #[test]
    fn a_hostile_item_parses_back_with_every_field_intact() {
        let item = hostile_item();
        let els = elements(&item_xml(&item));
        let find = |name: &str| els.iter().find(|e| e.1 == name).unwrap_or_else(|| panic!("no {name}"));
        assert_eq!(find("item").0, "");
        assert_eq!(find("title").3, xml_chars(&item.title));
        assert_eq!(find("description").3, item.description);
        let enclosure = find("enclosure");
        assert_eq!(
            enclosure.2,
            vec![
                ("url".into(), item.enclosure_url.clone()),
                ("length".into(), "16900000".into()),
                ("type".into(), "audio/mpeg".into())
            ]
        );
        let duration = find("duration");
        assert_eq!((duration.0.as_str(), duration.3.as_str()), (ITUNES_NS, "00:25:00"));
        let transcript = find("transcript");
        assert_eq!(transcript.0, PODCAST_NS);
        assert!(transcript.2.contains(&("type".into(), "text/vtt".into())));
        let chapters = find("chapters");
        assert_eq!(chapters.0, PODCAST_NS);
        assert!(chapters
            .2
            .contains(&("type".into(), "application/json+chapters".into())));
        let image = find("image");
        assert_eq!(image.0, ITUNES_NS);
        assert_eq!(image.2, vec![("href".into(), item.image_url.clone().unwrap())]);
    }

    #[test]
    fn an_item_without_artwork_has_no_image() {
        let item = FeedItem {
            image_url: None,
            ..hostile_item()
        };
        assert!(!elements(&item_xml(&item)).iter().any(|e| e.1 == "image"));
    }

    #[test]
    fn a_feed_holds_its_channel_and_every_item_in_order() {
        let channel = Channel {
            title: "Night & Day <Show>".into(),
            link: "https://example.org/p".into(),
            description: "About\u{7} things".into(),
            author: "Ana".into(),
            language: "en".into(),
            category: "Science & Technology".into(),
            artwork_url: Some("https://example.org/p/art.jpg".into()),
        };
        let mut second = hostile_item();
        second.guid = "second".into();
        let els = elements(&feed_xml(&channel, &[second, hostile_item()]));
        assert_eq!(els[0].1, "rss");
        assert!(els[0].2.contains(&("version".into(), "2.0".into())));
        assert_eq!(els.iter().filter(|e| e.1 == "item").count(), 2);
        let guids: Vec<&str> = els.iter().filter(|e| e.1 == "guid").map(|e| e.3.as_str()).collect();
        assert_eq!(guids, ["second", "0193-ep"]);
        assert_eq!(els.iter().find(|e| e.1 == "title").unwrap().3, "Night & Day <Show>");
        let category = els.iter().find(|e| e.1 == "category").unwrap();
        assert_eq!(
            (category.0.as_str(), category.2[0].1.as_str()),
            (ITUNES_NS, "Science & Technology")
        );
        assert!(els.iter().any(|e| e.1 == "image" && e.0 == ITUNES_NS));
    }
}
