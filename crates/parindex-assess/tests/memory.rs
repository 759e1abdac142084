//! Loading an assessment takes memory within a small multiple of its text, whatever it holds
//! (issue #11 item 6, docs/limits.md "Memory"). Each document shape is loaded in a process of
//! its own (this test binary run again), which measures the growth of its peak resident set
//! (`VmHWM` after resetting it through `/proc/self/clear_refs`, Linux) while loading.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::process::Command;

use parindex_assess::Assessment;
use parindex_core::CriteriaSet;

/// Set in the child process: the shape it loads.
const SHAPE: &str = "PARINDEX_MEMORY_SHAPE";
const TEST: &str = "loading_peaks_within_twice_the_text_beyond_it_whatever_the_document_holds";

/// A `kB` field of `/proc/self/status`, in bytes.
fn status(field: &str) -> usize {
    let text = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = text.lines().find(|l| l.starts_with(field)).unwrap();
    let kb: usize =
        line.trim_start_matches(field).trim_start_matches(':').trim().trim_end_matches("kB").trim().parse().unwrap();
    kb * 1024
}

fn set() -> CriteriaSet {
    CriteriaSet::from_json(
        r#"{"format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "adjustments": {"bonus_max": "3", "penalty_max": "3"},
            "nodes": [{"code": "1", "title": "A", "children": [
                {"code": "1.1", "title": "a", "max": "2", "rule": {"kind": "yes_no"}},
                {"code": "1.2", "title": "b", "max": "1", "rule": {"kind": "manual", "step": "0.5"}}]}]}"#,
    )
    .unwrap()
}

/// `count` copies of `piece`, comma-separated.
fn repeat(piece: &str, count: usize) -> String {
    let mut out = String::with_capacity((piece.len() + 1) * count);
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        out.push_str(piece);
    }
    out
}

/// The documents, by name: (text, whether it is valid).
fn document(name: &str) -> (String, bool) {
    let n = 400_000;
    let head = r#"{"format": "parindex/assessment@1", "unit": "u", "self": {"#;
    match name {
        "one-entry" => (
            format!(
                r#"{head}"entries": {{"1.1": {{"input": true, "evidence": [{}]}}}}}}}}"#,
                repeat(r#"{"title":"a"}"#, n)
            ),
            true,
        ),
        "evidence" => (
            format!(
                r#"{head}"entries": {{"1.1": {{"input": true, "evidence": [{e}]}}, "1.2": {{"points": "1", "evidence": [{e}]}}}}}}}}"#,
                e = repeat(r#"{"title":"a"}"#, n / 2)
            ),
            true,
        ),
        "unknown" => (format!(r#"{head}"entries": {{{}}}}}}}"#, unknown_entries(n)), false),
        "unknown-array" => (format!(r#"{head}"entries": {{}}}}, "x": [{}]}}"#, repeat("0", 4 * n)), true),
        "entry-array" => {
            (format!(r#"{head}"entries": {{"1.1": {{"input": true, "x": [{}]}}}}}}}}"#, repeat("0", 4 * n)), true)
        }
        "adjustments" => {
            (format!(r#"{head}"entries": {{}}, "bonus": [{}]}}}}"#, repeat(r#"{"points":0,"reason":"a"}"#, n)), true)
        }
        "keys" => (format!(r#"{head}"entries": {{"1.1": {{"input": true, {}}}}}}}}}"#, keys(n)), true),
        "input-keys" => (format!(r#"{head}"entries": {{"1.1": {{"input": {{{}}}}}}}}}}}"#, keys(n)), false),
        _ => panic!("no document {name}"),
    }
}

const SHAPES: [&str; 8] =
    ["one-entry", "evidence", "unknown", "unknown-array", "entry-array", "adjustments", "keys", "input-keys"];

#[test]
fn loading_peaks_within_twice_the_text_beyond_it_whatever_the_document_holds() {
    if let Ok(name) = std::env::var(SHAPE) {
        // The child: load one document and print how far the peak grew.
        let (text, valid) = document(&name);
        let set = set();
        let before = status("VmRSS");
        std::fs::write("/proc/self/clear_refs", "5").unwrap();
        let loaded = Assessment::from_json(&text, &set, &[]);
        assert_eq!(
            loaded.is_ok(),
            valid,
            "{name}: {:?}",
            loaded.err().map(|d| d.errors.into_iter().take(3).collect::<Vec<_>>())
        );
        let peak = status("VmHWM");
        if name == "input-keys" {
            // Refused unread, by its length.
            let problems = loaded.as_ref().err().map(|d| d.errors.clone()).unwrap_or_default();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].path, "/self/entries/1.1/input");
            assert!(problems[0].message.contains("an input is at most 65536 bytes"), "{}", problems[0].message);
        }
        drop(loaded);
        println!("PEAK {} {}", peak.saturating_sub(before), text.len());
        return;
    }
    for name in SHAPES {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
            .env(SHAPE, name)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
        let line = stdout.split("PEAK ").nth(1).and_then(|s| s.lines().next()).unwrap();
        let (grew, len) = line.split_once(' ').unwrap();
        let (grew, len): (usize, usize) = (grew.parse().unwrap(), len.parse().unwrap());
        eprintln!("{name}: {len} bytes of text, peak grew by {grew} bytes");
        assert!(
            grew <= 2 * len,
            "{name}: loading {len} bytes of text grew the peak by {grew} bytes (more than twice the text)"
        );
    }
}

fn unknown_entries(n: usize) -> String {
    (0..n).map(|k| format!(r#""9.{k}":{{"points":"1"}}"#)).collect::<Vec<_>>().join(",")
}

fn keys(n: usize) -> String {
    (0..n).map(|k| format!(r#""k{k}":0"#)).collect::<Vec<_>>().join(",")
}
