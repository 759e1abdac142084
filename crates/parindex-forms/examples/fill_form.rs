//! Writes a unit's form filled with a stage of its assessment in the round folder, as an
//! officer would have typed it: `fill_form ROUND_DIR UNIT OUT.xlsx [STAGE]` (STAGE 0, the
//! default, is the self-assessment). Used by `scripts/check-form-libreoffice.sh`.

use std::path::Path;
use std::process::ExitCode;

use parindex_assess::Assessment;
use parindex_forms::layout::{COL_STAGE_VALUE, Layout, ROW_FINAL, SheetKind, YES};
use parindex_forms::{FormContext, build_workbook};
use parindex_rank::RoundFiles;
use serde_json::Value;

fn run(args: &[String]) -> Result<(), String> {
    let [dir, unit_id, out, rest @ ..] = args else {
        return Err("usage: fill_form ROUND_DIR UNIT OUT.xlsx [STAGE]".to_owned());
    };
    let stage: u32 = rest.first().map_or(Ok(0), |s| s.parse()).map_err(|e| format!("STAGE: {e}"))?;
    let kind = SheetKind::from_stage(stage);
    let files = RoundFiles::load(Path::new(dir)).map_err(|e| e.to_string())?;
    let (unit, block) = files.unit(unit_id).ok_or("no such unit")?;
    let set = files.criteria_set(block).map_err(|e| e.to_string())?;
    let file = files.find_assessment(unit_id).ok_or("the unit has no assessment")?;
    let (entries, base, is_final) = match kind {
        SheetKind::SelfAssessment => (file.doc.pointer("/self/entries").cloned(), None, false),
        SheetKind::Appraisal(n) => {
            let all = file.doc.get("appraisals").and_then(Value::as_array).cloned().unwrap_or_default();
            let number = |a: &Value| a.get("stage").and_then(Value::as_u64);
            let stage = all.iter().find(|a| number(a) == Some(u64::from(n))).ok_or("no such stage")?;
            let mut earlier = file.doc.clone();
            let before: Vec<Value> = all.iter().filter(|a| number(a) < Some(u64::from(n))).cloned().collect();
            if let Some(doc) = earlier.as_object_mut() {
                doc.insert("appraisals".to_owned(), Value::Array(before));
            }
            let model = Assessment::from_document(&parindex_json::Value::from(&earlier), &set, &block.class_labels())
                .map_err(|e| e.to_string())?;
            let is_final = stage.get("final") == Some(&Value::Bool(true));
            (stage.get("entries").cloned(), Some(model), is_final)
        }
    };
    let ctx = FormContext { round: &files.round, unit, set: &set, kind, base: base.as_ref() };
    let mut workbook = build_workbook(&ctx).map_err(|e| e.to_string())?;
    let sheet = workbook.worksheet_from_name(&kind.sheet_name()).map_err(|e| e.to_string())?;
    let layout = Layout::new(&set, &unit.tags, kind);
    let entries = entries.and_then(|e| e.as_object().cloned()).unwrap_or_default();
    parindex_forms::fill_entries(sheet, &layout, &set, &entries).map_err(|e| e.to_string())?;
    if is_final {
        sheet.write_string(ROW_FINAL, COL_STAGE_VALUE, YES).map_err(|e| e.to_string())?;
    }
    workbook.save(out).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fill_form: {e}");
            ExitCode::from(2)
        }
    }
}
