//! "Test connection" on a provider card: builds the provider's client exactly as the roster does (same key,
//! same base URL, same model as the producer's routes) and asks it the cheapest question it has.

use std::time::Duration;

use serde::Serialize;
use showrunner_domain::ProviderId;
use showrunner_production::{Job, ModelChoice, RoutePlan};
use showrunner_providers::{ErrorClass, ProviderCode};
use ts_rs::TS;

use crate::roster::{base_urls, build_client, saved_plan, setup, Setup};
use crate::routing::provider_label;
use crate::{ApiError, App, ErrorCode};

/// Long enough for a slow proxy, short enough that the button never seems stuck.
const CHECK_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionOutcome {
    Ok,
    BadKey,
    OutOfQuota,
    Unreachable,
    WrongUrl,
    NoKey,
    Error,
}

/// What the check found, in words the producer can act on. Never contains the key.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConnectionVerdict {
    pub verdict: ConnectionOutcome,
    pub message: String,
    /// The model the check asked for, when it got that far.
    pub model: Option<String>,
}

fn verdict(verdict: ConnectionOutcome, message: impl Into<String>, model: Option<&str>) -> ConnectionVerdict {
    ConnectionVerdict {
        verdict,
        message: message.into(),
        model: model.map(str::to_owned),
    }
}

/// "Label: reason." without doubling a reason's own full stop.
fn sentence(label: &str, reason: &str) -> String {
    let reason = reason.trim_end_matches('.');
    format!("{label}: {reason}.")
}

/// The model the provider's first route step uses (the producer's plan, else the defaults): the check
/// should ask for a model the runs will really use.
fn model_for(plan: &RoutePlan, provider: &str) -> Option<String> {
    Job::ALL
        .iter()
        .flat_map(|job| plan.route(*job))
        .find(|c| c.provider == provider)
        .map(|c| c.model.clone())
}

pub async fn test_connection(app: &App, provider_id: &str) -> Result<ConnectionVerdict, ApiError> {
    let provider = provider_id.trim();
    let Some(known) = ProviderId::parse(provider) else {
        return Err(ApiError::field(
            ErrorCode::InvalidInput,
            "provider",
            &format!("'{provider}' is not a provider with a connection to test."),
        ));
    };
    let label = provider_label(app, provider);
    let model = match model_for(&saved_plan(app.store()).await, provider)
        .or_else(|| model_for(&RoutePlan::default(), provider))
    {
        Some(model) => model,
        None => {
            return Ok(verdict(
                ConnectionOutcome::Error,
                format!("No route uses {label} yet. Add it to a job on the Routes page, then test it."),
                None,
            ))
        }
    };
    let (key, base_url) = match setup(app.keychain(), app.environment(), known, &base_urls(app.store()).await).await {
        Setup::Ready { key, base_url } => (key, base_url),
        Setup::NoKey(reason) | Setup::KeyUnreadable { reason, locked: false } => {
            return Ok(verdict(ConnectionOutcome::NoKey, sentence(&label, &reason), None))
        }
        Setup::KeyUnreadable { reason, locked: true } => {
            return Ok(verdict(ConnectionOutcome::Error, sentence(&label, &reason), None))
        }
    };
    let client = match build_client(&ModelChoice::new(provider, &model), key, base_url) {
        Ok(client) => client,
        Err(e) => return Ok(verdict(ConnectionOutcome::Error, e.to_string(), Some(&model))),
    };
    let outcome = match tokio::time::timeout(CHECK_TIMEOUT, client.check_connection()).await {
        Ok(outcome) => outcome,
        Err(_) => {
            return Ok(verdict(
                ConnectionOutcome::Unreachable,
                format!(
                    "{label} did not answer within {} seconds. Check your internet connection and the base URL.",
                    CHECK_TIMEOUT.as_secs()
                ),
                Some(&model),
            ))
        }
    };
    Ok(match outcome {
        Ok(()) => verdict(
            ConnectionOutcome::Ok,
            format!("Connected: {label} accepted the key and offers {model}."),
            Some(&model),
        ),
        Err(e) => {
            let kind = match (e.class(), e.kind()) {
                (ErrorClass::Auth, _) => ConnectionOutcome::BadKey,
                (ErrorClass::Quota, _) => ConnectionOutcome::OutOfQuota,
                (_, ProviderCode::Unreachable) => ConnectionOutcome::Unreachable,
                (_, ProviderCode::WrongUrl) => ConnectionOutcome::WrongUrl,
                _ => ConnectionOutcome::Error,
            };
            verdict(kind, e.to_string(), Some(&model))
        }
    })
}
