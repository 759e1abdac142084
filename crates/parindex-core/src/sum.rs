//! Exact running sums of decimals, fast: what rolling up a tree and totalling a unit do
//! hundreds of times per unit.
//!
//! Adding two `Decimal`s of different scales rescales one of them, which dominates scoring
//! time. [`Sum`] keeps the running total as an `i128` on the largest scale seen, which is
//! exactly what sequential `Decimal` addition computes as long as the total fits a
//! `Decimal` (96 bits): from the first addition where it would not, it carries on in
//! `Decimal` arithmetic itself, so the result is always the same value and scale as adding
//! the terms one by one with `Decimal`'s `+`.

use rust_decimal::Decimal;

/// The largest mantissa a `Decimal` holds (2⁹⁶ − 1).
const MAX_MANTISSA: i128 = (1i128 << 96) - 1;

/// 10⁰ … 10²⁸: a `Decimal`'s scales differ by at most 28. (Evaluated at compile time: an
/// index out of bounds here would fail the build, not panic.)
#[allow(clippy::indexing_slicing)]
const POW10: [i128; 29] = {
    let mut table = [1i128; 29];
    let mut i = 1;
    while i < 29 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

fn pow10(exponent: u32) -> Option<i128> {
    POW10.get(usize::try_from(exponent).ok()?).copied()
}

/// A running sum; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sum {
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `mantissa × 10^-scale`, exact.
    Fast { mantissa: i128, scale: u32 },
    /// Past what a `Decimal` holds exactly: `Decimal` arithmetic from here on.
    Slow(Decimal),
}

impl Default for Sum {
    fn default() -> Self {
        Sum::new()
    }
}

impl Sum {
    /// Zero.
    pub const fn new() -> Sum {
        Sum { state: State::Fast { mantissa: 0, scale: 0 } }
    }

    /// Adds `value`. Saturates at `Decimal::MAX` instead of overflowing.
    pub fn add(&mut self, value: Decimal) {
        if let State::Fast { mantissa, scale } = self.state {
            if let Some(next) = fast_add(mantissa, scale, value) {
                self.state = next;
                return;
            }
            self.state = State::Slow(to_decimal(mantissa, scale));
        }
        if let State::Slow(total) = &mut self.state {
            *total = total.checked_add(value).unwrap_or(Decimal::MAX);
        }
    }

    /// The sum so far.
    pub fn value(&self) -> Decimal {
        match self.state {
            State::Fast { mantissa, scale } => to_decimal(mantissa, scale),
            State::Slow(d) => d,
        }
    }
}

/// The exact sum on the larger scale, if it still fits a `Decimal` exactly.
fn fast_add(mantissa: i128, scale: u32, value: Decimal) -> Option<State> {
    let (vm, vs) = (value.mantissa(), value.scale());
    let (a, b, s) = if vs <= scale {
        (mantissa, if vs == scale { vm } else { vm.checked_mul(pow10(scale - vs)?)? }, scale)
    } else {
        (mantissa.checked_mul(pow10(vs - scale)?)?, vm, vs)
    };
    let total = a.checked_add(b)?;
    (total.abs() <= MAX_MANTISSA).then_some(State::Fast { mantissa: total, scale: s })
}

fn to_decimal(mantissa: i128, scale: u32) -> Decimal {
    Decimal::try_from_i128_with_scale(mantissa, scale).unwrap_or(Decimal::MAX)
}

impl std::iter::FromIterator<Decimal> for Sum {
    fn from_iter<I: IntoIterator<Item = Decimal>>(iter: I) -> Self {
        let mut sum = Sum::new();
        for d in iter {
            sum.add(d);
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sequential(terms: &[Decimal]) -> Decimal {
        terms.iter().fold(Decimal::ZERO, |acc, d| acc.checked_add(*d).unwrap_or(Decimal::MAX))
    }

    #[test]
    fn keeps_the_largest_scale_like_decimal() {
        let terms: Vec<Decimal> = ["1.5", "0.25", "2"].iter().map(|s| s.parse().unwrap()).collect();
        let sum: Sum = terms.iter().copied().collect();
        assert_eq!(sum.value().to_string(), "3.75");
        assert_eq!(sum.value().to_string(), sequential(&terms).to_string());
    }

    #[test]
    fn past_96_bits_it_carries_on_as_decimal_does() {
        let third = Decimal::ONE / Decimal::from(3);
        let terms = vec![Decimal::from(1_000_000), third, third, Decimal::new(5, 28)];
        let sum: Sum = terms.iter().copied().collect();
        assert_eq!(sum.value(), sequential(&terms));
        assert_eq!(sum.value().scale(), sequential(&terms).scale());
    }

    proptest! {
        #[test]
        fn equals_sequential_decimal_addition(raw in proptest::collection::vec((0i64..i64::MAX, 0u32..=28), 0..40)) {
            let terms: Vec<Decimal> = raw.iter().map(|(m, s)| Decimal::new(*m, *s)).collect();
            let sum: Sum = terms.iter().copied().collect();
            let expected = sequential(&terms);
            prop_assert_eq!(sum.value(), expected);
            prop_assert_eq!(sum.value().scale(), expected.scale());
        }

        #[test]
        fn equals_sequential_addition_of_quotients(raw in proptest::collection::vec((1i64..1000, 1i64..1000, 0u32..4), 0..150)) {
            // Leaf points as scoring makes them: max × n ÷ d, 28 significant digits.
            let terms: Vec<Decimal> = raw.iter().map(|(n, d, s)| Decimal::new(*n, *s) / Decimal::from(*d)).collect();
            let sum: Sum = terms.iter().copied().collect();
            let expected = sequential(&terms);
            prop_assert_eq!(sum.value(), expected);
            prop_assert_eq!(sum.value().scale(), expected.scale());
        }
    }
}
