//! Any typed amount: money or a reason; an amount reads back from how it is displayed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use showrunner_domain::Money;

fuzz_target!(|text: &str| {
    if let Ok(m) = Money::parse_dollars(text) {
        assert!(m.micros() >= 0);
        assert_eq!(Money::parse_dollars(&m.to_string()), Ok(m));
    }
});
