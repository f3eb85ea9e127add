//! Finding the models a local server offers: Ollama (`GET /api/tags`, then `POST /api/show` per model for its
//! context length) and LM Studio (`GET /v1/models`). Each probe has a short timeout: a server that is not
//! running must not hold up the app's start or the Providers page.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::http;
use crate::{ErrorClass, ProviderError};

/// How long a probe waits for a local server; they answer in milliseconds when running.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(1_500);

/// One model a local server has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalModel {
    /// The id a chat request names, e.g. `llama3.1:8b`.
    pub id: String,
    /// The model's context window in tokens, when the server says.
    pub context_tokens: Option<u64>,
}

/// Which local API to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalServerKind {
    Ollama,
    LmStudio,
}

/// The models at `base_url` (the OpenAI-compatible address, ending in `/v1`), or why the server could not
/// be asked (not running: `unreachable`; not the expected server: `wrong_url`).
pub async fn list_local_models(kind: LocalServerKind, base_url: &str) -> Result<Vec<LocalModel>, ProviderError> {
    let client = http::client(PROBE_TIMEOUT)?;
    match kind {
        LocalServerKind::Ollama => ollama_models(&client, base_url).await,
        LocalServerKind::LmStudio => lm_studio_models(&client, base_url).await,
    }
}

/// Ollama's own API sits beside its OpenAI-compatible one: `http://host:11434/v1` → `http://host:11434`.
fn ollama_root(base_url: &str) -> &str {
    let trimmed = base_url.trim_end_matches('/');
    trimmed.strip_suffix("/v1").unwrap_or(trimmed)
}

async fn get_json(name: &str, base_url: &str, request: reqwest::RequestBuilder) -> Result<Value, ProviderError> {
    let reply = request
        .send()
        .await
        .map_err(|e| http::transport_error(name, base_url, &e))?;
    if !reply.status().is_success() {
        return Err(not_this_server(name));
    }
    reply.json::<Value>().await.map_err(|_| not_this_server(name))
}

fn not_this_server(name: &str) -> ProviderError {
    ProviderError::new(
        "wrong_url",
        format!("The server at {name}'s address did not answer like {name}."),
        ErrorClass::Terminal,
    )
}

#[derive(Debug, Deserialize)]
struct Tags {
    #[serde(default)]
    models: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
struct Tag {
    name: String,
}

async fn ollama_models(client: &reqwest::Client, base_url: &str) -> Result<Vec<LocalModel>, ProviderError> {
    let root = ollama_root(base_url);
    let tags = get_json("Ollama", base_url, client.get(http::url(root, "api/tags"))).await?;
    let tags: Tags = serde_json::from_value(tags).map_err(|_| not_this_server("Ollama"))?;
    let mut out = Vec::with_capacity(tags.models.len());
    for tag in tags.models {
        // A model whose details fail is still listed: the context is then unknown, not the model.
        let shown = get_json(
            "Ollama",
            base_url,
            client
                .post(http::url(root, "api/show"))
                .json(&serde_json::json!({ "model": tag.name })),
        )
        .await
        .ok();
        out.push(LocalModel {
            context_tokens: shown.as_ref().and_then(ollama_context),
            id: tag.name,
        });
    }
    Ok(out)
}

/// `model_info` names the length per architecture (`llama.context_length`, `qwen2.context_length`); a
/// `num_ctx` the producer set in the Modelfile is what the server really runs with, so it wins.
fn ollama_context(show: &Value) -> Option<u64> {
    let num_ctx = show.get("parameters").and_then(Value::as_str).and_then(|p| {
        p.lines().find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("num_ctx")).then(|| words.next()?.parse().ok())?
        })
    });
    num_ctx.or_else(|| {
        show.get("model_info")?
            .as_object()?
            .iter()
            .find(|(key, _)| key.ends_with(".context_length"))
            .and_then(|(_, value)| value.as_u64())
    })
}

async fn lm_studio_models(client: &reqwest::Client, base_url: &str) -> Result<Vec<LocalModel>, ProviderError> {
    let list = get_json("LM Studio", base_url, client.get(http::url(base_url, "models"))).await?;
    let data = list
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| not_this_server("LM Studio"))?;
    Ok(data
        .iter()
        .filter_map(|m| {
            Some(LocalModel {
                id: m.get("id")?.as_str()?.to_owned(),
                // LM Studio's OpenAI list has no length; some builds add one.
                context_tokens: ["max_context_length", "context_length"]
                    .iter()
                    .find_map(|field| m.get(*field).and_then(Value::as_u64)),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_comes_from_num_ctx_else_the_architectures_length() {
        let show = serde_json::json!({
            "model_info": {"general.architecture": "llama", "llama.context_length": 131072},
            "parameters": "stop \"<|eot_id|>\"\nnum_ctx 8192",
        });
        assert_eq!(ollama_context(&show), Some(8192));
        let show = serde_json::json!({"model_info": {"qwen2.context_length": 32768}});
        assert_eq!(ollama_context(&show), Some(32768));
        assert_eq!(ollama_context(&serde_json::json!({})), None);
    }

    #[test]
    fn ollamas_own_api_is_beside_its_openai_one() {
        assert_eq!(ollama_root("http://localhost:11434/v1"), "http://localhost:11434");
        assert_eq!(ollama_root("http://box:11434/v1/"), "http://box:11434");
        assert_eq!(ollama_root("http://box:11434"), "http://box:11434");
    }
}
