//! What the forms tests share: the Đồng Tháp 2023 fixture, writing a form, and filling it as
//! an officer would (numbers as numbers, dates as date cells, options by their labels).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use parindex_assess::Assessment;
use parindex_core::rule::Rule;
use parindex_core::{CriteriaSet, Decimal};
use parindex_forms::layout::{Layout, SheetKind};
use parindex_forms::{Error, ImportOptions, Imported, import_bytes};
use parindex_forms::{FormContext, build_workbook};
use parindex_rank::RoundFiles;
use rust_xlsxwriter::{Workbook, Worksheet};
use serde_json::{Map, Value};

/// The fixture round folder.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2023")
}

/// A fresh empty folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-forms-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The fixture's assessment document of `unit`.
pub fn fixture_doc(unit: &str) -> Value {
    let text = std::fs::read_to_string(fixture().join("assessments").join(format!("{unit}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Everything a form of `unit` is written from.
pub struct Ctx {
    pub files: RoundFiles,
    pub unit: parindex_rank::Unit,
    pub block: parindex_rank::Block,
    pub set: CriteriaSet,
}

impl Ctx {
    pub fn new(unit: &str) -> Ctx {
        Ctx::in_round(&fixture(), unit)
    }

    pub fn in_round(dir: &Path, unit: &str) -> Ctx {
        let files = RoundFiles::load(dir).unwrap();
        let (u, b) = files.unit(unit).unwrap();
        let (unit, block) = (u.clone(), b.clone());
        let set = files.criteria_set(&block).unwrap();
        Ctx { files, unit, block, set }
    }

    pub fn layout(&self, kind: SheetKind) -> Layout {
        Layout::new(&self.set, &self.unit.tags, kind)
    }

    pub fn assessment(&self, doc: &Value) -> Assessment {
        Assessment::from_document(&parindex_json::Value::from(doc), &self.set, &self.block.class_labels()).unwrap()
    }

    /// The workbook of a form, before an officer fills it.
    pub fn workbook(&self, kind: SheetKind, base: Option<&Assessment>) -> Workbook {
        let ctx = FormContext { round: &self.files.round, unit: &self.unit, set: &self.set, kind, base };
        build_workbook(&ctx).unwrap()
    }

    /// A form filled by `fill`, as `.xlsx` bytes.
    pub fn filled(
        &self,
        kind: SheetKind,
        base: Option<&Assessment>,
        fill: impl FnOnce(&mut Worksheet, &Layout, &CriteriaSet),
    ) -> Vec<u8> {
        let mut wb = self.workbook(kind, base);
        let layout = self.layout(kind);
        fill(wb.worksheet_from_name(&kind.sheet_name()).unwrap(), &layout, &self.set);
        wb.save_to_buffer().unwrap()
    }

    pub fn import(&self, bytes: Vec<u8>, options: &ImportOptions) -> Result<Imported, Error> {
        import_bytes(bytes, "form.xlsx", &self.files.dir, options)
    }
}

/// The decimal a JSON number or decimal string holds.
pub fn decimal(v: &Value) -> Decimal {
    parindex_core::decimal::decimal_from_json(v).unwrap()
}

/// Fills a stage's entries into a form laid out by `layout`, as an officer would type them.
pub fn fill_entries(ws: &mut Worksheet, layout: &Layout, set: &CriteriaSet, entries: &Map<String, Value>) {
    parindex_forms::fill_entries(ws, layout, set, entries).unwrap();
}

/// Entries with every decimal written as the string of its normalized value (`28` → `"28"`,
/// `"2.50"` → `"2.5"`), which is how an import writes them; other values are unchanged.
pub fn normalized(entries: &Map<String, Value>, set: &CriteriaSet, on_form: &Layout) -> Map<String, Value> {
    let dec = |v: &Value| Value::String(decimal(v).normalize().to_string());
    let mut out = Map::new();
    for (code, entry) in entries {
        let id = set.find(code).unwrap();
        if on_form.leaf_row(id).is_none() {
            continue;
        }
        let rule = &set.node(id).unwrap().leaf().unwrap().rule;
        let mut e = entry.as_object().unwrap().clone();
        if let Some(p) = e.get("points").cloned() {
            e.insert("points".into(), dec(&p));
        }
        if let Some(input) = e.get("input").cloned() {
            let fixed = match (rule, &input) {
                (Rule::YesNo | Rule::Options { .. } | Rule::Deadline { .. }, _) => input,
                (_, Value::Object(m)) => Value::Object(m.iter().map(|(k, v)| (k.clone(), dec(v))).collect()),
                _ => dec(&input),
            };
            e.insert("input".into(), fixed);
        }
        out.insert(code.clone(), Value::Object(e));
    }
    out
}

/// The names of the fixture's assessment files' units.
pub fn fixture_units() -> Vec<String> {
    let mut units: Vec<String> = std::fs::read_dir(fixture().join("assessments"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .collect();
    units.sort();
    units
}
