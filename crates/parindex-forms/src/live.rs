//! Live points (issue #14 item 6): the spreadsheet formula of a leaf's preview cell — "Điểm
//! tính theo kết quả" on the self-assessment sheet, "Điểm sau thẩm định" on an appraisal
//! sheet — that computes the engine's points from the cells an officer fills, for every rule
//! kind, so that the points and the subtotals follow every change of an input or an option.
//!
//! What a preview cell computes, as the engine does (SPEC §4–§6, §11):
//!
//! - "nothing arose" marked: the maximum (`full`) or nothing (`exclude`: the cell is empty);
//! - else an input given: the rule's points for it, clamped to `[0, max]` (a division by zero,
//!   a ratio over 0, means nothing arose);
//! - else points given: those points;
//! - else, on an appraisal sheet, the entry in effect before the stage: its points as the
//!   engine gives them (column F), re-evaluated with this sheet's refs for a formula that
//!   reads other items; on a self-assessment sheet, nothing (no entry).
//! - A derived item computes its formula from the preview cells of the items it refers to.
//! - On the self-assessment sheet, an item that requires evidence is worth 0 while its
//!   evidence cell is empty (SPEC §11.5).
//!
//! Spreadsheets compute in binary floating point: the preview agrees with the engine's exact
//! figure to about 15 significant digits. The engine, not the sheet, publishes the figures.

use parindex_core::rule::{Band, BandInput, FormulaRule, ProportionalInput, Rule};
use parindex_core::{CriteriaSet, Date, Decimal, Leaf, NodeId, NotArisingPolicy, Source};

use crate::layout::{Layout, MARK, NOT_DONE, RowKind, SheetKind, YES, cell_name};
use crate::write::option_items;

/// What a preview cell shows when the rule cannot be computed in a spreadsheet (no rule
/// kind on a form needs it today; survey items are not on forms).
pub const NOT_COMPUTABLE: &str = "Không tính được trong bảng tính";

/// An expression that is a spreadsheet error: "nothing arose" inside a rule, caught by the
/// `IFERROR` around it.
const ARISE_NOTHING: &str = "(1/0)";

fn num(d: Decimal) -> String {
    let s = d.normalize().to_string();
    if s.starts_with('-') { format!("({s})") } else { s }
}

/// Where the preview formulas of one sheet find their cells.
pub struct Live<'a> {
    set: &'a CriteriaSet,
    layout: &'a Layout,
    /// The column of the preview cells.
    col: u16,
}

/// Which input cells a rule reads: the sheet's input column, or (an appraisal sheet's entry
/// carried over) the "before" column.
#[derive(Clone, Copy)]
enum From {
    New,
    Before,
}

impl<'a> Live<'a> {
    /// The formulas of a sheet laid out by `layout`; `None` when the sheet has no preview column.
    pub fn new(set: &'a CriteriaSet, layout: &'a Layout) -> Option<Live<'a>> {
        Some(Live { set, layout, col: layout.columns.after? })
    }

    /// The preview column.
    pub fn column(&self) -> u16 {
        self.col
    }

    fn input_col(&self, from: From) -> u16 {
        match from {
            From::New => self.layout.columns.input,
            From::Before => self.layout.columns.before_input.unwrap_or(self.layout.columns.input),
        }
    }

    fn detail(&self, id: NodeId, kind: RowKind, from: From) -> String {
        let row = self.layout.detail_row(id, kind).map_or(0, |r| r.row);
        cell_name(row, self.input_col(from))
    }

    /// The preview cell of node `id` (a leaf or a group row), if it is on the sheet.
    fn preview_cell(&self, id: NodeId) -> Option<String> {
        let row = self.layout.rows.iter().find(|r| r.node == Some(id) && !is_detail(r.kind))?;
        Some(cell_name(row.row, self.col))
    }

    /// The formula (with `=`) of the preview cell of a leaf's row.
    pub fn leaf_formula(&self, id: NodeId, row: u32) -> String {
        let Some((node, leaf)) = self.set.node(id).and_then(|n| n.leaf().map(|l| (n, l))) else {
            return format!("=\"{NOT_COMPUTABLE}\"");
        };
        let max = num(node.max);
        let na = match leaf.not_arising {
            NotArisingPolicy::Full => max.clone(),
            NotArisingPolicy::Exclude => "\"\"".to_owned(),
            // A derived item scores 0 where nothing arose under `forbidden`; an entry cannot
            // say it (the mark's cell is locked).
            NotArisingPolicy::Forbidden => {
                if leaf.source == Source::Derived {
                    "0".to_owned()
                } else {
                    "\"\"".to_owned()
                }
            }
        };
        let clamp = |x: &str| format!("IFERROR(MAX(0,MIN({max},{x})),{na})");
        if leaf.source == Source::Derived {
            return match self.rule(leaf, &max, id, From::New) {
                Some(r) => format!("={}", clamp(&r)),
                None => format!("=\"{NOT_COMPUTABLE}\""),
            };
        }
        let c = &self.layout.columns;
        let cell = |col: u16| cell_name(row, col);
        let Some(rule) = self.rule(leaf, &max, id, From::New) else {
            return format!("=\"{NOT_COMPUTABLE}\"");
        };
        let present = self.present(leaf, id, row, From::New);
        let points = cell(c.points);
        let otherwise = match (self.layout.kind, c.before_points) {
            (SheetKind::Appraisal(_), Some(bp)) => {
                let earlier = cell(bp);
                let carried = format!("IF(ISNUMBER({earlier}),{earlier},\"\")");
                match (&leaf.rule, self.rule(leaf, &max, id, From::Before)) {
                    (Rule::Formula(f), Some(again)) if !f.refs.is_empty() => {
                        let before = self.present(leaf, id, row, From::Before);
                        format!("IF({before},{},{carried})", clamp(&again))
                    }
                    _ => carried,
                }
            }
            _ => "\"\"".to_owned(),
        };
        let mark = cell(c.not_arising);
        let mut f = format!(
            "IF({mark}=\"{MARK}\",{na},IF({present},{},IF(ISNUMBER({points}),{points},{otherwise})))",
            clamp(&rule)
        );
        if let (Some(ev), true, SheetKind::SelfAssessment) = (c.evidence, leaf.evidence_required, self.layout.kind) {
            let ev = cell(ev);
            f = format!("IF(LEN({ev})=0,IF(ISNUMBER({f}),0,\"\"),{f})");
        }
        format!("={f}")
    }

    /// Whether an input is given in the cells the rule reads.
    fn present(&self, leaf: &Leaf, id: NodeId, row: u32, from: From) -> String {
        let lens: Vec<String> = match &leaf.rule {
            Rule::Manual { .. } | Rule::Survey { .. } => return "FALSE".to_owned(),
            Rule::Bands { input: BandInput::Ratio, .. }
            | Rule::Proportional { input: ProportionalInput::Ratio, .. } => {
                [RowKind::Numerator, RowKind::Denominator].iter().map(|k| self.detail(id, *k, from)).collect()
            }
            Rule::Formula(f) => {
                let mut cells = Vec::new();
                if f.choice_names.is_some() {
                    cells.push(self.detail(id, RowKind::Choice, from));
                }
                cells.extend((0..f.variables.len()).map(|i| self.detail(id, RowKind::Variable(i), from)));
                cells
            }
            _ => vec![cell_name(row, self.input_col(from))],
        };
        if lens.is_empty() {
            return "FALSE".to_owned();
        }
        let sum: Vec<String> = lens.iter().map(|c| format!("LEN({c})")).collect();
        format!("({})>0", sum.join("+"))
    }

    /// The rule's points (unclamped) from the input cells; `None` where a spreadsheet cannot
    /// compute it.
    fn rule(&self, leaf: &Leaf, max: &str, id: NodeId, from: From) -> Option<String> {
        let row = self.layout.rows.iter().find(|r| r.node == Some(id) && !is_detail(r.kind))?.row;
        let input = cell_name(row, self.input_col(from));
        let ratio = || (self.detail(id, RowKind::Numerator, from), self.detail(id, RowKind::Denominator, from));
        Some(match &leaf.rule {
            Rule::Manual { .. } => "\"\"".to_owned(),
            Rule::YesNo => format!("IF({input}=\"{YES}\",{max},0)"),
            Rule::Options { options } => {
                let items = option_items(options);
                options.iter().zip(&items).rev().fold(ARISE_NOTHING.to_owned(), |inner, (o, item)| {
                    format!(
                        "IF(OR({input}=\"{}\",{input}=\"{}\"),{},{inner})",
                        quote(item),
                        quote(&o.key),
                        num(o.points)
                    )
                })
            }
            Rule::Bands { input: kind, bands, otherwise } => {
                let chain = |test: &dyn Fn(&Band) -> String| {
                    bands
                        .iter()
                        .rev()
                        .fold(num(*otherwise), |inner, b| format!("IF({},{},{inner})", test(b), num(b.points)))
                };
                match kind {
                    BandInput::Ratio => {
                        let (n, d) = ratio();
                        let body = chain(&|b| band_test(b, &format!("{n}*100"), &|x| format!("{}*{d}", num(x))));
                        format!("IF({d}=0,{ARISE_NOTHING},{body})")
                    }
                    BandInput::Percent | BandInput::Number | BandInput::Count => {
                        chain(&|b| band_test(b, &input, &|x| num(x)))
                    }
                }
            }
            Rule::Proportional { input: kind, zero_below, full_from } => {
                let (value, bound, raw, guard): (String, BoundWriter, String, Option<String>) = match kind {
                    ProportionalInput::Percent => (input.clone(), Box::new(num), format!("{max}*{input}/100"), None),
                    ProportionalInput::Ratio => {
                        let (n, d) = ratio();
                        let dd = d.clone();
                        (
                            format!("{n}*100"),
                            Box::new(move |x| format!("{}*{dd}", num(x))),
                            format!("{max}*{n}/{d}"),
                            Some(d),
                        )
                    }
                };
                let mut f = raw;
                if let Some(full) = full_from {
                    f = format!("IF({value}>={},{max},{f})", bound(*full));
                }
                if let Some(zero) = zero_below {
                    f = format!("IF({value}<{},0,{f})", bound(*zero));
                }
                match guard {
                    Some(d) => format!("IF({d}=0,{ARISE_NOTHING},{f})"),
                    None => f,
                }
            }
            Rule::Deduction { per } => format!("{max}-{}*{input}", num(*per)),
            Rule::PerItem { per } => format!("{}*{input}", num(*per)),
            Rule::Deadline { due, late_points, grace_days } => {
                let day = date(*due);
                format!(
                    "IF(ISNUMBER({input}),IF({input}<={day},{max},IF({input}-{day}<={grace_days},{},0)),IF({input}=\"{NOT_DONE}\",0,{ARISE_NOTHING}))",
                    num(*late_points)
                )
            }
            Rule::Formula(f) => self.formula(f, max, id, from),
            Rule::Survey { .. } => return None,
        })
    }

    fn formula(&self, f: &FormulaRule, max: &str, id: NodeId, from: From) -> String {
        let vars = f.variables.len();
        let slot = |i: usize| -> String {
            if i < vars {
                self.detail(id, RowKind::Variable(i), from)
            } else {
                // A ref: the points of the node it names at this sheet's stage; 0 when the
                // node is not on the sheet (a council-only item on the self form).
                f.refs
                    .get(i - vars)
                    .and_then(|r| r.node)
                    .and_then(|n| self.preview_cell(n))
                    .map_or_else(|| "0".to_owned(), |c| format!("N({c})"))
            }
        };
        let exprs: Vec<String> = f.formulas.iter().map(|x| x.to_spreadsheet(&slot, max)).collect();
        match &f.choice_names {
            None => exprs.into_iter().next().unwrap_or_else(|| ARISE_NOTHING.to_owned()),
            Some(names) => {
                let choice = self.detail(id, RowKind::Choice, from);
                names.iter().zip(exprs).rev().fold(ARISE_NOTHING.to_owned(), |inner, (name, e)| {
                    format!("IF({choice}=\"{}\",{e},{inner})", quote(name))
                })
            }
        }
    }
}

/// Writes a bound for comparison with a measured value (cross-multiplied for a ratio).
type BoundWriter = Box<dyn Fn(Decimal) -> String>;

fn is_detail(kind: RowKind) -> bool {
    matches!(kind, RowKind::Numerator | RowKind::Denominator | RowKind::Choice | RowKind::Variable(_))
}

/// A band's test on `value`, bounds written by `bound` (cross-multiplied for a ratio).
fn band_test(b: &Band, value: &str, bound: &dyn Fn(Decimal) -> String) -> String {
    let mut tests = Vec::new();
    if let Some(from) = b.from {
        tests.push(format!("{value}{}{}", if b.from_inclusive { ">=" } else { ">" }, bound(from)));
    }
    if let Some(to) = b.to {
        tests.push(format!("{value}{}{}", if b.to_inclusive { "<=" } else { "<" }, bound(to)));
    }
    match tests.len() {
        0 => "TRUE".to_owned(),
        1 => tests.remove(0),
        _ => format!("AND({})", tests.join(",")),
    }
}

fn date(d: Date) -> String {
    format!("DATE({},{},{})", d.year(), d.month(), d.day())
}

/// A text inside a formula's double quotes.
fn quote(s: &str) -> String {
    s.replace('"', "\"\"")
}
