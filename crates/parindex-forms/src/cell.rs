#![allow(clippy::disallowed_types)] // the xlsx boundary: number cells are doubles by format (docs/architecture.md)
//! What a workbook cell holds, typed, with numbers as exact decimals.
//!
//! Spreadsheet files store a number cell as a binary double (calamine hands it over as
//! `f64`): this module is the one place where such a value becomes a decimal. It takes the
//! shortest decimal text that reads back as the same double (what the officer typed, for
//! anything typed by hand), and refuses a value that needs more than 15 significant digits
//! (Excel keeps 15; such a value is the binary residue of a calculation, not a typed figure).
//! Text cells are read with the strict decimal rule of SPEC §2, so `0,5` gets the message
//! "write 0.5".

use calamine::Data;
use parindex_core::decimal::{DecimalError, parse_decimal_text};
use parindex_core::{Date, Decimal};

/// Most significant digits of a typed number (what spreadsheets keep).
pub const MAX_DIGITS: usize = 15;

/// A cell's value, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    /// Empty, or only white space.
    Blank,
    /// A number cell, as an exact decimal.
    Number(Decimal),
    /// A text cell, trimmed of surrounding white space.
    Text(String),
    /// A boolean cell (TRUE / FALSE).
    Bool(bool),
    /// A date cell (a date format, no time of day).
    Date(Date),
    /// A cell that cannot be used: an error value (`#VALUE!`), a time of day, a duration, or a
    /// number that was not typed by hand; the text says which.
    Unusable(String),
}

impl CellValue {
    /// True for an empty cell.
    pub fn is_blank(&self) -> bool {
        matches!(self, CellValue::Blank)
    }

    /// What the cell shows, for messages.
    pub fn describe(&self) -> String {
        match self {
            CellValue::Blank => "an empty cell".to_owned(),
            CellValue::Number(d) => format!("the number {d}"),
            CellValue::Text(t) => format!("the text '{t}'"),
            CellValue::Bool(b) => format!("the value {}", if *b { "TRUE" } else { "FALSE" }),
            CellValue::Date(d) => format!("the date {}", crate::dates::vietnamese(*d)),
            CellValue::Unusable(why) => why.clone(),
        }
    }

    /// The cell as text, for free-text columns (a number keeps its decimal text).
    pub fn as_text(&self) -> Option<String> {
        match self {
            CellValue::Blank | CellValue::Unusable(_) => None,
            CellValue::Number(d) => Some(d.to_string()),
            CellValue::Text(t) => Some(t.clone()),
            CellValue::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
            CellValue::Date(d) => Some(d.to_string()),
        }
    }
}

/// Why a cell is not a decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotADecimal {
    /// Text that is not a decimal (the strict rule's error: decimal comma, letters, …).
    Text(DecimalError),
    /// Any other kind of cell (a date, a boolean, an error value, …).
    Other(String),
}

impl CellValue {
    /// The cell as a decimal: a number cell, or a text cell holding `-?digits(.digits)?`.
    /// `Ok(None)` for a blank cell.
    pub fn decimal(&self) -> Result<Option<Decimal>, NotADecimal> {
        match self {
            CellValue::Blank => Ok(None),
            CellValue::Number(d) => Ok(Some(*d)),
            CellValue::Text(t) => parse_decimal_text(t).map(Some).map_err(NotADecimal::Text),
            other => Err(NotADecimal::Other(other.describe())),
        }
    }
}

/// The shortest decimal that reads back as `value`, if it has at most [`MAX_DIGITS`]
/// significant digits.
pub fn decimal_from_double(value: f64) -> Result<Decimal, String> {
    if !value.is_finite() {
        return Err("a value that is not a number".to_owned());
    }
    // Display for f64 is the shortest text that round-trips, never in exponent form.
    let text = format!("{value}");
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant > MAX_DIGITS {
        return Err(format!(
            "the number {text}, which has more than {MAX_DIGITS} significant digits (the result of a \
             calculation, not a typed value): type the value itself"
        ));
    }
    match parse_decimal_text(&text) {
        Ok(d) if d.is_zero() => Ok(Decimal::ZERO),
        Ok(d) => Ok(d),
        Err(_) => Err(format!("the number {text}, which is too large")),
    }
}

/// A decimal as a spreadsheet number when it survives the trip through a double exactly
/// (at most [`MAX_DIGITS`] significant digits), else `None` (write it as text).
pub fn double_from_decimal(d: Decimal) -> Option<f64> {
    let n = d.normalize();
    let digits = n.mantissa().unsigned_abs().to_string().len();
    if digits > MAX_DIGITS {
        return None;
    }
    n.to_string().parse::<f64>().ok()
}

/// A computed figure shown in a read-only cell (points before a stage, a derived item's
/// value): the nearest spreadsheet number, so that sums and comparisons in the sheet work.
/// Never read back: the engine recomputes every figure from the entries.
pub fn shown_double(d: Decimal) -> f64 {
    double_from_decimal(d)
        .unwrap_or_else(|| d.round_dp(MAX_DIGITS_SHOWN).normalize().to_string().parse().unwrap_or(0.0))
}

/// Decimal places of a computed figure shown as a number when it has more digits than a
/// double holds exactly.
const MAX_DIGITS_SHOWN: u32 = 10;

/// Types a calamine cell.
pub fn from_data(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Blank,
        Data::Int(i) => CellValue::Number(Decimal::from(*i)),
        Data::Float(f) => match decimal_from_double(*f) {
            Ok(d) => CellValue::Number(d),
            Err(why) => CellValue::Unusable(why),
        },
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() { CellValue::Blank } else { CellValue::Text(t.to_owned()) }
        }
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => {
            if !dt.is_datetime() {
                return CellValue::Unusable("a duration".to_owned());
            }
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            if (hh, mm, ss, ms) != (0, 0, 0, 0) {
                return CellValue::Unusable("a date with a time of day".to_owned());
            }
            match Date::new(i32::from(y), m, d) {
                Some(date) => CellValue::Date(date),
                None => CellValue::Unusable(format!("the date {y:04}-{m:02}-{d:02}, which does not exist")),
            }
        }
        Data::DateTimeIso(s) => match Date::parse(s) {
            Some(date) => CellValue::Date(date),
            None => CellValue::Unusable(format!("the date and time {s}")),
        },
        Data::DurationIso(s) => CellValue::Unusable(format!("the duration {s}")),
        Data::Error(e) => CellValue::Unusable(format!("the error value {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn doubles_become_the_decimal_that_was_typed() {
        assert_eq!(decimal_from_double(98.65), Ok(dec("98.65")));
        assert_eq!(decimal_from_double(0.1), Ok(dec("0.1")));
        assert_eq!(decimal_from_double(28.0), Ok(dec("28")));
        assert_eq!(decimal_from_double(-0.0), Ok(Decimal::ZERO));
        assert_eq!(decimal_from_double("1.1000000000000001".parse().unwrap()), Ok(dec("1.1")));
        assert_eq!(decimal_from_double(123_456_789_012_345.0), Ok(dec("123456789012345")));
        assert_eq!(decimal_from_double(0.000_001_5), Ok(dec("0.0000015")));
    }

    #[test]
    fn calculation_residue_is_refused() {
        let err = decimal_from_double(0.1 + 0.2).unwrap_err();
        assert!(err.contains("0.30000000000000004"), "{err}");
        assert!(decimal_from_double(f64::NAN).is_err());
    }

    #[test]
    fn decimals_that_fit_a_double_are_numbers() {
        assert_eq!(double_from_decimal(dec("2.50")), Some(2.5));
        assert_eq!(double_from_decimal(dec("0.1000000000000000000000000001")), None);
        for s in ["0.25", "98.65", "1.5", "100", "0.333333333333333"] {
            let d = dec(s);
            assert_eq!(decimal_from_double(double_from_decimal(d).unwrap()), Ok(d.normalize()), "{s}");
        }
    }

    #[test]
    fn text_cells_follow_the_strict_rule() {
        let comma = CellValue::Text("0,5".into()).decimal().unwrap_err();
        assert_eq!(comma, NotADecimal::Text(DecimalError::DecimalComma("0,5".into(), "0.5".into())));
        assert_eq!(CellValue::Text("1.50".into()).decimal(), Ok(Some(dec("1.50"))));
        assert!(matches!(CellValue::Text("khoảng 90".into()).decimal(), Err(NotADecimal::Text(_))));
        assert_eq!(CellValue::Blank.decimal(), Ok(None));
        assert_eq!(from_data(&Data::String("   ".into())), CellValue::Blank);
        assert_eq!(from_data(&Data::Int(3)), CellValue::Number(dec("3")));
    }
}
