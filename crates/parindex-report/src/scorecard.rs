//! Scorecards (`report --format scorecards`): one self-contained HTML page that prints, on
//! A4 portrait, each block's summary on a page and then one page per unit.
//!
//! A unit's scorecard: its figures; a chart of each field's index against the block's
//! average; the points lost by criterion (largest first); the changes the appraisal made,
//! with the council's reasons; and its bonus, penalty and class cap explained. Figures are
//! the results document's; averages are of published figures (see `summary`); reasons
//! come from the assessment as entered.

use std::fmt::Write;

use parindex::{AdjustmentList, Decimal, NodeKind, UnitRow};

use crate::html::esc;
use crate::labels::{Labels, Locale};
use crate::markdown::totals_line;
use crate::model::{BlockView, Report, cap_note, criteria_rows, field_index};
use crate::numbers::num;
use crate::summary::{Summary, summarize};

/// The most criteria listed by name under "points lost"; the rest are summed on one line.
const MOST_LOSSES: usize = 8;
/// The most appraisal changes listed with their reasons; the rest are counted on one line.
const MOST_CHANGES: usize = 14;

const STYLE: &str = r#"
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; color: #1f2933; margin: 0 auto;
       max-width: 900px; padding: 16px 24px; font-size: 13px; line-height: 1.35; }
h1 { font-size: 18px; margin: 0 0 2px; color: #1d4e89; }
h2 { font-size: 14px; margin: 10px 0 4px; border-bottom: 1px solid #1d4e89; }
p.meta { margin: 1px 0; color: #52606d; }
p.big { font-size: 15px; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 2px 0 6px; }
th, td { border: 1px solid #d9e2ec; padding: 2px 5px; vertical-align: top; }
th { background: #f0f4f8; text-align: center; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
section.card, section.summary { border-top: 2px solid #1d4e89; margin-top: 18px; padding-top: 6px; }
svg text { font-size: 11px; fill: #1f2933; }
svg .avg { stroke: #000; stroke-width: 2; }
svg .grid { stroke: #d9e2ec; }
ul { margin: 2px 0 4px; padding-left: 18px; }
@page { size: A4 portrait; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8pt; line-height: 1.2; }
  h1 { font-size: 13pt; } h2 { font-size: 9.5pt; margin: 5pt 0 2pt; } p.big { font-size: 10pt; margin: 2pt 0; }
  section.card, section.summary { break-before: page; border-top: none; margin-top: 0; }
  section:first-of-type { break-before: auto; }
  th, td { font-size: 7pt; padding: 0.2mm 1mm; line-height: 1.15; }
  tr, svg { break-inside: avoid; }
  svg.fields { width: 100%; height: auto; }
}
"#;

pub(crate) fn render(report: &Report<'_>, locale: Locale) -> String {
    let l = locale.labels();
    let round = report.round;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        l.lang,
        esc(l.scorecard),
        esc(&round.title)
    );
    for block in &report.blocks {
        let summary = summarize(report, block);
        summary_section(&mut out, report, block, &summary, l, locale);
        for row in block.rows {
            card(&mut out, report, block, &summary, row, l, locale);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn summary_section(
    out: &mut String,
    report: &Report<'_>,
    block: &BlockView<'_>,
    s: &Summary<'_>,
    l: &Labels,
    locale: Locale,
) {
    let _ = writeln!(out, "<section class=\"summary\" id=\"summary-{}\">", esc(block.id));
    let _ = writeln!(out, "<h1>{} — {}</h1>", esc(l.summary), esc(block.title));
    let _ = writeln!(out, "<p class=\"meta\">{} · {}</p>", esc(&report.round.title), esc(&report.round.evaluator));
    let f = |d: Option<Decimal>| d.map_or_else(|| "–".to_owned(), |d| num(d, locale));
    let who = |r: Option<&UnitRow>| {
        r.map_or_else(|| "–".to_owned(), |r| format!("{} ({})", esc(&r.name), num(r.index, locale)))
    };
    let _ = writeln!(
        out,
        "<table>\n<tbody>\n<tr><th>{}</th><td class=\"n\">{}</td></tr>\n<tr><th>{}</th><td class=\"n\"><b>{}</b></td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n</tbody>\n</table>",
        l.unit_count,
        s.count,
        l.average,
        f(s.average),
        l.highest,
        who(s.highest),
        l.lowest,
        who(s.lowest)
    );
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.per_class, l.class, l.unit_count
    );
    for (label, n) in &s.per_class {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
            esc(label.as_deref().unwrap_or(l.no_class_label))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if !s.fields.is_empty() {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th></th><th>{}</th></tr></thead>\n<tbody>",
            l.per_field, l.field, l.average
        );
        for (code, title, avg) in &s.fields {
            let _ =
                writeln!(out, "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>", esc(code), esc(title), f(*avg));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

/// The bar chart of a unit's field indices, with the block's average as a tick.
fn field_chart(out: &mut String, block: &BlockView<'_>, s: &Summary<'_>, row: &UnitRow, l: &Labels, locale: Locale) {
    const LABEL: i64 = 90;
    const BAR: i64 = 420;
    const ROW: i64 = 15;
    const VALUES: i64 = 170;
    let width = LABEL + BAR + VALUES;
    let n = i64::try_from(block.fields.len()).unwrap_or(0);
    let height = 18 + n * ROW + 6;
    let x_of = |v: Decimal| {
        Decimal::from(LABEL)
            + v.max(Decimal::ZERO).min(Decimal::ONE_HUNDRED) * Decimal::from(BAR) / Decimal::ONE_HUNDRED
    };
    let c = |d: Decimal| d.round_dp(2).normalize().to_string();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"fields\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"
    );
    for tick in [0i64, 25, 50, 75, 100] {
        let x = LABEL + BAR * tick / 100;
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{x}\" y1=\"14\" x2=\"{x}\" y2=\"{}\"/><text x=\"{x}\" y=\"11\" text-anchor=\"middle\">{tick}</text>",
            height - 4
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"11\">{} / {}</text>",
        LABEL + BAR + 18,
        esc(l.this_unit),
        esc(l.block_average)
    );
    for (i, (f, (_, _, avg))) in block.fields.iter().zip(&s.fields).enumerate() {
        let y = 18 + i64::try_from(i).unwrap_or(0) * ROW;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} {}</text>",
            LABEL - 6,
            y + 11,
            esc(l.field),
            esc(f.code)
        );
        let own = field_index(row, f);
        if let Some(v) = own {
            let _ = writeln!(
                out,
                "<rect x=\"{LABEL}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#2c7fb8\"/>",
                y + 3,
                c(x_of(v) - Decimal::from(LABEL)),
                ROW - 8
            );
        }
        if let Some(a) = avg {
            let x = c(x_of(*a));
            let _ =
                writeln!(out, "<line class=\"avg\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>", y + 1, y + ROW - 3);
        }
        let text = |d: Option<Decimal>| d.map_or_else(|| l.excluded.to_owned(), |d| num(d, locale));
        let _ =
            writeln!(out, "<text x=\"{}\" y=\"{}\">{} / {}</text>", LABEL + BAR + 18, y + 11, text(own), text(*avg));
    }
    out.push_str("</svg>\n");
}

fn card(
    out: &mut String,
    report: &Report<'_>,
    block: &BlockView<'_>,
    s: &Summary<'_>,
    row: &UnitRow,
    l: &Labels,
    locale: Locale,
) {
    let _ = writeln!(out, "<section class=\"card\" id=\"card-{}\">", esc(&row.unit));
    let _ = writeln!(out, "<h1>{}</h1>", esc(&row.name));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · {} · {}</p>",
        esc(l.scorecard),
        esc(block.title),
        esc(&report.round.title)
    );
    let rank = row.rank.map_or_else(|| l.not_ranked.to_owned(), |r| format!("{} {r}/{}", l.rank, s.count));
    let _ = writeln!(
        out,
        "<p class=\"big\">{} <b>{}</b> · {} <b>{}</b> · {rank} · {} {}</p>",
        l.index,
        num(row.index, locale),
        l.class,
        esc(row.class.as_deref().unwrap_or(l.no_class)),
        l.status,
        locale.status(row.status)
    );
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&totals_line(row, l, locale)));
    if !block.fields.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>", l.fields);
        field_chart(out, block, s, row, l, locale);
    }
    losses(out, block, row, l, locale);
    changes(out, report, block, row, l, locale);
    adjustments(out, report, row, l, locale);
    out.push_str("</section>\n");
}

/// The scored leaves where the unit lost points, largest loss first.
fn losses(out: &mut String, block: &BlockView<'_>, row: &UnitRow, l: &Labels, locale: Locale) {
    let _ = writeln!(out, "<h2>{}</h2>", l.points_lost);
    let mut lost: Vec<(&str, &str, Decimal, Decimal, Decimal)> = criteria_rows(block.set, row)
        .into_iter()
        .filter(|(node, _)| node.is_some_and(|n| matches!(n.kind, NodeKind::Leaf(_))))
        .filter_map(|(node, nr)| {
            let (max, points) = (nr.max?, nr.points?);
            let gone = max.checked_sub(points)?;
            (gone > Decimal::ZERO).then(|| (nr.code.as_str(), node.map_or("", |n| n.title.as_str()), max, points, gone))
        })
        .collect();
    if lost.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", l.no_losses);
        return;
    }
    lost.sort_by_key(|x| std::cmp::Reverse(x.4));
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>{}</th><th></th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.criterion, l.max, l.points, l.lost
    );
    for (code, title, max, points, gone) in lost.iter().take(MOST_LOSSES) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\"><b>{}</b></td></tr>",
            esc(code),
            esc(title),
            num(*max, locale),
            num(*points, locale),
            num(*gone, locale)
        );
    }
    let rest = lost.get(MOST_LOSSES..).unwrap_or_default();
    if !rest.is_empty() {
        let sum = rest.iter().fold(Decimal::ZERO, |a, x| a.saturating_add(x.4));
        let _ = writeln!(
            out,
            "<tr><td></td><td>{} ({})</td><td></td><td></td><td class=\"n\"><b>{}</b></td></tr>",
            l.other_criteria,
            rest.len(),
            num(sum, locale)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The leaves whose appraised points differ from the self-assessed ones, with the reason
/// the last appraisal stage that entered the leaf gave and, when the entry records it, the
/// appraising agency that made it (`by`).
fn changes(out: &mut String, report: &Report<'_>, block: &BlockView<'_>, row: &UnitRow, l: &Labels, locale: Locale) {
    let _ = writeln!(out, "<h2>{}</h2>", l.appraisal_changes);
    let assessment = report.assessments.get(&row.unit);
    let mut any = false;
    let mut shown = 0usize;
    let mut more = 0usize;
    for (node, nr) in criteria_rows(block.set, row) {
        if !node.is_some_and(|n| matches!(n.kind, NodeKind::Leaf(_))) {
            continue;
        }
        let (Some(own), Some(points)) = (nr.self_points, nr.points) else { continue };
        if own == points {
            continue;
        }
        if !any {
            let _ = writeln!(
                out,
                "<table>\n<thead><tr><th>{}</th><th></th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
                l.criterion, l.self_points, l.appraised, l.reason
            );
            any = true;
        }
        if shown == MOST_CHANGES {
            more += 1;
            continue;
        }
        shown += 1;
        let entry = block
            .set
            .and_then(|set| set.find(&nr.code))
            .and_then(|id| assessment?.appraisals.iter().rev().find_map(|st| st.entries.get(&id)));
        let mut reason = entry.and_then(|e| e.reason.clone().or_else(|| e.note.clone())).unwrap_or_default();
        // The appraising agency that made the change (issue #13: `by` on an appraisal entry).
        if let Some(by) = entry.and_then(|e| e.by.as_deref()) {
            if !reason.is_empty() {
                reason.push(' ');
            }
            reason.push_str(&format!("({}: {by})", l.appraised_by));
        }
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&nr.code),
            esc(node.map_or("", |n| n.title.as_str())),
            num(own, locale),
            num(points, locale),
            esc(&reason)
        );
    }
    if more > 0 {
        let _ = writeln!(out, "<tr><td></td><td colspan=\"4\">{} ({more})</td></tr>", l.other_changes);
    }
    if any {
        out.push_str("</tbody>\n</table>\n");
    } else {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", l.no_changes);
    }
}

fn items(out: &mut String, label: &str, figure: Decimal, list: &AdjustmentList, locale: Locale) {
    let _ = writeln!(out, "<li>{label}: <b>{}</b>", num(figure, locale));
    if !list.is_empty() {
        out.push_str("<ul>");
        for a in list.iter() {
            let _ = write!(out, "<li>{} — {}</li>", num(a.points, locale), esc(a.reason));
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>\n");
}

/// Bonus, penalty (the published figures, with the items of the list in force and their
/// reasons) and the class cap.
fn adjustments(out: &mut String, report: &Report<'_>, row: &UnitRow, l: &Labels, locale: Locale) {
    let _ = writeln!(out, "<h2>{}</h2>\n<ul>", l.adjustments);
    let (bonus, penalty) = crate::official::adjustments(report.assessments.get(&row.unit));
    items(out, l.bonus, row.bonus, &bonus, locale);
    items(out, l.penalty, row.penalty, &penalty, locale);
    if let Some(note) = cap_note(row, l) {
        let _ = writeln!(out, "<li>{}</li>", esc(&note));
    }
    out.push_str("</ul>\n");
}
