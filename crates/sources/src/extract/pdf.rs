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

#[cfg(test)]
mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Object, Stream};

    use super::*;

    /// A two-page PDF with one line of Helvetica text per page, built with lopdf's writer.
    fn pdf(pages: &[&str]) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
        let mut kids = Vec::new();
        for text in pages {
            let content = Content {
                operations: vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 12.into()]),
                    Operation::new("Td", vec![72.into(), 700.into()]),
                    Operation::new("Tj", vec![Object::string_literal(*text)]),
                    Operation::new("ET", vec![]),
                ],
            };
            let stream = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
                "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            });
            kids.push(page.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn each_page_is_its_own_section() {
        let bytes = pdf(&["Keepers lit the lamp at dusk.", "Fog horns sounded every minute."]);
        let doc = read_pdf("keepers.pdf", &bytes).unwrap();
        let got: Vec<(Option<Location>, &str)> = doc
            .sections
            .iter()
            .map(|s| (s.location.clone(), s.text.trim()))
            .collect();
        assert_eq!(
            got,
            [
                (Some(Location::Page(1)), "Keepers lit the lamp at dusk."),
                (Some(Location::Page(2)), "Fog horns sounded every minute."),
            ]
        );
    }

    #[test]
    fn a_broken_pdf_is_refused_naming_the_file() {
        let err = read_pdf("broken.pdf", b"%PDF-1.5 this is not a pdf").unwrap_err();
        assert_eq!(err.kind, SourceErrorKind::Unreadable);
        assert!(err.to_string().starts_with("broken.pdf: "), "{err}");
    }
}
