//! Writing a unit's form: the self-assessment sheet, or the appraisal sheet of stage N, with
//! the guide and the hidden `parindex` sheet (see [`crate::layout`] for where things are).

use std::path::Path;

use parindex_assess::Assessment;
use parindex_core::criteria::Counts;
use parindex_core::rule::{BandInput, ProportionalInput, Rule};
use parindex_core::{CriteriaSet, Decimal, NodeId, NotArisingPolicy};
use parindex_rank::{Round, Unit};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::Error;
use crate::cell::{double_from_decimal, shown_double};
use crate::display::{Before, Shown, StagePoints, before};
use crate::layout::{
    COL_CODE, COL_MAX, COL_RULE, COL_STAGE_LABEL, COL_STAGE_VALUE, COL_TITLE, DETAIL_HINT, FIRST_ROW, FORMAT,
    GUIDE_SHEET, Layout, MARK, META_SHEET, NO, NOT_DONE, POINTS_ONLY_HINT, ROW_FINAL, ROW_HEADER, ROW_ROUND, ROW_SET,
    ROW_TITLE, ROW_UNIT, Row, RowKind, SheetKind, YES, column_name,
};
use crate::live::Live;
use crate::round_dir;
use crate::words::{DERIVED, leaf_words, number};

/// What a form is written from.
#[derive(Debug, Clone, Copy)]
pub struct FormContext<'a> {
    /// The round.
    pub round: &'a Round,
    /// The unit.
    pub unit: &'a Unit,
    /// The criteria set of the unit's block.
    pub set: &'a CriteriaSet,
    /// Which sheet.
    pub kind: SheetKind,
    /// The unit's assessment so far (needed for an appraisal sheet).
    pub base: Option<&'a Assessment>,
}

/// A form's context and, when the unit has an assessment, the engine's points at each stage.
struct Ctx<'a> {
    form: &'a FormContext<'a>,
    points: Option<&'a StagePoints>,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = FormContext<'a>;
    fn deref(&self) -> &FormContext<'a> {
        self.form
    }
}

impl Ctx<'_> {
    /// What the sheet shows of `id` before its appraisal stage, with the points the engine
    /// gives it then (refs and required evidence applied).
    fn before(&self, id: NodeId) -> Option<Before> {
        let (Some(base), SheetKind::Appraisal(n)) = (self.base, self.kind) else { return None };
        let mut b = before(base, self.set, id, n);
        if let Some(sp) = self.points {
            b.points = sp.before(id, n).map_or(Shown::Blank, Shown::Number);
        }
        Some(b)
    }

    /// A derived leaf's value at the form's stage: before the appraisal stage, or at the self
    /// stage of the unit's assessment; `None` without an assessment.
    fn derived_value(&self, id: NodeId) -> Option<Decimal> {
        self.points?.before(id, self.kind.stage())
    }
}

/// Writes the form of `unit_id` in the round folder `round_dir` and returns the `.xlsx` bytes.
/// An appraisal form needs the unit's assessment in the folder's `assessments/`.
pub fn write_form(round_dir: &Path, unit_id: &str, kind: SheetKind) -> Result<Vec<u8>, Error> {
    let files = round_dir::load(round_dir, parindex_rank::Limits::default())?;
    let Some((unit, block)) = files.unit(unit_id) else {
        return Err(Error::UnknownUnit {
            unit: unit_id.to_owned(),
            round: files.round.id.clone(),
            units: files.unit_ids(),
        });
    };
    let set = round_dir::criteria_set(&files, block)?;
    let base = match kind {
        SheetKind::SelfAssessment => None,
        SheetKind::Appraisal(n) => {
            let Some(file) = files.find_assessment(unit_id) else {
                return Err(Error::NoAssessment {
                    unit: unit_id.to_owned(),
                    stage: n,
                    folder: files.dir.join("assessments"),
                });
            };
            let a = Assessment::from_document(&parindex_json::Value::from(&file.doc), &set, &block.class_labels())
                .map_err(|d| Error::Invalid(d.in_file(&file.name)))?;
            Some(a)
        }
    };
    let ctx = FormContext { round: &files.round, unit, set: &set, kind, base: base.as_ref() };
    let mut workbook = build_workbook(&ctx)?;
    Ok(workbook.save_to_buffer()?)
}

/// The formats of a form.
struct Styles {
    title: Format,
    label: Format,
    header: Format,
    fixed: Format,
    fixed_detail: Format,
    group: Format,
    input: Format,
    input_date: Format,
    disabled: Format,
    total: Format,
}

/// The format of the cells an officer fills (unlocked, pale yellow).
pub fn input_format() -> Format {
    Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xFFF2CC))
}

/// The format of a date cell an officer fills.
pub fn input_date_format() -> Format {
    input_format().set_num_format("dd/mm/yyyy")
}

impl Styles {
    fn new() -> Styles {
        let thin = FormatBorder::Thin;
        let fixed = Format::new().set_text_wrap().set_border(thin).set_align(FormatAlign::Top);
        let input = input_format();
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border(thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            fixed_detail: fixed.clone().set_italic().set_indent(1).set_font_color(Color::RGB(0x404040)),
            fixed,
            group: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border(thin)
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xEDEDED)),
            input_date: input_date_format(),
            input,
            disabled: Format::new()
                .set_border(thin)
                .set_align(FormatAlign::Top)
                .set_italic()
                .set_font_color(Color::RGB(0x808080))
                .set_background_color(Color::RGB(0xF2F2F2)),
            total: Format::new()
                .set_bold()
                .set_border(thin)
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E1F2)),
        }
    }
}

/// Option lists kept on the hidden sheet, referred to by data validation.
struct Lists {
    /// (leaf, row kind, items), one column each from column D.
    columns: Vec<(NodeId, RowKind, Vec<String>)>,
}

const FIRST_LIST_COL: u16 = 3;

impl Lists {
    fn new(ctx: &FormContext<'_>, layout: &Layout) -> Lists {
        let mut columns = Vec::new();
        for (id, _) in layout.leaves() {
            let Some(leaf) = ctx.set.node(id).and_then(|n| n.leaf()) else { continue };
            match &leaf.rule {
                Rule::Options { options } => columns.push((id, RowKind::Leaf, option_items(options))),
                Rule::Formula(f) => {
                    if let Some(names) = &f.choice_names {
                        columns.push((id, RowKind::Choice, names.clone()));
                    }
                }
                _ => {}
            }
        }
        Lists { columns }
    }

    /// `=parindex!$D$2:$D$5` for the list of (leaf, kind).
    fn formula(&self, id: NodeId, kind: RowKind) -> Option<String> {
        let (i, (_, _, items)) = self.columns.iter().enumerate().find(|(_, (n, k, _))| *n == id && *k == kind)?;
        let col = column_name(FIRST_LIST_COL + u16::try_from(i).ok()?);
        Some(format!("={META_SHEET}!${col}$2:${col}${}", items.len() + 1))
    }
}

/// The items an options rule offers: its labels, or its keys when two labels are the same.
pub fn option_items(options: &[parindex_core::rule::OptionItem]) -> Vec<String> {
    let labels: Vec<String> = options.iter().map(|o| o.label.clone()).collect();
    let mut sorted = labels.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() == labels.len() { labels } else { options.iter().map(|o| o.key.clone()).collect() }
}

/// Builds the workbook of a form (tests fill its cells before saving, as an officer would).
pub fn build_workbook(ctx: &FormContext<'_>) -> Result<Workbook, XlsxError> {
    let layout = Layout::new(ctx.set, &ctx.unit.tags, ctx.kind);
    let lists = Lists::new(ctx, &layout);
    let styles = Styles::new();
    let points = ctx.base.map(|a| StagePoints::new(ctx.set, &ctx.unit.id, &ctx.unit.tags, a));
    let ctx = &Ctx { form: ctx, points: points.as_ref() };
    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(ctx.kind.sheet_name())?;
    write_header(sheet, ctx.form, &layout, &styles)?;
    for row in &layout.rows {
        write_row(sheet, ctx, &layout, &lists, &styles, row)?;
    }
    let ctx = ctx.form;
    sheet.set_freeze_panes(FIRST_ROW, 2)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(ROW_HEADER, ROW_HEADER)?;
    let mut protection = ProtectionOptions::new();
    protection.format_columns = true;
    protection.format_rows = true;
    sheet.protect_with_options(&protection);

    let guide = workbook.add_worksheet();
    guide.set_name(GUIDE_SHEET)?;
    write_guide(guide, ctx.kind, &styles)?;

    let meta = workbook.add_worksheet();
    meta.set_name(META_SHEET)?;
    write_meta(meta, ctx, &lists)?;
    meta.set_hidden(true);
    Ok(workbook)
}

fn write_header(sheet: &mut Worksheet, ctx: &FormContext<'_>, layout: &Layout, s: &Styles) -> Result<(), XlsxError> {
    let year = ctx.round.year.map(|y| format!(" NĂM {y}")).unwrap_or_default();
    let title = match ctx.kind {
        SheetKind::SelfAssessment => format!("PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH{year}"),
        SheetKind::Appraisal(n) => format!("PHIẾU THẨM ĐỊNH LẦN {n} — CHỈ SỐ CẢI CÁCH HÀNH CHÍNH{year}"),
    };
    sheet.write_string_with_format(ROW_TITLE, COL_CODE, title, &s.title)?;
    let lines = [
        (ROW_ROUND, "Kỳ đánh giá", ctx.round.title.as_str(), ctx.round.id.as_str()),
        (ROW_UNIT, "Đơn vị", ctx.unit.name.as_str(), ctx.unit.id.as_str()),
        (ROW_SET, "Bộ tiêu chí", ctx.set.title.as_str(), ctx.set.id.as_str()),
    ];
    for (row, label, name, id) in lines {
        sheet.write_string_with_format(row, COL_CODE, label, &s.label)?;
        sheet.write_string(row, COL_TITLE, name)?;
        sheet.write_string_with_format(row, COL_MAX, "Mã:", &s.label)?;
        sheet.write_string(row, COL_RULE, id)?;
    }
    if let SheetKind::Appraisal(n) = ctx.kind {
        sheet.write_string_with_format(ROW_ROUND, COL_STAGE_LABEL, "Lần thẩm định", &s.label)?;
        sheet.write_string(ROW_ROUND, COL_STAGE_VALUE, n.to_string())?;
        sheet.write_string_with_format(ROW_FINAL, COL_STAGE_LABEL, "Kết quả cuối cùng", &s.label)?;
        sheet.write_string_with_format(ROW_FINAL, COL_STAGE_VALUE, NO, &s.input)?;
        let dv = DataValidation::new()
            .allow_list_strings(&[YES, NO])?
            .set_error_message("Chọn Có (lần thẩm định cuối cùng) hoặc Không.")?;
        let dv =
            prompted(dv, "Kết quả cuối cùng", "Chọn Có nếu đây là lần thẩm định cuối cùng; Không nếu còn lần sau.")?;
        sheet.add_data_validation(ROW_FINAL, COL_STAGE_VALUE, ROW_FINAL, COL_STAGE_VALUE, &dv)?;
    }
    for (col, (header, width)) in layout.columns.headers.iter().zip(&layout.columns.widths).enumerate() {
        let col = u16::try_from(col).unwrap_or(0);
        sheet.write_string_with_format(ROW_HEADER, col, *header, &s.header)?;
        sheet.set_column_width(col, *width)?;
    }
    // Rows below keep the default height, which spreadsheets grow to fit wrapped text.
    sheet.set_row_height(ROW_HEADER, 62)?;
    Ok(())
}

/// Writes a decimal as a number, or as text when a double cannot hold it exactly.
fn put_decimal(sheet: &mut Worksheet, row: u32, col: u16, d: Decimal, f: &Format) -> Result<(), XlsxError> {
    match double_from_decimal(d) {
        Some(x) => sheet.write_number_with_format(row, col, x, f)?,
        None => sheet.write_string_with_format(row, col, d.to_string(), f)?,
    };
    Ok(())
}

/// Writes a computed figure (shown, never read back) as a number.
fn put_computed(sheet: &mut Worksheet, row: u32, col: u16, d: Decimal, f: &Format) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, shown_double(d), f)?;
    Ok(())
}

fn put_shown(sheet: &mut Worksheet, row: u32, col: u16, shown: &Shown, s: &Styles) -> Result<(), XlsxError> {
    match shown {
        Shown::Blank => sheet.write_blank(row, col, &s.fixed)?,
        Shown::Text(t) => sheet.write_string_with_format(row, col, t, &s.fixed)?,
        Shown::Number(d) => return put_computed(sheet, row, col, *d, &s.fixed),
        Shown::Date(d) => {
            let dt = ExcelDateTime::from_ymd(u16::try_from(d.year()).unwrap_or(1900), d.month(), d.day())?;
            sheet.write_datetime_with_format(row, col, &dt, &s.fixed.clone().set_num_format("dd/mm/yyyy"))?
        }
    };
    Ok(())
}

/// A subtotal: `=SUM(F7,F9,F14)` over the rows `rows` in column `col`, with its value shown
/// until the spreadsheet recalculates.
fn sum_formula(rows: &[u32], col: u16, value: Decimal) -> Formula {
    let cells: Vec<String> = rows.iter().map(|r| crate::layout::cell_name(*r, col)).collect();
    Formula::new(format!("=SUM({})", cells.join(","))).set_result(shown_double(value).to_string())
}

/// Sum of the maxima of the leaves under a row.
fn row_max(ctx: &FormContext<'_>, layout: &Layout, row: &Row) -> Decimal {
    match row.kind {
        RowKind::Leaf | RowKind::Derived => row.node.and_then(|n| ctx.set.node(n)).map_or(Decimal::ZERO, |n| n.max),
        RowKind::Group | RowKind::Total => row
            .children
            .iter()
            .filter_map(|r| layout.rows.iter().find(|x| x.row == *r))
            .map(|child| row_max(ctx, layout, child))
            .sum(),
        _ => Decimal::ZERO,
    }
}

/// Sum of the points shown before this stage under a row.
fn row_before(ctx: &Ctx<'_>, layout: &Layout, row: &Row) -> Decimal {
    match row.kind {
        RowKind::Leaf | RowKind::Derived => match row.node.and_then(|id| ctx.before(id)) {
            Some(Before { points: Shown::Number(p), .. }) => p,
            _ => Decimal::ZERO,
        },
        RowKind::Group | RowKind::Total => row
            .children
            .iter()
            .filter_map(|r| layout.rows.iter().find(|x| x.row == *r))
            .map(|child| row_before(ctx, layout, child))
            .sum(),
        _ => Decimal::ZERO,
    }
}

/// Excel's largest row height, in points; a taller row makes Excel repair the file.
const MAX_ROW_HEIGHT: u16 = 409;

/// An estimate of the lines a text needs in a column `width` characters wide.
fn lines(text: &str, width: u16) -> u16 {
    let per_line = usize::from(width.max(4));
    let n: usize = text.split('\n').map(|l| l.chars().count().div_ceil(per_line).max(1)).sum();
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A row height (points) for the tallest of `texts` (text, column), at least `min_lines` lines.
/// Spreadsheets do not grow rows to fit wrapped text when they open a file, so the form sets
/// heights itself, up to Excel's largest row height (409 points).
pub fn row_height(layout: &Layout, texts: &[(&str, u16)], min_lines: u16) -> u16 {
    let widths = &layout.columns.widths;
    let needed = texts
        .iter()
        .map(|(text, col)| lines(text, widths.get(usize::from(*col)).copied().unwrap_or(20)))
        .fold(min_lines, u16::max);
    needed.saturating_mul(13).saturating_add(4).min(MAX_ROW_HEIGHT)
}

/// The height of a leaf's row, fitting its title and rule and any `extra` texts (evidence,
/// note) written into it.
pub fn leaf_row_height(set: &CriteriaSet, layout: &Layout, id: NodeId, extra: &[(&str, u16)]) -> u16 {
    let Some((node, leaf)) = set.node(id).and_then(|n| n.leaf().map(|l| (n, l))) else { return 15 };
    let rule = leaf_words(leaf, node.max);
    let mut texts = vec![(node.title.as_str(), COL_TITLE), (rule.as_str(), COL_RULE)];
    texts.extend_from_slice(extra);
    row_height(layout, &texts, 2)
}

fn write_row(
    sheet: &mut Worksheet,
    ctx: &Ctx<'_>,
    layout: &Layout,
    lists: &Lists,
    s: &Styles,
    row: &Row,
) -> Result<(), XlsxError> {
    let c = &layout.columns;
    let r = row.row;
    let ncols = u16::try_from(c.headers.len()).unwrap_or(0);
    let node = row.node.and_then(|id| ctx.set.node(id));
    match row.kind {
        RowKind::Group | RowKind::Total => {
            let f = if row.kind == RowKind::Total { &s.total } else { &s.group };
            for col in 0..ncols {
                sheet.write_blank(r, col, f)?;
            }
            let has_counts = ctx.set.nodes().iter().any(|n| n.counts != Counts::Score);
            let title = match node {
                Some(n) => n.title.clone(),
                None if has_counts => {
                    "Tổng điểm (không gồm các tiêu chí chấm bằng điều tra xã hội học, điểm thưởng và điểm trừ)"
                        .to_owned()
                }
                None => "Tổng điểm (không gồm các tiêu chí chấm bằng điều tra xã hội học)".to_owned(),
            };
            sheet.write_string_with_format(r, COL_CODE, &row.label, f)?;
            sheet.write_string_with_format(r, COL_TITLE, &title, f)?;
            let counts_words = node.filter(|n| n.parent.is_none()).and_then(|n| counts_words(ctx.set, n.counts));
            if let Some(words) = &counts_words {
                sheet.write_string_with_format(r, COL_RULE, words, f)?;
            }
            let words = counts_words.unwrap_or_default();
            sheet.set_row_height(r, row_height(layout, &[(&title, COL_TITLE), (&words, COL_RULE)], 1))?;
            put_decimal(sheet, r, COL_MAX, row_max(ctx, layout, row), f)?;
            match ctx.kind {
                SheetKind::SelfAssessment => {
                    if let Some(col) = c.after {
                        sheet.write_formula_with_format(r, col, sum_formula(&row.children, col, Decimal::ZERO), f)?;
                    }
                }
                SheetKind::Appraisal(_) => {
                    let value = row_before(ctx, layout, row);
                    if let Some(col) = c.before_points {
                        sheet.write_formula_with_format(r, col, sum_formula(&row.children, col, value), f)?;
                    }
                    if let Some(col) = c.after {
                        sheet.write_formula_with_format(r, col, sum_formula(&row.children, col, value), f)?;
                    }
                }
            }
        }
        RowKind::Leaf => {
            let (Some(node), Some(id)) = (node, row.node) else { return Ok(()) };
            let Some(leaf) = node.leaf() else { return Ok(()) };
            let rule_text = leaf_words(leaf, node.max);
            for col in 0..ncols {
                sheet.write_blank(r, col, &s.disabled)?;
            }
            sheet.write_string_with_format(r, COL_CODE, &row.label, &s.fixed)?;
            sheet.write_string_with_format(r, COL_TITLE, &node.title, &s.fixed)?;
            put_decimal(sheet, r, COL_MAX, node.max, &s.fixed)?;
            sheet.write_string_with_format(r, COL_RULE, &rule_text, &s.fixed)?;
            let evidence = match (ctx.base, c.unit_evidence) {
                (Some(base), Some(col)) => {
                    let text = crate::display::unit_evidence(base, id);
                    sheet.write_string_with_format(r, col, &text, &s.fixed)?;
                    Some((text, col))
                }
                _ => None,
            };
            let extra: Vec<(&str, u16)> = evidence.iter().map(|(t, col)| (t.as_str(), *col)).collect();
            sheet.set_row_height(r, leaf_row_height(ctx.set, layout, id, &extra))?;
            // The input cell, unless the input is in detail rows or the rule takes points only.
            let has_details = !crate::layout::detail_rows(&leaf.rule).is_empty();
            match (&leaf.rule, has_details) {
                (Rule::Manual { .. }, _) => {
                    sheet.write_string_with_format(r, c.input, POINTS_ONLY_HINT, &s.disabled)?;
                }
                (_, true) => {
                    sheet.write_string_with_format(r, c.input, DETAIL_HINT, &s.disabled)?;
                }
                (rule, false) => {
                    let f = if matches!(rule, Rule::Deadline { .. }) { &s.input_date } else { &s.input };
                    sheet.write_blank(r, c.input, f)?;
                    let dv = input_validation(rule, r, c.input, lists, id)?.unwrap_or_else(DataValidation::new);
                    let (title, message) = input_prompt(rule);
                    let dv = prompted(dv, title, &message)?;
                    sheet.add_data_validation(r, c.input, r, c.input, &dv)?;
                }
            }
            sheet.write_blank(r, c.points, &s.input)?;
            let max = double_from_decimal(node.max).unwrap_or(0.0);
            let dv =
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, max)).set_error_message(
                    format!("Điểm là số từ 0 đến {} (dấu chấm thập phân, ví dụ 0.5).", number(node.max)),
                )?;
            let points_title = match ctx.kind {
                SheetKind::SelfAssessment => "Điểm tự chấm",
                SheetKind::Appraisal(_) => "Điểm thẩm định",
            };
            let dv = prompted(
                dv,
                points_title,
                &format!(
                    "Nhập điểm từ 0 đến {} (dấu chấm thập phân, ví dụ 0.5); có thể để trống để phần mềm tính theo kết quả.",
                    number(node.max)
                ),
            )?;
            sheet.add_data_validation(r, c.points, r, c.points, &dv)?;
            if leaf.not_arising == NotArisingPolicy::Forbidden {
                sheet.write_blank(r, c.not_arising, &s.disabled)?;
            } else {
                sheet.write_blank(r, c.not_arising, &s.input)?;
                let dv = DataValidation::new()
                    .allow_list_strings(&[MARK])?
                    .set_error_message("Đánh dấu x nếu không phát sinh; để trống nếu có phát sinh.")?;
                let dv = prompted(dv, "Không phát sinh", "Nhập x nếu không phát sinh; để trống nếu có phát sinh.")?;
                sheet.add_data_validation(r, c.not_arising, r, c.not_arising, &dv)?;
            }
            let texts = [
                (
                    c.evidence,
                    "Tài liệu kiểm chứng",
                    "Mỗi dòng một văn bản (Alt+Enter để xuống dòng): tên, số hiệu, ngày; đường dẫn tệp, nếu có, sau dấu |.",
                ),
                (Some(c.note), "Ghi chú", "Ghi chú, giải thích cách chấm (không bắt buộc)."),
                (c.reason, "Lý do thay đổi", "Ghi lý do khi thay đổi kết quả hoặc điểm (bắt buộc nếu có thay đổi)."),
            ];
            for (col, title, message) in texts {
                let Some(col) = col else { continue };
                sheet.write_blank(r, col, &s.input)?;
                let dv = prompted(DataValidation::new(), title, message)?;
                sheet.add_data_validation(r, col, r, col, &dv)?;
            }
            if let Some(col) = c.explain {
                sheet.write_blank(r, col, &s.input)?;
                let dv = DataValidation::new()
                    .allow_list_strings(&[MARK])?
                    .set_error_message("Đánh dấu x nếu yêu cầu đơn vị giải trình.")?;
                let dv =
                    prompted(dv, "Yêu cầu giải trình", "Nhập x nếu yêu cầu đơn vị giải trình; để trống nếu không.")?;
                sheet.add_data_validation(r, col, r, col, &dv)?;
            }
            if let Some(b) = ctx.before(id) {
                if let Some(col) = c.before_input {
                    if has_details && b.input == Shown::Blank {
                        sheet.write_string_with_format(r, col, "↓", &s.fixed)?;
                    } else {
                        put_shown(sheet, r, col, &b.input, s)?;
                    }
                }
                if let Some(col) = c.before_points {
                    put_shown(sheet, r, col, &b.points, s)?;
                }
            }
            let shown = match ctx.before(id).map(|b| b.points) {
                Some(Shown::Number(p)) => shown_double(p).to_string(),
                _ => String::new(),
            };
            write_live(sheet, ctx, layout, id, r, shown, &s.fixed)?;
        }
        RowKind::Derived => {
            let (Some(node), Some(id)) = (node, row.node) else { return Ok(()) };
            let Some(leaf) = node.leaf() else { return Ok(()) };
            for col in 0..ncols {
                sheet.write_blank(r, col, &s.disabled)?;
            }
            sheet.write_string_with_format(r, COL_CODE, &row.label, &s.fixed)?;
            sheet.write_string_with_format(r, COL_TITLE, &node.title, &s.fixed)?;
            put_decimal(sheet, r, COL_MAX, node.max, &s.fixed)?;
            sheet.write_string_with_format(r, COL_RULE, leaf_words(leaf, node.max), &s.fixed)?;
            sheet.set_row_height(r, leaf_row_height(ctx.set, layout, id, &[]))?;
            let value = ctx.derived_value(id);
            match (ctx.kind, c.before_input, c.before_points) {
                (SheetKind::Appraisal(_), Some(bi), Some(bp)) => {
                    sheet.write_string_with_format(r, bi, DERIVED, &s.fixed)?;
                    sheet.write_string_with_format(r, c.input, DERIVED, &s.disabled)?;
                    match value {
                        Some(v) => put_computed(sheet, r, bp, v, &s.fixed)?,
                        None => {
                            sheet.write_blank(r, bp, &s.fixed)?;
                        }
                    }
                }
                _ => {
                    sheet.write_string_with_format(r, c.input, DERIVED, &s.disabled)?;
                    if let Some(v) = value {
                        put_computed(sheet, r, c.points, v, &s.disabled)?;
                    }
                }
            }
            let shown = value.map(|v| shown_double(v).to_string()).unwrap_or_default();
            write_live(sheet, ctx, layout, id, r, shown, &s.fixed)?;
        }
        RowKind::Numerator | RowKind::Denominator | RowKind::Choice | RowKind::Variable(_) => {
            let (Some(node), Some(id)) = (node, row.node) else { return Ok(()) };
            let Some(leaf) = node.leaf() else { return Ok(()) };
            for col in 0..ncols {
                sheet.write_blank(r, col, &s.disabled)?;
            }
            let title = detail_title(&leaf.rule, row.kind);
            sheet.write_string_with_format(r, COL_CODE, &row.label, &s.fixed_detail)?;
            sheet.write_string_with_format(r, COL_TITLE, &title, &s.fixed_detail)?;
            sheet.set_row_height(r, row_height(layout, &[(&title, COL_TITLE)], 1))?;
            sheet.write_blank(r, COL_MAX, &s.fixed)?;
            sheet.write_blank(r, COL_RULE, &s.fixed)?;
            sheet.write_blank(r, c.input, &s.input)?;
            let dv = match row.kind {
                RowKind::Numerator | RowKind::Denominator => Some(
                    DataValidation::new()
                        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                        .set_error_message("Nhập một số không âm (dấu chấm thập phân, ví dụ 12.5).")?,
                ),
                RowKind::Choice => match lists.formula(id, RowKind::Choice) {
                    Some(list) => Some(
                        DataValidation::new()
                            .allow_list_formula(Formula::new(list))
                            .set_error_message("Chọn một cách tính trong danh sách.")?,
                    ),
                    None => None,
                },
                _ => None,
            };
            let (title, message) = detail_prompt(&leaf.rule, row.kind);
            let dv = prompted(dv.unwrap_or_else(DataValidation::new), title, &message)?;
            sheet.add_data_validation(r, c.input, r, c.input, &dv)?;
            if let (Some(base), SheetKind::Appraisal(n), Some(col)) = (ctx.base, ctx.kind, c.before_input) {
                let b = before(base, ctx.set, id, n);
                let shown = b.details.iter().find(|(k, _)| *k == row.kind).map_or(Shown::Blank, |(_, v)| v.clone());
                put_shown(sheet, r, col, &shown, s)?;
            }
        }
    }
    Ok(())
}

/// Writes a leaf's live points formula (see [`crate::live`]) into the sheet's preview column,
/// with `shown` as its value until the spreadsheet recalculates.
fn write_live(
    sheet: &mut Worksheet,
    ctx: &Ctx<'_>,
    layout: &Layout,
    id: NodeId,
    row: u32,
    shown: String,
    f: &Format,
) -> Result<(), XlsxError> {
    if let Some(live) = Live::new(ctx.set, layout) {
        let formula = Formula::new(live.leaf_formula(id, row)).set_result(shown);
        sheet.write_formula_with_format(row, live.column(), formula, f)?;
    }
    Ok(())
}

/// What a bonus or penalty field's row says in the rule column (SPEC §11.1): how its points
/// count and the set's cap; `None` for a score field.
fn counts_words(set: &CriteriaSet, counts: Counts) -> Option<String> {
    let caps = set.adjustments;
    match counts {
        Counts::Score => None,
        Counts::Bonus => Some(format!(
            "Điểm thưởng: cộng vào tổng điểm, ngoài điểm tối đa; cộng tối đa {} điểm (cùng các khoản thưởng khác)",
            caps.map_or_else(|| "0".to_owned(), |a| number(a.bonus_max))
        )),
        Counts::Penalty => Some(format!(
            "Điểm trừ: trừ vào tổng điểm; trừ tối đa {} điểm (cùng các khoản trừ khác). Ghi số điểm trừ (số dương).",
            caps.map_or_else(|| "0".to_owned(), |a| number(a.penalty_max))
        )),
    }
}

/// The title of a detail row.
fn detail_title(rule: &Rule, kind: RowKind) -> String {
    match (rule, kind) {
        (_, RowKind::Numerator) => "Tử số: số đạt được".to_owned(),
        (_, RowKind::Denominator) => "Mẫu số: tổng số (0 nếu không phát sinh)".to_owned(),
        (Rule::Formula(f), RowKind::Choice) => {
            format!("Cách tính (chọn một: {})", f.choice_names.as_deref().unwrap_or_default().join(", "))
        }
        (Rule::Formula(f), RowKind::Variable(slot)) => {
            f.variables.get(slot).map(|(n, d)| format!("{n}: {d}")).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Excel's limits on an input message: 32 characters of title, 255 of message (UTF-16 units).
const PROMPT_TITLE_MAX: usize = 32;
const PROMPT_MAX: usize = 255;

/// `text` cut to at most `max` UTF-16 units, ending in "…" when cut.
fn clip(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 1; // the "…"
    for ch in text.chars() {
        used += ch.len_utf16();
        if used > max {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

/// `dv` with the input message (title and text) a spreadsheet shows when the cell is selected,
/// kept within Excel's limits.
fn prompted(dv: DataValidation, title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    dv.set_input_title(clip(title, PROMPT_TITLE_MAX))?.set_input_message(clip(message, PROMPT_MAX))
}

/// The input message of a leaf's input cell: what to enter, from the rule's kind.
fn input_prompt(rule: &Rule) -> (&'static str, String) {
    let title = "Kết quả";
    let text = match rule {
        Rule::YesNo => "Nhập Có hoặc Không (chọn trong danh sách).".to_owned(),
        Rule::Options { .. } => "Chọn một phương án trong danh sách (mũi tên bên phải ô).".to_owned(),
        Rule::Bands { input: BandInput::Percent, .. }
        | Rule::Proportional { input: ProportionalInput::Percent, .. } => {
            "Nhập tỷ lệ % từ 0 đến 100, không kèm dấu % (ví dụ 98.5).".to_owned()
        }
        Rule::Bands { input: BandInput::Count, .. } => {
            "Nhập số lần, số trường hợp: số nguyên không âm (0, 1, 2, …).".to_owned()
        }
        Rule::Deduction { .. } => "Nhập số trường hợp bị trừ điểm: số nguyên không âm (0 nếu không có).".to_owned(),
        Rule::PerItem { .. } => "Nhập số trường hợp được tính điểm: số nguyên không âm (0, 1, 2, …).".to_owned(),
        Rule::Deadline { .. } => {
            format!("Nhập ngày hoàn thành dạng dd/mm/yyyy (ví dụ 15/01/2024), hoặc \"{NOT_DONE}\".")
        }
        _ => "Nhập kết quả là một số (dấu chấm thập phân, ví dụ 12.5).".to_owned(),
    };
    (title, text)
}

/// The input message of a detail row's input cell (ratio, formula).
fn detail_prompt(rule: &Rule, kind: RowKind) -> (&'static str, String) {
    match (rule, kind) {
        (_, RowKind::Numerator) => {
            ("Tử số", "Nhập số đã hoàn thành, đạt yêu cầu (tử số của số đã hoàn thành / tổng số).".to_owned())
        }
        (_, RowKind::Denominator) => {
            ("Mẫu số", "Nhập tổng số (mẫu số của số đã hoàn thành / tổng số); 0 nếu không phát sinh.".to_owned())
        }
        (_, RowKind::Choice) => ("Cách tính", "Chọn một cách tính trong danh sách.".to_owned()),
        (Rule::Formula(f), RowKind::Variable(slot)) => {
            let what = f.variables.get(slot).map(|(n, d)| format!("{n}: {d}")).unwrap_or_default();
            ("Số liệu", format!("Nhập một số (dấu chấm thập phân) — {what}"))
        }
        _ => ("Số liệu", "Nhập một số (dấu chấm thập phân).".to_owned()),
    }
}

/// Data validation for a leaf's input cell, where the rule allows one.
fn input_validation(
    rule: &Rule,
    row: u32,
    col: u16,
    lists: &Lists,
    id: NodeId,
) -> Result<Option<DataValidation>, XlsxError> {
    let dv = match rule {
        Rule::YesNo => {
            DataValidation::new().allow_list_strings(&[YES, NO])?.set_error_message("Chọn Có hoặc Không.")?
        }
        Rule::Options { .. } => match lists.formula(id, RowKind::Leaf) {
            Some(list) => DataValidation::new()
                .allow_list_formula(Formula::new(list))
                .set_error_message("Chọn một mức trong danh sách.")?,
            None => return Ok(None),
        },
        Rule::Bands { input: BandInput::Percent, .. }
        | Rule::Proportional { input: ProportionalInput::Percent, .. } => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_message("Nhập tỷ lệ % từ 0 đến 100, không kèm dấu % (ví dụ 98.5).")?,
        Rule::Bands { input: BandInput::Count, .. } | Rule::Deduction { .. } | Rule::PerItem { .. } => {
            DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                .set_error_message("Nhập số lần: một số nguyên không âm (0, 1, 2, …).")?
        }
        Rule::Deadline { .. } => {
            let cell = crate::layout::cell_name(row, col);
            DataValidation::new()
                .allow_custom(Formula::new(format!("=OR(ISNUMBER({cell}),{cell}=\"{NOT_DONE}\")")))
                .set_error_message(format!("Nhập ngày hoàn thành (ngày/tháng/năm), hoặc \"{NOT_DONE}\"."))?
        }
        _ => return Ok(None),
    };
    Ok(Some(dv))
}

fn write_guide(sheet: &mut Worksheet, kind: SheetKind, s: &Styles) -> Result<(), XlsxError> {
    let name = kind.sheet_name();
    let mut text: Vec<String> = vec![
        "HƯỚNG DẪN ĐIỀN PHIẾU".to_owned(),
        String::new(),
        format!("1. Chỉ điền vào các ô nền vàng của trang \"{name}\". Không đổi tên, thêm, xóa hay đổi thứ tự các trang, dòng, cột; không gộp ô."),
        "2. Số thập phân viết bằng dấu chấm: 0.5 (không viết 0,5). Tỷ lệ % nhập số từ 0 đến 100, không kèm dấu %.".to_owned(),
        "3. Nhập giá trị, không nhập công thức, vào các ô nền vàng.".to_owned(),
        "4. Tỷ lệ: nhập tử số và mẫu số ở hai dòng ngay dưới tiêu chí (mẫu số 0 nghĩa là không phát sinh). Công thức: nhập mỗi biến ở một dòng.".to_owned(),
        format!("5. Thời hạn: nhập ngày hoàn thành (ngày/tháng/năm), hoặc \"{NOT_DONE}\". Có/Không và các mức chấm: chọn trong danh sách."),
        "6. Ô để trống nghĩa là chưa chấm tiêu chí đó. Không phát sinh: đánh dấu x (chỉ ở các tiêu chí cho phép).".to_owned(),
    ];
    match kind {
        SheetKind::SelfAssessment => text.extend([
            "7. Điểm tự chấm: có thể nhập kèm kết quả; phần mềm tính điểm theo kết quả, điểm khác sẽ được ghi nhận để đối chiếu.".to_owned(),
            "8. Tài liệu kiểm chứng: mỗi văn bản một dòng (Alt+Enter để xuống dòng); số hiệu hoặc đường dẫn tệp, nếu có, viết sau dấu |".to_owned(),
            "   Ví dụ: Kế hoạch số 229/KH-SNV ngày 05/01/2023 | minh-chung/1.1.1.pdf".to_owned(),
        ]),
        SheetKind::Appraisal(_) => text.extend([
            "7. Các cột \"trước lần thẩm định này\" là kết quả đang có hiệu lực; chỉ điền các tiêu chí hội đồng thay đổi.".to_owned(),
            "8. Mỗi thay đổi phải ghi lý do. Đánh dấu x ở cột Yêu cầu giải trình nếu đơn vị cần giải trình.".to_owned(),
            "9. Ô \"Kết quả cuối cùng\" ở đầu trang: chọn Có nếu đây là lần thẩm định cuối cùng.".to_owned(),
        ]),
    }
    sheet.set_column_width(0, 120)?;
    for (i, line) in text.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0);
        if i == 0 {
            sheet.write_string_with_format(row, 0, line, &s.title)?;
        } else {
            sheet.write_string_with_format(row, 0, line, &Format::new().set_text_wrap())?;
        }
    }
    Ok(())
}

fn write_meta(sheet: &mut Worksheet, ctx: &FormContext<'_>, lists: &Lists) -> Result<(), XlsxError> {
    let pairs = [
        ("format", FORMAT.to_owned()),
        ("round", ctx.round.id.clone()),
        ("unit", ctx.unit.id.clone()),
        ("criteria_set", ctx.set.id.clone()),
        ("stage", ctx.kind.stage().to_string()),
    ];
    let mut row = 0;
    for (key, value) in pairs {
        sheet.write_string(row, 0, key)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    sheet.write_string(row, 0, "sheets")?;
    for (i, name) in ctx.kind.sheet_names().iter().enumerate() {
        sheet.write_string(row, 1 + u16::try_from(i).unwrap_or(0), name)?;
    }
    for (i, (id, _, items)) in lists.columns.iter().enumerate() {
        let col = FIRST_LIST_COL + u16::try_from(i).unwrap_or(0);
        let code = ctx.set.node(*id).map(|n| n.code.clone()).unwrap_or_default();
        sheet.write_string(0, col, code)?;
        for (j, item) in items.iter().enumerate() {
            sheet.write_string(1 + u32::try_from(j).unwrap_or(0), col, item)?;
        }
    }
    Ok(())
}
