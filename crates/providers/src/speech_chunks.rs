//! Joining the audio of a long text's pieces back into one take. The pieces themselves come from the one
//! chunker, `showrunner_text::speech_chunks` (re-exported here).

pub(crate) use showrunner_text::speech_chunks::{context_after, context_before, split};

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Text with the characters that trip byte arithmetic: multi-byte letters, ones whose case forms change
    /// length, combining marks, sentence and clause marks, closers and odd whitespace.
    fn speech_like() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => "[a-zA-Z]{1,9}",
                1 => "[İẞK\u{212A}ßéü\u{0307}日本語👋🏽]{1,4}",
                1 => "[.!?…,;:—–\"'”’)\\]»]{1,2}",
                2 => "[ \t\n\u{00A0}\u{2003}]{1,2}",
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Pieces fit, are trimmed and non-empty, and lose no character but whitespace; when no word is longer
        /// than the limit, no word is split.
        #[test]
        fn pieces_fit_and_keep_the_text(text in speech_like(), max in 1usize..40) {
            let pieces = split(&text, max);
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            for piece in &pieces {
                prop_assert!(!piece.is_empty() && piece.chars().count() <= max, "{piece:?}");
                prop_assert_eq!(piece.trim(), piece.as_str());
            }
            prop_assert_eq!(squeeze(&pieces.concat()), squeeze(&text));
            if text.split_whitespace().all(|w| w.chars().count() <= max) {
                let words: Vec<&str> = text.split_whitespace().collect();
                let rejoined: Vec<&str> = pieces.iter().flat_map(|p| p.split_whitespace()).collect();
                prop_assert_eq!(rejoined, words);
            }
        }

        /// The context around a piece is bounded, whole-word, and really taken from the text's end or start.
        #[test]
        fn context_is_bounded_and_from_the_text(text in speech_like(), max in 0usize..40) {
            if let Some(before) = context_before(&text, max) {
                prop_assert!(before.chars().count() <= max);
                prop_assert!(text.trim().ends_with(&before));
            }
            if let Some(after) = context_after(&text, max) {
                prop_assert!(after.chars().count() <= max);
                prop_assert!(text.trim().starts_with(&after));
            }
        }
    }

    fn lens(pieces: &[String]) -> Vec<usize> {
        pieces.iter().map(|p| p.chars().count()).collect()
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split("  Hello there.  ", 100), vec!["Hello there."]);
        assert!(split("   ", 10).is_empty());
    }

    #[test]
    fn long_text_breaks_at_sentence_ends_first() {
        let text = "The tide came in. It covered the rocks, the sand, and the pier. Then it went out again.";
        let pieces = split(text, 70);
        assert_eq!(
            pieces,
            vec![
                "The tide came in. It covered the rocks, the sand, and the pier.",
                "Then it went out again."
            ]
        );
        assert_eq!(pieces.join(" "), text);
    }

    #[test]
    fn a_sentence_longer_than_the_limit_breaks_at_a_clause_then_at_a_word() {
        let text = "It covered the rocks, the sand and the old wooden pier near the lighthouse";
        let pieces = split(text, 30);
        assert_eq!(pieces[0], "It covered the rocks,", "clause break first: {pieces:?}");
        assert!(lens(&pieces).iter().all(|&n| n <= 30), "{pieces:?}");
        assert_eq!(pieces.join(" "), text, "no word was cut");
    }

    #[test]
    fn quotes_after_a_full_stop_stay_with_their_sentence() {
        let pieces = split("She said \"Go.\" He went home quickly and then he slept", 20);
        assert_eq!(pieces[0], "She said \"Go.\"");
    }

    #[test]
    fn counts_characters_not_bytes_and_never_splits_a_word() {
        let text = "Ça déménage à Zürich. Über die Brücke gehen wir. Naïve café owners smile.";
        let pieces = split(text, 25);
        assert!(lens(&pieces).iter().all(|&n| n <= 25), "{pieces:?}");
        let words: Vec<&str> = text.split_whitespace().collect();
        let rejoined: Vec<String> = pieces
            .iter()
            .flat_map(|p| p.split_whitespace())
            .map(str::to_owned)
            .collect();
        assert_eq!(rejoined, words);
    }

    #[test]
    fn a_single_overlong_word_is_cut_at_the_limit() {
        let pieces = split("abcdefghij klm", 4);
        assert_eq!(pieces, vec!["abcd", "efgh", "ij", "klm"]);
    }

    #[test]
    fn context_around_a_piece_is_bounded_and_made_of_whole_words() {
        let text = "one two three four five";
        assert_eq!(context_before(text, 100).as_deref(), Some(text));
        assert_eq!(context_before(text, 10).as_deref(), Some("four five"));
        assert_eq!(context_before(text, 9).as_deref(), Some("four five"));
        assert_eq!(context_after(text, 10).as_deref(), Some("one two"));
        assert_eq!(context_after(text, 7).as_deref(), Some("one two"));
        assert_eq!(context_before("  ", 10), None);
        assert_eq!(context_after("unbreakable", 4), None);
    }

    #[test]
    fn a_break_exactly_at_the_limit_is_used() {
        assert_eq!(split("abcd. efgh", 5), vec!["abcd.", "efgh"]);
    }
}
