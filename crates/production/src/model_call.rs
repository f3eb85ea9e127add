//! One structured call for a job: cast the job's route, and for each provider in turn render the prompts,
//! reserve the worst case in the budget ledger, call, settle to the reported usage, and accept the answer only
//! if it matches the artifact's JSON Schema. A schema failure gets a correction request naming the problems
//! (at most [`MAX_CORRECTIONS`]); a provider without a working key, quota or price hands the job to the next
//! one on the route. A malformed answer is never saved as good.
//!
//! Outages move on too: a provider whose shared limiter has it out (it failed
//! [`showrunner_providers::limiter::OUTAGE_AFTER`] calls in a row with 5xx, overload or timeouts, in this run or
//! any other) is passed over while its cool-down lasts, and so is one that asks to be left alone for longer
//! than the stage may take. Both move only to a real provider: the offline crew does not stand in for a
//! provider that is merely down, so with nothing else on the route the failure goes back to the engine's
//! retry policy.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};
use showrunner_contracts::{correction_prompt, schema_problems};
use showrunner_domain::{ArtifactKind, BrandVoice, Money, Route, RouteNote, StageCode};
use showrunner_engine::{BudgetState, ErrorClass, PaidCall, PaidResult, StageContext, StageError};
use showrunner_providers::{
    Completion, CompletionRequest, Fallback, LanguageModel, PriceError, PriceTable, ProviderError, Usage, WebSource,
};

use crate::failure_bill::failed_call;

use crate::{prompts, Crew, Job};

/// Correction requests after a schema failure, before the stage fails with `invalid_output`.
pub const MAX_CORRECTIONS: usize = 2;

/// What a stage asks for.
pub struct Question<'a> {
    pub job: Job,
    pub task: &'a str,
    pub brand: &'a BrandVoice,
    pub context: Value,
    pub kind: ArtifactKind,
    pub max_output_tokens: u32,
}

pub struct Answer<T> {
    pub value: T,
    /// What this answer added to the bill (zero when reused after a restart).
    pub cost: Money,
    /// The provider that answered, with any provider passed over and why.
    pub route: Route,
    /// Web sources the provider cited (Perplexity), for the research facts.
    pub sources: Vec<WebSource>,
}

/// A provider's failure as a stage failure, marked as `provider`'s so its retry policy applies.
pub fn provider_error(provider: &str, e: ProviderError) -> StageError {
    StageError {
        code: StageCode::of(e.code()),
        message: e.to_string(),
        class: if e.class().is_retryable() {
            ErrorClass::Transient
        } else {
            ErrorClass::Terminal
        },
        retry_after: e.retry_after(),
        provider: Some(provider.to_owned()),
    }
}

pub(crate) fn price_problem(e: &PriceError) -> String {
    format!("no price ({e})")
}

impl Try {
    /// The price table cannot price this model: pass it over (a call we cannot count is never made).
    pub(crate) fn no_price(e: &PriceError) -> Try {
        Try::PassOver {
            reason: price_problem(e),
            error: StageError::terminal(StageCode::MissingPrice, format!("no price for this model ({e})")),
        }
    }
}

/// The offline crew stands in only for providers the producer has not set up. A provider that was tried and
/// refused (a wrong key, no credit, an unknown model) fails the stage with its own code, so the failure says
/// what to fix and a retry uses the fixed key, instead of a rehearsal script passing for the real thing.
pub(crate) fn refused_before_offline(tried: Option<StageError>, passed_over: &[String]) -> Option<StageError> {
    tried.map(|mut error| {
        error.message = format!(
            "{} Nothing was handed to the offline crew, which stands in only for providers that are not set up \
             (passed over: {}).",
            error.message,
            passed_over.join("; ")
        );
        error
    })
}

/// How one provider's try ended when it did not produce an answer.
pub(crate) enum Try {
    /// Hand the job to the next provider on the route, for this reason; `error` is what the stage fails
    /// with if only the offline crew is left (it does not stand in for a provider that was tried).
    PassOver {
        reason: String,
        error: StageError,
    },
    /// The provider is down (or asks for a wait longer than the stage may take): hand the job to the next
    /// real provider, else fail with `error` so the engine retries.
    Outage {
        reason: String,
        error: StageError,
    },
    Fail(StageError),
}

/// What a provider's failed call means for the route: `out_for` is how long its limiter has it out now,
/// `stage_limit_ms` the stage's time limit for all its tries.
pub(crate) fn after_failure(
    p: &ProviderError,
    out_for: Option<Duration>,
    stage_limit_ms: Option<u64>,
    error: StageError,
) -> Try {
    match p.fallback() {
        Fallback::NextProvider => Try::PassOver {
            reason: p.message().to_owned(),
            error,
        },
        Fallback::Outage => match out_for {
            Some(left) => Try::Outage {
                reason: out_reason(left, Some(p.message())),
                error,
            },
            None => Try::Fail(error),
        },
        Fallback::SlowDown => match (p.retry_after(), stage_limit_ms) {
            (Some(wait), Some(limit)) if wait >= Duration::from_millis(limit) => Try::Outage {
                reason: format!(
                    "asked to wait {} s, longer than the stage's time limit ({})",
                    wait.as_secs(),
                    p.message()
                ),
                error,
            },
            _ => Try::Fail(error),
        },
        Fallback::SameRequest => Try::Fail(error),
    }
}

/// Why a provider that is out is passed over, for the route string.
pub(crate) fn out_reason(left: Duration, last: Option<&str>) -> String {
    let last = last.map(|m| format!("; last: {m}")).unwrap_or_default();
    format!(
        "out after failing {} calls in a row, skipped for {} s{last}",
        showrunner_providers::limiter::OUTAGE_AFTER,
        left.as_secs().max(1)
    )
}

/// A check of an answer beyond its schema (ids that must be unique, facts that must exist…). Each problem it
/// names is sent back in a correction request, like a schema problem.
pub type Contract<'a, T> = &'a (dyn Fn(&T) -> Vec<String> + Send + Sync);

/// Asks the job's route for an artifact of `question.kind`, decoded as `T`.
pub async fn ask<T: DeserializeOwned>(
    crew: &Crew,
    ctx: &StageContext,
    q: Question<'_>,
) -> Result<Answer<T>, StageError> {
    ask_checked(crew, ctx, q, &|_: &T| Vec::new()).await
}

/// [`ask`], with the answer held to `contract` as well as to its schema.
pub async fn ask_checked<T: DeserializeOwned>(
    crew: &Crew,
    ctx: &StageContext,
    q: Question<'_>,
    contract: Contract<'_, T>,
) -> Result<Answer<T>, StageError> {
    let casting = crew.roster.writers(q.job).await;
    let system = prompts::system(q.brand)?;
    let template = prompts::TaskTemplate::current(ctx, q.task).await?;
    let prompt = prompts::render_task(&template, &q.context)?;
    let mut passed_over = casting.skipped.clone();
    let mut cast = casting.cast;
    // At 95 % of the budget, the primary (dearest) provider steps aside for the fallback, if there is one
    // besides the offline crew.
    if ctx.budget_state().await? >= BudgetState::Degraded && cast.len() > 2 {
        let primary = cast.remove(0);
        passed_over.push(format!("{}: budget at 95 %, using the fallback", primary.label()));
    } else if ctx.final_remediation {
        strongest_first(&crew.prices.current(), &mut cast);
    }
    // The failure of the last real provider that was tried and refused the job.
    let mut refused: Option<StageError> = None;
    for (i, model) in cast.iter().enumerate() {
        if model.is_rehearsal() {
            if let Some(error) = refused_before_offline(refused.take(), &passed_over) {
                return Err(error);
            }
        }
        // Only a real provider stands in for one that is down.
        let real_one_later = cast[i + 1..].iter().any(|m| !m.is_rehearsal());
        if let (Some(left), true) = (model.out_for(), real_one_later) {
            passed_over.push(format!("{}: {}", model.label(), out_reason(left, None)));
            continue;
        }
        let rendered = Rendered {
            template: &template,
            system: &system,
            prompt: &prompt,
        };
        match ask_model::<T>(crew, ctx, model.as_ref(), &q, rendered, contract).await {
            Ok(mut answer) => {
                answer.route = answer.route.noting(RouteNote::PassedOver(passed_over));
                return Ok(answer);
            }
            Err(Try::PassOver { reason, error }) => {
                passed_over.push(format!("{}: {reason}", model.label()));
                refused = Some(error);
            }
            Err(Try::Outage { reason, .. }) if real_one_later => {
                passed_over.push(format!("{}: {reason}", model.label()))
            }
            Err(Try::Outage { error, .. } | Try::Fail(error)) => return Err(error),
        }
    }
    if let Some(error) = refused_before_offline(refused, &passed_over) {
        return Err(error);
    }
    Err(StageError::terminal(
        StageCode::NoProvider,
        format!("No provider could do {}: {}", q.task, passed_over.join("; ")),
    ))
}

/// The gates' last chance goes to the route's higher tier: its models ordered by what a million output tokens
/// cost, dearest first (a stable sort, so equals keep the producer's order; the offline crew has no price and
/// stays last).
fn strongest_first(prices: &PriceTable, cast: &mut [Arc<dyn LanguageModel>]) {
    let tier = |m: &Arc<dyn LanguageModel>| {
        prices
            .estimate_llm(m.id(), m.model(), 0, 1_000_000)
            .unwrap_or(Money::ZERO)
    };
    cast.sort_by_key(|m| std::cmp::Reverse(tier(m)));
}

/// The prompts of one question, and the template the task prompt came from.
#[derive(Clone, Copy)]
struct Rendered<'a> {
    template: &'a prompts::TaskTemplate,
    system: &'a str,
    prompt: &'a str,
}

async fn ask_model<T: DeserializeOwned>(
    crew: &Crew,
    ctx: &StageContext,
    model: &dyn LanguageModel,
    q: &Question<'_>,
    rendered: Rendered<'_>,
    contract: Contract<'_, T>,
) -> Result<Answer<T>, Try> {
    let Rendered {
        template,
        system,
        prompt,
    } = rendered;
    let schema = q.kind.schema();
    let mut cost = Money::ZERO;
    let mut this_prompt = prompt.to_owned();
    // The calls whose answers broke the contract: rejected if the last correction fails too.
    let mut unusable: Vec<String> = Vec::new();
    for round in 0..=MAX_CORRECTIONS {
        let request = CompletionRequest {
            task: q.task.to_owned(),
            system: system.to_owned(),
            prompt: this_prompt.clone(),
            context: q.context.clone(),
            output_schema: schema.clone(),
            max_output_tokens: q.max_output_tokens,
        };
        let input_tokens = approx_tokens(system) + approx_tokens(&this_prompt) + approx_tokens(&schema.to_string());
        let estimate = crew
            .prices
            .current()
            .estimate_llm(model.id(), model.model(), input_tokens, u64::from(q.max_output_tokens))
            .map_err(|e| Try::no_price(&e))?;
        let key = call_key(q.task, model, &request);
        let call = PaidCall {
            key: key.clone(),
            provider: model.id().to_owned(),
            model: model.model().to_owned(),
            estimate,
            prompt: Some(template.stamp(&this_prompt)),
            reuse_key: None,
        };
        let refused: Mutex<Option<ProviderError>> = Mutex::new(None);
        let outcome = ctx
            .paid_call(call, || async {
                let completion = model.complete(request).await.map_err(|e| {
                    if let Ok(mut slot) = refused.lock() {
                        *slot = Some(e.clone());
                    }
                    // A reply that came back unusable (cut off, refused, malformed) is still on the bill.
                    failed_call(&crew.prices.current(), model.id(), e, Money::ZERO, &Usage::default())
                })?;
                // A model id the table does not know (a new dated snapshot) is billed at the reservation:
                // never less than the truth.
                let (call_cost, price_row) =
                    match crew
                        .prices
                        .current()
                        .cost(&completion.provider_id, &completion.model, &completion.usage)
                    {
                        Ok(priced) => (priced.cost, Some(priced.row_id)),
                        Err(_) => (estimate, None),
                    };
                Ok(PaidResult {
                    cost: call_cost,
                    usage: serde_json::to_value(&completion.usage).unwrap_or(Value::Null),
                    price_row,
                    request_id: completion.request_id.clone(),
                    value: completion,
                })
            })
            .await;
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                let provider_refused = refused.lock().ok().and_then(|mut slot| slot.take());
                return Err(match provider_refused {
                    Some(p) => after_failure(&p, model.out_for(), ctx.spec.deadline_ms, e),
                    None => Try::Fail(e),
                });
            }
        };
        cost += outcome.cost;
        let completion: Completion = outcome.value;
        let mut problems = schema_problems(q.kind, &completion.content);
        if problems.is_empty() {
            match serde_json::from_value::<T>(completion.content.clone()) {
                Ok(value) => {
                    problems = contract(&value);
                    if problems.is_empty() {
                        return Ok(Answer {
                            value,
                            cost,
                            route: if model.is_rehearsal() {
                                Route::stand_in(completion.provider)
                            } else {
                                Route::by(completion.provider)
                            },
                            sources: completion.sources,
                        });
                    }
                }
                Err(e) => problems.push(e.to_string()),
            }
        }
        unusable.push(key);
        if round == MAX_CORRECTIONS {
            // Paid for, and kept on the bill, but never replayed: a retry asks again.
            ctx.reject_answers(&unusable).await.map_err(Try::Fail)?;
            return Err(Try::Fail(StageError::terminal(
                StageCode::InvalidOutput,
                format!(
                    "{} returned {} that does not match its contract, after {MAX_CORRECTIONS} correction requests: {}",
                    completion.provider,
                    q.kind.as_str(),
                    problems.join("; ")
                ),
            )));
        }
        this_prompt = correction_prompt(prompt, &problems, round + 1, MAX_CORRECTIONS);
    }
    unreachable!("the loop returns on its last round")
}

/// About four characters per token, rounded up.
pub(crate) fn approx_tokens(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4)
}

/// The same request to the same model gets the same key, so a call that finished before a crash is reused
/// rather than paid again; any change (feedback, a correction, another model) is a new call.
fn call_key(task: &str, model: &dyn LanguageModel, request: &CompletionRequest) -> String {
    let mut hash = Sha256::new();
    for part in [
        model.id(),
        model.model(),
        &request.system,
        &request.prompt,
        &request.context.to_string(),
        &request.max_output_tokens.to_string(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    format!("{task}/{}", hex::encode(&hash.finalize()[..12]))
}

#[cfg(test)]
mod tests {
    use showrunner_providers::RehearsalWriter;

    use super::*;

    /// A model on the route that is never called: the order of the route is what is tested.
    struct Named(&'static str, &'static str);

    #[async_trait::async_trait]
    impl LanguageModel for Named {
        fn label(&self) -> &str {
            self.1
        }
        fn id(&self) -> &str {
            self.0
        }
        fn model(&self) -> &str {
            self.1
        }
        fn is_rehearsal(&self) -> bool {
            false
        }
        async fn complete(&self, _req: CompletionRequest) -> Result<Completion, ProviderError> {
            unreachable!("ordering only")
        }
    }

    #[test]
    fn the_last_chance_goes_to_the_dearest_model_on_the_route_and_the_offline_crew_stays_last() {
        let mut cast: Vec<Arc<dyn LanguageModel>> = vec![
            Arc::new(Named("anthropic", "claude-sonnet-4-5")),
            Arc::new(Named("anthropic", "claude-opus-4-5")),
            Arc::new(RehearsalWriter::new()),
        ];
        strongest_first(&PriceTable::default_table(), &mut cast);
        let order: Vec<&str> = cast.iter().map(|m| m.model()).collect();
        assert_eq!(order[..2], ["claude-opus-4-5", "claude-sonnet-4-5"]);
        assert!(cast[2].is_rehearsal());
    }
}
