//! The Markdown report: each block's ranked table, then a section per unit.

use std::fmt::Write;

use parindex::{CriteriaSet, UnitRow};

use crate::labels::{Labels, Locale};
use crate::model::{BlockView, Report, adjustment_items, cap_note, criteria_rows, field_index};
use crate::numbers::{num, rank_change, signed};

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub(crate) fn render(report: &Report<'_>, locale: Locale) -> String {
    let l = locale.labels();
    let round = report.round;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(&round.title));
    let _ = writeln!(out, "{}: {} · {}", l.evaluator, round.evaluator, round.id);
    if let Some(e) = &report.results.engine {
        let _ =
            writeln!(out, "· {} {} {} · {} {}", l.engine, e.name, e.version, report.results.inputs.0.len(), l.inputs);
    }
    if let Some(p) = &report.results.previous_round {
        let _ = writeln!(out, "· {} {p}", l.compared_with);
    }
    for block in &report.blocks {
        block_table(&mut out, block, report.has_previous(), l, locale);
    }
    let _ = writeln!(out, "\n## {}", l.units);
    for block in &report.blocks {
        for row in block.rows {
            unit_section(&mut out, block, row, report.has_previous(), l, locale);
        }
    }
    out
}

fn block_table(out: &mut String, block: &BlockView<'_>, previous: bool, l: &Labels, locale: Locale) {
    let _ = writeln!(out, "\n## {} ({} {})\n", cell(block.title), block.rows.len(), l.units.to_lowercase());
    let mut header = vec![
        l.rank.to_owned(),
        l.unit.to_owned(),
        l.points.to_owned(),
        l.max.to_owned(),
        l.index.to_owned(),
        l.class.to_owned(),
    ];
    header.extend(block.fields.iter().map(|f| format!("{} {}", l.field, f.code)));
    if previous {
        header.extend([
            l.previous_index.to_owned(),
            l.change.to_owned(),
            l.previous_rank.to_owned(),
            l.rank_change.to_owned(),
        ]);
    }
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let align: Vec<&str> =
        header.iter().enumerate().map(|(i, _)| if i == 1 || i == 5 { "---" } else { "---:" }).collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    let mut notes = Vec::new();
    for row in block.rows {
        let mut class = row.class.as_deref().map_or_else(|| l.no_class.to_owned(), cell);
        if let Some(note) = cap_note(row, l) {
            notes.push(note);
            class.push_str(&format!(" ({})", notes.len()));
        }
        let mut cells = vec![
            row.rank.map_or_else(|| l.not_ranked.to_owned(), |r| r.to_string()),
            cell(&row.name),
            num(row.total, locale),
            num(row.max, locale),
            format!("**{}**", num(row.index, locale)),
            class,
        ];
        cells.extend(
            block.fields.iter().map(|f| field_index(row, f).map_or_else(|| "–".to_owned(), |d| num(d, locale))),
        );
        if previous {
            cells.extend(previous_cells(row, l, locale));
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "\n{}:", l.notes);
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, cell(n));
        }
    }
    if !block.fields.is_empty() {
        let _ = writeln!(out, "\n{}:", l.fields);
        for f in &block.fields {
            let _ = writeln!(out, "- {} {}: {}", l.field, f.code, f.title);
        }
    }
}

/// Previous index, index change, previous rank, rank change.
/// A unit's totals in one line: points / max, self, appraised, survey, bonus, penalty (the
/// unit sheets of every human format).
pub(crate) fn totals_line(row: &UnitRow, l: &Labels, locale: Locale) -> String {
    format!(
        "{} {} / {} · {} {} · {} {} · {} {} · {} {} · {} {}",
        l.points,
        num(row.total, locale),
        num(row.max, locale),
        l.self_total,
        num(row.self_total, locale),
        l.appraised,
        num(row.appraised_total, locale),
        l.survey,
        num(row.survey_total, locale),
        l.bonus,
        num(row.bonus, locale),
        l.penalty,
        num(row.penalty, locale)
    )
}

/// The unit's bonus and penalty items, one line each for bonus and penalty that has any:
/// "Điểm thưởng 1,50: 9.1 Sáng kiến … 1,00 · 9.2 … 0,50" (the figure after the label is the
/// effective bonus, after the cap and with any §6.6 list). Empty without such items.
pub(crate) fn adjustment_lines(set: Option<&CriteriaSet>, row: &UnitRow, l: &Labels, locale: Locale) -> Vec<String> {
    let (bonus, penalty) = adjustment_items(set, row);
    [(l.bonus, row.bonus, bonus), (l.penalty, row.penalty, penalty)]
        .into_iter()
        .filter(|(_, _, items)| !items.is_empty())
        .map(|(label, effective, items)| {
            let items: Vec<String> =
                items.iter().map(|i| format!("{} {} {}", i.code, i.title, num(i.points, locale))).collect();
            format!("{label} {}: {}", num(effective, locale), items.join(" · "))
        })
        .collect()
}

pub(crate) fn previous_cells(row: &UnitRow, l: &Labels, locale: Locale) -> [String; 4] {
    match (&row.previous, &row.change) {
        (Some(Some(p)), Some(Some(c))) => [
            num(p.index, locale),
            signed(c.index, locale),
            p.rank.map_or_else(|| "–".to_owned(), |r| r.to_string()),
            rank_change(c.rank),
        ],
        _ => [l.new_unit.to_owned(), "–".to_owned(), "–".to_owned(), "–".to_owned()],
    }
}

fn unit_section(out: &mut String, block: &BlockView<'_>, row: &UnitRow, previous: bool, l: &Labels, locale: Locale) {
    let _ = writeln!(out, "\n### {} ({})\n", cell(&row.name), row.unit);
    let rank = row.rank.map_or_else(|| l.not_ranked.to_owned(), |r| format!("{} {r}", l.rank.to_lowercase()));
    let _ = writeln!(
        out,
        "{} · {rank} · {} **{}** · {} {} · {} {}\n",
        cell(block.title),
        l.index,
        num(row.index, locale),
        l.class,
        row.class.as_deref().unwrap_or(l.no_class),
        l.status,
        locale.status(row.status)
    );
    let _ = writeln!(out, "{}", totals_line(row, l, locale));
    if let Some(note) = cap_note(row, l) {
        let _ = writeln!(out, "\n{}", cell(&note));
    }
    for line in adjustment_lines(block.set, row, l, locale) {
        let _ = writeln!(out, "\n{}", cell(&line));
    }
    if previous {
        let [pi, ch, pr, rc] = previous_cells(row, l, locale);
        let _ = writeln!(
            out,
            "\n{} {pi} · {} {ch} · {} {pr} · {} {rc}",
            l.previous_index, l.change, l.previous_rank, l.rank_change
        );
    }
    let _ = writeln!(out, "\n| {} | | {} | {} | {} | {} |", l.criterion, l.max, l.self_points, l.points, l.index);
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for (node, nr) in criteria_rows(block.set, row) {
        let title = node.map_or_else(String::new, |n| cell(&n.title));
        let depth = node.map_or(0, |n| n.depth);
        let code = if depth == 0 {
            format!("**{}**", nr.code)
        } else {
            format!("{}{}", "&nbsp;&nbsp;".repeat(depth), nr.code)
        };
        if nr.excluded {
            let _ = writeln!(out, "| {code} | {title} | | | {} | |", l.excluded);
            continue;
        }
        let f = |d: Option<parindex::Decimal>| d.map_or_else(String::new, |d| num(d, locale));
        let _ = writeln!(
            out,
            "| {code} | {title} | {} | {} | {} | {} |",
            f(nr.max),
            f(nr.self_points),
            f(nr.points),
            f(nr.index)
        );
    }
    if row.findings.is_empty() {
        let _ = writeln!(out, "\n{}", l.no_findings);
    } else {
        let _ = writeln!(out, "\n{}:\n", l.findings);
        for f in &row.findings {
            let criterion = f.criterion.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
            let _ = writeln!(out, "- `{}`{criterion}: {}", f.code, cell(&locale.finding(f)));
        }
    }
}
