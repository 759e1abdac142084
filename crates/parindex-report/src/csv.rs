//! The CSV report: a machine format, so always a decimal point and stable English headers.

use crate::CsvTable;
use crate::model::{Report, criteria_rows, field_index};

/// One field, quoted when it holds a comma, a quote or a line break (RFC 4180), and
/// neutralised when it is text a spreadsheet would take for a formula.
fn field(s: &str) -> String {
    let s = neutralised(s);
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into_owned() }
}

/// Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by a
/// spreadsheet as a formula (CSV injection, OWASP): such text gets a leading `'`, which
/// spreadsheets show as text. A figure (`-0.50`, a decimal as SPEC §2 writes it) is left as it
/// is, so that it stays a number.
fn neutralised(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_figure(s) { std::borrow::Cow::Owned(format!("'{s}")) } else { std::borrow::Cow::Borrowed(s) }
}

/// `-?digits(.digits)?`: how every figure of the CSV is written.
fn is_figure(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac)
}

fn line(cells: &[String]) -> String {
    let mut l = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    l.push_str("\r\n");
    l
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

pub(crate) fn render(report: &Report<'_>, table: CsvTable) -> String {
    match table {
        CsvTable::Units => units(report),
        CsvTable::Nodes => nodes(report),
    }
}

fn units(report: &Report<'_>) -> String {
    // Every field code of every block, in first-seen order: blocks may use different sets.
    let mut codes: Vec<&str> = Vec::new();
    for b in &report.blocks {
        for f in &b.fields {
            if !codes.contains(&f.code) {
                codes.push(f.code);
            }
        }
    }
    let mut header: Vec<String> = [
        "round",
        "block",
        "rank",
        "unit",
        "name",
        "status",
        "class",
        "index",
        "total",
        "max",
        "self_total",
        "appraised_total",
        "survey_total",
        "bonus",
        "penalty",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(codes.iter().map(|c| format!("field_{c}_index")));
    if report.has_previous() {
        header.extend(["previous_index", "previous_rank", "change_index", "change_rank"].map(str::to_owned));
    }
    let mut out = line(&header);
    for b in &report.blocks {
        for row in b.rows {
            let mut cells = vec![
                report.round.id.clone(),
                b.id.to_owned(),
                opt(row.rank),
                row.unit.clone(),
                row.name.clone(),
                row.status.as_str().to_owned(),
                row.class.clone().unwrap_or_default(),
                row.index.to_string(),
                row.total.to_string(),
                row.max.to_string(),
                row.self_total.to_string(),
                row.appraised_total.to_string(),
                row.survey_total.to_string(),
                row.bonus.to_string(),
                row.penalty.to_string(),
            ];
            for code in &codes {
                let value = b.fields.iter().find(|f| f.code == *code).and_then(|f| field_index(row, f));
                cells.push(opt(value));
            }
            if report.has_previous() {
                let p = row.previous.clone().flatten();
                let c = row.change.clone().flatten();
                cells.push(opt(p.as_ref().map(|p| p.index)));
                cells.push(opt(p.and_then(|p| p.rank)));
                cells.push(opt(c.as_ref().map(|c| c.index)));
                cells.push(opt(c.and_then(|c| c.rank)));
            }
            out.push_str(&line(&cells));
        }
    }
    out
}

fn nodes(report: &Report<'_>) -> String {
    let header = ["round", "block", "unit", "code", "title", "depth", "excluded", "max", "self", "points", "index"];
    let mut out = line(&header.map(str::to_owned));
    for b in &report.blocks {
        for row in b.rows {
            for (node, nr) in criteria_rows(b.set, row) {
                out.push_str(&line(&[
                    report.round.id.clone(),
                    b.id.to_owned(),
                    row.unit.clone(),
                    nr.code.clone(),
                    node.map(|n| n.title.clone()).unwrap_or_default(),
                    opt(node.map(|n| n.depth)),
                    nr.excluded.to_string(),
                    opt(nr.max),
                    opt(nr.self_points),
                    opt(nr.points),
                    opt(nr.index),
                ]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn formula_text_is_neutralised_and_figures_stay_numbers() {
        assert_eq!(field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("+84 28"), "'+84 28");
        assert_eq!(field("-x"), "'-x");
        assert_eq!(field("\tcmd"), "'\tcmd");
        assert_eq!(field("\rcmd"), "\"'\rcmd\"");
        assert_eq!(field("-0.50"), "-0.50");
        assert_eq!(field("-3"), "-3");
        assert_eq!(field("Sở Nội vụ"), "Sở Nội vụ");
        assert_eq!(field("a-b"), "a-b");
    }
}
