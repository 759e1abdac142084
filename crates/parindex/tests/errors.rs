//! The facade's typed errors: an integrator can branch on what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use parindex::{Code, Error, RoundFolder, explain_text, score_folder, validate_path, verify};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

fn dong_thap() -> RoundFolder {
    RoundFolder::load(&fixture("dong-thap-2023")).unwrap()
}

#[test]
fn an_unknown_unit_is_unknown_unit() {
    match explain_text(&dong_thap(), "so-khong-co", None) {
        Err(e @ Error::UnknownUnit { .. }) => {
            let Error::UnknownUnit { ref round, ref unit, ref units } = e else { unreachable!() };
            assert_eq!((round.as_str(), unit.as_str()), ("dong-thap-2023", "so-khong-co"));
            assert!(units.iter().any(|u| u == "so-tai-chinh"));
            assert!(e.to_string().starts_with("the round 'dong-thap-2023' has no unit 'so-khong-co'; its units are: "));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_criterion_is_unknown_criterion() {
    match explain_text(&dong_thap(), "so-tai-chinh", Some("9.9.9")) {
        Err(Error::UnknownCriterion { criterion, .. }) => assert_eq!(criterion, "9.9.9"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_folder_is_not_a_folder() {
    let missing = fixture("no-such-round");
    match score_folder(&missing) {
        Err(Error::NotAFolder { path, source }) => {
            assert_eq!(path, missing);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(verify(&missing, "{}"), Err(Error::MalformedResults(_))));
    let results = std::fs::read_to_string(fixture("dong-thap-2023/expected.json")).unwrap();
    assert!(matches!(verify(&missing, &results), Err(Error::NotAFolder { .. })));
}

#[test]
fn a_missing_file_is_io() {
    let missing = fixture("dong-thap-2023/criteria/no-such-set.json");
    match validate_path(&missing, None) {
        Err(e @ Error::Io { .. }) => {
            assert!(e.to_string().starts_with(&format!("cannot read {}: ", missing.display())), "{e}");
            assert!(std::error::Error::source(&e).is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_input_is_invalid_with_every_problem() {
    let dir = std::env::temp_dir().join(format!("parindex-errors-invalid-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("round.json"), "{ \"format\": \"parindex/round@1\" ").unwrap();
    match score_folder(&dir) {
        Err(Error::Invalid(problems)) => {
            assert_eq!(problems.errors[0].code, Code::InputType);
            assert_eq!(problems.errors[0].file.as_deref(), Some("round.json"));
        }
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
