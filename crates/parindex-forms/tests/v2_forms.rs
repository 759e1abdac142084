//! Forms for criteria language v2 (SPEC §11), on the Đồng Tháp 2025 fixture: bonus and
//! penalty items are rows with their own subtotals outside the total, derived items are
//! read-only rows that show the engine's value, council-only items are on appraisal sheets
//! only, required evidence is marked, and the fixture's stages round-trip exactly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{Ctx, fill_entries, normalized, scratch};
use parindex_core::{Code, Decimal, Source};
use parindex_forms::layout::{COL_CODE, COL_RULE, COL_STAGE_VALUE, ROW_FINAL, RowKind, SheetKind};
use parindex_forms::{Error, ImportOptions};
use serde_json::{Map, Value, json};

const SELF: SheetKind = SheetKind::SelfAssessment;

fn round_2025() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2025")
}

fn doc_2025(unit: &str) -> Value {
    let text = std::fs::read_to_string(round_2025().join("assessments").join(format!("{unit}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The departments and every third commune: each §11 feature and special case is among them.
fn some_units_2025() -> Vec<String> {
    let special = ["xa-tan-hong", "xa-my-hiep", "xa-cai-be", "phuong-sa-dec", "phuong-my-tho", "xa-thanh-binh"];
    units_2025()
        .into_iter()
        .enumerate()
        .filter(|(i, u)| {
            !u.starts_with("xa-") && !u.starts_with("phuong-") || i % 3 == 0 || special.contains(&u.as_str())
        })
        .map(|(_, u)| u)
        .collect()
}

fn units_2025() -> Vec<String> {
    let mut units: Vec<String> = std::fs::read_dir(round_2025().join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .collect();
    units.sort();
    units
}

/// The main sheet's values and formulas.
struct Sheet {
    values: calamine::Range<Data>,
    formulas: calamine::Range<String>,
}

impl Sheet {
    fn read(bytes: Vec<u8>, kind: SheetKind) -> Sheet {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let values = wb.worksheet_range(&kind.sheet_name()).unwrap();
        let formulas = wb.worksheet_formula(&kind.sheet_name()).unwrap();
        Sheet { values, formulas }
    }

    fn text(&self, row: u32, col: u16) -> String {
        match self.values.get_value((row, u32::from(col))) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(f)) => f.to_string(),
            Some(Data::Int(i)) => i.to_string(),
            _ => String::new(),
        }
    }

    fn number(&self, row: u32, col: u16) -> Option<Decimal> {
        match self.values.get_value((row, u32::from(col))) {
            Some(Data::Float(f)) => Some(f.to_string().parse().unwrap()),
            Some(Data::Int(i)) => Some(Decimal::from(*i)),
            Some(Data::String(s)) if !s.is_empty() => s.parse().ok(),
            _ => None,
        }
    }

    fn formula(&self, row: u32, col: u16) -> String {
        self.formulas.get_value((row, u32::from(col))).cloned().unwrap_or_default()
    }
}

/// The row of `code` in a layout (any kind of row).
fn row_of(ctx: &Ctx, kind: SheetKind, code: &str) -> Option<(u32, RowKind)> {
    let id = ctx.set.find(code).unwrap();
    ctx.layout(kind).rows.iter().find(|r| r.node == Some(id) && r.label == code).map(|r| (r.row, r.kind))
}

#[test]
fn council_only_items_are_on_appraisal_sheets_only() {
    let ctx = Ctx::in_round(&round_2025(), "xa-tan-hong");
    for code in ["4.4", "8.7"] {
        assert_eq!(row_of(&ctx, SELF, code), None, "{code} is on the self-assessment form");
        let (row, kind) = row_of(&ctx, SheetKind::Appraisal(1), code).unwrap();
        assert_eq!(kind, RowKind::Leaf);
        let model = ctx.assessment(&doc_2025("xa-tan-hong"));
        let sheet = Sheet::read(ctx.workbook(SheetKind::Appraisal(1), Some(&model)).save_to_buffer().unwrap(), {
            SheetKind::Appraisal(1)
        });
        assert!(sheet.text(row, COL_RULE).contains("Chỉ Hội đồng thẩm định chấm"), "{}", sheet.text(row, COL_RULE));
    }
    // The department block's council-only items too.
    let so = Ctx::in_round(&round_2025(), "so-noi-vu");
    for code in ["4.3", "8.2.4"] {
        assert_eq!(row_of(&so, SELF, code), None, "{code}");
        assert!(row_of(&so, SheetKind::Appraisal(1), code).is_some(), "{code}");
    }
}

#[test]
fn required_evidence_is_marked_in_the_rule_column() {
    let ctx = Ctx::in_round(&round_2025(), "xa-tan-hong");
    let sheet = Sheet::read(ctx.workbook(SELF, None).save_to_buffer().unwrap(), SELF);
    for code in ["1.1", "3.1", "6.3"] {
        let (row, _) = row_of(&ctx, SELF, code).unwrap();
        assert!(sheet.text(row, COL_RULE).contains("Bắt buộc có tài liệu kiểm chứng"), "{code}");
    }
    let (row, _) = row_of(&ctx, SELF, "2.2").unwrap();
    assert!(!sheet.text(row, COL_RULE).contains("Bắt buộc"), "2.2 does not require evidence");
}

#[test]
fn derived_items_are_read_only_rows_that_show_their_value() {
    let ctx = Ctx::in_round(&round_2025(), "xa-tan-hong");
    let doc = doc_2025("xa-tan-hong");
    let c = ctx.layout(SELF).columns;
    let (row, kind) = row_of(&ctx, SELF, "1.6").unwrap();
    assert_eq!(kind, RowKind::Derived);
    // A blank self form: computed, no value yet.
    let sheet = Sheet::read(ctx.workbook(SELF, None).save_to_buffer().unwrap(), SELF);
    assert_eq!(sheet.text(row, c.input), "Tự động tính");
    assert!(sheet.text(row, COL_RULE).contains("từ điểm của 1.1, 1.2, 1.3"), "{}", sheet.text(row, COL_RULE));
    // Pre-filled from the unit's assessment: the plan (1.1) was not issued at the self stage,
    // so 1.2 and 1.6 are 0 there.
    let model = ctx.assessment(&doc);
    let sheet = Sheet::read(ctx.workbook(SELF, Some(&model)).save_to_buffer().unwrap(), SELF);
    assert_eq!(sheet.number(row, c.points), Some(Decimal::ZERO));

    // Appraisal stage 2: the plan was dated at stage 1, so 1.2 (gated on it) counts there.
    let kind = SheetKind::Appraisal(2);
    let ac = ctx.layout(kind).columns;
    let sheet = Sheet::read(ctx.workbook(kind, Some(&model)).save_to_buffer().unwrap(), kind);
    let (gated, _) = row_of(&ctx, kind, "1.2").unwrap();
    assert!(sheet.number(gated, ac.before_points.unwrap()).unwrap() > Decimal::ZERO);
    let (row, _) = row_of(&ctx, kind, "1.6").unwrap();
    assert_eq!(sheet.text(row, ac.before_input.unwrap()), "Tự động tính");
    assert_eq!(sheet.text(row, ac.input), "Tự động tính");

    // xa-lap-vo: 1.6 is 0.5 at the self stage and 0.48 once appraised.
    let ctx = Ctx::in_round(&round_2025(), "xa-lap-vo");
    let model = ctx.assessment(&doc_2025("xa-lap-vo"));
    let (row, _) = row_of(&ctx, SELF, "1.6").unwrap();
    let sheet = Sheet::read(ctx.workbook(SELF, Some(&model)).save_to_buffer().unwrap(), SELF);
    assert_eq!(sheet.number(row, c.points), Some(Decimal::new(5, 1)));
    let kind = SheetKind::Appraisal(3);
    let sheet = Sheet::read(ctx.workbook(kind, Some(&model)).save_to_buffer().unwrap(), kind);
    let (row, _) = row_of(&ctx, kind, "1.6").unwrap();
    let value = sheet.number(row, ac.before_points.unwrap()).unwrap();
    assert_eq!(value.round_dp(2), Decimal::new(48, 2), "{value}");
    assert_eq!(sheet.number(row, ac.after.unwrap()), Some(value));
}

/// On an appraisal sheet after the unit's last stage, every leaf's "points before" is the
/// engine's final points, as `expected.json` publishes them: refs (1.2 gated on 1.1),
/// derived items, required evidence (so-y-te 1.1.1 is worth 0) and council-only items.
#[test]
fn points_before_a_stage_are_the_engines_for_every_unit() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(round_2025().join("expected.json")).unwrap()).unwrap();
    let rows: Vec<&Value> =
        expected["blocks"].as_array().unwrap().iter().flat_map(|b| b["units"].as_array().unwrap()).collect();
    let mut checked = 0;
    for unit in units_2025() {
        let doc = doc_2025(&unit);
        let stage = u32::try_from(doc["appraisals"].as_array().unwrap().len()).unwrap() + 1;
        let kind = SheetKind::Appraisal(stage);
        let ctx = Ctx::in_round(&round_2025(), &unit);
        let model = ctx.assessment(&doc);
        let sheet = Sheet::read(ctx.workbook(kind, Some(&model)).save_to_buffer().unwrap(), kind);
        let layout = ctx.layout(kind);
        let bp = layout.columns.before_points.unwrap();
        let published = rows.iter().find(|r| r["unit"] == unit.as_str()).unwrap();
        for row in layout.rows.iter().filter(|r| matches!(r.kind, RowKind::Leaf | RowKind::Derived)) {
            let node = published["nodes"].as_array().unwrap().iter().find(|n| n["code"] == row.label.as_str()).unwrap();
            let shown = sheet
                .number(row.row, bp)
                .map(|d| d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
            match (node["points"].as_str(), shown) {
                (Some(p), Some(s)) => assert_eq!(p.parse::<Decimal>().unwrap(), s, "{unit} {}", row.label),
                // No entry at any stage (0 with missing_entry, or a bonus/penalty item) or excluded.
                (Some(p), None) => assert_eq!(p, "0.00", "{unit} {}: blank on the sheet", row.label),
                (None, s) => assert_eq!(s, None, "{unit} {}: excluded", row.label),
            }
            checked += 1;
        }
    }
    assert!(checked > 4000, "{checked}");
}

#[test]
fn bonus_and_penalty_fields_have_their_own_subtotals_outside_the_total() {
    let ctx = Ctx::in_round(&round_2025(), "so-xay-dung");
    for kind in [SELF, SheetKind::Appraisal(1)] {
        let layout = ctx.layout(kind);
        let model = ctx.assessment(&doc_2025("so-xay-dung"));
        let base = (kind != SELF).then_some(&model);
        let sheet = Sheet::read(ctx.workbook(kind, base).save_to_buffer().unwrap(), kind);
        let (bonus, _) = row_of(&ctx, kind, "9").unwrap();
        let (penalty, _) = row_of(&ctx, kind, "10").unwrap();
        for code in ["9.1", "9.2", "9.3", "10.1", "10.2", "10.3"] {
            assert_eq!(row_of(&ctx, kind, code).map(|r| r.1), Some(RowKind::Leaf), "{code} on {kind:?}");
        }
        let total = layout.total_row();
        let total_row = layout.rows.last().unwrap();
        assert!(!total_row.children.contains(&bonus) && !total_row.children.contains(&penalty));
        assert_eq!(total_row.children.len(), 8, "the eight score fields");
        let col = layout.columns.after.unwrap_or(layout.columns.points);
        let sum = sheet.formula(total, col);
        let b = format!("{}{}", parindex_forms::layout::column_name(col), bonus + 1);
        assert!(sum.starts_with("SUM(") && !sum.contains(&b), "{sum}");
        assert!(sheet.text(total, 1).contains("điểm thưởng và điểm trừ"));
        assert!(sheet.text(bonus, COL_RULE).starts_with("Điểm thưởng"), "{}", sheet.text(bonus, COL_RULE));
        assert!(sheet.text(penalty, COL_RULE).starts_with("Điểm trừ"), "{}", sheet.text(penalty, COL_RULE));
        assert!(sheet.text(penalty, COL_RULE).contains("tối đa 3 điểm"));
        // The penalty field's own subtotal sums its items.
        let (first, _) = row_of(&ctx, kind, "10.1").unwrap();
        assert!(sheet.formula(penalty, col).contains(&format!(
            "{}{}",
            parindex_forms::layout::column_name(col),
            first + 1
        )));
        assert_eq!(sheet.text(bonus, COL_CODE), "9");
    }
}

#[test]
fn a_value_typed_into_a_derived_row_is_derived_entry_at_its_cell() {
    let ctx = Ctx::in_round(&round_2025(), "xa-tan-hong");
    let (row, _) = row_of(&ctx, SELF, "1.6").unwrap();
    let c = ctx.layout(SELF).columns;
    let bytes = ctx.filled(SELF, None, |ws, _, _| {
        ws.write_number(row, c.input, 0.5).unwrap();
        ws.write_string(row, c.note, "tự tính").unwrap();
    });
    let p = match ctx.import(bytes, &ImportOptions::default()) {
        Err(Error::Invalid(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    };
    let cells: Vec<(Code, String)> = p.errors.iter().map(|d| (d.code, d.cell.clone().unwrap_or_default())).collect();
    let input = parindex_forms::layout::sheet_cell("Tự đánh giá", row, c.input);
    let note = parindex_forms::layout::sheet_cell("Tự đánh giá", row, c.note);
    assert_eq!(cells, [(Code::DerivedEntry, input), (Code::DerivedEntry, note)], "{}", p.render_text());
    assert!(p.errors.iter().all(|d| d.criterion.as_deref() == Some("1.6")));
}

#[test]
fn self_assessments_of_the_2025_fixture_come_back_exactly() {
    for unit in some_units_2025() {
        let ctx = Ctx::in_round(&round_2025(), &unit);
        let doc = doc_2025(&unit);
        let entries = doc["self"]["entries"].as_object().unwrap();
        let layout = ctx.layout(SELF);
        let bytes = ctx.filled(SELF, None, |ws, layout, set| fill_entries(ws, layout, set, entries));
        let submitted_at = doc["self"]["submitted_at"].as_str().unwrap().to_owned();
        let options = ImportOptions { submitted_at: Some(submitted_at.clone()), ..ImportOptions::default() };
        let imported = ctx.import(bytes, &options).unwrap_or_else(|e| panic!("{unit}: {e:?}"));
        let back = normalized(entries, &ctx.set, &layout);
        // Every self entry is on the form: none is for a council-only or derived item.
        assert_eq!(back.len(), entries.len(), "{unit}");
        let expected = json!({
            "format": "parindex/assessment@1",
            "unit": unit,
            "self": { "submitted_at": submitted_at, "entries": back }
        });
        assert_eq!(imported.document["self"], expected["self"], "{unit}");
    }
}

#[test]
fn appraisal_stages_of_the_2025_fixture_come_back_exactly() {
    let dir = scratch("appraisals-2025");
    let (mut stages, mut council, mut penalties) = (0, 0, 0);
    for unit in some_units_2025() {
        let ctx = Ctx::in_round(&round_2025(), &unit);
        let doc = doc_2025(&unit);
        let appraisals = doc["appraisals"].as_array().cloned().unwrap_or_default();
        for (i, appraisal) in appraisals.iter().enumerate() {
            let stage = u32::try_from(appraisal["stage"].as_u64().unwrap()).unwrap();
            let kind = SheetKind::Appraisal(stage);
            let mut base = doc.clone();
            base["appraisals"] = Value::Array(appraisals[..i].to_vec());
            let out = dir.join(format!("{unit}.json"));
            std::fs::write(&out, serde_json::to_string_pretty(&base).unwrap()).unwrap();
            let model = ctx.assessment(&base);
            let entries = appraisal["entries"].as_object().unwrap();
            let layout = ctx.layout(kind);
            let is_final = appraisal.get("final") == Some(&Value::Bool(true));
            let bytes = ctx.filled(kind, Some(&model), |ws, layout, set| {
                fill_entries(ws, layout, set, entries);
                if is_final {
                    ws.write_string(ROW_FINAL, COL_STAGE_VALUE, "Có").unwrap();
                }
            });
            let options = ImportOptions { out: Some(out), ..ImportOptions::default() };
            let imported = ctx.import(bytes, &options).unwrap_or_else(|e| panic!("{unit} stage {stage}: {e:?}"));
            let back = normalized(entries, &ctx.set, &layout);
            assert_eq!(back.len(), entries.len(), "{unit} stage {stage}: an entry is not on the sheet");
            let mut expected_stage = Map::new();
            expected_stage.insert("stage".into(), json!(stage));
            if is_final {
                expected_stage.insert("final".into(), json!(true));
            }
            expected_stage.insert("entries".into(), Value::Object(back));
            let mut expected = base.clone();
            expected["appraisals"].as_array_mut().unwrap().push(Value::Object(expected_stage));
            assert_eq!(imported.document, expected, "{unit} stage {stage}");
            stages += 1;
            let source = |k: &String| ctx.set.node(ctx.set.find(k).unwrap()).unwrap().leaf().unwrap().source;
            council += entries.keys().filter(|k| source(k) == Source::Appraisal).count();
            penalties += entries.keys().filter(|k| k.starts_with("10.")).count();
        }
    }
    assert!(
        stages > 80 && council > 40 && penalties > 5,
        "{stages} stages, {council} council-only, {penalties} penalties"
    );
}
