//! Presentation rounding (SPEC §8 step 7): every published figure is rounded once, from its
//! exact value, and written with exactly the round's number of decimals.

use rust_decimal::{Decimal, RoundingStrategy};

/// How to break exact halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundingMode {
    /// Half away from zero (làm tròn thông thường), the default.
    #[default]
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
}

impl RoundingMode {
    /// The name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half_up",
            RoundingMode::HalfEven => "half_even",
        }
    }
}

/// A round's presentation rule: decimals (0–6) and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounding {
    /// Digits after the point.
    pub decimals: u32,
    /// How halves go.
    pub mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding { decimals: 2, mode: RoundingMode::HalfUp }
    }
}

impl Rounding {
    /// `value` rounded to `decimals` places with `mode`, carrying exactly that scale
    /// (`90` → `90.00`).
    pub fn present(&self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        let mut rounded = value.round_dp_with_strategy(self.decimals, strategy);
        if rounded.is_zero() {
            rounded.set_sign_positive(true);
        }
        // `rescale` only adds zeros here: the value already has at most `decimals` places.
        rounded.rescale(self.decimals);
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn halves_and_fixed_digits() {
        let up = Rounding { decimals: 2, mode: RoundingMode::HalfUp };
        let even = Rounding { decimals: 2, mode: RoundingMode::HalfEven };
        assert_eq!(up.present(dec("2.345")).to_string(), "2.35");
        assert_eq!(even.present(dec("2.345")).to_string(), "2.34");
        assert_eq!(even.present(dec("2.355")).to_string(), "2.36");
        assert_eq!(up.present(dec("-2.345")).to_string(), "-2.35");
        assert_eq!(up.present(dec("90")).to_string(), "90.00");
        assert_eq!(up.present(dec("89.995")).to_string(), "90.00");
        assert_eq!(up.present(dec("-0.001")).to_string(), "0.00");
        let none = Rounding { decimals: 0, mode: RoundingMode::HalfUp };
        assert_eq!(none.present(dec("6.5")).to_string(), "7");
        let three = Rounding { decimals: 3, mode: RoundingMode::HalfUp };
        assert_eq!(three.present(dec("0.125")).to_string(), "0.125");
        assert_eq!(three.present(dec("1")).to_string(), "1.000");
    }

    proptest! {
        #[test]
        fn a_value_with_that_many_decimals_is_unchanged(n in -10_000_000_000i64..10_000_000_000, decimals in 0u32..=6, half_even in any::<bool>()) {
            let mode = if half_even { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
            let r = Rounding { decimals, mode };
            let v = Decimal::new(n, decimals);
            let shown = r.present(v);
            prop_assert_eq!(shown, v);
            prop_assert_eq!(shown.scale(), decimals);
        }

        #[test]
        fn presented_is_within_half_a_unit(n in any::<i64>(), scale in 0u32..12, decimals in 0u32..=6) {
            let r = Rounding { decimals, mode: RoundingMode::HalfUp };
            let v = Decimal::new(n, scale);
            let shown = r.present(v);
            let half = Decimal::new(5, decimals + 1);
            prop_assert!((shown - v).abs() <= half);
            prop_assert_eq!(shown.scale(), decimals);
        }
    }
}
