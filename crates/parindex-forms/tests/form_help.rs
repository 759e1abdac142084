//! What a form tells the person filling it (issue #14 item 6): every cell a unit or the
//! council types into carries an input message (prompt) in Vietnamese, within Excel's limits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use common::{Ctx, fixture_doc};
use parindex_core::rule::Rule;
use parindex_core::{Decimal, NotArisingPolicy};
use parindex_forms::layout::{COL_STAGE_VALUE, Layout, ROW_FINAL, RowKind, SheetKind, cell_name};

/// The first sheet's XML of a workbook.
fn sheet_xml(bytes: Vec<u8>) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// XML attribute values back to text.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'").replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// Cell → (prompt title, prompt) of every `<dataValidation>` with an input message.
fn prompts(xml: &str) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for part in xml.split("<dataValidation ").skip(1) {
        let tag = format!(" {}", &part[..part.find('>').unwrap()]);
        let tag = tag.as_str();
        let (Some(sqref), Some(prompt)) = (attr(tag, "sqref"), attr(tag, "prompt")) else { continue };
        let title = attr(tag, "promptTitle").unwrap_or_default();
        assert!(tag.contains("showInputMessage=\"1\""), "{tag}");
        for cell in sqref.split(' ') {
            out.insert(cell.to_owned(), (title.clone(), prompt.clone()));
        }
    }
    out
}

/// The cells of a sheet an officer types into, with what the prompt must mention.
fn input_cells(ctx: &Ctx, layout: &Layout) -> Vec<(String, &'static str)> {
    let c = &layout.columns;
    let mut cells = Vec::new();
    for row in &layout.rows {
        let Some(id) = row.node else { continue };
        let node = ctx.set.node(id).unwrap();
        let Some(leaf) = node.leaf() else { continue };
        let r = row.row;
        match row.kind {
            RowKind::Leaf => {
                let detailed = !parindex_forms::layout::detail_rows(&leaf.rule).is_empty();
                let expect = match &leaf.rule {
                    Rule::YesNo => Some("Có hoặc Không"),
                    Rule::Options { .. } => Some("Chọn một phương án"),
                    Rule::Deadline { .. } => Some("dd/mm/yyyy"),
                    Rule::Manual { .. } => None,
                    _ if detailed => None,
                    _ => Some("Nhập"),
                };
                if let Some(e) = expect {
                    cells.push((cell_name(r, c.input), e));
                }
                cells.push((cell_name(r, c.points), "điểm"));
                if leaf.not_arising != NotArisingPolicy::Forbidden {
                    cells.push((cell_name(r, c.not_arising), "không phát sinh"));
                }
                cells.push((cell_name(r, c.note), "Ghi chú"));
                if let Some(col) = c.evidence {
                    cells.push((cell_name(r, col), "văn bản"));
                }
                if let Some(col) = c.reason {
                    cells.push((cell_name(r, col), "lý do"));
                }
                if let Some(col) = c.explain {
                    cells.push((cell_name(r, col), "giải trình"));
                }
            }
            RowKind::Numerator | RowKind::Denominator => {
                cells.push((cell_name(r, c.input), "số đã hoàn thành / tổng số"));
            }
            RowKind::Choice => cells.push((cell_name(r, c.input), "cách tính")),
            RowKind::Variable(_) => cells.push((cell_name(r, c.input), "Nhập một số")),
            _ => {}
        }
    }
    cells
}

fn check(ctx: &Ctx, kind: SheetKind, bytes: Vec<u8>) {
    let xml = sheet_xml(bytes);
    let prompts = prompts(&xml);
    let layout = ctx.layout(kind);
    let mut cells = input_cells(ctx, &layout);
    if let SheetKind::Appraisal(_) = kind {
        cells.push((cell_name(ROW_FINAL, COL_STAGE_VALUE), "lần thẩm định cuối cùng"));
    }
    assert!(cells.len() > 50, "{}", cells.len());
    for (cell, expect) in cells {
        let Some((title, prompt)) = prompts.get(&cell) else { panic!("{kind:?}: no prompt on {cell}") };
        assert!(!title.is_empty() && title.encode_utf16().count() <= 32, "{cell}: title {title:?}");
        assert!(prompt.encode_utf16().count() <= 255, "{cell}: {prompt}");
        assert!(
            prompt.to_lowercase().contains(&expect.to_lowercase()),
            "{kind:?} {cell}: prompt {prompt:?} does not say {expect:?}"
        );
    }
}

#[test]
fn every_input_cell_of_a_self_form_has_a_vietnamese_prompt() {
    let round_2025 = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2025");
    for ctx in [Ctx::new("so-noi-vu"), Ctx::new("cao-lanh"), Ctx::in_round(&round_2025, "so-noi-vu")] {
        let mut wb = ctx.workbook(SheetKind::SelfAssessment, None);
        check(&ctx, SheetKind::SelfAssessment, wb.save_to_buffer().unwrap());
    }
}

#[test]
fn every_input_cell_of_an_appraisal_form_has_a_vietnamese_prompt() {
    let ctx = Ctx::new("so-noi-vu");
    let a = ctx.assessment(&fixture_doc("so-noi-vu"));
    let mut wb = ctx.workbook(SheetKind::Appraisal(1), Some(&a));
    check(&ctx, SheetKind::Appraisal(1), wb.save_to_buffer().unwrap());
}

/// Row → height in points, from the sheet XML's `<row r=".." ht="..">`.
fn row_heights(xml: &str) -> HashMap<u32, Decimal> {
    let mut out = HashMap::new();
    for part in xml.split("<row ").skip(1) {
        let tag = format!(" {}", &part[..part.find('>').unwrap()]);
        let tag = tag.as_str();
        if let (Some(r), Some(ht)) = (attr(tag, "r"), attr(tag, "ht")) {
            out.insert(r.parse::<u32>().unwrap() - 1, ht.parse::<Decimal>().unwrap());
        }
    }
    out
}

#[test]
fn formula_rules_are_shown_in_words_and_never_cut_off() {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    use parindex_forms::layout::COL_RULE;
    for round in ["dong-thap-2023", "dong-thap-2025"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(round);
        let ctx = Ctx::in_round(&dir, "so-noi-vu");
        let kind = SheetKind::SelfAssessment;
        let bytes = ctx.workbook(kind, None).save_to_buffer().unwrap();
        let xml = sheet_xml(bytes.clone());
        let heights = row_heights(&xml);
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let values = book.worksheet_range(&kind.sheet_name()).unwrap();
        let layout = ctx.layout(kind);
        let width = usize::from(layout.columns.widths[usize::from(COL_RULE)]);
        let mut formulas = 0;
        for row in layout.rows.iter().filter(|r| matches!(r.kind, RowKind::Leaf | RowKind::Derived)) {
            let leaf = ctx.set.node(row.node.unwrap()).unwrap().leaf().unwrap();
            let text = values.get_value((row.row, u32::from(COL_RULE))).unwrap().to_string();
            // Never cut off: the row is tall enough for the wrapped text (13 points a line).
            let lines: usize = text.split('\n').map(|l| l.chars().count().div_ceil(width).max(1)).sum();
            let ht = heights.get(&row.row).copied().unwrap_or(Decimal::from(15));
            assert!(ht >= Decimal::from(lines * 13), "{round} {}: {ht} points for {lines} lines: {text}", row.label);
            let Rule::Formula(f) = &leaf.rule else { continue };
            formulas += 1;
            assert!(text.starts_with("Điểm = ") || text.starts_with("Chọn một cách tính"), "{text}");
            for technical in ["max_points", "*", "round(", "if(", ">=", "&&"] {
                assert!(!text.contains(technical), "{round} {}: {technical:?} in {text}", row.label);
            }
            assert!(text.contains("tối đa"), "{text}");
            for (name, description) in &f.variables {
                let d = description.to_lowercase();
                assert!(
                    text.to_lowercase().contains(&d),
                    "{round} {}: {name} ({description}) not in {text}",
                    row.label
                );
            }
            for r in &f.refs {
                assert!(text.contains(&format!("điểm của {}", r.code)), "{text}");
            }
        }
        assert!(formulas >= 2, "{round}: {formulas} formula rows");
    }
}

#[test]
fn the_appraisal_sheet_shows_the_units_evidence_read_only() {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let ctx = Ctx::new("so-noi-vu");
    let mut doc = fixture_doc("so-noi-vu");
    let layout = ctx.layout(SheetKind::Appraisal(1));
    let leaf_rows: Vec<_> = layout.rows.iter().filter(|r| r.kind == RowKind::Leaf).collect();
    let (first, second) = (leaf_rows[0], leaf_rows[1]);
    let code = |row: &parindex_forms::layout::Row| ctx.set.node(row.node.unwrap()).unwrap().code.clone();
    let digest = format!("sha256:{}", "ab12cd34ef56".repeat(5) + "0123");
    doc["self"]["entries"][code(first)]["evidence"] = serde_json::json!([
        {"title": "Kế hoạch số 229/KH-SNV ngày 05/01/2023", "ref": "229/KH-SNV"},
        {"title": "Báo cáo kết quả", "file": digest},
    ]);
    let a = ctx.assessment(&doc);
    let mut wb = ctx.workbook(SheetKind::Appraisal(1), Some(&a));
    let bytes = wb.save_to_buffer().unwrap();
    let col = layout.columns.unit_evidence.expect("an appraisal sheet has the unit's evidence column");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let values = book.worksheet_range(&SheetKind::Appraisal(1).sheet_name()).unwrap();
    let header = values.get_value((parindex_forms::layout::ROW_HEADER, u32::from(col))).unwrap().to_string();
    assert!(header.contains("Tài liệu kiểm chứng của đơn vị"), "{header}");
    let shown = values.get_value((first.row, u32::from(col))).unwrap().to_string();
    assert_eq!(
        shown,
        "Kế hoạch số 229/KH-SNV ngày 05/01/2023 | 229/KH-SNV\nBáo cáo kết quả (tệp: ab12cd34ef56)",
        "{}",
        code(first)
    );
    // Another row shows the fixture's own documents (titles, with a reference after " | ").
    let other = values.get_value((second.row, u32::from(col))).map(ToString::to_string).unwrap_or_default();
    let want: Vec<String> = doc["self"]["entries"][code(second)]["evidence"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| match e["ref"].as_str() {
            Some(r) => format!("{} | {r}", e["title"].as_str().unwrap()),
            None => e["title"].as_str().unwrap().to_owned(),
        })
        .collect();
    assert_eq!(other, want.join("\n"), "{}", code(second));
    // Read-only: no prompt (not an input cell), and the row is tall enough for two lines.
    let xml = sheet_xml(bytes);
    assert!(!prompts(&xml).contains_key(&cell_name(first.row, col)));
    assert!(row_heights(&xml)[&first.row] >= Decimal::from(26));
    // The form still reads back: an untouched appraisal sheet imports with no problem.
    assert!(!layout.columns.value_columns().contains(&col));
}
