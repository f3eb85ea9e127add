//! Any bytes as a WAV file: checked for completeness, measured or refused, never a panic; a canonical file
//! is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use showrunner_wav::{canonical, check_complete};

fuzz_target!(|bytes: Vec<u8>| {
    let _ = check_complete(&bytes);
    if let Ok((file, info)) = canonical(bytes) {
        if let Ok((again, info_again)) = canonical(file.clone()) {
            assert_eq!(info, info_again);
            if file.len() >= 44 && &file[36..40] == b"data" {
                assert_eq!(again, file);
            }
        }
    }
});
