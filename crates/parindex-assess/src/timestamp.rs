//! RFC 3339 timestamps, as `submitted_at` carries them.

use parindex_core::Date;

/// An RFC 3339 timestamp, kept as written, with the calendar day in its own offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    text: String,
    date: Date,
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (RFC 3339; `t`, `z` and a space for
    /// `T` accepted); `None` otherwise.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let date = Date::parse(text.get(0..10)?)?;
        let rest = text.get(10..)?;
        let mut chars = rest.chars();
        if !matches!(chars.next(), Some('T' | 't' | ' ')) {
            return None;
        }
        let time = chars.as_str();
        let two = |s: &str, max: u32| -> Option<()> {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().ok()? <= max).then_some(())
        };
        two(time.get(0..2)?, 23)?;
        (time.get(2..3)? == ":").then_some(())?;
        two(time.get(3..5)?, 59)?;
        (time.get(5..6)? == ":").then_some(())?;
        two(time.get(6..8)?, 60)?;
        let mut zone = time.get(8..)?;
        if let Some(frac) = zone.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            zone = frac.get(digits..)?;
        }
        match zone {
            "Z" | "z" => {}
            _ => {
                let sign = zone.get(0..1)?;
                if !(sign == "+" || sign == "-") || zone.len() != 6 || zone.get(3..4)? != ":" {
                    return None;
                }
                two(zone.get(1..3)?, 23)?;
                two(zone.get(4..6)?, 59)?;
            }
        }
        Some(Timestamp { text: text.to_owned(), date })
    }

    /// The timestamp as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The calendar day, read in the timestamp's own offset.
    pub fn date(&self) -> Date {
        self.date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc3339_and_reads_the_day_in_its_own_offset() {
        let t = Timestamp::parse("2024-01-16T00:05:00+07:00").unwrap();
        assert_eq!(t.date().to_string(), "2024-01-16");
        assert!(Timestamp::parse("2024-01-15T23:59:59.123Z").is_some());
        assert!(Timestamp::parse("2024-01-15t23:59:59-05:30").is_some());
    }

    #[test]
    fn rejects_other_forms() {
        for bad in [
            "2024-01-15",
            "15/01/2024 08:00",
            "2024-01-15T25:00:00Z",
            "2024-01-15T08:00:00",
            "2024-01-15T08:00:00+0700",
            "2024-02-30T08:00:00Z",
            "2024-01-15T08:00:00.Z",
            "",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }
}
