//! The delivery package's file formats, each in its own module: transcripts (WebVTT, SubRip), Podcasting 2.0
//! chapters, show notes (Markdown, HTML), the RSS item and feed, and the atomic folder write.

pub mod chapters;
pub mod package_dir;
pub mod rss;
pub mod show_notes;
pub mod transcript;
pub mod transcript_reader;
