//! What a failed provider call cost. A reply that came back and could not be used (cut off at the output
//! limit, refused, withheld for safety, malformed, a later speech piece failing after earlier pieces were
//! spoken) was billed all the same, so it is priced with the same table as an answer; a reply whose usage
//! cannot be read counts at its reservation, the worst case, never at nothing.

use serde_json::Value;
use showrunner_domain::Money;
use showrunner_engine::PaidCallError;
use showrunner_providers::{Billed, PriceTable, ProviderError, Usage};

use crate::model_call::provider_error;

/// The ledger's view of a failed call by `provider_id`: `paid_before` and `usage_before` are what earlier
/// parts of the same call (speech pieces already spoken) cost.
pub(crate) fn failed_call(
    prices: &PriceTable,
    provider_id: &str,
    error: ProviderError,
    paid_before: Money,
    usage_before: &Usage,
) -> PaidCallError {
    let request_id = error.request_id().map(str::to_owned);
    let billed = error.billed().cloned();
    let stage_error = provider_error(provider_id, error);
    match billed {
        None if paid_before == Money::ZERO => PaidCallError::from(stage_error),
        None => PaidCallError::priced(stage_error, paid_before, usage_json(usage_before), None, request_id),
        Some(Billed::Unreadable) => PaidCallError {
            billed: paid_before,
            ..PaidCallError::at_reservation(stage_error)
        },
        Some(Billed::Usage { usage, model }) => match prices.cost(provider_id, &model, &usage) {
            Ok(priced) => PaidCallError::priced(
                stage_error,
                paid_before + priced.cost,
                usage_json(&sum(usage_before, &usage)),
                Some(priced.row_id),
                request_id,
            ),
            // A model the table does not know: the reservation, as for an answer (never less than the truth).
            Err(_) => PaidCallError {
                billed: paid_before,
                usage: Some(usage_json(&usage)),
                ..PaidCallError::at_reservation(stage_error)
            },
        },
    }
}

fn usage_json(usage: &Usage) -> Value {
    serde_json::to_value(usage).unwrap_or(Value::Null)
}

/// Two usages of one call, added field by field.
pub(crate) fn sum(a: &Usage, b: &Usage) -> Usage {
    Usage {
        input_tokens: a.input_tokens + b.input_tokens,
        cache_write_5m_tokens: a.cache_write_5m_tokens + b.cache_write_5m_tokens,
        cache_write_1h_tokens: a.cache_write_1h_tokens + b.cache_write_1h_tokens,
        cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
        output_tokens: a.output_tokens + b.output_tokens,
        reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
        characters: a.characters + b.characters,
        search_requests: a.search_requests + b.search_requests,
        search_context: b.search_context.clone().or_else(|| a.search_context.clone()),
        reported_cost: match (a.reported_cost, b.reported_cost) {
            (Some(x), Some(y)) => Some(x + y),
            (x, y) => x.or(y),
        },
    }
}

#[cfg(test)]
mod tests {
    use showrunner_providers::ErrorClass;

    use super::*;

    fn truncated() -> ProviderError {
        ProviderError::new("output_truncated", "cut off", ErrorClass::Terminal)
    }

    #[test]
    fn an_unusable_reply_is_priced_from_its_usage_and_no_reply_costs_nothing() {
        let prices = PriceTable::default_table();
        let usage = Usage {
            input_tokens: 2_000,
            output_tokens: 4_000,
            ..Usage::default()
        };
        let expected = prices.cost("anthropic", "claude-sonnet-4-5", &usage).unwrap();
        let paid = failed_call(
            &prices,
            "anthropic",
            truncated().with_billed_usage(usage, "claude-sonnet-4-5"),
            Money::ZERO,
            &Usage::default(),
        );
        assert_eq!(paid.billed, expected.cost);
        assert!(paid.billed > Money::ZERO);
        assert_eq!(paid.price_row.as_deref(), Some(expected.row_id.as_str()));
        assert!(!paid.at_reservation);
        let nothing = failed_call(&prices, "anthropic", truncated(), Money::ZERO, &Usage::default());
        assert_eq!((nothing.billed, nothing.at_reservation), (Money::ZERO, false));
    }

    #[test]
    fn an_unreadable_reply_or_an_unknown_model_counts_at_the_reservation() {
        let prices = PriceTable::default_table();
        let cut = failed_call(
            &prices,
            "gemini",
            truncated().with_unreadable_bill(),
            Money::ZERO,
            &Usage::default(),
        );
        assert!(cut.at_reservation);
        let unknown = failed_call(
            &prices,
            "gemini",
            truncated().with_billed_usage(Usage::default(), "gemini-from-the-future"),
            Money::ZERO,
            &Usage::default(),
        );
        assert!(unknown.at_reservation);
    }

    #[test]
    fn earlier_speech_pieces_stay_on_the_bill_when_a_later_one_fails() {
        let prices = PriceTable::default_table();
        let before = Usage {
            characters: 1_000,
            ..Usage::default()
        };
        let paid_before = prices
            .cost("elevenlabs", "eleven_multilingual_v2", &before)
            .unwrap()
            .cost;
        let failed = failed_call(
            &prices,
            "elevenlabs",
            ProviderError::transient("overloaded", "busy"),
            paid_before,
            &before,
        );
        assert_eq!(failed.billed, paid_before);
        assert!(paid_before > Money::ZERO);
        assert_eq!(failed.usage.unwrap()["characters"], 1_000);
    }
}
