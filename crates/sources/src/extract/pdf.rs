//! PDF: the text layer of each page (lopdf), one section per page so a fact can cite its page.

use crate::{Document, Format, Location, Section, SourceError, SourceErrorKind};

use super::paragraphs_text;

/// A page's streams may not inflate past this (a zip-bomb stream is refused, not read into memory).
const MAX_PAGE_DECOMPRESSED: usize = 64 * 1024 * 1024;

pub(crate) fn read_pdf(name: &str, bytes: &[u8]) -> Result<Document, SourceError> {
    let unreadable = |why: String| SourceError::new(name, SourceErrorKind::Unreadable, why);
    let pdf = lopdf::Document::load_mem(bytes).map_err(|e| unreadable(format!("the PDF cannot be read ({e})")))?;
    if pdf.is_encrypted() {
        return Err(unreadable("the PDF is password-protected".into()));
    }
    let mut sections = Vec::new();
    for number in pdf.get_pages().keys().copied() {
        // A page whose text cannot be decoded is skipped; the others still count.
        let Ok(text) = pdf.extract_text_with_limit(&[number], MAX_PAGE_DECOMPRESSED) else {
            continue;
        };
        // lopdf ends each text line with a newline; a blank line (or none) separates paragraphs.
        let text = paragraphs_text(text.split("\n\n"));
        if !text.is_empty() {
            sections.push(Section {
                location: Some(Location::Page(number)),
                text,
            });
        }
    }
    Ok(Document {
        format: Format::Pdf,
        title: None,
        sections,
    })
}
