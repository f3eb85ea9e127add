//! Worst-case costs, reserved against the episode budget before a call is made. They round UP to the
//! micro-dollar so a reservation is never below what the same token counts can cost.

use rust_decimal::{Decimal, RoundingStrategy};
use showrunner_domain::Money;

use super::cost::{micros, round, PER_1K, PER_MILLION};
use super::row::{PriceRow, RowPrices};
use super::{PriceError, PriceTable};

impl PriceTable {
    /// The most a language-model call with this prompt size and output cap can cost.
    ///
    /// Every prompt token is priced at the dearest input rate the row lists. That is usually a cache write, not
    /// the base rate: an Anthropic 1-hour cache write costs twice the base input price, and a client may mark the
    /// whole prompt for caching. Cache reads are cheaper than base input, so they never raise the worst case.
    /// A prompt over the long-context threshold uses that tier's prices, and a row with request fees adds one
    /// request at the dearest search context size (one call is one request).
    pub fn estimate_llm(
        &self,
        provider: &str,
        model: &str,
        input_tokens: u64,
        max_output_tokens: u64,
    ) -> Result<Money, PriceError> {
        let row = self.row_for(provider, model)?;
        let RowPrices::Tokens(prices) = &row.prices else {
            return Err(PriceError::missing(&row.name(), "input"));
        };
        let rates = match &prices.long_context {
            Some(tier) if input_tokens > tier.threshold_tokens => &tier.rates,
            _ => &prices.base,
        };
        let dearest_input = [rates.cache_write_5m, rates.cache_write_1h, rates.cache_read]
            .into_iter()
            .flatten()
            .fold(rates.input, Decimal::max);
        let fee = prices
            .request_fee_per_1k
            .as_ref()
            .map_or(Decimal::ZERO, |f| f.highest());
        let total = [
            micros(input_tokens, dearest_input, PER_MILLION)?,
            micros(max_output_tokens, rates.output, PER_MILLION)?,
            micros(1, fee, PER_1K)?,
        ]
        .into_iter()
        .try_fold(Decimal::ZERO, |sum, part| sum.checked_add(part))
        .ok_or(PriceError::TooLarge)?;
        round(total, RoundingStrategy::ToPositiveInfinity)
    }

    /// The cost of speaking this many characters. Token-priced speech models have no per-character price and
    /// give `MissingPrice`.
    pub fn estimate_speech(&self, provider: &str, model: &str, characters: u64) -> Result<Money, PriceError> {
        let row = self.row_for(provider, model)?;
        let RowPrices::Characters { per_1k_characters } = &row.prices else {
            return Err(PriceError::missing(&row.name(), "per_1k_characters"));
        };
        round(
            micros(characters, *per_1k_characters, PER_1K)?,
            RoundingStrategy::ToPositiveInfinity,
        )
    }

    fn row_for(&self, provider: &str, model: &str) -> Result<&PriceRow, PriceError> {
        self.row(provider, model).ok_or_else(|| PriceError::NoPrice {
            provider: provider.to_owned(),
            model: model.to_owned(),
        })
    }
}
