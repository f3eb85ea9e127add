//! Local writers found and offered: the Ollama and LM Studio servers at their addresses (the catalog's, or
//! the producer's), probed with a short timeout, and their models listed with a warning when a model's
//! context cannot hold a stage's prompt and answer. "Use" puts one model first on every text route, ahead of
//! the paid steps and the rehearsal writer; local models bill $0 and the ledger still records their usage.

use serde::Serialize;
use showrunner_domain::ProviderId;
use showrunner_production::{context_needs, Job, ModelChoice};
use showrunner_providers::openai_compat::discovery::{list_local_models, LocalModel, LocalServerKind};
use ts_rs::TS;

use crate::roster::{base_urls, saved_plan};
use crate::routing::{save_route_plan, RoutePlanView};
use crate::{ApiError, App, ErrorCode};

/// The episode length warnings are reckoned for: the new-episode form's default.
pub const TYPICAL_MINUTES: u32 = 25;

/// The local servers Showrunner looks for, and which API each speaks for its model list.
const SERVERS: [(ProviderId, LocalServerKind); 2] = [
    (ProviderId::Ollama, LocalServerKind::Ollama),
    (ProviderId::LmStudio, LocalServerKind::LmStudio),
];

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LocalModelView {
    pub provider: ProviderId,
    pub model: String,
    /// Tokens the model can hold, when the server says.
    #[ts(type = "number | null")]
    pub context_tokens: Option<u64>,
    /// Why this model may cut a stage's answer off (too small a context, or an unknown one).
    pub warning: Option<String>,
    /// It is first on the script-writing route now.
    pub in_use: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LocalServerView {
    pub provider: ProviderId,
    pub label: String,
    /// Where it was looked for.
    pub base_url: String,
    pub running: bool,
    /// Why it could not be asked (not running, or something else answered).
    pub problem: Option<String>,
    pub models: Vec<LocalModelView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LocalModelsView {
    pub servers: Vec<LocalServerView>,
    /// The episode length the warnings assume.
    pub target_minutes: u32,
}

/// What `model`'s context cannot hold, for an episode of `minutes`: the jobs whose largest call would not fit.
pub fn context_warning(context_tokens: Option<u64>, minutes: u32) -> Option<String> {
    let Some(context) = context_tokens else {
        return Some(
            "The server does not say how much context this model holds; long stages may be cut off.".to_owned(),
        );
    };
    let short: Vec<String> = context_needs(minutes)
        .into_iter()
        .filter(|need| need.tokens > context)
        .map(|need| format!("{} (about {} tokens)", need.job.label(), thousands(need.tokens)))
        .collect();
    (!short.is_empty()).then(|| {
        format!(
            "Its {}-token context is too small for a {minutes}-minute episode's {}: those answers would be cut off.",
            thousands(context),
            short.join(", ")
        )
    })
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The address a local server is looked for at: the environment's override, the saved one, the catalog's.
async fn address(app: &App, provider: ProviderId) -> String {
    if let Some(url) = app.environment().base_url(provider) {
        return url;
    }
    base_urls(app.store())
        .await
        .remove(provider.as_str())
        .unwrap_or_else(|| provider.spec().default_base_url.to_owned())
}

/// Probes every local server (in parallel, each with a short timeout) and lists its models.
pub async fn local_models(app: &App) -> Result<LocalModelsView, ApiError> {
    let plan = saved_plan(app.store()).await;
    let first_writer = plan.route(Job::Write).first().cloned();
    let probes = SERVERS.map(|(provider, kind)| async move {
        let base_url = address(app, provider).await;
        let found = list_local_models(kind, &base_url).await;
        (provider, base_url, found)
    });
    let [a, b] = probes;
    let (a, b) = tokio::join!(a, b);
    let servers = [a, b]
        .into_iter()
        .map(|(provider, base_url, found)| {
            let view_of = |m: LocalModel| LocalModelView {
                in_use: first_writer.as_ref() == Some(&ModelChoice::new(provider.as_str(), &m.id)),
                warning: context_warning(m.context_tokens, TYPICAL_MINUTES),
                context_tokens: m.context_tokens,
                provider,
                model: m.id,
            };
            let (running, problem, models) = match found {
                Ok(models) => (true, None, models.into_iter().map(view_of).collect()),
                Err(e) => (false, Some(e.to_string()), Vec::new()),
            };
            LocalServerView {
                provider,
                label: provider.label().to_owned(),
                base_url,
                running,
                problem,
                models,
            }
        })
        .collect();
    Ok(LocalModelsView {
        servers,
        target_minutes: TYPICAL_MINUTES,
    })
}

/// Puts `model` first on every text route. `provider` picks the server when both offer the model; without
/// it the server that lists the model is used. A model no running server lists is refused, nothing saved.
pub async fn use_local_model(app: &App, provider: Option<&str>, model: &str) -> Result<RoutePlanView, ApiError> {
    let model = model.trim();
    let wanted = match provider.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(id) => match ProviderId::parse(id).filter(|p| p.is_local()) {
            Some(p) => Some(p),
            None => {
                return Err(ApiError::field(
                    ErrorCode::InvalidInput,
                    "provider",
                    &format!("'{id}' is not a local server; use ollama or lmstudio."),
                ))
            }
        },
    };
    let found = local_models(app).await?;
    let server = found
        .servers
        .iter()
        .filter(|s| wanted.is_none_or(|w| w == s.provider))
        .find(|s| s.models.iter().any(|m| m.model == model));
    let Some(server) = server else {
        let running: Vec<&str> = found
            .servers
            .iter()
            .filter(|s| s.running)
            .map(|s| s.label.as_str())
            .collect();
        let message = if running.is_empty() {
            "No local server is running: start Ollama or LM Studio, then try again.".to_owned()
        } else {
            format!("'{model}' is not among the models of {}.", running.join(" or "))
        };
        return Err(ApiError::field(ErrorCode::NotFound, "model", &message));
    };
    let mut plan = saved_plan(app.store()).await;
    plan.put_first_on_text_routes(&ModelChoice::new(server.provider.as_str(), model));
    save_route_plan(app, plan).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_context_is_warned_about_by_job_and_a_large_one_is_not() {
        let small = context_warning(Some(8_192), 25).expect("8k cannot hold a 25-minute script");
        assert!(small.contains("Script writing"), "{small}");
        assert!(small.contains("8,192-token"), "{small}");
        assert_eq!(context_warning(Some(131_072), 25), None);
        assert!(context_warning(None, 25).is_some());
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
