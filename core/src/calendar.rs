//! Calendar dates without `std`: a [`Timestamp`] shown as a UTC date and time on a screen
//! ("Unlocks 2026-12-03 14:02 UTC").
//!
//! The conversion is Howard Hinnant's `civil_from_days` (proleptic Gregorian calendar, days
//! since 1970-01-01), the algorithm date libraries use; it is exact for every `u64` timestamp
//! and property-tested against the `time` crate.

use core::fmt;

use crate::ids::Timestamp;

const SECONDS_PER_DAY: u64 = 86_400;

/// A UTC calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UtcDateTime {
    /// Year (1970 and later; timestamps are unsigned).
    pub year: u64,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

/// `(year, month, day)` of the `days`-th day after 1970-01-01.
///
/// Hinnant's algorithm restricted to non-negative days, so every intermediate value is
/// non-negative and bounded: `days ≤ u64::MAX / 86400 < 2.2·10^14`, hence `z < 2.2·10^14`,
/// `era < 1.6·10^9`, `era·400 < 6.4·10^11`; `doe < 146097`, `yoe < 400`, `doy < 366`,
/// `mp < 12`. No step can overflow a `u64`, and every divisor is a non-zero constant.
#[allow(clippy::arithmetic_side_effects)]
pub fn civil_from_days(days: u64) -> (u64, u8, u8) {
    let days = days.min(u64::MAX / SECONDS_PER_DAY);
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, narrow(month), narrow(day))
}

/// A value the algorithm bounds below 256, as `u8`.
fn narrow(value: u64) -> u8 {
    u8::try_from(value).unwrap_or(u8::MAX)
}

impl UtcDateTime {
    /// The UTC date and time of a timestamp.
    pub fn from_timestamp(ts: Timestamp) -> Self {
        let days = ts.0 / SECONDS_PER_DAY;
        let secs = ts.0 % SECONDS_PER_DAY;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: narrow(secs / 3_600),
            minute: narrow(secs % 3_600 / 60),
            second: narrow(secs % 60),
        }
    }
}

/// `2026-12-03 14:02 UTC` — minutes are the precision a person reads on a screen; the
/// alternate form `{:#}` adds seconds (`2026-12-03 14:02:05 UTC`).
impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )?;
        if f.alternate() {
            write!(f, ":{:02}", self.second)?;
        }
        f.write_str(" UTC")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::format;

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        let t = UtcDateTime::from_timestamp(Timestamp(1_796_306_520));
        assert_eq!(format!("{t}"), "2026-12-03 14:02 UTC");
        assert_eq!(format!("{t:#}"), "2026-12-03 14:02:00 UTC");
    }

    #[test]
    fn the_largest_timestamp_does_not_overflow() {
        let t = UtcDateTime::from_timestamp(Timestamp(u64::MAX));
        // Independently: 213503982334601 days and 25215 s; 400-year cycles of 146097 days.
        assert_eq!((t.year, t.month, t.day), (584_554_051_223, 11, 9));
        assert_eq!((t.hour, t.minute, t.second), (7, 0, 15));
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_time_crate(secs in 0i64..253_402_300_800) {
            let ours = UtcDateTime::from_timestamp(Timestamp(secs as u64));
            let theirs = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
            proptest::prop_assert_eq!(ours.year, theirs.year() as u64);
            proptest::prop_assert_eq!(ours.month, u8::from(theirs.month()));
            proptest::prop_assert_eq!(ours.day, theirs.day());
            proptest::prop_assert_eq!((ours.hour, ours.minute, ours.second), theirs.to_hms());
        }
    }
}
