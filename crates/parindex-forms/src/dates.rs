//! Calendar helpers the forms need beyond `parindex_core::Date`: adding days, the
//! Vietnamese `dd/mm/yyyy` display, and a date's parts.

use parindex_core::Date;

/// The date `days` days after 1970-01-01 (negative: before), if it is a valid date.
pub fn from_day_number(days: i64) -> Option<Date> {
    // Howard Hinnant's civil_from_days, the inverse of `Date::day_number`.
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

/// `date` plus `days` days.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    from_day_number(date.day_number().checked_add(days)?)
}

/// The year, month and day of `date`.
pub fn parts(date: Date) -> (i32, u8, u8) {
    let text = date.to_string();
    let num = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    (i32::try_from(num(0..4)).unwrap_or(0), u8::try_from(num(5..7)).unwrap_or(0), u8::try_from(num(8..10)).unwrap_or(0))
}

/// `dd/mm/yyyy`, as Vietnamese documents write dates.
pub fn vietnamese(date: Date) -> String {
    let (y, m, d) = parts(date);
    format!("{d:02}/{m:02}/{y:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        for s in ["1970-01-01", "1900-03-01", "2000-02-29", "2023-01-15", "2024-12-31", "9999-12-31", "0001-01-01"] {
            assert_eq!(from_day_number(date(s).day_number()), Some(date(s)), "{s}");
        }
    }

    #[test]
    fn adds_days_across_months_and_years() {
        assert_eq!(add_days(date("2023-01-15"), 15), Some(date("2023-01-30")));
        assert_eq!(add_days(date("2023-02-28"), 30), Some(date("2023-03-30")));
        assert_eq!(add_days(date("2023-12-31"), 1), Some(date("2024-01-01")));
        assert_eq!(add_days(date("9999-12-31"), 1), None);
    }

    #[test]
    fn vietnamese_order_is_day_month_year() {
        assert_eq!(vietnamese(date("2023-01-05")), "05/01/2023");
        assert_eq!(parts(date("2024-02-29")), (2024, 2, 29));
    }
}
