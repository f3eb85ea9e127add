//! Perplexity Sonar (`POST /chat/completions`): an OpenAI-style chat model that searches the web before it
//! answers. Besides the JSON answer it returns the pages it read (`citations`, `search_results`), which
//! become the completion's sources, and what the call cost (`usage.cost`), kept exactly.

mod cost;
mod wire;

use std::time::Duration;

use serde_json::json;
use showrunner_secrets::Sensitive;

use crate::json_content::{send, MODEL_CALL_TIMEOUT};
use crate::openai_compat::{choice_answer, error_from_reply};
use crate::{http, Completion, CompletionRequest, ErrorClass, LanguageModel, ProviderError};

const PROVIDER: &str = "Perplexity";

/// How to reach Perplexity.
#[derive(Debug, Clone)]
pub struct PerplexityConfig {
    /// `https://api.perplexity.ai` unless pointed elsewhere.
    pub base_url: String,
    pub api_key: Sensitive<String>,
    /// e.g. `sonar`, `sonar-pro`, `sonar-reasoning-pro`.
    pub model: String,
    /// `low`, `medium` or `high`: how much web context Sonar reads, which sets the per-request fee. `None`
    /// leaves Perplexity's default (low).
    pub search_context_size: Option<String>,
    pub timeout: Duration,
}

impl PerplexityConfig {
    pub const DEFAULT_BASE_URL: &'static str = "https://api.perplexity.ai";

    pub fn new(api_key: Sensitive<String>, model: impl Into<String>) -> PerplexityConfig {
        PerplexityConfig {
            base_url: Self::DEFAULT_BASE_URL.to_owned(),
            api_key,
            model: model.into(),
            search_context_size: None,
            timeout: MODEL_CALL_TIMEOUT,
        }
    }
}

/// A Sonar model behind one reusable HTTP client.
#[derive(Debug)]
pub struct PerplexityClient {
    config: PerplexityConfig,
    label: String,
    http: reqwest::Client,
}

impl PerplexityClient {
    pub fn new(config: PerplexityConfig) -> Result<PerplexityClient, ProviderError> {
        Ok(PerplexityClient {
            label: format!("Perplexity Sonar · {}", config.model),
            http: http::client(config.timeout)?,
            config,
        })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// "Test connection": a one-token request (Perplexity has no free authenticated call), which checks the
    /// key, the model and the account's credit; it costs one request fee.
    pub async fn check_connection(&self) -> Result<(), ProviderError> {
        let body = json!({
            "model": self.config.model,
            "max_tokens": 1,
            "messages": [{"role": "user", "content": "ping"}],
        });
        let reply = send(PROVIDER, &self.config.base_url, self.post(&body)).await?;
        if !reply.status.is_success() {
            return Err(self.error(&reply));
        }
        match reply.error_body::<serde_json::Value>() {
            Some(answer) if answer.get("choices").is_some() => Ok(()),
            _ => Err(ProviderError::new(
                "wrong_url",
                "Something answered at the Perplexity base URL, but not Perplexity's API. Check the base URL.",
                ErrorClass::Terminal,
            )),
        }
    }

    fn post(&self, body: &serde_json::Value) -> reqwest::RequestBuilder {
        self.http
            .post(http::url(&self.config.base_url, "chat/completions"))
            .bearer_auth(self.config.api_key.expose())
            .json(body)
    }

    fn error(&self, reply: &crate::json_content::Reply) -> ProviderError {
        error_from_reply(PROVIDER, reply, &self.config.model, Some(self.config.api_key.expose()))
    }
}

#[async_trait::async_trait]
impl LanguageModel for PerplexityClient {
    fn label(&self) -> &str {
        &self.label
    }

    fn id(&self) -> &str {
        "perplexity"
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn is_rehearsal(&self) -> bool {
        false
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let body = wire::request_body(&self.config.model, self.config.search_context_size.as_deref(), &req);
        let reply = send(PROVIDER, &self.config.base_url, self.post(&body)).await?;
        if !reply.status.is_success() {
            return Err(self.error(&reply));
        }
        let header_id = reply.request_id();
        // A 2xx reply was billed even when its body is cut off; without usage, only the worst case is known.
        let response: wire::SonarResponse = reply.decode(PROVIDER).map_err(ProviderError::with_unreadable_bill)?;
        let request_id = header_id.or_else(|| response.id.clone());
        let usage = response.usage(self.config.search_context_size.as_deref());
        let model = response.model.clone().unwrap_or_else(|| self.config.model.clone());
        let choices = response.choices.as_deref().unwrap_or_default();
        let content = choice_answer(PROVIDER, choices).map_err(|e| {
            e.with_request_id(request_id.clone())
                .with_billed_usage(usage.clone(), model.clone())
        })?;
        Ok(Completion {
            content,
            usage,
            sources: response.sources(),
            provider: self.label.clone(),
            provider_id: self.id().to_owned(),
            model,
            request_id,
        })
    }
}
