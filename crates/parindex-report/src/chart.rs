//! The bar chart of the index by unit (inline SVG) and the class colours it shares with
//! the tables.
//!
//! Made to be read on paper and by colour-blind readers: classes are shades of one
//! colour-blind-safe sequential scale (ColorBrewer YlGnBu, darkest for the best class),
//! each class's lower bound is a dashed line labelled in the chart and written in the
//! legend, the axis starts just below the lowest index (so 83–95 does not look like equal
//! bars; the start is labelled), the index is written in a column of its own right of the
//! bars, and last round's index is a small marker below the bar, never over a label.

use std::fmt::Write;

use parindex::{Decimal, UnitRow};

use crate::html::esc;
use crate::labels::Labels;
use crate::labels::Locale;
use crate::model::{BlockView, Report};
use crate::numbers::num;

/// Class colours, best class first (ColorBrewer YlGnBu 5, colour-blind safe).
pub(crate) const CLASS_COLOURS: [&str; 5] = ["#253494", "#2c7fb8", "#41b6c4", "#a1dab4", "#ffffcc"];
/// The colour of a unit with no class.
pub(crate) const NO_CLASS_COLOUR: &str = "#bdbdbd";

/// The colour of `class` in `block` (by the class's position, best first).
pub(crate) fn class_colour(report: &Report<'_>, block: &BlockView<'_>, class: Option<&str>) -> &'static str {
    let position = class.and_then(|c| report.round.block(block.id)?.classes.iter().position(|b| b.label == c));
    match position {
        Some(p) => CLASS_COLOURS.get(p).copied().unwrap_or(NO_CLASS_COLOUR),
        None => NO_CLASS_COLOUR,
    }
}

/// `value` with two decimals, for SVG coordinates.
fn coord(value: Decimal) -> String {
    value.round_dp(2).normalize().to_string()
}

/// The start of the axis: 5 below the lowest index shown, down to a multiple of 5, never
/// below 0; 0 when the lowest index is under 40 (a long bar then reads correctly anyway).
pub(crate) fn axis_start(rows: &[UnitRow]) -> Decimal {
    let mut lowest = Decimal::ONE_HUNDRED;
    for row in rows {
        lowest = lowest.min(row.index);
        if let Some(Some(p)) = &row.previous {
            lowest = lowest.min(p.index);
        }
    }
    if lowest < Decimal::from(40) {
        return Decimal::ZERO;
    }
    let five = Decimal::from(5);
    ((lowest - five) / five).floor() * five
}

/// Writes the chart of `block`.
pub(crate) fn bar_chart(out: &mut String, report: &Report<'_>, block: &BlockView<'_>, l: &Labels, locale: Locale) {
    const LABEL: i64 = 290;
    const BAR: i64 = 420;
    const ROW: i64 = 22;
    const TOP: i64 = 30;
    const VALUE: i64 = 70;
    let previous = report.has_previous();
    let row_height = if previous { ROW + 6 } else { ROW };
    let width = LABEL + BAR + VALUE;
    let rows = i64::try_from(block.rows.len()).unwrap_or(0);
    let height = TOP + rows * row_height + 24;
    let start = axis_start(block.rows);
    let span = Decimal::ONE_HUNDRED - start;
    let x_of = |v: Decimal| -> Decimal {
        let v = v.max(start).min(Decimal::ONE_HUNDRED);
        Decimal::from(LABEL) + (v - start) * Decimal::from(BAR) / span
    };
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(block.title)
    );
    let step = if span <= Decimal::from(30) {
        5
    } else if span <= Decimal::from(60) {
        10
    } else {
        25
    };
    let mut tick = start;
    while tick <= Decimal::ONE_HUNDRED {
        let x = coord(x_of(tick));
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            TOP - 4,
            height - 20,
            height - 6,
            num(tick, locale)
        );
        tick += Decimal::from(step);
    }
    if start > Decimal::ZERO {
        // The axis does not start at 0: say so where the bars start.
        let _ = writeln!(
            out,
            "<text class=\"axis-note\" x=\"{}\" y=\"12\" text-anchor=\"end\">{} {} ⟶</text>",
            LABEL - 8,
            l.axis_from,
            num(start, locale)
        );
    }
    if let Some(b) = report.round.block(block.id) {
        for c in &b.classes {
            if c.from <= start || c.from > Decimal::ONE_HUNDRED {
                continue;
            }
            let x = coord(x_of(c.from));
            let _ = writeln!(
                out,
                "<line class=\"bound\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/><text class=\"bound-label\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                TOP - 10,
                height - 20,
                TOP - 12,
                esc(&c.label)
            );
        }
    }
    for (i, row) in block.rows.iter().enumerate() {
        let y = TOP + i64::try_from(i).unwrap_or(0) * row_height;
        let w = x_of(row.index) - Decimal::from(LABEL);
        let rank = row.rank.map_or_else(|| "–".to_owned(), |r| r.to_string());
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{rank}. {}</text>",
            LABEL - 8,
            y + 15,
            esc(&row.name)
        );
        let _ = writeln!(
            out,
            "<rect x=\"{LABEL}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#4d4d4d\" stroke-width=\"0.5\"><title>{}: {}</title></rect>",
            y + 3,
            coord(w),
            ROW - 6,
            class_colour(report, block, row.class.as_deref()),
            esc(&row.name),
            num(row.index, locale)
        );
        let _ = writeln!(
            out,
            "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL + BAR + VALUE - 6,
            y + 15,
            num(row.index, locale)
        );
        if let Some(Some(p)) = &row.previous {
            // A small triangle under the bar, pointing up at last round's index.
            let px = x_of(p.index);
            let top = y + ROW - 2;
            let _ = writeln!(
                out,
                "<path class=\"prev\" d=\"M{0} {1} l4 6 h-8 z\"><title>{2} {3}</title></path>",
                coord(px),
                top,
                l.previous_index,
                num(p.index, locale)
            );
        }
    }
    out.push_str("</svg>\n");
}

/// The legend: each class's colour and lower bound, no class, and the previous-index marker.
pub(crate) fn class_legend(out: &mut String, report: &Report<'_>, block: &BlockView<'_>, l: &Labels, locale: Locale) {
    let Some(b) = report.round.block(block.id) else { return };
    out.push_str("<p class=\"keys\">");
    for c in &b.classes {
        let _ = write!(
            out,
            "<span class=\"key\"><i style=\"background:{}\"></i>{} ({} {})</span>",
            class_colour(report, block, Some(&c.label)),
            esc(&c.label),
            if c.from_inclusive { "≥" } else { ">" },
            num(c.from, locale)
        );
    }
    let _ =
        write!(out, "<span class=\"key\"><i style=\"background:{NO_CLASS_COLOUR}\"></i>{}</span>", l.no_class_label);
    if report.has_previous() {
        let _ = write!(out, "<span class=\"key\"><i class=\"tick\">▲</i>{}</span>", l.previous_index);
    }
    out.push_str("</p>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: &str) -> UnitRow {
        let d: Decimal = index.parse().unwrap_or_default();
        UnitRow {
            unit: "u".into(),
            name: "u".into(),
            status: parindex::Status::Final,
            rank: None,
            class: None,
            class_cap: None,
            index: d,
            total: d,
            max: Decimal::ONE_HUNDRED,
            self_total: d,
            appraised_total: d,
            survey_total: Decimal::ZERO,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            previous: None,
            change: None,
            nodes: vec![],
            findings: vec![],
            explain: None,
        }
    }

    #[test]
    fn the_axis_starts_below_the_lowest_index() {
        assert_eq!(axis_start(&[row("83.10"), row("95.00")]), Decimal::from(75));
        assert_eq!(axis_start(&[row("85.00")]), Decimal::from(80));
        assert_eq!(axis_start(&[row("30.00"), row("95")]), Decimal::ZERO);
        assert_eq!(axis_start(&[row("44.00")]), Decimal::from(35));
    }
}
