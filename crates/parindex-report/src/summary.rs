//! A block's summary: how many units, the average, highest and lowest index, the count per
//! class and the average index of each field.
//!
//! Averages are of the published figures, summed exactly and divided once, then presented
//! with the round's rounding, like every other figure; nothing is re-scored.

use parindex::{Decimal, Rounding, UnitRow};

use crate::model::{BlockView, Report, field_index};

/// One block's summary.
pub(crate) struct Summary<'a> {
    /// Units in the block.
    pub count: usize,
    /// The average index, presented; `None` for an empty block.
    pub average: Option<Decimal>,
    /// The unit with the highest index (the first listed of equals).
    pub highest: Option<&'a UnitRow>,
    /// The unit with the lowest index (the last listed of equals).
    pub lowest: Option<&'a UnitRow>,
    /// Each class of the block, best first, with its number of units; then units with
    /// no class under `None`.
    pub per_class: Vec<(Option<String>, usize)>,
    /// Each field's code, title and average index over the units it applies to.
    pub fields: Vec<(&'a str, &'a str, Option<Decimal>)>,
}

/// The presented average of `values`; `None` when there are none.
fn average(values: impl Iterator<Item = Decimal>, rounding: Rounding) -> Option<Decimal> {
    let mut sum = Decimal::ZERO;
    let mut n = 0u32;
    for v in values {
        sum = sum.checked_add(v)?;
        n += 1;
    }
    if n == 0 {
        return None;
    }
    sum.checked_div(Decimal::from(n)).map(|a| rounding.present(a))
}

/// The summary of `block`.
pub(crate) fn summarize<'a>(report: &Report<'a>, block: &'a BlockView<'a>) -> Summary<'a> {
    let rounding = report.round.rounding;
    let rows = block.rows;
    let mut highest: Option<&UnitRow> = None;
    let mut lowest: Option<&UnitRow> = None;
    for row in rows {
        if highest.is_none_or(|h| row.index > h.index) {
            highest = Some(row);
        }
        if lowest.is_none_or(|l| row.index <= l.index) {
            lowest = Some(row);
        }
    }
    let mut per_class: Vec<(Option<String>, usize)> = report
        .round
        .block(block.id)
        .map(|b| b.classes.iter().map(|c| (Some(c.label.clone()), 0)).collect())
        .unwrap_or_default();
    per_class.push((None, 0));
    for row in rows {
        let slot = per_class.iter_mut().find(|(label, _)| *label == row.class);
        match slot {
            Some((_, n)) => *n += 1,
            None => per_class.push((row.class.clone(), 1)),
        }
    }
    let fields = block
        .fields
        .iter()
        .map(|f| (f.code, f.title, average(rows.iter().filter_map(|r| field_index(r, f)), rounding)))
        .collect();
    Summary {
        count: rows.len(),
        average: average(rows.iter().map(|r| r.index), rounding),
        highest,
        lowest,
        per_class,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_are_exact_then_presented() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        let r = Rounding::default();
        assert_eq!(average([d("90.00"), d("85.00"), d("80.01")].into_iter(), r), Some(d("85.00")));
        assert_eq!(average([d("1"), d("2")].into_iter(), r).map(|a| a.to_string()), Some("1.50".to_owned()));
        assert_eq!(average(std::iter::empty(), r), None);
    }
}
