//! The C ABI called as a C host would: every fixture, every kind of bad input, several
//! threads at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::path::{Path, PathBuf};

use parindex_ffi::c_api::*;
use serde_json::Value;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("round.json").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3);
    dirs
}

/// A result's envelope (parsed), its value text and status; frees it.
fn take(mut r: ParindexResult) -> (i32, Value, String) {
    assert!(!r.json.is_null());
    // SAFETY: the library's buffer, json_len bytes long plus a NUL.
    let bytes = unsafe { std::slice::from_raw_parts(r.json, r.json_len + 1) };
    assert_eq!(bytes[r.json_len], 0, "a NUL follows the envelope");
    let text = std::str::from_utf8(&bytes[..r.json_len]).unwrap().to_owned();
    let value = text[r.value_offset..r.value_offset + r.value_len].to_owned();
    let status = r.status;
    // SAFETY: a result from the library; freed once, then again to check the second is a no-op.
    unsafe {
        parindex_result_free(&mut r);
        parindex_result_free(&mut r);
        parindex_result_free(std::ptr::null_mut());
    }
    assert!(r.json.is_null());
    (status, serde_json::from_str(&text).unwrap(), value)
}

fn s(text: &str) -> (*const u8, usize) {
    (text.as_ptr(), text.len())
}

/// The round folder `dir` as a round bundle text.
fn bundle_of(dir: &Path) -> String {
    let mut files = serde_json::Map::new();
    let round: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("round.json")).unwrap()).unwrap();
    for block in round["blocks"].as_array().unwrap() {
        let p = block["criteria_set"].as_str().unwrap();
        files.insert(p.into(), serde_json::from_str(&std::fs::read_to_string(dir.join(p)).unwrap()).unwrap());
    }
    files.insert("round.json".into(), round);
    for e in std::fs::read_dir(dir.join("assessments")).unwrap().flatten() {
        let name = format!("assessments/{}", e.file_name().to_string_lossy());
        files.insert(name, serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap());
    }
    serde_json::json!({"format": "parindex/round-bundle@1", "files": files}).to_string()
}

#[test]
fn every_fixture_scores_as_the_facade_does() {
    for dir in fixtures() {
        let path = dir.to_str().unwrap();
        let (p, n) = s(path);
        // SAFETY: a live &str.
        let (status, env, value) = take(unsafe { parindex_score_path(p, n) });
        assert_eq!(status, 0, "{path}: {env}");
        assert_eq!(env["ok"], true);
        assert_eq!(value, parindex::score_folder(&dir).unwrap().to_json_pretty(), "{path}");
        assert_eq!(serde_json::from_str::<Value>(&value).unwrap(), env["results"]);

        let bundle = bundle_of(&dir);
        let (p, n) = s(&bundle);
        // SAFETY: a live &str.
        let (status, _, value) = take(unsafe { parindex_score_bundle(p, n) });
        assert_eq!(status, 0);
        let folder = parindex::RoundFolder::from_bundle(&bundle).unwrap();
        assert_eq!(value, parindex::score_round(&folder).to_json_pretty());

        // SAFETY: a live &str, NULL round_dir.
        let (status, env, _) = take(unsafe { parindex_validate_path(p_of(path), path.len(), std::ptr::null(), 0) });
        assert_eq!(status, 0);
        assert_eq!(env["valid"]["kind"], "round_folder");
        // SAFETY: a live &str.
        let (status, env, _) = take(unsafe { parindex_validate_bundle(p, n) });
        assert_eq!((status, env["valid"]["kind"].as_str()), (0, Some("round_folder")));
    }
}

fn p_of(s: &str) -> *const u8 {
    s.as_ptr()
}

#[test]
fn score_unit_gives_each_row_of_the_whole_round() {
    for dir in fixtures() {
        let path = dir.to_str().unwrap();
        let mut handle = 0u64;
        // SAFETY: a live &str and a live u64.
        let (status, env, _) = take(unsafe { parindex_round_open_path(path.as_ptr(), path.len(), &mut handle) });
        assert_eq!(status, 0, "{env}");
        assert_ne!(handle, 0);
        let rows = parindex_ffi::rows_for_test(&dir).unwrap();
        assert!(!rows.is_empty());
        for (assessment, row) in rows {
            // SAFETY: a live &str.
            let (status, env, value) =
                take(unsafe { parindex_round_score_unit(handle, assessment.as_ptr(), assessment.len()) });
            assert_eq!(status, 0, "{env}");
            assert_eq!(value, row);
        }
        let (status, _, _) = take(parindex_round_close(handle));
        assert_eq!(status, 0);
        // Closed: detected, not dereferenced.
        let a = "{}";
        // SAFETY: a live &str.
        let (status, env, _) = take(unsafe { parindex_round_score_unit(handle, a.as_ptr(), a.len()) });
        assert_eq!(status, 4);
        assert_eq!(env["errors"][0]["code"], "bad_handle");
        let (status, _, _) = take(parindex_round_close(handle));
        assert_eq!(status, 4);
    }
}

#[test]
fn explain_prints_what_the_facade_prints() {
    let dir = &fixtures()[0];
    let folder = parindex::RoundFolder::load(dir).unwrap();
    let unit = folder.round.units[0].id.clone();
    let path = dir.to_str().unwrap();
    // SAFETY: live &strs, NULL criterion.
    let (status, env, _) = take(unsafe {
        parindex_explain_path(path.as_ptr(), path.len(), unit.as_ptr(), unit.len(), std::ptr::null(), 0)
    });
    assert_eq!(status, 0);
    assert_eq!(env["text"].as_str().unwrap(), parindex::explain_text(&folder, &unit, None).unwrap());
    let nobody = "no-such-unit";
    // SAFETY: live &strs.
    let (status, env, _) = take(unsafe {
        parindex_explain_path(path.as_ptr(), path.len(), nobody.as_ptr(), nobody.len(), std::ptr::null(), 0)
    });
    assert_eq!(status, 2, "{env}");
    assert_eq!(env["status"], "usage");
}

#[test]
fn bad_input_is_an_error_result_never_a_crash() {
    let check = |r: ParindexResult, want: i32, code: &str| {
        let (status, env, errors) = take(r);
        assert_eq!(status, want, "{env}");
        assert_eq!(env["ok"], false);
        assert_eq!(env["errors"][0]["code"], code, "{env}");
        assert!(errors.starts_with('['));
    };
    // SAFETY (every call below): pointers are NULL or live buffers of the given length.
    unsafe {
        // NULL pointers.
        check(parindex_score_bundle(std::ptr::null(), 5), 3, "bad_argument");
        check(parindex_score_path(std::ptr::null(), 0), 3, "bad_argument");
        let mut h = 7u64;
        check(parindex_round_open_bundle(std::ptr::null(), 0, &mut h), 3, "bad_argument");
        assert_eq!(h, 0);
        let b = "{}";
        check(parindex_round_open_bundle(b.as_ptr(), b.len(), std::ptr::null_mut()), 3, "bad_argument");
        // Invalid UTF-8.
        let bad = [b'{', 0xff, 0xfe, b'}'];
        check(parindex_score_bundle(bad.as_ptr(), bad.len()), 3, "bad_argument");
        check(parindex_score_path(bad.as_ptr(), bad.len()), 3, "bad_argument");
        // A NUL inside: in a path, refused; in a document, invalid JSON.
        let nul = "fixtures\0/x";
        check(parindex_score_path(nul.as_ptr(), nul.len()), 3, "bad_argument");
        let nul = "{\"format\":\0}";
        check(parindex_score_bundle(nul.as_ptr(), nul.len()), 1, "input_type");
        // Not a round.
        let other = "{\"format\": \"parindex/results@1\"}";
        check(parindex_score_bundle(other.as_ptr(), other.len()), 1, "input_type");
        let missing = "/no/such/folder";
        check(parindex_score_path(missing.as_ptr(), missing.len()), 2, "usage");
        // Foreign handles.
        for h in [0u64, 1, 0xdead_beef, u64::MAX, (&h as *const u64) as u64] {
            check(parindex_round_score_unit(h, b.as_ptr(), b.len()), 4, "bad_handle");
            check(parindex_round_close(h), 4, "bad_handle");
        }
        // Deep nesting and a huge document.
        let deep = "[".repeat(100_000);
        check(parindex_score_bundle(deep.as_ptr(), deep.len()), 1, "input_type");
        let mut huge = String::from("{\"format\": \"parindex/round-bundle@1\", \"files\": {\"x\": \"");
        huge.push_str(&"a".repeat(64 << 20));
        huge.push_str("\"}}");
        check(parindex_score_bundle(huge.as_ptr(), huge.len()), 1, "input_type");
        check(parindex_score_bundle(huge.as_ptr(), huge.len() - 3), 1, "input_type");
        // An assessment that is not JSON, or names no unit of the round.
        let dir = fixtures()[0].to_str().unwrap().to_owned();
        let mut h = 0u64;
        check_ok(parindex_round_open_path(dir.as_ptr(), dir.len(), &mut h));
        let a = "not json";
        check(parindex_round_score_unit(h, a.as_ptr(), a.len()), 1, "input_type");
        let a = "{\"format\": \"parindex/assessment@1\", \"unit\": \"nobody\"}";
        check(parindex_round_score_unit(h, a.as_ptr(), a.len()), 1, "unknown_unit");
        check(parindex_round_score_unit(h, std::ptr::null(), 0), 3, "bad_argument");
        check_ok(parindex_round_close(h));
    }
    let version = unsafe { std::ffi::CStr::from_ptr(parindex_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

fn check_ok(r: ParindexResult) {
    let (status, env, _) = take(r);
    assert_eq!(status, 0, "{env}");
}

#[test]
fn calls_run_on_several_threads_at_once_on_one_handle() {
    let dir = fixtures()[0].clone();
    let path = dir.to_str().unwrap().to_owned();
    let mut handle = 0u64;
    // SAFETY: a live &str and u64.
    check_ok(unsafe { parindex_round_open_path(path.as_ptr(), path.len(), &mut handle) });
    let rows = parindex_ffi::rows_for_test(&dir).unwrap();
    let expected = parindex::score_folder(&dir).unwrap().to_json_pretty();
    std::thread::scope(|scope| {
        for t in 0..6 {
            let (rows, path, expected) = (&rows, &path, &expected);
            scope.spawn(move || {
                for (i, (assessment, row)) in rows.iter().enumerate().cycle().skip(t).take(rows.len() * 3) {
                    // SAFETY: a live &str.
                    let (status, _, value) =
                        take(unsafe { parindex_round_score_unit(handle, assessment.as_ptr(), assessment.len()) });
                    assert_eq!((status, &value), (0, row), "row {i}");
                }
                if t % 2 == 0 {
                    // SAFETY: a live &str.
                    let (status, _, value) = take(unsafe { parindex_score_path(path.as_ptr(), path.len()) });
                    assert_eq!((status, &value), (0, expected));
                }
            });
        }
    });
    // Closing while others score: each call either scores or says bad_handle.
    let (assessment, row) = rows[0].clone();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let (assessment, row) = (&assessment, &row);
            scope.spawn(move || {
                for _ in 0..200 {
                    // SAFETY: a live &str.
                    let (status, _, value) =
                        take(unsafe { parindex_round_score_unit(handle, assessment.as_ptr(), assessment.len()) });
                    assert!(status == 4 || (status == 0 && &value == row));
                }
            });
        }
        scope.spawn(move || check_ok(parindex_round_close(handle)));
    });
}

#[test]
fn open_rounds_are_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<parindex_ffi::OpenRound>();
}
