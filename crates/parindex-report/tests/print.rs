//! Printing: every paper format is printed to PDF as a reader would print it, and the PDF
//! is checked with poppler's `pdfinfo` and `pdftotext`: A4 in the right orientation, the
//! number of pages, no blank page, and every unit's name and figures on the paper.
//!
//! - the HTML report, the official table (HTML) and the scorecards through headless
//!   Chromium (`--print-to-pdf`, which honours the pages' `@page` and print CSS);
//! - the XLSX report and the official table (XLSX) through LibreOffice
//!   (`soffice --headless --convert-to pdf`, which honours the sheets' page setup).
//!
//! The tools are Debian's `chromium`, `libreoffice-calc-nogui` and `poppler-utils` (with
//! `fonts-noto-core` for Vietnamese), installed by `.ci/run`'s "#14 print tools" step, which
//! also sets `PARINDEX_REQUIRE_PRINT_TOOLS=1`: then a missing tool fails the test. Without
//! that variable, a machine without the tools skips these checks and says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

use parindex::{Decimal, ResultsDocument, RoundFolder, score_round};
use parindex_report::{CsvTable, Locale, ReportFormat, ReportOptions, render};

/// The first of `names` found on PATH (or the program named by `env`).
fn tool(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
}

struct Tools {
    chromium: PathBuf,
    soffice: PathBuf,
    pdfinfo: PathBuf,
    pdftotext: PathBuf,
}

/// The print tools; `None` (the test is skipped) only when one is missing and
/// `PARINDEX_REQUIRE_PRINT_TOOLS` is not set.
fn tools() -> Option<Tools> {
    let found = (|| {
        Some(Tools {
            chromium: tool("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])?,
            soffice: tool("SOFFICE", &["soffice", "libreoffice"])?,
            pdfinfo: tool("PDFINFO", &["pdfinfo"])?,
            pdftotext: tool("PDFTOTEXT", &["pdftotext"])?,
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var_os("PARINDEX_REQUIRE_PRINT_TOOLS").is_none(),
            "PARINDEX_REQUIRE_PRINT_TOOLS is set but chromium, soffice, pdfinfo or pdftotext is missing"
        );
        eprintln!("print tools missing (chromium, soffice, pdfinfo, pdftotext): print checks skipped");
    }
    found
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-print-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> (RoundFolder, ResultsDocument) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name);
    let folder = RoundFolder::load(&dir).unwrap();
    let results = score_round(&folder);
    (folder, results)
}

fn write(folder: &RoundFolder, results: &ResultsDocument, format: ReportFormat, path: &Path) {
    let options = ReportOptions { format, locale: Locale::Vi, csv_table: CsvTable::Units, csv_bom: false };
    std::fs::write(path, render(folder, results, &options).unwrap()).unwrap();
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Prints an HTML page to PDF with headless Chromium.
fn chromium_pdf(t: &Tools, html: &Path, dir: &Path) -> PathBuf {
    let pdf = html.with_extension("pdf");
    run(Command::new(&t.chromium).args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",
        &format!("--user-data-dir={}", dir.join("chromium-profile").display()),
        &format!("--print-to-pdf={}", pdf.display()),
        &format!("file://{}", html.display()),
    ]));
    assert!(pdf.is_file(), "chromium wrote no {}", pdf.display());
    pdf
}

/// Converts a workbook to PDF with LibreOffice (its own profile, so that it runs beside
/// another LibreOffice).
fn libreoffice_pdf(t: &Tools, xlsx: &Path, dir: &Path) -> PathBuf {
    run(Command::new(&t.soffice).args([
        &format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display()),
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        &dir.display().to_string(),
        &xlsx.display().to_string(),
    ]));
    let pdf = xlsx.with_extension("pdf");
    assert!(pdf.is_file(), "libreoffice wrote no {}", pdf.display());
    pdf
}

/// Page count and size (points) of a PDF.
fn info(t: &Tools, pdf: &Path) -> (usize, Decimal, Decimal) {
    let out = Command::new(&t.pdfinfo).arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let pages = text.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let size = text.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap();
    let mut parts = size.split_whitespace();
    let w: Decimal = parts.next().unwrap().parse().unwrap();
    let _x = parts.next();
    let h: Decimal = parts.next().unwrap().parse().unwrap();
    (pages, w, h)
}

/// The text of each page, whitespace collapsed.
fn pages(t: &Tools, pdf: &Path, count: usize) -> Vec<String> {
    (1..=count)
        .map(|p| {
            let out = Command::new(&t.pdftotext)
                .args(["-f", &p.to_string(), "-l", &p.to_string(), "-enc", "UTF-8"])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            collapse(&String::from_utf8_lossy(&out.stdout))
        })
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A4 in points, within a point: portrait or landscape.
fn assert_a4(w: Decimal, h: Decimal, landscape: bool, what: &str) {
    let (long, short) = (Decimal::new(8419, 1), Decimal::new(5953, 1));
    let (want_w, want_h) = if landscape { (long, short) } else { (short, long) };
    assert!((w - want_w).abs() < Decimal::ONE && (h - want_h).abs() < Decimal::ONE, "{what}: {w} x {h} is not A4");
}

/// A figure as the paper may show it: decimal comma (Vietnamese pages) or point (a
/// spreadsheet printed in an English locale).
fn shown(d: Decimal, text: &str) -> bool {
    let point = d.to_string();
    text.contains(&point) || text.contains(&point.replace('.', ","))
}

#[test]
fn html_report_prints_one_unit_per_a4_page() {
    let Some(t) = tools() else { return };
    let dir = scratch("html");
    let (folder, results) = fixture("dong-thap-2023");
    let html = dir.join("report.html");
    write(&folder, &results, ReportFormat::Html, &html);
    let pdf = chromium_pdf(&t, &html, &dir);
    let (count, w, h) = info(&t, &pdf);
    assert_a4(w, h, false, "html report");
    let units: Vec<_> = results.blocks.iter().flat_map(|b| b.units.iter()).collect();
    // Each block's chart, table and heat map take at most two pages; then a page per unit.
    assert!(count >= units.len() + results.blocks.len(), "{count} pages");
    assert!(count <= units.len() + 2 * results.blocks.len(), "{count} pages: a unit runs over its page");
    let text = pages(&t, &pdf, count);
    assert!(text.iter().all(|p| !p.is_empty()), "a blank page");
    let unit_pages = &text[count - units.len()..];
    for (page, row) in unit_pages.iter().zip(&units) {
        let heading = format!("{} ({})", row.name, row.unit);
        assert!(page.starts_with(&heading), "the page of {} starts {:?}", row.unit, &page[..60.min(page.len())]);
        for figure in [row.index, row.total, row.self_total, row.appraised_total, row.survey_total] {
            assert!(shown(figure, page), "{}: {figure} is not on its page", row.unit);
        }
        for node in row.nodes.iter().filter(|n| !n.excluded) {
            assert!(shown(node.points.unwrap(), page), "{} {}: points not on its page", row.unit, node.code);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every unit's name and published figures somewhere in `text`.
fn assert_every_unit(results: &ResultsDocument, text: &str, what: &str) {
    for row in results.blocks.iter().flat_map(|b| b.units.iter()) {
        assert!(text.contains(&collapse(&row.name)), "{what}: {} is not on paper", row.name);
        for figure in [row.index, row.total, row.self_total, row.appraised_total, row.survey_total] {
            assert!(shown(figure, text), "{what}: {}'s {figure} is not on paper", row.unit);
        }
    }
}

#[test]
fn official_table_prints_on_a4_landscape_as_html_and_xlsx() {
    let Some(t) = tools() else { return };
    let dir = scratch("official");
    let (folder, results) = fixture("dong-thap-2023");
    let html = dir.join("official.html");
    write(&folder, &results, ReportFormat::OfficialHtml, &html);
    let xlsx = dir.join("official.xlsx");
    write(&folder, &results, ReportFormat::OfficialXlsx, &xlsx);
    for (what, pdf) in
        [("official html", chromium_pdf(&t, &html, &dir)), ("official xlsx", libreoffice_pdf(&t, &xlsx, &dir))]
    {
        let (count, w, h) = info(&t, &pdf);
        assert_a4(w, h, true, what);
        // 20 and 12 units: at most two pages a block.
        assert!((results.blocks.len()..=2 * results.blocks.len()).contains(&count), "{what}: {count} pages");
        let text = pages(&t, &pdf, count);
        assert!(text.iter().all(|p| !p.is_empty()), "{what}: a blank page");
        // The header row is on every page that holds rows of the table.
        for (i, page) in text.iter().enumerate() {
            let has_rows =
                results.blocks.iter().flat_map(|b| b.units.iter()).any(|u| page.contains(&collapse(&u.name)));
            if has_rows {
                assert!(
                    page.contains("STT") && page.contains("Xếp hạng"),
                    "{what}: page {} has rows but no header",
                    i + 1
                );
            }
        }
        let all = text.join(" ");
        assert_every_unit(&results, &all, what);
        assert!(all.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{what}");
        assert!(all.contains("xếp loại bị giới hạn ở mức «Tốt»"), "{what}: the cap's footnote");
        assert!(all.contains("TM. UBND TỈNH ĐỒNG THÁP"), "{what}: the signature block");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn xlsx_report_prints_on_a4_with_every_unit() {
    let Some(t) = tools() else { return };
    let dir = scratch("xlsx");
    let (folder, results) = fixture("dong-thap-2023");
    let xlsx = dir.join("report.xlsx");
    write(&folder, &results, ReportFormat::Xlsx, &xlsx);
    let pdf = libreoffice_pdf(&t, &xlsx, &dir);
    let (count, w, h) = info(&t, &pdf);
    assert_a4(w, h, true, "xlsx report");
    let units: usize = results.blocks.iter().map(|b| b.units.len()).sum();
    // A page per block sheet, at most two per unit sheet (one page wide); 166 before.
    assert!(count <= results.blocks.len() + 2 * units, "{count} pages");
    let text = pages(&t, &pdf, count);
    assert!(text.iter().all(|p| !p.is_empty()), "a blank page");
    // "không xếp hạng" is not cut.
    assert!(text[0].contains("không xếp hạng"));
    assert_every_unit(&results, &text.join(" "), "xlsx report");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn scorecards_print_one_page_per_unit() {
    let Some(t) = tools() else { return };
    let dir = scratch("cards");
    let (folder, results) = fixture("dong-thap-2023");
    let html = dir.join("cards.html");
    write(&folder, &results, ReportFormat::Scorecards, &html);
    let pdf = chromium_pdf(&t, &html, &dir);
    let (count, w, h) = info(&t, &pdf);
    assert_a4(w, h, false, "scorecards");
    let units: Vec<_> = results.blocks.iter().flat_map(|b| b.units.iter()).collect();
    assert_eq!(count, units.len() + results.blocks.len(), "a summary page per block and a page per unit");
    let text = pages(&t, &pdf, count);
    let cards: Vec<&String> = text.iter().filter(|p| units.iter().any(|u| p.starts_with(&collapse(&u.name)))).collect();
    assert_eq!(cards.len(), units.len());
    for (page, row) in cards.iter().zip(&units) {
        assert!(page.starts_with(&collapse(&row.name)), "{}", row.unit);
        assert!(shown(row.index, page), "{}: index", row.unit);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
