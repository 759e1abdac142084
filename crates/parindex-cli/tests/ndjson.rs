//! `parindex score --format ndjson`: every unit line is the results document's row, and the
//! ranking lines follow the document (docs/results-ndjson.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn score(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_parindex")).arg("score").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name).to_string_lossy().into_owned()
}

/// Checks the ndjson lines against the pretty document, line by line.
fn same_results(pretty: &str, ndjson: &str) {
    let doc: Value = serde_json::from_str(pretty).unwrap();
    let blocks = doc["blocks"].as_array().unwrap();
    let rows: Vec<&Value> = blocks.iter().flat_map(|b| b["units"].as_array().unwrap()).collect();
    assert!(ndjson.ends_with('\n'));
    let lines: Vec<&str> = ndjson.lines().collect();
    assert_eq!(lines.len(), rows.len() + blocks.len());
    for (line, row) in lines.iter().zip(&rows) {
        assert!(!line.contains('\n'));
        let parsed: Value = serde_json::from_str(line).unwrap();
        assert_eq!(&&parsed, row);
        // Compact: the row as serde_json writes it without the pretty printer's whitespace.
        assert_eq!(*line, serde_json::to_string(row).unwrap());
    }
    for (line, block) in lines[rows.len()..].iter().zip(blocks) {
        let ranking: Value = serde_json::from_str(line).unwrap();
        assert_eq!(ranking["block"], block["id"]);
        let expected: Vec<Value> = block["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| serde_json::json!({ "unit": u["unit"], "rank": u["rank"] }))
            .collect();
        assert_eq!(ranking["ranking"], Value::Array(expected));
        assert_eq!(ranking.as_object().unwrap().len(), 2);
    }
}

#[test]
fn every_unit_line_is_the_documents_row_and_rankings_follow() {
    for name in ["dong-thap-2023", "huyen-cao-lanh-2023", "ministries-2023"] {
        let dir = fixture(name);
        same_results(&score(&[&dir]), &score(&[&dir, "--format", "ndjson"]));
        same_results(&score(&[&dir, "--explain"]), &score(&[&dir, "--explain", "--format", "ndjson"]));
    }
}
