//! The language people read: Vietnamese (the default) or English.
//!
//! Codes, JSON Pointers, figures in JSON documents and the results document never change with
//! the locale; what a person reads does: problem messages, `explain`, `criteria show`, table
//! headings, and figures written for a person (`3,5` in Vietnamese, `3.5` in English).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The environment variable that chooses the locale when no `--locale` is given.
pub const LOCALE_ENV: &str = "PARINDEX_LOCALE";

/// A language for people: Vietnamese or English.
///
/// Vietnamese is the default: the people who read parindex's output are officers of Sở Nội vụ
/// and of the units they assess, who work in Vietnamese; English is for integrators and
/// reviewers who ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Locale {
    /// Vietnamese (`vi`): decimal comma, thousands with a point.
    #[default]
    Vi,
    /// English (`en`): decimal point.
    En,
}

/// A locale name that is neither `vi` nor `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown locale '{0}': use vi (Tiếng Việt) or en (English)")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;

    /// `vi`, `vi-VN`, `vi_VN.UTF-8`, `en`, `en-US`, … (case-insensitive; the region and
    /// encoding are ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lang = s.trim().split(['-', '_', '.']).next().unwrap_or("").to_ascii_lowercase();
        match lang.as_str() {
            "vi" => Ok(Locale::Vi),
            "en" => Ok(Locale::En),
            _ => Err(UnknownLocale(s.to_owned())),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Locale {
    /// The language tag: `vi` or `en` (what `Content-Language` carries).
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// The first locale an HTTP `Accept-Language` header accepts, by its `q` weights (ties in
    /// the header's order); `None` when it names neither Vietnamese nor English.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(Locale, u32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=")).map_or(1000, |q| parse_q(q.trim()));
            if q == 0 {
                continue;
            }
            if let Ok(locale) = tag.parse::<Locale>()
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((locale, q));
            }
        }
        best.map(|(l, _)| l)
    }

    /// A figure as a person reads it: its decimals as written (`3.50` stays `3,50`), with a
    /// decimal comma and thousands grouped by a point in Vietnamese (`1.234,5`), a decimal
    /// point in English (`1234.5`).
    pub fn number(self, d: Decimal) -> String {
        let text = d.to_string();
        match self {
            Locale::En => text,
            Locale::Vi => {
                let (sign, body) = match text.strip_prefix('-') {
                    Some(rest) => ("-", rest),
                    None => ("", text.as_str()),
                };
                let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
                let mut grouped = String::with_capacity(int.len() + int.len() / 3);
                for (i, c) in int.chars().enumerate() {
                    if i > 0 && (int.len() - i) % 3 == 0 {
                        grouped.push('.');
                    }
                    grouped.push(c);
                }
                match frac {
                    Some(f) => format!("{sign}{grouped},{f}"),
                    None => format!("{sign}{grouped}"),
                }
            }
        }
    }

    /// [`Locale::number`] without trailing zeros (`2.50` → `2,5`; `0.00` → `0`).
    pub fn plain(self, d: Decimal) -> String {
        let n = d.normalize();
        self.number(if n.is_zero() { Decimal::ZERO } else { n })
    }

    /// "points" after a figure: `3,5 điểm`, `3.5 point(s)`.
    pub fn points(self, d: Decimal) -> String {
        match self {
            Locale::Vi => format!("{} điểm", self.plain(d)),
            Locale::En => format!("{} point(s)", self.plain(d)),
        }
    }
}

impl Locale {
    /// A date as a person reads it: `15/01/2024` in Vietnamese, `2024-01-15` in English.
    pub fn date(self, date: crate::input::Date) -> String {
        match self {
            Locale::Vi => format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year()),
            Locale::En => date.to_string(),
        }
    }
}

/// A `q` weight in thousandths (`0.8` → 800); anything unreadable counts 0.
fn parse_q(q: &str) -> u32 {
    let (int, frac) = q.split_once('.').unwrap_or((q, ""));
    let whole = match int {
        "1" => 1000,
        "0" | "" => 0,
        _ => return 0,
    };
    let digits: String = frac.chars().take(3).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let thousandths = format!("{digits:0<3}").parse::<u32>().unwrap_or(0);
    (whole + thousandths).min(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn parses_tags_and_defaults_to_vietnamese() {
        assert_eq!(Locale::default(), Locale::Vi);
        assert_eq!("vi".parse::<Locale>(), Ok(Locale::Vi));
        assert_eq!("vi_VN.UTF-8".parse::<Locale>(), Ok(Locale::Vi));
        assert_eq!("EN-us".parse::<Locale>(), Ok(Locale::En));
        assert!("fr".parse::<Locale>().is_err());
    }

    #[test]
    fn accept_language_weights() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("fr, en;q=0.5, vi;q=0.8"), Some(Locale::Vi));
        assert_eq!(Locale::from_accept_language("vi;q=0, en"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("fr, de"), None);
        assert_eq!(Locale::from_accept_language("*"), None);
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(Locale::Vi.number(d("3.5")), "3,5");
        assert_eq!(Locale::Vi.number(d("1234567.25")), "1.234.567,25");
        assert_eq!(Locale::Vi.number(d("-1000")), "-1.000");
        assert_eq!(Locale::Vi.number(d("85.60")), "85,60");
        assert_eq!(Locale::En.number(d("1234.5")), "1234.5");
        assert_eq!(Locale::Vi.plain(d("2.50")), "2,5");
        assert_eq!(Locale::Vi.plain(d("0.00")), "0");
        assert_eq!(Locale::Vi.points(d("3.5")), "3,5 điểm");
        assert_eq!(Locale::En.points(d("3.50")), "3.5 point(s)");
    }
}
