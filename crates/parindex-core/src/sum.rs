//! Exact running sums of decimals, fast: what rolling up a tree and totalling a unit do
//! hundreds of times per unit.
//!
//! Adding `Decimal`s of different scales rescales one of them on every step, and once a
//! total needs more than a `Decimal`'s 96-bit mantissa (sums of 28-digit quotients such as
//! `max × n ÷ d` do at once), `Decimal` addition rounds at every step. [`Sum`] keeps the
//! running total exactly, as an `i128` on the largest scale seen (38 digits), and rounds
//! once, when the value is read: half to even, to the most digits a `Decimal` holds. So a
//! total is exact whenever it fits a `Decimal` — the same value and scale as adding the
//! terms one by one with `+` — and otherwise closer to the exact sum than step-by-step
//! addition (SPEC §2: nothing is rounded until presentation). Only a total beyond an `i128`
//! carries on in `Decimal` arithmetic.

use rust_decimal::Decimal;

/// 10⁰ … 10³⁸. (Evaluated at compile time: an index out of bounds here would fail the
/// build, not panic.)
#[allow(clippy::indexing_slicing)]
const POW10: [i128; 39] = {
    let mut table = [1i128; 39];
    let mut i = 1;
    while i < 39 {
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
    Exact { mantissa: i128, scale: u32 },
    /// Beyond an `i128`: `Decimal` arithmetic from here on.
    Decimal(Decimal),
}

impl Default for Sum {
    fn default() -> Self {
        Sum::new()
    }
}

impl Sum {
    /// Zero.
    pub const fn new() -> Sum {
        Sum { state: State::Exact { mantissa: 0, scale: 0 } }
    }

    /// Adds `value`. Saturates at `Decimal::MAX` instead of overflowing.
    pub fn add(&mut self, value: Decimal) {
        if let State::Exact { mantissa, scale } = self.state {
            if let Some(next) = exact_add(mantissa, scale, value) {
                self.state = next;
                return;
            }
            self.state = State::Decimal(to_decimal(mantissa, scale));
        }
        if let State::Decimal(total) = &mut self.state {
            *total = total.checked_add(value).unwrap_or(Decimal::MAX);
        }
    }

    /// The sum so far: exact if it fits a `Decimal`, else rounded once, half to even.
    pub fn value(&self) -> Decimal {
        match self.state {
            State::Exact { mantissa, scale } => to_decimal(mantissa, scale),
            State::Decimal(d) => d,
        }
    }
}

/// The exact sum on the larger scale, if it fits an `i128`.
fn exact_add(mantissa: i128, scale: u32, value: Decimal) -> Option<State> {
    let (vm, vs) = (value.mantissa(), value.scale());
    let (a, b, s) = if vs <= scale {
        (mantissa, if vs == scale { vm } else { vm.checked_mul(pow10(scale - vs)?)? }, scale)
    } else {
        (mantissa.checked_mul(pow10(vs - scale)?)?, vm, vs)
    };
    Some(State::Exact { mantissa: a.checked_add(b)?, scale: s })
}

/// `mantissa × 10^-scale` as a `Decimal`: exact when it fits, else with the fewest digits
/// dropped that make it fit, rounding half to even on the exact remainder; `Decimal::MAX`
/// (or `MIN`) when even the integer part does not fit.
fn to_decimal(mantissa: i128, scale: u32) -> Decimal {
    if let Ok(d) = Decimal::try_from_i128_with_scale(mantissa, scale) {
        return d;
    }
    for k in 1..=scale {
        let Some(p) = pow10(k) else { break };
        let (q, r) = (mantissa / p, mantissa % p);
        let half = p / 2;
        let up = r.abs() > half || (r.abs() == half && q % 2 != 0);
        let rounded = if up { q + mantissa.signum() } else { q };
        if let Ok(d) = Decimal::try_from_i128_with_scale(rounded, scale - k) {
            return d;
        }
    }
    if mantissa < 0 { Decimal::MIN } else { Decimal::MAX }
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
    fn rounds_once_half_to_even_past_28_digits() {
        // 1/3 + 1/3 + 1/3 = 0.9999999999999999999999999999 exactly in 28 digits each.
        let third = Decimal::ONE / Decimal::from(3);
        let sum: Sum = [third, third, third].into_iter().collect();
        assert_eq!(sum.value().to_string(), "0.9999999999999999999999999999");
        // 100 + 1/3 needs 31 digits: rounded once to what a Decimal holds.
        let sum: Sum = [Decimal::from(100), third].into_iter().collect();
        assert_eq!(sum.value().to_string(), "100.33333333333333333333333333");
        // An exact half goes to even: 0.5 × 10^-28 dropped from …5 + …0.
        let tiny = Decimal::new(5, 28);
        let sum: Sum = [Decimal::from(10_000), tiny].into_iter().collect();
        assert_eq!(sum.value(), Decimal::from(10_000));
    }

    #[test]
    fn beyond_an_i128_it_carries_on_as_decimal() {
        let sum: Sum = [Decimal::MAX, Decimal::new(1, 28)].into_iter().collect();
        assert_eq!(sum.value(), Decimal::MAX);
    }

    proptest! {
        #[test]
        fn equals_sequential_addition_whenever_that_is_exact(raw in proptest::collection::vec((0i64..1_000_000_000, 0u32..=10), 0..60)) {
            // Totals that fit a Decimal: both are exact, so equal in value and scale.
            let terms: Vec<Decimal> = raw.iter().map(|(m, s)| Decimal::new(*m, *s)).collect();
            let sum: Sum = terms.iter().copied().collect();
            let expected = sequential(&terms);
            prop_assert_eq!(sum.value(), expected);
            prop_assert_eq!(sum.value().scale(), expected.scale());
        }

        #[test]
        fn quotients_sum_at_least_as_exactly_as_step_by_step(raw in proptest::collection::vec((1i64..1000, 1i64..1000, 0u32..4), 1..150)) {
            // Leaf points as scoring makes them: max × n ÷ d, 28 significant digits. The
            // exact total of these terms is known to 38 digits by the i128; step-by-step
            // Decimal addition may drift by up to one unit in the last place per step.
            let terms: Vec<Decimal> = raw.iter().map(|(n, d, s)| Decimal::new(*n, *s) / Decimal::from(*d)).collect();
            let sum = terms.iter().copied().collect::<Sum>().value();
            let step = sequential(&terms);
            let ulp = Decimal::new(1, step.scale());
            let drift = ulp * Decimal::from(i64::try_from(terms.len()).unwrap());
            prop_assert!((sum - step).abs() <= drift, "{} vs {}", sum, step);
            // And it is what the exact i128 total gives, rounded once.
            let (mut m, mut s) = (0i128, 0u32);
            for t in &terms {
                let (tm, ts) = (t.mantissa(), t.scale());
                if ts > s { m *= 10i128.pow(ts - s); s = ts; }
                m += tm * 10i128.pow(s - ts);
            }
            prop_assert_eq!(sum, to_decimal(m, s));
        }
    }
}
