//! Where everything is in a form: sheets, header cells, columns, and one row per group,
//! applicable assessed leaf and input value. The writer lays a workbook out with it and the
//! reader finds the cells with it, so the two always agree.
//!
//! Rows, top to bottom (0-based row numbers in the code, 1-based in messages):
//!
//! - rows 1–4: the title and the header block: round, unit and criteria set, each with its
//!   name (column B) and id (column D); an appraisal sheet also holds the stage and whether
//!   it is final (columns E–F);
//! - row 5: the column headers;
//! - from row 6: the criteria in document order. A group is a bold subtotal row. A leaf is
//!   one row; a ratio input adds two rows below it (numerator, denominator) and a formula
//!   input adds one row per variable (after a row for the choice of expression when the
//!   rule has choices). Column A of these rows reads `1.1.2 [tử số]`, `1.4 [x]`, …;
//! - last: the total row.
//!
//! Survey leaves (scored from the survey only) and leaves that do not apply to the unit are
//! left out, and so is a group with no row left under it. Criteria language v2 (SPEC §11):
//! a derived leaf is a read-only row ([`RowKind::Derived`]) that shows its value; a leaf only
//! the council scores (`source: "appraisal"`) is on appraisal sheets only; bonus and penalty
//! fields (`counts`) are rows like any other, with their own subtotals, and the total row
//! sums the score fields only.

use parindex_core::criteria::Counts;
use parindex_core::rule::{BandInput, ProportionalInput, Rule};
use parindex_core::{CriteriaSet, NodeId, NodeKind, Source};

/// The hidden sheet that records what a workbook is (format, round, unit, set, stage) and
/// holds the option lists that data validation refers to.
pub const META_SHEET: &str = "parindex";
/// The sheet with instructions for officers.
pub const GUIDE_SHEET: &str = "Hướng dẫn";
/// The `format` a form records in its hidden sheet.
pub const FORMAT: &str = "parindex/form@1";

/// Row of the title.
pub const ROW_TITLE: u32 = 0;
/// Row naming the round (kỳ đánh giá).
pub const ROW_ROUND: u32 = 1;
/// Row naming the unit (đơn vị).
pub const ROW_UNIT: u32 = 2;
/// Row naming the criteria set (bộ tiêu chí).
pub const ROW_SET: u32 = 3;
/// Row of the column headers.
pub const ROW_HEADER: u32 = 4;
/// First row of criteria.
pub const FIRST_ROW: u32 = 5;

/// Column of the header labels (and of codes below).
pub const COL_CODE: u16 = 0;
/// Column of titles (and of names in the header block).
pub const COL_TITLE: u16 = 1;
/// Column of maxima (and of the "Mã" labels in the header block).
pub const COL_MAX: u16 = 2;
/// Column of the rule in words (and of ids in the header block).
pub const COL_RULE: u16 = 3;
/// Column of the header block's stage and "final" labels (appraisal sheets).
pub const COL_STAGE_LABEL: u16 = 4;
/// Column of the header block's stage number and "final" answer (appraisal sheets).
pub const COL_STAGE_VALUE: u16 = 5;
/// Row of the "final" answer (appraisal sheets); the stage number is on `ROW_ROUND`.
pub const ROW_FINAL: u32 = ROW_UNIT;

/// Text of a not-arising mark and an explain mark.
pub const MARK: &str = "x";
/// "Yes" and "no" as the form writes them.
pub const YES: &str = "Có";
/// "No".
pub const NO: &str = "Không";
/// What a deadline row takes when the task was not done (input `null`).
pub const NOT_DONE: &str = "Chưa thực hiện";

/// What the input cell of a leaf whose input is in detail rows shows (ratio, formula).
pub const DETAIL_HINT: &str = "↓ nhập ở các dòng dưới";
/// What the input cell of a leaf that takes points only shows (`manual`).
pub const POINTS_ONLY_HINT: &str = "— chấm ở cột điểm";

/// Which sheet a workbook holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// The unit's self-assessment (tự đánh giá).
    SelfAssessment,
    /// The council's appraisal stage N (thẩm định lần N), N ≥ 1.
    Appraisal(u32),
}

impl SheetKind {
    /// The sheet's name: "Tự đánh giá" or "Thẩm định lần N".
    pub fn sheet_name(self) -> String {
        match self {
            SheetKind::SelfAssessment => "Tự đánh giá".to_owned(),
            SheetKind::Appraisal(n) => format!("Thẩm định lần {n}"),
        }
    }

    /// 0 for the self-assessment, N for appraisal stage N (as the hidden sheet records it).
    pub fn stage(self) -> u32 {
        match self {
            SheetKind::SelfAssessment => 0,
            SheetKind::Appraisal(n) => n,
        }
    }

    /// The kind recorded as `stage`.
    pub fn from_stage(stage: u32) -> SheetKind {
        if stage == 0 { SheetKind::SelfAssessment } else { SheetKind::Appraisal(stage) }
    }

    /// The sheets of a workbook of this kind, in order.
    pub fn sheet_names(self) -> Vec<String> {
        vec![self.sheet_name(), GUIDE_SHEET.to_owned(), META_SHEET.to_owned()]
    }
}

/// The columns a sheet has beyond code, title, max and rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The entry's input (kết quả, số liệu).
    pub input: u16,
    /// Points given directly (điểm).
    pub points: u16,
    /// The "nothing arose" mark (không phát sinh).
    pub not_arising: u16,
    /// Evidence, one document per line (self-assessment only).
    pub evidence: Option<u16>,
    /// A note.
    pub note: u16,
    /// The council's reason (appraisal only).
    pub reason: Option<u16>,
    /// The council's request for an explanation (appraisal only).
    pub explain: Option<u16>,
    /// The effective input before this stage, shown read-only (appraisal only).
    pub before_input: Option<u16>,
    /// The effective points before this stage, shown read-only (appraisal only).
    pub before_points: Option<u16>,
    /// The unit's evidence for the entry, shown read-only for the council (appraisal only).
    pub unit_evidence: Option<u16>,
    /// The live points: after this stage (appraisal), or computed from the entry (self); a
    /// formula (see `live`).
    pub after: Option<u16>,
    /// Every column's header text, left to right.
    pub headers: Vec<&'static str>,
    /// Every column's width in characters, left to right.
    pub widths: Vec<u16>,
}

impl Columns {
    /// The columns of a sheet of `kind`.
    pub fn of(kind: SheetKind) -> Columns {
        match kind {
            SheetKind::SelfAssessment => Columns {
                input: 4,
                points: 5,
                not_arising: 6,
                evidence: Some(7),
                note: 8,
                reason: None,
                explain: None,
                before_input: None,
                before_points: None,
                unit_evidence: None,
                after: Some(9),
                headers: vec![
                    "Mã",
                    "Tiêu chí, tiêu chí thành phần",
                    "Điểm tối đa",
                    "Cách chấm",
                    "Kết quả, số liệu",
                    "Điểm tự chấm",
                    "Không phát sinh (x)",
                    "Tài liệu kiểm chứng (mỗi dòng một văn bản; số hiệu, đường dẫn sau dấu |)",
                    "Ghi chú, giải thích cách chấm",
                    "Điểm tính theo kết quả (tự động)",
                ],
                widths: vec![13, 50, 8, 42, 16, 9, 10, 42, 30, 11],
            },
            SheetKind::Appraisal(_) => Columns {
                input: 6,
                points: 7,
                not_arising: 8,
                evidence: None,
                note: 11,
                reason: Some(9),
                explain: Some(10),
                before_input: Some(4),
                before_points: Some(5),
                unit_evidence: Some(13),
                after: Some(12),
                headers: vec![
                    "Mã",
                    "Tiêu chí, tiêu chí thành phần",
                    "Điểm tối đa",
                    "Cách chấm",
                    "Kết quả trước lần thẩm định này",
                    "Điểm trước lần thẩm định này",
                    "Kết quả thẩm định (nếu thay đổi)",
                    "Điểm thẩm định (nếu thay đổi)",
                    "Không phát sinh (x)",
                    "Lý do thay đổi",
                    "Yêu cầu giải trình (x)",
                    "Ghi chú",
                    "Điểm sau thẩm định",
                    "Tài liệu kiểm chứng của đơn vị (chỉ xem)",
                ],
                widths: vec![13, 44, 8, 36, 16, 10, 16, 10, 10, 32, 10, 24, 10, 40],
            },
        }
    }

    /// The columns an officer fills (whose cells must hold values, never formulas).
    pub fn value_columns(&self) -> Vec<u16> {
        let mut cols = vec![self.input, self.points, self.not_arising, self.note];
        cols.extend(self.evidence);
        cols.extend(self.reason);
        cols.extend(self.explain);
        cols.sort_unstable();
        cols
    }
}

/// What a row of the form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A group's subtotal row.
    Group,
    /// A leaf's row: points, the mark, evidence, note; and its input unless it has detail rows.
    Leaf,
    /// A derived leaf's row (SPEC §11.3): computed from other items, shown, never filled.
    Derived,
    /// A ratio's numerator (tử số).
    Numerator,
    /// A ratio's denominator (mẫu số).
    Denominator,
    /// A formula's choice of expression (cách tính).
    Choice,
    /// A formula's variable, by slot.
    Variable(usize),
    /// The total row.
    Total,
}

/// One row of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 0-based row number.
    pub row: u32,
    /// What the row is.
    pub kind: RowKind,
    /// The group or leaf it belongs to (`None` for the total row).
    pub node: Option<NodeId>,
    /// The text of column A, which the reader checks to find deleted or added rows.
    pub label: String,
    /// For a group or the total: the rows of its direct children (for subtotals).
    pub children: Vec<u32>,
}

/// The rows of one unit's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The sheet this layout is for.
    pub kind: SheetKind,
    /// The columns.
    pub columns: Columns,
    /// Every row from `FIRST_ROW` on, top to bottom, ending with the total row.
    pub rows: Vec<Row>,
}

/// Whether a leaf's rule takes its input in detail rows, and which.
pub fn detail_rows(rule: &Rule) -> Vec<RowKind> {
    match rule {
        Rule::Bands { input: BandInput::Ratio, .. } | Rule::Proportional { input: ProportionalInput::Ratio, .. } => {
            vec![RowKind::Numerator, RowKind::Denominator]
        }
        Rule::Formula(f) => {
            let mut rows = Vec::new();
            if f.choice_names.is_some() {
                rows.push(RowKind::Choice);
            }
            rows.extend((0..f.variables.len()).map(RowKind::Variable));
            rows
        }
        _ => Vec::new(),
    }
}

impl Layout {
    /// The layout of the form of a unit with `tags`, for the criteria set `set`.
    pub fn new(set: &CriteriaSet, tags: &[String], kind: SheetKind) -> Layout {
        let mut layout = Layout { kind, columns: Columns::of(kind), rows: Vec::new() };
        let mut next = FIRST_ROW;
        let mut fields = Vec::new();
        for root in set.roots() {
            let counts = set.node(*root).map_or(Counts::Score, |n| n.counts);
            if let Some(row) = layout.add(set, tags, *root, &mut next)
                && counts == Counts::Score
            {
                fields.push(row);
            }
        }
        layout.rows.push(Row {
            row: next,
            kind: RowKind::Total,
            node: None,
            label: "Tổng".to_owned(),
            children: fields,
        });
        layout
    }

    /// Adds the rows of node `id` and below; returns the node's row, if it has one.
    fn add(&mut self, set: &CriteriaSet, tags: &[String], id: NodeId, next: &mut u32) -> Option<u32> {
        let node = set.node(id)?;
        if !set.applies(id, tags) {
            return None;
        }
        match &node.kind {
            NodeKind::Leaf(leaf) => {
                let council_only = leaf.source == Source::Appraisal && self.kind == SheetKind::SelfAssessment;
                if leaf.source == Source::Survey || council_only {
                    return None;
                }
                let row = *next;
                self.rows.push(Row {
                    row,
                    kind: if leaf.source == Source::Derived { RowKind::Derived } else { RowKind::Leaf },
                    node: Some(id),
                    label: node.code.clone(),
                    children: vec![],
                });
                *next += 1;
                for kind in detail_rows(&leaf.rule) {
                    let tag = match kind {
                        RowKind::Numerator => "tử số".to_owned(),
                        RowKind::Denominator => "mẫu số".to_owned(),
                        RowKind::Choice => "cách tính".to_owned(),
                        RowKind::Variable(slot) => match &leaf.rule {
                            Rule::Formula(f) => f.variables.get(slot).map(|(n, _)| n.clone()).unwrap_or_default(),
                            _ => String::new(),
                        },
                        RowKind::Group | RowKind::Leaf | RowKind::Derived | RowKind::Total => String::new(),
                    };
                    self.rows.push(Row {
                        row: *next,
                        kind,
                        node: Some(id),
                        label: format!("{} [{tag}]", node.code),
                        children: vec![],
                    });
                    *next += 1;
                }
                Some(row)
            }
            NodeKind::Group { children } => {
                let row = *next;
                let index = self.rows.len();
                self.rows.push(Row {
                    row,
                    kind: RowKind::Group,
                    node: Some(id),
                    label: node.code.clone(),
                    children: vec![],
                });
                *next += 1;
                let mut child_rows = Vec::new();
                for child in children {
                    if let Some(r) = self.add(set, tags, *child, next) {
                        child_rows.push(r);
                    }
                }
                if child_rows.is_empty() {
                    // Nothing under this group is on the form: drop its row again.
                    self.rows.truncate(index);
                    *next = row;
                    return None;
                }
                if let Some(r) = self.rows.get_mut(index) {
                    r.children = child_rows;
                }
                Some(row)
            }
        }
    }

    /// The total row.
    pub fn total_row(&self) -> u32 {
        self.rows.last().map_or(FIRST_ROW, |r| r.row)
    }

    /// The leaf row of `id`.
    pub fn leaf_row(&self, id: NodeId) -> Option<&Row> {
        self.rows.iter().find(|r| r.kind == RowKind::Leaf && r.node == Some(id))
    }

    /// The row of the derived leaf `id`.
    pub fn derived_row(&self, id: NodeId) -> Option<&Row> {
        self.rows.iter().find(|r| r.kind == RowKind::Derived && r.node == Some(id))
    }

    /// The detail row of `kind` under leaf `id`.
    pub fn detail_row(&self, id: NodeId, kind: RowKind) -> Option<&Row> {
        self.rows.iter().find(|r| r.kind == kind && r.node == Some(id))
    }

    /// The applicable assessed leaves on the form, in document order.
    pub fn leaves(&self) -> impl Iterator<Item = (NodeId, &Row)> {
        self.rows.iter().filter(|r| r.kind == RowKind::Leaf).filter_map(|r| r.node.map(|n| (n, r)))
    }
}

/// A column's letters (`0` → `A`, `27` → `AB`).
pub fn column_name(col: u16) -> String {
    rust_xlsxwriter::utility::column_number_to_name(col)
}

/// A cell's A1 name (`(11, 5)` → `F12`).
pub fn cell_name(row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col)
}

/// A cell named with its sheet as a spreadsheet formula names it, the sheet quoted when its
/// name needs it: `'Tự đánh giá'!F12`. Problems name cells so.
pub fn sheet_cell(sheet: &str, row: u32, col: u16) -> String {
    rust_xlsxwriter::utility::worksheet_range(sheet, row, col, row, col)
}

/// A range named with its sheet, like [`sheet_cell`]: `'Tự đánh giá'!E12:F12`.
pub fn sheet_range(sheet: &str, first_row: u32, first_col: u16, last_row: u32, last_col: u16) -> String {
    rust_xlsxwriter::utility::worksheet_range(sheet, first_row, first_col, last_row, last_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_and_cell_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(cell_name(11, 5), "F12");
        assert_eq!(cell_name(0, 0), "A1");
    }

    #[test]
    fn cell_names_quote_the_sheet_when_a_spreadsheet_needs_it() {
        assert_eq!(sheet_cell("Tự đánh giá", 11, 5), "'Tự đánh giá'!F12");
        assert_eq!(sheet_cell("Thẩm định lần 2", 6, 4), "'Thẩm định lần 2'!E7");
        assert_eq!(sheet_cell("Sở Nội vụ's form", 0, 0), "'Sở Nội vụ''s form'!A1");
        assert_eq!(sheet_cell("parindex", 1, 1), "parindex!B2");
        assert_eq!(sheet_range("Tự đánh giá", 11, 4, 11, 5), "'Tự đánh giá'!E12:F12");
        assert_eq!(sheet_range("Tự đánh giá", 11, 5, 11, 5), "'Tự đánh giá'!F12");
    }

    #[test]
    fn headers_and_widths_cover_every_column() {
        for kind in [SheetKind::SelfAssessment, SheetKind::Appraisal(1)] {
            let c = Columns::of(kind);
            assert_eq!(c.headers.len(), c.widths.len());
            for col in c.value_columns() {
                assert!(usize::from(col) < c.headers.len());
            }
        }
        assert_eq!(SheetKind::from_stage(0), SheetKind::SelfAssessment);
        assert_eq!(SheetKind::Appraisal(2).sheet_name(), "Thẩm định lần 2");
    }
}
