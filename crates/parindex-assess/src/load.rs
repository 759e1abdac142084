//! Loading an assessment document and checking it against the unit's criteria set (SPEC §6).

use std::borrow::Cow;
use std::collections::BTreeMap;

use parindex_core::reader::Reader;
use parindex_core::rule::{Outcome, read_input, read_survey};
use parindex_core::{Code, CriteriaSet, Decimal, Diagnostics, NodeId, NotArisingPolicy, Source};
use parindex_json::{Child, Fields, Lazy, Object, Pointer, Value, pointer_child, pointer_index};

use crate::model::{
    Adjustment, AdjustmentList, Appraisal, Assessment, ClassCap, Entry, EntryValue, Evidence, EvidenceList,
    Explanation, SelfStage, SurveyResult,
};
use crate::read;
use crate::timestamp::Timestamp;

/// The members the loader reads from each kind of object (the rest are skipped unread).
const TOP: [&str; 7] = ["format", "unit", "self", "appraisals", "explanations", "survey", "class_cap"];
const SELF: [&str; 4] = ["submitted_at", "entries", "bonus", "penalty"];
const APPRAISAL: [&str; 5] = ["stage", "final", "entries", "bonus", "penalty"];
const ENTRY: [&str; 9] = ["not_arising", "input", "points", "evidence", "note", "reason", "explain", "by", "choice"];
const EXPLANATION: [&str; 4] = ["points", "input", "note", "evidence"];
const EVIDENCE: [&str; 3] = ["title", "ref", "file"];
const ADJUSTMENT: [&str; 2] = ["points", "reason"];
const CLASS_CAP: [&str; 2] = ["label", "reason"];

/// The `format` an assessment document declares.
pub const FORMAT: &str = "parindex/assessment@1";

/// What an entry key may name.
pub(crate) enum KeyUse {
    /// Appraisal entries: assessed leaves (and items only the council scores).
    Assessed,
    /// Self entries: assessed leaves, not items only the council scores (SPEC §11.6).
    SelfEntry,
    /// Survey entries: survey leaves.
    Survey,
    /// Explanations: any leaf.
    AnyLeaf,
}

impl Assessment {
    /// The `unit` a document names, if it names one (read before the unit's block is known).
    pub fn unit_of(doc: &serde_json::Value) -> Option<&str> {
        doc.get("unit")?.as_str()
    }

    /// Parses an assessment document from JSON text and checks it against the criteria set
    /// of the unit's block, whose class labels are `class_labels`, reporting every problem at
    /// once. (With a best-effort set from `CriteriaSet::read_document`, entries for its broken
    /// nodes are skipped.)
    ///
    /// The document is never built as a tree: its text is checked once, then read where it
    /// lies ([`parindex_json::Lazy`]), so that memory stays within a small multiple of the
    /// text whatever the document holds.
    pub fn from_json(text: &str, set: &CriteriaSet, class_labels: &[String]) -> Result<Assessment, Diagnostics> {
        let checked = parindex_core::reader::valid_text(text)?;
        Assessment::from_lazy(checked.root(), set, class_labels)
    }

    /// [`Assessment::from_json`] for a document tree already parsed
    /// (`parindex_core::reader::parse`; from a `serde_json::Value`, `parindex_json::Value::from`).
    pub fn from_document(
        doc: &Value<'_>,
        set: &CriteriaSet,
        class_labels: &[String],
    ) -> Result<Assessment, Diagnostics> {
        let text = doc.to_string();
        match parindex_json::valid_text(&text) {
            Ok(checked) => Assessment::from_lazy(checked.root(), set, class_labels),
            Err(_) => Assessment::from_lazy(Lazy::root(&text), set, class_labels),
        }
    }

    /// [`Assessment::from_json`] for a document's text already checked
    /// (`parindex_core::reader::valid_text`).
    pub fn from_lazy(doc: Lazy<'_>, set: &CriteriaSet, class_labels: &[String]) -> Result<Assessment, Diagnostics> {
        let mut diags = Diagnostics::new();
        let loaded = {
            let mut r = Reader::new(&mut diags);
            load(doc, set, class_labels, &mut r)
        };
        match loaded {
            Some(a) if diags.is_empty() => Ok(a),
            _ => Err(diags),
        }
    }
}

fn load(doc: Lazy<'_>, set: &CriteriaSet, class_labels: &[String], r: &mut Reader<'_>) -> Option<Assessment> {
    let map = read::object(r, doc, "", Code::InputType, "an assessment", &TOP)?;
    let format: Object<'_> = map.get("format").map(|v| ("format".into(), v.to_value())).into_iter().collect();
    parindex_core::criteria::check_format(&format, FORMAT, r);
    let unit = read::required(r, &map, "unit", "", Code::InputType, "the assessment")
        .and_then(|v| read::string(r, v, "/unit", Code::InputType, "\"unit\""))
        .unwrap_or_default()
        .into_owned();

    let self_stage = match map.get("self").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => load_self(v, set, r),
    };
    let mut appraisals = Vec::new();
    if let Some(v) = map.get("appraisals").filter(|v| !v.is_null())
        && let Some(items) = read::array(r, v, "/appraisals", Code::InputType, "\"appraisals\"")
    {
        for (i, item) in items.enumerate() {
            if let Some(a) = load_appraisal(item, &pointer_index("/appraisals", i), set, r) {
                if appraisals.iter().any(|x: &(usize, Appraisal)| x.1.stage == a.stage) {
                    r.criterion = None;
                    r.error(
                        Code::DuplicateStage,
                        &pointer_child(&pointer_index("/appraisals", i), "stage"),
                        format!("appraisal stage {} is given twice", a.stage),
                    );
                }
                appraisals.push((i, a));
            }
        }
    }
    appraisals.sort_by_key(|(_, a)| a.stage);
    let in_order: Vec<(usize, &Appraisal)> = appraisals.iter().map(|(i, a)| (*i, a)).collect();
    check_reasons(set, self_stage.as_ref(), &in_order, None, r);
    let appraisals: Vec<Appraisal> = appraisals.into_iter().map(|(_, a)| a).collect();

    let mut explanations = BTreeMap::new();
    if let Some(v) = map.get("explanations").filter(|v| !v.is_null())
        && let Some(items) = read::keyed_object(r, v, "/explanations", Code::InputType, "\"explanations\"")
    {
        let mut seen = Seen::new(set);
        for (code, item) in items {
            let p = Child::key("/explanations", &code);
            let Some(id) = leaf_key(set, &code, &p, KeyUse::AnyLeaf, r) else { continue };
            if seen.again(id, &code, &p, r) {
                continue;
            }
            let Some(m) = read::object(r, item, &p, Code::InputType, "an explanation", &EXPLANATION) else { continue };
            if m.get("points").is_some() || m.get("input").is_some() {
                r.error(Code::InputType, &p, "an explanation carries a note and evidence only, never points or input");
            }
            let note = read::opt_string_field(r, &m, "note", &p, Code::InputType).map(Cow::into_owned);
            let evidence = load_evidence(m.get("evidence"), &p, r);
            explanations.insert(id, Explanation { note, evidence });
        }
    }

    let mut survey = BTreeMap::new();
    if let Some(v) = map.get("survey").filter(|v| !v.is_null())
        && let Some(items) = read::keyed_object(r, v, "/survey", Code::InputType, "\"survey\"")
    {
        let mut seen = Seen::new(set);
        for (code, item) in items {
            let p = Child::key("/survey", &code);
            let Some(id) = leaf_key(set, &code, &p, KeyUse::Survey, r) else { continue };
            if seen.again(id, &code, &p, r) {
                continue;
            }
            let Some((node, leaf)) = set.node(id).and_then(|n| n.leaf().map(|l| (n, l))) else { continue };
            let Some(item) = bounded_leaf_value(item, &p, r) else { continue };
            let Some(answer) = read_survey(&leaf.rule, &item, &p, r) else { continue };
            match leaf.rule.score(node.max, &parindex_core::Input::Survey(answer.clone())) {
                Ok(outcome) => {
                    if outcome == Outcome::NotArising && leaf.not_arising == NotArisingPolicy::Forbidden {
                        r.error(
                            Code::NotArisingForbidden,
                            &p,
                            "no survey answers were counted, and this item does not allow 'nothing arose'",
                        );
                        continue;
                    }
                    survey.insert(id, SurveyResult { answer, outcome });
                }
                Err(e) => r.error(e.code, &p, e.message),
            }
        }
    }

    r.criterion = None;
    let class_cap = match map.get("class_cap").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => read::object(r, v, "/class_cap", Code::InputType, "\"class_cap\"", &CLASS_CAP).and_then(|m| {
            let label = read::required(r, &m, "label", "/class_cap", Code::UnknownClass, "the class cap")
                .and_then(|v| read::string(r, v, "/class_cap/label", Code::UnknownClass, "\"label\""))?;
            if !class_labels.iter().any(|l| *l == label) {
                r.error(
                    Code::UnknownClass,
                    "/class_cap/label",
                    format!("'{label}' is not a class of this block; the classes are: {}", class_labels.join(", ")),
                );
            }
            let reason =
                read::opt_string_field(r, &m, "reason", "/class_cap", Code::InputType).unwrap_or_default().into_owned();
            Some(ClassCap { label: label.into_owned(), reason })
        }),
    };
    Some(Assessment { unit, self_stage, appraisals, explanations, survey, class_cap })
}

fn load_self(v: Lazy<'_>, set: &CriteriaSet, r: &mut Reader<'_>) -> Option<SelfStage> {
    r.criterion = None;
    let m = read::object(r, v, "/self", Code::InputType, "\"self\"", &SELF)?;
    let submitted_at = match m.get("submitted_at").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => {
            let text = read::string(r, v, "/self/submitted_at", Code::BadDate, "\"submitted_at\"");
            let ts = text.as_deref().and_then(Timestamp::parse);
            if let (Some(text), None) = (text, &ts) {
                r.error(
                    Code::BadDate,
                    "/self/submitted_at",
                    format!("'{text}' is not an RFC 3339 timestamp: write e.g. 2024-01-10T08:00:00+07:00"),
                );
            }
            ts
        }
    };
    let entries = load_entries(&m, "/self", set, KeyUse::SelfEntry, r);
    let bonus = load_adjustments(&m, "bonus", "/self", set, r).unwrap_or_default();
    let penalty = load_adjustments(&m, "penalty", "/self", set, r).unwrap_or_default();
    Some(SelfStage { submitted_at, entries, bonus, penalty })
}

fn load_appraisal(v: Lazy<'_>, path: &str, set: &CriteriaSet, r: &mut Reader<'_>) -> Option<Appraisal> {
    r.criterion = None;
    let m = read::object(r, v, path, Code::InputType, "an appraisal", &APPRAISAL)?;
    let stage_path = pointer_child(path, "stage");
    let stage = read::required(r, &m, "stage", path, Code::InputType, "the appraisal")
        .and_then(|v| r.decimal(&v.to_value(), &stage_path, Code::InputType, "\"stage\""));
    let stage = stage.and_then(|s| {
        let whole = s.fract().is_zero() && s >= Decimal::ONE;
        let n = u32::try_from(s.normalize().mantissa()).ok().filter(|_| whole);
        if n.is_none() {
            r.error(Code::InputType, &stage_path, format!("\"stage\" is a whole number from 1, not {s}"));
        }
        n
    });
    let is_final = read::opt_bool_field(r, &m, "final", path, Code::InputType).unwrap_or(false);
    let entries = load_entries(&m, path, set, KeyUse::Assessed, r);
    let bonus = load_adjustments(&m, "bonus", path, set, r);
    let penalty = load_adjustments(&m, "penalty", path, set, r);
    Some(Appraisal { stage: stage?, is_final, entries, bonus, penalty })
}

/// The criteria already read in one object keyed by criterion codes (entries, explanations,
/// survey results): a code given twice is reported, not silently replaced by the last one,
/// as a `serde_json::Value` would.
struct Seen(Vec<bool>);

impl Seen {
    fn new(set: &CriteriaSet) -> Seen {
        Seen(vec![false; set.nodes().len()])
    }

    /// Marks `id` as read; true (and a problem) when it was read before.
    fn again(&mut self, id: NodeId, code: &str, path: &(impl Pointer + ?Sized), r: &mut Reader<'_>) -> bool {
        match self.0.get_mut(id.0) {
            Some(seen) if *seen => {
                r.error(Code::InputType, path, format!("'{code}' is given more than once in this object: keep one"));
                true
            }
            Some(seen) => {
                *seen = true;
                false
            }
            None => false,
        }
    }
}

/// Resolves an entry key to a leaf id, checking what kind of leaf it may name.
pub(crate) fn leaf_key(
    set: &CriteriaSet,
    code: &str,
    path: &(impl Pointer + ?Sized),
    key_use: KeyUse,
    r: &mut Reader<'_>,
) -> Option<NodeId> {
    r.name_criterion(code);
    let Some(id) = set.find(code) else {
        r.error(Code::UnknownCriterion, path, format!("'{code}' is not a criterion of the criteria set '{}'", set.id));
        return None;
    };
    if set.is_broken(id) {
        // The criteria set's own problem at this node is reported; the entry cannot be checked.
        return None;
    }
    let leaf = set.node(id).and_then(|n| n.leaf());
    let Some(leaf) = leaf else {
        r.error(Code::NotALeaf, path, format!("'{code}' is a group: score its sub-criteria instead"));
        return None;
    };
    match (key_use, leaf.source) {
        (KeyUse::Assessed | KeyUse::SelfEntry, Source::Derived) => {
            r.error(
                Code::DerivedEntry,
                path,
                format!("'{code}' is computed from the items it references: it takes no entries"),
            );
            None
        }
        (KeyUse::SelfEntry, Source::Appraisal) => {
            r.error(
                Code::AppraisalItemSelfScored,
                path,
                format!("'{code}' is scored by the appraisal council only: the unit does not self-score it"),
            );
            None
        }
        (KeyUse::Survey, Source::Derived | Source::Appraisal) => {
            r.error(Code::NotASurveyItem, path, format!("'{code}' is not scored by the survey"));
            None
        }
        (KeyUse::Assessed | KeyUse::SelfEntry, Source::Survey) => {
            r.error(
                Code::SurveySelfScored,
                path,
                format!("'{code}' is scored from the survey: it has no self-assessment or appraisal entry"),
            );
            None
        }
        (KeyUse::Survey, Source::Assessed) => {
            r.error(
                Code::NotASurveyItem,
                path,
                format!("'{code}' is assessed by the unit and the council, not by the survey"),
            );
            None
        }
        _ => Some(id),
    }
}

fn load_entries<const N: usize>(
    stage: &Fields<'_, N>,
    path: &str,
    set: &CriteriaSet,
    key_use: KeyUse,
    r: &mut Reader<'_>,
) -> BTreeMap<NodeId, Entry> {
    let mut out = BTreeMap::new();
    let entries_path = pointer_child(path, "entries");
    let Some(v) = stage.get("entries").filter(|v| !v.is_null()) else { return out };
    let Some(items) = read::keyed_object(r, v, &entries_path, Code::InputType, "\"entries\"") else { return out };
    let mut seen = Seen::new(set);
    for (code, item) in items {
        let p = Child::key(&entries_path, &code);
        let key_use = match key_use {
            KeyUse::SelfEntry => KeyUse::SelfEntry,
            _ => KeyUse::Assessed,
        };
        let Some(id) = leaf_key(set, &code, &p, key_use, r) else { continue };
        if seen.again(id, &code, &p, r) {
            continue;
        }
        if let Some(entry) = load_entry(item, &p, set, id, r) {
            out.insert(id, entry);
        }
    }
    r.criterion = None;
    out
}

pub(crate) fn load_entry(
    v: Lazy<'_>,
    path: &(impl Pointer + ?Sized),
    set: &CriteriaSet,
    id: NodeId,
    r: &mut Reader<'_>,
) -> Option<Entry> {
    let (node, leaf) = set.node(id).and_then(|n| n.leaf().map(|l| (n, l)))?;
    let m = read::object(r, v, path, Code::InputType, "an entry", &ENTRY)?;
    let before = r.diags.len();
    let not_arising = read::opt_bool_field(r, &m, "not_arising", path, Code::InputType).unwrap_or(false);
    let input_value = m.get("input");
    let points_value = m.get("points").filter(|v| !v.is_null());
    let evidence = load_evidence(m.get("evidence"), path, r);
    let note = read::opt_string_field(r, &m, "note", path, Code::InputType).map(Cow::into_owned);
    let reason = read::opt_string_field(r, &m, "reason", path, Code::InputType).map(Cow::into_owned);
    let explain = read::opt_bool_field(r, &m, "explain", path, Code::InputType).unwrap_or(false);
    let by = read::opt_string_field(r, &m, "by", path, Code::InputType).map(Cow::into_owned);
    let value = if not_arising {
        if input_value.is_some() || points_value.is_some() {
            r.error(Code::InputType, path, "an entry that says nothing arose gives neither \"input\" nor \"points\"");
            return None;
        }
        if leaf.not_arising == NotArisingPolicy::Forbidden {
            r.error(
                Code::NotArisingForbidden,
                &Child::key(path, "not_arising"),
                "this item does not allow 'nothing arose' (không phát sinh): score it",
            );
            return None;
        }
        EntryValue::NotArising
    } else {
        let given_points = points_value
            .and_then(|v| r.decimal(&v.to_value(), &Child::key(path, "points"), Code::InputType, "\"points\""));
        let choice = m.get("choice").and_then(|v| bounded_leaf_value(v, &Child::key(path, "choice"), r));
        let input = input_value.and_then(|v| {
            let p = Child::key(path, "input");
            let v = bounded_leaf_value(v, &p, r)?;
            read_input(&leaf.rule, &v, choice.as_ref(), &p, r)
        });
        if input_value.is_none() && points_value.is_none() {
            r.error(Code::InputType, path, "an entry gives \"input\", \"points\", or \"not_arising\": true");
            return None;
        }
        if r.diags.len() > before {
            return None;
        }
        let outcome = match (&input, given_points) {
            (Some(input), given) => {
                if let Some(g) = given {
                    check_given(leaf, node.max, g, path, r, true);
                }
                let scored = if crate::stages::has_refs(leaf) {
                    // Its refs are known only stage by stage: checked here with every ref at
                    // 0, re-evaluated with each stage's refs when the unit is scored.
                    let zeros = crate::stages::zero_refs(leaf);
                    leaf.rule.score_with_refs(node.max, Some(input), &zeros)
                } else {
                    leaf.rule.score(node.max, input)
                };
                match scored {
                    Ok(o) => o,
                    Err(e) => {
                        r.error(e.code, &Child::key(path, "input"), e.message);
                        return None;
                    }
                }
            }
            (None, Some(g)) => {
                check_given(leaf, node.max, g, path, r, false);
                Outcome::Points(g)
            }
            (None, None) => return None,
        };
        if outcome == Outcome::NotArising
            && leaf.not_arising == NotArisingPolicy::Forbidden
            && !crate::stages::has_refs(leaf)
        {
            r.error(
                Code::NotArisingForbidden,
                &Child::key(path, "input"),
                "this input means nothing arose (không phát sinh), which this item does not allow",
            );
            return None;
        }
        EntryValue::Scored { input, given_points, outcome }
    };
    if r.diags.len() > before {
        return None;
    }
    Some(Entry { value, evidence, note, reason, explain, by })
}

/// Checks points given directly; with an input beside them only the range is checked (the
/// input's points count, and a difference is a finding).
fn check_given(
    leaf: &parindex_core::Leaf,
    max: Decimal,
    points: Decimal,
    path: &(impl Pointer + ?Sized),
    r: &mut Reader<'_>,
    beside_input: bool,
) {
    let p = Child::key(path, "points");
    let check = if beside_input {
        parindex_core::Rule::Manual { step: None }.check_points(max, points)
    } else {
        leaf.rule.check_points(max, points)
    };
    if let Err(e) = check {
        r.error(e.code, &p, e.message);
    }
}

/// An input, a choice or a survey answer, built whole for the rule that reads it. No rule
/// reads a list (each refuses one by its type alone), so a list is given empty: a hostile
/// `[0,0,0,…]` is never built.
fn leaf_value(v: Lazy<'_>) -> Value<'_> {
    if v.is_array() { Value::Array(Vec::new()) } else { v.to_value() }
}

/// The longest object an entry's `input` or `choice`, or a survey answer, may be written in
/// (docs/limits.md): real ones are a few dozen bytes (a formula's variables, a survey's
/// counts by option or by group). A longer one is refused unread, so that no input is
/// built into a tree larger than this.
pub const MAX_INPUT_OBJECT_BYTES: usize = 64 * 1024;

/// [`leaf_value`], or `None` with an `input_type` problem at `path` for an object longer
/// than [`MAX_INPUT_OBJECT_BYTES`].
fn bounded_leaf_value<'a>(v: Lazy<'a>, path: &(impl Pointer + ?Sized), r: &mut Reader<'_>) -> Option<Value<'a>> {
    let len = v.text().len();
    if v.is_object() && len > MAX_INPUT_OBJECT_BYTES {
        r.error(
            Code::InputType,
            path,
            format!("this object is {len} bytes long; an input is at most {MAX_INPUT_OBJECT_BYTES} bytes"),
        );
        return None;
    }
    Some(leaf_value(v))
}

/// An optional string member read without a problem: `Some(None)` when absent or `null`,
/// `None` when it is not a string.
fn optional_str(v: Option<Lazy<'_>>) -> Option<Option<Cow<'_, str>>> {
    match v {
        None => Some(None),
        Some(v) if v.is_null() => Some(None),
        Some(v) => v.as_str().map(Some),
    }
}

fn load_evidence(v: Option<Lazy<'_>>, path: &(impl Pointer + ?Sized), r: &mut Reader<'_>) -> EvidenceList {
    let mut out = EvidenceList::new();
    let Some(v) = v.filter(|v| !v.is_null()) else { return out };
    let Some(items) = read::array(r, v, &Child::key(path, "evidence"), Code::InputType, "\"evidence\"") else {
        return out;
    };
    for (i, item) in items.enumerate() {
        // The common case builds no pointer: only a problem needs one.
        if item.is_object() {
            let doc = item.fields(&EVIDENCE);
            if !doc.has_duplicate_keys()
                && let Some(title) = doc.get("title").and_then(|t| t.as_str())
                && let Some(ref_) = optional_str(doc.get("ref"))
                && let Some(file) = optional_str(doc.get("file"))
            {
                out.push(Evidence { title: &title, ref_: ref_.as_deref(), file: file.as_deref() });
                continue;
            }
        }
        let evidence_path = Child::key(path, "evidence");
        let ip = Child::index(&evidence_path, i);
        let Some(doc) = read::object(r, item, &ip, Code::InputType, "an evidence item ({\"title\": …})", &EVIDENCE)
        else {
            continue;
        };
        let title = read::required(r, &doc, "title", &ip, Code::InputType, "the evidence item")
            .and_then(|v| read::string(r, v, &Child::key(&ip, "title"), Code::InputType, "\"title\""));
        let ref_ = read::opt_string_field(r, &doc, "ref", &ip, Code::InputType);
        let file = read::opt_string_field(r, &doc, "file", &ip, Code::InputType);
        if let Some(title) = title {
            out.push(Evidence { title: &title, ref_: ref_.as_deref(), file: file.as_deref() });
        }
    }
    out
}

fn load_adjustments<const N: usize>(
    stage: &Fields<'_, N>,
    key: &str,
    path: &str,
    set: &CriteriaSet,
    r: &mut Reader<'_>,
) -> Option<AdjustmentList> {
    r.criterion = None;
    let v = stage.get(key).filter(|v| !v.is_null())?;
    let p = pointer_child(path, key);
    let items = read::array(r, v, &p, Code::InputType, &format!("\"{key}\""))?;
    if v.items().next().is_some() && set.adjustments.is_none() {
        r.error(
            Code::AdjustmentNotAllowed,
            &p,
            format!("the criteria set '{}' allows no bonus or penalty points (it has no \"adjustments\")", set.id),
        );
    }
    let mut out = AdjustmentList::new();
    for (i, item) in items.enumerate() {
        let ip = Child::index(p.as_str(), i);
        let Some(m) = read::object(
            r,
            item,
            &ip,
            Code::InputType,
            "a bonus or penalty item ({\"points\", \"reason\"})",
            &ADJUSTMENT,
        ) else {
            continue;
        };
        let points_path = Child::key(&ip, "points");
        let Some(points) = read::required(r, &m, "points", &ip, Code::InputType, "the item")
            .and_then(|v| r.decimal(&v.to_value(), &points_path, Code::InputType, "\"points\""))
        else {
            continue;
        };
        if points < Decimal::ZERO {
            r.error(
                Code::PointsNegative,
                &points_path,
                format!("points {points} are below 0: a {key} item's points are never negative"),
            );
        }
        let reason = read::opt_string_field(r, &m, "reason", &ip, Code::InputType).unwrap_or_default();
        out.push(Adjustment { points, reason: &reason });
    }
    Some(out)
}

/// `missing_reason`: an appraisal entry whose outcome differs from the effective one before it
/// must say why. `appraisals` are in stage order, each with its index in the document; `only`
/// limits the check to one leaf (after that leaf's entry changed).
pub(crate) fn check_reasons(
    set: &CriteriaSet,
    self_stage: Option<&SelfStage>,
    appraisals: &[(usize, &Appraisal)],
    only: Option<NodeId>,
    r: &mut Reader<'_>,
) {
    for (k, (index, appraisal)) in appraisals.iter().enumerate() {
        let entries: Box<dyn Iterator<Item = (&NodeId, &Entry)>> = match only {
            Some(id) => Box::new(appraisal.entries.get_key_value(&id).into_iter()),
            None => Box::new(appraisal.entries.iter()),
        };
        for (id, entry) in entries {
            let earlier = appraisals
                .get(..k)
                .unwrap_or_default()
                .iter()
                .rev()
                .find_map(|(_, a)| a.entries.get(id))
                .or_else(|| self_stage.and_then(|s| s.entries.get(id)));
            let leaf = set.node(*id).and_then(|n| n.leaf());
            let before = earlier.map(|e| {
                // SPEC §11.5: a self entry without required evidence was worth 0.
                let is_self = self_stage.and_then(|s| s.entries.get(id)).is_some_and(|s| std::ptr::eq(s, e));
                if is_self && leaf.is_some_and(|l| crate::stages::zeroed_for_evidence(l, e)) {
                    Outcome::Points(Decimal::ZERO)
                } else {
                    e.value.outcome()
                }
            });
            let differs = before.is_none_or(|b| b != entry.value.outcome());
            let has_reason = entry.reason.as_deref().is_some_and(|s| !s.trim().is_empty());
            if differs && !has_reason {
                let code = set.node(*id).map(|n| n.code.clone()).unwrap_or_default();
                r.criterion = Some(code.clone());
                let path = pointer_child(&pointer_child(&pointer_index("/appraisals", *index), "entries"), &code);
                r.error(
                    Code::MissingReason,
                    &path,
                    format!("appraisal {} changes '{code}': give a \"reason\"", appraisal.stage),
                );
            }
        }
    }
    r.criterion = None;
}
