//! The cost of a finished call, from its normalized usage and the matching price row.
//!
//! Arithmetic is exact: each component is count × price in `Decimal` micro-dollars (tokens × USD per million
//! tokens is already micro-dollars), the components are summed, and the sum is rounded ONCE to a whole
//! micro-dollar, half away from zero ($0.0000005 becomes $0.000001). Breakdown entries are rounded the same way
//! one by one for display, so they can differ from the total by a micro-dollar or two.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use showrunner_domain::Money;

use super::row::{PriceRow, RowPrices, TokenPrices};
use super::{PriceError, PriceTable};
use crate::Usage;

/// What one call cost, and which price produced that figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCall {
    pub cost: Money,
    /// `provider/model@effective` of the row used.
    pub row_id: String,
    pub table_version: String,
    /// (component, amount), e.g. ("cache read", ...). Only components the call used.
    pub breakdown: Vec<(String, Money)>,
}

impl PriceTable {
    /// Prices a call. When the provider stated the cost itself (Perplexity), that figure is the cost.
    pub fn cost(&self, provider: &str, model: &str, usage: &Usage) -> Result<PricedCall, PriceError> {
        let row = self.row(provider, model).ok_or_else(|| PriceError::NoPrice {
            provider: provider.to_owned(),
            model: model.to_owned(),
        })?;
        let components = match usage.reported_cost {
            Some(reported) => vec![("reported by the provider".to_owned(), Decimal::from(reported.micros()))],
            None => components(row, usage)?,
        };
        let mut total = Decimal::ZERO;
        for (_, micros) in &components {
            total = total.checked_add(*micros).ok_or(PriceError::TooLarge)?;
        }
        let breakdown = components
            .into_iter()
            .map(|(name, micros)| Ok((name, round(micros, RoundingStrategy::MidpointAwayFromZero)?)))
            .collect::<Result<Vec<_>, PriceError>>()?;
        Ok(PricedCall {
            cost: round(total, RoundingStrategy::MidpointAwayFromZero)?,
            row_id: row.id(),
            table_version: self.version().to_owned(),
            breakdown,
        })
    }
}

/// Exact micro-dollars to whole micro-dollars.
pub(crate) fn round(micros: Decimal, strategy: RoundingStrategy) -> Result<Money, PriceError> {
    micros
        .round_dp_with_strategy(0, strategy)
        .to_i64()
        .map(Money::from_micros)
        .ok_or(PriceError::TooLarge)
}

/// `count × price × scale` micro-dollars, where `scale` turns the price's unit into micro-dollars per item.
pub(crate) fn micros(count: u64, price: Decimal, scale: u64) -> Result<Decimal, PriceError> {
    Decimal::from(count)
        .checked_mul(price)
        .and_then(|v| v.checked_mul(Decimal::from(scale)))
        .ok_or(PriceError::TooLarge)
}

/// USD per 1,000 items is 1,000 micro-dollars per item per dollar of price.
pub(crate) const PER_1K: u64 = 1_000;
/// USD per million tokens is micro-dollars per token.
pub(crate) const PER_MILLION: u64 = 1;

fn components(row: &PriceRow, usage: &Usage) -> Result<Vec<(String, Decimal)>, PriceError> {
    let name = row.name();
    match &row.prices {
        RowPrices::Characters { per_1k_characters } => {
            let tokens = usage.total_input_tokens() + usage.output_tokens;
            if tokens > 0 || usage.search_requests > 0 {
                return Err(PriceError::missing(&name, "input"));
            }
            let mut out = Vec::new();
            if usage.characters > 0 {
                out.push((
                    "characters".to_owned(),
                    micros(usage.characters, *per_1k_characters, PER_1K)?,
                ));
            }
            Ok(out)
        }
        RowPrices::Tokens(prices) => token_components(&name, prices, usage),
    }
}

fn token_components(name: &str, prices: &TokenPrices, usage: &Usage) -> Result<Vec<(String, Decimal)>, PriceError> {
    if usage.characters > 0 {
        return Err(PriceError::missing(name, "per_1k_characters"));
    }
    // The long-context tier reprices the whole request once the prompt crosses its threshold.
    let tier = prices
        .long_context
        .as_ref()
        .filter(|t| usage.total_input_tokens() > t.threshold_tokens);
    let (rates, suffix) = match tier {
        Some(t) => (&t.rates, " (long context)"),
        None => (&prices.base, ""),
    };
    let token_parts = [
        ("input", usage.input_tokens, rates.input),
        (
            "cache write (5 min)",
            usage.cache_write_5m_tokens,
            rates.cache_write_5m_or_input(),
        ),
        (
            "cache write (1 hour)",
            usage.cache_write_1h_tokens,
            rates.cache_write_1h_or_input(),
        ),
        ("cache read", usage.cache_read_tokens, rates.cache_read_or_input()),
        ("output", usage.output_tokens, rates.output),
    ];
    let mut out = Vec::new();
    for (part, count, price) in token_parts {
        if count > 0 {
            out.push((format!("{part}{suffix}"), micros(count, price, PER_MILLION)?));
        }
    }
    if usage.search_requests > 0 {
        let fees = prices
            .request_fee_per_1k
            .as_ref()
            .ok_or_else(|| PriceError::missing(name, "request_fee_per_1k"))?;
        // A missing context size bills at the dearest fee: spend is never under-counted.
        let context = usage.search_context.as_deref().unwrap_or("high");
        let fee = fees
            .for_context(context)
            .ok_or_else(|| PriceError::missing(name, &format!("request_fee_per_1k.{context}")))?;
        let label = format!("search requests ({context} context)");
        out.push((label, micros(usage.search_requests, fee, PER_1K)?));
    }
    Ok(out)
}
