//! The Routes editor: which provider and model does each job, primary first, with the offline crew always
//! last. The plan is saved as the `routes` setting, which the roster reads at every call, so a saved plan
//! applies to the next call without a restart.

use serde::Serialize;
use showrunner_domain::ProviderId;
use showrunner_domain::ValidationErrors;
/// The plan's own types cross as they are (the shell and the CLI need no dependency on production).
pub use showrunner_production::{Job, ModelChoice, RoutePlan};
use showrunner_production::{RouteError, ROUTES_SETTING};
use ts_rs::TS;

use crate::dto::ProviderKind;
use crate::roster::{key_owner, saved_plan};
use crate::{ApiError, App, ErrorCode};

/// A model the price table knows for a provider, offered when picking a model.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ModelOption {
    pub model: String,
    /// e.g. "Claude Sonnet 4.5".
    pub label: Option<String>,
}

/// A provider a route may name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RouteProviderView {
    pub id: String,
    pub label: String,
    pub kind: ProviderKind,
    pub needs_key: bool,
    /// A key is set (keyring or environment). Steps on a provider without one are passed over.
    pub has_key: bool,
    /// Runs on this computer (Ollama, LM Studio): no key, but its server must be running.
    pub local: bool,
    /// Models with a price; a model without one is passed over when the job runs.
    pub models: Vec<ModelOption>,
    /// The table has a price for any model of this provider (local servers).
    pub any_model_priced: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct JobRouteView {
    pub job: Job,
    pub label: String,
    /// Speech jobs take speech providers; every other job takes text providers.
    pub speech: bool,
    /// Primary first; the offline crew follows the last step.
    pub chain: Vec<ModelChoice>,
    /// What "Reset to defaults" puts back.
    pub default_chain: Vec<ModelChoice>,
}

/// The offline crew member that always ends a route.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OfflineStep {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RoutePlanView {
    pub jobs: Vec<JobRouteView>,
    pub providers: Vec<RouteProviderView>,
    /// Ends every text route.
    pub offline_writer: OfflineStep,
    /// Ends the speech route.
    pub offline_speech: OfflineStep,
    /// The producer's plan differs from the defaults.
    pub customized: bool,
}

/// A provider as the producer knows it.
pub(crate) fn provider_label(app: &App, id: &str) -> String {
    if let Some(provider) = ProviderId::parse(id) {
        return provider.label().to_owned();
    }
    match id {
        _ if id == app.writer().id() => app.writer().label().to_owned(),
        _ if id == app.speech().id() => app.speech().label().to_owned(),
        other => other.to_owned(),
    }
}

async fn providers(app: &App) -> Vec<RouteProviderView> {
    let prices = app.prices();
    let mut out = Vec::new();
    for provider in ProviderId::all() {
        let id = provider.as_str();
        let owner = key_owner(provider);
        let has_key = match owner {
            Some(owner) => app.keychain().status(owner).await.is_ok_and(|s| s.set),
            None => false,
        };
        let rows = prices.rows().iter().filter(|r| r.provider == id);
        out.push(RouteProviderView {
            id: id.to_owned(),
            label: provider.label().to_owned(),
            kind: provider.kind(),
            needs_key: owner.is_some(),
            has_key,
            local: provider.is_local(),
            models: rows
                .clone()
                .filter(|r| r.model != "*")
                .map(|r| ModelOption {
                    model: r.model.clone(),
                    label: r.label.clone(),
                })
                .collect(),
            any_model_priced: rows.clone().any(|r| r.model == "*"),
        });
    }
    out
}

fn view(app: &App, plan: &RoutePlan, providers: Vec<RouteProviderView>) -> RoutePlanView {
    let defaults = RoutePlan::default();
    RoutePlanView {
        jobs: Job::ALL
            .into_iter()
            .map(|job| JobRouteView {
                job,
                label: job.label().to_owned(),
                speech: job.is_speech(),
                chain: plan.route(job).to_vec(),
                default_chain: defaults.route(job).to_vec(),
            })
            .collect(),
        providers,
        offline_writer: OfflineStep {
            id: app.writer().id().to_owned(),
            label: app.writer().label().to_owned(),
        },
        offline_speech: OfflineStep {
            id: app.speech().id().to_owned(),
            label: app.speech().label().to_owned(),
        },
        customized: Job::ALL.iter().any(|j| plan.route(*j) != defaults.route(*j)),
    }
}

pub async fn route_plan(app: &App) -> Result<RoutePlanView, ApiError> {
    let plan = saved_plan(app.store()).await;
    Ok(view(app, &plan, providers(app).await))
}

/// `write` for [`Job::Write`]: how the plan's JSON names a job, and so how error fields name it.
fn job_key(job: Job) -> String {
    serde_json::to_value(job)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Checks every step and reports each bad one at `routes.<job>[<i>].provider` or `.model`, so the editor
/// marks the step itself; nothing is saved unless the whole plan is valid.
fn check(plan: &RoutePlan) -> Result<(), ApiError> {
    let mut errors = ValidationErrors::default();
    for (job, chain) in &plan.routes {
        for (i, choice) in chain.iter().enumerate() {
            let one = RoutePlan {
                routes: [(*job, vec![choice.clone()])].into(),
            };
            if let Err(e) = one.validate() {
                let part = match e {
                    RouteError::EmptyModel { .. } => "model",
                    _ => "provider",
                };
                errors.add(format!("routes.{}[{i}].{part}", job_key(*job)), e.to_string());
            }
        }
    }
    // The same check as a whole, so nothing `validate` rejects can slip past the per-step pass.
    if errors.is_empty() {
        if let Err(e) = plan.validate() {
            errors.add("routes", e.to_string());
        }
    }
    errors.into_result().map_err(ApiError::from)
}

/// Saves the plan; the next call of every job follows it.
pub async fn save_route_plan(app: &App, mut plan: RoutePlan) -> Result<RoutePlanView, ApiError> {
    for chain in plan.routes.values_mut() {
        for choice in chain.iter_mut() {
            choice.provider = choice.provider.trim().to_owned();
            choice.model = choice.model.trim().to_owned();
        }
    }
    check(&plan)?;
    let value = serde_json::to_value(&plan).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    app.store().put_setting(ROUTES_SETTING, &value, app.now_ms()).await?;
    Ok(view(app, &plan, providers(app).await))
}
