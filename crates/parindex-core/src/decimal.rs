//! Exact decimals as SPEC §2 writes them.
//!
//! A decimal in a document is a JSON number, read from its exact text, or a string holding an
//! optional `-`, digits, and optionally `.` and more digits. Nothing is ever read through a
//! binary float.

use rust_decimal::Decimal;
use serde_json::Value;

/// Why a text or JSON value is not a decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// Written the Vietnamese way, with a decimal comma.
    #[error("'{0}' uses a decimal comma: write it with a point, e.g. '{1}'")]
    DecimalComma(String, String),
    /// Not of the form `-?digits(.digits)?`.
    #[error("'{0}' is not a decimal: write digits with an optional '-' and '.', e.g. '0.5'")]
    NotADecimal(String),
    /// More digits than an exact decimal holds (28 significant digits, at most 28 of them
    /// after the point): refused, never rounded.
    #[error("'{0}' has more digits than an exact decimal can hold (28)")]
    TooLong(String),
    /// A JSON value of another type (boolean, object, …).
    #[error("expected a decimal (a number or a string such as \"0.5\"), found {0}")]
    WrongType(&'static str),
}

/// Parses the strict text form `-?digits(.digits)?`.
pub fn parse_decimal_text(text: &str) -> Result<Decimal, DecimalError> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = digits(int) && frac.is_none_or(digits);
    if !well_formed {
        if let Some((i, f)) = body.split_once(',')
            && digits(i)
            && digits(f)
        {
            let sign = if text.starts_with('-') { "-" } else { "" };
            return Err(DecimalError::DecimalComma(text.to_owned(), format!("{sign}{i}.{f}")));
        }
        return Err(DecimalError::NotADecimal(text.to_owned()));
    }
    exact(text, text.parse::<Decimal>().ok())
}

/// Parses a JSON number's exact text, which may use an exponent (`1e2`, `2.5E-1`).
pub(crate) fn parse_number_text(text: &str) -> Result<Decimal, DecimalError> {
    if text.contains(['e', 'E']) {
        exact(text, Decimal::from_scientific(text).ok())
    } else {
        exact(text, text.parse::<Decimal>().ok())
    }
}

/// `parsed` if it is exactly the number `text` writes, else [`DecimalError::TooLong`]:
/// `rust_decimal` rounds what does not fit 96 bits and 28 places instead of failing, and
/// SPEC §2 wants input decimals exact. Text of at most 28 digits without an exponent always
/// fits, so the common case costs one pass over the text.
fn exact(text: &str, parsed: Option<Decimal>) -> Result<Decimal, DecimalError> {
    let too_long = || DecimalError::TooLong(text.to_owned());
    let d = parsed.ok_or_else(too_long)?;
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    if digits <= 28 && !text.contains(['e', 'E']) {
        return Ok(d);
    }
    let written = written_value(text).ok_or_else(too_long)?;
    if written == held_value(d) { Ok(d) } else { Err(too_long()) }
}

/// The value a decimal's text writes, as (negative, significant digits without leading or
/// trailing zeros, power of ten of the last one); zero is `(false, "", 0)`.
fn written_value(text: &str) -> Option<(bool, String, i64)> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let mut power = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    while digits.ends_with('0') {
        digits.pop();
        power += 1;
    }
    let digits = digits.trim_start_matches('0').to_owned();
    if digits.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, digits, power))
}

/// The value a [`Decimal`] holds, in the form of [`written_value`].
fn held_value(d: Decimal) -> (bool, String, i64) {
    let n = d.normalize();
    let mantissa = n.mantissa();
    if mantissa == 0 {
        return (false, String::new(), 0);
    }
    let mut digits = mantissa.unsigned_abs().to_string();
    let mut power = -i64::from(n.scale());
    while digits.ends_with('0') {
        digits.pop();
        power += 1;
    }
    (mantissa < 0, digits, power)
}

/// Reads a decimal from a JSON value: a number (from its exact text) or a strict string.
pub fn decimal_from_json(value: &Value) -> Result<Decimal, DecimalError> {
    match value {
        Value::Number(n) => parse_number_text(n.as_str()),
        Value::String(s) => parse_decimal_text(s),
        other => Err(DecimalError::WrongType(json_type_name(other))),
    }
}

/// Reads a decimal from a document tree value (SPEC §2): a number from its exact text, or a
/// strict string.
pub fn decimal_of(value: &parindex_json::Value<'_>) -> Result<Decimal, DecimalError> {
    use parindex_json::{Number, Value as Tree};
    match value {
        Tree::Number(Number::Unsigned(n)) => Ok(Decimal::from(*n)),
        Tree::Number(Number::Signed(n)) => Ok(Decimal::from(*n)),
        Tree::Number(Number::Text(text)) => parse_number_text(text),
        Tree::String(s) => parse_decimal_text(s),
        other => Err(DecimalError::WrongType(other.type_name())),
    }
}

/// A JSON type's name for messages ("a boolean", "an object", …).
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// True when `value` is a whole number (no fractional part).
pub fn is_whole(value: Decimal) -> bool {
    value.fract().is_zero()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn tree_values_read_from_their_exact_text() {
        let text = r#"{"n": 12, "x": 0.10, "s": "-1.5", "big": 123456789012345678901234567890, "b": true}"#;
        let doc = parindex_json::Value::parse(text).unwrap();
        let get = |k: &str| decimal_of(doc.get(k).unwrap());
        assert_eq!(get("n"), Ok(dec("12")));
        assert_eq!(get("x").map(|d| d.to_string()), Ok("0.10".to_owned()));
        assert_eq!(get("s"), Ok(dec("-1.5")));
        assert!(matches!(get("big"), Err(DecimalError::TooLong(_))));
        assert_eq!(get("b"), Err(DecimalError::WrongType("a boolean")));
    }

    #[test]
    fn strict_strings() {
        assert_eq!(parse_decimal_text("0.25"), Ok(dec("0.25")));
        assert_eq!(parse_decimal_text("-3"), Ok(dec("-3")));
        assert_eq!(parse_decimal_text("100.00").map(|d| d.to_string()), Ok("100.00".into()));
        for bad in [".5", "5.", " 1", "1 ", "1e2", "+1", "", "-", "1.2.3", "abc", "--1"] {
            assert!(matches!(parse_decimal_text(bad), Err(DecimalError::NotADecimal(_))), "{bad}");
        }
    }

    #[test]
    fn vietnamese_comma_says_to_write_a_point() {
        let err = parse_decimal_text("0,5").unwrap_err();
        assert_eq!(err, DecimalError::DecimalComma("0,5".into(), "0.5".into()));
        assert!(err.to_string().contains("'0.5'"));
    }

    #[test]
    fn json_numbers_keep_their_exact_text() {
        let v: Value = serde_json::from_str("0.1000000000000000000000000001").unwrap();
        assert_eq!(decimal_from_json(&v), Ok(dec("0.1000000000000000000000000001")));
        let v: Value = serde_json::from_str("1e2").unwrap();
        assert_eq!(decimal_from_json(&v), Ok(dec("100")));
        let v: Value = serde_json::from_str("true").unwrap();
        assert_eq!(decimal_from_json(&v), Err(DecimalError::WrongType("a boolean")));
    }

    #[test]
    fn digits_beyond_what_fits_are_refused_never_rounded() {
        let long = "97.9999999999999999999999999999";
        assert!(matches!(parse_decimal_text(long), Err(DecimalError::TooLong(_))), "string");
        let text = format!("{{\"n\": {long}}}");
        let doc = parindex_json::Value::parse(&text).unwrap();
        assert!(matches!(decimal_of(doc.get("n").unwrap()), Err(DecimalError::TooLong(_))), "number");
        let v: Value = serde_json::from_str(long).unwrap();
        assert!(matches!(decimal_from_json(&v), Err(DecimalError::TooLong(_))), "serde number");
        for bad in [
            "0.00000000000000000000000000001",
            "9.79999999999999999999999999999e1",
            "97.999999999999999999999999999",
            "1e-29",
            "1e29",
        ] {
            assert!(matches!(parse_number_text(bad), Err(DecimalError::TooLong(_))), "{bad}");
        }
        // Everything that fits is read exactly, however it is written.
        for (text, want) in [
            ("97.99999999999999999999999999", "97.99999999999999999999999999"),
            ("0.0000000000000000000000000001", "0.0000000000000000000000000001"),
            ("79228162514264337593543950335", "79228162514264337593543950335"),
            ("-0.50", "-0.50"),
            ("000000000000000000000000000000012.5", "12.5"),
            ("12.50000000000000000000000000000000", "12.5"),
            ("2.5e-1", "0.25"),
            ("1e28", "10000000000000000000000000000"),
            ("1e+2", "100"),
        ] {
            assert_eq!(parse_number_text(text).map(|d| d.normalize()), Ok(dec(want).normalize()), "{text}");
        }
        assert_eq!(parse_decimal_text("-0.50").map(|d| d.to_string()), Ok("-0.50".into()));
        let err = parse_decimal_text(long).unwrap_err().to_string();
        assert!(err.contains("(28)"), "{err}");
    }

    #[test]
    fn too_many_digits_is_an_error_not_a_panic() {
        assert!(matches!(parse_decimal_text("123456789012345678901234567890123"), Err(DecimalError::TooLong(_))));
    }

    proptest! {
        #[test]
        fn any_text_parses_or_errors(s in ".{0,40}") {
            let _ = parse_decimal_text(&s);
        }

        #[test]
        fn decimal_text_round_trips(n in any::<i64>(), scale in 0u32..10) {
            let d = Decimal::new(n, scale);
            prop_assert_eq!(parse_decimal_text(&d.to_string()), Ok(d));
        }
    }
}
