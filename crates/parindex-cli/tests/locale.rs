//! What people read is Vietnamese by default (`--locale en` or `PARINDEX_LOCALE=en` for
//! English) and fits the terminal (`--width N`, else 100 off a terminal); codes, pointers and
//! JSON documents never change with either.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// `parindex args` with no locale in the environment, and `env` set.
fn run(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_parindex"));
    c.env_remove("PARINDEX_LOCALE");
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A figure with more decimals than a person reads (the engine's 28-digit values).
fn has_long_decimal(text: &str) -> bool {
    let mut run = 0;
    let mut after_separator = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if after_separator {
                run += 1;
                if run > 6 {
                    return true;
                }
            }
        } else {
            after_separator = c == ',' || c == '.';
            run = 0;
        }
    }
    false
}

#[test]
fn criteria_show_says_rules_in_vietnamese_words_and_fits() {
    let set = fixture("dong-thap-2023").join("criteria/so-2023.json");
    let o = run(&[], &["criteria", "show", s(&set)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("8 lĩnh vực, 45 tiêu chí thành phần, tối đa 100 điểm, trong đó 30 điểm từ điều tra"),
        "{text}"
    );
    assert!(text.contains("        1.1.1 Ban hành kế hoạch CCHC năm 2023 đúng thời hạn [1 điểm]"), "{text}");
    assert!(text.contains("hoàn thành đến hết ngày 15/01/2023: 1 điểm; muộn không quá 15 ngày: 0,5 điểm"), "{text}");
    assert!(text.contains("từ 100% trở lên: 2 điểm;"), "{text}");
    assert!(!text.contains('∞') && !text.contains(" → "), "{text}");
    assert!(widest(&text) <= 100, "wider than 100:\n{text}");
    let narrow = out(&run(&[], &["criteria", "show", s(&set), "--width", "60"]));
    assert!(widest(&narrow) <= 60, "wider than 60:\n{narrow}");
    // English on request, from the flag or the environment.
    let en = out(&run(&[("PARINDEX_LOCALE", "en")], &["criteria", "show", s(&set)]));
    assert!(en.contains("8 field(s), 45 leaf item(s)"), "{en}");
    assert!(en.contains("100% or more: 2 point(s)"), "{en}");
    assert_eq!(out(&run(&[], &["--locale", "en", "criteria", "show", s(&set)])), en);
    // What changed between two sets, in words too; codes and field names in JSON unchanged.
    let huyen = fixture("dong-thap-2023").join("criteria/huyen-2023.json");
    let diff = out(&run(&[], &["criteria", "diff", s(&set), s(&huyen)]));
    assert!(diff.contains("~ bộ tiêu chí, mã: so-2023 → huyen-2023"), "{diff}");
    assert!(diff.contains("~ 1 điểm tối đa: 9 → 10"), "{diff}");
    assert!(diff.contains("~ 1.1.2 cách chấm: theo tỷ lệ"), "{diff}");
    assert!(diff.lines().last().unwrap().contains(" thay đổi từ so-2023 sang huyen-2023"), "{diff}");
    let json: Value =
        serde_json::from_str(&out(&run(&[], &["criteria", "diff", s(&set), s(&huyen), "--format", "json"]))).unwrap();
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["change"] == "changed" && c["field"] == "rule" && c["code"] == "1.1.2")
    );
}

#[test]
fn problems_are_in_vietnamese_with_codes_and_pointers_unchanged() {
    let dir = std::env::temp_dir().join(format!("parindex-locale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"format": "parindex/criteria-set@1", "id": "x", "title": "x", "nodes": [{"code": "1", "title": "a", "max": "0,5", "rule": {"kind": "yes_no"}}]}"#).unwrap();
    let o = run(&[], &["validate", s(&broken)]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    // Wholly Vietnamese: the figures of the English detail placed in a Vietnamese sentence.
    assert!(
        text.contains(
            "/nodes/0/max [bad_decimal] 1: Trường \"max\": '0,5' dùng dấu phẩy thập phân: hãy viết bằng dấu chấm, ví dụ '0.5'\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("Tìm thấy 1 lỗi\n"), "{text}");
    let vi: Value = serde_json::from_str(&out(&run(&[], &["validate", s(&broken), "--format", "json"]))).unwrap();
    let en: Value =
        serde_json::from_str(&out(&run(&[], &["validate", s(&broken), "--format", "json", "--locale", "en"]))).unwrap();
    let (v, e) = (&vi["errors"][0], &en["errors"][0]);
    assert_eq!((&v["code"], &v["path"], &v["criterion"]), (&e["code"], &e["path"], &e["criterion"]));
    assert!(v["message"].as_str().unwrap().starts_with("Trường \"max\": '0,5' dùng dấu phẩy thập phân"), "{v}");
    assert_eq!(
        e["message"], "\"max\": '0,5' uses a decimal comma: write it with a point, e.g. '0.5'",
        "English unchanged"
    );
    // Problems on standard error too (`criteria show`).
    let o = run(&[], &["criteria", "show", s(&broken)]);
    assert!(err(&o).contains("[bad_decimal] 1: Trường \"max\": '0,5' dùng dấu phẩy"), "{}", err(&o));
    // A locale that is neither: a usage error.
    let o = run(&[("PARINDEX_LOCALE", "fr")], &["validate", s(&broken)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("PARINDEX_LOCALE"), "{}", err(&o));
    assert_eq!(run(&[], &["--locale", "de", "validate", s(&broken)]).status.code(), Some(2));
}

#[test]
fn explain_is_vietnamese_at_the_rounds_precision_and_fits() {
    let dir = fixture("dong-thap-2023");
    let o = run(&[], &["explain", s(&dir), "--unit", "so-cong-thuong"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    let header = text.lines().find(|l| l.starts_with("tiêu chí")).unwrap();
    assert!(header.contains("tự chấm") && header.contains("TĐ 1") && header.contains("cuối cùng"), "{header}");
    assert!(text.contains("[missing_entry] 2.4: Chưa có điểm cho tiêu chí này: tính 0 điểm"), "{text}");
    assert!(text.contains("  tổng điểm = "), "{text}");
    assert!(text.contains("(2 chữ số thập phân, half_up)"), "{text}");
    assert!(!has_long_decimal(&text), "figures at the round's precision:\n{text}");
    assert!(widest(&text) <= 100, "wider than 100:\n{text}");
    let narrow = out(&run(&[], &["explain", s(&dir), "--unit", "so-cong-thuong", "--width", "72"]));
    assert!(widest(&narrow) <= 72, "wider than 72:\n{narrow}");
    // The exact values on request.
    let exact = out(&run(&[], &["explain", s(&dir), "--unit", "so-cong-thuong", "--exact"]));
    assert!(has_long_decimal(&exact), "{exact}");
    // One criterion, in words.
    let one = out(&run(&[], &["explain", s(&dir), "--unit", "so-tai-chinh", "--criterion", "1.4"]));
    assert!(one.contains("thẩm định vòng 1: công thức round(max_points * (x + 0.5 * z) / y, 2) với x = 17"), "{one}");
    assert!(one.contains("lý do: "), "{one}");
    assert!(one.contains("⇒ chấm theo điểm có hiệu lực ở vòng cuối: tự chấm 2,50, cuối cùng 2,43"), "{one}");
}

#[test]
fn the_score_table_fits_and_json_does_not_change() {
    let dir = fixture("dong-thap-2023");
    for width in ["60", "80", "120"] {
        let o = run(&[], &["score", s(&dir), "--format", "table", "--width", width]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let text = out(&o);
        assert!(widest(&text) <= width.parse().unwrap(), "wider than {width}:\n{text}");
        assert!(text.contains("Hạng") && text.contains("Xếp loại"), "{text}");
        assert!(text.lines().any(|l| l.contains("Sở Tài chính") && l.contains("92,50")), "{text}");
    }
    let wide = out(&run(&[], &["score", s(&dir), "--format", "table", "--width", "120"]));
    assert!(wide.contains("Sở Kế hoạch và Đầu tư"), "names whole when there is room:\n{wide}");
    // Off a terminal and without --width: 100.
    assert!(widest(&out(&run(&[], &["score", s(&dir), "--format", "table"]))) <= 100);
    // Reports: Vietnamese labels and findings by default, English on request.
    let md = out(&run(&[], &["report", s(&dir), "--format", "md"]));
    assert!(md.contains("- `missing_entry` 2.4: Chưa có điểm cho tiêu chí này: tính 0 điểm"), "{md}");
    let md = out(&run(&[], &["report", s(&dir), "--format", "md", "--locale", "en"]));
    assert!(md.contains("- `missing_entry` 2.4: no entry for this item: it scores 0"), "{md}");
    // The results document is the same in every locale.
    let expected = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    assert_eq!(out(&run(&[], &["score", s(&dir)])), expected);
    assert_eq!(out(&run(&[("PARINDEX_LOCALE", "vi")], &["score", s(&dir), "--locale", "vi"])), expected);
}

#[test]
fn verify_and_usage_errors_are_vietnamese_by_default_and_english_when_asked() {
    let dir = fixture("ministries-2023");
    let expected = dir.join("expected.json");
    let o = run(&[], &["verify", s(&dir), s(&expected)]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).starts_with(
            "đã kiểm chứng: kỳ đánh giá par-index-2023-bo — mọi số liệu của 17 đơn vị và SHA-256 của 19 tệp đầu vào khớp với kết quả"
        ),
        "{}",
        out(&o)
    );
    // A changed figure: the difference in words; the same in JSON whatever the locale.
    let tmp = std::env::temp_dir().join(format!("parindex-locale-verify-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let text = std::fs::read_to_string(&expected).unwrap();
    let changed = tmp.join("changed.json");
    std::fs::write(&changed, text.replacen("\"index\": \"", "\"index\": \"1", 1)).unwrap();
    let o = run(&[], &["verify", s(&dir), s(&changed)]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.lines().any(|l| l.contains(": index là 1") && l.ends_with("khi chấm lại")), "{text}");
    assert!(text.lines().last().unwrap().contains("điểm khác biệt: kết quả không khớp với kỳ đánh giá"), "{text}");
    let en = out(&run(&[], &["--locale", "en", "verify", s(&dir), s(&changed)]));
    assert!(en.lines().any(|l| l.contains(": index is 1") && l.ends_with("on re-scoring")), "{en}");
    let json =
        |locale: &str| out(&run(&[("PARINDEX_LOCALE", locale)], &["verify", s(&dir), s(&changed), "--format", "json"]));
    assert_eq!(json("vi"), json("en"));
    // Usage errors.
    let o = run(&[], &["verify", s(&dir), s(&tmp.join("none.json"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).starts_with("parindex: không đọc được kết quả "), "{}", err(&o));
    let o = run(&[], &["--locale", "en", "verify", s(&dir), s(&tmp.join("none.json"))]);
    assert!(err(&o).starts_with("parindex: cannot read the results "), "{}", err(&o));
    let o = run(&[], &["score", s(&dir), "--explain", "--format", "table"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--explain bổ sung vào kết quả JSON"), "{}", err(&o));
    let o = run(&[], &["schema", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("không có lược đồ 'nope'"), "{}", err(&o));
    assert!(err(&run(&[("PARINDEX_LOCALE", "en")], &["schema", "nope"])).contains("no schema 'nope'"));
    let o = run(&[("PARINDEX_LOCALE", "fr")], &["schema", "round"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("PARINDEX_LOCALE: không hỗ trợ ngôn ngữ 'fr'"), "{}", err(&o));
    // A report that cannot be written.
    let o = run(&[], &["report", s(&dir), "--format", "md", "--out", s(&changed.join("report.md"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("không ghi được"), "{}", err(&o));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn an_officers_common_problems_read_wholly_in_vietnamese_and_english_is_unchanged() {
    let dir = std::env::temp_dir().join(format!("parindex-locale-round-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixture("dong-thap-2023"), &dir);
    let file = dir.join("assessments/ban-dan-toc.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let entries = &mut doc["self"]["entries"];
    entries["1.1.2"]["input"]["numerator"] = 30.into();
    entries["9.9"] = serde_json::json!({"points": "1"});
    std::fs::write(&file, doc.to_string()).unwrap();
    let o = run(&[], &["validate", s(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.contains("[ratio_over_one] 1.1.2: Tử số 30 lớn hơn mẫu số 23\n"), "{text}");
    assert!(text.contains("[unknown_criterion] 9.9: '9.9' không phải tiêu chí của bộ tiêu chí '"), "{text}");
    assert!(!text.contains(" is above ") && !text.contains("is not a criterion"), "no English left:\n{text}");
    let en = out(&run(&[], &["--locale", "en", "validate", s(&dir)]));
    assert!(en.contains("[ratio_over_one] 1.1.2: the numerator 30 is above the denominator 23\n"), "{en}");
    assert!(en.contains("[unknown_criterion] 9.9: '9.9' is not a criterion of the criteria set '"), "{en}");
    let _ = std::fs::remove_dir_all(&dir);
}
