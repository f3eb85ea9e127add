//! Plain text and pasted notes: paragraphs split at blank lines, no locations.

use crate::{Document, Format, Section};

use super::paragraphs_text;

pub(crate) fn read_text(text: &str, format: Format) -> Document {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let paragraphs: Vec<&str> = normalized.split("\n\n").collect();
    Document {
        format,
        title: None,
        sections: vec![Section {
            location: None,
            text: paragraphs_text(paragraphs),
        }],
    }
}
