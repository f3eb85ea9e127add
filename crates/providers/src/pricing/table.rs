//! The price table: reading and writing its TOML, finding the row for a reported model, and the edits a
//! producer makes on the Prices page.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::row::{is_date, PriceRow};
use super::toml_form::{RawRow, RawTable};
use super::PriceError;

/// The table shipped with the app; its source, dates and caveats are in the file's comments.
const DEFAULT_TOML: &str = include_str!("../../prices/default.toml");

/// A validated set of price rows with a version, recorded with every priced call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceTable {
    version: String,
    effective: String,
    rows: Vec<PriceRow>,
}

impl PriceTable {
    /// The shipped table, parsed once.
    pub fn default_table() -> PriceTable {
        static DEFAULT: OnceLock<PriceTable> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                // The shipped file is checked by the test suite, so failing here means a broken build.
                PriceTable::from_toml(DEFAULT_TOML)
                    .unwrap_or_else(|e| panic!("the shipped price table is invalid: {e}"))
            })
            .clone()
    }

    /// Parses and validates a table: every row's prices, unit, source and date, and no provider+model twice.
    pub fn from_toml(text: &str) -> Result<PriceTable, PriceError> {
        let raw: RawTable = toml::from_str(text).map_err(|e| PriceError::Syntax(e.to_string()))?;
        if raw.version.trim().is_empty() {
            return Err(PriceError::Syntax("the table has no version".to_owned()));
        }
        if !is_date(&raw.effective) {
            return Err(PriceError::Syntax(format!(
                "the table's effective date \"{}\" is not a date like 2025-05-22",
                raw.effective
            )));
        }
        let rows = raw
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.into_row(i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        let mut seen = HashSet::new();
        for row in &rows {
            row.validate()?;
            if !seen.insert((row.provider.as_str(), row.model.as_str())) {
                return Err(PriceError::DuplicateRow { row: row.name() });
            }
        }
        Ok(PriceTable {
            version: raw.version,
            effective: raw.effective,
            rows,
        })
    }

    /// The table as TOML that [`PriceTable::from_toml`] reads back to an equal table (comments are not kept).
    pub fn to_toml(&self) -> String {
        let raw = RawTable {
            version: self.version.clone(),
            effective: self.effective.clone(),
            rows: self.rows.iter().map(RawRow::from_row).collect(),
        };
        // Only strings, integers and tables: serialization cannot fail.
        toml::to_string_pretty(&raw).unwrap_or_default()
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn effective(&self) -> &str {
        &self.effective
    }

    pub fn rows(&self) -> &[PriceRow] {
        &self.rows
    }

    /// The row for a reported model id: an exact row, else the longest row that the id extends with `-...`
    /// (a dated snapshot such as `claude-sonnet-4-20250514`), else the provider's `*` row.
    pub fn row(&self, provider: &str, model: &str) -> Option<&PriceRow> {
        self.rows
            .iter()
            .filter_map(|r| r.match_len(provider, model).map(|len| (len, r)))
            .max_by_key(|(len, _)| *len)
            .map(|(_, r)| r)
    }

    /// Adds `row`, or replaces the row with the same provider and model. The version changes so calls priced
    /// afterwards record that they used an edited table.
    pub fn with_row(mut self, row: PriceRow) -> Result<PriceTable, PriceError> {
        row.validate()?;
        match self.position(&row) {
            Some(i) => self.rows[i] = row,
            None => self.rows.push(row),
        }
        self.bump_version();
        Ok(self)
    }

    /// Replaces the row with the same provider and model and returns the old one.
    pub fn replace_row(&mut self, row: PriceRow) -> Result<PriceRow, PriceError> {
        row.validate()?;
        let i = self.position(&row).ok_or_else(|| PriceError::NoPrice {
            provider: row.provider.clone(),
            model: row.model.clone(),
        })?;
        let old = std::mem::replace(&mut self.rows[i], row);
        self.bump_version();
        Ok(old)
    }

    fn position(&self, row: &PriceRow) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| r.provider == row.provider && r.model == row.model)
    }

    /// `2026.06.21` becomes `2026.06.21+edit1`, then `+edit2`, and so on.
    fn bump_version(&mut self) {
        let (base, edits) = match self.version.rsplit_once("+edit") {
            Some((base, n)) => match n.parse::<u64>() {
                Ok(n) => (base.to_owned(), n),
                Err(_) => (self.version.clone(), 0),
            },
            None => (self.version.clone(), 0),
        };
        self.version = format!("{base}+edit{}", edits + 1);
    }
}
