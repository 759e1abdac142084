//! A rule in words ([`Rule::describe_in`]): what an officer reads to check a criteria set
//! before a round opens (`parindex criteria show`), in Vietnamese or English, figures written
//! as a person reads them ("từ 98% trở lên: 3,5 điểm").

use rust_decimal::Decimal;

use super::{Band, BandInput, ProportionalInput, Rule};
use crate::locale::Locale;

/// A bound of a band: the figure, with `%` when the input is a percent.
fn bound(d: Decimal, input: BandInput, l: Locale) -> String {
    match input {
        BandInput::Percent | BandInput::Ratio => format!("{}%", l.plain(d)),
        BandInput::Count | BandInput::Number => l.plain(d),
    }
}

/// Where a value must lie to earn a band's points, in words.
fn band_words(b: &Band, input: BandInput, l: Locale) -> String {
    let from = b.from.map(|f| bound(f, input, l));
    let to = b.to.map(|t| bound(t, input, l));
    match (l, from, to) {
        (Locale::Vi, Some(f), None) if b.from_inclusive => format!("từ {f} trở lên"),
        (Locale::Vi, Some(f), None) => format!("trên {f}"),
        (Locale::Vi, None, Some(t)) if b.to_inclusive => format!("từ {t} trở xuống"),
        (Locale::Vi, None, Some(t)) => format!("dưới {t}"),
        (Locale::Vi, Some(f), Some(t)) => {
            let from = if b.from_inclusive { format!("từ {f}") } else { format!("trên {f}") };
            let to = if b.to_inclusive { format!("đến {t}") } else { format!("đến dưới {t}") };
            format!("{from} {to}")
        }
        (Locale::Vi, None, None) => "mọi giá trị".to_owned(),
        (_, Some(f), None) if b.from_inclusive => format!("{f} or more"),
        (_, Some(f), None) => format!("more than {f}"),
        (_, None, Some(t)) if b.to_inclusive => format!("at most {t}"),
        (_, None, Some(t)) => format!("below {t}"),
        (_, Some(f), Some(t)) => {
            let from = if b.from_inclusive { format!("from {f}") } else { format!("more than {f}") };
            let to = if b.to_inclusive { format!("up to {t}") } else { format!("up to below {t}") };
            format!("{from} {to}")
        }
        (_, None, None) => "any value".to_owned(),
    }
}

fn band_input(kind: BandInput, l: Locale) -> &'static str {
    match (l, kind) {
        (Locale::Vi, BandInput::Percent) => "theo tỷ lệ %",
        (Locale::Vi, BandInput::Ratio) => "theo tỷ lệ (tử số ÷ mẫu số, tính ra %)",
        (Locale::Vi, BandInput::Count) => "theo số trường hợp",
        (Locale::Vi, BandInput::Number) => "theo số liệu",
        (_, BandInput::Percent) => "by percent",
        (_, BandInput::Ratio) => "by ratio (numerator ÷ denominator, as a percent)",
        (_, BandInput::Count) => "by count",
        (_, BandInput::Number) => "by number",
    }
}

impl Rule {
    /// The rule in one line of plain English words, for a leaf worth `max`
    /// ([`Rule::describe_in`] with [`Locale::En`]).
    pub fn describe(&self, max: Decimal) -> String {
        self.describe_in(max, Locale::En)
    }

    /// The rule in one line of plain words for a person reading `locale`, for a leaf worth
    /// `max`, e.g. `theo tỷ lệ %: từ 98% trở lên: 3,5 điểm; từ 80% đến dưới 98%: 2 điểm;
    /// còn lại: 0 điểm`.
    pub fn describe_in(&self, max: Decimal, l: Locale) -> String {
        let vi = l == Locale::Vi;
        let pts = |d: Decimal| l.points(d);
        let n = |d: Decimal| l.plain(d);
        match self {
            Rule::Manual { step: None } if vi => format!("chấm điểm trực tiếp, từ 0 đến {}", pts(max)),
            Rule::Manual { step: None } => format!("points entered directly, from 0 to {}", pts(max)),
            Rule::Manual { step: Some(step) } if vi => {
                format!("chấm điểm trực tiếp, từ 0 đến {}, là bội số của {}", pts(max), n(*step))
            }
            Rule::Manual { step: Some(step) } => {
                format!("points entered directly, from 0 to {}, in steps of {}", pts(max), n(*step))
            }
            Rule::YesNo if vi => format!("có: {}; không: 0 điểm", pts(max)),
            Rule::YesNo => format!("yes: {}; no: 0 points", pts(max)),
            Rule::Options { options } => {
                let items: Vec<String> =
                    options.iter().map(|o| format!("{} “{}”: {}", o.key, o.label, pts(o.points))).collect();
                let head = if vi { "chọn một phương án" } else { "one option" };
                format!("{head}: {}", items.join("; "))
            }
            Rule::Bands { input, bands, otherwise } => {
                let items: Vec<String> =
                    bands.iter().map(|b| format!("{}: {}", band_words(b, *input, l), pts(b.points))).collect();
                let rest = if vi { "còn lại" } else { "otherwise" };
                format!("{}: {}; {rest}: {}", band_input(*input, l), items.join("; "), pts(*otherwise))
            }
            Rule::Proportional { input, zero_below, full_from } => {
                let mut text = match (vi, input) {
                    (true, ProportionalInput::Percent) => format!("điểm = {} × tỷ lệ % ÷ 100", n(max)),
                    (true, ProportionalInput::Ratio) => format!("điểm = {} × tử số ÷ mẫu số", n(max)),
                    (false, ProportionalInput::Percent) => format!("points = {} × percent ÷ 100", n(max)),
                    (false, ProportionalInput::Ratio) => format!("points = {} × numerator ÷ denominator", n(max)),
                };
                if let Some(z) = zero_below {
                    if vi {
                        text.push_str(&format!("; dưới {}%: 0 điểm", n(*z)));
                    } else {
                        text.push_str(&format!("; below {}%: 0 points", n(*z)));
                    }
                }
                if let Some(f) = full_from {
                    if vi {
                        text.push_str(&format!("; từ {}% trở lên: {}", n(*f), pts(max)));
                    } else {
                        text.push_str(&format!("; {}% or more: {}", n(*f), pts(max)));
                    }
                }
                text
            }
            Rule::Deduction { per } if vi => {
                format!("{}, mỗi trường hợp trừ {}, thấp nhất 0 điểm", pts(max), pts(*per))
            }
            Rule::Deduction { per } => format!("{}, less {} per occurrence, not below 0", pts(max), pts(*per)),
            Rule::PerItem { per } if vi => format!("mỗi trường hợp {}, tối đa {}", pts(*per), pts(max)),
            Rule::PerItem { per } => format!("{} per occurrence, at most {}", pts(*per), pts(max)),
            Rule::Deadline { due, late_points, grace_days } => {
                let due_text = l.date(*due);
                match (vi, *grace_days) {
                    (true, 0) => format!(
                        "hoàn thành đến hết ngày {due_text}: {}; muộn hơn hoặc chưa thực hiện: 0 điểm",
                        pts(max)
                    ),
                    (true, g) => format!(
                        "hoàn thành đến hết ngày {due_text}: {}; muộn không quá {g} ngày: {}; muộn hơn hoặc chưa thực hiện: 0 điểm",
                        pts(max),
                        pts(*late_points)
                    ),
                    (false, 0) => format!("done by {due_text}: {}; later or not done: 0 points", pts(max)),
                    (false, g) => format!(
                        "done by {due_text}: {}; up to {g} day(s) late: {}; later or not done: 0 points",
                        pts(max),
                        pts(*late_points)
                    ),
                }
            }
            Rule::Survey { weights, scale, groups, zero_below, full_from } => {
                let mut parts = Vec::new();
                if let Some(w) = weights {
                    let items: Vec<String> = w.iter().map(|(k, v)| format!("{k} {}", n(*v))).collect();
                    parts.push(if vi {
                        format!("trọng số câu trả lời {}", items.join(", "))
                    } else {
                        format!("answer weights {}", items.join(", "))
                    });
                }
                if let Some(s) = scale {
                    parts.push(if vi {
                        format!("điểm trung bình trên thang {}–{}", n(s.min), n(s.max))
                    } else {
                        format!("a mean on a {}–{} scale", n(s.min), n(s.max))
                    });
                }
                parts.push(if vi {
                    "điểm khảo sát từ 0 đến 1".to_owned()
                } else {
                    "a score from 0 to 1".to_owned()
                });
                let mut text = if vi {
                    format!("điều tra xã hội học: điểm = {} × điểm khảo sát, tính từ {}", n(max), parts.join(", hoặc "))
                } else {
                    format!("survey: points = {} × score, from {}", n(max), parts.join(", or "))
                };
                if let Some(g) = groups {
                    let items: Vec<String> = g.iter().map(|(k, w)| format!("{k} {}", n(*w))).collect();
                    if vi {
                        text.push_str(&format!(
                            "; nhóm đối tượng {} (điểm = Σ trọng số × điểm nhóm ÷ Σ trọng số các nhóm có phiếu)",
                            items.join(", ")
                        ));
                    } else {
                        text.push_str(&format!(
                            "; respondent groups {} (score = Σ weight × group score ÷ Σ weight over the groups with answers)",
                            items.join(", ")
                        ));
                    }
                }
                if let Some(z) = zero_below {
                    text.push_str(&if vi {
                        format!("; điểm khảo sát dưới {}: tính 0", n(*z))
                    } else {
                        format!("; a score below {} counts 0", n(*z))
                    });
                }
                if let Some(f) = full_from {
                    text.push_str(&if vi {
                        format!("; điểm khảo sát từ {} trở lên: tính 1", n(*f))
                    } else {
                        format!("; a score of {} or more counts 1", n(*f))
                    });
                }
                text
            }
            Rule::Formula(f) => {
                let vars: Vec<String> = f.variables.iter().map(|(name, d)| format!("{name}: {d}")).collect();
                let body = match &f.choice_names {
                    None => f.formulas.first().map(|x| x.source().to_owned()).unwrap_or_default(),
                    Some(names) => {
                        let items: Vec<String> =
                            names.iter().zip(&f.formulas).map(|(name, x)| format!("{name} = {}", x.source())).collect();
                        let head = if vi { "một trong các cách tính" } else { "one of" };
                        format!("{head} {}", items.join("; "))
                    }
                };
                let mut text = if vi {
                    format!("công thức {body}, trong khoảng 0 đến {}", pts(max))
                } else {
                    format!("formula {body}, clamped to 0 to {}", pts(max))
                };
                if !vars.is_empty() {
                    text.push_str(&format!(" ({})", vars.join("; ")));
                }
                if !f.refs.is_empty() {
                    let refs: Vec<String> = f
                        .refs
                        .iter()
                        .map(|r| {
                            if vi {
                                format!("{} = điểm của tiêu chí {}", r.name, r.code)
                            } else {
                                format!("{} = points of {}", r.name, r.code)
                            }
                        })
                        .collect();
                    let head = if vi { "tham chiếu cùng vòng chấm" } else { "refs at the same stage" };
                    text.push_str(&format!("; {head}: {}", refs.join(", ")));
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
    use crate::locale::Locale;

    fn describe_in(rule: serde_json::Value, max: &str, l: Locale) -> String {
        let doc = json!({ "format": "parindex/criteria-set@1", "id": "t", "title": "T",
            "nodes": [ { "code": "1", "title": "x", "max": max, "rule": rule } ] });
        let set = CriteriaSet::from_document(&parindex_json::Value::from(&doc)).unwrap();
        let (_, node, leaf) = set.leaves().next().unwrap();
        leaf.rule.describe_in(node.max, l)
    }

    fn describe(rule: serde_json::Value, max: &str) -> String {
        describe_in(rule, max, Locale::En)
    }

    #[test]
    fn bands_in_vietnamese_words_with_decimal_commas() {
        let rule = json!({ "kind": "bands", "input": "percent", "bands": [
            { "from": "98", "points": "3.5" }, { "from": "80", "to": "98", "points": "2" },
            { "from": "50", "to": "80", "from_inclusive": false, "to_inclusive": false, "points": "0.5" } ] });
        let vi = describe_in(rule.clone(), "3.5", Locale::Vi);
        assert_eq!(
            vi,
            "theo tỷ lệ %: từ 98% trở lên: 3,5 điểm; từ 80% đến dưới 98%: 2 điểm; trên 50% đến dưới 80%: 0,5 điểm; còn lại: 0 điểm"
        );
        assert!(!vi.contains('∞') && !vi.contains('→') && !vi.contains('['));
        assert_eq!(
            describe(rule, "3.5"),
            "by percent: 98% or more: 3.5 point(s); from 80% up to below 98%: 2 point(s); more than 50% up to below 80%: 0.5 point(s); otherwise: 0 point(s)"
        );
    }

    #[test]
    fn rules_in_words() {
        assert_eq!(describe(json!({ "kind": "yes_no" }), "1"), "yes: 1 point(s); no: 0 points");
        assert_eq!(describe_in(json!({ "kind": "yes_no" }), "1.5", Locale::Vi), "có: 1,5 điểm; không: 0 điểm");
        assert_eq!(
            describe(json!({ "kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15 }), "1"),
            "done by 2023-01-15: 1 point(s); up to 15 day(s) late: 0.5 point(s); later or not done: 0 points"
        );
        assert_eq!(
            describe_in(
                json!({ "kind": "deadline", "due": "2023-01-15", "late_points": "0.5", "grace_days": 15 }),
                "1",
                Locale::Vi
            ),
            "hoàn thành đến hết ngày 15/01/2023: 1 điểm; muộn không quá 15 ngày: 0,5 điểm; muộn hơn hoặc chưa thực hiện: 0 điểm"
        );
        assert_eq!(
            describe(json!({ "kind": "deduction", "per": "0.25" }), "1"),
            "1 point(s), less 0.25 point(s) per occurrence, not below 0"
        );
        assert_eq!(
            describe_in(json!({ "kind": "manual", "step": "0.25" }), "2", Locale::Vi),
            "chấm điểm trực tiếp, từ 0 đến 2 điểm, là bội số của 0,25"
        );
        assert!(
            describe(json!({ "kind": "formula", "variables": { "x": "Số nhiệm vụ" }, "expr": "x / 2" }), "2")
                .contains("formula x / 2, clamped to 0 to 2 point(s) (x: Số nhiệm vụ)")
        );
    }
}
