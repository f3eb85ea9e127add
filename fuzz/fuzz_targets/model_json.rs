//! Any model answer: its JSON or none, never a panic; an answer that is plain JSON reads as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let found = showrunner_text::model_json(text);
    if let Ok(plain) = serde_json::from_str::<serde_json::Value>(text) {
        assert_eq!(found, Some(plain));
    }
});
