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
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| match (keys.get(a), keys.get(b)) {
        (Some(x), Some(y)) => x.better_first(y),
        _ => Ordering::Equal,
    });
    let mut ranks = vec![0u32; keys.len()];
    let mut previous: Option<(&RankKey, u32)> = None;
    for (position, &i) in order.iter().enumerate() {
        let Some(key) = keys.get(i) else { continue };
        let rank = match previous {
            Some((p, r)) if p.better_first(key) == Ordering::Equal => r,
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
        if let Some(slot) = ranks.get_mut(i) {
            *slot = rank;
        }
        previous = Some((key, rank));
    }
    ranks
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
