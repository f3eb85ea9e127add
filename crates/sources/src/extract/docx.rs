//! DOCX: a zip whose `word/document.xml` holds paragraphs (`w:p`) of runs (`w:t`); a paragraph styled as a
//! heading or title starts a section.

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::{Document, Format, Location, Section, SourceError, SourceErrorKind};

use super::{fold_whitespace, paragraphs_text};

/// `word/document.xml` may not inflate past this.
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

pub(crate) fn read_docx(name: &str, bytes: &[u8]) -> Result<Document, SourceError> {
    let unreadable = |why: String| SourceError::new(name, SourceErrorKind::Unreadable, why);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(format!("the Word document cannot be opened ({e})")))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| unreadable("it is a zip file but not a Word document (no word/document.xml)".into()))?
        .take(MAX_XML_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| unreadable(format!("the Word document's text cannot be read ({e})")))?;
    paragraphs(&xml).map_err(|e| unreadable(format!("the Word document's XML is broken ({e})")))
}

fn paragraphs(xml: &str) -> Result<Document, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut sections = Vec::new();
    let mut title = None;
    let mut location = None;
    let mut body: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut is_heading = false;
    let mut in_text = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.name().0 == "w:pStyle" => {
                if let Some(style) = e.try_get_attribute("w:val").ok().flatten() {
                    let style = style.value.to_ascii_lowercase();
                    is_heading = style.starts_with("heading") || style == "title";
                }
            }
            Event::Start(e) if e.name().0 == "w:p" => {
                paragraph.clear();
                is_heading = false;
            }
            Event::Start(e) if e.name().0 == "w:t" => in_text = true,
            Event::End(e) if e.name().0 == "w:t" => in_text = false,
            Event::Empty(e) if matches!(e.name().0, "w:tab" | "w:br") => paragraph.push(' '),
            Event::Text(t) if in_text => paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    paragraph.push(c);
                } else {
                    let entity = r.xml10_content();
                    paragraph.push_str(match entity.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) if e.name().0 == "w:p" => {
                let text = fold_whitespace(&paragraph);
                if text.is_empty() {
                    continue;
                }
                if is_heading {
                    flush(&mut sections, location.take(), &mut body);
                    title.get_or_insert_with(|| text.clone());
                    location = Some(Location::Section(text));
                } else {
                    body.push(text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    flush(&mut sections, location, &mut body);
    Ok(Document {
        format: Format::Docx,
        title,
        sections,
    })
}

fn flush(sections: &mut Vec<Section>, location: Option<Location>, body: &mut Vec<String>) {
    if !body.is_empty() {
        sections.push(Section {
            location,
            text: paragraphs_text(body.iter().map(String::as_str)),
        });
        body.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn docx(document_xml: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(document_xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn heading_styles_start_sections_and_runs_join() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Fog signals</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Horns sounded </w:t></w:r><w:r><w:t>every minute &amp; more.</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let doc = read_docx("notes.docx", &docx(xml)).unwrap();
        assert_eq!(
            doc.sections,
            vec![Section {
                location: Some(Location::Section("Fog signals".into())),
                text: "Horns sounded every minute & more.".into()
            }]
        );
    }

    #[test]
    fn a_zip_that_is_not_a_word_document_is_refused_by_name() {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("other.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hi").unwrap();
        zip.finish().unwrap();
        let err = read_docx("report.docx", &out.into_inner()).unwrap_err();
        assert_eq!(err.kind, SourceErrorKind::Unreadable);
        assert!(err.to_string().starts_with("report.docx: "), "{err}");
    }
}
