//! Round-level tests (SPEC §7, §8 steps 7–9, §9) on round folders written to temporary
//! directories: ranks with ties and tie-breakers, unranked units, classes and caps, the
//! independence of the listing from document order and file names, presentation and the
//! results document's JSON round trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use parindex_assess::Status;
use parindex_core::Code;
use parindex_rank::{
    ClassBand, FolderError, RankKey, ResultsDocument, RoundFolder, Rounding, RoundingMode, UnitRow, classify,
    competition_ranks, score_round,
};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A folder under the system's temporary directory, removed when dropped.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new(tag: &str) -> TempFolder {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("parindex-rank-test-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("assessments")).unwrap();
        std::fs::create_dir_all(dir.join("criteria")).unwrap();
        TempFolder(dir)
    }

    fn write(&self, relative: &str, doc: &Value) {
        std::fs::write(self.0.join(relative), serde_json::to_string_pretty(doc).unwrap()).unwrap();
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn so_set() -> Value {
    json!({
        "format": "parindex/criteria-set@1", "id": "so-2023", "title": "Bộ chỉ số cấp sở",
        "nodes": [
            { "code": "1", "title": "Chỉ đạo, điều hành", "children": [
                { "code": "1.1", "title": "Chấm điểm", "max": "60", "rule": { "kind": "manual" } } ] },
            { "code": "2", "title": "Khảo sát", "children": [
                { "code": "2.1", "title": "Hài lòng", "max": "40", "rule": { "kind": "survey" } } ] }
        ]
    })
}

fn xa_set() -> Value {
    json!({
        "format": "parindex/criteria-set@1", "id": "xa-2023", "title": "Bộ chỉ số cấp xã",
        "nodes": [ { "code": "1", "title": "Một", "children": [
            { "code": "1.1", "title": "Chấm điểm", "max": "3", "rule": { "kind": "manual" } } ] } ]
    })
}

fn classes() -> Value {
    json!([
        { "label": "Xuất sắc", "from": "90" }, { "label": "Tốt", "from": "80" },
        { "label": "Khá", "from": "70" }, { "label": "Trung bình", "from": "50" },
        { "label": "Yếu", "from": "0" }
    ])
}

/// The units, in the order round.json lists them by default.
fn units() -> Vec<Value> {
    vec![
        json!({ "id": "so-h", "name": "Sở H", "block": "so", "tags": [], "ranked": false }),
        json!({ "id": "so-a", "name": "Sở A", "block": "so", "tags": [] }),
        json!({ "id": "so-b", "name": "Sở B", "block": "so" }),
        json!({ "id": "so-c", "name": "Sở C", "block": "so", "tags": [] }),
        json!({ "id": "so-d", "name": "Sở D", "block": "so", "tags": [] }),
        json!({ "id": "so-e", "name": "Sở E", "block": "so", "tags": [], "ranked": false }),
        json!({ "id": "so-f", "name": "Sở F", "block": "so", "tags": [] }),
        json!({ "id": "so-g", "name": "Sở G", "block": "so", "tags": [] }),
        json!({ "id": "xa-1", "name": "Xã 1", "block": "xa" }),
        json!({ "id": "xa-2", "name": "Xã 2", "block": "xa" }),
        json!({ "id": "xa-3", "name": "Xã 3", "block": "xa" }),
    ]
}

fn round(units: &[Value], rounding: Value, xa_tie_breakers: Value) -> Value {
    json!({
        "format": "parindex/round@1", "id": "tinh-2023", "title": "Chỉ số CCHC năm 2023", "year": 2023,
        "evaluator": "UBND tỉnh", "rounding": rounding,
        "blocks": [
            { "id": "so", "title": "Khối sở", "criteria_set": "criteria/so.json", "survey": true,
              "classes": classes(), "tie_breakers": ["survey"] },
            { "id": "xa", "title": "Khối xã", "criteria_set": "criteria/xa.json", "survey": false,
              "classes": [ { "label": "Đạt", "from": "50" } ], "tie_breakers": xa_tie_breakers }
        ],
        "units": units
    })
}

fn assessment(unit: &str, points: &str, survey: Option<&str>, cap: Option<&str>) -> Value {
    let mut doc = json!({
        "format": "parindex/assessment@1", "unit": unit,
        "self": { "entries": { "1.1": { "points": points, "note": "Có báo cáo" } } }
    });
    if let Some(s) = survey {
        doc["survey"] = json!({ "2.1": { "score": s } });
    }
    if let Some(c) = cap {
        doc["class_cap"] = json!({ "label": c, "reason": "Vi phạm" });
    }
    doc
}

/// Every assessment of the round (so-f and so-h submitted nothing).
fn assessments() -> Vec<(&'static str, Value)> {
    vec![
        ("so-a", assessment("so-a", "55", Some("0.9"), None)), // 55 + 36 = 91
        ("so-b", assessment("so-b", "51", Some("1"), None)),   // 51 + 40 = 91, more survey points
        ("so-c", assessment("so-c", "55", Some("0.9"), None)), // ties so-a exactly
        ("so-d", assessment("so-d", "44", Some("0.9"), Some("Tốt"))), // 80, a cap that changes nothing
        ("so-e", assessment("so-e", "60", Some("1"), None)),   // 100, but not ranked
        ("so-g", assessment("so-g", "49", Some("0.9"), Some("Khá"))), // 85, capped at Khá
        ("xa-1", assessment("xa-1", "2", None, None)),         // 66.666… → 66.67
        ("xa-2", assessment("xa-2", "2.0001", None, None)),    // 66.67 exactly
        ("xa-3", assessment("xa-3", "2", None, None)),         // ties xa-1 exactly
    ]
}

struct Layout {
    units: Vec<Value>,
    rounding: Value,
    xa_tie_breakers: Value,
    /// The file name of each unit's assessment.
    file_name: fn(usize, &str) -> String,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            units: units(),
            rounding: json!({ "decimals": 2, "mode": "half_up" }),
            xa_tie_breakers: json!(["exact"]),
            file_name: |_, unit| format!("{unit}.json"),
        }
    }
}

fn write_folder(tag: &str, layout: &Layout) -> TempFolder {
    let folder = TempFolder::new(tag);
    folder.write("round.json", &round(&layout.units, layout.rounding.clone(), layout.xa_tie_breakers.clone()));
    folder.write("criteria/so.json", &so_set());
    folder.write("criteria/xa.json", &xa_set());
    for (i, (unit, doc)) in assessments().into_iter().enumerate() {
        folder.write(&format!("assessments/{}", (layout.file_name)(i, unit)), &doc);
    }
    folder
}

/// The round scored both ways — loaded whole, and streamed (`score_folder`) — which must
/// agree to the last byte.
fn results(tag: &str, layout: &Layout) -> ResultsDocument {
    let folder = write_folder(tag, layout);
    let loaded = match RoundFolder::load(folder.path()) {
        Ok(f) => score_round(&f),
        Err(e) => panic!("the round should load: {e}"),
    };
    let streamed = parindex_rank::score_folder(folder.path()).unwrap();
    assert_eq!(streamed, loaded, "the streaming path differs from the loaded one");
    same_text_packed(folder.path(), &loaded);
    loaded
}

/// The rows held packed (`score_folder_compact`, what `parindex score` writes from) give the
/// same text as the results document, pretty and as ndjson.
fn same_text_packed(dir: &std::path::Path, doc: &ResultsDocument) {
    let compact = parindex_rank::score_folder_compact(dir, parindex_rank::Limits::default()).unwrap();
    let (mut packed, mut plain) = (Vec::new(), Vec::new());
    compact.write_json_pretty(&mut packed).unwrap();
    doc.write_json_pretty(&mut plain).unwrap();
    assert_eq!(String::from_utf8(packed).unwrap(), String::from_utf8(plain).unwrap());
    let (mut packed, mut plain) = (Vec::new(), Vec::new());
    compact.write_ndjson(&mut packed).unwrap();
    parindex_rank::write_results_ndjson(doc, &mut plain).unwrap();
    assert_eq!(String::from_utf8(packed).unwrap(), String::from_utf8(plain).unwrap());
    assert_eq!(&compact.into_document(), doc);
}

/// The published figures and listing, without the `inputs` stamp (which names the files).
fn published(mut doc: ResultsDocument) -> ResultsDocument {
    doc.inputs = parindex_rank::Inputs(Vec::new());
    doc
}

fn row<'a>(doc: &'a ResultsDocument, unit: &str) -> &'a UnitRow {
    doc.blocks.iter().flat_map(|b| &b.units).find(|u| u.unit == unit).unwrap()
}

/// (unit, rank) in listing order, per block.
fn listing(doc: &ResultsDocument) -> Vec<Vec<(String, Option<u32>)>> {
    doc.blocks.iter().map(|b| b.units.iter().map(|u| (u.unit.clone(), u.rank)).collect()).collect()
}

fn ranked(list: &[(&str, Option<u32>)]) -> Vec<(String, Option<u32>)> {
    list.iter().map(|(u, r)| ((*u).to_owned(), *r)).collect()
}

#[test]
fn ranks_ties_tie_breakers_and_unranked_units_last() {
    let doc = results("ranks", &Layout::default());
    assert_eq!(doc.format, "parindex/results@1");
    assert_eq!(doc.round, "tinh-2023");
    assert_eq!(doc.blocks.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(), ["so", "xa"]);
    assert_eq!(
        listing(&doc)[0],
        ranked(&[
            ("so-b", Some(1)), // 91.00, survey 40 breaks the tie
            ("so-a", Some(2)), // 91.00, survey 36
            ("so-c", Some(2)), // equal to so-a in every respect: shares its rank
            ("so-g", Some(4)), // the next rank skips
            ("so-d", Some(5)),
            ("so-f", Some(6)),
            ("so-e", None), // unranked, by id
            ("so-h", None),
        ])
    );
    // The exact index breaks the tie of two presented 66.67s.
    assert_eq!(listing(&doc)[1], ranked(&[("xa-2", Some(1)), ("xa-1", Some(2)), ("xa-3", Some(2))]));
    assert_eq!(row(&doc, "xa-1").index, d("66.67"));
    assert_eq!(row(&doc, "xa-2").index, d("66.67"));
}

#[test]
fn without_tie_breakers_equal_presented_indices_share_a_rank() {
    let doc = results("no-tb", &Layout { xa_tie_breakers: json!([]), ..Layout::default() });
    assert_eq!(listing(&doc)[1], ranked(&[("xa-1", Some(1)), ("xa-2", Some(1)), ("xa-3", Some(1))]));
}

#[test]
fn classes_read_the_presented_index_and_caps_lower_them() {
    let doc = results("classes", &Layout::default());
    let class = |u: &str| row(&doc, u).class.clone();
    assert_eq!(class("so-b").as_deref(), Some("Xuất sắc"));
    assert_eq!(class("so-d").as_deref(), Some("Tốt"), "80.00 is in Tốt, from 80 inclusive");
    assert_eq!(class("so-g").as_deref(), Some("Khá"), "85 would be Tốt, the cap says Khá");
    assert_eq!(row(&doc, "so-g").index, d("85.00"));
    assert_eq!(class("so-f").as_deref(), Some("Yếu"));
    assert_eq!(class("so-e").as_deref(), Some("Xuất sắc"), "unranked units are still classed");
    assert_eq!(class("xa-1").as_deref(), Some("Đạt"));
}

#[test]
fn results_carry_the_class_cap_only_where_one_is_set() {
    let doc = results("caps", &Layout::default());
    let cap = |u: &str| row(&doc, u).class_cap.clone().map(|c| (c.label, c.reason, c.applied));
    assert_eq!(cap("so-g"), Some(("Khá".to_owned(), "Vi phạm".to_owned(), true)), "85 would be Tốt");
    assert_eq!(cap("so-d"), Some(("Tốt".to_owned(), "Vi phạm".to_owned(), false)), "80 is Tốt anyway");
    assert_eq!(cap("so-b"), None);
    let text = doc.to_json_pretty();
    assert_eq!(text.matches("\"class_cap\"").count(), 2, "only the two capped units carry the field");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let so_g = value["blocks"][0]["units"].as_array().unwrap().iter().find(|u| u["unit"] == "so-g").unwrap();
    assert_eq!(so_g["class_cap"], json!({ "label": "Khá", "reason": "Vi phạm", "applied": true }));
}

#[test]
fn unsubmitted_and_unranked_units_are_scored_and_listed() {
    let doc = results("status", &Layout::default());
    let f = row(&doc, "so-f");
    assert_eq!(f.status, Status::NotSubmitted);
    assert_eq!((f.total, f.max, f.index), (d("0.00"), d("100.00"), d("0.00")));
    let mut found: Vec<_> = f.findings.iter().map(|x| (x.code, x.criterion.clone())).collect();
    found.sort();
    assert_eq!(found, vec![(Code::MissingEntry, Some("1.1".into())), (Code::MissingSurvey, Some("2.1".into()))]);
    let e = row(&doc, "so-e");
    assert_eq!((e.status, e.rank, e.index), (Status::SelfAssessed, None, d("100.00")));
    let a = row(&doc, "so-a");
    assert_eq!((a.self_total, a.appraised_total, a.survey_total), (d("55.00"), d("55.00"), d("36.00")));
    assert_eq!(a.nodes.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), ["1", "1.1", "2", "2.1"]);
    assert_eq!(a.nodes[1].self_points, Some(d("55.00")));
    assert_eq!(a.nodes[3].self_points, None, "a survey leaf has no self points");
    assert_eq!(a.nodes[2].index, Some(d("90.00")));
}

#[test]
fn the_listing_does_not_depend_on_unit_order_or_file_names() {
    let reference = results("order-ref", &Layout::default());
    let mut reversed = units();
    reversed.reverse();
    let layouts = [
        Layout { units: reversed, ..Layout::default() },
        Layout { file_name: |i, _| format!("{:02}.json", 20 - i), ..Layout::default() },
        Layout {
            file_name: |i, unit| format!("{}-{unit}-phieu-cham.json", (b'z' - u8::try_from(i).unwrap()) as char),
            ..Layout::default()
        },
    ];
    for (i, layout) in layouts.iter().enumerate() {
        assert_eq!(published(results(&format!("order-{i}"), layout)), published(reference.clone()), "layout {i}");
    }
}

proptest! {
    #![proptest_config(Config { cases: 16, ..Config::default() })]

    #[test]
    fn any_unit_order_and_any_file_names_give_the_same_results(
        order in Just((0..units().len()).collect::<Vec<usize>>()).prop_shuffle(),
        salt in any::<u32>(),
    ) {
        let all = units();
        let shuffled: Vec<Value> = order.iter().map(|&i| all[i].clone()).collect();
        // File names from the salt, so that their sorted order is random too.
        let folder = TempFolder::new("prop");
        folder.write("round.json", &round(&shuffled, json!({ "decimals": 2 }), json!(["exact"])));
        folder.write("criteria/so.json", &so_set());
        folder.write("criteria/xa.json", &xa_set());
        for (i, (_, doc)) in assessments().into_iter().enumerate() {
            let name = format!("{:08x}.json", salt.wrapping_mul(2_654_435_761).wrapping_add(u32::try_from(i).unwrap().wrapping_mul(40_503)));
            folder.write(&format!("assessments/{name}"), &doc);
        }
        let got = score_round(&RoundFolder::load(folder.path()).unwrap());
        prop_assert_eq!(&parindex_rank::score_folder(folder.path()).unwrap(), &got);
        same_text_packed(folder.path(), &got);
        let reference = results("prop-ref", &Layout::default());
        prop_assert_eq!(published(got), published(reference));
    }
}

#[test]
fn results_survive_a_json_round_trip() {
    let doc = results("json", &Layout::default());
    let text = serde_json::to_string(&doc).unwrap();
    let back: ResultsDocument = serde_json::from_str(&text).unwrap();
    assert_eq!(back, doc);
    let pretty = doc.to_json_pretty();
    assert!(pretty.ends_with('\n'));
    assert_eq!(serde_json::from_str::<ResultsDocument>(&pretty).unwrap(), doc);
    // The shape of SPEC §9: decimals as strings, excluded nodes with only code and excluded.
    let v: Value = serde_json::from_str(&text).unwrap();
    let a = &v["blocks"][0]["units"][1];
    assert_eq!(a["unit"], "so-a");
    assert_eq!(a["index"], "91.00");
    assert_eq!(a["status"], "self_assessed");
    assert_eq!(a["rank"], 2);
    assert_eq!(
        a["nodes"][1],
        json!({ "code": "1.1", "points": "55.00", "max": "60.00", "index": "91.67", "self": "55.00" })
    );
    let e = &v["blocks"][0]["units"][6];
    assert_eq!(e["rank"], Value::Null);
    let xa = &v["blocks"][1]["units"][0];
    assert_eq!(xa["class"], "Đạt");
}

/// Every figure string of a results document, with its JSON Pointer.
fn figures(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (b, block) in v["blocks"].as_array().unwrap().iter().enumerate() {
        for (u, unit) in block["units"].as_array().unwrap().iter().enumerate() {
            let at = format!("/blocks/{b}/units/{u}");
            for key in ["index", "total", "max", "self_total", "appraised_total", "survey_total", "bonus", "penalty"] {
                out.push((format!("{at}/{key}"), unit[key].as_str().unwrap().to_owned()));
            }
            for (n, node) in unit["nodes"].as_array().unwrap().iter().enumerate() {
                for key in ["points", "max", "index", "self"] {
                    if let Some(s) = node.get(key) {
                        out.push((format!("{at}/nodes/{n}/{key}"), s.as_str().unwrap().to_owned()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn presentation_keeps_exactly_the_rounds_decimals() {
    for (decimals, mode) in [(0u32, "half_up"), (2, "half_up"), (3, "half_even"), (6, "half_up")] {
        let doc = results(
            &format!("decimals-{decimals}"),
            &Layout { rounding: json!({ "decimals": decimals, "mode": mode }), ..Layout::default() },
        );
        let v = serde_json::to_value(&doc).unwrap();
        let all = figures(&v);
        assert!(all.len() > 50);
        for (at, text) in all {
            let places = text.split_once('.').map_or(0, |(_, f)| f.len());
            assert_eq!(places, decimals as usize, "{at} = {text}");
            assert!(text.chars().all(|c| c.is_ascii_digit() || c == '.'), "{at} = {text}");
        }
        let xa1 = row(&doc, "xa-1").index.to_string();
        let expected = match decimals {
            0 => "67",
            2 => "66.67",
            3 => "66.667",
            _ => "66.666667",
        };
        assert_eq!(xa1, expected);
    }
}

#[test]
fn presentation_rounds_once_from_the_exact_value() {
    let up = Rounding { decimals: 2, mode: RoundingMode::HalfUp };
    let even = Rounding { decimals: 2, mode: RoundingMode::HalfEven };
    assert_eq!(up.present(d("89.995")).to_string(), "90.00");
    assert_eq!(even.present(d("89.995")).to_string(), "90.00");
    assert_eq!(even.present(d("89.985")).to_string(), "89.98");
    assert_eq!(up.present(d("89.985")).to_string(), "89.99");
    // Never by rounding twice: 0.4449 → 0.44, though 0.445 → 0.45.
    assert_eq!(up.present(d("0.4449")).to_string(), "0.44");
    let bands = vec![
        ClassBand { label: "Xuất sắc".into(), from: d("90"), from_inclusive: true },
        ClassBand { label: "Tốt".into(), from: d("80"), from_inclusive: false },
    ];
    assert_eq!(classify(&bands, up.present(d("89.995")), None), Some("Xuất sắc"), "classed on the presented 90.00");
    assert_eq!(classify(&bands, up.present(d("80.004")), None), None, "80.00 is not above 80");
    assert_eq!(classify(&bands, d("80.01"), None), Some("Tốt"));
    assert_eq!(classify(&bands, d("95"), Some("Tốt")), Some("Tốt"));
    assert_eq!(classify(&bands, d("85"), Some("Xuất sắc")), Some("Tốt"), "a better cap does not raise");
}

#[test]
fn competition_ranks_share_and_skip() {
    let key = |i: &str, tb: &[&str]| RankKey { index: d(i), tie_breakers: tb.iter().map(|t| d(t)).collect() };
    assert_eq!(
        competition_ranks(&[key("80", &[]), key("91", &[]), key("91", &[]), key("70", &[]), key("91", &[])]),
        vec![4, 1, 1, 5, 1]
    );
    assert_eq!(
        competition_ranks(&[
            key("91", &["36", "1"]),
            key("91", &["40", "0"]),
            key("91", &["36", "2"]),
            key("91", &["36", "1"])
        ]),
        vec![3, 1, 2, 3]
    );
    assert_eq!(competition_ranks(&[]), Vec::<u32>::new());
}

#[test]
fn folder_problems_are_reported_not_scored() {
    let folder = write_folder("problems", &Layout::default());
    // A second file for so-a and a file for a unit the round does not have.
    folder.write("assessments/copy-of-so-a.json", &assessment("so-a", "1", Some("1"), None));
    folder.write("assessments/x.json", &assessment("so-zz", "1", Some("1"), None));
    match RoundFolder::load(folder.path()) {
        Err(FolderError::Invalid(d)) => {
            let mut got: Vec<_> = d.errors.iter().map(|e| (e.code, e.file.clone().unwrap_or_default())).collect();
            got.sort();
            assert_eq!(
                got,
                vec![
                    (Code::UnknownUnit, "assessments/x.json".to_owned()),
                    // Files are read in name order: the second file for so-a is the duplicate.
                    (Code::DuplicateAssessment, "assessments/so-a.json".to_owned()),
                ]
            );
        }
        other => panic!("expected problems, got {:?}", other.map(|f| f.files)),
    }
    assert!(matches!(RoundFolder::load(&folder.path().join("nowhere")), Err(FolderError::NotAFolder { .. })));
}

#[test]
fn an_assessment_that_is_not_utf8_or_not_json_is_reported_with_its_file() {
    let folder = write_folder("bytes", &Layout::default());
    std::fs::write(folder.path().join("assessments/latin1.json"), b"{\"unit\": \"so-a\", \"note\": \"S\xf4\"}")
        .unwrap();
    std::fs::write(folder.path().join("assessments/broken.json"), "{\"unit\": \"Sở\",}").unwrap();
    for result in [RoundFolder::load(folder.path()).map(|_| ()), parindex_rank::score_folder(folder.path()).map(|_| ())]
    {
        let Err(FolderError::Invalid(d)) = result else { panic!("expected problems") };
        let got: Vec<_> =
            d.errors.iter().map(|e| (e.file.clone().unwrap_or_default(), e.path.clone(), e.message.clone())).collect();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0].0, "assessments/broken.json");
        assert!(got[0].2.starts_with("not valid JSON: ") && got[0].2.contains("line 1"), "{}", got[0].2);
        assert_eq!(
            got[1],
            ("assessments/latin1.json".to_owned(), String::new(), "the file is not UTF-8 text".to_owned())
        );
    }
}

#[test]
fn the_results_text_is_serde_json_pretty_byte_for_byte() {
    // The writer serializes unit rows on every core, a batch at a time: check it against
    // serde_json on a document with every optional field, thousands of rows (several
    // batches, several threads), a block without units and unusual strings.
    let mut doc = results("pretty", &Layout::default());
    let same = |d: &ResultsDocument| assert_eq!(d.to_json_pretty(), serde_json::to_string_pretty(d).unwrap() + "\n");
    same(&doc);
    doc.previous_round = Some("2022 \"cũ\"\n".to_owned());
    doc.explain_format = Some("parindex/explain@1".to_owned());
    let template = doc.blocks[0].units.clone();
    let mut rows = Vec::new();
    for i in 0..1300 {
        let mut row = template[i % template.len()].clone();
        row.unit = format!("u-{i:05}");
        row.name = format!("Đơn vị {i} \u{1F600} \\ /");
        if i % 3 == 0 {
            row.previous = Some(Some(parindex_rank::Previous { index: Decimal::from(i), rank: Some(3) }));
            row.change = Some(Some(parindex_rank::Change { index: Decimal::new(-125, 2), rank: None }));
        } else if i % 3 == 1 {
            row.previous = Some(None);
            row.change = Some(None);
        }
        if i % 7 == 0 {
            row.rank = None;
            row.class = None;
        }
        if i % 11 == 0 {
            row.nodes.clear();
        }
        if i % 13 == 0 {
            row.findings.clear();
        } else if i % 13 == 1 {
            row.findings.push(parindex_assess::Finding {
                code: parindex_core::Code::NoEvidence,
                criterion: Some("1.1".to_owned()),
                message: "thiếu \"tài liệu\"\n".to_owned(),
            });
        }
        if let Some(node) = row.nodes.get_mut(1).filter(|_| i % 3 == 2) {
            node.excluded = true;
            node.points = None;
            node.self_points = Some(Decimal::new(-5, 1));
        }
        if i % 5 == 0 {
            row.explain =
                Some(Box::new(json!({"total": {"terms": ["1.00", "2.50"], "nested": {"empty": {}, "list": []}}})));
            if let Some(node) = row.nodes.first_mut() {
                node.explain = Some(Box::new(json!({"why": "không phát sinh", "n": 1})));
            }
        }
        rows.push(row);
    }
    doc.blocks[0].units = rows;
    doc.blocks.push(parindex_rank::BlockResults { id: "empty".to_owned(), units: Vec::new() });
    same(&doc);
    let mut out = Vec::new();
    doc.write_json_pretty(&mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), doc.to_json_pretty());
    doc.blocks.clear();
    doc.engine = None;
    doc.inputs = parindex_rank::Inputs::default();
    same(&doc);
}
