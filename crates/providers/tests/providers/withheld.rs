//! A reply the provider withheld (a refusal, a safety or content-filter stop) was still billed: the error must
//! be terminal and carry the usage the fake metered, so the ledger can price it.

use showrunner_provider_fakes::FakeServer;
use showrunner_providers::{Billed, ErrorClass, ProviderError};

pub fn assert_withheld_and_billed(e: &ProviderError, fake: &FakeServer, expected_model: &str) {
    assert_eq!((e.code(), e.class()), ("refused", ErrorClass::Terminal));
    let Some(Billed::Usage { usage, model }) = e.billed() else {
        panic!("the withheld reply was billed, so its usage must come with the error: {e:?}");
    };
    let bill = fake.script().billed();
    let billed_input =
        bill.input_tokens + bill.cache_write_5m_tokens + bill.cache_write_1h_tokens + bill.cache_read_tokens;
    assert_eq!(model, expected_model);
    assert_eq!(
        (usage.total_input_tokens(), usage.output_tokens),
        (billed_input, bill.output_tokens)
    );
    assert!(
        usage.output_tokens > 0,
        "what the model generated before it stopped is billed"
    );
}
