//! What the provider fakes answer in the api tests that run a whole episode: each task answered the way the
//! offline writer would, from the inputs its prompt carried, so the pipeline's gates judge real artifacts.

// Each test binary that includes this file uses part of it.
#![allow(dead_code)]

use std::sync::Arc;

use serde_json::Value;
use showrunner_provider_fakes::{FakeServer, FakeTask, Responder};
use showrunner_providers::{CompletionRequest, LanguageModel, RehearsalWriter};

/// The offline writer's answer to one task.
pub fn rehearsal(task: &FakeTask) -> Value {
    let request = CompletionRequest {
        task: task.task.clone(),
        system: String::new(),
        prompt: String::new(),
        context: task.inputs.clone(),
        output_schema: Value::Null,
        max_output_tokens: 0,
    };
    futures::executor::block_on(RehearsalWriter::new().complete(request))
        .map(|c| c.content)
        .unwrap_or_else(|e| serde_json::json!({ "fake_could_not_answer": e.to_string() }))
}

pub fn rehearsal_responder() -> Responder {
    Arc::new(rehearsal)
}

/// The variable that points an app's `provider` client at `server` (`SHOWRUNNER_<PROVIDER>_BASE_URL`), for an
/// app started with its own environment.
pub fn base_url_var(provider: &str, server: &FakeServer) -> (String, String) {
    (
        format!("SHOWRUNNER_{}_BASE_URL", provider.to_uppercase()),
        server.base_url(),
    )
}
