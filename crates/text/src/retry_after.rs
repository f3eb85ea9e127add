//! `Retry-After` values: how long a provider asks us to wait, bounded, never a panic.

use std::time::{Duration, SystemTime};

/// The longest wait a provider's `Retry-After` may ask for: a longer one (or a garbage one, `1e300`) would
/// park a stage for ever; past this the retry policy and the route's next provider decide.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10 * 60);

/// `Retry-After` as seconds or an HTTP date; `retry-after-ms` (OpenAI, `millis`) wins when present. Capped
/// at [`MAX_RETRY_AFTER`]; a value that is not a number or a date is ignored. `now` is the time an HTTP date
/// is measured from.
pub fn parse_retry_after(millis: Option<&str>, value: Option<&str>, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = millis.and_then(|v| v.trim().parse::<f64>().ok()) {
        if let Some(wait) = wait_of_seconds(ms / 1000.0) {
            return Some(wait);
        }
    }
    let value = value?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return wait_of_seconds(secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or_default().min(MAX_RETRY_AFTER))
}

/// A provider's wait in seconds as a duration: negative is now, anything past (or infinite) is
/// [`MAX_RETRY_AFTER`], NaN is no wait asked for. Never panics (`Duration::from_secs_f64` would on overflow).
pub fn wait_of_seconds(secs: f64) -> Option<Duration> {
    if secs.is_nan() {
        return None;
    }
    Some(Duration::from_secs_f64(secs.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64())))
}
