//! Writing figures for people: the decimal point or the Vietnamese decimal comma.

use parindex::Decimal;

use crate::labels::Locale;

/// A published figure as written in `locale`: `85.63`, or `85,63` in Vietnamese.
pub(crate) fn num(d: Decimal, locale: Locale) -> String {
    let text = d.to_string();
    match locale {
        Locale::En => text,
        Locale::Vi => text.replace('.', ","),
    }
}

/// A change with its sign: `+2.25`, `-3.00` (`−` is not used, so that text copies as a number).
pub(crate) fn signed(d: Decimal, locale: Locale) -> String {
    if d > Decimal::ZERO { format!("+{}", num(d, locale)) } else { num(d, locale) }
}

/// A rank change: `▲2` (climbed two places), `▼1`, `=`.
pub(crate) fn rank_change(change: Option<i64>) -> String {
    match change {
        Some(c) if c > 0 => format!("▲{c}"),
        Some(c) if c < 0 => format!("▼{}", c.unsigned_abs()),
        Some(_) => "=".to_owned(),
        None => "–".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_decimal_comma() {
        let d: Decimal = "85.63".parse().unwrap_or_default();
        assert_eq!(num(d, Locale::En), "85.63");
        assert_eq!(num(d, Locale::Vi), "85,63");
        assert_eq!(signed(d, Locale::Vi), "+85,63");
        assert_eq!(signed(-d, Locale::En), "-85.63");
        assert_eq!(rank_change(Some(2)), "▲2");
        assert_eq!(rank_change(Some(-1)), "▼1");
        assert_eq!(rank_change(Some(0)), "=");
        assert_eq!(rank_change(None), "–");
    }
}
