//! Every bundled fixture round is re-scored and compared, byte for byte, with the
//! `expected.json` checked in beside it, and verified against it as `parindex verify` does:
//! what an auditor does with a published round.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use parindex::{Decimal, RoundFolder, score_round, score_round_explained};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("round.json").exists())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn the_three_fixture_rounds_are_there() {
    let names: Vec<String> =
        fixture_dirs().iter().map(|d| d.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for wanted in ["dong-thap-2023", "huyen-cao-lanh-2023", "ministries-2023"] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} missing from {names:?}");
    }
}

#[test]
fn every_fixture_verifies_against_its_stamped_results() {
    for dir in fixture_dirs() {
        let expected = std::fs::read_to_string(dir.join("expected.json")).unwrap();
        let v = parindex::verify(&dir, &expected).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert!(v.matches(), "{}: {:?}", dir.display(), v.differences);
        assert!(v.notes.is_empty(), "{}: {:?}", dir.display(), v.notes);
        let folder = RoundFolder::load(&dir).unwrap();
        assert_eq!(v.inputs_checked, folder.files.len());
        assert_eq!(v.units, folder.round.units.len());
        // The stamp names every file read, with the SHA-256 of its bytes.
        let doc: serde_json::Value = serde_json::from_str(&expected).unwrap();
        assert_eq!(doc["engine"]["name"], "parindex");
        assert_eq!(doc["engine"]["version"], env!("CARGO_PKG_VERSION"));
        let inputs = doc["inputs"].as_object().unwrap();
        assert_eq!(inputs.len(), folder.files.len());
        for f in &folder.files {
            let bytes = std::fs::read(dir.join(&f.path)).unwrap();
            assert_eq!(inputs[&f.path], parindex::sha256_hex(&bytes), "{}", f.path);
        }
    }
}

/// The explained results carry the same figures as the plain ones, and every leaf's
/// explanation ends at the points its node row publishes.
#[test]
fn explanations_agree_with_the_published_figures() {
    for dir in fixture_dirs() {
        let folder = RoundFolder::load(&dir).unwrap();
        let plain = score_round(&folder);
        let explained = score_round_explained(&folder);
        assert_eq!(explained.explain_format.as_deref(), Some(parindex::EXPLAIN_FORMAT));
        let mut stripped = explained.clone();
        stripped.explain_format = None;
        for row in stripped.blocks.iter_mut().flat_map(|b| b.units.iter_mut()) {
            assert!(row.explain.is_some());
            row.explain = None;
            for n in &mut row.nodes {
                n.explain = None;
            }
        }
        assert_eq!(stripped, plain, "{}", dir.display());
        let rounding = folder.round.rounding;
        let mut leaves = 0;
        for (block, row) in explained.blocks.iter().flat_map(|b| b.units.iter().map(move |u| (b, u))) {
            let set = folder.criteria_set(&block.id).unwrap();
            for (node, nr) in set.nodes().iter().zip(&row.nodes) {
                let Some(e) = &nr.explain else {
                    assert!(node.leaf().is_none(), "{} {}: a leaf without explanation", row.unit, node.code);
                    continue;
                };
                leaves += 1;
                let d = |v: &serde_json::Value| -> Option<Decimal> { v.as_str().map(|s| s.parse().unwrap()) };
                let points = d(&e["points"]);
                assert_eq!(points.map(|p| rounding.present(p)), nr.points, "{} {}", row.unit, node.code);
                assert_eq!(d(&e["self"]).map(|p| rounding.present(p)), nr.self_points, "{} {}", row.unit, node.code);
                assert_eq!(nr.excluded, points.is_none(), "{} {}", row.unit, node.code);
                // An assessed leaf's last stage ends where the leaf does.
                if let Some(last) = e["stages"].as_array().and_then(|s| s.last())
                    && e["decision"] != "missing_entry"
                {
                    assert_eq!(d(&last["points"]), points, "{} {}", row.unit, node.code);
                }
                let evaluations = e["stages"].as_array().map_or(0, |s| s.len());
                assert!(
                    e["decision"].is_string()
                        && (evaluations > 0
                            || e["source"] == "survey"
                            || nr.excluded
                            || e["decision"] == "missing_entry")
                );
            }
        }
        assert!(leaves > 0);
    }
}

#[test]
fn every_fixture_rescores_to_its_expected_results() {
    let mut checked = 0;
    for dir in fixture_dirs() {
        let expected_path = dir.join("expected.json");
        let got = parindex::score_folder(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).to_json_pretty();
        // What `parindex score` writes from: the rows held packed, the same text.
        let compact = parindex::score_folder_compact(&dir, parindex::Limits::default()).unwrap();
        let mut packed = Vec::new();
        compact.write_json_pretty(&mut packed).unwrap();
        assert_eq!(String::from_utf8(packed).unwrap(), got, "{}: packed rows", dir.display());
        if std::env::var_os("PARINDEX_BLESS").is_some() {
            std::fs::write(&expected_path, &got).unwrap();
        }
        let expected =
            std::fs::read_to_string(&expected_path).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        if got != expected {
            let line = got.lines().zip(expected.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
            panic!("{}: the results differ from expected.json, first at line {line}", dir.display());
        }
        checked += 1;
    }
    assert!(checked >= 1, "no fixture round found under {}", fixtures().display());
}

#[test]
fn dong_thap_2023_publishes_the_expected_table() {
    let results = parindex::score_folder(&fixtures().join("dong-thap-2023")).unwrap();
    assert_eq!(results.round, "dong-thap-2023");
    let so = &results.blocks[0];
    let huyen = &results.blocks[1];
    assert_eq!((so.id.as_str(), so.units.len()), ("so", 20));
    assert_eq!((huyen.id.as_str(), huyen.units.len()), ("huyen", 12));
    let top = &so.units[0];
    assert_eq!(
        (top.name.as_str(), top.rank, top.index.to_string()),
        ("Sở Kế hoạch và Đầu tư", Some(1), "94.72".into())
    );
    // The unranked Văn phòng UBND tỉnh is listed last, without a rank.
    let last = so.units.last().unwrap();
    assert_eq!((last.unit.as_str(), last.rank), ("van-phong-ubnd-tinh", None));
    // A class cap lowers Xuất sắc to Tốt.
    let capped = so.units.iter().find(|u| u.unit == "so-tai-nguyen-moi-truong").unwrap();
    assert_eq!((capped.index.to_string(), capped.class.as_deref()), ("90.60".into(), Some("Tốt")));
    assert_eq!(huyen.units[0].name, "Huyện Châu Thành");
    assert_eq!(huyen.units[0].index.to_string(), "90.79");
    assert_eq!(huyen.units[11].name, "Huyện Thanh Bình");
    assert_eq!(huyen.units[11].index.to_string(), "80.37");
}

/// The 2025 round of the new Đồng Tháp (criteria language v2): its two blocks, the 20 phường
/// and 82 xã of Nghị quyết 1663/NQ-UBTVQH15, and the special cases its README lists.
#[test]
fn dong_thap_2025_publishes_the_expected_table() {
    let dir = fixtures().join("dong-thap-2025");
    let folder = RoundFolder::load(&dir).unwrap();
    let tagged = |t: &str| folder.round.units.iter().filter(|u| u.tags.iter().any(|x| x == t)).count();
    assert_eq!((tagged("phuong"), tagged("xa")), (20, 82));
    let results = parindex::score_folder(&dir).unwrap();
    let so = &results.blocks[0];
    let xa = &results.blocks[1];
    assert_eq!((so.id.as_str(), so.units.len()), ("so", 14));
    assert_eq!((xa.id.as_str(), xa.units.len()), ("xa", 102));
    let unit = |id: &str| results.blocks.iter().flat_map(|b| &b.units).find(|u| u.unit == id).unwrap();
    let codes = |id: &str| -> Vec<(String, Option<String>)> {
        unit(id).findings.iter().map(|f| (f.code.to_string(), f.criterion.clone())).collect()
    };
    let top = &so.units[0];
    assert_eq!((top.name.as_str(), top.rank, top.index.to_string()), ("Sở Nội vụ", Some(1), "95.32".into()));
    // A class cap: index 93.50 published as Khá; the penalty 10.2 capped at 1.5.
    let capped = unit("so-xay-dung");
    assert_eq!(
        (capped.index.to_string(), capped.class.as_deref(), capped.penalty.to_string()),
        ("93.50".into(), Some("Khá"), "1.50".into())
    );
    // Required evidence missing at the self stage and never restored.
    assert_eq!(codes("so-y-te"), [("no_evidence".into(), Some("1.1.1".into()))]);
    // A council-only item no appraisal scored.
    assert_eq!(codes("so-ngoai-vu"), [("missing_entry".into(), Some("4.3".into()))]);
    // A late self-assessment and its penalty; a bonus list beside the bonus criteria.
    let late = unit("phuong-sa-dec");
    assert_eq!(codes("phuong-sa-dec"), [("late_submission".into(), None)]);
    assert_eq!((late.bonus.to_string(), late.penalty.to_string()), ("0.50".into(), "1.00".into()));
    assert_eq!(unit("phuong-my-tho").bonus.to_string(), "1.50");
    // A phường has no leaf 8.4 (new-countryside programme): its maximum is 97.
    assert_eq!(unit("phuong-my-tho").max.to_string(), "97.00");
    // No assessment file: not submitted, listed last.
    let absent = xa.units.last().unwrap();
    assert_eq!((absent.unit.as_str(), absent.index.to_string()), ("xa-tan-phuoc-3", "0.00".into()));
    // A unit with no procedures: its derived 7.5 divides by zero and is excluded.
    let tt = unit("thanh-tra-tinh");
    assert!(tt.nodes.iter().find(|n| n.code == "7.5").unwrap().excluded);
}
