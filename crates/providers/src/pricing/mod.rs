//! What provider calls cost. A versioned price table (shipped as `prices/default.toml`, editable on the Prices
//! page) turns a call's normalized [`Usage`](crate::Usage) into exact micro-dollars, and gives worst-case
//! estimates for budget reservations before a call is made.

mod cost;
mod error;
mod estimate;
mod row;
mod table;
mod toml_form;

pub use cost::PricedCall;
pub use error::PriceError;
pub use row::{LongContextTier, PriceRow, RequestFees, RowPrices, TokenPrices, TokenRates};
/// Prices are exact decimals; re-exported so callers building rows need no extra dependency.
pub use rust_decimal::Decimal;
pub use table::PriceTable;
