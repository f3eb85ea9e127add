//! Unix times in milliseconds as the calendar dates people and formats read, in UTC (the `time` crate's
//! proleptic Gregorian calendar). An instant outside years -9999..=9999 (only damaged data holds one) is shown
//! at the nearest end of that range rather than refused: these are for reading, not for computing.

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

fn at(ms: i64) -> OffsetDateTime {
    let nanos = i128::from(ms) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or_else(|_| match ms < 0 {
        true => PrimitiveDateTime::MIN.assume_utc(),
        false => PrimitiveDateTime::MAX.assume_utc(),
    })
}

/// Whole seconds: every format here stops at seconds.
fn at_second(ms: i64) -> OffsetDateTime {
    at(ms.div_euclid(1000) * 1000)
}

fn formatted(at: OffsetDateTime, format: &(impl time::formatting::Formattable + ?Sized)) -> String {
    // The formats here need nothing the value lacks; RFC 2822 alone cannot write a year before 1900, which
    // only a damaged instant has, and that reads as empty.
    at.format(format).unwrap_or_default()
}

/// `2026-12-03`: the ID3 date, a file name's date.
pub fn date(ms: i64) -> String {
    formatted(at(ms), format_description!("[year]-[month]-[day]"))
}

/// `2026-12`: a dashboard month.
pub fn month(ms: i64) -> String {
    formatted(at(ms), format_description!("[year]-[month]"))
}

/// `2026-12-03 05:40 UTC`: a time in a message.
pub fn minute(ms: i64) -> String {
    formatted(at(ms), format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
}

/// `Thu, 03 Dec 2026 05:36:31 +0000`: an RSS `pubDate`.
pub fn rfc2822(ms: i64) -> String {
    formatted(at_second(ms), &Rfc2822)
}

/// `2026-12-03T05:36:31Z`: a timestamp in an HTTP header.
pub fn rfc3339(ms: i64) -> String {
    formatted(at_second(ms), &Rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_format_reads_as_people_and_specs_write_it() {
        // 2026-12-03T05:36:31.250Z
        let ms = 1_796_276_191_250;
        assert_eq!(date(ms), "2026-12-03");
        assert_eq!(month(ms), "2026-12");
        assert_eq!(minute(ms), "2026-12-03 05:36 UTC");
        assert_eq!(rfc2822(ms), "Thu, 03 Dec 2026 05:36:31 +0000");
        assert_eq!(rfc3339(ms), "2026-12-03T05:36:31Z");
        assert_eq!(rfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc2822(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(minute(1_709_210_096_000), "2024-02-29 12:34 UTC");
        assert_eq!(date(-1), "1969-12-31", "before 1970 counts back");
    }

    #[test]
    fn an_instant_beyond_the_calendar_is_shown_at_its_end() {
        assert_eq!(date(i64::MAX), "9999-12-31");
        assert_eq!(date(i64::MIN), "-9999-01-01");
        assert!(!rfc3339(i64::MAX).is_empty());
    }

    proptest! {
        #[test]
        fn the_date_is_the_first_ten_characters_of_the_timestamp(ms in 0i64..253_402_300_799_000) {
            prop_assert_eq!(&rfc3339(ms)[..10], date(ms));
            prop_assert_eq!(&minute(ms)[..10], date(ms));
            prop_assert_eq!(&date(ms)[..7], month(ms));
        }
    }
}
