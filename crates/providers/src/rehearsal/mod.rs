//! The rehearsal writer: a deterministic, offline stand-in for every language-model task, filled from the
//! topic and the brand voice with templates. It never calls itself AI: its scripts say they are rehearsals,
//! its sources are `offline:rehearsal/…` placeholders, and its evaluations are rules computed from the
//! script, so the pipeline's gates judge real properties even offline.
//!
//! The same request always gets the same answer; variety comes from a stable hash of the topic.

mod context;
mod grounded;
mod judge;
mod package;
mod phrasebook;
mod plan;
mod polish;
mod research;
mod script;
mod segment;
mod text;

use crate::{Completion, CompletionRequest, LanguageModel, ProviderError, Usage};
use context::Context;

/// How the rehearsal writer is shown to the producer.
pub(crate) const LABEL: &str = "Rehearsal (offline)";
const ID: &str = "rehearsal";
const MODEL: &str = "rehearsal";

#[derive(Debug, Clone, Copy, Default)]
pub struct RehearsalWriter;

impl RehearsalWriter {
    /// The tasks the rehearsal writer answers (production's stage and task ids).
    pub const TASKS: [&'static str; 10] = [
        "research.discover",
        "research.deep_dive",
        "research.synthesize",
        "plan",
        "script.write",
        "script.write_segment",
        "script.polish",
        "script.evaluate",
        "script.brand_score",
        "package",
    ];

    pub fn new() -> RehearsalWriter {
        RehearsalWriter
    }

    /// The answer to `task` for `context`, as the JSON the task's artifact type decodes from.
    pub fn answer(&self, task: &str, context: &serde_json::Value) -> Result<serde_json::Value, ProviderError> {
        let ctx = Context::new(task, context);
        match task {
            "research.discover" => to_json(research::discover(&ctx)?),
            "research.deep_dive" => to_json(research::deep_dive(&ctx)?),
            "research.synthesize" => to_json(research::synthesize(&ctx)?),
            "plan" => to_json(plan::plan(&ctx)?),
            "script.write" => to_json(script::write(&ctx)?),
            "script.write_segment" => to_json(segment::write_segment(&ctx)?),
            "script.polish" => to_json(polish::polish(&ctx)?),
            "script.evaluate" => to_json(judge::evaluate(&ctx)?),
            "script.brand_score" => to_json(judge::brand_score(&ctx)?),
            "package" => to_json(package::package(&ctx)?),
            other => Err(ProviderError::unknown_task(other)),
        }
    }
}

fn to_json<T: serde::Serialize>(value: T) -> Result<serde_json::Value, ProviderError> {
    serde_json::to_value(value)
        .map_err(|e| ProviderError::invalid_request(format!("cannot encode the rehearsal answer: {e}")))
}

/// A rough token count (four characters a token), so usage views have something honest to show.
fn tokens(chars: usize) -> u64 {
    chars.div_ceil(4) as u64
}

#[async_trait::async_trait]
impl LanguageModel for RehearsalWriter {
    fn label(&self) -> &str {
        LABEL
    }

    fn id(&self) -> &str {
        ID
    }

    fn model(&self) -> &str {
        MODEL
    }

    fn is_rehearsal(&self) -> bool {
        true
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let content = self.answer(&req.task, &req.context)?;
        let usage = Usage {
            input_tokens: tokens(req.system.len() + req.prompt.len()),
            output_tokens: tokens(content.to_string().len()),
            ..Usage::default()
        };
        Ok(Completion {
            content,
            usage,
            provider: LABEL.to_owned(),
            provider_id: ID.to_owned(),
            model: MODEL.to_owned(),
            request_id: None,
            sources: Vec::new(),
        })
    }
}
