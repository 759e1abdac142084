//! Importing a filled form: read the workbook, check it is this round's form for this unit,
//! read its entries, put them into the unit's assessment document, and check that with the
//! engine. Every problem names the cell; nothing is returned when there is one.

use std::path::{Path, PathBuf};

use parindex_assess::{Assessment, UnitContext, score_unit};
use parindex_core::criteria::parse_json;
use parindex_core::rule::Rule;
use parindex_core::{Code, CriteriaSet, Diagnostic, Diagnostics, NodeId};
use serde_json::Value;

use crate::Error;
use crate::layout::{Layout, RowKind, SheetKind, sheet_cell};
use crate::merge;
use crate::read::{self, Grid, Meta};
use crate::round_dir;
use crate::zip_limits;
use parindex_rank::{Limits, RoundFiles};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The assessment file the result is meant for: when it exists, the sheet's stage is
    /// merged into it (for an appraisal sheet it is also the earlier stages' source).
    pub out: Option<PathBuf>,
    /// The self-assessment's `submitted_at` (RFC 3339), for a self-assessment sheet.
    pub submitted_at: Option<String>,
    /// The bounds the workbook and the round folder's files are read within
    /// (docs/limits.md).
    pub limits: Limits,
}

/// A workbook read into an assessment document that the engine accepts.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The assessment document (SPEC §6), decimals as strings.
    pub document: Value,
    /// The unit.
    pub unit: String,
    /// The sheet read.
    pub kind: SheetKind,
    /// How many entries the sheet gave.
    pub entries: usize,
    /// The file whose other stages the document keeps, if any.
    pub base: Option<String>,
    /// Findings (SPEC §10: scored, but reported), with the cell they concern where there is
    /// one.
    pub findings: Vec<Diagnostic>,
}

/// Reads the workbook at `path` against the round folder `round_dir`.
pub fn import(path: &Path, round_dir: &Path, options: &ImportOptions) -> Result<Imported, Error> {
    let bytes = parindex_rank::limits::read_file(path, &options.limits)
        .map_err(|e| Error::Io { path: path.to_path_buf(), source: e.into() })?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    import_bytes(bytes, &name, round_dir, options)
}

/// Reads a workbook's bytes (`name` is used in messages) against the round folder `round_dir`.
pub fn import_bytes(bytes: Vec<u8>, name: &str, round_dir: &Path, options: &ImportOptions) -> Result<Imported, Error> {
    let in_file = |p: Diagnostics| Error::Invalid(p.in_file(name));
    zip_limits::check(&bytes, name)?;
    let mut workbook = read::open(bytes, name)?;
    let meta = workbook.meta().map_err(in_file)?;
    let files = round_dir::load(round_dir, options.limits)?;
    let (unit, block) = check_context(&files, &meta).map_err(in_file)?;
    let set = round_dir::criteria_set(&files, block)?;
    let (grid, mut problems) = workbook.grid(meta.kind).map_err(in_file)?;
    let layout = Layout::new(&set, &unit.tags, meta.kind);
    problems.errors.extend(read::check_structure(&grid, &meta, &layout).errors);
    if !problems.is_empty() {
        return Err(in_file(problems));
    }
    let sheet = read::read_entries(&grid, &layout, &set);
    let mut problems = sheet.problems;
    let entries = sheet.entries.len();

    // The document the sheet goes into.
    let labels = block.class_labels();
    let existing_out = options.out.as_ref().filter(|p| p.exists());
    let base = match existing_out {
        Some(p) => Some(read_base(p, &options.limits)?),
        None => match meta.kind {
            SheetKind::SelfAssessment => None,
            SheetKind::Appraisal(n) => match files.find_assessment(&meta.unit) {
                Some(f) => Some((f.name, f.doc)),
                None => {
                    return Err(Error::NoAssessmentToImportInto {
                        unit: meta.unit.clone(),
                        stage: n,
                        folder: files.dir.join("assessments"),
                    });
                }
            },
        },
    };
    if let Some((base_name, doc)) = &base {
        match Assessment::unit_of(doc) {
            Some(u) if u == meta.unit => {}
            other => {
                return Err(Error::Invalid(
                    Diagnostic::new(
                        Code::UnknownUnit,
                        "/unit",
                        format!(
                            "{base_name} is the assessment of '{}', not of '{}', whose form this is",
                            other.unwrap_or("no unit"),
                            meta.unit
                        ),
                    )
                    .in_file(base_name.as_str())
                    .into(),
                ));
            }
        }
    }
    let base_name = base.as_ref().map(|(n, _)| n.clone());
    let (document, stage_pointer) = match meta.kind {
        SheetKind::SelfAssessment => (
            merge::with_self(base.map(|(_, d)| d), &meta.unit, sheet.entries, options.submitted_at.as_deref()),
            "/self".to_owned(),
        ),
        SheetKind::Appraisal(n) => {
            let doc = base.map(|(_, d)| d).unwrap_or(Value::Null);
            match merge::with_appraisal(doc, n, sheet.is_final, sheet.entries) {
                Some(x) => x,
                None => {
                    let what = base_name.clone().unwrap_or_default();
                    return Err(Error::Invalid(
                        Diagnostic::new(Code::InputType, "", format!("{what} is not an assessment document"))
                            .in_file(what.as_str())
                            .into(),
                    ));
                }
            }
        }
    };

    let mapper = CellMapper { grid: &grid, layout: &layout, set: &set, stage_pointer: &stage_pointer };
    let assessment = match Assessment::from_document(&parindex_json::Value::from(&document), &set, &labels) {
        Ok(a) => Some(a),
        Err(diags) => {
            for d in diags {
                problems.push(mapper.problem(d, name, base_name.as_deref()));
            }
            None
        }
    };
    if !problems.is_empty() {
        return Err(in_file(problems));
    }
    let findings = match &assessment {
        Some(a) => {
            let ctx = UnitContext {
                unit: &unit.id,
                tags: &unit.tags,
                survey_held: block.survey,
                self_deadline: files.round.self_deadline,
            };
            score_unit(&set, &ctx, Some(a))
                .findings
                .into_iter()
                .filter(|f| f.code != Code::MissingSurvey)
                .map(|f| mapper.finding(f.code, f.criterion, f.message).in_file(name))
                .collect()
        }
        None => Vec::new(),
    };
    Ok(Imported { document, unit: meta.unit, kind: meta.kind, entries, base: base_name, findings })
}

fn read_base(path: &Path, limits: &Limits) -> Result<(String, Value), Error> {
    let name = &path.display().to_string();
    let text = parindex_rank::limits::read_to_string(path, limits)
        .map_err(|e| Error::Io { path: path.to_path_buf(), source: e.into() })?;
    let doc = parse_json(&text).map_err(|d| Error::Invalid(d.in_file(name)))?;
    Ok((name.to_owned(), doc))
}

/// Checks the workbook is for this round, for one of its units, with that unit's criteria set.
fn check_context<'a>(
    files: &'a RoundFiles,
    meta: &Meta,
) -> Result<(&'a parindex_rank::Unit, &'a parindex_rank::Block), Diagnostics> {
    let sheet = meta.kind.sheet_name();
    let cell = |row: u32| sheet_cell(&sheet, row, crate::layout::COL_RULE);
    if meta.round != files.round.id {
        return Err(Diagnostic::in_cell(
            Code::InputType,
            cell(crate::layout::ROW_ROUND),
            format!(
                "this workbook is the form of the round '{}', not of '{}' (the --round folder): \
                 import it into its own round, or generate this round's form",
                meta.round, files.round.id
            ),
        )
        .into());
    }
    let Some((unit, block)) = files.unit(&meta.unit) else {
        return Err(Diagnostic::in_cell(
            Code::UnknownUnit,
            cell(crate::layout::ROW_UNIT),
            format!(
                "'{}' is not a unit of the round '{}'; its units are: {}",
                meta.unit,
                files.round.id,
                files.unit_ids()
            ),
        )
        .into());
    };
    Ok((unit, block)).and_then(|(unit, block)| {
        let set_id = files.criteria_set_id(block);
        match set_id {
            Some(id) if id != meta.criteria_set => Err(Diagnostic::in_cell(
                Code::UnknownCriteriaSet,
                cell(crate::layout::ROW_SET),
                format!(
                    "this form was made from the criteria set '{}', but unit '{}' is now scored with '{id}': \
                     generate a new form",
                    meta.criteria_set, unit.id
                ),
            )
            .into()),
            _ => Ok((unit, block)),
        }
    })
}

/// Finds the cell an engine diagnostic or a finding concerns.
struct CellMapper<'a> {
    grid: &'a Grid,
    layout: &'a Layout,
    set: &'a CriteriaSet,
    /// `/self` or `/appraisals/N`: the stage the sheet holds.
    stage_pointer: &'a str,
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl CellMapper<'_> {
    fn problem(&self, d: Diagnostic, workbook: &str, base: Option<&str>) -> Diagnostic {
        let prefix = format!("{}/entries/", self.stage_pointer);
        if let Some(rest) = d.path.strip_prefix(&prefix) {
            let tokens: Vec<String> = rest.split('/').map(unescape).collect();
            if let Some(code) = tokens.first()
                && let Some(cell) = self.cell_for(code, tokens.get(1..).unwrap_or_default())
            {
                return Diagnostic { file: Some(workbook.to_owned()), path: String::new(), cell: Some(cell), ..d };
            }
        }
        let file =
            if d.path.starts_with(self.stage_pointer) || base.is_none() { workbook } else { base.unwrap_or(workbook) };
        d.in_file(file)
    }

    fn finding(&self, code: Code, criterion: Option<String>, message: String) -> Diagnostic {
        let field = match code {
            Code::PointsMismatch => "points",
            Code::NoEvidence => "evidence",
            _ => "input",
        };
        let cell = criterion.as_deref().and_then(|c| self.cell_for(c, &[field.to_owned()]));
        let p = match cell {
            Some(cell) => Diagnostic::in_cell(code, cell, message),
            None => Diagnostic::new(code, "", message),
        };
        match criterion {
            Some(c) => p.with_criterion(c),
            None => p,
        }
    }

    /// The cell of `code`'s entry field (`[]`, `["input", "numerator"]`, `["points"]`, …).
    fn cell_for(&self, code: &str, field: &[String]) -> Option<String> {
        let id = self.set.find(code)?;
        let leaf = self.set.node(id)?.leaf()?;
        let row = self.layout.leaf_row(id)?;
        let c = &self.layout.columns;
        let at = |r: u32, col: u16| Some(self.grid.cell(r, col));
        let detail = |kind: RowKind| self.layout.detail_row(id, kind).map(|d| d.row);
        let first = field.first().map(String::as_str);
        match first {
            None | Some("input") => {
                if let Some(sub) = field.get(1) {
                    let kind = match (sub.as_str(), &leaf.rule) {
                        ("numerator", _) => RowKind::Numerator,
                        ("denominator", _) => RowKind::Denominator,
                        (name, Rule::Formula(f)) => RowKind::Variable(f.variables.iter().position(|(n, _)| n == name)?),
                        _ => return at(row.row, c.input),
                    };
                    return at(detail(kind)?, c.input);
                }
                match &leaf.rule {
                    Rule::Manual { .. } => at(row.row, c.points),
                    _ => match self.first_detail(id) {
                        Some(r) => at(r, c.input),
                        None => at(row.row, c.input),
                    },
                }
            }
            Some("choice") => at(detail(RowKind::Choice)?, c.input),
            Some("points") => at(row.row, c.points),
            Some("not_arising") => at(row.row, c.not_arising),
            Some("evidence") => at(row.row, c.evidence.unwrap_or(c.note)),
            Some("note") => at(row.row, c.note),
            Some("reason") => at(row.row, c.reason?),
            Some("explain") => at(row.row, c.explain?),
            Some(_) => at(row.row, c.input),
        }
    }

    /// The first blank detail row of a leaf (the likeliest place of a missing value), else its
    /// first detail row.
    fn first_detail(&self, id: NodeId) -> Option<u32> {
        let rows: Vec<u32> = self
            .layout
            .rows
            .iter()
            .filter(|r| r.node == Some(id) && !matches!(r.kind, RowKind::Leaf | RowKind::Group | RowKind::Total))
            .map(|r| r.row)
            .collect();
        let col = self.layout.columns.input;
        rows.iter().copied().find(|r| self.grid.value(*r, col).is_blank()).or_else(|| rows.first().copied())
    }
}
