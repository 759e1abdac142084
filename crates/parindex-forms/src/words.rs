//! A leaf's rule in plain Vietnamese words, as officers read it in the form's "Cách chấm"
//! column: "100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm".
//!
//! Decimals are written with a point (`0.5 điểm`), as the form asks officers to type them.

use parindex_core::rule::{Band, BandInput, FormulaRule, ProportionalInput, Rule};
use parindex_core::{Decimal, Leaf, NotArisingPolicy, Source};

use crate::dates;

/// A decimal without trailing zeros (`2.50` → `2.5`).
pub fn number(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() { "0".to_owned() } else { n.to_string() }
}

fn points(d: Decimal) -> String {
    format!("{} điểm", number(d))
}

/// The rule and the "nothing arose" (không phát sinh) policy of a leaf worth `max`, and what
/// SPEC §11 adds: who scores it (derived, council only) and whether evidence is required.
pub fn leaf_words(leaf: &Leaf, max: Decimal) -> String {
    let rule = rule_words(&leaf.rule, max);
    let mut text = match leaf.not_arising {
        NotArisingPolicy::Full => format!("{rule}\nKhông phát sinh: {}.", points(max)),
        NotArisingPolicy::Exclude => format!("{rule}\nKhông phát sinh: không tính vào điểm tối đa."),
        NotArisingPolicy::Forbidden => rule,
    };
    match (leaf.source, &leaf.rule) {
        (Source::Derived, Rule::Formula(f)) => {
            let codes: Vec<&str> = f.refs.iter().map(|r| r.code.as_str()).collect();
            text.push_str(&format!("\n{DERIVED}: từ điểm của {}; không nhập.", codes.join(", ")));
        }
        (Source::Appraisal, _) => text.push_str(&format!("\n{COUNCIL_ONLY}.")),
        _ => {}
    }
    if leaf.evidence_required {
        text.push_str(&format!("\n{EVIDENCE_REQUIRED}: không có tài liệu thì điểm tự chấm là 0."));
    }
    text
}

/// How a form marks an item computed from other items (SPEC §11.3).
pub const DERIVED: &str = "Tự động tính";
/// How a form marks an item only the appraisal council scores (SPEC §11.6).
pub const COUNCIL_ONLY: &str = "Chỉ Hội đồng thẩm định chấm";
/// How a form marks an item whose self-claimed points need evidence (SPEC §11.5).
pub const EVIDENCE_REQUIRED: &str = "Bắt buộc có tài liệu kiểm chứng";

/// The rule of a leaf worth `max`, in words.
pub fn rule_words(rule: &Rule, max: Decimal) -> String {
    match rule {
        Rule::Manual { step } => {
            let base = format!("Chấm điểm trực tiếp, từ 0 đến {}", points(max));
            match step {
                Some(s) => format!("{base}; điểm là bội số của {}", number(*s)),
                None => base,
            }
        }
        Rule::YesNo => format!("Có: {}; Không: 0 điểm", points(max)),
        Rule::Options { options } => {
            options.iter().map(|o| format!("{}: {}", o.label, points(o.points))).collect::<Vec<_>>().join("; ")
        }
        Rule::Bands { input, bands, otherwise } => bands_words(*input, bands, *otherwise),
        Rule::Proportional { input, zero_below, full_from } => {
            let mut text = match input {
                ProportionalInput::Percent => format!("Điểm = {} × tỷ lệ (%) ÷ 100", number(max)),
                ProportionalInput::Ratio => format!("Điểm = {} × tử số ÷ mẫu số", number(max)),
            };
            if let Some(z) = zero_below {
                text.push_str(&format!("; dưới {}%: 0 điểm", number(*z)));
            }
            if let Some(f) = full_from {
                text.push_str(&format!("; từ {}% trở lên: {}", number(*f), points(max)));
            }
            text
        }
        Rule::Deduction { per } => {
            format!("{}; mỗi trường hợp trừ {}; thấp nhất 0 điểm", points(max), points(*per))
        }
        Rule::PerItem { per } => {
            format!("Mỗi trường hợp {}; tối đa {}", points(*per), points(max))
        }
        Rule::Deadline { due, late_points, grace_days } => {
            let mut text = format!("Hoàn thành đến hết ngày {}: {}", dates::vietnamese(*due), points(max));
            let last = due.add_days(i64::from(*grace_days)).unwrap_or(*due);
            if *grace_days > 0 {
                let first_late = due.add_days(1).unwrap_or(*due);
                let span = if first_late == last {
                    format!("ngày {}", dates::vietnamese(last))
                } else {
                    format!("từ ngày {} đến ngày {}", dates::vietnamese(first_late), dates::vietnamese(last))
                };
                text.push_str(&format!("; {span}: {}", points(*late_points)));
            }
            text.push_str(&format!("; sau ngày {} hoặc chưa thực hiện: 0 điểm", dates::vietnamese(last)));
            text
        }
        Rule::Survey { weights, scale, .. } => match (weights, scale) {
            (Some(w), _) => {
                let list: Vec<String> = w.iter().map(|(k, v)| format!("{k}: {}", number(*v))).collect();
                format!(
                    "Điều tra xã hội học: điểm = {} × Σ(trọng số × số phiếu) ÷ tổng số phiếu; trọng số {}",
                    number(max),
                    list.join(", ")
                )
            }
            (None, Some(s)) => format!(
                "Điều tra xã hội học: điểm = {} × (điểm trung bình − {}) ÷ ({} − {})",
                number(max),
                number(s.min),
                number(s.max),
                number(s.min)
            ),
            (None, None) => format!("Điều tra xã hội học: điểm = {} × điểm khảo sát (từ 0 đến 1)", number(max)),
        },
        Rule::Formula(f) => formula_words(f, max),
    }
}

/// A formula rule in words: each expression with the variables' descriptions in place of
/// their names, and the clamp to `[0, max]` (SPEC §4).
fn formula_words(f: &FormulaRule, max: Decimal) -> String {
    let name = |slot: usize| -> String {
        let vars = f.variables.len();
        match f.variables.get(slot) {
            Some((n, d)) if d.trim().is_empty() => n.clone(),
            Some((_, d)) => mid_sentence(d.trim()),
            None => slot
                .checked_sub(vars)
                .and_then(|i| f.refs.get(i))
                .map_or_else(|| "?".to_owned(), |r| format!("điểm của {}", r.code)),
        }
    };
    let max_text = number(max);
    let limits = format!("tối thiểu 0 điểm, tối đa {}", points(max));
    match &f.choice_names {
        None => {
            let expr = f.formulas.first().map(|x| x.to_words(&name, &max_text)).unwrap_or_default();
            format!("Điểm = {expr}; {limits}")
        }
        Some(names) => {
            let list: Vec<String> = names
                .iter()
                .zip(&f.formulas)
                .map(|(n, x)| format!("– “{n}”: điểm = {}", x.to_words(&name, &max_text)))
                .collect();
            format!("Chọn một cách tính:\n{}\nĐiểm {limits}", list.join(";\n"))
        }
    }
}

/// A description as it reads inside a sentence: its first letter in lower case, unless the
/// first word is an abbreviation ("Số nhiệm vụ" → "số nhiệm vụ", "UBND xã" unchanged).
fn mid_sentence(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

/// One end of an interval: its value and whether it is included.
#[derive(Debug, Clone, Copy, PartialEq)]
struct End {
    value: Decimal,
    inclusive: bool,
}

/// The values an input can take: percents and ratios 0–100, counts from 0, numbers anything.
fn domain(kind: BandInput) -> (Option<Decimal>, Option<Decimal>) {
    match kind {
        BandInput::Percent | BandInput::Ratio => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
        BandInput::Count => (Some(Decimal::ZERO), None),
        BandInput::Number => (None, None),
    }
}

fn bands_words(kind: BandInput, bands: &[Band], otherwise: Decimal) -> String {
    let unit = match kind {
        BandInput::Percent | BandInput::Ratio => "%",
        BandInput::Count | BandInput::Number => "",
    };
    let (low, high) = domain(kind);
    let v = |d: Decimal| format!("{}{unit}", number(d));
    let interval = |b: &Band| -> String {
        match (b.from, b.to) {
            (Some(a), Some(z)) if a == z => v(a),
            (Some(a), Some(z)) => {
                let from = if b.from_inclusive { format!("từ {}", v(a)) } else { format!("trên {}", v(a)) };
                let to = if b.to_inclusive { format!("đến {}", v(z)) } else { format!("đến dưới {}", v(z)) };
                format!("{from} {to}")
            }
            (Some(a), None) if b.from_inclusive && high == Some(a) => v(a),
            (Some(a), None) if b.from_inclusive => format!("từ {} trở lên", v(a)),
            (Some(a), None) => format!("trên {}", v(a)),
            (None, Some(z)) if b.to_inclusive && low == Some(z) => v(z),
            (None, Some(z)) if b.to_inclusive => format!("từ {} trở xuống", v(z)),
            (None, Some(z)) => format!("dưới {}", v(z)),
            (None, None) => "mọi giá trị".to_owned(),
        }
    };
    let mut parts: Vec<String> = bands.iter().map(|b| format!("{}: {}", interval(b), points(b.points))).collect();
    match union(kind, bands) {
        Some((lower, upper)) => {
            let mut gaps = Vec::new();
            if let Some(l) = lower {
                match low {
                    Some(m) if l.value < m || (l.value == m && l.inclusive) => {}
                    Some(m) if l.value == m => gaps.push(v(m)),
                    _ if l.inclusive => gaps.push(format!("dưới {}", v(l.value))),
                    _ => gaps.push(format!("từ {} trở xuống", v(l.value))),
                }
            }
            if let Some(u) = upper {
                match high {
                    Some(m) if u.value > m || (u.value == m && u.inclusive) => {}
                    Some(m) if u.value == m => gaps.push(v(m)),
                    _ if u.inclusive => gaps.push(format!("trên {}", v(u.value))),
                    _ => gaps.push(format!("từ {} trở lên", v(u.value))),
                }
            }
            if !gaps.is_empty() {
                parts.push(format!("{}: {}", gaps.join(" hoặc "), points(otherwise)));
            }
        }
        None => parts.push(format!("các trường hợp khác: {}", points(otherwise))),
    }
    let text = parts.join("; ");
    match kind {
        BandInput::Ratio => format!("Tỷ lệ = tử số ÷ mẫu số × 100. {text}"),
        _ => text,
    }
}

/// The union of the bands when it is one interval (`None` for an unbounded end), else `None`.
#[allow(clippy::type_complexity)]
fn union(kind: BandInput, bands: &[Band]) -> Option<(Option<End>, Option<End>)> {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by(|a, b| match (a.from, b.from) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    });
    let first = sorted.first()?;
    let lower = first.from.map(|value| End { value, inclusive: first.from_inclusive });
    let mut upper = first.to.map(|value| End { value, inclusive: first.to_inclusive });
    for band in sorted.iter().skip(1) {
        let u = upper?;
        let from = band.from?;
        let touches = (u.value == from && (u.inclusive || band.from_inclusive))
            || (kind == BandInput::Count
                && u.inclusive
                && band.from_inclusive
                && u.value.fract().is_zero()
                && from == u.value + Decimal::ONE);
        if !touches {
            return None;
        }
        upper = band.to.map(|value| End { value, inclusive: band.to_inclusive });
    }
    Some((lower, upper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use parindex_core::CriteriaSet;
    use serde_json::json;

    /// The words for a one-leaf criteria set with this rule and max.
    fn words(rule: serde_json::Value, max: &str) -> String {
        words_with(rule, max, None)
    }

    fn words_with(rule: serde_json::Value, max: &str, not_arising: Option<&str>) -> String {
        let mut leaf = json!({ "code": "1", "title": "Tiêu chí", "max": max, "rule": rule });
        if let Some(p) = not_arising {
            leaf["not_arising"] = json!(p);
        }
        let doc = json!({ "format": "parindex/criteria-set@1", "id": "t", "title": "t", "nodes": [leaf] });
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&doc)).unwrap();
        let (_, node, leaf) = set.leaves().next().unwrap();
        leaf_words(leaf, node.max)
    }

    #[test]
    fn manual_with_and_without_step() {
        assert_eq!(
            words(json!({"kind": "manual", "step": "0.25"}), "2"),
            "Chấm điểm trực tiếp, từ 0 đến 2 điểm; điểm là bội số của 0.25"
        );
        assert_eq!(words(json!({"kind": "manual"}), "1.50"), "Chấm điểm trực tiếp, từ 0 đến 1.5 điểm");
    }

    #[test]
    fn yes_no() {
        assert_eq!(words(json!({"kind": "yes_no"}), "1"), "Có: 1 điểm; Không: 0 điểm");
    }

    #[test]
    fn options_list_labels_with_points() {
        let rule = json!({"kind": "options", "options": [
            {"key": "tot", "label": "Thực hiện đầy đủ, đa dạng hình thức", "points": "2"},
            {"key": "dat", "label": "Thực hiện chưa đầy đủ", "points": "0.75"}]});
        assert_eq!(words(rule, "2"), "Thực hiện đầy đủ, đa dạng hình thức: 2 điểm; Thực hiện chưa đầy đủ: 0.75 điểm");
    }

    #[test]
    fn percent_bands_as_the_issue_writes_them() {
        let rule = json!({"kind": "bands", "input": "percent", "bands": [
            {"from": "100", "points": "2"}, {"from": "80", "to": "100", "points": "1"}], "otherwise": "0"});
        assert_eq!(words(rule, "2"), "100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm");
    }

    #[test]
    fn ratio_bands_say_how_the_ratio_is_formed() {
        let rule = json!({"kind": "bands", "input": "ratio", "bands": [
            {"from": "100", "points": "2"}, {"from": "80", "to": "100", "points": "1"},
            {"from": "50", "to": "80", "points": "0.5"}]});
        assert_eq!(
            words(rule, "2"),
            "Tỷ lệ = tử số ÷ mẫu số × 100. 100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm; \
             từ 50% đến dưới 80%: 0.5 điểm; dưới 50%: 0 điểm"
        );
    }

    #[test]
    fn bands_with_exclusive_and_inclusive_ends() {
        let rule = json!({"kind": "bands", "input": "percent", "bands": [
            {"from": "10", "points": "2"}, {"from": "5", "to": "10", "points": "1"},
            {"from": "0", "from_inclusive": false, "to": "5", "points": "0.5"}], "otherwise": "0"});
        assert_eq!(
            words(rule, "2"),
            "từ 10% trở lên: 2 điểm; từ 5% đến dưới 10%: 1 điểm; trên 0% đến dưới 5%: 0.5 điểm; 0%: 0 điểm"
        );
        let exact = json!({"kind": "bands", "input": "percent", "bands": [
            {"from": "100", "to": "100", "to_inclusive": true, "points": "2"},
            {"from": "80", "to": "100", "points": "1"}]});
        assert_eq!(words(exact, "2"), "100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: 0 điểm");
    }

    #[test]
    fn count_bands_treat_whole_numbers_as_adjacent() {
        let rule = json!({"kind": "bands", "input": "count", "bands": [
            {"to": "0", "to_inclusive": true, "points": "1.5"},
            {"from": "1", "to": "2", "to_inclusive": true, "points": "0.5"}], "otherwise": "0"});
        assert_eq!(words(rule, "1.5"), "0: 1.5 điểm; từ 1 đến 2: 0.5 điểm; trên 2: 0 điểm");
    }

    #[test]
    fn number_bands_and_gaps_that_are_not_one_interval() {
        let rule = json!({"kind": "bands", "input": "number", "bands": [
            {"from": "10", "points": "2"}, {"from": "0", "to": "10", "points": "1"}], "otherwise": "0"});
        assert_eq!(words(rule, "2"), "từ 10 trở lên: 2 điểm; từ 0 đến dưới 10: 1 điểm; dưới 0: 0 điểm");
        let holes = json!({"kind": "bands", "input": "number", "bands": [
            {"from": "10", "points": "2"}, {"from": "0", "to": "5", "points": "1"}], "otherwise": "0.5"});
        assert_eq!(words(holes, "2"), "từ 10 trở lên: 2 điểm; từ 0 đến dưới 5: 1 điểm; các trường hợp khác: 0.5 điểm");
    }

    #[test]
    fn proportional_percent_and_ratio_with_thresholds() {
        assert_eq!(
            words(json!({"kind": "proportional", "input": "percent", "zero_below": "20", "full_from": "60"}), "3"),
            "Điểm = 3 × tỷ lệ (%) ÷ 100; dưới 20%: 0 điểm; từ 60% trở lên: 3 điểm"
        );
        assert_eq!(words(json!({"kind": "proportional", "input": "ratio"}), "2"), "Điểm = 2 × tử số ÷ mẫu số");
    }

    #[test]
    fn deduction() {
        assert_eq!(
            words(json!({"kind": "deduction", "per": "0.25"}), "1.5"),
            "1.5 điểm; mỗi trường hợp trừ 0.25 điểm; thấp nhất 0 điểm"
        );
    }

    #[test]
    fn deadline_with_and_without_grace() {
        assert_eq!(
            words(json!({"kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15}), "1"),
            "Hoàn thành đến hết ngày 15/01/2023: 1 điểm; từ ngày 16/01/2023 đến ngày 30/01/2023: 0.5 điểm; \
             sau ngày 30/01/2023 hoặc chưa thực hiện: 0 điểm"
        );
        assert_eq!(
            words(json!({"kind": "deadline", "due": "2023-06-30"}), "1.5"),
            "Hoàn thành đến hết ngày 30/06/2023: 1.5 điểm; sau ngày 30/06/2023 hoặc chưa thực hiện: 0 điểm"
        );
    }

    #[test]
    fn survey_weights_scale_and_score() {
        let w = json!({"kind": "survey", "weights": {"A": "1", "B": "0.6"}});
        assert_eq!(
            words(w, "5"),
            "Điều tra xã hội học: điểm = 5 × Σ(trọng số × số phiếu) ÷ tổng số phiếu; trọng số A: 1, B: 0.6"
        );
        let s = json!({"kind": "survey", "scale": {"min": "1", "max": "4"}});
        assert_eq!(words(s, "4"), "Điều tra xã hội học: điểm = 4 × (điểm trung bình − 1) ÷ (4 − 1)");
    }

    #[test]
    fn formula_expr_and_choices_name_their_variables() {
        let expr = json!({"kind": "formula", "variables": {"x": "Số nhiệm vụ hoàn thành", "y": "Tổng số nhiệm vụ"},
            "expr": "round(max_points * x / y, 2)"});
        assert_eq!(
            words(expr, "2.5"),
            "Điểm = 2.5 × số nhiệm vụ hoàn thành ÷ tổng số nhiệm vụ, làm tròn đến 2 chữ số thập phân; \
             tối thiểu 0 điểm, tối đa 2.5 điểm"
        );
        let choices = json!({"kind": "formula", "variables": {"x": "Số đạt", "y": "UBND xã"},
            "choices": {"ti-le": "x / y", "tru": "1 - 0.25 * (y - x)"}});
        assert_eq!(
            words(choices, "1"),
            "Chọn một cách tính:\n– “ti-le”: điểm = số đạt ÷ UBND xã;\n– “tru”: điểm = 1 − 0.25 × (UBND xã − số đạt)\n\
             Điểm tối thiểu 0 điểm, tối đa 1 điểm"
        );
    }

    #[test]
    fn not_arising_policies_are_stated() {
        assert_eq!(
            words_with(json!({"kind": "yes_no"}), "2", Some("full")),
            "Có: 2 điểm; Không: 0 điểm\nKhông phát sinh: 2 điểm."
        );
        assert!(words_with(json!({"kind": "yes_no"}), "2", Some("exclude")).ends_with("không tính vào điểm tối đa."));
    }
}
