//! Speech chunking: every piece fits, none is empty, and only whitespace is lost.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u8)| {
    let (text, max) = input;
    let max = usize::from(max).max(1);
    let pieces = showrunner_text::speech_chunks::split(text, max);
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for piece in &pieces {
        assert!(!piece.is_empty() && piece.chars().count() <= max);
    }
    assert_eq!(squeeze(&pieces.concat()), squeeze(text));
});
