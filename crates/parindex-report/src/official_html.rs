//! The official table as one self-contained HTML page, for A4 landscape: a page (or more)
//! per block with the national heading, the title, the table (its header rows repeat on
//! every printed page, no row is split), the footnotes and the signature block.

use std::fmt::Write;

use parindex::Decimal;

use crate::html::esc;
use crate::labels::Locale;
use crate::model::Report;
use crate::numbers::num;
use crate::official::{self, MOTTO, NATION, Table};

const STYLE: &str = r#"
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Noto Serif", "Noto Sans", serif; color: #000; margin: 0 auto;
       max-width: 1400px; padding: 16px 24px; font-size: 13px; line-height: 1.3; }
section.annex + section.annex { break-before: page; }
table.head { width: 100%; border: none; margin-bottom: 8px; }
table.head td { border: none; text-align: center; vertical-align: top; padding: 0; width: 50%; }
.nation { font-weight: 700; }
.motto { font-weight: 700; text-decoration: underline; }
.issuer { font-weight: 700; }
h1, h2, h3 { text-align: center; margin: 2px 0; }
h1 { font-size: 15px; } h2 { font-size: 14px; } h3 { font-size: 13px; font-weight: 600; }
p.decision { text-align: center; font-style: italic; margin: 2px 0 10px; }
table.official { border-collapse: collapse; width: 100%; }
table.official th, table.official td { border: 1px solid #000; padding: 2px 4px; vertical-align: middle; }
table.official th { font-weight: 700; text-align: center; font-size: 12px; }
table.official td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.official td.c { text-align: center; white-space: nowrap; }
table.official td.name { min-width: 180px; }
table.official td.idx { font-weight: 700; }
sup { font-size: 9px; }
ol.notes { margin: 6px 0 0; padding-left: 22px; font-size: 12px; }
p.notes { margin: 8px 0 0; font-weight: 700; font-style: italic; font-size: 12px; }
ul.fields { margin: 4px 0 0; padding-left: 22px; font-size: 12px; columns: 2; }
table.sign { width: 100%; margin-top: 14px; border: none; break-inside: avoid; }
table.sign td { border: none; text-align: center; vertical-align: top; width: 50%; padding: 0; }
table.sign .cap { font-weight: 700; }
table.sign .hint { font-style: italic; }
table.sign .space { height: 70px; }
@page { size: A4 landscape; margin: 10mm 10mm 12mm 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table.official th { font-size: 8.5pt; }
  table.official td { font-size: 9pt; padding: 0.6mm 1.2mm; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  ol.notes, ul.fields { font-size: 8.5pt; }
}
"#;

fn marks(notes: &[usize]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let list: Vec<String> = notes.iter().map(ToString::to_string).collect();
    format!("<sup>({})</sup>", list.join(","))
}

fn figure(d: Option<Decimal>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| num(d, Locale::Vi))
}

pub(crate) fn render(report: &Report<'_>) -> String {
    let round = report.round;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&round.title),
        esc(&round.evaluator)
    );
    for (i, table) in official::tables(report).iter().enumerate() {
        annex(&mut out, report, table, i + 1);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn annex(out: &mut String, report: &Report<'_>, table: &Table<'_>, n: usize) {
    let _ = writeln!(out, "<section class=\"annex\" id=\"annex-{}\">", esc(table.block.id));
    let _ = writeln!(
        out,
        "<table class=\"head\"><tr><td><div class=\"issuer\">{}</div></td><td><div class=\"nation\">{NATION}</div><div class=\"motto\">{MOTTO}</div></td></tr></table>",
        esc(&official::issuer(report))
    );
    let [annex_no, title, block, decision] = official::title_lines(report, table, n);
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<h2>{}</h2>\n<h3>{}</h3>\n<p class=\"decision\">{}</p>",
        esc(&annex_no),
        esc(&title),
        esc(&block),
        esc(&decision)
    );
    out.push_str("<table class=\"official\">\n<thead><tr>");
    for h in official::headers(table) {
        let _ = write!(out, "<th>{}</th>", esc(&h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for line in &table.lines {
        let row = line.row;
        let _ = write!(
            out,
            "<tr><td class=\"c\">{}</td><td class=\"name\">{}{}</td>",
            line.stt,
            esc(&row.name),
            marks(&line.name_notes)
        );
        for cell in &line.fields {
            let text = match cell {
                Some(c) if c.excluded => "–".to_owned(),
                Some(c) => figure(c.points),
                None => "–".to_owned(),
            };
            let _ = write!(out, "<td class=\"n\">{text}</td>");
        }
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n idx\">{}</td><td class=\"c\">{}{}</td><td class=\"c\">{}{}</td></tr>",
            figure(Some(row.self_total)),
            figure(Some(row.appraised_total)),
            figure(Some(row.survey_total)),
            figure(Some(row.total)),
            figure(Some(row.index)),
            esc(row.class.as_deref().unwrap_or("–")),
            marks(&line.class_notes),
            row.rank.map_or_else(|| "không xếp hạng".to_owned(), |r| r.to_string()),
            marks(&line.rank_notes)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if !table.fields.is_empty() {
        out.push_str("<ul class=\"fields\">\n");
        for f in &table.fields {
            let _ = writeln!(out, "<li>Lĩnh vực {}: {}</li>", esc(f.code), esc(f.title));
        }
        out.push_str("</ul>\n");
    }
    if !table.notes.is_empty() {
        out.push_str("<p class=\"notes\">Ghi chú:</p>\n<ol class=\"notes\">\n");
        for note in &table.notes {
            let _ = writeln!(out, "<li>{}</li>", esc(note));
        }
        out.push_str("</ol>\n");
    }
    let [date, capacity, hint] = official::signature_lines(report);
    let _ = writeln!(
        out,
        "<table class=\"sign\"><tr><td></td><td><div class=\"hint\">{}</div><div class=\"cap\">{}</div><div class=\"hint\">{}</div><div class=\"space\"></div></td></tr></table>",
        esc(&date),
        esc(&capacity),
        esc(&hint)
    );
    out.push_str("</section>\n");
}
