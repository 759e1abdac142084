//! The facts an entry gives for a leaf (SPEC §4 "input" column), already typed for its rule.

use std::fmt;

use rust_decimal::Decimal;

/// A calendar date `YYYY-MM-DD` (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date if `year-month-day` exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid =
            (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`; `None` for any other text or a day that does not exist.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num =
            |s: &str| -> Option<u32> { if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().ok() } else { None } };
        let year = num(text.get(0..4)?)?;
        let month = num(text.get(5..7)?)?;
        let day = num(text.get(8..10)?)?;
        Date::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }

    /// The earliest date: 0001-01-01.
    pub const MIN: Date = Date { year: 1, month: 1, day: 1 };

    /// The latest date: 9999-12-31.
    pub const MAX: Date = Date { year: 9999, month: 12, day: 31 };

    /// The year (1 to 9999).
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month (1 to 12).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month (1 to 31).
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), for day arithmetic.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (negative: before), the inverse of
    /// [`Date::day_number`]; `None` outside [`Date::MIN`]..=[`Date::MAX`].
    pub fn from_day_number(days: i64) -> Option<Date> {
        if !(Date::MIN.day_number()..=Date::MAX.day_number()).contains(&days) {
            return None;
        }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
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

    /// This date plus `days` days (minus, when negative); `None` past [`Date::MIN`] or
    /// [`Date::MAX`].
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(days)?)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A survey result for one leaf (SPEC §6.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurveyAnswer {
    /// Answer counts by key (`"A"`, `"B"`, …), weighted by the rule's `weights`.
    Counts(Vec<(String, Decimal)>),
    /// A mean on the rule's `scale`.
    Mean(Decimal),
    /// A score already in `[0, 1]`.
    Score(Decimal),
    /// One result per respondent group (SPEC §11.4), in the rule's order of groups.
    Groups(Vec<(String, SurveyAnswer)>),
}

/// An entry's input, typed for its leaf's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// `yes_no`: done or not.
    YesNo(bool),
    /// `options`: the chosen option key.
    Choice(String),
    /// `bands` and `proportional` over a percent, a count or a number.
    Value(Decimal),
    /// `bands` and `proportional` over a ratio `numerator / denominator`.
    Ratio {
        /// Achieved (e.g. files settled on time).
        numerator: Decimal,
        /// Total (e.g. files received); 0 means nothing arose.
        denominator: Decimal,
    },
    /// `deduction`: how many occurrences.
    Count(Decimal),
    /// `deadline`: the day it was done, or `None` when not done.
    Date(Option<Date>),
    /// `formula`: the chosen expression (index into `choices`, 0 for `expr`) and the value of
    /// each declared variable by slot (`None` when the entry does not give it).
    Variables {
        /// Which expression: 0 for a rule with `expr`, else the index of the choice.
        choice: usize,
        /// Value by variable slot.
        values: Vec<Option<Decimal>>,
    },
    /// `survey`: the survey result.
    Survey(SurveyAnswer),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(Date::parse("2023-01-15").map(|d| d.to_string()), Some("2023-01-15".into()));
        for bad in ["2023-02-30", "2023-13-01", "15/01/2024", "2023-1-15", "2023-01-15 ", "+023-01-15", "2023-00-10"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
    }

    #[test]
    fn day_numbers_count_days() {
        let d = |s| Date::parse(s).map(Date::day_number).unwrap_or(i64::MIN);
        assert_eq!(d("1970-01-01"), 0);
        assert_eq!(d("2023-01-30") - d("2023-01-15"), 15);
        assert_eq!(d("2024-03-01") - d("2024-02-28"), 2);
        assert_eq!(d("2024-01-01") - d("2023-01-01"), 365);
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap_or(Date::MIN)
    }

    #[test]
    fn parts_of_a_date() {
        let d = date("2024-02-29");
        assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
    }

    #[test]
    fn day_numbers_round_trip_at_the_edges() {
        for s in ["1970-01-01", "1900-03-01", "2000-02-29", "2023-01-15", "2024-12-31", "9999-12-31", "0001-01-01"] {
            assert_eq!(Date::from_day_number(date(s).day_number()), Some(date(s)), "{s}");
        }
        assert_eq!(Date::from_day_number(Date::MIN.day_number() - 1), None);
        assert_eq!(Date::from_day_number(Date::MAX.day_number() + 1), None);
        assert_eq!(Date::from_day_number(i64::MIN), None);
        assert_eq!(Date::from_day_number(i64::MAX), None);
    }

    #[test]
    fn adds_days_across_months_years_and_leap_days() {
        assert_eq!(date("2023-01-15").add_days(15), Some(date("2023-01-30")));
        assert_eq!(date("2023-02-28").add_days(30), Some(date("2023-03-30")));
        assert_eq!(date("2023-12-31").add_days(1), Some(date("2024-01-01")));
        assert_eq!(date("2024-02-28").add_days(1), Some(date("2024-02-29")));
        assert_eq!(date("2023-02-28").add_days(1), Some(date("2023-03-01")));
        assert_eq!(date("1900-02-28").add_days(1), Some(date("1900-03-01")));
        assert_eq!(date("2000-02-28").add_days(1), Some(date("2000-02-29")));
        assert_eq!(date("2024-03-01").add_days(-1), Some(date("2024-02-29")));
        assert_eq!(date("9999-12-31").add_days(1), None);
        assert_eq!(date("0001-01-01").add_days(-1), None);
        assert_eq!(date("2024-01-01").add_days(i64::MAX), None);
    }

    proptest::proptest! {
        #[test]
        fn days_and_dates_round_trip(days in Date::MIN.day_number()..=Date::MAX.day_number()) {
            let d = Date::from_day_number(days);
            proptest::prop_assert!(d.is_some());
            let d = d.unwrap_or(Date::MIN);
            proptest::prop_assert_eq!(d.day_number(), days);
            proptest::prop_assert_eq!(Date::parse(&d.to_string()), Some(d));
            // The next day is the next date: the day after, or the 1st of the next month.
            if let Some(next) = d.add_days(1) {
                let same_month = (next.year(), next.month()) == (d.year(), d.month()) && next.day() == d.day() + 1;
                let new_month = next.day() == 1 && Date::new(d.year(), d.month(), d.day() + 1).is_none();
                proptest::prop_assert!(same_month || new_month, "{d} -> {next}");
                proptest::prop_assert!(next > d);
            }
        }

        #[test]
        fn dates_and_days_round_trip(year in 1i32..=9999, month in 1u8..=12, day in 1u8..=31) {
            if let Some(d) = Date::new(year, month, day) {
                proptest::prop_assert_eq!(Date::from_day_number(d.day_number()), Some(d));
                let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                if month == 2 && day == 29 { proptest::prop_assert!(leap); }
            }
        }
    }
}
