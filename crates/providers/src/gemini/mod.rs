//! Gemini through Google's `generateContent` (`POST /v1beta/models/{model}:generateContent`). The key
//! travels in the `x-goog-api-key` header, never in the URL (URLs end up in logs and error messages); the
//! answer is constrained with `responseMimeType: application/json` and the task's JSON Schema.

mod errors;
mod wire;

use std::time::Duration;

use serde::Deserialize;
use showrunner_secrets::Sensitive;

use crate::json_content::{send, MODEL_CALL_TIMEOUT};
use crate::{http, Completion, CompletionRequest, ErrorClass, LanguageModel, ProviderError};

const PROVIDER: &str = "Gemini";

/// How to reach Gemini.
#[derive(Debug, Clone)]
pub struct GeminiConfig {
    /// `https://generativelanguage.googleapis.com` unless pointed elsewhere.
    pub base_url: String,
    pub api_key: Sensitive<String>,
    /// e.g. `gemini-2.5-flash` (a leading `models/` is accepted).
    pub model: String,
    pub timeout: Duration,
}

impl GeminiConfig {
    pub const DEFAULT_BASE_URL: &'static str = "https://generativelanguage.googleapis.com";

    pub fn new(api_key: Sensitive<String>, model: impl Into<String>) -> GeminiConfig {
        GeminiConfig {
            base_url: Self::DEFAULT_BASE_URL.to_owned(),
            api_key,
            model: model.into(),
            timeout: MODEL_CALL_TIMEOUT,
        }
    }
}

/// A Gemini model behind one reusable HTTP client.
#[derive(Debug)]
pub struct GeminiClient {
    config: GeminiConfig,
    label: String,
    http: reqwest::Client,
}

impl GeminiClient {
    pub fn new(config: GeminiConfig) -> Result<GeminiClient, ProviderError> {
        Ok(GeminiClient {
            label: format!("Gemini (Google) · {}", config.model),
            http: http::client(config.timeout)?,
            config,
        })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// "Test connection": reads the model's description, which is free and checks the key and the model.
    pub async fn check_connection(&self) -> Result<(), ProviderError> {
        let url = http::url(&self.config.base_url, &format!("v1beta/models/{}", self.model_path()));
        let reply = send(PROVIDER, &self.config.base_url, self.keyed(self.http.get(url))).await?;
        if !reply.status.is_success() {
            return Err(errors::from_reply(
                &reply,
                &self.config.model,
                self.config.api_key.expose(),
            ));
        }
        match reply.error_body::<ModelInfo>() {
            Some(ModelInfo { name: Some(_) }) => Ok(()),
            _ => Err(ProviderError::new(
                "wrong_url",
                "Something answered at the Gemini base URL, but not Gemini's API. Check the base URL in Settings.",
                ErrorClass::Terminal,
            )),
        }
    }

    fn model_path(&self) -> &str {
        let model = self.config.model.trim();
        model.strip_prefix("models/").unwrap_or(model)
    }

    fn keyed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.header("x-goog-api-key", self.config.api_key.expose().as_str())
    }
}

#[async_trait::async_trait]
impl LanguageModel for GeminiClient {
    fn label(&self) -> &str {
        &self.label
    }

    fn id(&self) -> &str {
        "gemini"
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn is_rehearsal(&self) -> bool {
        false
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let path = format!("v1beta/models/{}:generateContent", self.model_path());
        let request = self.keyed(self.http.post(http::url(&self.config.base_url, &path)));
        let body = wire::request_body(&req);
        let reply = send(PROVIDER, &self.config.base_url, request.json(&body)).await?;
        if !reply.status.is_success() {
            return Err(errors::from_reply(
                &reply,
                &self.config.model,
                self.config.api_key.expose(),
            ));
        }
        let header_id = reply.request_id();
        // A 2xx reply was billed even when its body is cut off; without usage, only the worst case is known.
        let response: wire::GenerateContentResponse =
            reply.decode(PROVIDER).map_err(ProviderError::with_unreadable_bill)?;
        let request_id = header_id.or_else(|| response.response_id.clone());
        let usage = response
            .usage_metadata
            .as_ref()
            .map(wire::UsageMetadata::normalized)
            .unwrap_or_default();
        let model = response
            .model_version
            .clone()
            .unwrap_or_else(|| self.model_path().to_owned());
        let content = wire::answer(&response).map_err(|e| {
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ModelInfo {
    name: Option<String>,
}
