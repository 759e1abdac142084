//! Forms that compute (issue #14 item 6): filled workbooks are recalculated by LibreOffice
//! (headless) and every live points cell — "Điểm tính theo kết quả" on self-assessment
//! sheets, "Điểm sau thẩm định" on appraisal sheets — and the total are compared with the
//! engine's points at that stage. Covers every rule kind on a form: the Đồng Tháp 2023
//! fixture (v1: bands over percent, ratio and count, proportional, deduction, deadline,
//! options, yes/no, manual, formulas with choices) and the 2025 one (v2: per_item, refs,
//! derived items, required evidence, council-only items, bonus and penalty items).
//!
//! Needs LibreOffice (`soffice`; Debian: `apt-get install libreoffice-calc-nogui`); CI
//! installs it (.ci/run, step "#14 forms recalculation") and sets
//! `PARINDEX_REQUIRE_PRINT_TOOLS=1`, with which a missing `soffice` fails the test. Without
//! that variable (a machine with only Rust, running the README's test command) the check is
//! skipped and says so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{Ctx, fill_entries, scratch};
use parindex_assess::{StageLabel, UnitContext, explain_unit};
use parindex_core::Decimal;
use parindex_forms::layout::{COL_STAGE_VALUE, Layout, ROW_FINAL, Row, RowKind, SheetKind};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// One filled sheet and what the engine says each leaf is worth at its stage.
struct Case {
    name: String,
    kind: SheetKind,
    layout: Layout,
    /// Per node index: the engine's points at the sheet's stage (`None`: none, or excluded).
    engine: Vec<Option<Decimal>>,
}

fn engine_points(ctx: &Ctx, doc: &Value, kind: SheetKind) -> Vec<Option<Decimal>> {
    let a = ctx.assessment(doc);
    let uc = UnitContext { unit: &ctx.unit.id, tags: &ctx.unit.tags, survey_held: false, self_deadline: None };
    let (_, explanation) = explain_unit(&ctx.set, &uc, Some(&a));
    let label = match kind {
        SheetKind::SelfAssessment => StageLabel::SelfAssessment,
        SheetKind::Appraisal(n) => StageLabel::Appraisal(n),
    };
    explanation
        .leaves
        .iter()
        .map(|l| l.as_ref().and_then(|l| l.stages.iter().find(|t| t.stage == label)).and_then(|t| t.points))
        .collect()
}

/// Fills every stage of `unit` (the self-assessment and each appraisal stage) into its form,
/// writes the workbooks into `dir` and returns the cases.
fn cases_of(round: &Path, unit: &str, dir: &Path) -> Vec<Case> {
    let ctx = Ctx::in_round(round, unit);
    let year = &ctx.files.round.id;
    let path = round.join("assessments").join(format!("{unit}.json"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    // The self stage: the self-assessment alone.
    let mut self_doc = doc.clone();
    self_doc["appraisals"] = Value::Array(vec![]);
    let entries = doc["self"]["entries"].as_object().unwrap().clone();
    let bytes = ctx.filled(SheetKind::SelfAssessment, None, |ws, l, set| fill_entries(ws, l, set, &entries));
    let name = format!("{year}-{unit}-0");
    std::fs::write(dir.join(format!("{name}.xlsx")), bytes).unwrap();
    out.push(Case {
        name,
        kind: SheetKind::SelfAssessment,
        layout: ctx.layout(SheetKind::SelfAssessment),
        engine: engine_points(&ctx, &self_doc, SheetKind::SelfAssessment),
    });
    let appraisals = doc["appraisals"].as_array().cloned().unwrap_or_default();
    for (i, appraisal) in appraisals.iter().enumerate() {
        let stage = u32::try_from(appraisal["stage"].as_u64().unwrap()).unwrap();
        let kind = SheetKind::Appraisal(stage);
        let mut base = doc.clone();
        base["appraisals"] = Value::Array(appraisals[..i].to_vec());
        let mut upto = doc.clone();
        upto["appraisals"] = Value::Array(appraisals[..=i].to_vec());
        let model = ctx.assessment(&base);
        let entries = appraisal["entries"].as_object().unwrap().clone();
        let bytes = ctx.filled(kind, Some(&model), |ws, l, set| {
            fill_entries(ws, l, set, &entries);
            ws.write_string(ROW_FINAL, COL_STAGE_VALUE, "Không").unwrap();
        });
        let name = format!("{year}-{unit}-{stage}");
        std::fs::write(dir.join(format!("{name}.xlsx")), bytes).unwrap();
        out.push(Case { name, kind, layout: ctx.layout(kind), engine: engine_points(&ctx, &upto, kind) });
    }
    out
}

/// Recalculates every workbook of `dir` with LibreOffice into `dir/out`.
fn recalculate(dir: &Path, names: &[String]) -> PathBuf {
    let profile = dir.join("profile");
    let user = profile.join("user");
    std::fs::create_dir_all(&user).unwrap();
    // Recalculate OOXML workbooks on load (0 = always): the formulas' cached values are the
    // writer's, not LibreOffice's.
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let out = dir.join("out");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "xlsx", "--outdir"])
        .arg(&out);
    for n in names {
        cmd.arg(dir.join(format!("{n}.xlsx")));
    }
    let status = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run soffice ({e}): install LibreOffice (apt-get install libreoffice-calc-nogui)")
    });
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    out
}

fn value(range: &calamine::Range<Data>, row: u32, col: u16) -> Option<Decimal> {
    match range.get_value((row, u32::from(col))) {
        Some(Data::Float(f)) => Some(f.to_string().parse().unwrap()),
        Some(Data::Int(i)) => Some(Decimal::from(*i)),
        Some(Data::String(s)) if s.is_empty() => None,
        Some(Data::Empty) | None => None,
        Some(other) => panic!("row {} holds {other:?}", row + 1),
    }
}

fn close(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() < Decimal::new(1, 9)
}

/// The engine's sum over a group or total row's leaves on the sheet.
fn expected_sum(layout: &Layout, row: &Row, engine: &[Option<Decimal>]) -> Decimal {
    row.children
        .iter()
        .filter_map(|r| layout.rows.iter().find(|x| x.row == *r))
        .map(|child| match child.kind {
            RowKind::Leaf | RowKind::Derived => {
                child.node.and_then(|n| engine.get(n.0).copied().flatten()).unwrap_or(Decimal::ZERO)
            }
            _ => expected_sum(layout, child, engine),
        })
        .sum()
}

#[test]
fn libreoffice_recalculates_the_live_points_to_the_engines() {
    let has_soffice = Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_soffice {
        assert!(
            std::env::var_os("PARINDEX_REQUIRE_PRINT_TOOLS").is_none(),
            "PARINDEX_REQUIRE_PRINT_TOOLS is set but soffice (LibreOffice) is missing"
        );
        eprintln!("soffice (LibreOffice) missing: the recalculation check is skipped");
        return;
    }
    let dir = scratch("recalc");
    let mut cases = Vec::new();
    let units_2023 = ["so-noi-vu", "so-tai-chinh", "chau-thanh", "tan-hong", "so-y-te", "tp-sa-dec", "so-tu-phap"];
    for unit in units_2023 {
        cases.extend(cases_of(&fixtures().join("dong-thap-2023"), unit, &dir));
    }
    let units_2025 = [
        "so-y-te",
        "so-xay-dung",
        "so-ngoai-vu",
        "so-tu-phap",
        "thanh-tra-tinh",
        "xa-tan-hong",
        "xa-my-hiep",
        "xa-cai-be",
        "xa-lap-vo",
        "phuong-sa-dec",
        "phuong-my-tho",
        "phuong-binh-xuan",
    ];
    for unit in units_2025 {
        cases.extend(cases_of(&fixtures().join("dong-thap-2025"), unit, &dir));
    }
    let names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    let out = recalculate(&dir, &names);
    let (mut leaves, mut totals, mut failures) = (0, 0, Vec::new());
    for case in &cases {
        let bytes = std::fs::read(out.join(format!("{}.xlsx", case.name)))
            .unwrap_or_else(|e| panic!("LibreOffice wrote no {}: {e}", case.name));
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(&case.kind.sheet_name()).unwrap();
        let col = case.layout.columns.after.unwrap();
        for row in &case.layout.rows {
            let got = value(&range, row.row, col);
            match row.kind {
                RowKind::Leaf | RowKind::Derived => {
                    let want = row.node.and_then(|n| case.engine[n.0]);
                    let ok = match (got, want) {
                        (Some(g), Some(w)) => close(g, w),
                        (None, None) => true,
                        _ => false,
                    };
                    if !ok {
                        failures.push(format!(
                            "{} row {} ({}): sheet {got:?}, engine {want:?}",
                            case.name,
                            row.row + 1,
                            row.label
                        ));
                    }
                    leaves += 1;
                }
                RowKind::Total => {
                    let want = expected_sum(&case.layout, row, &case.engine);
                    if !got.is_some_and(|g| close(g, want)) {
                        failures.push(format!("{} total: sheet {got:?}, engine {want}", case.name));
                    }
                    totals += 1;
                }
                _ => {}
            }
        }
    }
    assert!(failures.is_empty(), "{} of {leaves} cells differ:\n{}", failures.len(), failures.join("\n"));
    assert!(leaves > 1500 && totals == cases.len(), "{leaves} leaves, {totals} totals");
}
