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
}
