//! Criteria-set tools (`parindex criteria show|diff`): a set's tree with maxima and rules in
//! words — what a Sở Nội vụ officer checks before a round opens — and what changed between
//! two sets (items added, removed or changed).

use std::fmt;

use parindex_core::criteria::Counts;
use parindex_core::{Leaf, Node, NodeKind, Rule, Source};
use serde::Serialize;

use crate::terminal::wrap;
use crate::{CriteriaSet, Decimal, Locale};

fn applies_text(node: &Node) -> String {
    match &node.applies_to {
        None => "every unit".to_owned(),
        Some(tags) => format!("units tagged {}", tags.join(" or ")),
    }
}

fn source_text(source: Source) -> &'static str {
    match source {
        Source::Assessed => "assessed",
        Source::Survey => "survey",
        Source::Derived => "derived: computed at every stage from the items it references, no entries",
        Source::Appraisal => "scored by the appraisal council only, not self-scored",
    }
}

fn counts_text(counts: Counts) -> &'static str {
    match counts {
        Counts::Score => "score",
        Counts::Bonus => "bonus points (outside the maximum, added to the unit's bonus under its cap)",
        Counts::Penalty => "penalty points (outside the maximum, added to the unit's penalty under its cap)",
    }
}

fn evidence_text(leaf: &Leaf) -> &'static str {
    if leaf.evidence_required {
        "evidence required: a self entry without evidence is worth 0"
    } else if leaf.evidence {
        "evidence required"
    } else {
        "no evidence required"
    }
}

fn refs_text(leaf: &Leaf) -> Option<String> {
    match &leaf.rule {
        Rule::Formula(f) if !f.refs.is_empty() => {
            let items: Vec<String> = f.refs.iter().map(|r| format!("{} = {}", r.name, r.code)).collect();
            Some(items.join(", "))
        }
        _ => None,
    }
}

fn groups_text(leaf: &Leaf) -> Option<String> {
    match &leaf.rule {
        Rule::Survey { groups: Some(g), .. } => {
            Some(g.iter().map(|(k, w)| format!("{k} {}", w.normalize())).collect::<Vec<_>>().join(", "))
        }
        _ => None,
    }
}

/// The criteria set as an indented tree, in English and unwrapped
/// ([`show_criteria_in`] with [`Locale::En`] and no width limit).
pub fn show_criteria(set: &CriteriaSet) -> String {
    show_criteria_in(set, Locale::En, usize::MAX)
}

fn applies_words(node: &Node, l: Locale) -> String {
    match (l, &node.applies_to) {
        (Locale::Vi, None) => "mọi đơn vị".to_owned(),
        (Locale::Vi, Some(tags)) => format!("đơn vị có nhãn {}", tags.join(" hoặc ")),
        _ => applies_text(node),
    }
}

fn source_words(source: Source, l: Locale) -> &'static str {
    match (l, source) {
        (Locale::Vi, Source::Assessed) => "đơn vị tự chấm, Hội đồng thẩm định",
        (Locale::Vi, Source::Survey) => "điều tra xã hội học",
        (Locale::Vi, Source::Derived) => "tính ở mọi vòng từ các tiêu chí được tham chiếu, không nhập điểm",
        (Locale::Vi, Source::Appraisal) => "chỉ Hội đồng thẩm định chấm, đơn vị không tự chấm",
        (_, s) => source_text(s),
    }
}

fn counts_words(counts: Counts, l: Locale) -> &'static str {
    match (l, counts) {
        (Locale::Vi, Counts::Score) => "điểm",
        (Locale::Vi, Counts::Bonus) => {
            "điểm thưởng (ngoài điểm tối đa, cộng vào điểm thưởng của đơn vị trong mức trần)"
        }
        (Locale::Vi, Counts::Penalty) => "điểm trừ (ngoài điểm tối đa, cộng vào điểm trừ của đơn vị trong mức trần)",
        (_, c) => counts_text(c),
    }
}

fn not_arising_words(policy: parindex_core::NotArisingPolicy, max: Decimal, l: Locale) -> String {
    use parindex_core::NotArisingPolicy as P;
    match (l, policy) {
        (Locale::Vi, P::Full) => format!("không phát sinh: được {}", l.points(max)),
        (Locale::Vi, P::Exclude) => "không phát sinh: không tính vào điểm tối đa".to_owned(),
        (Locale::Vi, P::Forbidden) => "không được khai không phát sinh".to_owned(),
        (_, p) => format!("nothing arose: {}", p.as_str()),
    }
}

fn evidence_words(leaf: &Leaf, l: Locale) -> &'static str {
    match l {
        Locale::Vi if leaf.evidence_required => {
            "bắt buộc có tài liệu kiểm chứng: tự chấm không có tài liệu được 0 điểm"
        }
        Locale::Vi if leaf.evidence => "cần tài liệu kiểm chứng",
        Locale::Vi => "không yêu cầu tài liệu kiểm chứng",
        _ => evidence_text(leaf),
    }
}

/// The criteria set as an indented tree for a person reading `locale`, lines wrapped to
/// `width` characters: each node's code, title and maximum; each leaf's rule in words
/// ([`Rule::describe_in`]: "từ 98% trở lên: 3,5 điểm"), its source, "nothing arose" policy
/// and evidence requirement; every `applies_to`; and the totals.
pub fn show_criteria_in(set: &CriteriaSet, l: Locale, width: usize) -> String {
    let vi = l == Locale::Vi;
    let mut out = String::new();
    let line = |out: &mut String, text: &str, first: &str, rest: &str| {
        out.push_str(&wrap(text, width, first, rest));
    };
    line(&mut out, &format!("{} — {}", set.id, set.title), "", "    ");
    let mut facts = Vec::new();
    if let Some(y) = set.year {
        facts.push(if vi { format!("năm {y}") } else { format!("year {y}") });
    }
    if let Some(b) = &set.basis {
        facts.push(if vi { format!("căn cứ: {b}") } else { format!("basis: {b}") });
    }
    match (vi, set.adjustments) {
        (true, Some(a)) => facts.push(format!(
            "điểm thưởng tối đa {}, điểm trừ tối đa {}",
            l.plain(a.bonus_max),
            l.plain(a.penalty_max)
        )),
        (false, Some(a)) => facts.push(format!("bonus up to {}, penalty up to {}", a.bonus_max, a.penalty_max)),
        (true, None) => facts.push("không có điểm thưởng, điểm trừ".to_owned()),
        (false, None) => facts.push("no bonus or penalty points".to_owned()),
    }
    if set.version() >= 2 {
        facts.push(if vi { "ngôn ngữ tiêu chí phiên bản 2" } else { "criteria language version 2" }.to_owned());
    }
    line(&mut out, &facts.join(" · "), "", "    ");
    let leaves: Vec<_> = set.leaves().collect();
    let survey: Decimal = leaves.iter().filter(|(_, _, l)| l.source == Source::Survey).map(|(_, n, _)| n.max).sum();
    let totals = if vi {
        format!(
            "{} lĩnh vực, {} tiêu chí thành phần, tối đa {}, trong đó {} từ điều tra xã hội học",
            set.roots().len(),
            leaves.len(),
            l.points(set.max()),
            l.points(survey)
        )
    } else {
        format!(
            "{} field(s), {} leaf item(s), maximum {} of which {} from the survey",
            set.roots().len(),
            leaves.len(),
            set.max().normalize(),
            survey.normalize()
        )
    };
    line(&mut out, &totals, "", "    ");
    out.push('\n');
    for node in set.nodes() {
        // Deep trees indent less on a narrow terminal.
        let step = if width < 80 { "  " } else { "    " };
        let indent = step.repeat(node.depth);
        let more = format!("{indent}{step}");
        let max = if vi { l.points(node.max) } else { node.max.normalize().to_string() };
        let title_rest = format!("{indent}{}", " ".repeat(node.code.chars().count().min(12) + 1));
        line(&mut out, &format!("{} {} [{max}]", node.code, node.title), &indent, &title_rest);
        if node.applies_to.is_some() {
            let text = if vi {
                format!("áp dụng cho {}", applies_words(node, l))
            } else {
                format!("applies to {}", applies_text(node))
            };
            line(&mut out, &text, &more, &more);
        }
        if node.parent.is_none() && node.counts != Counts::Score {
            let head = if vi { "tính là" } else { "counts as" };
            line(&mut out, &format!("{head} {}", counts_words(node.counts, l)), &more, &more);
        }
        if let NodeKind::Leaf(leaf) = &node.kind {
            let hang = format!("{more}  ");
            line(&mut out, &leaf.rule.describe_in(node.max, l), &more, &hang);
            line(&mut out, &leaf_facts_in(leaf, node.max, l), &more, &hang);
            if let Some(refs) = refs_text(leaf) {
                let head = if vi {
                    "tham chiếu điểm, cùng vòng chấm, của"
                } else {
                    "refers to the points, at the same stage, of"
                };
                line(&mut out, &format!("{head} {refs}"), &more, &hang);
            }
        }
    }
    out
}

fn leaf_facts_in(leaf: &Leaf, max: Decimal, l: Locale) -> String {
    let mut facts = vec![source_words(leaf.source, l).to_owned()];
    facts.push(not_arising_words(leaf.not_arising, max, l));
    if leaf.source == Source::Assessed {
        facts.push(evidence_words(leaf, l).to_owned());
    }
    facts.join(" · ")
}

/// One difference between two criteria sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CriteriaChange {
    /// An item only in the new set.
    Added {
        /// Its code.
        code: String,
        /// Its title.
        title: String,
        /// Its maximum.
        max: Decimal,
        /// Its rule in words (leaves only).
        #[serde(skip_serializing_if = "Option::is_none")]
        rule: Option<String>,
    },
    /// An item only in the old set.
    Removed {
        /// Its code.
        code: String,
        /// Its title.
        title: String,
        /// Its maximum.
        max: Decimal,
    },
    /// An item in both whose `field` differs.
    Changed {
        /// Its code.
        code: String,
        /// `title`, `max`, `rule`, `applies_to`, `kind` (group or leaf), `source`,
        /// `not_arising`, `evidence`; for version 2 (SPEC §11): `counts`, `refs`, `groups`.
        field: &'static str,
        /// The old value, in words.
        old: String,
        /// The new value, in words.
        new: String,
    },
    /// A set-level field differs (`id`, `title`, `year`, `basis`, `adjustments`, `max`).
    Set {
        /// The field.
        field: &'static str,
        /// The old value.
        old: String,
        /// The new value.
        new: String,
    },
}

impl CriteriaChange {
    /// One line for a person reading `l`: `+ code title [max]: rule`, `- …`, `~ code field: old
    /// → new`, with the field named in that language.
    pub fn render_in(&self, l: Locale) -> String {
        if l == Locale::En {
            return self.to_string();
        }
        let field_words = |field: &str| -> String {
            match field {
                "id" => "mã",
                "title" => "tên",
                "year" => "năm",
                "basis" => "căn cứ",
                "adjustments" => "điểm thưởng, điểm trừ",
                "format" => "phiên bản ngôn ngữ tiêu chí",
                "max" => "điểm tối đa",
                "rule" => "cách chấm",
                "applies_to" => "áp dụng cho",
                "kind" => "loại",
                "source" => "nguồn điểm",
                "not_arising" => "không phát sinh",
                "evidence" => "tài liệu kiểm chứng",
                "counts" => "tính là",
                "refs" => "tham chiếu",
                "groups" => "nhóm đối tượng",
                other => other,
            }
            .to_owned()
        };
        match self {
            CriteriaChange::Added { code, title, max, rule } => {
                let mut line = format!("+ {code} {title} [{}]", l.points(*max));
                if let Some(r) = rule {
                    line.push_str(&format!(": {r}"));
                }
                line
            }
            CriteriaChange::Removed { code, title, max } => format!("- {code} {title} [{}]", l.points(*max)),
            CriteriaChange::Changed { code, field, old, new } => {
                format!("~ {code} {}: {old} → {new}", field_words(field))
            }
            CriteriaChange::Set { field, old, new } => format!("~ bộ tiêu chí, {}: {old} → {new}", field_words(field)),
        }
    }
}

impl fmt::Display for CriteriaChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CriteriaChange::Added { code, title, max, rule } => {
                write!(f, "+ {code} {title} [{max}]")?;
                if let Some(r) = rule {
                    write!(f, ": {r}")?;
                }
                Ok(())
            }
            CriteriaChange::Removed { code, title, max } => write!(f, "- {code} {title} [{max}]"),
            CriteriaChange::Changed { code, field, old, new } => write!(f, "~ {code} {field}: {old} → {new}"),
            CriteriaChange::Set { field, old, new } => write!(f, "~ set {field}: {old} → {new}"),
        }
    }
}

/// What changed from `old` to `new`, in English words ([`diff_criteria_in`] with
/// [`Locale::En`]).
pub fn diff_criteria(old: &CriteriaSet, new: &CriteriaSet) -> Vec<CriteriaChange> {
    diff_criteria_in(old, new, Locale::En)
}

/// What changed from `old` to `new`: set-level fields, then items removed, added and
/// changed (matched by code), in document order; values (rules, `applies_to`, …) in words for
/// a person reading `l`. Codes and field names are the same in every locale.
pub fn diff_criteria_in(old: &CriteriaSet, new: &CriteriaSet, l: Locale) -> Vec<CriteriaChange> {
    let vi = l == Locale::Vi;
    let opt = |v: Option<String>| v.unwrap_or_else(|| if vi { "không có" } else { "none" }.to_owned());
    let mut out = Vec::new();
    let mut set_field = |field: &'static str, a: String, b: String| {
        if a != b {
            out.push(CriteriaChange::Set { field, old: a, new: b });
        }
    };
    set_field("id", old.id.clone(), new.id.clone());
    set_field("title", old.title.clone(), new.title.clone());
    set_field("year", opt(old.year.map(|y| y.to_string())), opt(new.year.map(|y| y.to_string())));
    set_field("basis", opt(old.basis.clone()), opt(new.basis.clone()));
    let adj = |s: &CriteriaSet| {
        opt(s.adjustments.map(|a| {
            if vi {
                format!("điểm thưởng tối đa {}, điểm trừ tối đa {}", l.plain(a.bonus_max), l.plain(a.penalty_max))
            } else {
                format!("bonus up to {}, penalty up to {}", a.bonus_max, a.penalty_max)
            }
        }))
    };
    set_field("adjustments", adj(old), adj(new));
    if old.version() != new.version() {
        let version = |v: u8| if vi { format!("phiên bản {v}") } else { format!("version {v}") };
        set_field("format", version(old.version()), version(new.version()));
    }
    set_field("max", l.plain(old.max()), l.plain(new.max()));

    for node in old.nodes() {
        if new.find(&node.code).is_none() {
            out.push(CriteriaChange::Removed {
                code: node.code.clone(),
                title: node.title.clone(),
                max: node.max.normalize(),
            });
        }
    }
    for node in new.nodes() {
        let Some(before) = old.find(&node.code).and_then(|id| old.node(id)) else {
            out.push(CriteriaChange::Added {
                code: node.code.clone(),
                title: node.title.clone(),
                max: node.max.normalize(),
                rule: node.leaf().map(|leaf| leaf.rule.describe_in(node.max, l)),
            });
            continue;
        };
        let mut changed = |field: &'static str, a: String, b: String| {
            if a != b {
                out.push(CriteriaChange::Changed { code: node.code.clone(), field, old: a, new: b });
            }
        };
        changed("title", before.title.clone(), node.title.clone());
        if before.max != node.max {
            changed("max", l.plain(before.max), l.plain(node.max));
        }
        changed("applies_to", applies_words(before, l), applies_words(node, l));
        if before.parent.is_none() || node.parent.is_none() {
            changed("counts", before.counts.as_str().to_owned(), node.counts.as_str().to_owned());
        }
        match (&before.kind, &node.kind) {
            (NodeKind::Leaf(a), NodeKind::Leaf(b)) => {
                if a.rule != b.rule {
                    changed("rule", a.rule.describe_in(before.max, l), b.rule.describe_in(node.max, l));
                }
                changed("source", source_words(a.source, l).to_owned(), source_words(b.source, l).to_owned());
                let policy = |p: parindex_core::NotArisingPolicy| match (vi, p) {
                    (true, parindex_core::NotArisingPolicy::Full) => "được đủ điểm".to_owned(),
                    (true, parindex_core::NotArisingPolicy::Exclude) => "không tính vào điểm tối đa".to_owned(),
                    (true, parindex_core::NotArisingPolicy::Forbidden) => "không được khai".to_owned(),
                    (false, p) => p.as_str().to_owned(),
                };
                changed("not_arising", policy(a.not_arising), policy(b.not_arising));
                let ev = |leaf: &Leaf| match (vi, leaf.evidence_required, leaf.evidence) {
                    (true, true, _) => "bắt buộc".to_owned(),
                    (true, false, true) => "cần".to_owned(),
                    (true, false, false) => "không cần".to_owned(),
                    (false, true, _) => "required".to_owned(),
                    (false, false, e) => e.to_string(),
                };
                changed("evidence", ev(a), ev(b));
                changed("refs", opt(refs_text(a)), opt(refs_text(b)));
                changed("groups", opt(groups_text(a)), opt(groups_text(b)));
            }
            (NodeKind::Group { .. }, NodeKind::Leaf(b)) => {
                let (group, leaf) = if vi { ("nhóm", "tiêu chí thành phần") } else { ("group", "leaf") };
                changed("kind", group.to_owned(), format!("{leaf}: {}", b.rule.describe_in(node.max, l)));
            }
            (NodeKind::Leaf(a), NodeKind::Group { .. }) => {
                let (group, leaf) = if vi { ("nhóm", "tiêu chí thành phần") } else { ("group", "leaf") };
                changed("kind", format!("{leaf}: {}", a.rule.describe_in(before.max, l)), group.to_owned());
            }
            (NodeKind::Group { .. }, NodeKind::Group { .. }) => {}
        }
    }
    out
}
