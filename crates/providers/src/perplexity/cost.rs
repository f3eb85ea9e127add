//! Perplexity's `usage.cost` (dollars as JSON numbers such as `0.00521` or `1e-05`) → exact micro-dollars.
//! The number's decimal text is scaled digit by digit, so `0.00521` is exactly 5 210 micro-dollars rather
//! than whatever `0.00521 * 1e6` rounds to in floating point.

use serde::Deserialize;
use serde_json::Value;
use showrunner_domain::Money;

/// Costs are summed in pico-dollars, then rounded once to micro-dollars.
const PICO_DIGITS: i32 = 12;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct WireCost {
    input_tokens_cost: Option<Value>,
    output_tokens_cost: Option<Value>,
    request_cost: Option<Value>,
    citation_tokens_cost: Option<Value>,
    reasoning_tokens_cost: Option<Value>,
    search_queries_cost: Option<Value>,
    total_cost: Option<Value>,
}

impl WireCost {
    /// `total_cost`, or the sum of the parts when the total is missing; `None` when Perplexity gave none.
    pub fn total(&self) -> Option<Money> {
        if let Some(total) = self.total_cost.as_ref().and_then(picos) {
            return Some(to_money(total));
        }
        let parts = [
            &self.input_tokens_cost,
            &self.output_tokens_cost,
            &self.request_cost,
            &self.citation_tokens_cost,
            &self.reasoning_tokens_cost,
            &self.search_queries_cost,
        ];
        let present: Vec<i128> = parts.iter().filter_map(|p| p.as_ref().and_then(picos)).collect();
        (!present.is_empty()).then(|| to_money(present.iter().sum()))
    }
}

/// Rounds half up to whole micro-dollars.
fn to_money(picos: i128) -> Money {
    let per_micro = 10i128.pow((PICO_DIGITS - 6) as u32);
    let micros = (picos + per_micro / 2).div_euclid(per_micro);
    Money::from_micros(i64::try_from(micros).unwrap_or(i64::MAX))
}

/// A JSON number (or numeric string) in pico-dollars, from its decimal text.
fn picos(value: &Value) -> Option<i128> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    decimal_scaled(&text, PICO_DIGITS)
}

/// `text × 10^digits`, rounded half up; `None` for anything that is not a plain decimal number.
fn decimal_scaled(text: &str, digits: i32) -> Option<i128> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // Significant digits beyond what i128 holds carry no cost information.
    let mut significant: String = format!("{whole}{fraction}").trim_start_matches('0').to_owned();
    let mut scale = exponent
        .checked_sub(i32::try_from(fraction.len()).ok()?)?
        .checked_add(digits)?;
    while significant.len() > 30 {
        significant.pop();
        scale += 1;
    }
    let mut n: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().ok()?
    };
    if scale >= 0 {
        n = n.checked_mul(10i128.checked_pow(scale as u32)?)?;
    } else if scale < -38 {
        n = 0;
    } else {
        let divisor = 10i128.pow((-scale) as u32);
        n = (n + divisor / 2) / divisor;
    }
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cost(v: Value) -> Option<Money> {
        serde_json::from_value::<WireCost>(v).unwrap().total()
    }

    #[test]
    fn decimal_text_converts_exactly() {
        assert_eq!(decimal_scaled("0.00521", 6), Some(5210));
        assert_eq!(decimal_scaled("1e-05", 6), Some(10));
        assert_eq!(decimal_scaled("1.5E-7", 6), Some(0));
        assert_eq!(decimal_scaled("2.5e-6", 6), Some(3));
        assert_eq!(decimal_scaled("12", 6), Some(12_000_000));
        assert_eq!(decimal_scaled("0.1", 12), Some(100_000_000_000));
        for bad in ["", ".", "1.2.3", "abc", "1e", "--1"] {
            assert_eq!(decimal_scaled(bad, 6), None, "{bad}");
        }
    }

    #[test]
    fn the_total_wins_and_parts_are_summed_before_rounding() {
        assert_eq!(
            cost(json!({"total_cost": 0.00521, "request_cost": 0.005})),
            Some(Money::from_micros(5210))
        );
        // Three parts of 0.4 micro-dollars each: rounding each would give 0, the sum rounds to 1.
        assert_eq!(
            cost(json!({"input_tokens_cost": 4e-7, "output_tokens_cost": 4e-7, "request_cost": "0.0000004"})),
            Some(Money::from_micros(1))
        );
        assert_eq!(cost(json!({"total_cost": null})), None);
        // 0.1 + 0.2 in floating point is 0.30000000000000004; in decimal it is 300 000 micro-dollars.
        assert_eq!(
            cost(json!({"input_tokens_cost": 0.1, "output_tokens_cost": 0.2})),
            Some(Money::from_micros(300_000))
        );
    }
}
