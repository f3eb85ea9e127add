//! One structured call to a language model: render the prompts, send the context and the output schema, and
//! accept the answer only if it parses into the expected artifact type. A malformed answer is never saved.

use serde::de::DeserializeOwned;
use showrunner_domain::{ArtifactKind, BrandVoice, Money};
use showrunner_engine::{ErrorClass, StageError};
use showrunner_providers::{CompletionRequest, ErrorClass as ProviderClass, LanguageModel, ProviderError};

use crate::prompts;

pub struct Answer<T> {
    pub value: T,
    pub cost: Money,
    /// The provider that answered, as the producer sees it.
    pub route: String,
}

pub fn provider_error(e: ProviderError) -> StageError {
    StageError {
        code: e.code().to_owned(),
        message: e.to_string(),
        class: match e.class() {
            ProviderClass::Transient | ProviderClass::RateLimited => ErrorClass::Transient,
            _ => ErrorClass::Terminal,
        },
        retry_after: e.retry_after(),
    }
}

/// Asks `model` to do `task`, expecting an artifact of `kind` decoded as `T`.
pub async fn ask<T: DeserializeOwned>(
    model: &dyn LanguageModel,
    task: &str,
    brand: &BrandVoice,
    context: serde_json::Value,
    kind: ArtifactKind,
    max_output_tokens: u32,
) -> Result<Answer<T>, StageError> {
    let request = CompletionRequest {
        task: task.to_owned(),
        system: prompts::system(brand)?,
        prompt: prompts::task(task, &context)?,
        context,
        output_schema: kind.schema(),
        max_output_tokens,
    };
    let completion = model.complete(request).await.map_err(provider_error)?;
    let value = serde_json::from_value(completion.content).map_err(|e| {
        StageError::terminal(
            "invalid_output",
            format!(
                "{} returned {} that does not match its contract: {e}",
                completion.provider,
                kind.as_str()
            ),
        )
    })?;
    Ok(Answer {
        value,
        cost: Money::ZERO,
        route: completion.provider,
    })
}
