//! Any script line and pronunciation entry, in any language: prepared without a panic (lowercasing changes
//! byte lengths; each language has its own spoken forms and number rule).
#![no_main]

use libfuzzer_sys::fuzz_target;
use showrunner_domain::{Language, Pronunciation};

fuzz_target!(|input: (&str, &str, &str, u8)| {
    let (text, word, say_as, which) = input;
    let dict = [Pronunciation {
        word: word.to_owned(),
        say_as: say_as.to_owned(),
    }];
    let language = Language::ALL[usize::from(which) % Language::ALL.len()];
    let _ = showrunner_text::prepare_speech_text(text, &dict, language);
});
