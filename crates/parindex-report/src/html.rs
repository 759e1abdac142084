//! The HTML report: one self-contained page (inline CSS and SVG, no script, nothing
//! fetched) with, for each block, a bar chart of the index by unit, the ranked table and a
//! field-by-unit heat map; then a section per unit.

use std::fmt::Write;

use parindex::{Decimal, UnitRow};

use crate::chart;
use crate::labels::{Labels, Locale};
use crate::markdown::{adjustment_lines, previous_cells, totals_line};
use crate::model::{BlockView, Report, cap_note, criteria_rows, field_index};
use crate::numbers::num;

/// Text safe in HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --head: #f0f4f8; --accent: #1d4e89; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 19px; margin: 36px 0 8px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
p.meta { color: var(--muted); margin: 2px 0; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
th { background: var(--head); font-weight: 600; text-align: center; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.idx { font-weight: 700; }
tr.unranked td { color: var(--muted); }
table.heat td.n { min-width: 58px; }
.legend { color: var(--muted); font-size: 12.5px; margin: 0 0 12px; padding-left: 18px; }
figure { margin: 8px 0 12px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .prev { stroke: var(--ink); stroke-width: 2; }
article { border-top: 1px solid var(--line); margin-top: 18px; }
td.excl { color: var(--muted); font-style: italic; }
tr.d0 td { font-weight: 600; background: #fafcfe; }
ul.findings { margin: 4px 0; }
code { background: var(--head); padding: 0 3px; border-radius: 3px; }
p.keys { font-size: 12.5px; color: var(--muted); margin: 2px 0 10px; }
span.key { margin-right: 14px; white-space: nowrap; }
span.key i { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; }
span.key i.tick { width: 2px; background: var(--ink); }
svg .bound { stroke: var(--ink); stroke-width: 1; stroke-dasharray: 4 3; }
svg .bound-label, svg .axis-note { font-size: 11px; fill: var(--muted); }
svg .prev { fill: var(--ink); }
span.key i.tick { width: auto; height: auto; font-style: normal; font-size: 10px; }
sup.fn { font-size: 9px; color: var(--accent); }
ol.notes { font-size: 12.5px; color: var(--ink); margin: 4px 0 12px; }
/* Print: A4 portrait, every table within the margins, header rows on every page, no row
   split, each block and each unit from a new page, no blank page. */
@page { size: A4 portrait; margin: 9mm 9mm 9mm 9mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8pt; line-height: 1.25; }
  h1 { font-size: 15pt; } h2 { font-size: 12pt; margin: 0 0 4pt; } h3 { font-size: 10pt; margin: 6pt 0 3pt; }
  h2, h3, figcaption { break-after: avoid; }
  section.block + section.block { break-before: page; }
  section#units > h2 { display: none; }
  article { break-before: page; border-top: none; margin-top: 0; }
  table { width: 100%; margin: 2pt 0 6pt; }
  thead { display: table-header-group; }
  tr, figure, svg { break-inside: avoid; }
  th, td { padding: 0.4mm 1.2mm; }
  td, th { font-size: 7.5pt; }
  article p.meta { margin: 0; font-size: 7pt; }
  article h3 { margin: 0 0 1pt; }
  article td, article th { font-size: 6.6pt; padding: 0 1mm; line-height: 1.12; }
  article th { white-space: nowrap; }
  table.ranked td, table.ranked th, table.heat td, table.heat th { font-size: 6.5pt; padding: 0.2mm 0.6mm; }
  table.ranked td:nth-child(2), table.heat td:first-child { min-width: 40mm; }
  article td:nth-child(2) { width: 100%; }
  article ul.findings { font-size: 6.6pt; margin: 0; }
  svg.chart { width: 100%; height: auto; }
  p.keys, .legend, ol.notes { font-size: 7.5pt; }
  a { color: inherit; text-decoration: none; }
}
"#;

pub(crate) fn render(report: &Report<'_>, locale: Locale) -> String {
    let l = locale.labels();
    let round = report.round;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        l.lang,
        esc(&round.title),
        esc(&round.evaluator)
    );
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&round.title));
    let _ = writeln!(out, "<p class=\"meta\">{}: {} · {}</p>", l.evaluator, esc(&round.evaluator), esc(&round.id));
    if let Some(e) = &report.results.engine {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} {} {} · {} {}</p>",
            l.engine,
            esc(&e.name),
            esc(&e.version),
            report.results.inputs.0.len(),
            l.inputs
        );
    }
    if let Some(p) = &report.results.previous_round {
        let _ = writeln!(out, "<p class=\"meta\">{} {}</p>", l.compared_with, esc(p));
    }
    out.push_str("</header>\n");
    for block in &report.blocks {
        let _ = writeln!(out, "<section class=\"block\" id=\"block-{}\">", esc(block.id));
        let _ = writeln!(out, "<h2>{} ({} {})</h2>", esc(block.title), block.rows.len(), l.units.to_lowercase());
        let _ = writeln!(out, "<figure>\n<figcaption>{}</figcaption>", l.chart);
        chart::bar_chart(&mut out, report, block, l, locale);
        chart::class_legend(&mut out, report, block, l, locale);
        out.push_str("</figure>\n");
        let _ = writeln!(out, "<h3>{}</h3>", l.ranked_table);
        ranked_table(&mut out, report, block, l, locale);
        if !block.fields.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>", l.heat_map);
            heat_map(&mut out, block, l, locale);
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(out, "<section id=\"units\">\n<h2>{}</h2>", l.units);
    for block in &report.blocks {
        for row in block.rows {
            unit_article(&mut out, block, row, report.has_previous(), l, locale);
        }
    }
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

fn ranked_table(out: &mut String, report: &Report<'_>, block: &BlockView<'_>, l: &Labels, locale: Locale) {
    out.push_str("<table class=\"ranked\">\n<thead><tr>");
    let mut header: Vec<String> = [l.rank, l.unit, l.points, l.max, l.index, l.class].iter().map(|s| esc(s)).collect();
    header.extend(
        block.fields.iter().map(|f| format!("<span title=\"{}\">{} {}</span>", esc(f.title), l.field, esc(f.code))),
    );
    if report.has_previous() {
        header.extend([l.previous_index, l.change, l.previous_rank, l.rank_change].iter().map(|s| esc(s)));
    }
    for h in &header {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut notes = Vec::new();
    for row in block.rows {
        let class = if row.rank.is_none() { " class=\"unranked\"" } else { "" };
        let _ = write!(out, "<tr{class}>");
        let _ = write!(
            out,
            "<td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n idx\">{}</td><td>{}</td>",
            row.rank.map_or_else(|| l.not_ranked.to_owned(), |r| r.to_string()),
            esc(&row.name),
            num(row.total, locale),
            num(row.max, locale),
            num(row.index, locale),
            class_cell(row, &mut notes, l)
        );
        for f in &block.fields {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                field_index(row, f).map_or_else(|| "–".to_owned(), |d| num(d, locale))
            );
        }
        if report.has_previous() {
            for c in previous_cells(row, l, locale) {
                let _ = write!(out, "<td class=\"n\">{}</td>", esc(&c));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    notes_list(out, &notes, l);
}

/// A class cell: the class, with a footnote mark when a cap is set (its note is added to
/// `notes`).
fn class_cell(row: &UnitRow, notes: &mut Vec<String>, l: &Labels) -> String {
    let class = esc(row.class.as_deref().unwrap_or(l.no_class));
    match cap_note(row, l) {
        Some(note) => {
            notes.push(note);
            format!("{class}<sup class=\"fn\">({})</sup>", notes.len())
        }
        None => class,
    }
}

/// The numbered footnotes under a table.
fn notes_list(out: &mut String, notes: &[String], l: &Labels) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "<p class=\"meta\"><b>{}</b></p>\n<ol class=\"notes\">", l.notes);
    for n in notes {
        let _ = writeln!(out, "<li>{}</li>", esc(n));
    }
    out.push_str("</ol>\n");
}

/// The heat-map colour of an index: one hue (blue), from nearly white at 50 or below to a
/// mid blue at 100, so that colour-blind readers and grey-scale prints read it too.
fn heat(index: Decimal) -> String {
    let light = (Decimal::from(97) - (index - Decimal::from(50)) * Decimal::from(37) / Decimal::from(50))
        .max(Decimal::from(60))
        .min(Decimal::from(97))
        .round();
    format!("hsl(205, 65%, {light}%)")
}

fn heat_map(out: &mut String, block: &BlockView<'_>, l: &Labels, locale: Locale) {
    out.push_str("<table class=\"heat\">\n<thead><tr>");
    let _ = write!(out, "<th>{}</th>", esc(l.unit));
    for f in &block.fields {
        let _ = write!(out, "<th title=\"{}\">{} {}</th>", esc(f.title), l.field, esc(f.code));
    }
    let _ = write!(out, "<th>{}</th>", esc(l.index));
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in block.rows {
        let _ = write!(out, "<tr><td>{}</td>", esc(&row.name));
        for f in &block.fields {
            match field_index(row, f) {
                Some(d) => {
                    let _ = write!(out, "<td class=\"n\" style=\"background:{}\">{}</td>", heat(d), num(d, locale));
                }
                None => out.push_str("<td class=\"n excl\">–</td>"),
            }
        }
        let _ = writeln!(
            out,
            "<td class=\"n idx\" style=\"background:{}\">{}</td></tr>",
            heat(row.index),
            num(row.index, locale)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        out,
        "<p class=\"keys\"><span class=\"key\"><i style=\"background:{}\"></i>≤ 50</span><span class=\"key\"><i style=\"background:{}\"></i>75</span><span class=\"key\"><i style=\"background:{}\"></i>100</span><span class=\"key\">– {}</span></p>",
        heat(Decimal::from(50)),
        heat(Decimal::from(75)),
        heat(Decimal::ONE_HUNDRED),
        l.excluded
    );
    out.push_str("<ul class=\"legend\">\n");
    for f in &block.fields {
        let _ = writeln!(out, "<li>{} {}: {}</li>", l.field, esc(f.code), esc(f.title));
    }
    out.push_str("</ul>\n");
}

fn unit_article(out: &mut String, block: &BlockView<'_>, row: &UnitRow, previous: bool, l: &Labels, locale: Locale) {
    let _ = writeln!(out, "<article id=\"unit-{}\">", esc(&row.unit));
    let _ = writeln!(out, "<h3>{} <small>({})</small></h3>", esc(&row.name), esc(&row.unit));
    let rank = row.rank.map_or_else(|| l.not_ranked.to_owned(), |r| format!("{} {r}", l.rank));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · {rank} · {} <b>{}</b> · {} {} · {} {}</p>",
        esc(block.title),
        l.index,
        num(row.index, locale),
        l.class,
        esc(row.class.as_deref().unwrap_or(l.no_class)),
        l.status,
        locale.status(row.status)
    );
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&totals_line(row, l, locale)));
    if let Some(note) = cap_note(row, l) {
        let _ = writeln!(out, "<p class=\"meta cap\">{}</p>", esc(&note));
    }
    for line in adjustment_lines(block.set, row, l, locale) {
        let _ = writeln!(out, "<p class=\"meta adjustments\">{}</p>", esc(&line));
    }
    if previous {
        let [pi, ch, pr, rc] = previous_cells(row, l, locale);
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} {} · {} {} · {} {} · {} {}</p>",
            l.previous_index,
            esc(&pi),
            l.change,
            esc(&ch),
            l.previous_rank,
            esc(&pr),
            l.rank_change,
            esc(&rc)
        );
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>{}</th><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.criterion, l.max, l.self_points, l.points, l.index
    );
    for (node, nr) in criteria_rows(block.set, row) {
        let depth = node.map_or(0, |n| n.depth);
        let title = node.map_or_else(String::new, |n| esc(&n.title));
        let pad = depth * 16;
        let _ = write!(
            out,
            "<tr class=\"d{depth}\"><td style=\"padding-left:{}px\">{}</td><td>{title}</td>",
            8 + pad,
            esc(&nr.code)
        );
        if nr.excluded {
            let _ = writeln!(out, "<td class=\"excl\" colspan=\"4\">{}</td></tr>", l.excluded);
            continue;
        }
        let f = |d: Option<Decimal>| d.map_or_else(String::new, |d| num(d, locale));
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            f(nr.max),
            f(nr.self_points),
            f(nr.points),
            f(nr.index)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if row.findings.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", l.no_findings);
    } else {
        let _ = writeln!(out, "<p><b>{}</b></p>\n<ul class=\"findings\">", l.findings);
        for f in &row.findings {
            let criterion = f.criterion.as_deref().map(|c| format!(" {}", esc(c))).unwrap_or_default();
            let _ = writeln!(out, "<li><code>{}</code>{criterion}: {}</li>", f.code, esc(&locale.finding(f)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_heat_colours() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(heat(d("100")), "hsl(205, 65%, 60%)");
        assert_eq!(heat(d("40")), "hsl(205, 65%, 97%)");
        assert_eq!(heat(d("75")), "hsl(205, 65%, 78%)");
    }
}
