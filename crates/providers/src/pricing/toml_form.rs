//! The price table's TOML shape and its conversion to and from validated rows. Prices are read as strings (or
//! whole numbers) and converted here, so a bad value is reported with its row and field rather than as a bare
//! parser position.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use toml::Value;

use super::row::{LongContextTier, PriceRow, RequestFees, RowPrices, TokenPrices, TokenRates};
use super::PriceError;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTable {
    pub version: String,
    pub effective: String,
    #[serde(default)]
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRow {
    #[serde(default)]
    provider: String,
    #[serde(default)]
    model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default)]
    unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    input: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache_write_5m: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache_write_1h: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache_read: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    batch_input: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    batch_output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    per_1k_characters: Option<Value>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    effective: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    // Sub-tables last: TOML needs plain keys before them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    long_context: Option<RawTier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_fee_per_1k: Option<BTreeMap<String, Value>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    #[serde(default)]
    threshold_tokens: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    input: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache_write_5m: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache_write_1h: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cache_read: Option<Value>,
}

const TOKEN_FIELDS: [&str; 7] = [
    "input",
    "output",
    "cache_write_5m",
    "cache_write_1h",
    "cache_read",
    "batch_input",
    "batch_output",
];

impl RawRow {
    /// Converts to a row, naming the row (by position when it has no name yet) and the field on any error.
    pub(crate) fn into_row(self, position: usize) -> Result<PriceRow, PriceError> {
        let name = if self.provider.is_empty() || self.model.is_empty() {
            format!("number {position}")
        } else {
            format!("{}/{}", self.provider, self.model)
        };
        let prices = match self.unit.as_str() {
            "tokens" => {
                if self.per_1k_characters.is_some() {
                    return Err(PriceError::invalid(&name, "per_1k_characters", "does not apply to a per-token row"));
                }
                RowPrices::Tokens(Box::new(TokenPrices {
                    base: rates(&name, "", [&self.input, &self.output, &self.cache_write_5m, &self.cache_write_1h, &self.cache_read])?,
                    batch_input: price(&name, "batch_input", &self.batch_input)?,
                    batch_output: price(&name, "batch_output", &self.batch_output)?,
                    long_context: self.long_context.as_ref().map(|t| tier(&name, t)).transpose()?,
                    request_fee_per_1k: self.request_fee_per_1k.as_ref().map(|f| fees(&name, f)).transpose()?,
                }))
            }
            "characters" => {
                let token_values = [
                    &self.input,
                    &self.output,
                    &self.cache_write_5m,
                    &self.cache_write_1h,
                    &self.cache_read,
                    &self.batch_input,
                    &self.batch_output,
                ];
                if let Some((field, _)) = TOKEN_FIELDS.iter().zip(token_values).find(|(_, v)| v.is_some()) {
                    return Err(PriceError::invalid(&name, field, "does not apply to a per-character row"));
                }
                if self.long_context.is_some() {
                    return Err(PriceError::invalid(&name, "long_context", "does not apply to a per-character row"));
                }
                if self.request_fee_per_1k.is_some() {
                    return Err(PriceError::invalid(&name, "request_fee_per_1k", "does not apply to a per-character row"));
                }
                let per_1k_characters =
                    price(&name, "per_1k_characters", &self.per_1k_characters)?.ok_or_else(|| PriceError::invalid(&name, "per_1k_characters", "is missing"))?;
                RowPrices::Characters { per_1k_characters }
            }
            "" => return Err(PriceError::invalid(&name, "unit", "is missing; use \"tokens\" or \"characters\"")),
            other => {
                return Err(PriceError::invalid(
                    &name,
                    "unit",
                    format!("\"{other}\" is not a known unit; use \"tokens\" (USD per million tokens) or \"characters\" (USD per 1,000 characters)"),
                ))
            }
        };
        Ok(PriceRow {
            provider: self.provider,
            model: self.model,
            label: self.label,
            prices,
            source: self.source,
            effective: self.effective,
            note: self.note,
        })
    }

    pub(crate) fn from_row(row: &PriceRow) -> RawRow {
        let mut raw = RawRow {
            provider: row.provider.clone(),
            model: row.model.clone(),
            label: row.label.clone(),
            source: row.source.clone(),
            effective: row.effective.clone(),
            note: row.note.clone(),
            ..RawRow::default()
        };
        match &row.prices {
            RowPrices::Characters { per_1k_characters } => {
                raw.unit = "characters".to_owned();
                raw.per_1k_characters = Some(text(*per_1k_characters));
            }
            RowPrices::Tokens(p) => {
                raw.unit = "tokens".to_owned();
                raw.input = Some(text(p.base.input));
                raw.output = Some(text(p.base.output));
                raw.cache_write_5m = p.base.cache_write_5m.map(text);
                raw.cache_write_1h = p.base.cache_write_1h.map(text);
                raw.cache_read = p.base.cache_read.map(text);
                raw.batch_input = p.batch_input.map(text);
                raw.batch_output = p.batch_output.map(text);
                raw.long_context = p.long_context.as_ref().map(|t| RawTier {
                    threshold_tokens: Some(i64::try_from(t.threshold_tokens).unwrap_or(i64::MAX)),
                    input: Some(text(t.rates.input)),
                    output: Some(text(t.rates.output)),
                    cache_write_5m: t.rates.cache_write_5m.map(text),
                    cache_write_1h: t.rates.cache_write_1h.map(text),
                    cache_read: t.rates.cache_read.map(text),
                });
                raw.request_fee_per_1k = p.request_fee_per_1k.as_ref().map(|f| {
                    [("low", f.low), ("medium", f.medium), ("high", f.high)]
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), text(v)))
                        .collect()
                });
            }
        }
        raw
    }
}

fn text(price: Decimal) -> Value {
    Value::String(price.to_string())
}

/// One price: a quoted decimal ("3.75") or a whole number. Floats are refused because they are not exact.
fn price(row: &str, field: &str, value: &Option<Value>) -> Result<Option<Decimal>, PriceError> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) => Decimal::from_str(s.trim()).map(Some).map_err(|_| {
            PriceError::invalid(
                row,
                field,
                format!("\"{s}\" is not a price in dollars; write it like \"3.75\""),
            )
        }),
        Some(Value::Integer(i)) => Ok(Some(Decimal::from(*i))),
        Some(other) => Err(PriceError::invalid(
            row,
            field,
            format!("is {other}; write prices as quoted decimals like \"3.75\" so they stay exact"),
        )),
    }
}

fn rates(row: &str, prefix: &str, values: [&Option<Value>; 5]) -> Result<TokenRates, PriceError> {
    let [input, output, w5, w1, read] = values;
    let field = |f: &str| format!("{prefix}{f}");
    let required = |f: &str, v: &Option<Value>| {
        price(row, &field(f), v)?.ok_or_else(|| PriceError::invalid(row, &field(f), "is missing"))
    };
    Ok(TokenRates {
        input: required("input", input)?,
        output: required("output", output)?,
        cache_write_5m: price(row, &field("cache_write_5m"), w5)?,
        cache_write_1h: price(row, &field("cache_write_1h"), w1)?,
        cache_read: price(row, &field("cache_read"), read)?,
    })
}

fn tier(row: &str, raw: &RawTier) -> Result<LongContextTier, PriceError> {
    let threshold = raw
        .threshold_tokens
        .ok_or_else(|| PriceError::invalid(row, "long_context.threshold_tokens", "is missing"))?;
    let threshold_tokens = u64::try_from(threshold)
        .map_err(|_| PriceError::invalid(row, "long_context.threshold_tokens", "cannot be negative"))?;
    let values = [
        &raw.input,
        &raw.output,
        &raw.cache_write_5m,
        &raw.cache_write_1h,
        &raw.cache_read,
    ];
    Ok(LongContextTier {
        threshold_tokens,
        rates: rates(row, "long_context.", values)?,
    })
}

fn fees(row: &str, raw: &BTreeMap<String, Value>) -> Result<RequestFees, PriceError> {
    if let Some(unknown) = raw.keys().find(|k| !matches!(k.as_str(), "low" | "medium" | "high")) {
        return Err(PriceError::invalid(
            row,
            &format!("request_fee_per_1k.{unknown}"),
            "is not a search context size; use low, medium and high",
        ));
    }
    let fee = |k: &str| {
        let field = format!("request_fee_per_1k.{k}");
        price(row, &field, &raw.get(k).cloned())?.ok_or_else(|| PriceError::invalid(row, &field, "is missing"))
    };
    Ok(RequestFees {
        low: fee("low")?,
        medium: fee("medium")?,
        high: fee("high")?,
    })
}
