//! Each block's ranked table as terminal text (`parindex score --format table`).

use parindex::{ResultsDocument, RoundFolder};

/// Pads `s` to `width` characters (counting characters, not bytes: Vietnamese text is
/// mostly precomposed).
fn pad(s: &str, width: usize, right: bool) -> String {
    let n = s.chars().count();
    let fill = " ".repeat(width.saturating_sub(n));
    if right { format!("{fill}{s}") } else { format!("{s}{fill}") }
}

/// Each block's ranked table as plain text for a terminal, under the round's title and
/// evaluator: rank, unit, index, points, maximum, self, appraised, survey, class, in columns
/// padded by characters (Vietnamese text is mostly precomposed). `results` are those of the
/// round loaded in `folder` (for the block titles).
pub fn text_table(folder: &RoundFolder, results: &ResultsDocument) -> String {
    let round = &folder.round;
    let mut out = format!("{} — {}\n", round.title, round.evaluator);
    for block in &results.blocks {
        let title = round.block(&block.id).map_or(block.id.as_str(), |b| b.title.as_str());
        out.push_str(&format!("\n{title} ({} đơn vị)\n", block.units.len()));
        let header = ["Hạng", "Đơn vị", "Chỉ số %", "Điểm", "Tối đa", "Tự chấm", "Thẩm định", "Điều tra", "Xếp loại"];
        let mut rows: Vec<[String; 9]> = Vec::with_capacity(block.units.len());
        for u in &block.units {
            rows.push([
                u.rank.map_or_else(|| "–".to_owned(), |r| r.to_string()),
                u.name.clone(),
                u.index.to_string(),
                u.total.to_string(),
                u.max.to_string(),
                u.self_total.to_string(),
                u.appraised_total.to_string(),
                u.survey_total.to_string(),
                u.class.clone().unwrap_or_else(|| "–".to_owned()),
            ]);
        }
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| -> String {
            let parts: Vec<String> =
                cells.iter().zip(widths).enumerate().map(|(i, (c, w))| pad(c, w, !(i == 1 || i == 8))).collect();
            parts.join("  ").trim_end().to_owned() + "\n"
        };
        out.push_str(&line(&header.map(str::to_owned)));
        out.push_str(&(widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  ") + "\n"));
        for row in &rows {
            out.push_str(&line(row));
        }
    }
    out
}
