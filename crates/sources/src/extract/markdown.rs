//! Markdown (and HTML, once turned into Markdown): a section per heading, paragraphs and list items as
//! paragraphs, markup dropped.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::{Document, Format, Location, Section};

use super::{fold_whitespace, paragraphs_text};

pub(crate) fn read_markdown(markdown: &str) -> Document {
    read_as(markdown, Format::Markdown)
}

pub(crate) fn read_as(markdown: &str, format: Format) -> Document {
    let mut sections = Vec::new();
    let mut title = None;
    let mut location: Option<Location> = None;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, &mut paragraphs);
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = fold_whitespace(&heading.take().unwrap_or_default());
                if !text.is_empty() {
                    push_section(&mut sections, location.take(), &mut paragraphs);
                    title.get_or_insert_with(|| text.clone());
                    location = Some(Location::Section(text));
                }
            }
            Event::Text(t) | Event::Code(t) => match heading.as_mut() {
                Some(h) => h.push_str(&t),
                None => current.push_str(&t),
            },
            Event::SoftBreak | Event::HardBreak => match heading.as_mut() {
                Some(h) => h.push(' '),
                None => current.push(' '),
            },
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableCell)
            | Event::Start(Tag::Item)
            | Event::Rule => flush(&mut current, &mut paragraphs),
            _ => {}
        }
    }
    flush(&mut current, &mut paragraphs);
    push_section(&mut sections, location, &mut paragraphs);
    Document {
        format,
        title,
        sections,
    }
}

fn flush(current: &mut String, paragraphs: &mut Vec<String>) {
    let text = fold_whitespace(current);
    if !text.is_empty() {
        paragraphs.push(text);
    }
    current.clear();
}

fn push_section(sections: &mut Vec<Section>, location: Option<Location>, paragraphs: &mut Vec<String>) {
    if paragraphs.is_empty() {
        return;
    }
    sections.push(Section {
        location,
        text: paragraphs_text(paragraphs.iter().map(String::as_str)),
    });
    paragraphs.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_sections_and_markup_is_dropped() {
        let doc = read_markdown(
            "# Lighthouses\n\nIntro *text* here.\n\n## The keepers\n\nKeepers trimmed the **wick**.\n- One item\n- Two\n",
        );
        assert_eq!(doc.title.as_deref(), Some("Lighthouses"));
        assert_eq!(
            doc.sections,
            vec![
                Section {
                    location: Some(Location::Section("Lighthouses".into())),
                    text: "Intro text here.".into()
                },
                Section {
                    location: Some(Location::Section("The keepers".into())),
                    text: "Keepers trimmed the wick.\n\nOne item\n\nTwo".into()
                },
            ]
        );
    }
}
