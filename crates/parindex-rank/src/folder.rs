//! Loading a round's folder (SPEC §7): `round.json`, the criteria sets it names, and
//! `assessments/*.json`, every document checked, every problem reported at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use parindex_assess::Assessment;
use parindex_core::criteria::parse_json;
use parindex_core::{Code, CriteriaSet, Diagnostic, Diagnostics};

use crate::round::Round;

/// Why a round folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The path is not a folder that can be read.
    #[error("cannot read the round folder {path}: {source}")]
    NotAFolder {
        /// The folder given.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The documents have problems; every one is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// The `format` of a round bundle ([`RoundFolder::from_bundle`]).
pub const BUNDLE_FORMAT: &str = "parindex/round-bundle@1";

/// A loaded, valid round folder: everything needed to score the round.
#[derive(Debug, Clone)]
pub struct RoundFolder {
    /// The round document.
    pub round: Round,
    /// Each block's criteria set, parallel to `round.blocks`.
    pub criteria_sets: Vec<CriteriaSet>,
    /// Each submitted assessment, by unit id.
    pub assessments: BTreeMap<String, Assessment>,
    /// Every file read, relative to the folder, in reading order.
    pub files: Vec<String>,
}

/// Where a round folder's files come from: a folder on disk, or texts in memory keyed by
/// their path relative to the folder (`round.json`, `assessments/so-a.json`, …).
#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    Dir(&'a Path),
    Memory(&'a BTreeMap<String, String>),
}

impl Source<'_> {
    fn read(&self, relative: &str) -> std::io::Result<Vec<u8>> {
        match self {
            Source::Dir(dir) => std::fs::read(dir.join(relative)),
            Source::Memory(files) => files.get(relative).map(|t| t.as_bytes().to_vec()).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory (os error 2)")
            }),
        }
    }

    /// The names of the `.json` files in `assessments/`, sorted.
    fn assessment_names(&self) -> Vec<String> {
        let mut names: Vec<String> = match self {
            Source::Dir(dir) => match std::fs::read_dir(dir.join("assessments")) {
                Ok(entries) => {
                    entries.filter_map(Result::ok).filter_map(|e| e.file_name().into_string().ok()).collect()
                }
                Err(_) => Vec::new(),
            },
            Source::Memory(files) => files
                .keys()
                .filter_map(|k| k.strip_prefix("assessments/"))
                .filter(|n| !n.contains('/'))
                .map(str::to_owned)
                .collect(),
        };
        names.retain(|n| n.ends_with(".json"));
        names.sort();
        names
    }
}

fn read_text(
    dir: Source<'_>,
    relative: &str,
    diags: &mut Diagnostics,
    missing_code: Code,
    missing_path: &str,
    missing_file: &str,
) -> Option<String> {
    match dir.read(relative) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(_) => {
                diags.push(Diagnostic::new(Code::InputType, "", "the file is not UTF-8 text").in_file(relative));
                None
            }
        },
        Err(e) => {
            diags.push(
                Diagnostic::new(missing_code, missing_path, format!("cannot read '{relative}': {e}"))
                    .in_file(missing_file),
            );
            None
        }
    }
}

impl RoundFolder {
    /// Loads and checks the round folder at `dir`.
    pub fn load(dir: &Path) -> Result<RoundFolder, FolderError> {
        if let Err(source) = std::fs::read_dir(dir) {
            return Err(FolderError::NotAFolder { path: dir.to_path_buf(), source });
        }
        Self::load_from(Source::Dir(dir))
    }

    /// Loads and checks a round folder held in memory: each file's text keyed by its path
    /// relative to the folder (`round.json`, the criteria sets it names,
    /// `assessments/<name>.json`). The same checks and the same result as [`RoundFolder::load`]
    /// on a folder holding those files.
    pub fn from_files(files: &BTreeMap<String, String>) -> Result<RoundFolder, FolderError> {
        Self::load_from(Source::Memory(files))
    }

    /// Loads and checks a round bundle: a round folder as one JSON document,
    /// `{"format": "parindex/round-bundle@1", "files": {"round.json": {…}, "<criteria set
    /// path>": {…}, "assessments/<unit>.json": {…}}}` (what the JSON API exports). Each
    /// document is read as the file it stands for, written with two-space indentation.
    pub fn from_bundle(text: &str) -> Result<RoundFolder, FolderError> {
        let bad = |path: &str, message: &str| {
            FolderError::Invalid(Diagnostic::new(Code::InputType, path, message).in_file("bundle").into())
        };
        let doc = parse_json(text).map_err(FolderError::Invalid)?;
        if doc.get("format").and_then(|f| f.as_str()) != Some(BUNDLE_FORMAT) {
            return Err(bad("/format", "a round bundle's \"format\" is \"parindex/round-bundle@1\""));
        }
        let Some(entries) = doc.get("files").and_then(|f| f.as_object()) else {
            return Err(bad("/files", "a round bundle's \"files\" is an object: path in the folder → document"));
        };
        let files = entries
            .iter()
            .map(|(path, doc)| (path.clone(), serde_json::to_string_pretty(doc).unwrap_or_default()))
            .collect();
        Self::from_files(&files)
    }

    fn load_from(dir: Source<'_>) -> Result<RoundFolder, FolderError> {
        let mut diags = Diagnostics::new();
        let mut files = Vec::new();
        let round_text = read_text(dir, "round.json", &mut diags, Code::InputType, "", "round.json");
        let Some(round_text) = round_text else { return Err(FolderError::Invalid(diags)) };
        let round = match parse_json(&round_text).map(|doc| Round::read(&doc)) {
            Ok((Some(round), problems)) => {
                diags.extend(problems.in_file("round.json"));
                round
            }
            Ok((None, problems)) | Err(problems) => return Err(FolderError::Invalid(problems.in_file("round.json"))),
        };
        files.push("round.json".to_owned());

        // Criteria sets, one load per distinct path.
        let mut loaded: BTreeMap<&str, Option<CriteriaSet>> = BTreeMap::new();
        for (i, block) in round.blocks.iter().enumerate() {
            if loaded.contains_key(block.criteria_set.as_str()) {
                continue;
            }
            let pointer = format!("/blocks/{i}/criteria_set");
            let set = read_text(dir, &block.criteria_set, &mut diags, Code::UnknownCriteriaSet, &pointer, "round.json")
                .and_then(|text| {
                    files.push(block.criteria_set.clone());
                    match parse_json(&text).map(|doc| CriteriaSet::read(&doc)) {
                        Ok((set, problems)) => {
                            diags.extend(problems.in_file(&block.criteria_set));
                            set
                        }
                        Err(problems) => {
                            diags.extend(problems.in_file(&block.criteria_set));
                            None
                        }
                    }
                });
            loaded.insert(&block.criteria_set, set);
        }
        let criteria_sets: Vec<Option<CriteriaSet>> =
            round.blocks.iter().map(|b| loaded.get(b.criteria_set.as_str()).cloned().flatten()).collect();

        let assessments = load_assessments(dir, &round, &criteria_sets, &mut diags, &mut files);
        if !diags.is_empty() {
            return Err(FolderError::Invalid(diags));
        }
        let criteria_sets = criteria_sets.into_iter().flatten().collect();
        Ok(RoundFolder { round, criteria_sets, assessments, files })
    }

    /// The criteria set of the block with this id.
    pub fn criteria_set(&self, block: &str) -> Option<&CriteriaSet> {
        let i = self.round.blocks.iter().position(|b| b.id == block)?;
        self.criteria_sets.get(i)
    }
}

fn load_assessments(
    dir: Source<'_>,
    round: &Round,
    sets: &[Option<CriteriaSet>],
    diags: &mut Diagnostics,
    files: &mut Vec<String>,
) -> BTreeMap<String, Assessment> {
    let mut out = BTreeMap::new();
    let mut from_file: BTreeMap<String, String> = BTreeMap::new();
    for name in dir.assessment_names() {
        let relative = format!("assessments/{name}");
        let Some(text) = read_text(dir, &relative, diags, Code::InputType, "", &relative) else { continue };
        files.push(relative.clone());
        let doc = match parse_json(&text) {
            Ok(doc) => doc,
            Err(e) => {
                diags.extend(e.in_file(&relative));
                continue;
            }
        };
        let Some(unit_id) = Assessment::unit_of(&doc).map(str::to_owned) else {
            diags.push(
                Diagnostic::new(
                    Code::UnknownUnit,
                    "/unit",
                    "the assessment does not say which unit it is for (\"unit\")",
                )
                .in_file(&relative),
            );
            continue;
        };
        let Some(unit) = round.unit(&unit_id) else {
            diags.push(
                Diagnostic::new(
                    Code::UnknownUnit,
                    "/unit",
                    format!("'{unit_id}' is not a unit of the round '{}'", round.id),
                )
                .in_file(&relative),
            );
            continue;
        };
        if let Some(first) = from_file.get(&unit_id) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateAssessment,
                    "/unit",
                    format!("unit '{unit_id}' already has an assessment in '{first}': keep one file per unit"),
                )
                .in_file(&relative),
            );
            continue;
        }
        from_file.insert(unit_id.clone(), relative.clone());
        let Some(block_index) = round.blocks.iter().position(|b| b.id == unit.block) else { continue };
        let (Some(Some(set)), Some(block)) = (sets.get(block_index), round.blocks.get(block_index)) else { continue };
        let labels: Vec<String> = block.classes.iter().map(|c| c.label.clone()).collect();
        match Assessment::from_json(&doc, set, &labels) {
            Ok(a) => {
                out.insert(unit_id, a);
            }
            Err(e) => diags.extend(e.in_file(&relative)),
        }
    }
    out
}
