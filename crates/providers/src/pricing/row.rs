//! One row of the price table: what one provider's model costs, where that figure comes from and since when.

use rust_decimal::Decimal;

use super::PriceError;

/// Prices for one provider and model. Token prices are USD per million tokens; character prices are USD per
/// 1,000 characters; request fees are USD per 1,000 requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    pub provider: String,
    /// A model id, or `*` for every model of the provider (local servers whose model names are the user's).
    pub model: String,
    /// What the Prices page shows, e.g. "Claude Sonnet 4".
    pub label: Option<String>,
    pub prices: RowPrices,
    /// Where the price comes from (a URL for shipped rows).
    pub source: String,
    /// `YYYY-MM-DD`: the date the source vouches for the price.
    pub effective: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowPrices {
    // Boxed: the token prices are much larger than one character price.
    Tokens(Box<TokenPrices>),
    Characters { per_1k_characters: Decimal },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPrices {
    pub base: TokenRates,
    /// Batch API prices, shown on the Prices page; calls made here are not batched.
    pub batch_input: Option<Decimal>,
    pub batch_output: Option<Decimal>,
    pub long_context: Option<LongContextTier>,
    /// Perplexity's per-request fee, by search context size.
    pub request_fee_per_1k: Option<RequestFees>,
}

/// USD per million tokens. A cache price left out bills at `input`, which can only over-count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRates {
    pub input: Decimal,
    pub output: Decimal,
    pub cache_write_5m: Option<Decimal>,
    pub cache_write_1h: Option<Decimal>,
    pub cache_read: Option<Decimal>,
}

/// Prices for a request whose prompt (every input token, cached or not) exceeds `threshold_tokens`. They apply
/// to the whole request, output included, as Gemini and Anthropic bill long prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongContextTier {
    pub threshold_tokens: u64,
    pub rates: TokenRates,
}

/// USD per 1,000 requests for each Perplexity search context size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFees {
    pub low: Decimal,
    pub medium: Decimal,
    pub high: Decimal,
}

impl RequestFees {
    pub fn for_context(&self, context: &str) -> Option<Decimal> {
        match context {
            "low" => Some(self.low),
            "medium" => Some(self.medium),
            "high" => Some(self.high),
            _ => None,
        }
    }

    pub fn highest(&self) -> Decimal {
        self.low.max(self.medium).max(self.high)
    }
}

impl TokenRates {
    pub fn cache_write_5m_or_input(&self) -> Decimal {
        self.cache_write_5m.unwrap_or(self.input)
    }

    pub fn cache_write_1h_or_input(&self) -> Decimal {
        self.cache_write_1h.unwrap_or(self.input)
    }

    pub fn cache_read_or_input(&self) -> Decimal {
        self.cache_read.unwrap_or(self.input)
    }

    fn named(&self) -> [(&'static str, Option<Decimal>); 5] {
        [
            ("input", Some(self.input)),
            ("output", Some(self.output)),
            ("cache_write_5m", self.cache_write_5m),
            ("cache_write_1h", self.cache_write_1h),
            ("cache_read", self.cache_read),
        ]
    }
}

impl PriceRow {
    /// `provider/model`, how messages name the row.
    pub fn name(&self) -> String {
        format!("{}/{}", self.provider, self.model)
    }

    /// `provider/model@effective`, recorded with each priced call so the price used can be traced later.
    pub fn id(&self) -> String {
        format!("{}/{}@{}", self.provider, self.model, self.effective)
    }

    /// How specific a match this row is for a reported model id: `None` when it does not match at all.
    pub(crate) fn match_len(&self, provider: &str, model: &str) -> Option<usize> {
        if self.provider != provider {
            return None;
        }
        if self.model == "*" {
            return Some(0);
        }
        let snapshot = model
            .strip_prefix(self.model.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'));
        snapshot.then_some(self.model.len())
    }

    /// Checks what the TOML shape cannot: names, a source, a date, and no negative price anywhere.
    pub fn validate(&self) -> Result<(), PriceError> {
        let name = self.name();
        for (field, value) in [("provider", &self.provider), ("model", &self.model)] {
            if value.trim().is_empty() {
                return Err(PriceError::invalid(&name, field, "is missing"));
            }
            if value.chars().any(char::is_whitespace) {
                return Err(PriceError::invalid(&name, field, "must not contain spaces"));
            }
        }
        if self.source.trim().is_empty() {
            return Err(PriceError::invalid(
                &name,
                "source",
                "is missing: say where the price comes from",
            ));
        }
        if !is_date(&self.effective) {
            return Err(PriceError::invalid(
                &name,
                "effective",
                format!("\"{}\" is not a date like 2025-05-22", self.effective),
            ));
        }
        for (field, price) in self.named_prices() {
            if price.is_sign_negative() && !price.is_zero() {
                return Err(PriceError::invalid(
                    &name,
                    &field,
                    format!("is {price}; a price cannot be negative"),
                ));
            }
        }
        if let RowPrices::Tokens(prices) = &self.prices {
            if prices.long_context.as_ref().is_some_and(|t| t.threshold_tokens == 0) {
                return Err(PriceError::invalid(
                    &name,
                    "long_context.threshold_tokens",
                    "must be more than 0",
                ));
            }
        }
        Ok(())
    }

    /// Every price in the row with its TOML field name.
    fn named_prices(&self) -> Vec<(String, Decimal)> {
        let mut out = Vec::new();
        match &self.prices {
            RowPrices::Characters { per_1k_characters } => {
                out.push(("per_1k_characters".to_owned(), *per_1k_characters))
            }
            RowPrices::Tokens(p) => {
                let base = p.base.named().into_iter().map(|(f, v)| (f.to_owned(), v));
                let batch = [
                    ("batch_input".to_owned(), p.batch_input),
                    ("batch_output".to_owned(), p.batch_output),
                ];
                let tier = p
                    .long_context
                    .iter()
                    .flat_map(|t| t.rates.named())
                    .map(|(f, v)| (format!("long_context.{f}"), v));
                let fees = p.request_fee_per_1k.iter().flat_map(|f| {
                    [("low", f.low), ("medium", f.medium), ("high", f.high)]
                        .map(|(k, v)| (format!("request_fee_per_1k.{k}"), Some(v)))
                });
                out.extend(
                    base.chain(batch)
                        .chain(tier)
                        .chain(fees)
                        .filter_map(|(f, v)| v.map(|v| (f, v))),
                );
            }
        }
        out
    }
}

/// `YYYY-MM-DD` with a real month and a day that month can have (ignoring leap years: 02-29 always passes).
pub(crate) fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (month, day): (u32, u32) = match (m.parse(), d.parse()) {
        (Ok(m), Ok(d)) => (m, d),
        _ => return false,
    };
    let longest = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=longest).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates_must_be_real_calendar_days() {
        assert!(is_date("2025-05-22"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("2025-04-31"));
        assert!(!is_date("22/05/2025"));
        assert!(!is_date("2025-5-22"));
    }
}
