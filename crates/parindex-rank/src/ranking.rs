//! Competition ranking within a block (xếp hạng, SPEC §8 step 9).

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// What a unit is ranked by: the presented index, then the tie-breakers' values in order,
/// all descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankKey {
    /// The presented index.
    pub index: Decimal,
    /// One value per tie-breaker, in the block's order.
    pub tie_breakers: Vec<Decimal>,
}

impl RankKey {
    fn better_first(&self, other: &RankKey) -> Ordering {
        other.index.cmp(&self.index).then_with(|| other.tie_breakers.cmp(&self.tie_breakers))
    }
}

/// Standard competition ranks ("1, 2, 2, 4") for `keys`, returned in the same order as
/// `keys`: a unit's rank is 1 + the number of units strictly better than it.
pub fn competition_ranks(keys: &[RankKey]) -> Vec<u32> {
    // Sorting compares keys many times: compare small integer arrays instead of decimals
    // where every value of a position fits one scale in an i128 (always, for published
    // figures, with up to three tie-breakers), else the decimals themselves.
    match integer_keys(keys) {
        Some(mut fast) => {
            fast.sort_unstable_by(|(a, _), (b, _)| b.cmp(a));
            assign(fast.len(), fast.iter().map(|(k, i)| (k, *i)), |a, b| a == b)
        }
        None => {
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_unstable_by(|&a, &b| match (keys.get(a), keys.get(b)) {
                (Some(x), Some(y)) => x.better_first(y),
                _ => Ordering::Equal,
            });
            let sorted = order.iter().filter_map(|&i| keys.get(i).map(|k| (k, i)));
            assign(keys.len(), sorted, |a, b| a.better_first(b) == Ordering::Equal)
        }
    }
}

/// Ranks from keys listed best first: equal neighbours share a rank, the next rank skips.
fn assign<K>(len: usize, sorted: impl Iterator<Item = (K, usize)>, equal: impl Fn(&K, &K) -> bool) -> Vec<u32> {
    let mut ranks = vec![0u32; len];
    let mut previous: Option<(K, u32)> = None;
    for (position, (key, i)) in sorted.enumerate() {
        let rank = match &previous {
            Some((p, r)) if equal(p, &key) => *r,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        if let Some(slot) = ranks.get_mut(i) {
            *slot = rank;
        }
        previous = Some((key, rank));
    }
    ranks
}

/// Up to this many values per key (the index and three tie-breakers) take the fast path.
const WIDTH: usize = 4;

/// Every key as integers on one scale per position (index, then each tie-breaker), with its
/// position in `keys`; `None` if some value does not fit or a key is too wide.
fn integer_keys(keys: &[RankKey]) -> Option<Vec<([i128; WIDTH], usize)>> {
    let width = 1 + keys.first().map_or(0, |k| k.tie_breakers.len());
    if width > WIDTH || keys.iter().any(|k| k.tie_breakers.len() + 1 != width) {
        return None;
    }
    let value = |k: &RankKey, p: usize| if p == 0 { Some(k.index) } else { k.tie_breakers.get(p - 1).copied() };
    let mut scales = [0u32; WIDTH];
    for k in keys {
        for (p, scale) in scales.iter_mut().enumerate().take(width) {
            *scale = (*scale).max(value(k, p)?.scale());
        }
    }
    let mut out = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        let mut key = [0i128; WIDTH];
        for (p, slot) in key.iter_mut().enumerate().take(width) {
            let d = value(k, p)?;
            let scale = scales.get(p)?;
            *slot = d.mantissa().checked_mul(10i128.checked_pow(scale - d.scale())?)?;
        }
        out.push((key, i));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(index: i64, tb: &[i64]) -> RankKey {
        RankKey { index: Decimal::new(index, 2), tie_breakers: tb.iter().map(|t| Decimal::new(*t, 2)).collect() }
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        let keys = vec![key(9000, &[]), key(9500, &[]), key(9000, &[]), key(8000, &[])];
        assert_eq!(competition_ranks(&keys), vec![2, 1, 2, 4]);
    }

    #[test]
    fn tie_breakers_order_equal_indices() {
        let keys = vec![key(9000, &[2800]), key(9000, &[2900]), key(9000, &[2800])];
        assert_eq!(competition_ranks(&keys), vec![2, 1, 2]);
    }

    #[test]
    fn mixed_scales_and_huge_values_rank_exactly() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let k = |i: &str, t: &str| RankKey { index: d(i), tie_breakers: vec![d(t)] };
        // The exact index as a tie-breaker: 28 significant digits against 2.
        let keys = vec![
            k("90.00", "89.999999999999999999999999"),
            k("90.00", "90.00"),
            k("90.00", "90.000000000000000000000001"),
        ];
        assert!(integer_keys(&keys).is_some());
        assert_eq!(competition_ranks(&keys), vec![3, 2, 1]);
        // Values that cannot share one scale in an i128 fall back to comparing decimals.
        let keys = vec![k("1", "79228162514264337593543950335"), k("1", "0.0000000000000000000000000001"), k("2", "0")];
        assert!(integer_keys(&keys).is_none());
        assert_eq!(competition_ranks(&keys), vec![2, 3, 1]);
    }

    proptest! {
        #[test]
        fn ranks_do_not_depend_on_input_order(
            raw in proptest::collection::vec((0i64..20, 0i64..3), 0..30),
            seed in any::<u64>(),
        ) {
            let keys: Vec<RankKey> = raw.iter().map(|(i, t)| key(*i, &[*t])).collect();
            let ranks = competition_ranks(&keys);
            // A deterministic shuffle.
            let mut perm: Vec<usize> = (0..keys.len()).collect();
            let mut s = seed;
            for i in (1..perm.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                perm.swap(i, (s >> 33) as usize % (i + 1));
            }
            let shuffled: Vec<RankKey> = perm.iter().map(|&i| keys[i].clone()).collect();
            let shuffled_ranks = competition_ranks(&shuffled);
            for (pos, &i) in perm.iter().enumerate() {
                prop_assert_eq!(shuffled_ranks[pos], ranks[i]);
            }
            // 1 + number strictly better.
            for (i, k) in keys.iter().enumerate() {
                let better = keys.iter().filter(|o| o.better_first(k) == Ordering::Less).count();
                prop_assert_eq!(ranks[i] as usize, better + 1);
            }
        }
    }
}
