//! Every report format, written for the bundled fixture rounds and read back: the XLSX
//! workbook through calamine, the text formats as text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use parindex::{Decimal, ResultsDocument, RoundFolder, score_round};
use parindex_report::{CsvTable, Locale, ReportFormat, ReportOptions, render};

fn fixture(name: &str) -> (RoundFolder, ResultsDocument) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name);
    let folder = RoundFolder::load(&dir).unwrap();
    let results = score_round(&folder);
    (folder, results)
}

fn options(format: ReportFormat, locale: Locale) -> ReportOptions {
    ReportOptions { format, locale, csv_table: CsvTable::Units, csv_bom: false }
}

fn text(folder: &RoundFolder, results: &ResultsDocument, format: ReportFormat, locale: Locale) -> String {
    String::from_utf8(render(folder, results, &options(format, locale)).unwrap()).unwrap()
}

/// A cell read back as the decimal text of its value: numbers through their shortest
/// round-trip representation, rounded to the round's decimals.
fn cell(range: &calamine::Range<Data>, row: usize, col: usize, decimals: u32) -> String {
    match range.get((row, col)) {
        Some(Data::Float(f)) => {
            let exact: Decimal = f.to_string().parse().unwrap();
            let mut shown = exact.round_dp(decimals);
            shown.rescale(decimals);
            // The double holds the published figure to far better than the last digit.
            let back: Decimal = shown.to_string().parse().unwrap();
            assert!((exact - back).abs() < Decimal::new(1, 9), "{exact} is not {shown}");
            shown.to_string()
        }
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

fn rank_cell(range: &calamine::Range<Data>, row: usize) -> String {
    match range.get((row, 0)) {
        Some(Data::Float(f)) => format!("{}", *f as i64),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

#[test]
fn xlsx_holds_every_published_figure() {
    for name in ["dong-thap-2023", "huyen-cao-lanh-2023", "ministries-2023"] {
        let (folder, results) = fixture(name);
        let decimals = folder.round.rounding.decimals;
        let bytes = render(&folder, &results, &options(ReportFormat::Xlsx, Locale::En)).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let units: usize = results.blocks.iter().map(|b| b.units.len()).sum();
        let names = book.sheet_names();
        assert_eq!(names.len(), results.blocks.len() + units, "{name}");
        for (b, block) in results.blocks.iter().enumerate() {
            // Sheets are named by block title and unit name (at most 31 characters).
            let title = &folder.round.block(&block.id).unwrap().title;
            assert_eq!(names[b], title.chars().take(31).collect::<String>(), "{name}");
            let sheet = book.worksheet_range(&names[b]).unwrap();
            let header = (0..sheet.height()).find(|r| cell(&sheet, *r, 0, decimals) == "Rank").unwrap();
            let set = folder.criteria_set(&block.id).unwrap();
            let fields: Vec<&str> = set.roots().iter().map(|id| set.node(*id).unwrap().code.as_str()).collect();
            for (i, row) in block.units.iter().enumerate() {
                let r = header + 1 + i;
                let rank = row.rank.map_or_else(|| "not ranked".to_owned(), |x| x.to_string());
                assert_eq!(rank_cell(&sheet, r), rank, "{name} {}", row.unit);
                assert_eq!(cell(&sheet, r, 1, decimals), row.name);
                assert_eq!(cell(&sheet, r, 2, decimals), row.total.to_string(), "{}", row.unit);
                assert_eq!(cell(&sheet, r, 3, decimals), row.max.to_string());
                assert_eq!(cell(&sheet, r, 4, decimals), row.index.to_string(), "{}", row.unit);
                assert_eq!(cell(&sheet, r, 5, decimals), row.class.clone().unwrap_or_else(|| "–".into()));
                for (f, code) in fields.iter().enumerate() {
                    let node = row.nodes.iter().find(|n| n.code == *code).unwrap();
                    let want = node.index.map(|d| d.to_string()).unwrap_or_default();
                    assert_eq!(cell(&sheet, r, 6 + f, decimals), want, "{} field {code}", row.unit);
                }
            }
        }
        // Each unit's sheet: its index, and every node's points.
        for (k, row) in results.blocks.iter().flat_map(|b| b.units.iter()).enumerate() {
            let sheet_name = &names[results.blocks.len() + k];
            assert!(row.name.starts_with(sheet_name.trim_end_matches(|c: char| c == '~' || c.is_ascii_digit())));
            let sheet = book.worksheet_range(sheet_name).unwrap();
            assert_eq!(cell(&sheet, 3, 1, decimals), row.index.to_string(), "{}", row.unit);
            let header = (0..sheet.height()).find(|r| cell(&sheet, *r, 0, decimals) == "Criterion").unwrap();
            for (i, node) in row.nodes.iter().enumerate() {
                let r = header + 1 + i;
                assert_eq!(cell(&sheet, r, 0, decimals), node.code);
                if node.excluded {
                    assert_eq!(cell(&sheet, r, 4, decimals), "excluded");
                } else {
                    assert_eq!(
                        cell(&sheet, r, 4, decimals),
                        node.points.unwrap().to_string(),
                        "{} {}",
                        row.unit,
                        node.code
                    );
                    assert_eq!(cell(&sheet, r, 2, decimals), node.max.unwrap().to_string());
                }
            }
        }
    }
}

#[test]
fn vietnamese_xlsx_labels() {
    let (folder, results) = fixture("ministries-2023");
    let bytes = render(&folder, &results, &options(ReportFormat::Xlsx, Locale::Vi)).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Khối bo").unwrap();
    let header = (0..sheet.height()).find(|r| cell(&sheet, *r, 0, 2) == "Xếp hạng").unwrap();
    assert_eq!(cell(&sheet, header, 4, 2), "Chỉ số (%)");
    assert_eq!(cell(&sheet, header + 1, 1, 2), "Bộ Tư pháp");
    assert_eq!(cell(&sheet, header + 1, 4, 2), "89.96");
}

#[test]
fn markdown_has_the_ranked_tables_and_a_section_per_unit() {
    let (folder, results) = fixture("dong-thap-2023");
    let md = text(&folder, &results, ReportFormat::Markdown, Locale::En);
    assert!(md.starts_with("# Xác định Chỉ số cải cách hành chính năm 2023\n"), "{}", &md[..200]);
    assert!(md.contains("## Khối sở, ban, ngành (20 units)"));
    let top = md.lines().find(|l| l.starts_with("| 1 | Sở Kế hoạch và Đầu tư |")).unwrap();
    assert!(top.contains("**94.72**") && top.contains("Xuất sắc"), "{top}");
    assert!(md.lines().any(|l| l.starts_with("| not ranked | Văn phòng UBND tỉnh |")));
    assert_eq!(md.matches("\n### ").count(), 32);
    assert!(md.contains("- `missing_entry` 2.4:"));
    let vi = text(&folder, &results, ReportFormat::Markdown, Locale::Vi);
    let top = vi.lines().find(|l| l.starts_with("| 1 | Sở Kế hoạch và Đầu tư |")).unwrap();
    assert!(top.contains("**94,72**"), "{top}");
    assert!(vi.contains("| Xếp hạng | Đơn vị |"));
}

#[test]
fn csv_keeps_the_decimal_point_and_quotes_names() {
    let (folder, results) = fixture("dong-thap-2023");
    for locale in [Locale::En, Locale::Vi] {
        let csv = text(&folder, &results, ReportFormat::Csv, locale);
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 33);
        assert!(lines[0].starts_with("round,block,rank,unit,name,status,class,index,total,max"));
        assert!(lines[0].contains(",field_1_index,") && lines[0].ends_with(",field_8_index"));
        assert!(
            lines[1].starts_with("dong-thap-2023,so,1,so-ke-hoach-dau-tu,Sở Kế hoạch và Đầu tư,final,Xuất sắc,94.72,"),
            "{}",
            lines[1]
        );
    }
    let (folder, results) = fixture("huyen-cao-lanh-2023");
    let csv = text(&folder, &results, ReportFormat::Csv, Locale::En);
    assert!(csv.contains("\"Phòng Lao động - TB&XH\"") || csv.contains(",Phòng Lao động - TB&XH,"));
    let opts =
        ReportOptions { format: ReportFormat::Csv, locale: Locale::En, csv_table: CsvTable::Nodes, csv_bom: false };
    let nodes = String::from_utf8(render(&folder, &results, &opts).unwrap()).unwrap();
    let rows = nodes.split("\r\n").filter(|l| !l.is_empty()).count();
    let expected: usize = results.blocks.iter().flat_map(|b| &b.units).map(|u| u.nodes.len()).sum();
    assert_eq!(rows, expected + 1);
    assert!(nodes.contains("huyen-cao-lanh-2023,phong,thanh-tra-huyen,3,Cải cách thủ tục hành chính,0,true,,,,"));
}

#[test]
fn html_is_one_self_contained_page_with_charts() {
    let (folder, results) = fixture("huyen-cao-lanh-2023");
    let html = text(&folder, &results, ReportFormat::Html, Locale::Vi);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    assert!(html.trim_end().ends_with("</html>"));
    // Nothing is fetched: no external stylesheet, script, image or font.
    for needle in ["<script", "<link", "src=", "url(", "@import", "https://"] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert_eq!(html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\"").count(), 2);
    assert_eq!(html.matches("<table class=\"heat\">").count(), 2);
    assert_eq!(html.matches("<article id=\"unit-").count(), 30);
    assert!(html.contains("Thị trấn Mỹ Thọ"));
    assert!(html.contains("Phòng Lao động - TB&amp;XH"));
    assert!(html.contains("hsl("));
    // Vietnamese numbers in the tables.
    let top = &results.blocks[1].units[0];
    assert!(html.contains(&top.index.to_string().replace('.', ",")));
    // A bar per unit, its width proportional to the index.
    assert_eq!(html.matches("<rect ").count(), 30);
}

#[test]
fn year_over_year_columns() {
    let (folder, mut results) = fixture("ministries-2023");
    let previous = parindex::PreviousResults::from_json_text(
        r#"{ "round": "par-index-2022-bo", "blocks": [ { "id": "bo", "units": [
            { "unit": "bo-01", "index": "88.00", "rank": 3 }, { "unit": "bo-02", "index": "90.10", "rank": 1 } ] } ] }"#,
    )
    .unwrap();
    previous.apply(&mut results, folder.round.rounding).unwrap();
    let md = text(&folder, &results, ReportFormat::Markdown, Locale::En);
    let first = md.lines().find(|l| l.starts_with("| 1 | Bộ Tư pháp |")).unwrap();
    assert!(first.ends_with("| 88.00 | +1.96 | 3 | ▲2 |"), "{first}");
    let second = md.lines().find(|l| l.starts_with("| 2 | Ngân hàng Nhà nước Việt Nam |")).unwrap();
    assert!(second.ends_with("| 90.10 | -0.22 | 1 | ▼1 |"), "{second}");
    let third = md.lines().find(|l| l.starts_with("| 3 | Bộ Tài chính |")).unwrap();
    assert!(third.ends_with("| new | – | – | – |"), "{third}");
    let csv = text(&folder, &results, ReportFormat::Csv, Locale::En);
    assert!(csv.lines().next().unwrap().ends_with(",previous_index,previous_rank,change_index,change_rank"));
    assert!(csv.contains(",88.00,3,1.96,2"));
    let html = text(&folder, &results, ReportFormat::Html, Locale::En);
    assert!(html.contains("Compared with round par-index-2022-bo"));
    assert!(html.contains("class=\"prev\""));
    // XLSX: the rank change is a number (shown ▲2, ▼1), so that it sorts.
    let bytes = render(&folder, &results, &options(ReportFormat::Xlsx, Locale::En)).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Khối bo").unwrap();
    let header = (0..sheet.height()).find(|r| cell(&sheet, *r, 0, 2) == "Rank").unwrap();
    let change_col = (0..sheet.width()).find(|c| cell(&sheet, header, *c, 2) == "Rank change").unwrap();
    assert_eq!(sheet.get((header + 1, change_col)), Some(&Data::Float(2.0)));
    assert_eq!(sheet.get((header + 2, change_col)), Some(&Data::Float(-1.0)));
}

#[test]
fn results_of_another_round_are_refused() {
    let (folder, _) = fixture("ministries-2023");
    let (_, other) = fixture("dong-thap-2023");
    let e = render(&folder, &other, &options(ReportFormat::Markdown, Locale::En)).unwrap_err();
    assert!(e.to_string().contains("'dong-thap-2023'"), "{e}");
}

#[test]
fn the_official_table_has_the_heading_columns_footnotes_and_signature() {
    let (folder, results) = fixture("dong-thap-2023");
    let html = text(&folder, &results, ReportFormat::OfficialHtml, Locale::En);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"), "always Vietnamese");
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH ĐỒNG THÁP",
        "PHỤ LỤC 1",
        "PHỤ LỤC 2",
        "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023",
        "<th>STT</th><th>Đơn vị</th><th>Lĩnh vực 1 (tối đa 9)</th>",
        "<th>Tự đánh giá</th><th>Thẩm định</th><th>Điều tra XHH</th><th>Tổng điểm</th><th>Chỉ số (%)</th><th>Xếp loại</th><th>Xếp hạng</th>",
        "@page { size: A4 landscape;",
        "thead { display: table-header-group; }",
        "tr { break-inside: avoid;",
        "TM. UBND TỈNH ĐỒNG THÁP",
        "Sở Tài nguyên và Môi trường: xếp loại bị giới hạn ở mức «Tốt»: Có đơn vị trực thuộc",
        "Văn phòng UBND tỉnh: không xếp hạng",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // Every unit with its published figures, in the results' order, numbered.
    for block in &results.blocks {
        for (i, row) in block.units.iter().enumerate() {
            let start =
                format!("<tr><td class=\"c\">{}</td><td class=\"name\">{}", i + 1, row.name.replace('&', "&amp;"));
            let line = html.lines().find(|l| l.starts_with(&start)).unwrap_or_else(|| panic!("{start}"));
            for figure in [row.self_total, row.appraised_total, row.survey_total, row.total, row.index] {
                assert!(
                    line.contains(&format!(">{}<", figure.to_string().replace('.', ","))),
                    "{}: {figure}",
                    row.unit
                );
            }
        }
    }
    // The capped unit's class carries the footnote mark.
    let capped = html
        .lines()
        .find(|l| l.contains("Sở Tài nguyên và Môi trường</td>") || l.contains("Sở Tài nguyên và Môi trường<sup>"))
        .unwrap();
    assert!(capped.contains("Tốt<sup>("), "{capped}");
}

#[test]
fn the_official_workbook_holds_every_figure_on_a_sheet_per_block() {
    let (folder, results) = fixture("dong-thap-2023");
    let bytes = render(&folder, &results, &options(ReportFormat::OfficialXlsx, Locale::En)).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, vec!["PL1 Khối sở, ban, ngành".to_owned(), "PL2 Khối UBND huyện, thành phố".to_owned()]);
    for (b, block) in results.blocks.iter().enumerate() {
        let sheet = book.worksheet_range(&names[b]).unwrap();
        assert!((0..sheet.width()).any(|c| cell(&sheet, 0, c, 2) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        let header = (0..sheet.height()).find(|r| cell(&sheet, *r, 0, 2) == "STT").unwrap();
        let width = sheet.width();
        assert_eq!(cell(&sheet, header, width - 1, 2), "Xếp hạng");
        for (i, row) in block.units.iter().enumerate() {
            let r = header + 1 + i;
            assert_eq!(cell(&sheet, r, 0, 0), (i + 1).to_string());
            assert!(cell(&sheet, r, 1, 2).starts_with(&row.name), "{}", row.unit);
            assert_eq!(cell(&sheet, r, width - 3, 2), row.index.to_string(), "{}", row.unit);
            assert_eq!(cell(&sheet, r, width - 4, 2), row.total.to_string(), "{}", row.unit);
            assert!(cell(&sheet, r, width - 2, 2).starts_with(row.class.as_deref().unwrap_or("–")));
        }
        let all: Vec<String> = (0..sheet.height()).map(|r| cell(&sheet, r, 0, 2)).collect();
        assert!(
            all.iter().any(|c| c == "Ghi chú:")
                || block
                    .units
                    .iter()
                    .all(|u| u.rank.is_some() && u.class_cap.is_none() && u.bonus.is_zero() && u.penalty.is_zero())
        );
    }
}

#[test]
fn scorecards_have_a_summary_per_block_and_a_card_per_unit() {
    let (folder, results) = fixture("dong-thap-2023");
    let html = text(&folder, &results, ReportFormat::Scorecards, Locale::Vi);
    let units: usize = results.blocks.iter().map(|b| b.units.len()).sum();
    assert_eq!(html.matches("<section class=\"card\"").count(), units);
    assert_eq!(html.matches("<section class=\"summary\"").count(), results.blocks.len());
    // The block average: the published indices summed exactly, divided once, presented.
    let so = &results.blocks[0];
    let sum: Decimal = so.units.iter().map(|u| u.index).sum();
    let avg = folder.round.rounding.present(sum / Decimal::from(so.units.len()));
    assert!(html.contains(&format!("<b>{}</b>", avg.to_string().replace('.', ","))), "average {avg}");
    for needle in [
        "Điểm bị mất theo tiêu chí",
        "Thay đổi khi thẩm định",
        "Số đơn vị theo xếp loại",
        "Chỉ số bình quân từng lĩnh vực",
        "xếp loại bị giới hạn ở mức «Tốt»",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

#[test]
fn caps_show_in_markdown_and_html_with_a_note() {
    let (folder, results) = fixture("huyen-cao-lanh-2023");
    let md = text(&folder, &results, ReportFormat::Markdown, Locale::Vi);
    assert!(md.contains("Phòng Tài nguyên và Môi trường: xếp loại bị giới hạn ở mức «Khá»: Có cán bộ bị xử lý kỷ luật trong năm 2023"), "{md}");
    let html = text(&folder, &results, ReportFormat::Html, Locale::En);
    assert!(html.contains("class capped at «Khá»"));
    assert!(html.contains("<sup class=\"fn\">(1)</sup>"));
}

#[test]
fn csv_starts_with_a_bom_when_asked() {
    let (folder, results) = fixture("ministries-2023");
    let mut opts = options(ReportFormat::Csv, Locale::En);
    opts.csv_bom = true;
    let bytes = render(&folder, &results, &opts).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert!(bytes[3..].starts_with(b"round,block,"));
}

#[test]
fn the_chart_is_readable_by_colour_blind_readers_and_not_squashed() {
    let (folder, results) = fixture("dong-thap-2023");
    let html = text(&folder, &results, ReportFormat::Html, Locale::Vi);
    // Classes in the legend with their thresholds; the axis start stated.
    assert!(html.contains("Xuất sắc (≥ 90)"), "thresholds in the legend");
    assert!(html.contains("trục bắt đầu từ"), "the axis does not start at 0 and says so");
    assert!(html.contains("class=\"bound\""), "class bounds drawn");
    // The ColorBrewer YlGnBu class colours, no red/green pair.
    assert!(html.contains("#253494") && !html.contains("#c92a2a") && !html.contains("#2b8a3e"));
}

/// Issue #13: an appraisal entry records the appraising agency that made it (`by`); the
/// scorecard's list of appraisal changes names it beside the reason.
#[test]
fn scorecards_name_the_appraising_agency_of_a_change() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2023");
    let mut files = std::collections::BTreeMap::new();
    for sub in ["", "criteria", "assessments"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") && path.file_name().is_some_and(|n| n != "expected.json") {
                let name = path.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let scorecards = |files: &std::collections::BTreeMap<String, String>| {
        let folder = RoundFolder::from_files(files).unwrap();
        let results = score_round(&folder);
        text(&folder, &results, ReportFormat::Scorecards, Locale::Vi)
    };
    let before = scorecards(&files);
    assert!(before.contains("Xác định lại theo tài liệu kiểm chứng hợp lệ: 21/23"), "the change is listed");
    assert!(!before.contains("cơ quan thẩm định:"), "no entry records `by` yet");

    let key = "assessments/ban-dan-toc.json";
    let mut doc: serde_json::Value = serde_json::from_str(&files[key]).unwrap();
    let stages = doc["appraisals"].as_array_mut().unwrap();
    let entry = stages.iter_mut().rev().find_map(|st| st["entries"].get_mut("1.1.2")).unwrap();
    entry["by"] = serde_json::json!("so-tu-phap");
    files.insert(key.to_owned(), serde_json::to_string_pretty(&doc).unwrap());
    let after = scorecards(&files);
    assert!(
        after.contains(
            "Xác định lại theo tài liệu kiểm chứng hợp lệ: 21/23 nhiệm vụ hoàn thành (cơ quan thẩm định: so-tu-phap)"
        ),
        "the agency is named beside the reason"
    );
}
