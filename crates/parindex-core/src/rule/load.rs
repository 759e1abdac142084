//! Reading a rule from a criteria-set document and checking it (SPEC §3, §4, §5, §10).

use rust_decimal::Decimal;

use super::{Band, BandInput, FormulaRule, OptionItem, ProportionalInput, Rule, Scale};
use crate::diagnostic::Code;
use crate::formula::{Formula, FormulaErrorKind};
use crate::input::Date;
use crate::reader::Reader;
use parindex_json::{Object, Value, pointer_child, pointer_index};

/// Reads the rule at `path` of a leaf worth `max` (when its max was readable), recording
/// every problem in `r`. Returns `None` if the rule cannot be used. This reads the criteria
/// language of version 1: a field of SPEC §11 is an `input_type` error.
pub fn load_rule(value: &Value<'_>, path: &str, max: Option<Decimal>, r: &mut Reader<'_>) -> Option<Rule> {
    load_rule_version(value, path, max, 1, r)
}

/// [`load_rule`] for a criteria set of `version` 1 or 2 (SPEC §11: `per_item`, formula
/// `refs`, survey `groups`, `zero_below` and `full_from` need version 2).
pub fn load_rule_version(
    value: &Value<'_>,
    path: &str,
    max: Option<Decimal>,
    version: u8,
    r: &mut Reader<'_>,
) -> Option<Rule> {
    let v2 = version >= 2;
    let map = r.object(value, path, Code::InputType, "a rule")?;
    let kind_path = pointer_child(path, "kind");
    let kind = match map.get("kind") {
        Some(v) => r.string(v, &kind_path, Code::UnknownRuleKind, "the rule's \"kind\"")?,
        None => {
            r.error(Code::UnknownRuleKind, path, "the rule has no \"kind\"");
            return None;
        }
    };
    let before = r.diags.len();
    let rule = match kind {
        "manual" => {
            let step = r.opt_decimal_field(map, "step", path, Code::InputType);
            if let Some(s) = step
                && s <= Decimal::ZERO
            {
                r.error(Code::InputType, &pointer_child(path, "step"), "the step must be above 0");
            }
            Some(Rule::Manual { step })
        }
        "yes_no" => Some(Rule::YesNo),
        "options" => load_options(map, path, max, r),
        "bands" => load_bands(map, path, max, r),
        "proportional" => load_proportional(map, path, r),
        "deduction" => {
            let per = required_decimal(map, "per", path, r, "a deduction rule");
            if let Some(p) = per
                && p <= Decimal::ZERO
            {
                r.error(Code::InputType, &pointer_child(path, "per"), "\"per\" must be above 0");
            }
            per.map(|per| Rule::Deduction { per })
        }
        "deadline" => load_deadline(map, path, max, r),
        "survey" => load_survey(map, path, v2, r),
        "formula" => load_formula(map, path, v2, r).map(Rule::Formula),
        "per_item" if !v2 => {
            r.error(Code::InputType, &kind_path, V1_ONLY);
            None
        }
        "per_item" => {
            let per = required_decimal(map, "per", path, r, "a per_item rule");
            if let Some(p) = per
                && p <= Decimal::ZERO
            {
                r.error(Code::InputType, &pointer_child(path, "per"), "\"per\" must be above 0");
            }
            per.map(|per| Rule::PerItem { per })
        }
        other => {
            r.error(
                Code::UnknownRuleKind,
                &kind_path,
                format!("'{other}' is not a rule kind; the kinds are manual, yes_no, options, bands, proportional, deduction, deadline, survey, formula{}", if v2 { ", per_item" } else { "" }),
            );
            None
        }
    };
    if r.diags.len() > before { None } else { rule }
}

/// The message for a field of SPEC §11 in a version-1 criteria set.
pub(crate) const V1_ONLY: &str =
    "this needs the criteria language version 2: declare \"format\": \"parindex/criteria-set@2\"";

fn required_decimal(map: &Object<'_>, key: &str, path: &str, r: &mut Reader<'_>, what: &str) -> Option<Decimal> {
    let v = r.required(map, key, path, Code::InputType, what)?;
    r.decimal(v, &pointer_child(path, key), Code::InputType, &format!("\"{key}\""))
}

fn check_points_field(points: Decimal, max: Option<Decimal>, path: &str, over_max: Code, r: &mut Reader<'_>) {
    if points.is_sign_negative() && !points.is_zero() {
        r.error(Code::PointsNegative, path, format!("points {points} are below 0"));
    }
    if let Some(max) = max
        && points > max
    {
        r.error(over_max, path, format!("points {points} are above the leaf's maximum {max}"));
    }
}

fn load_options(map: &Object<'_>, path: &str, max: Option<Decimal>, r: &mut Reader<'_>) -> Option<Rule> {
    let items_path = pointer_child(path, "options");
    let items = r.required(map, "options", path, Code::InputType, "an options rule")?;
    let items = r.array(items, &items_path, Code::InputType, "\"options\"")?;
    if items.is_empty() {
        r.error(Code::InputType, &items_path, "an options rule needs at least one option");
    }
    let mut options: Vec<OptionItem> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = pointer_index(&items_path, i);
        let Some(m) = r.object(item, &p, Code::InputType, "an option") else { continue };
        let key = r
            .required(m, "key", &p, Code::InputType, "an option")
            .and_then(|v| r.string(v, &pointer_child(&p, "key"), Code::InputType, "\"key\""));
        let label = r.opt_string_field(m, "label", &p, Code::InputType).unwrap_or_default();
        let points = required_decimal(m, "points", &p, r, "an option");
        if let Some(points) = points {
            check_points_field(points, max, &pointer_child(&p, "points"), Code::OptionPointsOverMax, r);
        }
        if let (Some(key), Some(points)) = (key, points) {
            if options.iter().any(|o| o.key == key) {
                r.error(Code::InputType, &pointer_child(&p, "key"), format!("the option key '{key}' is given twice"));
            }
            options.push(OptionItem { key: key.to_owned(), label: label.to_owned(), points });
        }
    }
    Some(Rule::Options { options })
}

fn load_bands(map: &Object<'_>, path: &str, max: Option<Decimal>, r: &mut Reader<'_>) -> Option<Rule> {
    let input =
        match map.get("input").map(|v| (v, r.string(v, &pointer_child(path, "input"), Code::InputType, "\"input\""))) {
            Some((_, Some("percent"))) => BandInput::Percent,
            Some((_, Some("ratio"))) => BandInput::Ratio,
            Some((_, Some("count"))) => BandInput::Count,
            Some((_, Some("number"))) => BandInput::Number,
            Some((_, Some(other))) => {
                r.error(
                    Code::InputType,
                    &pointer_child(path, "input"),
                    format!("'{other}' is not a band input; use percent, ratio, count or number"),
                );
                return None;
            }
            Some((_, None)) => return None,
            None => {
                r.error(Code::InputType, path, "a bands rule needs \"input\": percent, ratio, count or number");
                return None;
            }
        };
    let bands_path = pointer_child(path, "bands");
    let items = r.required(map, "bands", path, Code::InputType, "a bands rule")?;
    let items = r.array(items, &bands_path, Code::InputType, "\"bands\"")?;
    let mut bands = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = pointer_index(&bands_path, i);
        let Some(m) = r.object(item, &p, Code::InputType, "a band") else { continue };
        let from = r.opt_decimal_field(m, "from", &p, Code::InputType);
        let to = r.opt_decimal_field(m, "to", &p, Code::InputType);
        let from_inclusive = r.opt_bool_field(m, "from_inclusive", &p, Code::InputType).unwrap_or(true);
        let to_inclusive = r.opt_bool_field(m, "to_inclusive", &p, Code::InputType).unwrap_or(false);
        let Some(points) = required_decimal(m, "points", &p, r, "a band") else { continue };
        check_points_field(points, max, &pointer_child(&p, "points"), Code::BandPointsOverMax, r);
        let band = Band { from, to, from_inclusive, to_inclusive, points };
        if is_empty_band(&band) {
            r.error(Code::InputType, &p, "this band holds no value: its \"from\" is above its \"to\"");
            continue;
        }
        for (j, earlier) in bands.iter().enumerate() {
            if bands_overlap(earlier, &band) {
                r.error(
                    Code::BandOverlap,
                    &p,
                    format!("this band overlaps band {j}: a value must fall in one band only"),
                );
            }
        }
        bands.push(band);
    }
    let otherwise = r.opt_decimal_field(map, "otherwise", path, Code::InputType).unwrap_or(Decimal::ZERO);
    check_points_field(otherwise, max, &pointer_child(path, "otherwise"), Code::BandPointsOverMax, r);
    Some(Rule::Bands { input, bands, otherwise })
}

/// A lower end: `(bound, inclusive)`, `None` for unbounded.
fn is_empty_band(b: &Band) -> bool {
    match (b.from, b.to) {
        (Some(f), Some(t)) => f > t || (f == t && !(b.from_inclusive && b.to_inclusive)),
        _ => false,
    }
}

/// Whether two non-empty intervals share a value.
pub(crate) fn bands_overlap(a: &Band, b: &Band) -> bool {
    // a is entirely below b, or b entirely below a?
    let below = |x: &Band, y: &Band| match (x.to, y.from) {
        (Some(t), Some(f)) => t < f || (t == f && !(x.to_inclusive && y.from_inclusive)),
        _ => false,
    };
    !(below(a, b) || below(b, a))
}

fn load_proportional(map: &Object<'_>, path: &str, r: &mut Reader<'_>) -> Option<Rule> {
    let input = match r.opt_string_field(map, "input", path, Code::InputType) {
        Some("percent") => ProportionalInput::Percent,
        Some("ratio") => ProportionalInput::Ratio,
        Some(other) => {
            r.error(
                Code::InputType,
                &pointer_child(path, "input"),
                format!("'{other}' is not a proportional input; use percent or ratio"),
            );
            return None;
        }
        None => {
            r.error(Code::InputType, path, "a proportional rule needs \"input\": percent or ratio");
            return None;
        }
    };
    let zero_below = r.opt_decimal_field(map, "zero_below", path, Code::InputType);
    let full_from = r.opt_decimal_field(map, "full_from", path, Code::InputType);
    for (key, v) in [("zero_below", zero_below), ("full_from", full_from)] {
        if let Some(v) = v
            && (v < Decimal::ZERO || v > Decimal::ONE_HUNDRED)
        {
            r.error(
                Code::InputType,
                &pointer_child(path, key),
                format!("\"{key}\" is a percent from 0 to 100, not {v}"),
            );
        }
    }
    if let (Some(z), Some(f)) = (zero_below, full_from)
        && z > f
    {
        r.error(Code::InputType, &pointer_child(path, "zero_below"), "\"zero_below\" must not be above \"full_from\"");
    }
    Some(Rule::Proportional { input, zero_below, full_from })
}

fn load_deadline(map: &Object<'_>, path: &str, max: Option<Decimal>, r: &mut Reader<'_>) -> Option<Rule> {
    let due_path = pointer_child(path, "due");
    let due_text = r
        .required(map, "due", path, Code::BadDate, "a deadline rule")
        .and_then(|v| r.string(v, &due_path, Code::BadDate, "\"due\""))?;
    let due = Date::parse(due_text);
    if due.is_none() {
        r.error(Code::BadDate, &due_path, format!("'{due_text}' is not a date: write YYYY-MM-DD, e.g. 2023-01-15"));
    }
    let late_points = r.opt_decimal_field(map, "late_points", path, Code::InputType).unwrap_or(Decimal::ZERO);
    check_points_field(late_points, max, &pointer_child(path, "late_points"), Code::PointsOverMax, r);
    let grace_days = match r.opt_decimal_field(map, "grace_days", path, Code::InputType) {
        None => 0,
        Some(g) => match u32::try_from(g.normalize().mantissa()).ok().filter(|_| g.fract().is_zero()) {
            Some(days) if g >= Decimal::ZERO => days,
            _ => {
                r.error(
                    Code::InputType,
                    &pointer_child(path, "grace_days"),
                    format!("\"grace_days\" must be a whole number of days ≥ 0, not {g}"),
                );
                0
            }
        },
    };
    Some(Rule::Deadline { due: due?, late_points, grace_days })
}

fn load_survey(map: &Object<'_>, path: &str, v2: bool, r: &mut Reader<'_>) -> Option<Rule> {
    for key in ["groups", "zero_below", "full_from"] {
        if !v2 && map.get(key).is_some_and(|v| !v.is_null()) {
            r.error(Code::InputType, &pointer_child(path, key), V1_ONLY);
        }
    }
    let groups = if v2 { load_groups(map, path, r) } else { None };
    let threshold = |key: &str, r: &mut Reader<'_>| -> Option<Decimal> {
        if !v2 {
            return None;
        }
        let v = r.opt_decimal_field(map, key, path, Code::InputType)?;
        if v < Decimal::ZERO || v > Decimal::ONE {
            r.error(Code::InputType, &pointer_child(path, key), format!("\"{key}\" is a score from 0 to 1, not {v}"));
        }
        Some(v)
    };
    let zero_below = threshold("zero_below", r);
    let full_from = threshold("full_from", r);
    if let (Some(z), Some(f)) = (zero_below, full_from)
        && z > f
    {
        r.error(Code::InputType, &pointer_child(path, "zero_below"), "\"zero_below\" must not be above \"full_from\"");
    }
    let weights = match map.get("weights") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = pointer_child(path, "weights");
            let m = r.object(v, &p, Code::InputType, "\"weights\"")?;
            let mut weights = Vec::with_capacity(m.len());
            for (key, w) in m {
                let wp = pointer_child(&p, key);
                if let Some(w) = r.decimal(w, &wp, Code::InputType, &format!("the weight of '{key}'")) {
                    if w < Decimal::ZERO || w > Decimal::ONE {
                        r.error(
                            Code::OptionPointsOverMax,
                            &wp,
                            format!("the weight of '{key}' is {w}: a weight is a share of the maximum, from 0 to 1"),
                        );
                    }
                    weights.push((key.to_owned(), w));
                }
            }
            Some(weights)
        }
    };
    let scale = match map.get("scale") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = pointer_child(path, "scale");
            let m = r.object(v, &p, Code::InputType, "\"scale\"")?;
            let min = required_decimal(m, "min", &p, r, "a scale");
            let max = required_decimal(m, "max", &p, r, "a scale");
            match (min, max) {
                (Some(min), Some(max)) if min < max => Some(Scale { min, max }),
                (Some(_), Some(_)) => {
                    r.error(Code::MaxNotPositive, &p, "the scale's \"max\" must be above its \"min\"");
                    None
                }
                _ => None,
            }
        }
    };
    Some(Rule::Survey { weights, scale, groups, zero_below, full_from })
}

/// A survey rule's respondent groups (SPEC §11.4): weights above 0 that sum to exactly 1.
fn load_groups(map: &Object<'_>, path: &str, r: &mut Reader<'_>) -> Option<Vec<(String, Decimal)>> {
    let v = map.get("groups").filter(|v| !v.is_null())?;
    let p = pointer_child(path, "groups");
    let m = r.object(v, &p, Code::InputType, "\"groups\"")?;
    r.check_unique_keys(m, &p);
    if m.is_empty() {
        r.error(Code::GroupWeightsSum, &p, "\"groups\" needs at least one respondent group");
        return None;
    }
    let mut groups = Vec::with_capacity(m.len());
    let mut sum = Decimal::ZERO;
    for (name, w) in m {
        let gp = pointer_child(&p, name);
        let w = r.decimal(w, &gp, Code::InputType, &format!("the weight of the group '{name}'"))?;
        if w <= Decimal::ZERO {
            r.error(Code::GroupWeightsSum, &gp, format!("the weight of the group '{name}' is {w}: it must be above 0"));
            return None;
        }
        sum = sum.checked_add(w).unwrap_or(Decimal::MAX);
        groups.push((name.to_owned(), w));
    }
    if sum != Decimal::ONE {
        r.error(
            Code::GroupWeightsSum,
            &p,
            format!("the groups' weights add up to {sum}: they must add up to exactly 1"),
        );
        return None;
    }
    Some(groups)
}

fn load_formula(map: &Object<'_>, path: &str, v2: bool, r: &mut Reader<'_>) -> Option<FormulaRule> {
    let vars_path = pointer_child(path, "variables");
    let mut variables: Vec<(String, String)> = Vec::new();
    match map.get("variables") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let m = r.object(v, &vars_path, Code::InputType, "\"variables\"")?;
            for (name, description) in m {
                let p = pointer_child(&vars_path, name);
                if !is_name(name) || name == "max_points" {
                    r.error(Code::FormulaSyntax, &p, format!("'{name}' cannot name a variable: use letters, digits and '_', not starting with a digit, and not max_points"));
                }
                let description = match description {
                    Value::String(s) => s.to_string(),
                    _ => String::new(),
                };
                variables.push((name.to_owned(), description));
            }
        }
    }
    let refs = load_refs(map, path, v2, &variables, r);
    let names: Vec<String> =
        variables.iter().map(|(n, _)| n.clone()).chain(refs.iter().map(|f| f.name.clone())).collect();
    let parse = |source: &Value<'_>, p: &str, r: &mut Reader<'_>| -> Option<Formula> {
        let text = r.string(source, p, Code::FormulaSyntax, "a formula")?;
        match Formula::parse(text, &names) {
            Ok(f) => Some(f),
            Err(e) => {
                let code = match e.kind {
                    FormulaErrorKind::Syntax => Code::FormulaSyntax,
                    FormulaErrorKind::UnknownName => Code::FormulaUnknownName,
                    FormulaErrorKind::Arity => Code::FormulaArity,
                };
                r.error(code, p, format!("in \"{text}\": {e}"));
                None
            }
        }
    };
    match (map.get("expr"), map.get("choices")) {
        (Some(expr), None) => {
            let f = parse(expr, &pointer_child(path, "expr"), r)?;
            Some(FormulaRule { variables, choice_names: None, formulas: vec![f], refs })
        }
        (None, Some(choices)) => {
            let p = pointer_child(path, "choices");
            let m = r.object(choices, &p, Code::InputType, "\"choices\"")?;
            if m.is_empty() {
                r.error(Code::InputType, &p, "\"choices\" needs at least one formula");
            }
            let mut choice_names = Vec::with_capacity(m.len());
            let mut formulas = Vec::with_capacity(m.len());
            for (name, source) in m {
                if let Some(f) = parse(source, &pointer_child(&p, name), r) {
                    choice_names.push(name.to_owned());
                    formulas.push(f);
                }
            }
            Some(FormulaRule { variables, choice_names: Some(choice_names), formulas, refs })
        }
        _ => {
            r.error(Code::InputType, path, "a formula rule needs exactly one of \"expr\" and \"choices\"");
            None
        }
    }
}

/// A formula's `refs` (SPEC §11.3): names bound to node codes, resolved to nodes later, once
/// the whole tree is read.
fn load_refs(
    map: &Object<'_>,
    path: &str,
    v2: bool,
    variables: &[(String, String)],
    r: &mut Reader<'_>,
) -> Vec<super::FormulaRef> {
    let Some(v) = map.get("refs").filter(|v| !v.is_null()) else { return Vec::new() };
    let p = pointer_child(path, "refs");
    if !v2 {
        r.error(Code::InputType, &p, V1_ONLY);
        return Vec::new();
    }
    let Some(m) = r.object(v, &p, Code::InputType, "\"refs\"") else { return Vec::new() };
    r.check_unique_keys(m, &p);
    let mut refs = Vec::with_capacity(m.len());
    for (name, code) in m {
        let np = pointer_child(&p, name);
        if !is_name(name) {
            r.error(
                Code::FormulaSyntax,
                &np,
                format!("'{name}' cannot name a reference: use letters, digits and '_', not starting with a digit"),
            );
            continue;
        }
        if name == "max_points" || variables.iter().any(|(n, _)| n == name) {
            r.error(
                Code::FormulaUnknownName,
                &np,
                format!("'{name}' is already a variable or max_points: a reference needs a name of its own"),
            );
            continue;
        }
        let Some(code) = r.string(code, &np, Code::InputType, "a reference (a criterion code)") else { continue };
        refs.push(super::FormulaRef { name: name.to_owned(), code: code.to_owned(), node: None });
    }
    refs
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
