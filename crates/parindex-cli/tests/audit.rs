//! The auditors' commands of the `parindex` program: `score --explain`, `score --previous`,
//! `explain`, `verify`, `report` and `criteria`, with their exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `parindex args` in English and wide enough that no line wraps (the Vietnamese
/// default and the fitting to a width are tested in tests/locale.rs).
fn parindex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parindex"))
        .env("PARINDEX_LOCALE", "en")
        .args(args)
        .args(["--width", "400"])
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn score_without_explain_is_the_stamped_expected_results() {
    for name in ["dong-thap-2023", "ministries-2023", "huyen-cao-lanh-2023"] {
        let dir = fixture(name);
        let out = parindex(&["score", s(&dir)]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), std::fs::read_to_string(dir.join("expected.json")).unwrap(), "{name}");
    }
}

#[test]
fn score_explain_adds_a_record_to_every_leaf() {
    let out = parindex(&["score", s(&fixture("dong-thap-2023")), "--explain"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["explain_format"], "parindex/explain@1");
    let units = doc["blocks"][0]["units"].as_array().unwrap();
    let tc = units.iter().find(|u| u["unit"] == "so-tai-chinh").unwrap();
    assert_eq!(tc["explain"]["totals"]["presented_index"], tc["index"]);
    let node = |code: &str| tc["nodes"].as_array().unwrap().iter().find(|n| n["code"] == code).unwrap().clone();
    assert!(node("1").get("explain").is_none(), "groups carry no record");
    let deadline = node("1.1.1");
    assert_eq!(deadline["explain"]["stages"][0]["evaluation"]["result"], "on_time");
    let formula = node("1.4");
    assert_eq!(formula["explain"]["stages"][1]["evaluation"]["variables"]["x"], "17");
    assert!(formula["explain"]["stages"][1]["reason"].as_str().unwrap().contains("17/18"));
    let nothing_arose = node("3.3");
    assert_eq!(nothing_arose["explain"]["stages"][0]["not_arising"], true);
    let survey = node("8.1.1");
    assert_eq!(survey["explain"]["survey"]["evaluation"]["answer"]["given"], "counts");
    let ban = units.iter().find(|u| u["unit"] == "ban-dan-toc").unwrap();
    let excluded = ban["nodes"].as_array().unwrap().iter().find(|n| n["code"] == "3.2.1").unwrap();
    assert_eq!(excluded["excluded"], true);
    assert_eq!(excluded["explain"]["decision"], "not_applicable");
    assert_eq!(excluded["explain"]["applies_to"]["node"], "3.2");
    // Text is what `explain` is for.
    let out = parindex(&["score", s(&fixture("dong-thap-2023")), "--explain", "--format", "table"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("parindex explain"));
}

#[test]
fn explain_prints_self_appraised_final_findings_and_arithmetic() {
    let dir = fixture("dong-thap-2023");
    let out = parindex(&["explain", s(&dir), "--unit", "so-cong-thuong"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Sở Công Thương (so-cong-thuong) — Khối sở, ban, ngành"), "{text}");
    let header = text.lines().find(|l| l.starts_with("criterion")).unwrap();
    assert!(header.contains("self") && header.contains("appr. 1") && header.contains("final"), "{header}");
    assert!(text.contains("[missing_entry] 2.4: no entry for this item: it scores 0"), "{text}");
    assert!(text.contains("  total = "));
    let index_line = text.lines().find(|l| l.starts_with("  index = ")).unwrap();
    let results: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let row = results["blocks"][0]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "so-cong-thuong")
        .unwrap()
        .clone();
    assert!(
        index_line.ends_with(&format!("→ {} (2 decimal(s), half_up)", row["index"].as_str().unwrap())),
        "{index_line}"
    );
    assert!(text.contains(&format!("  rank: {} of 19 ranked unit(s) in the block", row["rank"])), "{text}");

    let out = parindex(&["explain", s(&dir), "--unit", "so-tai-chinh", "--criterion", "1.4"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("1.4 Thực hiện nhiệm vụ UBND tỉnh giao về CCHC"), "{text}");
    assert!(text.contains("  appraisal 1: formula round(max_points * (x + 0.5 * z) / y, 2) with x = 17, z = 1, y = 18 = 2.43 → 2.43 point(s) ⇒ 2.43"), "{text}");
    assert!(text.contains("      reason: "), "{text}");
    assert!(text.contains("  ⇒ scored from the entry in effect at the last stage: self 2.50, final 2.43"), "{text}");

    // SPEC §6.2: nothing arose at the self stage, then an appraisal scored 3.3: self is 0.
    let out = parindex(&["explain", s(&dir), "--unit", "so-tai-chinh", "--criterion", "3.3"]);
    let text = stdout(&out);
    assert!(text.contains("  ⇒ scored from the entry in effect at the last stage: self 0.00, final 2.00"), "{text}");
    assert!(
        text.contains("self 0: the self-assessment said nothing arose, but a later stage scored the item"),
        "{text}"
    );

    let out = parindex(&["explain", s(&dir), "--unit", "so-khong-co"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no unit 'so-khong-co'"));
    let out = parindex(&["explain", s(&dir), "--unit", "so-tai-chinh", "--criterion", "9.9"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verify_exits_0_only_when_everything_matches() {
    let dir = fixture("ministries-2023");
    let expected = dir.join("expected.json");
    let out = parindex(&["verify", s(&dir), s(&expected)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("verified: round par-index-2023-bo — every figure of 17 unit(s) and the SHA-256 of 19 input file(s) match the results"));

    // A tampered assessment: its hash and the figures it moves, exit 1.
    let copy = temp("verify-tampered");
    copy_dir(&dir, &copy);
    let p = copy.join("assessments/bo-12.json");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("\"points\": \"", "\"points\": \"1", 1)).unwrap();
    let out = parindex(&["verify", s(&copy), s(&expected)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.lines().any(|l| l.starts_with("input assessments/bo-12.json: its SHA-256 is ")), "{text}");
    assert!(text.lines().last().unwrap().contains("difference(s): the results do not match round par-index-2023-bo"));

    // JSON output for machines.
    let out = parindex(&["verify", s(&copy), s(&expected), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["verified"], false);
    assert_eq!(v["differences"][0]["kind"], "input_changed");

    // Results of another round, a malformed file: their own messages, exit 1.
    let other = fixture("dong-thap-2023").join("expected.json");
    let out = parindex(&["verify", s(&dir), s(&other)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("the results are of round 'dong-thap-2023', but the folder holds round 'par-index-2023-bo'")
    );
    let bad = temp("verify-malformed").join("results.json");
    std::fs::write(&bad, "{\"format\": \"parindex/results@1\", \"round\": ").unwrap();
    let out = parindex(&["verify", s(&dir), s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not a parindex results document"), "{}", stderr(&out));

    // A results file that cannot be read, a folder that does not exist: usage, exit 2.
    assert_eq!(parindex(&["verify", s(&dir), "/nonexistent/results.json"]).status.code(), Some(2));
    assert_eq!(parindex(&["verify", "/nonexistent/round", s(&expected)]).status.code(), Some(2));
}

/// Last year's results for the ministries: bo-01 was 3rd with 88.00, bo-02 first; the
/// others are new.
fn previous_results(dir: &Path) -> PathBuf {
    let p = dir.join("previous.json");
    std::fs::write(
        &p,
        r#"{ "format": "parindex/results@1", "round": "par-index-2022-bo", "blocks": [ { "id": "bo", "units": [
            { "unit": "bo-01", "index": "88.00", "rank": 3 }, { "unit": "bo-02", "index": "90.10", "rank": 1 } ] } ] }"#,
    )
    .unwrap();
    p
}

#[test]
fn score_previous_adds_last_rounds_index_and_rank() {
    let tmp = temp("previous");
    let prev = previous_results(&tmp);
    let out = parindex(&["score", s(&fixture("ministries-2023")), "--previous", s(&prev)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["previous_round"], "par-index-2022-bo");
    let units = doc["blocks"][0]["units"].as_array().unwrap();
    assert_eq!(units[0]["previous"], serde_json::json!({ "index": "88.00", "rank": 3 }));
    assert_eq!(units[0]["change"], serde_json::json!({ "index": "1.96", "rank": 2 }));
    assert_eq!(units[1]["change"], serde_json::json!({ "index": "-0.22", "rank": -1 }));
    assert_eq!(units[2]["previous"], Value::Null);
    assert_eq!(units[2]["change"], Value::Null);
    // The same round's results as "previous", a malformed file, a missing file.
    let same = fixture("ministries-2023").join("expected.json");
    let out = parindex(&["score", s(&fixture("ministries-2023")), "--previous", s(&same)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("same round"), "{}", stderr(&out));
    let bad = tmp.join("bad.json");
    std::fs::write(&bad, "{ \"round\": \"x\" }").unwrap();
    let out = parindex(&["score", s(&fixture("ministries-2023")), "--previous", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/blocks"), "{}", stderr(&out));
    assert_eq!(
        parindex(&["score", s(&fixture("ministries-2023")), "--previous", "/nonexistent.json"]).status.code(),
        Some(2)
    );
}

#[test]
fn report_writes_every_format() {
    let tmp = temp("report");
    let dir = fixture("huyen-cao-lanh-2023");
    for (format, file) in [
        ("md", "r.md"),
        ("csv", "r.csv"),
        ("html", "r.html"),
        ("xlsx", "r.xlsx"),
        ("official", "o.html"),
        ("official", "o.xlsx"),
        ("official-xlsx", "o2.xlsx"),
        ("scorecards", "s.html"),
    ] {
        let out_path = tmp.join(file);
        let out = parindex(&["report", s(&dir), "--format", format, "--locale", "vi", "--out", s(&out_path)]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
        let bytes = std::fs::read(&out_path).unwrap();
        assert!(bytes.len() > 1000, "{format}");
        if file.ends_with(".xlsx") {
            assert_eq!(&bytes[..2], b"PK", "{file}");
        }
    }
    let md = std::fs::read_to_string(tmp.join("r.md")).unwrap();
    assert!(md.contains("## Khối UBND xã, thị trấn (18 đơn vị)"), "{md}");
    let csv = std::fs::read_to_string(tmp.join("r.csv")).unwrap();
    assert!(csv.starts_with("\u{FEFF}round,block,rank,unit,"), "a BOM by default, for Excel");
    let official = std::fs::read_to_string(tmp.join("o.html")).unwrap();
    assert!(official.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    let out = parindex(&["report", s(&dir), "--format", "csv", "--no-bom"]);
    assert!(stdout(&out).starts_with("round,block,rank,unit,"), "--no-bom leaves it out");
    assert!(!csv.lines().skip(1).any(|l| l.contains(",8,") && l.contains(",8,5")), "csv keeps decimal points");
    // To standard output, and with last round's figures.
    let prev = previous_results(&tmp);
    let out = parindex(&["report", s(&fixture("ministries-2023")), "--format", "md", "--previous", s(&prev)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).lines().any(|l| l.starts_with("| 1 | Bộ Tư pháp |") && l.ends_with("| 88.00 | +1.96 | 3 | ▲2 |"))
    );
    let out = parindex(&["report", s(&dir), "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn criteria_show_and_diff() {
    let set = fixture("dong-thap-2023").join("criteria/so-2023.json");
    let out = parindex(&["criteria", "show", s(&set)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("so-2023 — "), "{text}");
    assert!(text.contains("8 field(s), 45 leaf item(s), maximum 100 of which 30 from the survey"), "{text}");
    assert!(text.contains("    1.1.1 Ban hành kế hoạch CCHC năm 2023 đúng thời hạn [1]"), "{text}");
    assert!(text.contains("applies to units tagged has-procedures"), "{text}");

    let tmp = temp("criteria");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&set).unwrap()).unwrap();
    doc["id"] = "so-2024".into();
    // 1.2 is worth 1 instead of 1.5 and loses 0.5 per late report; 1.3 now applies only to
    // units with procedures; 1.4 is removed and 1.5 added.
    let field = doc["nodes"][0]["children"].as_array_mut().unwrap();
    field[1]["max"] = "1".into();
    field[1]["rule"]["per"] = "0.5".into();
    field[2]["applies_to"] = serde_json::json!(["has-procedures"]);
    let removed = field.remove(3);
    field.push(serde_json::json!({
        "code": "1.5", "title": "Ứng dụng trí tuệ nhân tạo trong CCHC", "max": removed["max"].clone(),
        "rule": { "kind": "yes_no" } }));
    doc["nodes"][0].as_object_mut().unwrap().remove("max");
    let new = tmp.join("so-2024.json");
    std::fs::write(&new, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let out = parindex(&["criteria", "diff", s(&set), s(&new)]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}{text}", stderr(&out));
    assert!(text.contains("~ set id: so-2023 → so-2024"), "{text}");
    assert!(text.contains("- 1.4 "), "{text}");
    assert!(
        text.contains("+ 1.5 Ứng dụng trí tuệ nhân tạo trong CCHC [2.5]: yes: 2.5 point(s); no: 0 points"),
        "{text}"
    );
    assert!(text.contains("~ 1.2 max: 1.5 → 1"), "{text}");
    assert!(
        text.contains(
            "~ 1.2 rule: 1.5 point(s), less 0.25 point(s) per occurrence, not below 0 → 1 point(s), less 0.5 point(s) per occurrence, not below 0"
        ),
        "{text}"
    );
    assert!(text.contains("~ 1.3 applies_to: every unit → units tagged has-procedures"), "{text}");
    assert!(text.contains("~ 1 max: 9 → 8.5"), "{text}");
    let out = parindex(&["criteria", "diff", s(&set), s(&new), "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["changes"].as_array().unwrap().iter().any(|c| c["change"] == "added" && c["code"] == "1.5"));
    // An invalid set: every problem, exit 1.
    let broken = tmp.join("broken.json");
    std::fs::write(&broken, "{\"format\": \"parindex/criteria-set@1\", \"id\": \"x\", \"title\": \"x\", \"nodes\": [{\"code\": \"1\", \"title\": \"a\", \"max\": \"0,5\", \"rule\": {\"kind\": \"yes_no\"}}]}").unwrap();
    let out = parindex(&["criteria", "show", s(&broken)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("[bad_decimal]"), "{}", stderr(&out));
    assert_eq!(parindex(&["criteria", "show", "/nonexistent.json"]).status.code(), Some(2));
}
