//! Reading a file's bytes into sections: one reader per format, each in its own file.

mod docx;
mod html;
mod markdown;
mod pdf;
mod text;

use crate::{Document, Format, Limits, SourceError, SourceErrorKind};

pub(crate) use html::read_html;

/// Reads `bytes` (a file named `name`, or a fetched body) as `format`, or by the name's extension when
/// `format` is `None`. Refused: an unknown format, bytes that are not what the name says, more than the
/// limit, a document with no text.
pub fn read_bytes(name: &str, bytes: &[u8], format: Option<Format>, limits: &Limits) -> Result<Document, SourceError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(name, limits.max_bytes));
    }
    let format = format.or_else(|| Format::from_name(name)).ok_or_else(|| {
        SourceError::new(
            name,
            SourceErrorKind::Unsupported,
            "not a format Showrunner reads (PDF, Markdown, plain text, HTML or DOCX)",
        )
    })?;
    if !format.matches(bytes) {
        return Err(SourceError::new(
            name,
            SourceErrorKind::Unreadable,
            format!("the file is not {}: its contents are something else", article(format)),
        ));
    }
    let mut document = match format {
        Format::Pdf => pdf::read_pdf(name, bytes)?,
        Format::Docx => docx::read_docx(name, bytes)?,
        Format::Markdown => markdown::read_markdown(&decode(bytes)),
        Format::Html => read_html(&decode(bytes)),
        Format::Text | Format::Note => text::read_text(&decode(bytes), format),
    };
    document.sections.retain(|s| !s.text.trim().is_empty());
    if document.sections.is_empty() {
        let hint = if format == Format::Pdf {
            " (a scanned PDF has no text layer to read)"
        } else {
            ""
        };
        return Err(SourceError::new(
            name,
            SourceErrorKind::NoText,
            format!("there is no text in it{hint}"),
        ));
    }
    truncate(&mut document, limits.max_chars);
    Ok(document)
}

/// [`read_bytes`] off the async threads, under the extraction time limit (a pathological PDF is given up
/// on, its thread left to finish on its own).
pub async fn read_in_background(
    name: String,
    bytes: Vec<u8>,
    format: Option<Format>,
    limits: Limits,
) -> Result<Document, SourceError> {
    let label = name.clone();
    let work = tokio::task::spawn_blocking(move || read_bytes(&name, &bytes, format, &limits));
    match tokio::time::timeout(limits.extract_timeout, work).await {
        Ok(Ok(result)) => result,
        Ok(Err(_panicked)) => Err(SourceError::new(
            &label,
            SourceErrorKind::Unreadable,
            "reading the file failed inside its reader",
        )),
        Err(_) => Err(SourceError::new(
            &label,
            SourceErrorKind::TimedOut {
                limit_secs: limits.extract_timeout.as_secs(),
            },
            format!("reading it took longer than {} s", limits.extract_timeout.as_secs()),
        )),
    }
}

/// A note the producer pasted.
pub fn read_note(text: &str) -> Document {
    text::read_text(text, Format::Note)
}

pub(crate) fn too_large(name: &str, limit_bytes: u64) -> SourceError {
    SourceError::new(
        name,
        SourceErrorKind::TooLarge { limit_bytes },
        format!(
            "it is larger than the {} MB a source may be",
            limit_bytes / (1024 * 1024)
        ),
    )
}

fn article(format: Format) -> &'static str {
    match format {
        Format::Pdf => "a PDF",
        Format::Docx => "a Word document (DOCX)",
        Format::Markdown | Format::Text | Format::Html | Format::Note => "text",
    }
}

/// UTF-8 text; a stray invalid byte becomes U+FFFD rather than losing the document.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Keeps the first `max_chars` characters, cutting the section that crosses the limit.
fn truncate(document: &mut Document, max_chars: usize) {
    let mut left = max_chars;
    document.sections.retain_mut(|section| {
        if left == 0 {
            return false;
        }
        let n = section.text.chars().count();
        if n > left {
            section.text = section.text.chars().take(left).collect();
            left = 0;
        } else {
            left -= n;
        }
        true
    });
}

/// Paragraphs joined by blank lines, each with its whitespace folded to single spaces.
pub(crate) fn paragraphs_text<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    paragraphs
        .into_iter()
        .map(fold_whitespace)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub(crate) fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
