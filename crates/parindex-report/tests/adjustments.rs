//! Bonus and penalty criteria (SPEC §11.1) itemised in each unit's section of the human
//! formats, with the points the results publish: on the Đồng Tháp 2025 fixture.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use parindex::{ResultsDocument, RoundFolder, score_round};
use parindex_report::{CsvTable, Locale, ReportFormat, ReportOptions, render};

fn round_2025() -> (RoundFolder, ResultsDocument) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2025");
    let folder = RoundFolder::load(&dir).unwrap();
    let results = score_round(&folder);
    (folder, results)
}

fn render_as(folder: &RoundFolder, results: &ResultsDocument, format: ReportFormat, locale: Locale) -> Vec<u8> {
    render(folder, results, &ReportOptions { format, locale, csv_table: CsvTable::Units, csv_bom: false }).unwrap()
}

/// The title of criterion `code` in the block `block`'s set.
fn title(folder: &RoundFolder, block: &str, code: &str) -> String {
    let set = folder.criteria_set(block).unwrap();
    set.node(set.find(code).unwrap()).unwrap().title.clone()
}

/// The text of one unit's section: from its heading to the next unit's.
fn section<'a>(text: &'a str, heading: &str, next: &str) -> &'a str {
    let start = text.find(heading).unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &text[start + heading.len()..];
    &rest[..rest.find(next).unwrap_or(rest.len())]
}

#[test]
fn markdown_and_html_unit_sections_itemise_bonus_and_penalty_items() {
    let (folder, results) = round_2025();
    let md = String::from_utf8(render_as(&folder, &results, ReportFormat::Markdown, Locale::Vi)).unwrap();
    let html = String::from_utf8(render_as(&folder, &results, ReportFormat::Html, Locale::Vi)).unwrap();
    // Sở Xây dựng: penalties 10.1 (late reports) and 10.2 (2 violations × 0.5).
    let penalty = format!(
        "Điểm trừ 1,50: 10.1 {} 0,50 · 10.2 {} 1,00",
        title(&folder, "so", "10.1"),
        title(&folder, "so", "10.2")
    );
    let s = section(&md, "(so-xay-dung)", "\n### ");
    assert!(s.contains(&penalty), "{s}");
    assert!(!s.lines().any(|l| l.starts_with("Điểm thưởng ")), "no bonus item, no bonus line: {s}");
    let s = section(&html, "(so-xay-dung)", "<article");
    assert!(s.contains("<p class=\"meta adjustments\">"), "{s}");
    assert!(s.contains(&penalty.replace('&', "&amp;")), "{s}");
    // Phường Sa Đéc: late reports (10.1) and a late self-assessment (10.3, 4 days late).
    let s = section(&md, "(phuong-sa-dec)", "\n### ");
    let penalty = format!(
        "Điểm trừ 1,00: 10.1 {} 0,75 · 10.3 {} 0,25",
        title(&folder, "xa", "10.1"),
        title(&folder, "xa", "10.3")
    );
    assert!(s.contains(&penalty), "{s}");
    assert!(s.contains(&format!("Điểm thưởng 0,50: 9.2 {} 0,50", title(&folder, "xa", "9.2"))), "{s}");
    // Phường Mỹ Tho: bonus criteria beside a §6.6 bonus list; the line's figure is the
    // effective bonus, the items those of the criteria.
    let s = section(&md, "(phuong-my-tho)", "\n### ");
    let line = s.lines().find(|l| l.starts_with("Điểm thưởng 1,50: 9.")).unwrap_or_else(|| panic!("{s}"));
    assert!(line.contains(&format!("9.1 {}", title(&folder, "xa", "9.1"))), "{line}");
    // A unit without bonus or penalty items has neither line.
    let quiet = results.blocks[1]
        .units
        .iter()
        .find(|u| u.bonus.is_zero() && u.penalty.is_zero() && u.status == parindex::Status::Final)
        .unwrap();
    let s = section(&md, &format!("({})", quiet.unit), "\n### ");
    assert!(!s.lines().any(|l| l.starts_with("Điểm thưởng ") || l.starts_with("Điểm trừ ")), "{s}");
    // English labels, decimal point.
    let en = String::from_utf8(render_as(&folder, &results, ReportFormat::Markdown, Locale::En)).unwrap();
    assert!(section(&en, "(so-xay-dung)", "\n### ").contains("Penalty 1.50: 10.1 "));
}

#[test]
fn xlsx_unit_sheets_itemise_bonus_and_penalty_items() {
    let (folder, results) = round_2025();
    let bytes = render_as(&folder, &results, ReportFormat::Xlsx, Locale::Vi);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book
        .sheet_names()
        .into_iter()
        .map(|n| book.worksheet_range(&n).unwrap())
        .find(|r| matches!(r.get((0, 0)), Some(Data::String(s)) if s.ends_with("(phuong-sa-dec)")))
        .unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let at = |label: &str| rows.iter().position(|r| r.first().map(String::as_str) == Some(label)).unwrap();
    let bonus = at("Điểm thưởng");
    let penalty = at("Điểm trừ");
    assert_eq!(rows[penalty][4], "1");
    assert_eq!((rows[penalty + 1][0].as_str(), rows[penalty + 1][4].as_str()), ("10.1", "0.75"));
    assert_eq!((rows[penalty + 2][0].as_str(), rows[penalty + 2][4].as_str()), ("10.3", "0.25"));
    assert_eq!(rows[penalty + 2][1], title(&folder, "xa", "10.3"));
    assert!(bonus < penalty);
    assert_eq!(rows[bonus][4], "0.5");
    assert_eq!((rows[bonus + 1][0].as_str(), rows[bonus + 1][4].as_str()), ("9.2", "0.5"));
}
