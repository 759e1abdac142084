//! Classification (xếp loại, SPEC §7 and §8 step 8).

use rust_decimal::Decimal;

use crate::round::ClassBand;

/// The class of a unit whose **presented** index is `index`: the first band whose bound it
/// meets, then lowered to `cap` if the cap is a worse class. `None` when no band applies
/// (a unit with no class keeps none, cap or not).
pub fn classify<'a>(classes: &'a [ClassBand], index: Decimal, cap: Option<&str>) -> Option<&'a str> {
    let position = class_band(classes, index)?;
    let capped = match cap.and_then(|label| classes.iter().position(|c| c.label == label)) {
        Some(cap_position) => position.max(cap_position),
        None => position,
    };
    classes.get(capped).map(|c| c.label.as_str())
}

/// The position of the first class whose bound the presented `index` meets, before any cap.
pub fn class_band(classes: &[ClassBand], index: Decimal) -> Option<usize> {
    classes.iter().position(|c| if c.from_inclusive { index >= c.from } else { index > c.from })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands() -> Vec<ClassBand> {
        [("Xuất sắc", "90", true), ("Tốt", "80", true), ("Khá", "70", false)]
            .into_iter()
            .map(|(l, f, inc)| ClassBand { label: l.into(), from: f.parse().unwrap(), from_inclusive: inc })
            .collect()
    }

    #[test]
    fn first_band_met_then_cap() {
        let c = bands();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(classify(&c, d("90.00"), None), Some("Xuất sắc"));
        assert_eq!(classify(&c, d("89.99"), None), Some("Tốt"));
        assert_eq!(classify(&c, d("70.00"), None), None);
        assert_eq!(classify(&c, d("70.01"), None), Some("Khá"));
        assert_eq!(classify(&c, d("95"), Some("Tốt")), Some("Tốt"));
        assert_eq!(classify(&c, d("75"), Some("Tốt")), Some("Khá"));
        assert_eq!(classify(&c, d("10"), Some("Tốt")), None);
    }
}
