//! What can go wrong when reading a price table or pricing a call, worded for the producer who fixes it on the
//! Prices page.

/// Rows are named `provider/model` in every message, so the producer knows which row to open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("There is no price for {provider} model \"{model}\". Add a row for it on the Prices page.")]
    NoPrice { provider: String, model: String },
    #[error("Price row {row}: {field} {problem}.")]
    InvalidRow {
        row: String,
        field: String,
        problem: String,
    },
    #[error("Price row {row} appears more than once; keep one.")]
    DuplicateRow { row: String },
    #[error("The price table could not be read: {0}")]
    Syntax(String),
    #[error("Price row {row} has no {field} price, but the call needs one. Add it on the Prices page.")]
    MissingPrice { row: String, field: String },
    #[error("The cost is too large to record.")]
    TooLarge,
}

impl PriceError {
    pub(crate) fn invalid(row: &str, field: &str, problem: impl Into<String>) -> PriceError {
        PriceError::InvalidRow {
            row: row.to_owned(),
            field: field.to_owned(),
            problem: problem.into(),
        }
    }

    pub(crate) fn missing(row: &str, field: &str) -> PriceError {
        PriceError::MissingPrice {
            row: row.to_owned(),
            field: field.to_owned(),
        }
    }
}
