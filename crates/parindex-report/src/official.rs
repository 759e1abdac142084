//! The official table (phụ lục of the decision that publishes the results): what it holds,
//! shared by its HTML page and its XLSX workbook.
//!
//! Per block: STT, đơn vị, the points of each field (the field's maximum in the header),
//! self-assessed, appraised and survey totals, total, index, class and rank, and numbered
//! footnotes for class caps, unranked units, bonus and penalty points and units whose field
//! maximum differs from the set's. Every figure is a published figure of the results
//! document; the field maxima in the header are the criteria set's.

use parindex::{AdjustmentList, Assessment, Decimal, NodeRow, UnitRow};

use crate::labels::{Labels, Locale};
use crate::model::{BlockView, Report, cap_note, node_row};
use crate::numbers::num;

/// The national heading (quốc hiệu and tiêu ngữ).
pub(crate) const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// The motto under the national heading.
pub(crate) const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// A field column: code, title and the criteria set's maximum.
pub(crate) struct FieldColumn<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub max: Option<Decimal>,
}

/// One unit's line of the table.
pub(crate) struct Line<'a> {
    /// Its number in the table (số thứ tự), from 1.
    pub stt: usize,
    pub row: &'a UnitRow,
    /// The unit's row of each field, `None` when the results have none.
    pub fields: Vec<Option<&'a NodeRow>>,
    /// The footnote numbers on the unit's name (field maxima, bonus, penalty), class (cap)
    /// and rank (not ranked).
    pub name_notes: Vec<usize>,
    pub class_notes: Vec<usize>,
    pub rank_notes: Vec<usize>,
}

/// One block's table.
pub(crate) struct Table<'a> {
    pub block: &'a BlockView<'a>,
    pub fields: Vec<FieldColumn<'a>>,
    pub lines: Vec<Line<'a>>,
    /// The footnotes, numbered from 1 in order.
    pub notes: Vec<String>,
}

/// The official table's column headers, in order (Vietnamese: the table is an annex to a
/// Vietnamese decision).
pub(crate) fn headers(table: &Table<'_>) -> Vec<String> {
    let mut h = vec!["STT".to_owned(), "Đơn vị".to_owned()];
    for f in &table.fields {
        let max = f.max.map(|m| format!(" (tối đa {})", num(m.normalize(), Locale::Vi))).unwrap_or_default();
        h.push(format!("Lĩnh vực {}{max}", f.code));
    }
    h.extend(
        ["Tự đánh giá", "Thẩm định", "Điều tra XHH", "Tổng điểm", "Chỉ số (%)", "Xếp loại", "Xếp hạng"]
            .map(str::to_owned),
    );
    h
}

/// The effective bonus and penalty lists of an assessment: the last appraisal stage that
/// gives a list, else the self-assessment's (SPEC §6.6), for their reasons.
pub(crate) fn adjustments(assessment: Option<&Assessment>) -> (AdjustmentList, AdjustmentList) {
    let Some(a) = assessment else { return Default::default() };
    let own = a.self_stage.as_ref();
    let bonus = a
        .appraisals
        .iter()
        .rev()
        .find_map(|s| s.bonus.clone())
        .or_else(|| own.map(|s| s.bonus.clone()))
        .unwrap_or_default();
    let penalty = a
        .appraisals
        .iter()
        .rev()
        .find_map(|s| s.penalty.clone())
        .or_else(|| own.map(|s| s.penalty.clone()))
        .unwrap_or_default();
    (bonus, penalty)
}

/// `label: 1,00 điểm (reason; reason)`.
fn adjustment_text(label: &str, points: Decimal, items: &AdjustmentList) -> String {
    let reasons: Vec<&str> = items.iter().map(|a| a.reason.trim()).filter(|r| !r.is_empty()).collect();
    let why = if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join("; ")) };
    format!("{label} {} điểm{why}", num(points, Locale::Vi))
}

/// Each block's official table.
pub(crate) fn tables<'a>(report: &'a Report<'a>) -> Vec<Table<'a>> {
    let l: &Labels = Locale::Vi.labels();
    report
        .blocks
        .iter()
        .map(|block| {
            let fields: Vec<FieldColumn<'_>> = block
                .fields
                .iter()
                .map(|f| FieldColumn {
                    code: f.code,
                    title: f.title,
                    max: block.set.and_then(|s| s.find(f.code)).and_then(|id| block.set?.node(id)).map(|n| n.max),
                })
                .collect();
            let mut notes: Vec<String> = Vec::new();
            let mut lines = Vec::with_capacity(block.rows.len());
            for (i, row) in block.rows.iter().enumerate() {
                let mut name_notes = Vec::new();
                let mut class_notes = Vec::new();
                let mut rank_notes = Vec::new();
                let cells: Vec<Option<&NodeRow>> = fields.iter().map(|f| node_row(row, f.code)).collect();
                let odd: Vec<String> = fields
                    .iter()
                    .zip(&cells)
                    .filter_map(|(f, c)| {
                        let c = c.as_ref()?;
                        if c.excluded {
                            return Some(format!("lĩnh vực {} không áp dụng", f.code));
                        }
                        match (c.max, f.max) {
                            (Some(own), Some(set)) if own != set => Some(format!(
                                "lĩnh vực {} tối đa {} điểm (có tiêu chí không áp dụng)",
                                f.code,
                                num(own, Locale::Vi)
                            )),
                            _ => None,
                        }
                    })
                    .collect();
                if !odd.is_empty() {
                    notes.push(format!("{}: {}", row.name, odd.join("; ")));
                    name_notes.push(notes.len());
                }
                if row.bonus > Decimal::ZERO || row.penalty > Decimal::ZERO {
                    let (bonus, penalty) = adjustments(report.assessments.get(&row.unit));
                    let mut parts = Vec::new();
                    if row.bonus > Decimal::ZERO {
                        parts.push(adjustment_text("điểm thưởng", row.bonus, &bonus));
                    }
                    if row.penalty > Decimal::ZERO {
                        parts.push(adjustment_text("điểm trừ", row.penalty, &penalty));
                    }
                    notes.push(format!("{}: {} (đã tính trong tổng điểm)", row.name, parts.join("; ")));
                    name_notes.push(notes.len());
                }
                if let Some(note) = cap_note(row, l) {
                    notes.push(note);
                    class_notes.push(notes.len());
                }
                if row.rank.is_none() {
                    notes.push(format!(
                        "{}: không xếp hạng (kỳ đánh giá xác định đơn vị không tham gia xếp hạng); điểm và chỉ số vẫn được công bố",
                        row.name
                    ));
                    rank_notes.push(notes.len());
                }
                lines.push(Line { stt: i + 1, row, fields: cells, name_notes, class_notes, rank_notes });
            }
            Table { block, fields, lines, notes }
        })
        .collect()
}

/// The issuing body in capitals (`UBND TỈNH ĐỒNG THÁP`).
pub(crate) fn issuer(report: &Report<'_>) -> String {
    report.round.evaluator.to_uppercase()
}

/// The title lines of a block's table: `PHỤ LỤC n`, the round, the block, and the line the
/// decision fills in.
pub(crate) fn title_lines(report: &Report<'_>, table: &Table<'_>, n: usize) -> [String; 4] {
    [
        format!("PHỤ LỤC {n}"),
        format!("KẾT QUẢ {}", report.round.title.to_uppercase()),
        format!("{} ({} đơn vị)", table.block.title, table.lines.len()),
        "(Kèm theo Quyết định số …/QĐ-… ngày … tháng … năm … của …)".to_owned(),
    ]
}

/// The signature block: the place and date to fill in, the capacity, the signer.
pub(crate) fn signature_lines(report: &Report<'_>) -> [String; 3] {
    [
        "…, ngày … tháng … năm …".to_owned(),
        format!("TM. {}", issuer(report)),
        "(Ký, ghi rõ họ tên, đóng dấu)".to_owned(),
    ]
}
