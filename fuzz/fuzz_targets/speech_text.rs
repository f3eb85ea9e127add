//! Any script line and pronunciation entry: prepared without a panic (lowercasing changes byte lengths).
#![no_main]

use libfuzzer_sys::fuzz_target;
use showrunner_domain::Pronunciation;

fuzz_target!(|input: (&str, &str, &str)| {
    let (text, word, say_as) = input;
    let dict = [Pronunciation {
        word: word.to_owned(),
        say_as: say_as.to_owned(),
    }];
    let _ = showrunner_text::prepare_speech_text(text, &dict);
});
