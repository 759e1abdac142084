//! Bad workbooks: each gets a clear error naming the cell (or the sheet), and import returns
//! no document. One test per kind of mistake the issue lists, and a few the engine finds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{Ctx, fixture, fixture_doc, scratch};
use parindex_core::Code;
use parindex_core::{Diagnostic, Diagnostics};
use parindex_forms::layout::{COL_RULE, ROW_UNIT, SheetKind};
use parindex_forms::{Error, ImportOptions};
use rust_xlsxwriter::Format;

const SELF: SheetKind = SheetKind::SelfAssessment;

fn problems(result: Result<parindex_forms::Imported, Error>) -> Diagnostics {
    match result {
        Ok(i) => panic!("expected problems, got a document: {}", i.document),
        Err(Error::Invalid(p)) => p,
        Err(e) => panic!("expected problems, got {e:?}"),
    }
}

/// The one problem at `cell`; fails listing every problem if there is none.
fn at<'a>(p: &'a Diagnostics, cell: &str) -> &'a Diagnostic {
    p.errors
        .iter()
        .find(|x| x.cell.as_deref() == Some(cell))
        .unwrap_or_else(|| panic!("no problem at {cell}:\n{}", p.render_text()))
}

/// The row (0-based) of `code`'s leaf in the so-noi-vu form.
fn leaf_row(ctx: &Ctx, code: &str) -> u32 {
    ctx.layout(SELF).leaf_row(ctx.set.find(code).unwrap()).unwrap().row
}

fn copy_round(name: &str, edit_round: impl Fn(String) -> String) -> std::path::PathBuf {
    let dir = scratch(name);
    let text = std::fs::read_to_string(fixture().join("round.json")).unwrap();
    std::fs::write(dir.join("round.json"), edit_round(text)).unwrap();
    std::fs::create_dir_all(dir.join("criteria")).unwrap();
    for set in ["so-2023.json", "huyen-2023.json"] {
        std::fs::copy(fixture().join("criteria").join(set), dir.join("criteria").join(set)).unwrap();
    }
    dir
}

#[test]
fn a_workbook_for_another_round_is_refused_at_the_round_cell() {
    let ctx = Ctx::new("so-noi-vu");
    let bytes = ctx.filled(SELF, None, |_, _, _| {});
    let other = copy_round("other-round", |t| t.replace("\"id\": \"dong-thap-2023\"", "\"id\": \"dong-thap-2024\""));
    let p = problems(parindex_forms::import_bytes(bytes, "so-noi-vu.xlsx", &other, &ImportOptions::default()));
    let problem = at(&p, "'Tự đánh giá'!D2");
    assert_eq!(problem.code, Code::InputType);
    assert!(problem.message.contains("'dong-thap-2023', not of 'dong-thap-2024'"), "{}", problem.message);
    assert_eq!(p.len(), 1);
}

#[test]
fn a_workbook_for_another_unit_is_refused() {
    let ctx = Ctx::new("so-noi-vu");
    // Merging into another unit's assessment file.
    let dir = scratch("other-unit");
    let out = dir.join("so-tu-phap.json");
    let before = serde_json::to_string_pretty(&fixture_doc("so-tu-phap")).unwrap();
    std::fs::write(&out, &before).unwrap();
    let bytes = ctx.filled(SELF, None, |_, _, _| {});
    let options = ImportOptions { out: Some(out.clone()), ..ImportOptions::default() };
    let p = problems(ctx.import(bytes, &options));
    assert_eq!(p.errors[0].code, Code::UnknownUnit);
    assert!(p.errors[0].message.contains("the assessment of 'so-tu-phap', not of 'so-noi-vu'"), "{}", p.render_text());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), before, "nothing is written");

    // The header's unit id edited by hand.
    let bytes = ctx.filled(SELF, None, |ws, _, _| {
        ws.write_string(ROW_UNIT, COL_RULE, "so-tu-phap").unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let problem = at(&p, "'Tự đánh giá'!D3");
    assert!(problem.message.contains("unit id 'so-noi-vu'"), "{}", problem.message);

    // A unit the round does not have (the hidden sheet and the header agree on it).
    let mut wb = ctx.workbook(SELF, None);
    wb.worksheet_from_name("Tự đánh giá").unwrap().write_string(ROW_UNIT, COL_RULE, "so-khong-co").unwrap();
    wb.worksheet_from_name("parindex").unwrap().write_string(2, 1, "so-khong-co").unwrap();
    let p = problems(ctx.import(wb.save_to_buffer().unwrap(), &ImportOptions::default()));
    let problem = at(&p, "'Tự đánh giá'!D3");
    assert_eq!(problem.code, Code::UnknownUnit);
    assert!(problem.message.contains("'so-khong-co' is not a unit of the round"), "{}", problem.message);
}

#[test]
fn a_renamed_sheet_is_refused() {
    let ctx = Ctx::new("so-noi-vu");
    let mut wb = ctx.workbook(SELF, None);
    wb.worksheet_from_name("Tự đánh giá").unwrap().set_name("Sheet1").unwrap();
    let p = problems(ctx.import(wb.save_to_buffer().unwrap(), &ImportOptions::default()));
    assert_eq!(p.len(), 1, "{}", p.render_text());
    assert!(
        p.errors[0].message.contains("the sheet 'Tự đánh giá' is missing (was it renamed to 'Sheet1'?)"),
        "{}",
        p.render_text()
    );
}

#[test]
fn reordered_sheets_are_refused() {
    let ctx = Ctx::new("so-noi-vu");
    let mut wb = ctx.workbook(SELF, None);
    wb.worksheets_mut().swap(0, 1);
    let p = problems(ctx.import(wb.save_to_buffer().unwrap(), &ImportOptions::default()));
    assert_eq!(p.len(), 1, "{}", p.render_text());
    assert!(
        p.errors[0]
            .message
            .contains("reordered: expected Tự đánh giá, Hướng dẫn, parindex, found Hướng dẫn, Tự đánh giá, parindex"),
        "{}",
        p.render_text()
    );
}

#[test]
fn merged_cells_are_refused_naming_the_range() {
    let ctx = Ctx::new("so-noi-vu");
    let r = leaf_row(&ctx, "1.2");
    let bytes = ctx.filled(SELF, None, |ws, layout, _| {
        let c = &layout.columns;
        ws.merge_range(r, c.input, r, c.points, "0", &Format::new()).unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let problem = at(&p, &format!("'Tự đánh giá'!E{0}:F{0}", r + 1));
    assert!(problem.message.contains("merged cells"), "{}", problem.message);
}

#[test]
fn a_formula_where_a_value_belongs_is_refused() {
    let ctx = Ctx::new("so-noi-vu");
    let r = leaf_row(&ctx, "1.2");
    let bytes = ctx.filled(SELF, None, |ws, layout, _| {
        ws.write_formula(r, layout.columns.points, "=0.75*2").unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let problem = at(&p, &format!("'Tự đánh giá'!F{}", r + 1));
    assert!(problem.message.contains("holds the formula =0.75*2: type the value itself"), "{}", problem.message);
    assert_eq!(p.len(), 1, "{}", p.render_text());

    // As `parindex import` prints it: one line naming the cell as a spreadsheet does, or JSON
    // with "cell" in place of "path".
    let cell = format!("'Tự đánh giá'!F{}", r + 1);
    let message = "this cell holds the formula =0.75*2: type the value itself";
    assert_eq!(p.render_text(), format!("form.xlsx: {cell} [input_type]: {message}\n1 problem(s) found\n"));
    let expected =
        serde_json::json!({"errors": [{"code": "input_type", "file": "form.xlsx", "cell": cell, "message": message}]});
    assert_eq!(p.render_json(), serde_json::to_string_pretty(&expected).unwrap() + "\n");
}

#[test]
fn text_in_number_cells_and_unknown_answers_are_errors_naming_the_cell() {
    let ctx = Ctx::new("so-noi-vu");
    let rows = ["3.2.1", "1.2", "1.3", "3.1.1", "1.1.1", "2.1"].map(|c| leaf_row(&ctx, c));
    let bytes = ctx.filled(SELF, None, |ws, layout, _| {
        let c = &layout.columns;
        ws.write_string(rows[0], c.input, "khoảng 90").unwrap();
        ws.write_string(rows[1], c.points, "0,5").unwrap();
        ws.write_string(rows[2], c.input, "Tốt lắm").unwrap();
        ws.write_string(rows[3], c.input, "Rồi").unwrap();
        ws.write_string(rows[4], c.input, "10/01/2023").unwrap();
        // A ratio's value typed over the hint instead of in its two rows.
        ws.write_number(rows[5], c.input, 100).unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let cell = |col: &str, r: u32| format!("'Tự đánh giá'!{col}{}", r + 1);

    let percent = at(&p, &cell("E", rows[0]));
    assert_eq!((percent.code, percent.criterion.as_deref()), (Code::BadDecimal, Some("3.2.1")));
    assert!(percent.message.contains("the text 'khoảng 90' is not a number"), "{}", percent.message);

    let comma = at(&p, &cell("F", rows[1]));
    assert_eq!((comma.code, comma.criterion.as_deref()), (Code::BadDecimal, Some("1.2")));
    assert!(
        comma.message.contains("'0,5' uses a decimal comma: write it with a point, e.g. '0.5'"),
        "{}",
        comma.message
    );

    let option = at(&p, &cell("E", rows[2]));
    assert_eq!(option.code, Code::UnknownOption);
    assert!(
        option.message.contains(
            "choose one of: Thực hiện đầy đủ, đa dạng hình thức; Thực hiện đầy đủ kế hoạch; Thực hiện chưa đầy đủ; Không thực hiện"
        ),
        "{}",
        option.message
    );

    let yes_no = at(&p, &cell("E", rows[3]));
    assert_eq!(yes_no.code, Code::InputType);
    assert!(yes_no.message.contains("Có or Không"), "{}", yes_no.message);

    let date = at(&p, &cell("E", rows[4]));
    assert!(date.message.contains("not a date"), "{}", date.message);
    let ratio = at(&p, &cell("E", rows[5]));
    assert!(
        ratio.message.contains("found '100' here: this item's values go in the rows below it"),
        "{}",
        ratio.message
    );
    // Blank cells are missing entries (findings), not errors: these are all the problems.
    assert_eq!(p.len(), 6, "{}", p.render_text());
}

#[test]
fn deleted_rows_are_refused_at_the_first_row_that_moved() {
    // thanh-tra-tinh has no administrative procedures: its form lacks 3.1.2, 3.2, 3.3 and 7.2.
    // Relabelled as so-noi-vu's, it is so-noi-vu's form with those rows deleted.
    let ctx = Ctx::new("thanh-tra-tinh");
    let mut wb = ctx.workbook(SELF, None);
    wb.worksheet_from_name("Tự đánh giá").unwrap().write_string(ROW_UNIT, COL_RULE, "so-noi-vu").unwrap();
    wb.worksheet_from_name("parindex").unwrap().write_string(2, 1, "so-noi-vu").unwrap();
    let p = problems(ctx.import(wb.save_to_buffer().unwrap(), &ImportOptions::default()));
    let noi_vu = Ctx::new("so-noi-vu");
    let r = leaf_row(&noi_vu, "3.1.2");
    let problem = at(&p, &format!("'Tự đánh giá'!A{}", r + 1));
    assert!(
        problem.message.contains("expected the row '3.1.2' here, found '4': rows were deleted, added or moved"),
        "{}",
        problem.message
    );
}

#[test]
fn added_rows_are_refused() {
    // so-noi-vu's form relabelled as thanh-tra-tinh's has rows that form does not have.
    let ctx = Ctx::new("so-noi-vu");
    let mut wb = ctx.workbook(SELF, None);
    wb.worksheet_from_name("Tự đánh giá").unwrap().write_string(ROW_UNIT, COL_RULE, "thanh-tra-tinh").unwrap();
    wb.worksheet_from_name("parindex").unwrap().write_string(2, 1, "thanh-tra-tinh").unwrap();
    let p = problems(ctx.import(wb.save_to_buffer().unwrap(), &ImportOptions::default()));
    let r = leaf_row(&ctx, "3.1.2");
    let problem = at(&p, &format!("'Tự đánh giá'!A{}", r + 1));
    assert!(problem.message.contains("expected the row '4' here, found '3.1.2'"), "{}", problem.message);

    // A row typed below the total.
    let total = ctx.layout(SELF).total_row();
    let bytes = ctx.filled(SELF, None, |ws, _, _| {
        ws.write_string(total + 2, 0, "9.9").unwrap();
        ws.write_string(total + 2, 1, "Tiêu chí thêm").unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let problem = at(&p, &format!("'Tự đánh giá'!A{}", total + 3));
    assert!(problem.message.contains("rows were added below the total"), "{}", problem.message);
}

#[test]
fn a_column_inserted_is_refused_at_the_header() {
    let ctx = Ctx::new("so-noi-vu");
    let bytes = ctx.filled(SELF, None, |ws, _, _| {
        ws.write_string(parindex_forms::layout::ROW_HEADER, 4, "Cột mới").unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let problem = at(&p, "'Tự đánh giá'!E5");
    assert!(
        problem.message.contains("expected the column 'Kết quả, số liệu' here, found 'Cột mới'"),
        "{}",
        problem.message
    );
}

#[test]
fn engine_errors_name_the_cell_the_value_is_in() {
    let ctx = Ctx::new("so-noi-vu");
    let layout = ctx.layout(SELF);
    let id = |code: &str| ctx.set.find(code).unwrap();
    let numerator = layout.detail_row(id("1.1.2"), parindex_forms::layout::RowKind::Numerator).unwrap().row;
    let denominator = numerator + 1;
    let r = |code: &str| layout.leaf_row(id(code)).unwrap().row;
    let bytes = ctx.filled(SELF, None, |ws, layout, _| {
        let c = &layout.columns;
        // 30 of 28 tasks done: ratio_over_one.
        ws.write_number(numerator, c.input, 30).unwrap();
        ws.write_number(denominator, c.input, 28).unwrap();
        // "Nothing arose" where the item forbids it.
        ws.write_string(r("1.3"), c.not_arising, "x").unwrap();
        // Points above the maximum, and a percent above 100.
        ws.write_number(r("1.2"), c.points, 2).unwrap();
        ws.write_number(r("3.2.1"), c.input, 101).unwrap();
        // Only a denominator.
        let ratio = layout.detail_row(id("2.1"), parindex_forms::layout::RowKind::Denominator).unwrap().row;
        ws.write_number(ratio, c.input, 4).unwrap();
    });
    let p = problems(ctx.import(bytes, &ImportOptions::default()));
    let cell = |col: &str, row: u32| format!("'Tự đánh giá'!{col}{}", row + 1);
    assert_eq!(at(&p, &cell("E", numerator)).code, Code::RatioOverOne);
    assert_eq!(at(&p, &cell("G", r("1.3"))).code, Code::NotArisingForbidden);
    assert_eq!(at(&p, &cell("F", r("1.2"))).code, Code::PointsOverMax);
    assert_eq!(at(&p, &cell("E", r("3.2.1"))).code, Code::InputType);
    let missing = at(&p, &cell("E", r("2.1") + 1));
    assert!(missing.message.contains("the numerator (tử số) is empty"), "{}", missing.message);
    assert_eq!(p.len(), 5, "{}", p.render_text());
    assert!(p.errors.iter().all(|x| x.file.as_deref() == Some("form.xlsx")));
}

#[test]
fn a_file_that_is_not_a_form_is_refused() {
    let ctx = Ctx::new("so-noi-vu");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "Phiếu tự chấm").unwrap();
    let p = problems(ctx.import(wb.save_to_buffer().unwrap(), &ImportOptions::default()));
    assert!(p.errors[0].message.contains("not a parindex form"), "{}", p.render_text());
    // A problem of the whole workbook names no cell: its pointer is the whole document.
    assert!(p.render_text().starts_with("form.xlsx:/ [input_type]: this workbook is not a parindex form"));
    assert!(p.render_json().contains("\"path\": \"\""));
    // Not a zip archive at all: invalid input (exit 1), said in Vietnamese and English.
    let p = problems(ctx.import(b"not a zip".to_vec(), &ImportOptions::default()));
    assert!(p.errors[0].message.contains("không phải là sổ tính Excel .xlsx"), "{}", p.render_text());
    assert!(p.errors[0].message.contains("form.xlsx is not a usable .xlsx workbook"), "{}", p.render_text());
    // A zip archive that is not a workbook: refused the same way, with what the reader said.
    let mut zipped = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut zipped);
    w.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut w, b"not a workbook").unwrap();
    w.finish().unwrap();
    match ctx.import(zipped.into_inner(), &ImportOptions::default()) {
        Err(e @ Error::NotXlsx { .. }) => {
            let m = e.to_string();
            assert!(m.contains("không phải là sổ tính Excel .xlsx") && m.contains("cannot read form.xlsx"), "{m}");
        }
        other => panic!("{other:?}"),
    }
}
