//! A producer's sources as text the research can cite: files (PDF, Markdown, plain text, HTML, DOCX), web
//! addresses fetched once, and pasted notes. Each is read into [`Document`] sections that know where they
//! are (a PDF's page, a heading's section), then cut into [`Chunk`]s for the index.
//!
//! Nothing here touches the store: the api reads, this crate extracts, the store indexes.

mod chunk;
mod error;
mod extract;
mod fetch;
mod format;
mod limits;

pub use chunk::{chunk_document, sentences, Chunk, CHUNK_CHARS};
pub use error::{SourceError, SourceErrorKind};
pub use extract::{read_bytes, read_in_background, read_note};
pub use fetch::{fetch_url, Fetched};
pub use format::Format;
pub use limits::Limits;

/// Where in a document a piece of text is: what a citation names beside the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A PDF's page, counted from 1.
    Page(u32),
    /// The heading the text sits under (Markdown, HTML, DOCX).
    Section(String),
}

impl Location {
    /// How a citation prints it: `p. 3`, `§ Keeping the light`.
    pub fn label(&self) -> String {
        match self {
            Location::Page(n) => format!("p. {n}"),
            Location::Section(heading) => format!("§ {heading}"),
        }
    }
}

/// One run of text under one location, paragraphs separated by blank lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub location: Option<Location>,
    pub text: String,
}

/// A source read into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub format: Format,
    /// The document's own title, when it has one (an HTML `<title>`, the first heading).
    pub title: Option<String>,
    pub sections: Vec<Section>,
}

impl Document {
    pub fn chars(&self) -> usize {
        self.sections.iter().map(|s| s.text.chars().count()).sum()
    }
}
