//! Loading and validating a criteria-set document (SPEC §3, §10).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Adjustments, Counts, CriteriaSet, Leaf, Node, NodeId, NodeKind, NotArisingPolicy, Source};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::reader::Reader;
use crate::rule::{Rule, load_rule_version};
use parindex_json::{Object, Value, pointer_child, pointer_index};

/// The `format` a criteria-set document declares.
pub const FORMAT: &str = "parindex/criteria-set@1";

/// The `format` of a criteria set that uses the criteria language version 2 (SPEC §11).
pub const FORMAT_V2: &str = "parindex/criteria-set@2";

/// The message for a field of SPEC §11 in a version-1 criteria set.
const V1_ONLY: &str = "this needs the criteria language version 2: declare \"format\": \"parindex/criteria-set@2\"";

/// Parses JSON text into a value, numbers keeping their exact text; a syntax error becomes an
/// `input_type` diagnostic at the document root.
pub fn parse_json(text: &str) -> Result<serde_json::Value, Diagnostics> {
    serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(Code::InputType, "", format!("not valid JSON: {e} (line {}, column {})", e.line(), e.column()))
            .into()
    })
}

/// Checks a document's `format` field.
pub fn check_format(map: &Object<'_>, expected: &str, r: &mut Reader<'_>) {
    match map.get("format") {
        Some(Value::String(s)) if s == expected => {}
        Some(other) => r.error(Code::InputType, "/format", format!("\"format\" must be \"{expected}\", found {other}")),
        None => r.error(Code::InputType, "", format!("the document has no \"format\": it must be \"{expected}\"")),
    }
}

impl CriteriaSet {
    /// Parses and validates a criteria-set document from JSON text, reporting every problem
    /// at once (numbers keep their exact text; a syntax error is an `input_type` problem).
    pub fn from_json(text: &str) -> Result<CriteriaSet, Diagnostics> {
        CriteriaSet::from_document(&crate::reader::parse(text)?)
    }

    /// [`CriteriaSet::from_json`] for a document tree already parsed
    /// ([`crate::reader::parse`]; from a `serde_json::Value`, `parindex_json::Value::from`).
    pub fn from_document(doc: &Value<'_>) -> Result<CriteriaSet, Diagnostics> {
        match CriteriaSet::read_document(doc) {
            (Some(set), diags) if diags.is_empty() => Ok(set),
            (_, diags) => Err(diags),
        }
    }

    /// Secondary, best-effort API (what the round-folder loader uses): reads as much of a
    /// criteria-set document as can be read, with every problem found. A set with problems
    /// is never used to score; it serves to check the assessments written against it, so
    /// that one run reports the problems of every document.
    pub fn read_document(doc: &Value<'_>) -> (Option<CriteriaSet>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let set = {
            let mut r = Reader::new(&mut diags);
            load(doc, &mut r)
        };
        (set, diags)
    }
}

pub(super) struct Builder {
    pub(super) nodes: Vec<Node>,
    pub(super) by_code: HashMap<String, NodeId>,
    pub(super) broken: Vec<NodeId>,
    /// Each node's JSON Pointer, for problems found after the tree is read (refs).
    pub(super) paths: Vec<String>,
    /// 1 or 2 (SPEC §11).
    version: u8,
    /// Whether the set has `adjustments` (a bonus or penalty node needs them).
    has_adjustments: bool,
}

fn load(doc: &Value<'_>, r: &mut Reader<'_>) -> Option<CriteriaSet> {
    let map = r.object(doc, "", Code::InputType, "a criteria set")?;
    let version = match map.get("format") {
        Some(Value::String(s)) if s == FORMAT_V2 => 2,
        _ => {
            check_format(map, FORMAT, r);
            1
        }
    };
    let id = r
        .required(map, "id", "", Code::InputType, "the criteria set")
        .and_then(|v| r.string(v, "/id", Code::InputType, "\"id\""))
        .unwrap_or_default()
        .to_owned();
    let title = r.opt_string_field(map, "title", "", Code::InputType).unwrap_or_default().to_owned();
    let basis = r.opt_string_field(map, "basis", "", Code::InputType).map(str::to_owned);
    let year = match map.get("year") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(y) => Some(y),
            None => {
                r.error(Code::InputType, "/year", "\"year\" must be a whole number such as 2023");
                None
            }
        },
    };
    let adjustments = match map.get("adjustments") {
        None | Some(Value::Null) => None,
        Some(v) => load_adjustments(v, r),
    };
    let mut b = Builder {
        nodes: Vec::new(),
        by_code: HashMap::new(),
        broken: Vec::new(),
        paths: Vec::new(),
        version,
        has_adjustments: adjustments.is_some(),
    };
    let mut roots = Vec::new();
    let items = r
        .required(map, "nodes", "", Code::InputType, "the criteria set")
        .and_then(|v| r.array(v, "/nodes", Code::InputType, "\"nodes\""));
    if let Some(items) = items {
        if items.is_empty() {
            r.error(Code::InputType, "/nodes", "a criteria set needs at least one field");
        }
        for (i, item) in items.iter().enumerate() {
            if let Some((id, _)) = load_node(item, &pointer_index("/nodes", i), None, 0, &mut b, r) {
                roots.push(id);
            }
        }
    }
    let ref_plan = if version >= 2 { super::refs::resolve(&mut b, r) } else { None };
    let total = roots
        .iter()
        .filter_map(|id: &NodeId| b.nodes.get(id.0))
        .try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n.max));
    if total.is_none() {
        r.criterion = None;
        r.error(Code::InputType, "/nodes", "the fields' maxima add up to more than an exact decimal can hold");
    }
    Some(CriteriaSet {
        id,
        title,
        year,
        basis,
        adjustments,
        nodes: b.nodes,
        roots,
        by_code: b.by_code,
        broken: b.broken,
        version,
        ref_plan,
    })
}

fn load_adjustments(v: &Value<'_>, r: &mut Reader<'_>) -> Option<Adjustments> {
    let m = r.object(v, "/adjustments", Code::InputType, "\"adjustments\"")?;
    let cap = |key: &str, r: &mut Reader<'_>| -> Option<Decimal> {
        let d = r.opt_decimal_field(m, key, "/adjustments", Code::InputType).unwrap_or(Decimal::ZERO);
        if d < Decimal::ZERO {
            r.error(
                Code::PointsNegative,
                &pointer_child("/adjustments", key),
                format!("\"{key}\" must not be negative"),
            );
            return None;
        }
        Some(d)
    };
    let bonus_max = cap("bonus_max", r);
    let penalty_max = cap("penalty_max", r);
    Some(Adjustments { bonus_max: bonus_max?, penalty_max: penalty_max? })
}

/// Loads one node and its subtree; returns its id when it could be placed in the tree, with
/// its maximum as written (a group's: the sum of its children's) when that could be read.
fn load_node(
    value: &Value<'_>,
    path: &str,
    parent: Option<(NodeId, &str)>,
    depth: usize,
    b: &mut Builder,
    r: &mut Reader<'_>,
) -> Option<(NodeId, Option<Decimal>)> {
    r.criterion = None;
    let map = r.object(value, path, Code::InputType, "a node")?;
    let code_path = pointer_child(path, "code");
    let code = match map.get("code") {
        Some(Value::String(c)) => c.to_string(),
        Some(_) | None => {
            r.error(Code::BadCode, &code_path, "every node needs a \"code\" string, e.g. \"1.2\"");
            return None;
        }
    };
    r.criterion = Some(code.clone());
    check_code(&code, parent.map(|(_, c)| c), &code_path, r);
    let title = r
        .required(map, "title", path, Code::InputType, "the node")
        .and_then(|v| r.string(v, &pointer_child(path, "title"), Code::InputType, "\"title\""))
        .unwrap_or_default()
        .to_owned();
    let applies_to = read_applies_to(map, path, r);
    let given_max = r.opt_decimal_field(map, "max", path, Code::InputType);

    let id = NodeId(b.nodes.len());
    if b.by_code.contains_key(&code) {
        r.error(
            Code::DuplicateCode,
            &code_path,
            format!("the code '{code}' is used by another node: codes must be unique"),
        );
    } else {
        b.by_code.insert(code.clone(), id);
    }
    let parent_id = parent.map(|(p, _)| p);
    let counts = read_counts(map, path, parent_id, b, r);
    // Reserve the slot so that the parent comes before its children (document order).
    b.nodes.push(Node {
        code: code.clone(),
        title,
        max: Decimal::ZERO,
        applies_to,
        parent: parent_id,
        depth,
        kind: NodeKind::Group { children: Vec::new() },
        counts,
    });
    b.paths.push(path.to_owned());

    match (map.get("children"), map.get("rule")) {
        (Some(children), None) => {
            let children_path = pointer_child(path, "children");
            let Some(items) = r.array(children, &children_path, Code::InputType, "\"children\"") else {
                return Some((id, None));
            };
            if items.is_empty() {
                r.error(
                    Code::InputType,
                    &children_path,
                    "a group needs at least one child; a leaf has a \"rule\" instead",
                );
            }
            let mut ids = Vec::with_capacity(items.len());
            let mut sum = Decimal::ZERO;
            let mut sum_known = true;
            let mut overflowed = false;
            for (i, item) in items.iter().enumerate() {
                match load_node(item, &pointer_index(&children_path, i), Some((id, &code)), depth + 1, b, r) {
                    Some((c, max)) => {
                        ids.push(c);
                        match max {
                            Some(m) => match sum.checked_add(m) {
                                Some(s) => sum = s,
                                None => {
                                    if !overflowed {
                                        r.criterion = Some(code.clone());
                                        r.error(
                                            Code::InputType,
                                            &children_path,
                                            "the children's maxima add up to more than an exact decimal can hold",
                                        );
                                    }
                                    overflowed = true;
                                    sum_known = false;
                                }
                            },
                            None => sum_known = false,
                        }
                    }
                    None => sum_known = false,
                }
            }
            r.criterion = Some(code.clone());
            if let Some(given) = given_max
                && sum_known
                && given != sum
            {
                r.error(
                    Code::GroupMaxMismatch,
                    &pointer_child(path, "max"),
                    format!("the group's max is {given} but its children's maxima add up to {sum}"),
                );
            }
            if let Some(node) = b.nodes.get_mut(id.0) {
                node.max = sum;
                node.kind = NodeKind::Group { children: ids };
            }
            Some((id, sum_known.then_some(sum)))
        }
        (None, Some(rule)) => {
            let max = match (given_max, map.get("max")) {
                (Some(m), _) if m > Decimal::ZERO => Some(m),
                (Some(m), _) => {
                    r.error(
                        Code::MaxNotPositive,
                        &pointer_child(path, "max"),
                        format!("a leaf's max must be above 0, not {m}"),
                    );
                    None
                }
                (None, None) => {
                    r.error(Code::MaxNotPositive, path, "a leaf needs a \"max\" above 0");
                    None
                }
                (None, Some(_)) => None,
            };
            let leaf = load_leaf(map, rule, path, max, b.version, counts, r);
            if max.is_none() || leaf.is_none() {
                b.broken.push(id);
            }
            if let Some(node) = b.nodes.get_mut(id.0) {
                node.max = max.unwrap_or(Decimal::ZERO);
                // A broken leaf keeps a placeholder rule; `broken` keeps it from being used.
                node.kind = NodeKind::Leaf(leaf.unwrap_or(Leaf {
                    rule: Rule::Manual { step: None },
                    source: Source::Assessed,
                    not_arising: NotArisingPolicy::Forbidden,
                    evidence: false,
                    evidence_required: false,
                }));
            }
            Some((id, given_max))
        }
        (Some(_), Some(_)) => {
            r.error(Code::InputType, path, "a node has either \"children\" (a group) or a \"rule\" (a leaf), not both");
            b.broken.push(id);
            Some((id, None))
        }
        (None, None) => {
            r.error(Code::InputType, path, "a node needs \"children\" (a group) or a \"rule\" (a leaf)");
            b.broken.push(id);
            Some((id, None))
        }
    }
}

fn check_code(code: &str, parent: Option<&str>, path: &str, r: &mut Reader<'_>) {
    let tail = match parent {
        None => Some(code),
        Some(p) => code.strip_prefix(p).and_then(|rest| rest.strip_prefix('.')),
    };
    match tail {
        Some(t) if !t.is_empty() && !t.contains('.') && !t.chars().any(char::is_whitespace) => {}
        _ => {
            let message = match parent {
                Some(p) => format!(
                    "the code '{code}' must be its group's code '{p}' followed by '.' and one more part, e.g. '{p}.1'"
                ),
                None => format!("the field code '{code}' must be one part with no '.', e.g. '1'"),
            };
            r.error(Code::BadCode, path, message);
        }
    }
}

fn read_applies_to(map: &Object<'_>, path: &str, r: &mut Reader<'_>) -> Option<Vec<String>> {
    let v = match map.get("applies_to") {
        None | Some(Value::Null) => return None,
        Some(v) => v,
    };
    let p = pointer_child(path, "applies_to");
    let items = r.array(v, &p, Code::InputType, "\"applies_to\"")?;
    let mut tags = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(t) = r.string(item, &pointer_index(&p, i), Code::InputType, "a tag") {
            tags.push(t.to_owned());
        }
    }
    Some(tags)
}

/// A node's `counts` (SPEC §11.1): declared on a top-level node, inherited below it.
fn read_counts(map: &Object<'_>, path: &str, parent: Option<NodeId>, b: &Builder, r: &mut Reader<'_>) -> Counts {
    let inherited = parent.and_then(|p| b.nodes.get(p.0)).map_or(Counts::Score, |n| n.counts);
    let Some(v) = map.get("counts").filter(|v| !v.is_null()) else { return inherited };
    let p = pointer_child(path, "counts");
    if b.version < 2 {
        r.error(Code::InputType, &p, V1_ONLY);
        return inherited;
    }
    if parent.is_some() {
        r.error(Code::BadCounts, &p, "\"counts\" belongs on a top-level node (a field) only");
        return inherited;
    }
    let counts = match v.as_str() {
        Some("score") => Counts::Score,
        Some("bonus") => Counts::Bonus,
        Some("penalty") => Counts::Penalty,
        _ => {
            r.error(Code::BadCounts, &p, format!("\"counts\" is \"score\", \"bonus\" or \"penalty\", not {v}"));
            return Counts::Score;
        }
    };
    if counts != Counts::Score && !b.has_adjustments {
        r.error(
            Code::AdjustmentNotAllowed,
            &p,
            "a bonus or penalty node needs \"adjustments\" (bonus_max, penalty_max) in the criteria set",
        );
    }
    counts
}

fn load_leaf(
    map: &Object<'_>,
    rule: &Value<'_>,
    path: &str,
    max: Option<Decimal>,
    version: u8,
    counts: Counts,
    r: &mut Reader<'_>,
) -> Option<Leaf> {
    let v2 = version >= 2;
    let rule = load_rule_version(rule, &pointer_child(path, "rule"), max, version, r);
    let is_survey_rule = matches!(rule, Some(Rule::Survey { .. })) || rule_kind(map) == Some("survey");
    let source_path = pointer_child(path, "source");
    let source = match r.opt_string_field(map, "source", path, Code::InputType) {
        None if is_survey_rule => Source::Survey,
        None | Some("assessed") => Source::Assessed,
        Some("survey") => Source::Survey,
        Some("derived" | "appraisal") if !v2 => {
            r.error(Code::InputType, &source_path, V1_ONLY);
            Source::Assessed
        }
        Some("derived") => Source::Derived,
        Some("appraisal") => Source::Appraisal,
        Some(other) => {
            let choices = if v2 {
                "\"assessed\", \"survey\", \"derived\" or \"appraisal\""
            } else {
                "\"assessed\" or \"survey\""
            };
            r.error(Code::InputType, &source_path, format!("'{other}' is not a source; use {choices}"));
            Source::Assessed
        }
    };
    if counts != Counts::Score && (is_survey_rule || source == Source::Survey) {
        r.error(
            Code::BadCounts,
            &pointer_child(path, if is_survey_rule { "rule" } else { "source" }),
            "a survey item cannot count as bonus or penalty points",
        );
    }
    if source == Source::Derived {
        let ok = matches!(&rule, Some(Rule::Formula(f)) if !f.refs.is_empty() && f.variables.is_empty() && f.choice_names.is_none());
        let loaded = rule.is_some() || rule_kind(map) != Some("formula");
        if !ok && loaded {
            r.error(
                Code::InputType,
                &pointer_child(path, "rule"),
                "a derived item's rule is a formula with \"refs\", an \"expr\" and no \"variables\"",
            );
        }
    }
    if (source == Source::Survey) != is_survey_rule {
        r.error(Code::InputType, &pointer_child(path, "source"), "a survey item (source \"survey\") must have a rule of kind \"survey\", and a survey rule belongs to a survey item");
    }
    let not_arising = match r.opt_string_field(map, "not_arising", path, Code::InputType) {
        None | Some("forbidden") => NotArisingPolicy::Forbidden,
        Some("full") => NotArisingPolicy::Full,
        Some("exclude") => NotArisingPolicy::Exclude,
        Some(other) => {
            r.error(
                Code::InputType,
                &pointer_child(path, "not_arising"),
                format!("'{other}' is not a policy; use \"full\", \"exclude\" or \"forbidden\""),
            );
            NotArisingPolicy::Forbidden
        }
    };
    let (evidence, evidence_required) = match map.get("evidence") {
        Some(Value::String(s)) if s == "required" && v2 => (true, true),
        Some(Value::String(s)) if s == "required" => {
            r.error(Code::InputType, &pointer_child(path, "evidence"), V1_ONLY);
            (true, false)
        }
        _ => (
            r.opt_bool_field(map, "evidence", path, Code::InputType)
                .unwrap_or(matches!(source, Source::Assessed | Source::Appraisal)),
            false,
        ),
    };
    Some(Leaf { rule: rule?, source, not_arising, evidence, evidence_required })
}

fn rule_kind<'v>(map: &'v Object<'_>) -> Option<&'v str> {
    map.get("rule")?.get("kind")?.as_str()
}
