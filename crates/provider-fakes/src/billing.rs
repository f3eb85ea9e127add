//! What a fake billed: every 2xx reply it sent, counted the way the provider bills (tokens by rate, or
//! characters), whether or not the client could use the answer. Tests compare their ledger against it.

/// Billed units, summed over the replies a fake sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bill {
    /// Replies billed.
    pub replies: u64,
    /// Input tokens at the base rate (cache reads and writes not included).
    pub input_tokens: u64,
    pub cache_write_5m_tokens: u64,
    pub cache_write_1h_tokens: u64,
    pub cache_read_tokens: u64,
    /// Output tokens, thinking included.
    pub output_tokens: u64,
    /// Speech: characters billed.
    pub characters: u64,
}

impl Bill {
    pub(crate) fn add(&mut self, other: Bill) {
        self.replies += other.replies;
        self.input_tokens += other.input_tokens;
        self.cache_write_5m_tokens += other.cache_write_5m_tokens;
        self.cache_write_1h_tokens += other.cache_write_1h_tokens;
        self.cache_read_tokens += other.cache_read_tokens;
        self.output_tokens += other.output_tokens;
        self.characters += other.characters;
    }
}
