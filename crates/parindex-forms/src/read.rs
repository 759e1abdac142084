//! Reading a filled form: the hidden sheet that says what it is, the checks that its
//! structure is the one written (sheets, header, columns, rows, no merged cells, no formulas
//! where values belong), and the entries of its sheet, cell by cell.
//!
//! Nothing is guessed: a blank cell is a missing value, a text that is not what the cell
//! takes is an error naming the cell.

use std::io::Cursor;

use calamine::{Data, Range, Reader, SheetVisible, Xlsx, open_workbook_from_rs};
use parindex_core::decimal::DecimalError;
use parindex_core::rule::Rule;
use parindex_core::{Code, CriteriaSet, Date, Decimal, Diagnostic, Diagnostics};
use serde_json::{Map, Value};

use crate::Error;
use crate::cell::{CellValue, NotADecimal, from_data};
use crate::layout::{
    COL_CODE, COL_RULE, COL_STAGE_VALUE, DETAIL_HINT, FORMAT, Layout, MARK, META_SHEET, NO, NOT_DONE, POINTS_ONLY_HINT,
    ROW_FINAL, ROW_HEADER, ROW_ROUND, ROW_SET, ROW_UNIT, RowKind, SheetKind, YES, sheet_cell, sheet_range,
};
use crate::words::DERIVED;
use crate::write::option_items;

/// An opened workbook.
pub struct Workbook {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook").field("sheets", &self.xlsx.sheet_names()).finish()
    }
}

/// What the hidden sheet says a workbook is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The round's id.
    pub round: String,
    /// The unit's id.
    pub unit: String,
    /// The criteria set's id.
    pub criteria_set: String,
    /// Which sheet it holds.
    pub kind: SheetKind,
}

/// A sheet's values and formulas, with its name for messages.
pub struct Grid {
    /// The sheet's name.
    pub sheet: String,
    cells: Range<Data>,
    formulas: Range<String>,
}

impl Grid {
    /// The typed value of a cell.
    pub fn value(&self, row: u32, col: u16) -> CellValue {
        self.cells.get_value((row, u32::from(col))).map_or(CellValue::Blank, from_data)
    }

    /// The formula of a cell, if it holds one.
    pub fn formula(&self, row: u32, col: u16) -> Option<&str> {
        self.formulas.get_value((row, u32::from(col))).map(String::as_str).filter(|f| !f.trim().is_empty())
    }

    /// `Sheet!F12`.
    pub fn cell(&self, row: u32, col: u16) -> String {
        sheet_cell(&self.sheet, row, col)
    }

    /// The text a cell shows, for comparing labels ("" when blank).
    pub fn text(&self, row: u32, col: u16) -> String {
        self.value(row, col).as_text().unwrap_or_default()
    }

    /// The last row with anything in it (cells with formatting only do not count).
    pub fn last_row(&self) -> Option<u32> {
        let (end_row, end_col) = self.cells.end()?;
        let end_col = u16::try_from(end_col).unwrap_or(u16::MAX);
        (0..=end_row).rev().find(|r| (0..=end_col).any(|c| !self.value(*r, c).is_blank()))
    }

    /// The last column with anything in it.
    pub fn last_col(&self) -> Option<u16> {
        self.cells.end().and_then(|(_, c)| u16::try_from(c).ok())
    }
}

/// Opens `.xlsx` bytes.
pub fn open(bytes: Vec<u8>, name: &str) -> Result<Workbook, Error> {
    open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
        .map(|xlsx| Workbook { xlsx })
        .map_err(|source| Error::NotXlsx { name: name.to_owned(), source })
}

fn meta_problem(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::InputType, "", message)
}

impl Workbook {
    /// Reads the hidden sheet and checks the workbook's sheets are the ones written, in order.
    pub fn meta(&mut self) -> Result<Meta, Diagnostics> {
        let names = self.xlsx.sheet_names();
        if !names.iter().any(|n| n == META_SHEET) {
            return Err(meta_problem(format!(
                "this workbook is not a parindex form (it has no hidden sheet '{META_SHEET}'; its sheets are: {}): \
                 generate the form with `parindex form`",
                names.join(", ")
            ))
            .into());
        }
        let range = self
            .xlsx
            .worksheet_range(META_SHEET)
            .map_err(|e| Diagnostics::from(meta_problem(format!("cannot read the sheet '{META_SHEET}': {e}"))))?;
        let get = |row: u32, col: u32| -> String {
            range.get_value((row, col)).map(from_data).and_then(|v| v.as_text()).unwrap_or_default()
        };
        let mut values = std::collections::HashMap::new();
        let mut recorded_sheets = Vec::new();
        for row in 0..8 {
            let key = get(row, 0);
            if key == "sheets" {
                recorded_sheets = (1..10).map(|c| get(row, c)).filter(|s| !s.is_empty()).collect();
            } else if !key.is_empty() {
                values.insert(key, get(row, 1));
            }
        }
        let value = |key: &str| values.get(key).cloned().unwrap_or_default();
        if value("format") != FORMAT {
            return Err(meta_problem(format!(
                "the sheet '{META_SHEET}' says this is '{}', not a {FORMAT} form: generate the form with `parindex form`",
                value("format")
            ))
            .into());
        }
        let Ok(stage) = value("stage").parse::<u32>() else {
            return Err(meta_problem(format!("the sheet '{META_SHEET}' has no stage number: do not edit it")).into());
        };
        let kind = SheetKind::from_stage(stage);
        let mut problems = Diagnostics::new();
        let expected = kind.sheet_names();
        if recorded_sheets != expected {
            problems.push(meta_problem(format!("the sheet '{META_SHEET}' was edited: do not edit it")));
        }
        let main = kind.sheet_name();
        if !names.contains(&main) {
            let others: Vec<&String> = names.iter().filter(|n| !expected.contains(n)).collect();
            let hint = match others.first() {
                Some(n) => format!(" (was it renamed to '{n}'?)"),
                None => String::new(),
            };
            problems.push(meta_problem(format!(
                "the sheet '{main}' is missing{hint}: the sheets must keep their names; found {}",
                names.join(", ")
            )));
        } else if names != expected {
            problems.push(meta_problem(format!(
                "the sheets were renamed, added, removed or reordered: expected {}, found {}",
                expected.join(", "),
                names.join(", ")
            )));
        }
        if let Some(sheet) = self.xlsx.sheets_metadata().iter().find(|s| s.name == main)
            && sheet.visible != SheetVisible::Visible
        {
            problems.push(meta_problem(format!("the sheet '{main}' is hidden: show it again")));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Meta { round: value("round"), unit: value("unit"), criteria_set: value("criteria_set"), kind })
    }

    /// The main sheet's values and formulas, and problems with merged cells.
    pub fn grid(&mut self, kind: SheetKind) -> Result<(Grid, Diagnostics), Diagnostics> {
        let sheet = kind.sheet_name();
        let cells = self
            .xlsx
            .worksheet_range(&sheet)
            .map_err(|e| Diagnostics::from(meta_problem(format!("cannot read the sheet '{sheet}': {e}"))))?;
        let formulas = self
            .xlsx
            .worksheet_formula(&sheet)
            .map_err(|e| Diagnostics::from(meta_problem(format!("cannot read the formulas of '{sheet}': {e}"))))?;
        let mut problems = Diagnostics::new();
        match self.xlsx.merge_cells_by_sheet_name(&sheet) {
            Ok(merged) => {
                for d in merged {
                    let (r0, c0) = d.start;
                    let (r1, c1) = d.end;
                    let col = |c: u32| u16::try_from(c).unwrap_or(u16::MAX);
                    problems.push(Diagnostic::in_cell(
                        Code::InputType,
                        sheet_range(&sheet, r0, col(c0), r1, col(c1)),
                        "merged cells: unmerge them; every value needs its own cell",
                    ));
                }
            }
            Err(e) => problems.push(meta_problem(format!("cannot read the merged cells of '{sheet}': {e}"))),
        }
        Ok((Grid { sheet, cells, formulas }, problems))
    }
}

/// Checks the header block names the workbook's round, unit, set (and stage) as the hidden
/// sheet does, the column headers, and the rows; every structural problem at once.
pub fn check_structure(grid: &Grid, meta: &Meta, layout: &Layout) -> Diagnostics {
    let mut problems = Diagnostics::new();
    let expect = |row: u32, col: u16, want: &str, what: &str, problems: &mut Diagnostics| {
        let found = grid.text(row, col);
        if found != want {
            problems.push(Diagnostic::in_cell(
                Code::InputType,
                grid.cell(row, col),
                format!("this cell must hold the {what} '{want}' the form was made for, found '{found}': do not edit the header"),));
        }
    };
    expect(ROW_ROUND, COL_RULE, &meta.round, "round id", &mut problems);
    expect(ROW_UNIT, COL_RULE, &meta.unit, "unit id", &mut problems);
    expect(ROW_SET, COL_RULE, &meta.criteria_set, "criteria set id", &mut problems);
    if let SheetKind::Appraisal(n) = meta.kind {
        expect(ROW_ROUND, COL_STAGE_VALUE, &n.to_string(), "stage number", &mut problems);
        if let Some(f) = grid.formula(ROW_FINAL, COL_STAGE_VALUE) {
            problems.push(formula_problem(grid, ROW_FINAL, COL_STAGE_VALUE, f));
        }
    }

    let headers = &layout.columns.headers;
    let ncols = u16::try_from(headers.len()).unwrap_or(0);
    for (col, want) in (0..ncols).zip(headers) {
        let found = grid.text(ROW_HEADER, col);
        if found != *want {
            problems.push(Diagnostic::in_cell(
                Code::InputType,
                grid.cell(ROW_HEADER, col),
                format!("expected the column '{want}' here, found '{found}': columns were added, deleted or moved"),
            ));
            break;
        }
    }
    if let Some(last) = grid.last_col().filter(|c| *c >= ncols) {
        let used = (ncols..=last).find(|c| (0..=layout.total_row()).any(|r| !grid.value(r, *c).is_blank()));
        if let Some(c) = used {
            problems.push(Diagnostic::in_cell(
                Code::InputType,
                grid.cell(ROW_HEADER, c),
                "a column was added to the right of the form: remove it",
            ));
        }
    }

    for row in &layout.rows {
        let found = grid.text(row.row, COL_CODE);
        if found != row.label {
            let found = if found.is_empty() { "an empty cell".to_owned() } else { format!("'{found}'") };
            problems.push(Diagnostic::in_cell(
                Code::InputType,
                grid.cell(row.row, COL_CODE),
                format!(
                    "expected the row '{}' here, found {found}: rows were deleted, added or moved; \
                     fill a freshly generated form",
                    row.label
                ),
            ));
            return problems;
        }
    }
    if let Some(last) = grid.last_row().filter(|r| *r > layout.total_row()) {
        problems.push(Diagnostic::in_cell(
            Code::InputType,
            grid.cell(last, COL_CODE),
            "rows were added below the total: remove them",
        ));
    }

    let c = &layout.columns;
    for row in &layout.rows {
        let cols: Vec<u16> = match row.kind {
            RowKind::Leaf => c.value_columns(),
            RowKind::Numerator | RowKind::Denominator | RowKind::Choice | RowKind::Variable(_) => vec![c.input],
            RowKind::Group | RowKind::Total => vec![],
            RowKind::Derived => {
                problems.errors.extend(derived_row_problems(grid, layout, row));
                vec![]
            }
        };
        for col in cols {
            if let Some(f) = grid.formula(row.row, col) {
                problems.push(formula_problem(grid, row.row, col, f));
            }
        }
    }
    problems
}

/// A derived item's row (SPEC §11.3) takes nothing: its input cell keeps "Tự động tính" and
/// its other cells stay empty (its points cell, on a self-assessment sheet, holds the value
/// the form shows). Anything typed there is `derived_entry`.
fn derived_row_problems(grid: &Grid, layout: &Layout, row: &crate::layout::Row) -> Vec<Diagnostic> {
    let c = &layout.columns;
    let mut cols: Vec<u16> = vec![c.input, c.not_arising, c.note];
    cols.extend(c.evidence);
    cols.extend(c.reason);
    cols.extend(c.explain);
    if layout.kind != SheetKind::SelfAssessment {
        cols.push(c.points);
    }
    let mut out = Vec::new();
    for col in cols {
        let value = grid.value(row.row, col);
        let kept = value.is_blank() || (col == c.input && grid.text(row.row, col) == DERIVED);
        if !kept || grid.formula(row.row, col).is_some() {
            let d = Diagnostic::in_cell(
                Code::DerivedEntry,
                grid.cell(row.row, col),
                format!(
                    "item {} is computed from other items ({DERIVED}): it takes no entry; found {} here, \
                     leave the cell as the form wrote it",
                    row.label,
                    value.describe()
                ),
            );
            out.push(d.with_criterion(&row.label));
        }
    }
    out
}

fn formula_problem(grid: &Grid, row: u32, col: u16, formula: &str) -> Diagnostic {
    Diagnostic::in_cell(
        Code::InputType,
        grid.cell(row, col),
        format!("this cell holds the formula ={}: type the value itself", formula.trim_start_matches('=')),
    )
}

/// The entries a sheet gives, the appraisal's "final" answer, and the problems found.
#[derive(Debug, Default)]
pub struct SheetEntries {
    /// Entries by leaf code, in form order (SPEC §6 entry objects).
    pub entries: Map<String, Value>,
    /// An appraisal sheet's "Kết quả cuối cùng" answer.
    pub is_final: bool,
    /// Diagnostics in cells.
    pub problems: Diagnostics,
}

/// Reads a leaf's cells into its entry, recording problems.
struct LeafReader<'a> {
    grid: &'a Grid,
    code: &'a str,
    problems: Vec<Diagnostic>,
}

impl LeafReader<'_> {
    fn problem(&mut self, code: Code, row: u32, col: u16, message: impl Into<String>) {
        self.problems.push(Diagnostic::in_cell(code, self.grid.cell(row, col), message).with_criterion(self.code));
    }

    fn decimal(&mut self, row: u32, col: u16, what: &str) -> Option<Option<Decimal>> {
        match self.grid.value(row, col).decimal() {
            Ok(d) => Some(d),
            Err(NotADecimal::Text(e @ DecimalError::DecimalComma(..))) => {
                self.problem(Code::BadDecimal, row, col, format!("{what}: {e}"));
                None
            }
            Err(NotADecimal::Text(DecimalError::NotADecimal(t))) => {
                self.problem(
                    Code::BadDecimal,
                    row,
                    col,
                    format!("{what}: the text '{t}' is not a number: type a number such as 98.5"),
                );
                None
            }
            Err(NotADecimal::Text(e)) => {
                self.problem(Code::BadDecimal, row, col, format!("{what}: {e}"));
                None
            }
            Err(NotADecimal::Other(found)) => {
                self.problem(Code::InputType, row, col, format!("{what}: found {found}, not a number"));
                None
            }
        }
    }

    fn mark(&mut self, row: u32, col: u16, what: &str) -> Option<bool> {
        match self.grid.value(row, col) {
            CellValue::Blank => Some(false),
            CellValue::Text(t) if t.eq_ignore_ascii_case(MARK) => Some(true),
            other => {
                self.problem(
                    Code::InputType,
                    row,
                    col,
                    format!("{what}: write {MARK} or leave the cell empty; found {}", other.describe()),
                );
                None
            }
        }
    }
}

fn decimal_value(d: Decimal) -> Value {
    Value::String(d.to_string())
}

/// Reads a sheet's entries (cells of leaf and detail rows) and, for an appraisal, "final".
pub fn read_entries(grid: &Grid, layout: &Layout, set: &CriteriaSet) -> SheetEntries {
    let mut out = SheetEntries::default();
    let c = &layout.columns;
    if let SheetKind::Appraisal(_) = layout.kind {
        match grid.value(ROW_FINAL, COL_STAGE_VALUE) {
            CellValue::Text(t) if t.to_lowercase() == YES.to_lowercase() => out.is_final = true,
            CellValue::Text(t) if t.to_lowercase() == NO.to_lowercase() => out.is_final = false,
            other => out.problems.push(Diagnostic::in_cell(
                Code::InputType,
                grid.cell(ROW_FINAL, COL_STAGE_VALUE),
                format!("\"Kết quả cuối cùng\": write {YES} (the final stage) or {NO}; found {}", other.describe()),
            )),
        }
    }
    for (id, row) in layout.leaves() {
        let Some((node, leaf)) = set.node(id).and_then(|n| n.leaf().map(|l| (n, l))) else { continue };
        let r = row.row;
        let mut lr = LeafReader { grid, code: &node.code, problems: Vec::new() };
        let detail = |kind: RowKind| layout.detail_row(id, kind).map(|d| d.row);
        let mut choice = None;
        // The input cell of an item whose input goes elsewhere must keep its hint.
        let hint = match &leaf.rule {
            Rule::Manual { .. } => {
                Some((POINTS_ONLY_HINT, "this item takes points only: write them in the points column"))
            }
            rule if !crate::layout::detail_rows(rule).is_empty() => {
                Some((DETAIL_HINT, "this item's values go in the rows below it, one number per row"))
            }
            _ => None,
        };
        if let Some((text, message)) = hint {
            let found = grid.text(r, c.input);
            if !found.is_empty() && found != text {
                lr.problem(Code::InputType, r, c.input, format!("found '{found}' here: {message}"));
            }
        }
        let input: Option<Value> = match &leaf.rule {
            Rule::Manual { .. } | Rule::Survey { .. } => None,
            Rule::YesNo => match grid.value(r, c.input) {
                CellValue::Blank => None,
                CellValue::Bool(b) => Some(Value::Bool(b)),
                CellValue::Text(t) if t.to_lowercase() == YES.to_lowercase() => Some(Value::Bool(true)),
                CellValue::Text(t) if t.to_lowercase() == NO.to_lowercase() => Some(Value::Bool(false)),
                other => {
                    lr.problem(
                        Code::InputType,
                        r,
                        c.input,
                        format!("a yes/no answer is {YES} or {NO}; found {}", other.describe()),
                    );
                    None
                }
            },
            Rule::Options { options } => match grid.value(r, c.input) {
                CellValue::Blank => None,
                value => {
                    let text = value.as_text().unwrap_or_default();
                    let items = option_items(options);
                    let key = options
                        .iter()
                        .zip(&items)
                        .find(|(o, item)| **item == text || o.key == text)
                        .map(|(o, _)| o.key.clone());
                    if key.is_none() {
                        lr.problem(
                            Code::UnknownOption,
                            r,
                            c.input,
                            format!("'{text}' is not one of the options; choose one of: {}", items.join("; ")),
                        );
                    }
                    key.map(Value::String)
                }
            },
            Rule::Bands { .. } | Rule::Proportional { .. } | Rule::Deduction { .. } | Rule::PerItem { .. }
                if detail(RowKind::Numerator).is_none() =>
            {
                let what = match &leaf.rule {
                    Rule::Deduction { .. }
                    | Rule::PerItem { .. }
                    | Rule::Bands { input: parindex_core::rule::BandInput::Count, .. } => "the count",
                    Rule::Bands { input: parindex_core::rule::BandInput::Number, .. } => "the number",
                    _ => "the percent",
                };
                lr.decimal(r, c.input, what).flatten().map(decimal_value)
            }
            Rule::Bands { .. } | Rule::Proportional { .. } | Rule::Deduction { .. } | Rule::PerItem { .. } => {
                let (Some(nr), Some(dr)) = (detail(RowKind::Numerator), detail(RowKind::Denominator)) else { continue };
                let n = lr.decimal(nr, c.input, "the numerator (tử số)");
                let d = lr.decimal(dr, c.input, "the denominator (mẫu số)");
                match (n, d) {
                    (Some(None), Some(None)) => None,
                    (Some(Some(n)), Some(Some(d))) => {
                        let mut m = Map::new();
                        m.insert("numerator".into(), decimal_value(n));
                        m.insert("denominator".into(), decimal_value(d));
                        Some(Value::Object(m))
                    }
                    (Some(None), Some(Some(_))) => {
                        lr.problem(
                            Code::InputType,
                            nr,
                            c.input,
                            "the numerator (tử số) is empty: a ratio needs both numbers",
                        );
                        None
                    }
                    (Some(Some(_)), Some(None)) => {
                        lr.problem(
                            Code::InputType,
                            dr,
                            c.input,
                            "the denominator (mẫu số) is empty: a ratio needs both numbers (0 if nothing arose)",
                        );
                        None
                    }
                    _ => None,
                }
            }
            Rule::Deadline { .. } => match grid.value(r, c.input) {
                CellValue::Blank => None,
                CellValue::Date(d) => Some(Value::String(d.to_string())),
                CellValue::Text(t) if t.to_lowercase() == NOT_DONE.to_lowercase() => Some(Value::Null),
                CellValue::Text(t) if Date::parse(&t).is_some() => Some(Value::String(t)),
                other => {
                    lr.problem(
                        Code::InputType,
                        r,
                        c.input,
                        format!(
                            "found {}, not a date: type the day it was done (a date such as 10/01/2023, or 2023-01-10), \
                             or '{NOT_DONE}'",
                            other.describe()
                        ),
                    );
                    None
                }
            },
            Rule::Formula(f) => {
                if let (Some(names), Some(cr)) = (&f.choice_names, detail(RowKind::Choice)) {
                    match grid.value(cr, c.input) {
                        CellValue::Blank => {}
                        value => {
                            let text = value.as_text().unwrap_or_default();
                            if names.contains(&text) {
                                choice = Some(Value::String(text));
                            } else {
                                lr.problem(
                                    Code::UnknownOption,
                                    cr,
                                    c.input,
                                    format!(
                                        "'{text}' is not one of the ways to compute; choose one of: {}",
                                        names.join("; ")
                                    ),
                                );
                            }
                        }
                    }
                }
                let mut vars = Map::new();
                for (slot, (name, _)) in f.variables.iter().enumerate() {
                    let Some(vr) = detail(RowKind::Variable(slot)) else { continue };
                    if let Some(Some(d)) = lr.decimal(vr, c.input, &format!("the variable {name}")) {
                        vars.insert(name.clone(), decimal_value(d));
                    }
                }
                (!vars.is_empty() || choice.is_some()).then_some(Value::Object(vars))
            }
        };
        let points = lr.decimal(r, c.points, "the points").flatten();
        let not_arising = lr.mark(r, c.not_arising, "\"Không phát sinh\"").unwrap_or(false);
        let evidence: Vec<Value> = c
            .evidence
            .and_then(|col| grid.value(r, col).as_text())
            .map(|text| evidence_items(&text))
            .unwrap_or_default();
        let note = grid.value(r, c.note).as_text();
        let reason = c.reason.and_then(|col| grid.value(r, col).as_text());
        let explain = c.explain.and_then(|col| lr.mark(r, col, "\"Yêu cầu giải trình\"")).unwrap_or(false);
        if !lr.problems.is_empty() {
            out.problems.errors.extend(lr.problems);
            continue;
        }
        let mut entry = Map::new();
        if let Some(v) = input {
            entry.insert("input".into(), v);
        }
        if let Some(v) = choice {
            entry.insert("choice".into(), v);
        }
        if let Some(p) = points {
            entry.insert("points".into(), decimal_value(p));
        }
        if not_arising {
            entry.insert("not_arising".into(), Value::Bool(true));
        }
        if !evidence.is_empty() {
            entry.insert("evidence".into(), Value::Array(evidence));
        }
        if let Some(n) = note {
            entry.insert("note".into(), Value::String(n));
        }
        if let Some(n) = reason {
            entry.insert("reason".into(), Value::String(n));
        }
        if explain {
            entry.insert("explain".into(), Value::Bool(true));
        }
        if !entry.is_empty() {
            out.entries.insert(node.code.clone(), Value::Object(entry));
        }
    }
    out
}

/// Evidence items from a cell: one document per line, `title | ref` where a reference is given.
pub fn evidence_items(text: &str) -> Vec<Value> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut item = Map::new();
            match line.split_once(" | ") {
                Some((title, r)) if !r.trim().is_empty() => {
                    item.insert("title".into(), Value::String(title.trim().to_owned()));
                    item.insert("ref".into(), Value::String(r.trim().to_owned()));
                }
                _ => {
                    item.insert("title".into(), Value::String(line.trim_end_matches('|').trim().to_owned()));
                }
            }
            Value::Object(item)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_lines_with_and_without_references() {
        let items = evidence_items("Kế hoạch số 229/KH-SNV | minh-chung/1.pdf\n\n  Báo cáo số 176/BC-SNV  \r\n");
        assert_eq!(
            Value::Array(items),
            serde_json::json!([
                { "title": "Kế hoạch số 229/KH-SNV", "ref": "minh-chung/1.pdf" },
                { "title": "Báo cáo số 176/BC-SNV" }
            ])
        );
    }
}
