//! Checking published results against their round folder (`parindex verify`): re-score the
//! round and compare every published figure, and the SHA-256 of every input file.
//!
//! What an auditor does with a published round: [`verify`] reports each difference
//! ([`Difference`]), and refuses ([`Error::MalformedResults`], [`Error::OtherRound`]) results
//! that are not a results document or are of another round.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use parindex_rank::{Limits, RESULTS_FORMAT, sha256_hex};
use serde::Serialize;

use crate::{
    Diagnostics, Engine, Error, FolderError, Locale, NodeRow, ResultsDocument, RoundFolder, UnitRow, score_round,
};

/// One thing that does not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// An input file's bytes are not those the results were scored from.
    InputChanged {
        /// The file, relative to the round folder.
        file: String,
        /// The SHA-256 the results record.
        recorded: String,
        /// The SHA-256 of the file now.
        now: String,
    },
    /// An input file the results record cannot be read now.
    InputMissing {
        /// The file.
        file: String,
        /// Why it cannot be read.
        error: String,
    },
    /// A file the round is scored from now that the results do not record (e.g. a new
    /// assessment).
    InputNotRecorded {
        /// The file.
        file: String,
    },
    /// The round folder no longer loads: nothing can be re-scored.
    RoundInvalid {
        /// Every problem found.
        problems: Diagnostics,
    },
    /// A block of the round is not in the results, or the reverse.
    BlockMissing {
        /// The block's id.
        block: String,
        /// `"results"` (missing from the results) or `"round"` (not in the round).
        missing_from: &'static str,
    },
    /// A unit of the round is not in the results, or the reverse.
    UnitMissing {
        /// The block's id.
        block: String,
        /// The unit's id.
        unit: String,
        /// `"results"` or `"round"`.
        missing_from: &'static str,
    },
    /// A node of a unit is not in the results, or the reverse.
    NodeMissing {
        /// The block's id.
        block: String,
        /// The unit's id.
        unit: String,
        /// The criterion code.
        node: String,
        /// `"results"` or `"round"`.
        missing_from: &'static str,
    },
    /// A published figure differs from the re-scored one.
    Figure {
        /// The block's id.
        block: String,
        /// The unit's id.
        unit: String,
        /// The criterion code, for a node's figure.
        #[serde(skip_serializing_if = "Option::is_none")]
        node: Option<String>,
        /// The field (`index`, `rank`, `points`, …).
        field: &'static str,
        /// As published (`null` when absent).
        published: String,
        /// As re-scored (`null` when absent).
        rescored: String,
    },
    /// The findings differ (compared as a set of code and criterion).
    Findings {
        /// The block's id.
        block: String,
        /// The unit's id.
        unit: String,
        /// Published but not found on re-scoring, as `code criterion`.
        only_published: Vec<String>,
        /// Found on re-scoring but not published.
        only_rescored: Vec<String>,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::InputChanged { file, recorded, now } => write!(
                f,
                "input {file}: its SHA-256 is {now}, but the results were scored from {recorded}: the file has changed"
            ),
            Difference::InputMissing { file, error } => {
                write!(f, "input {file}: the results were scored from it, but it cannot be read now ({error})")
            }
            Difference::InputNotRecorded { file } => {
                write!(f, "input {file}: the round is scored from it now, but the results do not record it")
            }
            Difference::RoundInvalid { problems } => {
                write!(
                    f,
                    "the round folder no longer loads ({} problem(s)), so nothing can be re-scored:",
                    problems.len()
                )?;
                for d in &problems.errors {
                    write!(f, "\n    {}", d.render())?;
                }
                Ok(())
            }
            Difference::BlockMissing { block, missing_from } => match *missing_from {
                "results" => write!(f, "block {block}: in the round, but not in the results"),
                _ => write!(f, "block {block}: in the results, but not in the round"),
            },
            Difference::UnitMissing { block, unit, missing_from } => match *missing_from {
                "results" => write!(f, "{block}/{unit}: the unit is in the round, but not in the results"),
                _ => write!(f, "{block}/{unit}: the unit is in the results, but not in the round"),
            },
            Difference::NodeMissing { block, unit, node, missing_from } => match *missing_from {
                "results" => write!(f, "{block}/{unit} node {node}: in the criteria set, but not in the results"),
                _ => write!(f, "{block}/{unit} node {node}: in the results, but not in the criteria set"),
            },
            Difference::Figure { block, unit, node, field, published, rescored } => {
                write!(f, "{block}/{unit}")?;
                if let Some(node) = node {
                    write!(f, " node {node}")?;
                }
                write!(f, ": {field} is {published} in the results, {rescored} on re-scoring")
            }
            Difference::Findings { block, unit, only_published, only_rescored } => {
                write!(f, "{block}/{unit}: the findings differ")?;
                if !only_published.is_empty() {
                    write!(f, "; only in the results: {}", only_published.join(", "))?;
                }
                if !only_rescored.is_empty() {
                    write!(f, "; only on re-scoring: {}", only_rescored.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

impl Difference {
    /// The difference in words for a person reading `locale`; English is its `Display`.
    /// Ids, file names, codes, field names and figures are the same in both.
    pub fn render_in(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            Difference::InputChanged { file, recorded, now } => format!(
                "đầu vào {file}: SHA-256 hiện là {now}, nhưng kết quả được chấm từ {recorded}: tệp đã bị thay đổi"
            ),
            Difference::InputMissing { file, error } => {
                format!("đầu vào {file}: kết quả được chấm từ tệp này, nhưng nay không đọc được ({error})")
            }
            Difference::InputNotRecorded { file } => {
                format!("đầu vào {file}: kỳ đánh giá nay được chấm từ tệp này, nhưng kết quả không ghi nhận tệp")
            }
            Difference::RoundInvalid { problems } => {
                let mut text = format!(
                    "thư mục kỳ đánh giá không còn nạp được ({} lỗi), nên không chấm lại được:",
                    problems.len()
                );
                for d in &problems.errors {
                    text.push_str("\n    ");
                    text.push_str(&d.render_in(locale));
                }
                text
            }
            Difference::BlockMissing { block, missing_from } => match *missing_from {
                "results" => format!("khối {block}: có trong kỳ đánh giá, nhưng không có trong kết quả"),
                _ => format!("khối {block}: có trong kết quả, nhưng không có trong kỳ đánh giá"),
            },
            Difference::UnitMissing { block, unit, missing_from } => match *missing_from {
                "results" => format!("{block}/{unit}: đơn vị có trong kỳ đánh giá, nhưng không có trong kết quả"),
                _ => format!("{block}/{unit}: đơn vị có trong kết quả, nhưng không có trong kỳ đánh giá"),
            },
            Difference::NodeMissing { block, unit, node, missing_from } => match *missing_from {
                "results" => {
                    format!("{block}/{unit} tiêu chí {node}: có trong bộ tiêu chí, nhưng không có trong kết quả")
                }
                _ => format!("{block}/{unit} tiêu chí {node}: có trong kết quả, nhưng không có trong bộ tiêu chí"),
            },
            Difference::Figure { block, unit, node, field, published, rescored } => {
                let node = node.as_ref().map(|n| format!(" tiêu chí {n}")).unwrap_or_default();
                format!("{block}/{unit}{node}: {field} là {published} trong kết quả, {rescored} khi chấm lại")
            }
            Difference::Findings { block, unit, only_published, only_rescored } => {
                let mut text = format!("{block}/{unit}: các phát hiện khác nhau");
                if !only_published.is_empty() {
                    text.push_str(&format!("; chỉ có trong kết quả: {}", only_published.join(", ")));
                }
                if !only_rescored.is_empty() {
                    text.push_str(&format!("; chỉ có khi chấm lại: {}", only_rescored.join(", ")));
                }
                text
            }
        }
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// The round verified.
    pub round: String,
    /// Units compared.
    pub units: usize,
    /// Input files whose SHA-256 was checked.
    pub inputs_checked: usize,
    /// Things worth knowing that are not differences (another engine version, results
    /// without input hashes).
    pub notes: Vec<String>,
    /// Every difference found; empty when the results verify.
    pub differences: Vec<Difference>,
    /// The notes in Vietnamese, in the same order ([`Verification::notes_in`]).
    #[serde(skip)]
    notes_vi: Vec<String>,
}

impl Verification {
    /// True when every figure and every hash matches.
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }

    /// The notes for a person reading `locale` (English: [`Verification::notes`]).
    pub fn notes_in(&self, locale: Locale) -> &[String] {
        if locale == Locale::En { &self.notes } else { &self.notes_vi }
    }
}

/// Re-scores the round folder at `dir` and compares it with `results_text`, a results
/// document (SPEC §9) as published.
///
/// # Errors
///
/// [`Error::MalformedResults`] when the text is not a results document (a key given twice
/// included), [`Error::OtherRound`] when it is of another round, [`Error::NotAFolder`] when
/// `dir` is not a readable folder.
pub fn verify(dir: &Path, results_text: &str) -> Result<Verification, Error> {
    verify_with_limits(dir, results_text, Limits::default())
}

/// [`verify`] within `limits` (a larger document size than the default, for instance). The
/// files the results name are read only inside `dir`, and only regular files.
///
/// # Errors
///
/// As [`verify`].
pub fn verify_with_limits(dir: &Path, results_text: &str, limits: Limits) -> Result<Verification, Error> {
    // serde_json keeps the last of a key given twice: the text is checked for them first.
    if let Ok(tree) = parindex_core::reader::parse(results_text)
        && let Some(first) = parindex_core::reader::duplicate_keys_in(&tree).errors.into_iter().next()
    {
        return Err(Error::MalformedResults(format!("{}: {}", first.path, first.message)));
    }
    let published: ResultsDocument =
        serde_json::from_str(results_text).map_err(|e| Error::MalformedResults(e.to_string()))?;
    if published.format != RESULTS_FORMAT {
        return Err(Error::MalformedResults(format!(
            "its \"format\" is \"{}\", not \"{RESULTS_FORMAT}\"",
            published.format
        )));
    }
    if let Err(source) = std::fs::read_dir(dir) {
        return Err(Error::NotAFolder { path: dir.to_path_buf(), source });
    }
    if let Some(folder_round) = round_id(dir, &limits)
        && folder_round != published.round
    {
        return Err(Error::OtherRound { results: published.round, folder: folder_round });
    }

    let mut notes = Vec::new();
    let mut notes_vi = Vec::new();
    let mut differences = Vec::new();
    let this = Engine::this();
    match &published.engine {
        Some(e) if *e != this => {
            notes.push(format!(
                "the results were produced by {} {}; this is {} {}",
                e.name, e.version, this.name, this.version
            ));
            notes_vi
                .push(format!("kết quả được tạo bởi {} {}; đây là {} {}", e.name, e.version, this.name, this.version));
        }
        Some(_) => {}
        None => {
            notes.push("the results carry no engine stamp".to_owned());
            notes_vi.push("kết quả không ghi phiên bản phần mềm chấm điểm".to_owned());
        }
    }
    if published.inputs.is_empty() {
        notes.push("the results record no input hashes: only the figures are compared".to_owned());
        notes_vi.push("kết quả không ghi mã băm của tệp đầu vào: chỉ so sánh các số liệu".to_owned());
    }
    for recorded in &published.inputs.0 {
        match parindex_rank::limits::read_inside(dir, &recorded.path, &limits) {
            Ok(bytes) => {
                let now = sha256_hex(&bytes);
                if now != recorded.sha256 {
                    differences.push(Difference::InputChanged {
                        file: recorded.path.clone(),
                        recorded: recorded.sha256.clone(),
                        now,
                    });
                }
            }
            Err(e) => differences.push(Difference::InputMissing { file: recorded.path.clone(), error: e.to_string() }),
        }
    }

    let folder = match RoundFolder::load_with_limits(dir, limits) {
        Ok(folder) => folder,
        Err(FolderError::NotAFolder { path, source }) => return Err(Error::NotAFolder { path, source }),
        Err(FolderError::Invalid(problems)) => {
            differences.push(Difference::RoundInvalid { problems });
            return Ok(Verification {
                round: published.round,
                units: 0,
                inputs_checked: published.inputs.0.len(),
                notes,
                differences,
                notes_vi,
            });
        }
    };
    if !published.inputs.is_empty() {
        for file in &folder.files {
            if published.inputs.get(&file.path).is_none() {
                differences.push(Difference::InputNotRecorded { file: file.path.clone() });
            }
        }
    }
    let rescored = score_round(&folder);
    let units = compare(&published, &rescored, &mut differences);
    Ok(Verification {
        round: published.round,
        units,
        inputs_checked: published.inputs.0.len(),
        notes,
        differences,
        notes_vi,
    })
}

/// The `id` of the folder's round.json, if it can be read at all.
fn round_id(dir: &Path, limits: &Limits) -> Option<String> {
    let text = parindex_rank::limits::read_to_string(&dir.join("round.json"), limits).ok()?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    doc.get("id")?.as_str().map(str::to_owned)
}

fn shown<T: fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "null".to_owned(), |v| v.to_string())
}

/// Compares every published figure; returns how many units were compared.
fn compare(published: &ResultsDocument, rescored: &ResultsDocument, out: &mut Vec<Difference>) -> usize {
    let mut compared = 0;
    for block in &rescored.blocks {
        let Some(pb) = published.blocks.iter().find(|b| b.id == block.id) else {
            out.push(Difference::BlockMissing { block: block.id.clone(), missing_from: "results" });
            continue;
        };
        for unit in &block.units {
            match pb.units.iter().find(|u| u.unit == unit.unit) {
                Some(pu) => {
                    compare_unit(&block.id, pu, unit, out);
                    compared += 1;
                }
                None => out.push(Difference::UnitMissing {
                    block: block.id.clone(),
                    unit: unit.unit.clone(),
                    missing_from: "results",
                }),
            }
        }
        for pu in &pb.units {
            if !block.units.iter().any(|u| u.unit == pu.unit) {
                out.push(Difference::UnitMissing {
                    block: block.id.clone(),
                    unit: pu.unit.clone(),
                    missing_from: "round",
                });
            }
        }
    }
    for pb in &published.blocks {
        if !rescored.blocks.iter().any(|b| b.id == pb.id) {
            out.push(Difference::BlockMissing { block: pb.id.clone(), missing_from: "round" });
        }
    }
    compared
}

fn compare_unit(block: &str, published: &UnitRow, rescored: &UnitRow, out: &mut Vec<Difference>) {
    let mut figure = |node: Option<&str>, field: &'static str, p: String, r: String| {
        if p != r {
            out.push(Difference::Figure {
                block: block.to_owned(),
                unit: rescored.unit.clone(),
                node: node.map(str::to_owned),
                field,
                published: p,
                rescored: r,
            });
        }
    };
    let (p, r) = (published, rescored);
    figure(None, "name", p.name.clone(), r.name.clone());
    figure(None, "status", p.status.as_str().to_owned(), r.status.as_str().to_owned());
    figure(None, "rank", shown(p.rank), shown(r.rank));
    figure(None, "class", shown(p.class.as_deref()), shown(r.class.as_deref()));
    figure(None, "index", p.index.to_string(), r.index.to_string());
    figure(None, "total", p.total.to_string(), r.total.to_string());
    figure(None, "max", p.max.to_string(), r.max.to_string());
    figure(None, "self_total", p.self_total.to_string(), r.self_total.to_string());
    figure(None, "appraised_total", p.appraised_total.to_string(), r.appraised_total.to_string());
    figure(None, "survey_total", p.survey_total.to_string(), r.survey_total.to_string());
    figure(None, "bonus", p.bonus.to_string(), r.bonus.to_string());
    figure(None, "penalty", p.penalty.to_string(), r.penalty.to_string());
    let published_nodes: BTreeMap<&str, &NodeRow> = p.nodes.iter().map(|n| (n.code.as_str(), n)).collect();
    for node in &r.nodes {
        let Some(pn) = published_nodes.get(node.code.as_str()) else {
            out.push(Difference::NodeMissing {
                block: block.to_owned(),
                unit: r.unit.clone(),
                node: node.code.clone(),
                missing_from: "results",
            });
            continue;
        };
        let mut figure = |field: &'static str, a: String, b: String| {
            if a != b {
                out.push(Difference::Figure {
                    block: block.to_owned(),
                    unit: r.unit.clone(),
                    node: Some(node.code.clone()),
                    field,
                    published: a,
                    rescored: b,
                });
            }
        };
        figure("excluded", pn.excluded.to_string(), node.excluded.to_string());
        figure("points", shown(pn.points), shown(node.points));
        figure("max", shown(pn.max), shown(node.max));
        figure("index", shown(pn.index), shown(node.index));
        figure("self", shown(pn.self_points), shown(node.self_points));
    }
    for pn in &p.nodes {
        if !r.nodes.iter().any(|n| n.code == pn.code) {
            out.push(Difference::NodeMissing {
                block: block.to_owned(),
                unit: r.unit.clone(),
                node: pn.code.clone(),
                missing_from: "round",
            });
        }
    }
    let key = |f: &crate::Finding| match &f.criterion {
        Some(c) => format!("{} {c}", f.code),
        None => f.code.to_string(),
    };
    let count = |rows: &[crate::Finding]| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for f in rows {
            *m.entry(key(f)).or_default() += 1;
        }
        m
    };
    let (pf, rf) = (count(&p.findings), count(&r.findings));
    if pf != rf {
        let only = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| -> Vec<String> {
            a.iter()
                .flat_map(|(k, n)| std::iter::repeat_n(k.clone(), n.saturating_sub(b.get(k).copied().unwrap_or(0))))
                .collect()
        };
        out.push(Difference::Findings {
            block: block.to_owned(),
            unit: r.unit.clone(),
            only_published: only(&pf, &rf),
            only_rescored: only(&rf, &pf),
        });
    }
}
