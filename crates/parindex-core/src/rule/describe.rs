//! A rule in words ([`Rule::describe`]): what an officer reads to check a criteria set
//! before a round opens (`parindex criteria show`).

use rust_decimal::Decimal;

use super::{Band, BandInput, ProportionalInput, Rule};

fn band_interval(b: &Band) -> String {
    let open = if b.from_inclusive { '[' } else { '(' };
    let close = if b.to_inclusive { ']' } else { ')' };
    let from = b.from.map_or_else(|| "−∞".to_owned(), |f| f.to_string());
    let to = b.to.map_or_else(|| "+∞".to_owned(), |t| t.to_string());
    let open = if b.from.is_none() { '(' } else { open };
    let close = if b.to.is_none() { ')' } else { close };
    format!("{open}{from}, {to}{close}")
}

fn band_input(kind: BandInput) -> &'static str {
    match kind {
        BandInput::Percent => "a percent",
        BandInput::Ratio => "a ratio (as a percent)",
        BandInput::Count => "a count",
        BandInput::Number => "a number",
    }
}

impl Rule {
    /// The rule in one line of plain words, for a leaf worth `max`, e.g.
    /// `bands over a ratio (as a percent): [100, +∞) → 2; [80, 100) → 1; otherwise 0`.
    pub fn describe(&self, max: Decimal) -> String {
        match self {
            Rule::Manual { step: None } => "points entered directly".to_owned(),
            Rule::Manual { step: Some(step) } => format!("points entered directly, in steps of {step}"),
            Rule::YesNo => format!("yes → {max}, no → 0"),
            Rule::Options { options } => {
                let items: Vec<String> =
                    options.iter().map(|o| format!("{} “{}” → {}", o.key, o.label, o.points)).collect();
                format!("options: {}", items.join("; "))
            }
            Rule::Bands { input, bands, otherwise } => {
                let items: Vec<String> = bands.iter().map(|b| format!("{} → {}", band_interval(b), b.points)).collect();
                format!("bands over {}: {}; otherwise {otherwise}", band_input(*input), items.join("; "))
            }
            Rule::Proportional { input, zero_below, full_from } => {
                let of = match input {
                    ProportionalInput::Percent => "percent",
                    ProportionalInput::Ratio => "ratio (as a percent)",
                };
                let mut text = format!("{max} × {of} ÷ 100");
                if let Some(z) = zero_below {
                    text.push_str(&format!("; 0 below {z}%"));
                }
                if let Some(f) = full_from {
                    text.push_str(&format!("; {max} from {f}%"));
                }
                text
            }
            Rule::Deduction { per } => format!("{max} − {per} per occurrence, not below 0"),
            Rule::Deadline { due, late_points, grace_days } => {
                if *grace_days == 0 {
                    format!("done by {due} → {max}; later or not done → 0")
                } else {
                    format!(
                        "done by {due} → {max}; up to {grace_days} day(s) late → {late_points}; later or not done → 0"
                    )
                }
            }
            Rule::Survey { weights, scale, groups, zero_below, full_from } => {
                let mut parts = Vec::new();
                if let Some(w) = weights {
                    let items: Vec<String> = w.iter().map(|(k, v)| format!("{k} {v}")).collect();
                    parts.push(format!("answer weights {}", items.join(", ")));
                }
                if let Some(s) = scale {
                    parts.push(format!("a mean on a {}–{} scale", s.min, s.max));
                }
                parts.push("a score in [0, 1]".to_owned());
                let mut text = format!("survey: {max} × score, from {}", parts.join(", or "));
                if let Some(g) = groups {
                    let items: Vec<String> = g.iter().map(|(k, w)| format!("{k} {w}")).collect();
                    text.push_str(&format!(
                        "; respondent groups {} (score = Σ weight × group score ÷ Σ weight over the groups with answers)",
                        items.join(", ")
                    ));
                }
                if let Some(z) = zero_below {
                    text.push_str(&format!("; a score below {z} counts 0"));
                }
                if let Some(f) = full_from {
                    text.push_str(&format!("; a score from {f} counts 1"));
                }
                text
            }
            Rule::PerItem { per } => format!("{per} per occurrence, at most {max}"),
            Rule::Formula(f) => {
                let vars: Vec<String> = f.variables.iter().map(|(n, d)| format!("{n}: {d}")).collect();
                let body = match &f.choice_names {
                    None => f.formulas.first().map(|x| x.source().to_owned()).unwrap_or_default(),
                    Some(names) => {
                        let items: Vec<String> =
                            names.iter().zip(&f.formulas).map(|(n, x)| format!("{n} = {}", x.source())).collect();
                        format!("one of {}", items.join("; "))
                    }
                };
                let mut text = if vars.is_empty() {
                    format!("formula {body}, clamped to [0, {max}]")
                } else {
                    format!("formula {body}, clamped to [0, {max}] ({})", vars.join("; "))
                };
                if !f.refs.is_empty() {
                    let refs: Vec<String> =
                        f.refs.iter().map(|r| format!("{} = points of {}", r.name, r.code)).collect();
                    text.push_str(&format!("; refs at the same stage: {}", refs.join(", ")));
                }
                text
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use serde_json::json;

    use crate::criteria::CriteriaSet;

    fn describe(rule: serde_json::Value, max: &str) -> String {
        let doc = json!({ "format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "nodes": [ { "code": "1", "title": "x", "max": max, "rule": rule } ] });
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&doc)).unwrap();
        let (_, node, leaf) = set.leaves().next().unwrap();
        leaf.rule.describe(node.max)
    }

    #[test]
    fn rules_in_words() {
        assert_eq!(
            describe(
                json!({ "kind": "bands", "input": "ratio", "bands": [
                    { "from": "100", "points": "2" }, { "from": "80", "to": "100", "points": "1" } ] }),
                "2"
            ),
            "bands over a ratio (as a percent): [100, +∞) → 2; [80, 100) → 1; otherwise 0"
        );
        assert_eq!(describe(json!({ "kind": "yes_no" }), "1"), "yes → 1, no → 0");
        assert_eq!(
            describe(json!({ "kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15 }), "1"),
            "done by 2023-01-15 → 1; up to 15 day(s) late → 0.5; later or not done → 0"
        );
        assert_eq!(
            describe(json!({ "kind": "deduction", "per": "0.25" }), "1"),
            "1 − 0.25 per occurrence, not below 0"
        );
        assert_eq!(
            describe(json!({ "kind": "manual", "step": "0.25" }), "2"),
            "points entered directly, in steps of 0.25"
        );
        assert!(
            describe(json!({ "kind": "formula", "variables": { "x": "Số nhiệm vụ" }, "expr": "x / 2" }), "2")
                .contains("formula x / 2, clamped to [0, 2] (x: Số nhiệm vụ)")
        );
    }
}
