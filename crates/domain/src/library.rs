//! How the library (the Episodes screen and `showrunner episodes`) orders what it finds: one type for the
//! store's SQL, the app's select and the CLI's flag.

use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, IntoStaticStr, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LibraryOrder {
    /// Best match first when searching, else newest.
    #[default]
    Relevance,
    Newest,
    Oldest,
    Topic,
    Show,
    /// Dearest first.
    Spent,
}

impl LibraryOrder {
    pub const ALL: &'static [LibraryOrder] = LibraryOrder::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLibraryOrder(pub String);

impl std::fmt::Display for UnknownLibraryOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = LibraryOrder::ALL.iter().map(|o| o.as_str()).collect();
        write!(f, "'{}' is not a sort order; use {}", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownLibraryOrder {}

impl std::str::FromStr for LibraryOrder {
    type Err = UnknownLibraryOrder;

    fn from_str(s: &str) -> Result<LibraryOrder, UnknownLibraryOrder> {
        let wanted = s.trim();
        LibraryOrder::ALL
            .iter()
            .copied()
            .find(|o| o.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownLibraryOrder(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_order_reads_back_from_its_name_and_its_json() {
        for &order in LibraryOrder::ALL {
            assert_eq!(order.as_str().parse::<LibraryOrder>(), Ok(order));
            let json = serde_json::to_string(&order).unwrap();
            assert_eq!(json, format!("\"{}\"", order.as_str()));
        }
        let err = "cheapest".parse::<LibraryOrder>().unwrap_err();
        assert!(err.to_string().contains("use relevance, newest"), "{err}");
    }
}
