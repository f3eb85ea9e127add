//! The Prices page: the price table every paid call is billed with, and the producer's edits to it. Edits are
//! checked by the table itself (no negative price, a source, a real date) and saved whole as the `prices`
//! setting (TOML text), so the shipped file stays untouched and "Restore shipped prices" is always possible.
//!
//! The engine's crew holds the table it was built with, so an edit applies to calls made after the next
//! start; the view says which version is in use until then.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use showrunner_domain::ValidationErrors;
use showrunner_providers::pricing::{
    Decimal, LongContextTier, PriceRow, RequestFees, RowPrices, TokenPrices, TokenRates,
};
use showrunner_providers::{PriceError, PriceTable};
use showrunner_store::Store;
use ts_rs::TS;

use crate::{ApiError, App, ErrorCode};

/// The settings key the edited table is saved under, as TOML text.
pub const PRICES_SETTING: &str = "prices";

/// One edit at a time: each reads the saved table and writes it back whole.
static PRICE_EDITS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PriceUnit {
    /// USD per million tokens.
    Tokens,
    /// USD per 1,000 characters.
    Characters,
}

/// One price of a row, named as the table file names it (`input`, `long_context.output`,
/// `request_fee_per_1k.low`…), which is also the field an error about it names.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PriceFieldView {
    pub field: String,
    /// What the producer reads, e.g. "Cache read".
    pub label: String,
    /// An exact decimal, e.g. "3.00"; empty when the row does not list this optional price.
    pub value: String,
    /// A required price cannot be left empty.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PriceRowView {
    pub provider: String,
    /// The provider as the producer knows it, e.g. "Anthropic (Claude)".
    pub provider_label: String,
    /// A model id, or `*` for every model of the provider.
    pub model: String,
    pub label: Option<String>,
    pub unit: PriceUnit,
    pub prices: Vec<PriceFieldView>,
    /// Where the price comes from (usually a link to the provider's pricing page).
    pub source: String,
    /// `YYYY-MM-DD`: the date the source vouches for the price.
    pub effective: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PriceTableView {
    /// The saved table's version: the shipped one, or it with `+editN`.
    pub version: String,
    pub effective: String,
    /// The version new calls are priced with now; differs from `version` until the app restarts.
    pub in_use_version: String,
    /// True once the producer has edited a row (the shipped table can be restored).
    pub edited: bool,
    /// Grouped by provider, in the table's order.
    pub rows: Vec<PriceRowView>,
}

/// One edited price: `field` as in [`PriceFieldView`], `value` as typed (empty clears an optional price).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PriceValue {
    pub field: String,
    pub value: String,
}

/// A row as the producer edited it. `provider` and `model` say which row; its unit cannot change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PriceRowEdit {
    pub provider: String,
    pub model: String,
    pub label: Option<String>,
    pub prices: Vec<PriceValue>,
    pub source: String,
    pub effective: String,
    pub note: Option<String>,
}

const RATE_FIELDS: [(&str, &str); 5] = [
    ("input", "Input"),
    ("output", "Output"),
    ("cache_write_5m", "Cache write (5 min)"),
    ("cache_write_1h", "Cache write (1 hour)"),
    ("cache_read", "Cache read"),
];
const THRESHOLD_FIELD: &str = "long_context.threshold_tokens";
/// Perplexity's search context sizes, each with its own request fee.
const FEE_SIZES: [&str; 3] = ["low", "medium", "high"];

/// Producer words for a field an error names.
fn field_label(field: &str) -> String {
    if let Some(rate) = field.strip_prefix("long_context.") {
        return match RATE_FIELDS.iter().find(|(f, _)| *f == rate) {
            Some((_, label)) => format!("Long prompts: {}", label.to_lowercase()),
            None => "Long prompts start at (tokens)".to_owned(),
        };
    }
    if let Some(size) = field.strip_prefix("request_fee_per_1k.") {
        return format!("Request fee ({size} search)");
    }
    let label = match field {
        "batch_input" => "Batch input",
        "batch_output" => "Batch output",
        "per_1k_characters" => "Per 1,000 characters",
        "source" => "Source",
        "effective" => "Effective date",
        "label" => "Name",
        "provider" => "Provider",
        "model" => "Model",
        "unit" => "Unit",
        other => {
            return RATE_FIELDS
                .iter()
                .find(|(f, _)| *f == other)
                .map_or(other, |(_, l)| l)
                .to_owned()
        }
    };
    label.to_owned()
}

fn price_field(field: String, value: Option<Decimal>, required: bool) -> PriceFieldView {
    PriceFieldView {
        label: field_label(&field),
        value: value.map(|v| v.to_string()).unwrap_or_default(),
        field,
        required,
    }
}

fn rate_fields(prefix: &str, rates: &TokenRates) -> Vec<PriceFieldView> {
    let values = [
        Some(rates.input),
        Some(rates.output),
        rates.cache_write_5m,
        rates.cache_write_1h,
        rates.cache_read,
    ];
    RATE_FIELDS
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, ((field, _), value))| price_field(format!("{prefix}{field}"), value, i < 2))
        .collect()
}

fn price_fields(prices: &RowPrices) -> (PriceUnit, Vec<PriceFieldView>) {
    match prices {
        RowPrices::Characters { per_1k_characters } => (
            PriceUnit::Characters,
            vec![price_field("per_1k_characters".into(), Some(*per_1k_characters), true)],
        ),
        RowPrices::Tokens(p) => {
            let mut out = rate_fields("", &p.base);
            out.push(price_field("batch_input".into(), p.batch_input, false));
            out.push(price_field("batch_output".into(), p.batch_output, false));
            if let Some(tier) = &p.long_context {
                out.push(PriceFieldView {
                    field: THRESHOLD_FIELD.into(),
                    label: field_label(THRESHOLD_FIELD),
                    value: tier.threshold_tokens.to_string(),
                    required: true,
                });
                out.extend(rate_fields("long_context.", &tier.rates));
            }
            if let Some(fees) = &p.request_fee_per_1k {
                for (size, value) in [("low", fees.low), ("medium", fees.medium), ("high", fees.high)] {
                    out.push(price_field(format!("request_fee_per_1k.{size}"), Some(value), true));
                }
            }
            (PriceUnit::Tokens, out)
        }
    }
}

fn row_view(app: &App, row: &PriceRow) -> PriceRowView {
    let (unit, prices) = price_fields(&row.prices);
    PriceRowView {
        provider: row.provider.clone(),
        provider_label: crate::routing::provider_label(app, &row.provider),
        model: row.model.clone(),
        label: row.label.clone(),
        unit,
        prices,
        source: row.source.clone(),
        effective: row.effective.clone(),
        note: row.note.clone(),
    }
}

fn table_view(app: &App, table: &PriceTable) -> PriceTableView {
    // Rows of one provider together, providers in the order the table first names them.
    let mut providers: Vec<&str> = Vec::new();
    for row in table.rows() {
        if !providers.contains(&row.provider.as_str()) {
            providers.push(&row.provider);
        }
    }
    let rows = providers
        .iter()
        .flat_map(|p| table.rows().iter().filter(move |r| r.provider == *p))
        .map(|r| row_view(app, r))
        .collect();
    PriceTableView {
        version: table.version().to_owned(),
        effective: table.effective().to_owned(),
        in_use_version: app.prices().version().to_owned(),
        edited: *table != PriceTable::default_table(),
        rows,
    }
}

/// The saved table, or `None` when the producer has not edited prices (or restored the shipped ones).
pub(crate) async fn saved_table(store: &Store) -> Result<Option<PriceTable>, ApiError> {
    let Some(serde_json::Value::String(text)) = store.setting(PRICES_SETTING).await? else {
        return Ok(None);
    };
    PriceTable::from_toml(&text).map(Some).map_err(|e| {
        ApiError::new(
            ErrorCode::Storage,
            format!("The saved price table could not be read ({e}). Restore the shipped prices to continue."),
        )
    })
}

async fn current(app: &App) -> Result<PriceTable, ApiError> {
    Ok(saved_table(app.store())
        .await?
        .unwrap_or_else(PriceTable::default_table))
}

pub async fn price_table(app: &App) -> Result<PriceTableView, ApiError> {
    Ok(table_view(app, &current(app).await?))
}

/// Replaces one row's prices, name, source, date and note. Nothing is saved unless the whole row is valid.
pub async fn update_price_row(app: &App, edit: PriceRowEdit) -> Result<PriceTableView, ApiError> {
    let _edit = PRICE_EDITS.lock().await;
    let mut table = current(app).await?;
    let existing = table
        .rows()
        .iter()
        .find(|r| r.provider == edit.provider && r.model == edit.model)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("There is no price row for {} model \"{}\".", edit.provider, edit.model),
            )
        })?;
    let row = edited_row(&existing, &edit)?;
    table.replace_row(row).map_err(price_error)?;
    let text = serde_json::Value::String(table.to_toml());
    app.store().put_setting(PRICES_SETTING, &text, app.now_ms()).await?;
    // The next call is priced with the edit; calls already out keep the table they started with.
    app.crew().prices.replace(table.clone());
    Ok(table_view(app, &table))
}

/// Goes back to the table shipped with the app.
pub async fn restore_shipped_prices(app: &App) -> Result<PriceTableView, ApiError> {
    let _edit = PRICE_EDITS.lock().await;
    app.store()
        .put_setting(PRICES_SETTING, &serde_json::Value::Null, app.now_ms())
        .await?;
    app.crew().prices.replace(PriceTable::default_table());
    Ok(table_view(app, &PriceTable::default_table()))
}

/// The table's own complaint, with the field it names so the form shows it in place.
fn price_error(e: PriceError) -> ApiError {
    let message = e.to_string();
    match e {
        PriceError::InvalidRow { field, problem, .. } => {
            let mut errors = ValidationErrors::default();
            errors.add(&field, format!("{} {problem}.", field_label(&field)));
            ApiError {
                code: ErrorCode::InvalidInput,
                message,
                details: Some(serde_json::json!({ "errors": errors.errors })),
            }
        }
        _ => ApiError::new(ErrorCode::InvalidInput, message),
    }
}

/// The typed values of `edit`, by field.
struct Typed<'a> {
    values: &'a [PriceValue],
    errors: ValidationErrors,
}

impl Typed<'_> {
    fn text(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|v| v.field == field)
            .map(|v| v.value.trim())
            .filter(|v| !v.is_empty())
    }

    /// A price as typed: `3`, `3.00`, `$3.00`. Negative numbers pass here so the table's own rule reports them.
    fn price(&mut self, field: &str) -> Option<Decimal> {
        let text = self.text(field)?;
        match Decimal::from_str(text.trim_start_matches('$').trim()) {
            Ok(value) => Some(value),
            Err(_) => {
                let message = format!(
                    "{}: \"{text}\" is not a number; use digits like 3.00.",
                    field_label(field)
                );
                self.errors.add(field, message);
                None
            }
        }
    }

    fn required(&mut self, field: &str) -> Decimal {
        if self.text(field).is_none() {
            self.errors.add(field, format!("{} is required.", field_label(field)));
            return Decimal::ZERO;
        }
        self.price(field).unwrap_or_default()
    }

    fn rates(&mut self, prefix: &str) -> TokenRates {
        TokenRates {
            input: self.required(&format!("{prefix}input")),
            output: self.required(&format!("{prefix}output")),
            cache_write_5m: self.price(&format!("{prefix}cache_write_5m")),
            cache_write_1h: self.price(&format!("{prefix}cache_write_1h")),
            cache_read: self.price(&format!("{prefix}cache_read")),
        }
    }
}

/// `existing` with the edit applied, keeping its unit and which price groups it has.
fn edited_row(existing: &PriceRow, edit: &PriceRowEdit) -> Result<PriceRow, ApiError> {
    let (_, known) = price_fields(&existing.prices);
    let mut typed = Typed {
        values: &edit.prices,
        errors: ValidationErrors::default(),
    };
    for value in &edit.prices {
        if !known.iter().any(|f| f.field == value.field) {
            typed.errors.add(
                &value.field,
                "This row has no such price; its unit or price groups cannot change here.",
            );
        }
    }
    let prices = match &existing.prices {
        RowPrices::Characters { .. } => RowPrices::Characters {
            per_1k_characters: typed.required("per_1k_characters"),
        },
        RowPrices::Tokens(old) => {
            let base = typed.rates("");
            let batch_input = typed.price("batch_input");
            let batch_output = typed.price("batch_output");
            let long_context = old.long_context.as_ref().map(|_| {
                let threshold_tokens = match typed.text(THRESHOLD_FIELD).map(str::parse::<u64>) {
                    Some(Ok(n)) => n,
                    Some(Err(_)) => {
                        typed
                            .errors
                            .add(THRESHOLD_FIELD, "Enter a whole number of tokens, e.g. 200000.");
                        0
                    }
                    None => {
                        typed
                            .errors
                            .add(THRESHOLD_FIELD, "Long prompts start at (tokens) is required.");
                        0
                    }
                };
                LongContextTier {
                    threshold_tokens,
                    rates: typed.rates("long_context."),
                }
            });
            let request_fee_per_1k = old.request_fee_per_1k.as_ref().map(|_| {
                let [low, medium, high] = FEE_SIZES.map(|size| typed.required(&format!("request_fee_per_1k.{size}")));
                RequestFees { low, medium, high }
            });
            RowPrices::Tokens(Box::new(TokenPrices {
                base,
                batch_input,
                batch_output,
                long_context,
                request_fee_per_1k,
            }))
        }
    };
    if !typed.errors.is_empty() {
        return Err(typed.errors.into());
    }
    let optional = |text: &Option<String>| {
        text.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    Ok(PriceRow {
        provider: existing.provider.clone(),
        model: existing.model.clone(),
        label: optional(&edit.label),
        prices,
        source: edit.source.trim().to_owned(),
        effective: edit.effective.trim().to_owned(),
        note: optional(&edit.note),
    })
}
