//! Percentiles over a handful of repetitions, and the result table.

use std::time::Duration;

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Nearest-rank percentile: with a few samples, interpolating would report values never observed.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

pub fn p50(samples: &[f64]) -> f64 {
    percentile(samples, 50.0)
}

pub fn p95(samples: &[f64]) -> f64 {
    percentile(samples, 95.0)
}

#[derive(Clone, Copy, PartialEq)]
pub enum Goal {
    AtMost(f64),
    AtLeast(f64),
    /// Context for another figure; nothing to pass.
    None,
}

pub struct Row {
    pub figure: String,
    pub value: f64,
    pub unit: &'static str,
    pub goal: Goal,
}

impl Row {
    pub fn new(figure: impl Into<String>, value: f64, unit: &'static str, goal: Goal) -> Row {
        Row {
            figure: figure.into(),
            value,
            unit,
            goal,
        }
    }

    fn verdict(&self) -> &'static str {
        match self.goal {
            Goal::AtMost(g) if self.value <= g => "PASS",
            Goal::AtLeast(g) if self.value >= g => "PASS",
            Goal::None => "",
            _ => "MISS",
        }
    }

    fn goal_text(&self) -> String {
        match self.goal {
            Goal::AtMost(g) => format!("<= {}{}", number(g), self.unit),
            Goal::AtLeast(g) => format!(">= {}{}", number(g), self.unit),
            Goal::None => String::new(),
        }
    }
}

fn number(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

pub fn print_table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.figure.chars().count()).max().unwrap_or(0);
    println!();
    println!("{:width$}  {:>14}  {:>12}  verdict", "figure", "measured", "goal");
    println!("{}", "-".repeat(width + 40));
    for row in rows {
        let value = format!("{}{}", number(row.value), row.unit);
        println!(
            "{:width$}  {:>14}  {:>12}  {}",
            row.figure,
            value,
            row.goal_text(),
            row.verdict()
        );
    }
}
