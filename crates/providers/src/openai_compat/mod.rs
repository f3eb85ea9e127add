//! Any server that speaks OpenAI's Chat Completions (`POST {base}/chat/completions`): OpenAI itself, and the
//! local servers producers run (Ollama, LM Studio, vLLM, llama.cpp). The answer is asked for with a
//! `json_schema` response format; strict mode stays off because local servers and older models reject it.

pub mod discovery;
mod errors;
mod wire;

use std::time::Duration;

use serde::Deserialize;
use showrunner_secrets::Sensitive;

use crate::json_content::{send, MODEL_CALL_TIMEOUT};
use crate::{http, Completion, CompletionRequest, ErrorClass, LanguageModel, ProviderError};

pub(crate) use errors::from_reply as error_from_reply;
pub(crate) use wire::{answer as choice_answer, Choice};

/// Which request field carries the output limit: OpenAI's current models reject `max_tokens`, while local
/// servers only know `max_tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenLimitField {
    MaxTokens,
    MaxCompletionTokens,
}

/// How to reach one OpenAI-compatible server.
#[derive(Debug, Clone)]
pub struct OpenAiCompatConfig {
    /// Stable provider id, the price table's key: `openai`, `ollama`, `lmstudio`, `vllm`…
    pub id: String,
    /// Shown to the producer: "OpenAI", "Ollama", "LM Studio"…
    pub name: String,
    /// Up to and including `/v1`, e.g. `http://localhost:11434/v1`.
    pub base_url: String,
    /// Local servers usually need none.
    pub api_key: Option<Sensitive<String>>,
    pub model: String,
    pub timeout: Duration,
    pub token_limit: TokenLimitField,
    /// Sent with every request besides the key (OpenRouter's `X-Title` names the app on its dashboard).
    pub headers: Vec<(String, String)>,
}

impl OpenAiCompatConfig {
    pub const OPENAI_BASE_URL: &'static str = "https://api.openai.com/v1";
    pub const OLLAMA_BASE_URL: &'static str = "http://localhost:11434/v1";
    pub const LM_STUDIO_BASE_URL: &'static str = "http://localhost:1234/v1";

    /// Any other compatible server (vLLM, llama.cpp, a proxy).
    pub fn custom(
        id: impl Into<String>,
        name: impl Into<String>,
        base_url: impl Into<String>,
        api_key: Option<Sensitive<String>>,
        model: impl Into<String>,
    ) -> OpenAiCompatConfig {
        OpenAiCompatConfig {
            id: id.into(),
            name: name.into(),
            base_url: base_url.into(),
            api_key,
            model: model.into(),
            timeout: MODEL_CALL_TIMEOUT,
            token_limit: TokenLimitField::MaxTokens,
            headers: Vec::new(),
        }
    }

    pub fn openai(api_key: Sensitive<String>, model: impl Into<String>) -> OpenAiCompatConfig {
        OpenAiCompatConfig {
            token_limit: TokenLimitField::MaxCompletionTokens,
            ..Self::custom("openai", "OpenAI", Self::OPENAI_BASE_URL, Some(api_key), model)
        }
    }

    pub fn ollama(model: impl Into<String>) -> OpenAiCompatConfig {
        Self::custom("ollama", "Ollama", Self::OLLAMA_BASE_URL, None, model)
    }

    pub fn lm_studio(model: impl Into<String>) -> OpenAiCompatConfig {
        Self::custom("lmstudio", "LM Studio", Self::LM_STUDIO_BASE_URL, None, model)
    }
}

/// A model on an OpenAI-compatible server, behind one reusable HTTP client.
#[derive(Debug)]
pub struct OpenAiCompatClient {
    config: OpenAiCompatConfig,
    label: String,
    http: reqwest::Client,
}

impl OpenAiCompatClient {
    pub fn new(config: OpenAiCompatConfig) -> Result<OpenAiCompatClient, ProviderError> {
        Ok(OpenAiCompatClient {
            label: format!("{} · {}", config.name, config.model),
            http: http::client(config.timeout)?,
            config,
        })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// "Test connection": lists the server's models (free, and it needs the key) and checks the configured
    /// model is among them.
    pub async fn check_connection(&self) -> Result<(), ProviderError> {
        let name = &self.config.name;
        let request = self.authorized(self.http.get(http::url(&self.config.base_url, "models")));
        let reply = send(name, &self.config.base_url, request).await?;
        if reply.status.as_u16() == 404 {
            return Err(wrong_url(name));
        }
        if !reply.status.is_success() {
            return Err(errors::from_reply(name, &reply, &self.config.model, self.key()));
        }
        let list: ModelList = reply.error_body().ok_or_else(|| wrong_url(name))?;
        let Some(data) = list.data else {
            return Err(wrong_url(name));
        };
        let model = &self.config.model;
        let listed = |id: &str| id == model || id.strip_suffix(":latest") == Some(model.as_str());
        if !data.is_empty() && !data.iter().any(|m| m.id.as_deref().is_some_and(listed)) {
            return Err(ProviderError::new(
                "unknown_model",
                format!("{name} does not offer the model '{model}'. Check the model name in Settings."),
                ErrorClass::Terminal,
            ));
        }
        Ok(())
    }

    fn key(&self) -> Option<&str> {
        self.config.api_key.as_ref().map(|k| k.expose().as_str())
    }

    fn authorized(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        for (name, value) in &self.config.headers {
            request = request.header(name, value);
        }
        match self.key().filter(|k| !k.is_empty()) {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }
}

#[async_trait::async_trait]
impl LanguageModel for OpenAiCompatClient {
    fn label(&self) -> &str {
        &self.label
    }

    fn id(&self) -> &str {
        &self.config.id
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn is_rehearsal(&self) -> bool {
        false
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion, ProviderError> {
        let name = &self.config.name;
        let body = wire::request_body(&self.config.model, self.config.token_limit, &req);
        let request = self.authorized(self.http.post(http::url(&self.config.base_url, "chat/completions")));
        let reply = send(name, &self.config.base_url, request.json(&body)).await?;
        if !reply.status.is_success() {
            return Err(errors::from_reply(name, &reply, &self.config.model, self.key()));
        }
        let request_id = reply.request_id();
        // A 2xx reply was billed even when its body is cut off; without usage, only the worst case is known.
        let completion: wire::ChatCompletion = reply.decode(name).map_err(ProviderError::with_unreadable_bill)?;
        let usage = completion
            .usage
            .as_ref()
            .map(wire::ChatUsage::normalized)
            .unwrap_or_default();
        let model = completion.model.clone().unwrap_or_else(|| self.config.model.clone());
        let choices = completion.choices.unwrap_or_default();
        let content = wire::answer(name, &choices).map_err(|e| {
            e.with_request_id(request_id.clone())
                .with_billed_usage(usage.clone(), model.clone())
        })?;
        Ok(Completion {
            content,
            usage,
            provider: self.label.clone(),
            provider_id: self.config.id.clone(),
            model,
            request_id,
            sources: Vec::new(),
        })
    }
}

fn wrong_url(name: &str) -> ProviderError {
    ProviderError::new(
        "wrong_url",
        format!("No OpenAI-compatible API answered at the base URL for {name}. Check that it ends in /v1."),
        ErrorClass::Terminal,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ModelList {
    data: Option<Vec<ListedModel>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListedModel {
    id: Option<String>,
}
