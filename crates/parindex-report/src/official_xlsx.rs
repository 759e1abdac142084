//! The official table as an XLSX workbook: a sheet per block, set up to print on A4
//! landscape, one page wide, with the table's header row repeated on every page.

use parindex::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::model::Report;
use crate::official::{self, MOTTO, NATION, Table};
use crate::xlsx::{col, number_pattern, print_setup, sheet_name};

/// Row of the table's header in an official sheet (0-based); units follow it.
pub(crate) const HEADER_ROW: u32 = 7;

struct Formats {
    bold_center: Format,
    underline_center: Format,
    title: Format,
    italic_center: Format,
    header: Format,
    text: Format,
    center: Format,
    number: Format,
    number_bold: Format,
    note: Format,
}

fn formats(decimals: u32) -> Formats {
    let pattern = number_pattern(decimals);
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    Formats {
        bold_center: Format::new().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
        underline_center: Format::new()
            .set_bold()
            .set_underline(rust_xlsxwriter::FormatUnderline::Single)
            .set_align(FormatAlign::Center),
        title: Format::new().set_bold().set_font_size(13).set_align(FormatAlign::Center),
        italic_center: Format::new().set_italic().set_align(FormatAlign::Center),
        header: cell.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center),
        text: cell.clone().set_text_wrap(),
        center: cell.clone().set_align(FormatAlign::Center),
        number: cell.clone().set_num_format(&pattern),
        number_bold: cell.set_num_format(&pattern).set_bold(),
        note: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    }
}

fn marks(notes: &[usize]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let list: Vec<String> = notes.iter().map(ToString::to_string).collect();
    format!(" ({})", list.join(","))
}

pub(crate) fn render(report: &Report<'_>) -> Result<Vec<u8>, XlsxError> {
    let f = formats(report.round.rounding.decimals);
    let mut workbook = Workbook::new();
    let mut used = Vec::new();
    for (i, table) in official::tables(report).iter().enumerate() {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet_name(&format!("PL{} {}", i + 1, table.block.title), &mut used))?;
        sheet(ws, report, table, i + 1, &f)?;
    }
    workbook.save_to_buffer()
}

fn write_figure(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    value: Option<Decimal>,
    f: &Format,
    blank: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => ws.write_with_format(r, c, v, f)?,
        None => ws.write_with_format(r, c, "–", blank)?,
    };
    Ok(())
}

fn sheet(ws: &mut Worksheet, report: &Report<'_>, table: &Table<'_>, n: usize, f: &Formats) -> Result<(), XlsxError> {
    let headers = official::headers(table);
    let last = col(headers.len().saturating_sub(1));
    let half = col(headers.len() / 2);
    ws.merge_range(0, 0, 0, half.saturating_sub(1), &official::issuer(report), &f.bold_center)?;
    ws.merge_range(0, half, 0, last, NATION, &f.bold_center)?;
    ws.merge_range(1, half, 1, last, MOTTO, &f.underline_center)?;
    let lines = official::title_lines(report, table, n);
    for (i, text) in lines.iter().enumerate() {
        let r = 2 + u32::try_from(i).unwrap_or(0);
        let format = if i == 3 { &f.italic_center } else { &f.title };
        ws.merge_range(r, 0, r, last, text, format)?;
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(HEADER_ROW, col(c), h.as_str(), &f.header)?;
    }
    ws.set_row_height(HEADER_ROW, 48)?;
    let mut r = HEADER_ROW + 1;
    for line in &table.lines {
        let row = line.row;
        ws.write_with_format(r, 0, u32::try_from(line.stt).unwrap_or(u32::MAX), &f.center)?;
        ws.write_with_format(r, 1, format!("{}{}", row.name, marks(&line.name_notes)), &f.text)?;
        let mut c = 2usize;
        for cell in &line.fields {
            let value = cell.filter(|x| !x.excluded).and_then(|x| x.points);
            write_figure(ws, r, col(c), value, &f.number, &f.center)?;
            c += 1;
        }
        for v in [row.self_total, row.appraised_total, row.survey_total, row.total] {
            write_figure(ws, r, col(c), Some(v), &f.number, &f.center)?;
            c += 1;
        }
        write_figure(ws, r, col(c), Some(row.index), &f.number_bold, &f.center)?;
        ws.write_with_format(
            r,
            col(c + 1),
            format!("{}{}", row.class.as_deref().unwrap_or("–"), marks(&line.class_notes)),
            &f.center,
        )?;
        match row.rank {
            Some(rank) if line.rank_notes.is_empty() => ws.write_with_format(r, col(c + 2), rank, &f.center)?,
            _ => ws.write_with_format(
                r,
                col(c + 2),
                format!(
                    "{}{}",
                    row.rank.map_or_else(|| "không xếp hạng".to_owned(), |x| x.to_string()),
                    marks(&line.rank_notes)
                ),
                &f.center,
            )?,
        };
        r += 1;
    }
    r += 1;
    for field in &table.fields {
        ws.merge_range(r, 0, r, last, &format!("Lĩnh vực {}: {}", field.code, field.title), &f.note)?;
        r += 1;
    }
    if !table.notes.is_empty() {
        r += 1;
        ws.write_with_format(r, 0, "Ghi chú:", &f.bold_center)?;
        for (i, note) in table.notes.iter().enumerate() {
            r += 1;
            ws.merge_range(r, 0, r, last, &format!("({}) {note}", i + 1), &f.note)?;
            let chars = u32::try_from(note.chars().count()).unwrap_or(u32::MAX);
            // About 150 characters fit on a line across the landscape page.
            ws.set_row_height(r, 15 * (1 + chars / 150))?;
        }
    }
    r += 2;
    let [date, capacity, hint] = official::signature_lines(report);
    ws.merge_range(r, half, r, last, &date, &f.italic_center)?;
    ws.merge_range(r + 1, half, r + 1, last, &capacity, &f.bold_center)?;
    ws.merge_range(r + 2, half, r + 2, last, &hint, &f.italic_center)?;
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 34)?;
    for c in 2..headers.len() {
        ws.set_column_width(col(c), 10)?;
    }
    let class_col = col(headers.len().saturating_sub(2));
    ws.set_column_width(class_col, 12)?;
    ws.set_column_width(last, 12)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    print_setup(ws, HEADER_ROW, r + 3, last)?;
    Ok(())
}
