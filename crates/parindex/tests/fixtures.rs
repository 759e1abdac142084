//! Every bundled fixture round is re-scored and compared, byte for byte, with the
//! `expected.json` checked in beside it: what an auditor does with a published round.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

#[test]
fn every_fixture_rescores_to_its_expected_results() {
    let mut checked = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("round.json").exists())
        .collect();
    dirs.sort();
    for dir in dirs {
        let expected_path = dir.join("expected.json");
        let got = parindex::score_folder(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).to_json_pretty();
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
