//! Wall-clock time as RFC 3339 text, without a date-time dependency: the store needs
//! "now" for its records and nothing more.

use std::time::{SystemTime, UNIX_EPOCH};

use parindex_core::Date;

/// Seconds since 1970-01-01T00:00:00Z (0 if the clock is before it).
pub fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `unix` seconds written as RFC 3339 in the given UTC offset (minutes east), e.g.
/// `2024-01-10T08:00:00+07:00`, or with `Z` when the offset is 0.
pub fn rfc3339(unix: i64, offset_minutes: i32) -> String {
    let local = unix + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    // Outside the years 1 to 9999 (never for a clock reading), the nearest date.
    let date = Date::from_day_number(days).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX });
    let (y, mo, d) = (date.year(), date.month(), date.day());
    let secs = local.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let zone = if offset_minutes == 0 {
        "Z".to_owned()
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let abs = offset_minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
    };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{zone}")
}

/// Now, as RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    rfc3339(now_unix(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_704_848_400, 420), "2024-01-10T08:00:00+07:00");
        assert_eq!(rfc3339(951_782_400, 0), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1, -90), "1969-12-31T22:29:59-01:30");
    }
}
