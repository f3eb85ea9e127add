//! Money in integer micro-dollars: costs are summed across hundreds of calls and compared against a cap, so
//! they must be exact (floating point would drift) and must never round a real cost down to zero.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount of US dollars, stored as whole micro-dollars ($0.000001).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);
    pub const MICROS_PER_DOLLAR: i64 = 1_000_000;

    pub fn from_micros(micros: i64) -> Self {
        Money(micros)
    }

    pub fn micros(self) -> i64 {
        self.0
    }

    /// Parses a producer-typed dollar amount such as `33.25`, `$5` or `0.5`. At most six decimals.
    pub fn parse_dollars(text: &str) -> Result<Money, MoneyParseError> {
        let trimmed = text.trim().trim_start_matches('$').trim();
        if trimmed.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        if trimmed.starts_with('-') {
            return Err(MoneyParseError::Negative);
        }
        let (whole, frac) = match trimmed.split_once('.') {
            Some((w, f)) => (w, f),
            None => (trimmed, ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if !digits_only(whole) || !digits_only(frac) || (whole.is_empty() && frac.is_empty()) {
            return Err(MoneyParseError::NotANumber(text.to_owned()));
        }
        if frac.len() > 6 {
            return Err(MoneyParseError::TooPrecise);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyParseError::TooLarge)?
        };
        let frac_micros: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<6}")
                .parse()
                .map_err(|_| MoneyParseError::NotANumber(text.to_owned()))?
        };
        whole
            .checked_mul(Self::MICROS_PER_DOLLAR)
            .and_then(|w| w.checked_add(frac_micros))
            .map(Money)
            .ok_or(MoneyParseError::TooLarge)
    }

    pub fn dollars_f64(self) -> f64 {
        self.0 as f64 / Self::MICROS_PER_DOLLAR as f64
    }

    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// Dollars with cents, and sub-cent precision only when it matters ("$0.0012").
impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / 1_000_000;
        let frac = abs % 1_000_000;
        if frac.is_multiple_of(10_000) {
            write!(f, "{sign}${whole}.{:02}", frac / 10_000)
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{sign}${whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("enter an amount in dollars, e.g. 33.25")]
    Empty,
    #[error("the amount cannot be negative")]
    Negative,
    #[error("'{0}' is not a dollar amount; use digits like 33.25")]
    NotANumber(String),
    #[error("use at most six decimal places")]
    TooPrecise,
    #[error("the amount is too large")]
    TooLarge,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever a producer types: an amount or a reason, never a panic, and never a negative amount.
        #[test]
        fn any_text_is_an_amount_or_a_reason(text in "\\PC{0,30}") {
            if let Ok(m) = Money::parse_dollars(&text) {
                prop_assert!(m.micros() >= 0);
            }
        }

        /// Every amount reads back exactly from its six-decimal form and from how it is displayed.
        #[test]
        fn amounts_round_trip_exactly(micros in 0i64..=i64::MAX) {
            let m = Money::from_micros(micros);
            let written = format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000);
            prop_assert_eq!(Money::parse_dollars(&written), Ok(m));
            prop_assert_eq!(Money::parse_dollars(&m.to_string()), Ok(m));
        }

        /// Digits beyond what fits are `TooLarge`, not a wrapped amount.
        #[test]
        fn amounts_past_the_maximum_are_too_large(extra in 1u64..1_000_000) {
            let whole = (i64::MAX / 1_000_000) as u64 + extra;
            prop_assert_eq!(Money::parse_dollars(&format!("{whole}.999999")), Err(MoneyParseError::TooLarge));
        }
    }

    #[test]
    fn parses_the_amounts_a_producer_types() {
        assert_eq!(Money::parse_dollars("33.25"), Ok(Money(33_250_000)));
        assert_eq!(Money::parse_dollars("$5"), Ok(Money(5_000_000)));
        assert_eq!(Money::parse_dollars(" .5 "), Ok(Money(500_000)));
        assert_eq!(Money::parse_dollars("0.054399"), Ok(Money(54_399)));
    }

    #[test]
    fn rejects_negative_empty_and_non_numeric_amounts_with_a_reason() {
        assert_eq!(Money::parse_dollars("-1"), Err(MoneyParseError::Negative));
        assert_eq!(Money::parse_dollars(""), Err(MoneyParseError::Empty));
        assert!(matches!(
            Money::parse_dollars("ten"),
            Err(MoneyParseError::NotANumber(_))
        ));
        assert!(matches!(
            Money::parse_dollars("1.2.3"),
            Err(MoneyParseError::NotANumber(_))
        ));
        assert_eq!(Money::parse_dollars("0.0000001"), Err(MoneyParseError::TooPrecise));
    }

    #[test]
    fn displays_cents_and_keeps_sub_cent_costs_visible() {
        assert_eq!(Money(33_250_000).to_string(), "$33.25");
        assert_eq!(Money(1_200).to_string(), "$0.0012");
        assert_eq!(Money(0).to_string(), "$0.00");
    }
}
