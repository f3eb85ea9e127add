//! How a fake is set up: the one key it accepts and how it answers.

use std::sync::Arc;

use serde_json::Value;

use crate::{FakeTask, Responder};

/// A fake provider's setup. Any other key gets the provider's exact bad-key response.
#[derive(Clone)]
pub struct FakeConfig {
    pub api_key: String,
    /// Language-model fakes: produces the JSON answer for each task. Speech fakes ignore it.
    pub responder: Responder,
}

impl FakeConfig {
    pub fn new(api_key: impl Into<String>, responder: Responder) -> FakeConfig {
        FakeConfig {
            api_key: api_key.into(),
            responder,
        }
    }

    /// Answers every task with the same JSON value.
    pub fn answering(api_key: impl Into<String>, answer: Value) -> FakeConfig {
        FakeConfig::new(api_key, Arc::new(move |_: &FakeTask| answer.clone()))
    }
}
