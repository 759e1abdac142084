//! Each block's ranked table as terminal text (`parindex score --format table`), fitted to
//! the terminal's width.

use parindex::terminal::{pad, shorten, width_of};
use parindex::{Locale, ResultsDocument, RoundFolder};

/// The width of the unit-name column that columns are left out to keep.
const NAME: usize = 24;
/// The narrowest the unit-name column ever gets.
const MIN_NAME: usize = 12;

/// Each block's ranked table as plain English text, as wide as it needs
/// ([`text_table_in`] with [`Locale::En`] and no width limit).
pub fn text_table(folder: &RoundFolder, results: &ResultsDocument) -> String {
    text_table_in(folder, results, Locale::En, usize::MAX)
}

/// Each block's ranked table as plain text for a terminal `width` characters wide, under the
/// round's title and evaluator: rank, unit, index, points, maximum, self, appraised, survey,
/// class, headed and with figures written for a person reading `locale` (`85,63` in
/// Vietnamese). When the table is wider than `width`,
/// the maximum, survey, self and appraised columns are left out, in that order, until names
/// have 24 characters, then names are shortened (with `…`).
/// `results` are those of the round loaded in `folder` (for the block titles).
pub fn text_table_in(folder: &RoundFolder, results: &ResultsDocument, locale: Locale, width: usize) -> String {
    let round = &folder.round;
    let vi = locale == Locale::Vi;
    let mut out = parindex::terminal::wrap(&format!("{} — {}", round.title, round.evaluator), width, "", "  ");
    for block in &results.blocks {
        let title = round.block(&block.id).map_or(block.id.as_str(), |b| b.title.as_str());
        let units =
            if vi { format!("{} đơn vị", block.units.len()) } else { format!("{} units", block.units.len()) };
        out.push('\n');
        out.push_str(&parindex::terminal::wrap(&format!("{title} ({units})"), width, "", "  "));
        let header: [&str; 9] = if vi {
            ["Hạng", "Đơn vị", "Chỉ số %", "Điểm", "Tối đa", "Tự chấm", "Thẩm định", "Điều tra", "Xếp loại"]
        } else {
            ["Rank", "Unit", "Index %", "Points", "Max", "Self", "Appraised", "Survey", "Class"]
        };
        let none = || "–".to_owned();
        let rows: Vec<[String; 9]> = block
            .units
            .iter()
            .map(|u| {
                [
                    u.rank.map_or_else(none, |r| r.to_string()),
                    u.name.clone(),
                    locale.number(u.index),
                    locale.number(u.total),
                    locale.number(u.max),
                    locale.number(u.self_total),
                    locale.number(u.appraised_total),
                    locale.number(u.survey_total),
                    u.class.clone().unwrap_or_else(none),
                ]
            })
            .collect();
        let mut widths = header.map(width_of);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width_of(cell));
            }
        }
        // Which columns are shown: when the table is too wide, the maximum, survey, self and
        // appraised columns are left out in turn until names get at least `NAME` characters;
        // names are shortened only then, and never below `MIN_NAME`.
        let natural = widths[1];
        let mut shown = [true; 9];
        for drop in [None, Some(4), Some(7), Some(5), Some(6)] {
            if let Some(hidden) = drop.and_then(|d| shown.get_mut(d)) {
                *hidden = false;
            }
            let others: usize =
                widths.iter().zip(shown).enumerate().filter(|(i, (_, s))| *s && *i != 1).map(|(_, (w, _))| w + 2).sum();
            let room = width.saturating_sub(others);
            widths[1] = natural.min(room.max(MIN_NAME));
            if room >= natural.min(NAME) {
                break;
            }
        }
        let line = |cells: &[String; 9]| -> String {
            let parts: Vec<String> = cells
                .iter()
                .zip(widths)
                .enumerate()
                .filter(|(i, _)| shown.get(*i).copied().unwrap_or(false))
                .map(|(i, (c, w))| pad(&shorten(c, w), w, !(i == 1 || i == 8)))
                .collect();
            parts.join("  ").trim_end().to_owned() + "\n"
        };
        out.push_str(&line(&header.map(str::to_owned)));
        let rule: Vec<String> = widths.iter().zip(shown).filter(|(_, s)| *s).map(|(w, _)| "─".repeat(*w)).collect();
        out.push_str(&(rule.join("  ") + "\n"));
        for row in &rows {
            out.push_str(&line(row));
        }
    }
    out
}
