//! Claude through Anthropic's Messages API (`POST /v1/messages`). The system prompt (brand voice, show bible)
//! is sent as a cached block so repeated stage calls read it at a tenth of the input price, and the answer
//! comes back through one forced tool call whose input schema is the task's output schema: that works on
//! every Claude model, unlike the newer JSON output format.

mod errors;
mod wire;

use std::time::Duration;

use serde_json::json;
use showrunner_secrets::Sensitive;

use crate::json_content::{send, MODEL_CALL_TIMEOUT};
use crate::{http, Completion, CompletionRequest, ErrorClass, LanguageModel, ProviderError};

const PROVIDER: &str = "Anthropic";
const API_VERSION: &str = "2023-06-01";

/// How to reach Anthropic.
#[derive(Debug, Clone)]
pub struct AnthropicConfig {
    /// `https://api.anthropic.com` unless pointed elsewhere (a proxy, a test server).
    pub base_url: String,
    pub api_key: Sensitive<String>,
    /// e.g. `claude-sonnet-4-20250514`.
    pub model: String,
    pub timeout: Duration,
}

impl AnthropicConfig {
    pub const DEFAULT_BASE_URL: &'static str = "https://api.anthropic.com";

    pub fn new(api_key: Sensitive<String>, model: impl Into<String>) -> AnthropicConfig {
        AnthropicConfig {
            base_url: Self::DEFAULT_BASE_URL.to_owned(),
            api_key,
            model: model.into(),
            timeout: MODEL_CALL_TIMEOUT,
        }
    }
}

/// A Claude model behind one reusable HTTP client.
#[derive(Debug)]
pub struct AnthropicClient {
    config: AnthropicConfig,
    label: String,
    http: reqwest::Client,
}

impl AnthropicClient {
    pub fn new(config: AnthropicConfig) -> Result<AnthropicClient, ProviderError> {
        Ok(AnthropicClient {
            label: format!("Claude (Anthropic) · {}", config.model),
            http: http::client(config.timeout)?,
            config,
        })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// "Test connection": a one-token request, which checks the key, the model and the account's credit at
    /// once for a fraction of a cent.
    pub async fn check_connection(&self) -> Result<(), ProviderError> {
        let body = json!({
            "model": self.config.model,
            "max_tokens": 1,
            "messages": [{"role": "user", "content": "ping"}],
        });
        let reply = send(PROVIDER, &self.config.base_url, self.post(&body)).await?;
        if !reply.status.is_success() {
            return Err(errors::from_reply(
                &reply,
                &self.config.model,
                self.config.api_key.expose(),
            ));
        }
        match reply.error_body::<serde_json::Value>() {
            Some(message) if message["type"] == "message" => Ok(()),
            _ => Err(ProviderError::new(
                "wrong_url",
                "Something answered at the Anthropic base URL, but not Anthropic's API. Check the base URL.",
                ErrorClass::Terminal,
            )),
        }
    }

    fn post(&self, body: &serde_json::Value) -> reqwest::RequestBuilder {
        self.http
            .post(http::url(&self.config.base_url, "v1/messages"))
            .header("x-api-key", self.config.api_key.expose().as_str())
            .header("anthropic-version", API_VERSION)
            .json(body)
    }
}

#[async_trait::async_trait]
impl LanguageModel for AnthropicClient {
    fn label(&self) -> &str {
        &self.label
    }

    fn id(&self) -> &str {
        "anthropic"
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn is_rehearsal(&self) -> bool {
        false
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let tool = wire::AnswerTool::for_schema(&req.output_schema);
        let body = wire::request_body(&self.config.model, &req, &tool);
        let reply = send(PROVIDER, &self.config.base_url, self.post(&body)).await?;
        if !reply.status.is_success() {
            return Err(errors::from_reply(
                &reply,
                &self.config.model,
                self.config.api_key.expose(),
            ));
        }
        let request_id = reply.request_id();
        // A 2xx reply was billed even when its body is cut off; without usage, only the worst case is known.
        let message: wire::Message = reply.decode(PROVIDER).map_err(ProviderError::with_unreadable_bill)?;
        let usage = message
            .usage
            .as_ref()
            .map(wire::WireUsage::normalized)
            .unwrap_or_default();
        let model = message.model.clone().unwrap_or_else(|| self.config.model.clone());
        let content = wire::answer(&message, &tool).map_err(|e| {
            e.with_request_id(request_id.clone())
                .with_billed_usage(usage.clone(), model.clone())
        })?;
        Ok(Completion {
            content,
            usage,
            provider: self.label.clone(),
            provider_id: self.id().to_owned(),
            model,
            request_id,
            sources: Vec::new(),
        })
    }
}
