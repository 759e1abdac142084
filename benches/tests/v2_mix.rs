//! The generator's `v2` mix (issue #12, "Speed"): its round loads without a problem, scores,
//! and exercises the SPEC §11 features it claims to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex::Decimal;
use parindex_benches::workload::{Mix, Spec, write_round};
use serde_json::Value;

fn generated(units: usize) -> (std::path::PathBuf, Value) {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("v2-mix-{units}"));
    let _ = std::fs::remove_dir_all(&dir);
    let spec = Spec { units, mix: Mix::V2, ..Spec::province(7) };
    let summary = write_round(&dir, &spec).expect("the round is written");
    assert_eq!(summary.files, 3 + units);
    assert_eq!(summary.leaves, 125);
    let results = parindex::score_folder(&dir).unwrap_or_else(|e| panic!("the v2 round scores without problems: {e}"));
    let doc: Value = serde_json::from_str(&results.to_json_pretty()).expect("results are JSON");
    (dir, doc)
}

fn units(doc: &Value) -> Vec<&Value> {
    doc["blocks"].as_array().into_iter().flatten().flat_map(|b| b["units"].as_array().into_iter().flatten()).collect()
}

fn node<'a>(unit: &'a Value, code: &str) -> &'a Value {
    unit["nodes"].as_array().and_then(|n| n.iter().find(|r| r["code"] == code)).unwrap_or(&Value::Null)
}

/// Whether a figure of the results (a decimal string) is above 0.
fn positive(v: &Value) -> bool {
    v.as_str().and_then(|s| s.parse::<Decimal>().ok()).is_some_and(|d| d > Decimal::ZERO)
}

/// Every leaf of a criteria set's node list, depth first.
fn leaves<'a>(nodes: &'a Value, out: &mut Vec<&'a Value>) {
    for n in nodes.as_array().into_iter().flatten() {
        if n.get("children").is_some() {
            leaves(&n["children"], out);
        } else {
            out.push(n);
        }
    }
}

#[test]
fn the_v2_mix_validates_scores_and_uses_every_section_11_feature() {
    let (dir, doc) = generated(40);
    let set: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("criteria/so.json")).expect("the set")).expect("JSON");
    assert_eq!(set["format"], "parindex/criteria-set@2");
    let text = serde_json::to_string(&set).expect("text");
    for feature in [
        r#""counts":"bonus""#,
        r#""counts":"penalty""#,
        r#""kind":"per_item""#,
        r#""refs":"#,
        r#""source":"derived""#,
        r#""groups":"#,
        r#""zero_below":"#,
        r#""full_from":"#,
        r#""evidence":"required""#,
        r#""source":"appraisal""#,
    ] {
        assert!(text.contains(feature), "the set has {feature}");
    }

    let rows = units(&doc);
    assert_eq!(rows.len(), 40);
    // Bonus and penalty nodes are rows, and some units' bonus and penalty come from them.
    assert!(rows.iter().any(|u| positive(&node(u, "9")["points"])), "some unit has bonus points from node 9");
    assert!(rows.iter().any(|u| positive(&node(u, "10")["points"])), "some unit has penalty points from node 10");
    assert!(rows.iter().any(|u| positive(&u["penalty"])), "some unit has a penalty");
    // Derived items are computed (nobody entered them) and count in the unit's totals.
    assert!(rows.iter().all(|u| !node(u, "1.3.1").is_null()), "every unit has the derived item's row");
    assert!(rows.iter().any(|u| positive(&node(u, "1.3.1")["points"])), "the derived item scores for some unit");
    // A council-only item has no self points.
    let mut all = Vec::new();
    leaves(&set["nodes"], &mut all);
    let council: Vec<&str> =
        all.iter().filter(|l| l["source"] == "appraisal").filter_map(|l| l["code"].as_str()).collect();
    assert!(!council.is_empty(), "the set has council-only items");
    for code in council {
        assert!(rows.iter().all(|u| node(u, code).get("self").is_none()), "{code} carries no self points");
        assert!(rows.iter().any(|u| node(u, code).get("points").is_some()), "{code} is scored by the council");
    }
    // Evidence required: a self entry without evidence gets no_evidence somewhere.
    let findings = serde_json::to_string(&rows).expect("text");
    assert!(findings.contains("no_evidence"), "some unit lost points for want of evidence");
    std::fs::remove_dir_all(&dir).expect("clean up");
}
