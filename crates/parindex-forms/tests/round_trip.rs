//! Round trip: write a unit's form, fill it as an officer would, import it, and get back
//! exactly the stage that was filled — for every unit of the Đồng Tháp 2023 fixture, its
//! self-assessment and each of its appraisal stages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{Ctx, fill_entries, fixture_doc, fixture_units, normalized, scratch};
use parindex_forms::ImportOptions;
use parindex_forms::layout::SheetKind;
use serde_json::{Map, Value, json};

#[test]
fn every_self_assessment_of_the_fixture_comes_back_exactly() {
    for unit in fixture_units() {
        let ctx = Ctx::new(&unit);
        let doc = fixture_doc(&unit);
        let entries = doc["self"]["entries"].as_object().unwrap();
        let layout = ctx.layout(SheetKind::SelfAssessment);
        let bytes =
            ctx.filled(SheetKind::SelfAssessment, None, |ws, layout, set| fill_entries(ws, layout, set, entries));
        let submitted_at = doc["self"]["submitted_at"].as_str().unwrap().to_owned();
        let options = ImportOptions { submitted_at: Some(submitted_at.clone()), ..ImportOptions::default() };
        let imported = ctx.import(bytes, &options).unwrap_or_else(|e| panic!("{unit}: {e:?}"));
        let expected = json!({
            "format": "parindex/assessment@1",
            "unit": unit,
            "self": { "submitted_at": submitted_at, "entries": normalized(entries, &ctx.set, &layout) }
        });
        assert_eq!(imported.document, expected, "{unit}");
        assert_eq!(imported.entries, expected["self"]["entries"].as_object().unwrap().len());
    }
}

#[test]
fn every_appraisal_stage_of_the_fixture_comes_back_exactly() {
    let dir = scratch("appraisals");
    let mut stages = 0;
    for unit in fixture_units() {
        let ctx = Ctx::new(&unit);
        let doc = fixture_doc(&unit);
        let appraisals = doc["appraisals"].as_array().cloned().unwrap_or_default();
        for (i, appraisal) in appraisals.iter().enumerate() {
            let stage = u32::try_from(appraisal["stage"].as_u64().unwrap()).unwrap();
            let kind = SheetKind::Appraisal(stage);
            // The unit's assessment as it stood before this stage.
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
                    ws.write_string(parindex_forms::layout::ROW_FINAL, parindex_forms::layout::COL_STAGE_VALUE, "Có")
                        .unwrap();
                }
            });
            let options = ImportOptions { out: Some(out), ..ImportOptions::default() };
            let imported = ctx.import(bytes, &options).unwrap_or_else(|e| panic!("{unit} stage {stage}: {e:?}"));
            let mut expected_stage = Map::new();
            expected_stage.insert("stage".into(), json!(stage));
            if is_final {
                expected_stage.insert("final".into(), json!(true));
            }
            expected_stage.insert("entries".into(), Value::Object(normalized(entries, &ctx.set, &layout)));
            let mut expected = base.clone();
            expected["appraisals"].as_array_mut().unwrap().push(Value::Object(expected_stage));
            assert_eq!(imported.document, expected, "{unit} stage {stage}");
            stages += 1;
        }
    }
    assert!(stages > 40, "only {stages} appraisal stages were tried");
}
