//! The XLSX report: a sheet per block (the ranked table) and a sheet per unit (every
//! criterion), written with rust_xlsxwriter.
//!
//! Figures are written as numbers, so that a spreadsheet can sort and sum them, and shown
//! with exactly the round's decimals. The file format stores numbers as binary doubles:
//! each cell holds the double nearest the published (already rounded) decimal, which
//! displays as the published figure; the exact figures stay in the results document.

use parindex::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::chart;
use crate::labels::{Labels, Locale};
use crate::model::{BlockView, Report, adjustment_items, cap_note, criteria_rows, field_index};

/// A sheet name Excel accepts (no `[]:*?/\`, at most 31 characters) and not yet used
/// (names are compared ignoring case).
pub(crate) fn sheet_name(wanted: &str, used: &mut Vec<String>) -> String {
    let clean: String = wanted.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    let clean = if clean.trim().is_empty() { "sheet".to_owned() } else { clean };
    let mut name = clean.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!("~{n}");
        let keep = 31usize.saturating_sub(suffix.chars().count());
        name = format!("{}{suffix}", clean.chars().take(keep).collect::<String>());
        n += 1;
    }
    used.push(name.clone());
    name
}

struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    number: Format,
    number_bold: Format,
    rank_change: Format,
    wrap: Format,
}

/// The number format that shows exactly `decimals` digits after the point (`0.00`).
pub(crate) fn number_pattern(decimals: u32) -> String {
    if decimals == 0 { "0".to_owned() } else { format!("0.{}", "0".repeat(decimals as usize)) }
}

/// Page setup of a sheet: A4, one page wide (as many pages tall as needed), centred, the
/// rows from the top through `header_row` printed on every page (print titles: with the
/// header row repeated, no page shows figures without their column names), a page number
/// in the footer, and the print area through `last_row`, `last_col`.
pub(crate) fn print_setup(ws: &mut Worksheet, header_row: u32, last_row: u32, last_col: u16) -> Result<(), XlsxError> {
    ws.set_landscape();
    print_setup_portrait(ws, header_row, last_row, last_col)
}

/// [`print_setup`] on A4 portrait.
pub(crate) fn print_setup_portrait(
    ws: &mut Worksheet,
    header_row: u32,
    last_row: u32,
    last_col: u16,
) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    ws.set_paper_size(A4);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&CTrang &P/&N");
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

fn formats(decimals: u32) -> Formats {
    let pattern = number_pattern(decimals);
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        bold: Format::new().set_bold(),
        header: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_background_color(0xDDE7F0),
        number: Format::new().set_num_format(&pattern),
        number_bold: Format::new().set_num_format(&pattern).set_bold(),
        wrap: Format::new().set_text_wrap().set_font_size(9),
        rank_change: Format::new().set_num_format("\"▲\"0;\"▼\"0;\"=\"").set_align(FormatAlign::Center),
    }
}

fn write_number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    format: &Format,
) -> Result<(), XlsxError> {
    if let Some(v) = value {
        ws.write_with_format(row, col, v, format)?;
    }
    Ok(())
}

pub(crate) fn render(report: &Report<'_>, locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let l = locale.labels();
    let f = formats(report.round.rounding.decimals);
    let mut workbook = Workbook::new();
    let mut used = Vec::new();
    for block in &report.blocks {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet_name(block.title, &mut used))?;
        block_sheet(ws, report, block, l, &f)?;
    }
    for block in &report.blocks {
        for row in block.rows {
            let ws = workbook.add_worksheet();
            ws.set_name(sheet_name(&row.name, &mut used))?;
            unit_sheet(ws, report, block, row, l, locale, &f)?;
        }
    }
    workbook.save_to_buffer()
}

/// Row of the ranked table's header in a block sheet (0-based); units follow it.
pub const BLOCK_HEADER_ROW: u32 = 3;

fn block_sheet(
    ws: &mut Worksheet,
    report: &Report<'_>,
    block: &BlockView<'_>,
    l: &Labels,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_with_format(0, 0, report.round.title.as_str(), &f.title)?;
    ws.write_with_format(1, 0, format!("{} — {}", block.title, report.round.evaluator), &f.bold)?;
    let mut header: Vec<String> =
        vec![l.rank.into(), l.unit.into(), l.points.into(), l.max.into(), l.index.into(), l.class.into()];
    header.extend(block.fields.iter().map(|x| format!("{} {}", l.field, x.code)));
    let previous = report.has_previous();
    if previous {
        header.extend([l.previous_index.into(), l.change.into(), l.previous_rank.into(), l.rank_change.into()]);
    }
    header.push(l.notes.into());
    for (c, h) in header.iter().enumerate() {
        ws.write_with_format(BLOCK_HEADER_ROW, col(c), h.as_str(), &f.header)?;
    }
    let mut r = BLOCK_HEADER_ROW + 1;
    for row in block.rows {
        match row.rank {
            Some(rank) => ws.write(r, 0, rank)?,
            None => ws.write(r, 0, l.not_ranked)?,
        };
        ws.write(r, 1, row.name.as_str())?;
        write_number(ws, r, 2, Some(row.total), &f.number)?;
        write_number(ws, r, 3, Some(row.max), &f.number)?;
        write_number(ws, r, 4, Some(row.index), &f.number_bold)?;
        let class_format = class_format(report, block, row.class.as_deref());
        ws.write_with_format(r, 5, row.class.as_deref().unwrap_or(l.no_class), &class_format)?;
        let mut c = 6;
        for field in &block.fields {
            write_number(ws, r, col(c), field_index(row, field), &f.number)?;
            c += 1;
        }
        if previous {
            match (row.previous.clone().flatten(), row.change.clone().flatten()) {
                (Some(p), Some(ch)) => {
                    write_number(ws, r, col(c), Some(p.index), &f.number)?;
                    write_number(ws, r, col(c + 1), Some(ch.index), &f.number)?;
                    if let Some(pr) = p.rank {
                        ws.write(r, col(c + 2), pr)?;
                    }
                    match ch.rank {
                        // A number (up is positive) shown as ▲2, ▼1 or =, so it sorts.
                        Some(change) => ws.write_with_format(r, col(c + 3), change, &f.rank_change)?,
                        None => ws.write(r, col(c + 3), "–")?,
                    };
                }
                _ => {
                    ws.write(r, col(c), l.new_unit)?;
                }
            }
            c += 4;
        }
        if let Some(note) = cap_note(row, l) {
            ws.write_with_format(r, col(c), note, &f.wrap)?;
        }
        r += 1;
    }
    let last_unit_row = r.saturating_sub(1);
    let last_col = col(header.len().saturating_sub(1));
    if last_unit_row > BLOCK_HEADER_ROW {
        ws.autofilter(BLOCK_HEADER_ROW, 0, last_unit_row, last_col)?;
    }
    r += 1;
    ws.write_with_format(r, 1, l.fields, &f.bold)?;
    for field in &block.fields {
        r += 1;
        ws.write(r, 0, format!("{} {}", l.field, field.code))?;
        ws.write(r, 1, field.title)?;
    }
    ws.set_column_width(0, 15)?;
    ws.set_column_width(1, 42)?;
    for c in 2..header.len() {
        ws.set_column_width(col(c), 11)?;
    }
    ws.set_column_width(last_col, 40)?;
    ws.set_freeze_panes(BLOCK_HEADER_ROW + 1, 2)?;
    print_setup(ws, BLOCK_HEADER_ROW, r, last_col)?;
    // Print titles: the rank and unit columns too, should a reader print wider than a page.
    ws.set_repeat_columns(0, 1)?;
    Ok(())
}

/// Row of the criteria table's header in a unit sheet (0-based); nodes follow it.
pub const UNIT_HEADER_ROW: u32 = 5;

fn unit_sheet(
    ws: &mut Worksheet,
    report: &Report<'_>,
    block: &BlockView<'_>,
    row: &parindex::UnitRow,
    l: &Labels,
    locale: Locale,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_with_format(0, 0, format!("{} ({})", row.name, row.unit), &f.title)?;
    ws.write(1, 0, format!("{} — {}", block.title, report.round.title))?;
    let labels =
        [l.rank, l.index, l.class, l.status, l.points, l.max, l.self_total, l.appraised, l.survey, l.bonus, l.penalty];
    for (c, h) in labels.iter().enumerate() {
        ws.write_with_format(2, col(c), *h, &f.header)?;
    }
    match row.rank {
        Some(rank) => ws.write(3, 0, rank)?,
        None => ws.write(3, 0, l.not_ranked)?,
    };
    write_number(ws, 3, 1, Some(row.index), &f.number_bold)?;
    ws.write(3, 2, row.class.as_deref().unwrap_or(l.no_class))?;
    ws.write(3, 3, locale.status(row.status))?;
    for (c, v) in [row.total, row.max, row.self_total, row.appraised_total, row.survey_total, row.bonus, row.penalty]
        .into_iter()
        .enumerate()
    {
        write_number(ws, 3, col(c + 4), Some(v), &f.number)?;
    }
    let header = [l.criterion, "", l.max, l.self_points, l.points, l.index];
    for (c, h) in header.iter().enumerate() {
        ws.write_with_format(UNIT_HEADER_ROW, col(c), *h, &f.header)?;
    }
    let mut r = UNIT_HEADER_ROW + 1;
    for (node, nr) in criteria_rows(block.set, row) {
        let depth = node.map_or(0, |n| n.depth);
        let code_format =
            if depth == 0 { &f.bold } else { &Format::new().set_indent(u8::try_from(depth).unwrap_or(u8::MAX)) };
        ws.write_with_format(r, 0, nr.code.as_str(), code_format)?;
        ws.write(r, 1, node.map_or("", |n| n.title.as_str()))?;
        if nr.excluded {
            ws.write(r, 4, l.excluded)?;
        } else {
            write_number(ws, r, 2, nr.max, &f.number)?;
            write_number(ws, r, 3, nr.self_points, &f.number)?;
            write_number(ws, r, 4, nr.points, &f.number)?;
            write_number(ws, r, 5, nr.index, &f.number)?;
        }
        r += 1;
    }
    // Bonus and penalty items (SPEC §11.1): each with its points, then what counts in effect.
    let (bonus, penalty) = adjustment_items(block.set, row);
    for (label, effective, items) in [(l.bonus, row.bonus, bonus), (l.penalty, row.penalty, penalty)] {
        if items.is_empty() {
            continue;
        }
        r += 1;
        ws.write_with_format(r, 0, label, &f.bold)?;
        write_number(ws, r, 4, Some(effective), &f.number)?;
        for item in items {
            r += 1;
            ws.write(r, 0, item.code)?;
            ws.write(r, 1, item.title)?;
            write_number(ws, r, 4, Some(item.points), &f.number)?;
        }
    }
    r += 1;
    ws.write_with_format(r, 0, l.findings, &f.bold)?;
    if row.findings.is_empty() {
        ws.write(r, 1, l.no_findings)?;
    }
    for finding in &row.findings {
        r += 1;
        ws.write(r, 0, finding.criterion.as_deref().unwrap_or(""))?;
        ws.write(r, 1, format!("[{}] {}", finding.code, locale.finding(finding)))?;
    }
    ws.set_column_width(0, 15)?;
    ws.set_column_width(1, 60)?;
    for c in 2..11 {
        ws.set_column_width(c, 11)?;
    }
    print_setup_portrait(ws, UNIT_HEADER_ROW, r, 10)?;
    Ok(())
}

/// The fill of a class cell: the class's colour (as in the HTML chart), white text on the
/// two darkest.
fn class_format(report: &Report<'_>, block: &BlockView<'_>, class: Option<&str>) -> Format {
    let hex = chart::class_colour(report, block, class);
    let rgb = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0xBDBDBD);
    let format = Format::new().set_background_color(rgb).set_align(FormatAlign::Center);
    if chart::CLASS_COLOURS.iter().take(2).any(|c| *c == hex) { format.set_font_color(0xFFFFFF) } else { format }
}

pub(crate) fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("so", &mut used), "so");
        assert_eq!(sheet_name("SO", &mut used), "SO~2");
        assert_eq!(sheet_name("a/b:c", &mut used), "abc");
        let long = "x".repeat(40);
        let first = sheet_name(&long, &mut used);
        let second = sheet_name(&long, &mut used);
        assert_eq!(first.chars().count(), 31);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("~2"));
    }
}
