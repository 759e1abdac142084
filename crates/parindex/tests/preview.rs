//! Live preview ([`Preview`]): one unit scored against a round opened once gives the row the
//! whole round's results hold for it (rank aside), and bad input is a typed error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use parindex::{Code, Error, Preview, RoundFolder, score_round};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

#[test]
fn every_fixture_unit_previews_as_its_results_row() {
    let mut checked = 0;
    for name in ["dong-thap-2023", "huyen-cao-lanh-2023", "ministries-2023"] {
        let dir = fixture(name);
        let folder = RoundFolder::load(&dir).unwrap();
        let results = score_round(&folder);
        let preview = Preview::new(folder);
        assert_eq!(preview.round().id, results.round);
        for entry in std::fs::read_dir(dir.join("assessments")).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let row = preview.score_unit(&text).unwrap();
            let mut expected =
                results.blocks.iter().flat_map(|b| &b.units).find(|r| r.unit == row.unit).unwrap().clone();
            expected.rank = None;
            assert_eq!(row, expected, "{name}: {}", row.unit);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} assessments previewed");
}

fn dong_thap() -> Preview {
    Preview::new(RoundFolder::load(&fixture("dong-thap-2023")).unwrap())
}

fn invalid(result: Result<parindex::UnitRow, Error>) -> Vec<(Code, String)> {
    match result {
        Err(Error::Invalid(d)) => d.errors.into_iter().map(|e| (e.code, e.path)).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn text_that_is_not_json_is_input_type_at_the_root() {
    assert_eq!(invalid(dong_thap().score_unit("{\"unit\": ")), vec![(Code::InputType, String::new())]);
}

#[test]
fn a_unit_missing_or_not_in_the_round_is_unknown_unit() {
    let p = dong_thap();
    assert_eq!(invalid(p.score_unit("{}")), vec![(Code::UnknownUnit, "/unit".to_owned())]);
    let text = r#"{"format": "parindex/assessment@1", "unit": "so-khong-co"}"#;
    match p.score_unit(text) {
        Err(Error::Invalid(d)) => {
            assert_eq!(d.errors.len(), 1);
            assert!(d.errors[0].message.contains("'so-khong-co' is not a unit of the round 'dong-thap-2023'"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_assessment_its_set_rejects_lists_its_problems() {
    let text = std::fs::read_to_string(fixture("dong-thap-2023/assessments/so-tai-chinh.json")).unwrap();
    let broken = text.replacen("\"format\": \"parindex/assessment@1\"", "\"format\": \"parindex/assessment@9\"", 1);
    assert_ne!(broken, text, "the fixture's format line moved");
    let problems = invalid(dong_thap().score_unit(&broken));
    assert_eq!(problems, vec![(Code::InputType, "/format".to_owned())]);
}
