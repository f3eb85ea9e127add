//! Any model answer: JSON or the coded `malformed_output`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = showrunner_providers::fuzzing::model_json(text) {
        assert_eq!(e.code(), "malformed_output");
    }
});
