//! Billing reconciliation: the real provider clients against the fakes, one reply kind at a time. What the
//! ledger would record for each reply (an answer priced from its usage, a failure priced by
//! [`failed_call`](crate::failure_bill::failed_call)) must equal what the fake says it billed, priced with the
//! same table; a reply whose usage cannot be read counts at its reservation, never less than the bill.

use std::sync::Arc;

use serde_json::json;
use showrunner_domain::Money;
use showrunner_provider_fakes::{Bill, FakeConfig, FakeServer, Fault};
use showrunner_providers::anthropic::{AnthropicClient, AnthropicConfig};
use showrunner_providers::gemini::{GeminiClient, GeminiConfig};
use showrunner_providers::{CompletionRequest, LanguageModel, PriceTable, Usage};
use showrunner_secrets::Sensitive;

use crate::failure_bill::failed_call;

const KEY: &str = "fake-reconciliation-key-1c9e";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Ok,
    MaxTokens,
    SchemaInvalid,
    TruncatedBody,
}

fn request(max_output_tokens: u32) -> CompletionRequest {
    CompletionRequest {
        task: "script.write".into(),
        system: "You write podcast scripts for Harbour Lights. ".repeat(20),
        prompt: "Write the segment about lighthouse keepers.".into(),
        context: json!({}),
        output_schema: json!({"type": "object", "properties": {"lines": {"type": "array"}}}),
        max_output_tokens,
    }
}

fn usage_of(bill: Bill) -> Usage {
    Usage {
        input_tokens: bill.input_tokens,
        cache_write_5m_tokens: bill.cache_write_5m_tokens,
        cache_write_1h_tokens: bill.cache_write_1h_tokens,
        cache_read_tokens: bill.cache_read_tokens,
        output_tokens: bill.output_tokens,
        characters: bill.characters,
        ..Usage::default()
    }
}

/// One call of `kind`: (what the fake billed, priced; what the ledger records; counted at the reservation).
async fn reconcile(model: &dyn LanguageModel, server: &FakeServer, kind: Kind) -> (Money, Money, bool) {
    let prices = PriceTable::default_table();
    let before = server.script().billed();
    let limit = if kind == Kind::MaxTokens { 3 } else { 4_000 };
    match kind {
        Kind::SchemaInvalid => server.script().fail_next(Fault::SchemaInvalid),
        Kind::TruncatedBody => server.script().fail_next(Fault::TruncatedJson),
        Kind::Ok | Kind::MaxTokens => {}
    }
    let req = request(limit);
    let reservation = prices
        .estimate_llm(model.id(), model.model(), 2_000, u64::from(limit))
        .unwrap();
    let (ledger, at_reservation) = match model.complete(req).await {
        Ok(done) => (
            prices.cost(&done.provider_id, &done.model, &done.usage).unwrap().cost,
            false,
        ),
        Err(e) => {
            let paid = failed_call(&prices, model.id(), e, Money::ZERO, &Usage::default());
            if paid.at_reservation {
                (reservation.max(paid.billed), true)
            } else {
                (paid.billed, false)
            }
        }
    };
    let after = server.script().billed();
    assert_eq!(after.replies, before.replies + 1, "{kind:?}: one reply billed");
    let delta = Bill {
        replies: 1,
        input_tokens: after.input_tokens - before.input_tokens,
        cache_write_5m_tokens: after.cache_write_5m_tokens - before.cache_write_5m_tokens,
        cache_write_1h_tokens: after.cache_write_1h_tokens - before.cache_write_1h_tokens,
        cache_read_tokens: after.cache_read_tokens - before.cache_read_tokens,
        output_tokens: after.output_tokens - before.output_tokens,
        characters: after.characters - before.characters,
    };
    let billed = prices.cost(model.id(), model.model(), &usage_of(delta)).unwrap().cost;
    (billed, ledger, at_reservation)
}

async fn every_kind(provider: &str, model: Arc<dyn LanguageModel>, server: &FakeServer) {
    for kind in [Kind::Ok, Kind::MaxTokens, Kind::SchemaInvalid, Kind::TruncatedBody] {
        let (billed, ledger, at_reservation) = reconcile(model.as_ref(), server, kind).await;
        eprintln!("| {provider} | {kind:?} | {billed} | {ledger} | {at_reservation} |");
        assert!(billed > Money::ZERO, "{provider} {kind:?}: the fake billed nothing");
        if kind == Kind::TruncatedBody {
            assert!(
                at_reservation,
                "{provider}: an unreadable reply counts at its reservation"
            );
            assert!(ledger >= billed, "{provider}: the worst case is never below the bill");
        } else {
            assert!(!at_reservation, "{provider} {kind:?}");
            assert_eq!(ledger, billed, "{provider} {kind:?}: the ledger must equal the bill");
        }
    }
}

#[tokio::test]
async fn anthropic_replies_of_every_kind_are_counted_at_what_the_fake_billed() {
    let server = showrunner_provider_fakes::anthropic::start(FakeConfig::answering(KEY, json!({"lines": []}))).await;
    let mut config = AnthropicConfig::new(Sensitive::new(KEY.to_owned()), "claude-sonnet-4-5");
    config.base_url = server.base_url();
    let model: Arc<dyn LanguageModel> = Arc::new(AnthropicClient::new(config).unwrap());
    every_kind("anthropic", model, &server).await;
}

#[tokio::test]
async fn gemini_replies_of_every_kind_are_counted_at_what_the_fake_billed() {
    let server = showrunner_provider_fakes::gemini::start(FakeConfig::answering(KEY, json!({"lines": []}))).await;
    let mut config = GeminiConfig::new(Sensitive::new(KEY.to_owned()), "gemini-2.5-pro");
    config.base_url = server.base_url();
    let model: Arc<dyn LanguageModel> = Arc::new(GeminiClient::new(config).unwrap());
    every_kind("gemini", model, &server).await;
}
