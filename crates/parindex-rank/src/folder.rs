//! Loading a round's folder (SPEC §7): `round.json`, the criteria sets it names, and
//! `assessments/*.json`, every document checked, every problem reported at once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use parindex_assess::Assessment;
use parindex_core::criteria::parse_json;
use parindex_core::reader as json;
use parindex_core::{Code, CriteriaSet, Diagnostic, Diagnostics};

use crate::limits::{self, Limits, ReadError};

use crate::round::{Round, Unit};

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
    /// Every file read, relative to the folder, in reading order, with the SHA-256 of its
    /// bytes as read: the `inputs` stamp of the results.
    pub files: Vec<InputFile>,
}

/// One file a round was scored from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Its path relative to the round folder, as the round names it (`criteria/so-2023.json`).
    pub path: String,
    /// The SHA-256 of its bytes, as lowercase hex.
    pub sha256: String,
}

/// The SHA-256 of `bytes` as 64 lowercase hex digits (parindex-core's, re-exported).
pub use parindex_core::digest::sha256_hex;

/// A file's text and the SHA-256 of its bytes.
struct Read {
    text: String,
    sha256: String,
}

/// Where a round folder's files come from: a folder on disk, or texts in memory keyed by
/// their path relative to the folder (`round.json`, `assessments/so-a.json`, …).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'a> {
    Dir(&'a Path, Limits),
    Memory(&'a BTreeMap<String, String>),
}

impl Source<'_> {
    /// The bytes of a file of the folder: a regular file inside it, within the limits
    /// ([`limits::read_inside`]).
    fn read(&self, relative: &str) -> Result<Vec<u8>, ReadError> {
        match self {
            Source::Dir(dir, limits) => limits::read_inside(dir, relative, limits),
            Source::Memory(files) => files.get(relative).map(|t| t.as_bytes().to_vec()).ok_or_else(|| {
                ReadError::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "No such file or directory (os error 2)",
                ))
            }),
        }
    }

    /// The names of the `.json` files in `assessments/`, sorted. A folder on disk without an
    /// `assessments/` folder, or whose `assessments/` cannot be listed, is an error: never
    /// "no unit submitted" (docs/spec-readings.md).
    fn assessment_names(&self) -> Result<Vec<String>, Diagnostics> {
        let mut names: Vec<String> = match self {
            Source::Dir(dir, _) => limits::list_folder(&dir.join("assessments")).map_err(|e| {
                let message = match &e {
                    ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                        "thư mục kỳ đánh giá không có thư mục assessments/: hãy tạo nó (để trống khi chưa \
                         đơn vị nào nộp bản tự đánh giá) / the round folder has no assessments/ folder: create \
                         it (empty when no unit has submitted an assessment)"
                            .to_owned()
                    }
                    _ => format!("không đọc được thư mục 'assessments' / cannot read the folder 'assessments': {e}"),
                };
                Diagnostics::from(Diagnostic::new(Code::InputType, "", message).in_file("assessments"))
            })?,
            Source::Memory(files) => files
                .keys()
                .filter_map(|k| k.strip_prefix("assessments/"))
                .filter(|n| !n.contains('/'))
                .map(str::to_owned)
                .collect(),
        };
        names.retain(|n| n.ends_with(".json"));
        names.sort();
        Ok(names)
    }
}

fn read_text(
    dir: Source<'_>,
    relative: &str,
    diags: &mut Diagnostics,
    missing_code: Code,
    missing_path: &str,
    missing_file: &str,
) -> Option<Read> {
    match dir.read(relative) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let sha256 = sha256_hex(text.as_bytes());
                Some(Read { text, sha256 })
            }
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

/// A round document and its blocks' criteria sets, read as far as they could be read, with
/// every problem found: the first half of loading a folder. Assessments are then visited
/// one by one ([`visit_assessments`]), so that a national round need not be held in memory.
#[derive(Debug)]
pub(crate) struct Header {
    pub round: Round,
    /// Parallel to `round.blocks`; `None` where the set could not be read.
    pub criteria_sets: Vec<Option<CriteriaSet>>,
    /// `round.json` and the criteria sets, with their hashes.
    pub files: Vec<InputFile>,
    /// Where each unit id is in `round.units` (the first, if an id is given twice).
    pub unit_index: HashMap<String, usize>,
}

/// Checks that `dir` is a folder that can be read.
pub(crate) fn readable(dir: &Path, limits: Limits) -> Result<Source<'_>, FolderError> {
    match std::fs::read_dir(dir) {
        Ok(_) => Ok(Source::Dir(dir, limits)),
        Err(source) => Err(FolderError::NotAFolder { path: dir.to_path_buf(), source }),
    }
}

/// Reads `round.json` and the criteria sets it names.
pub(crate) fn open(dir: Source<'_>) -> Result<(Header, Diagnostics), FolderError> {
    let mut diags = Diagnostics::new();
    let mut files = Vec::new();
    let round_text = read_text(dir, "round.json", &mut diags, Code::InputType, "", "round.json");
    let Some(round_read) = round_text else { return Err(FolderError::Invalid(diags)) };
    let round = match json::parse(&round_read.text).map(|doc| Round::read_document(&doc)) {
        Ok((Some(round), problems)) => {
            diags.extend(problems.in_file("round.json"));
            round
        }
        Ok((None, problems)) | Err(problems) => return Err(FolderError::Invalid(problems.in_file("round.json"))),
    };
    files.push(InputFile { path: "round.json".to_owned(), sha256: round_read.sha256 });

    // Criteria sets, one load per distinct path.
    let mut loaded: BTreeMap<&str, Option<CriteriaSet>> = BTreeMap::new();
    for (i, block) in round.blocks.iter().enumerate() {
        if loaded.contains_key(block.criteria_set.as_str()) {
            continue;
        }
        let pointer = format!("/blocks/{i}/criteria_set");
        let set = read_text(dir, &block.criteria_set, &mut diags, Code::UnknownCriteriaSet, &pointer, "round.json")
            .and_then(|read| {
                files.push(InputFile { path: block.criteria_set.clone(), sha256: read.sha256 });
                match json::parse(&read.text).map(|doc| CriteriaSet::read_document(&doc)) {
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
    let criteria_sets = round.blocks.iter().map(|b| loaded.get(b.criteria_set.as_str()).cloned().flatten()).collect();
    let mut unit_index = HashMap::with_capacity(round.units.len());
    for (i, unit) in round.units.iter().enumerate() {
        unit_index.entry(unit.id.clone()).or_insert(i);
    }
    Ok((Header { round, criteria_sets, files, unit_index }, diags))
}

/// How many threads read assessments (or write result rows): `PARINDEX_THREADS` if set (for
/// measuring), else every core (at most 8), or one for a small round.
pub(crate) fn threads_for(files: usize) -> usize {
    if let Some(n) = std::env::var("PARINDEX_THREADS").ok().and_then(|v| v.parse::<usize>().ok()) {
        return n.clamp(1, 64);
    }
    if files < 64 {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
}

/// What one assessment file gave: its path and hash (if it could be read), and the unit it
/// is for with what `visit` made of it, or its problems.
type Visited<T> = (String, Option<String>, Result<(String, T), Diagnostics>);

/// Reads every `assessments/*.json` file, checks it against its unit's block, and hands the
/// valid ones to `visit`, on every core. Results and problems come back in file-name order,
/// whatever the threads did, so the output never depends on scheduling. Returns what
/// `visit` made, by unit id, and the files read with their hashes.
pub(crate) fn visit_assessments<T: Send>(
    dir: Source<'_>,
    header: &Header,
    visit: impl Fn(&Unit, Assessment) -> T + Sync,
    diags: &mut Diagnostics,
) -> (BTreeMap<String, T>, Vec<InputFile>) {
    let names: Vec<String> = match dir.assessment_names() {
        Ok(names) => names.into_iter().map(|n| format!("assessments/{n}")).collect(),
        Err(problem) => {
            diags.extend(problem);
            Vec::new()
        }
    };
    let threads = threads_for(names.len());
    let work = |k: usize| -> Vec<(usize, Visited<T>)> {
        names
            .iter()
            .enumerate()
            .skip(k)
            .step_by(threads)
            .map(|(i, name)| {
                let (sha256, result) = check_one(dir, name, header, &visit);
                (i, (name.clone(), sha256, result))
            })
            .collect()
    };
    let mut visited: Vec<(usize, Visited<T>)> = if threads == 1 {
        work(0)
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|k| scope.spawn(move || work(k))).collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        })
    };
    visited.sort_by_key(|(i, _)| *i);

    let mut out = BTreeMap::new();
    let mut from_file: BTreeMap<String, String> = BTreeMap::new();
    let mut files = Vec::with_capacity(visited.len());
    for (_, (relative, sha256, result)) in visited {
        if let Some(sha256) = sha256 {
            files.push(InputFile { path: relative.clone(), sha256 });
        }
        match result {
            Err(problems) => diags.extend(problems),
            Ok((unit_id, value)) => {
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
                from_file.insert(unit_id.clone(), relative);
                out.insert(unit_id, value);
            }
        }
    }
    (out, files)
}

/// Reads and checks one assessment file, returning the SHA-256 of its bytes when it could be
/// read. A file whose unit the round does not have, or whose block's criteria set could not
/// be read, cannot be checked further.
fn check_one<T>(
    dir: Source<'_>,
    relative: &str,
    header: &Header,
    visit: &impl Fn(&Unit, Assessment) -> T,
) -> (Option<String>, Result<(String, T), Diagnostics>) {
    // Hashed as read; checked as UTF-8 and parsed without copying them into a `String`.
    match dir.read(relative) {
        Ok(bytes) => (Some(sha256_hex(&bytes)), check_bytes(&bytes, relative, header, visit)),
        Err(e) => {
            let problem = Diagnostic::new(Code::InputType, "", format!("cannot read '{relative}': {e}"));
            (None, Err(problem.in_file(relative).into()))
        }
    }
}

fn check_bytes<T>(
    bytes: &[u8],
    relative: &str,
    header: &Header,
    visit: &impl Fn(&Unit, Assessment) -> T,
) -> Result<(String, T), Diagnostics> {
    // Read where it lies in the text, never built as a tree (docs/limits.md, "Memory").
    let text = json::valid_bytes(bytes).map_err(|e| e.in_file(relative))?;
    let doc = text.root();
    let round = &header.round;
    let problem =
        |code: Code, message: String| Diagnostics::from(Diagnostic::new(code, "/unit", message).in_file(relative));
    let unit_id = doc.get("unit").and_then(|v| v.as_str());
    let Some(unit_id) = unit_id.as_deref() else {
        return Err(problem(Code::UnknownUnit, "the assessment does not say which unit it is for (\"unit\")".into()));
    };
    let Some(unit) = header.unit_index.get(unit_id).and_then(|i| round.units.get(*i)) else {
        return Err(problem(Code::UnknownUnit, format!("'{unit_id}' is not a unit of the round '{}'", round.id)));
    };
    let Some(block_index) = round.blocks.iter().position(|b| b.id == unit.block) else {
        // The round's own problem (unknown_block) is reported with round.json.
        return Err(Diagnostics::new());
    };
    let (Some(Some(set)), Some(block)) = (header.criteria_sets.get(block_index), round.blocks.get(block_index)) else {
        return Err(Diagnostics::new());
    };
    let labels = block.class_labels();
    let assessment = Assessment::from_lazy(doc, set, &labels).map_err(|e| e.in_file(relative))?;
    drop(text);
    Ok((unit.id.clone(), visit(unit, assessment)))
}

impl RoundFolder {
    /// Loads and checks the round folder at `dir`, keeping every assessment in memory.
    pub fn load(dir: &Path) -> Result<RoundFolder, FolderError> {
        Self::load_with_limits(dir, Limits::default())
    }

    /// [`RoundFolder::load`] within `limits` (a larger document size than the default, for
    /// instance).
    pub fn load_with_limits(dir: &Path, limits: Limits) -> Result<RoundFolder, FolderError> {
        Self::load_from(readable(dir, limits)?)
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
        // serde_json keeps the last of a key given twice: a bundle is checked for them first.
        if let Ok(tree) = json::parse(text) {
            let twice = json::duplicate_keys_in(&tree);
            if !twice.is_empty() {
                return Err(FolderError::Invalid(twice.in_file("bundle")));
            }
        }
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

    /// Checks one assessment file (its bytes, named `file` in the problems) against the
    /// round folder at `dir` exactly as [`RoundFolder::load`] checks the folder's assessments,
    /// so that a problem has the same code either way. The problems of `round.json` and of
    /// the criteria set of the assessment's block come with the file's own; the folder's other
    /// assessments are not read.
    ///
    /// # Errors
    ///
    /// [`FolderError::NotAFolder`] when `dir` cannot be read, [`FolderError::Invalid`] with
    /// every problem found.
    pub fn check_assessment(dir: &Path, bytes: &[u8], file: &str) -> Result<(), FolderError> {
        Self::check_assessment_with_limits(dir, bytes, file, Limits::default())
    }

    /// [`RoundFolder::check_assessment`], reading the folder's files within `limits`.
    ///
    /// # Errors
    ///
    /// As [`RoundFolder::check_assessment`].
    pub fn check_assessment_with_limits(
        dir: &Path,
        bytes: &[u8],
        file: &str,
        limits: Limits,
    ) -> Result<(), FolderError> {
        let (header, mut diags) = open(readable(dir, limits)?)?;
        let unit = json::valid_bytes(bytes)
            .ok()
            .and_then(|text| text.root().get("unit").and_then(|v| v.as_str()).map(std::borrow::Cow::into_owned));
        let set_file = unit
            .and_then(|u| header.unit_index.get(&u).and_then(|i| header.round.units.get(*i)))
            .and_then(|u| header.round.block(&u.block))
            .map(|b| b.criteria_set.clone());
        diags.errors.retain(|d| match d.file.as_deref() {
            Some("round.json") => true,
            f => f.is_some() && f == set_file.as_deref(),
        });
        if let Err(problems) = check_bytes(bytes, file, &header, &|_, _| ()) {
            diags.extend(problems);
        }
        diags.into_result(()).map_err(FolderError::Invalid)
    }

    fn load_from(dir: Source<'_>) -> Result<RoundFolder, FolderError> {
        let (header, mut diags) = open(dir)?;
        let (assessments, files) = visit_assessments(dir, &header, |_, a| a, &mut diags);
        if !diags.is_empty() {
            return Err(FolderError::Invalid(diags));
        }
        let Header { round, criteria_sets, files: mut all_files, .. } = header;
        all_files.extend(files);
        Ok(RoundFolder {
            round,
            criteria_sets: criteria_sets.into_iter().flatten().collect(),
            assessments,
            files: all_files,
        })
    }

    /// The criteria set of the block with this id.
    pub fn criteria_set(&self, block: &str) -> Option<&CriteriaSet> {
        let i = self.round.blocks.iter().position(|b| b.id == block)?;
        self.criteria_sets.get(i)
    }
}
