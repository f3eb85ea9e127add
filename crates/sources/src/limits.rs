//! How much of a source we take and how long we wait for it.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A file (or a fetched body) larger than this is refused before it is parsed.
    pub max_bytes: u64,
    /// Text past this is not indexed (a 2,000-page PDF is still read, its first part kept).
    pub max_chars: usize,
    /// One fetch, from connecting to the last byte.
    pub fetch_timeout: Duration,
    /// One extraction (a pathological PDF can take a long time).
    pub extract_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 20 * 1024 * 1024,
            max_chars: 2_000_000,
            fetch_timeout: Duration::from_secs(30),
            extract_timeout: Duration::from_secs(60),
        }
    }
}
