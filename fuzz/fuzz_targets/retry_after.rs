//! Any `Retry-After` / `retry-after-ms` values: a bounded wait or none, never a panic.
#![no_main]

use std::time::SystemTime;

use libfuzzer_sys::fuzz_target;
use showrunner_text::{parse_retry_after, MAX_RETRY_AFTER};

fuzz_target!(|input: (Option<&str>, Option<&str>)| {
    let wait = parse_retry_after(input.0, input.1, SystemTime::now());
    assert!(wait.is_none_or(|w| w <= MAX_RETRY_AFTER));
});
