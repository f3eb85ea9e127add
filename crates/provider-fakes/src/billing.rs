//! What a fake billed: every 2xx reply it sent, counted the way the provider bills (tokens by rate,
//! characters, Perplexity's request fee), whether or not the client could use the answer. Tests compare
//! their ledger against it.

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
    /// Search-backed calls (Perplexity): requests billed with a request fee.
    pub search_requests: u64,
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
        self.search_requests += other.search_requests;
    }
}

#[cfg(test)]
mod tests {
    use crate::{Bill, Script};

    #[test]
    fn the_meter_counts_each_reply_and_sums_every_unit() {
        let script = Script::default();
        script.bill(Bill {
            input_tokens: 10,
            output_tokens: 3,
            search_requests: 1,
            ..Bill::default()
        });
        script.bill(Bill {
            replies: 7,
            characters: 40,
            cache_read_tokens: 5,
            search_requests: 1,
            ..Bill::default()
        });
        let billed = script.billed();
        assert_eq!(billed.replies, 2, "one per reply, whatever the caller says");
        assert_eq!(
            (billed.input_tokens, billed.output_tokens, billed.cache_read_tokens),
            (10, 3, 5)
        );
        assert_eq!((billed.characters, billed.search_requests), (40, 2));
    }
}
