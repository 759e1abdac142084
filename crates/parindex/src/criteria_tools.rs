//! Criteria-set tools (`parindex criteria show|diff`): a set's tree with maxima and rules in
//! words — what a Sở Nội vụ officer checks before a round opens — and what changed between
//! two sets (items added, removed or changed).

use std::fmt::{self, Write};

use parindex_core::criteria::Counts;
use parindex_core::{Leaf, Node, NodeKind, Rule, Source};
use serde::Serialize;

use crate::{CriteriaSet, Decimal};

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

/// The criteria set as an indented tree: each node's code, title and maximum; each leaf's
/// rule in words, its source, "nothing arose" policy and evidence requirement; every
/// `applies_to`; and the totals.
pub fn show_criteria(set: &CriteriaSet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", set.id, set.title);
    let mut facts = Vec::new();
    if let Some(y) = set.year {
        facts.push(format!("year {y}"));
    }
    if let Some(b) = &set.basis {
        facts.push(format!("basis: {b}"));
    }
    match set.adjustments {
        Some(a) => facts.push(format!("bonus up to {}, penalty up to {}", a.bonus_max, a.penalty_max)),
        None => facts.push("no bonus or penalty points".to_owned()),
    }
    if set.version() >= 2 {
        facts.push("criteria language version 2".to_owned());
    }
    let _ = writeln!(out, "{}", facts.join(" · "));
    let leaves: Vec<_> = set.leaves().collect();
    let survey: Decimal = leaves.iter().filter(|(_, _, l)| l.source == Source::Survey).map(|(_, n, _)| n.max).sum();
    let _ = writeln!(
        out,
        "{} field(s), {} leaf item(s), maximum {} of which {} from the survey\n",
        set.roots().len(),
        leaves.len(),
        set.max().normalize(),
        survey.normalize()
    );
    for node in set.nodes() {
        let indent = "    ".repeat(node.depth);
        let _ = writeln!(out, "{indent}{} {} [{}]", node.code, node.title, node.max.normalize());
        let more = format!("{indent}    ");
        if node.applies_to.is_some() {
            let _ = writeln!(out, "{more}applies to {}", applies_text(node));
        }
        if node.parent.is_none() && node.counts != Counts::Score {
            let _ = writeln!(out, "{more}counts as {}", counts_text(node.counts));
        }
        if let NodeKind::Leaf(leaf) = &node.kind {
            let _ = writeln!(out, "{more}{}", leaf.rule.describe(node.max));
            let _ = writeln!(out, "{more}{}", leaf_facts(leaf));
            if let Some(refs) = refs_text(leaf) {
                let _ = writeln!(out, "{more}refers to the points, at the same stage, of {refs}");
            }
        }
    }
    out
}

fn leaf_facts(leaf: &Leaf) -> String {
    let mut facts = vec![source_text(leaf.source).to_owned()];
    facts.push(format!("nothing arose: {}", leaf.not_arising.as_str()));
    if leaf.source == Source::Assessed {
        facts.push(evidence_text(leaf).to_owned());
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

fn opt<T: fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

/// What changed from `old` to `new`: set-level fields, then items removed, added and
/// changed (matched by code), in document order.
pub fn diff_criteria(old: &CriteriaSet, new: &CriteriaSet) -> Vec<CriteriaChange> {
    let mut out = Vec::new();
    let mut set_field = |field: &'static str, a: String, b: String| {
        if a != b {
            out.push(CriteriaChange::Set { field, old: a, new: b });
        }
    };
    set_field("id", old.id.clone(), new.id.clone());
    set_field("title", old.title.clone(), new.title.clone());
    set_field("year", opt(old.year), opt(new.year));
    set_field("basis", opt(old.basis.as_deref()), opt(new.basis.as_deref()));
    let adj = |s: &CriteriaSet| {
        s.adjustments.map_or_else(
            || "none".to_owned(),
            |a| format!("bonus up to {}, penalty up to {}", a.bonus_max, a.penalty_max),
        )
    };
    set_field("adjustments", adj(old), adj(new));
    if old.version() != new.version() {
        set_field("format", format!("version {}", old.version()), format!("version {}", new.version()));
    }
    set_field("max", old.max().normalize().to_string(), new.max().normalize().to_string());

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
                rule: node.leaf().map(|l| l.rule.describe(node.max)),
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
            changed("max", before.max.normalize().to_string(), node.max.normalize().to_string());
        }
        changed("applies_to", applies_text(before), applies_text(node));
        if before.parent.is_none() || node.parent.is_none() {
            changed("counts", before.counts.as_str().to_owned(), node.counts.as_str().to_owned());
        }
        match (&before.kind, &node.kind) {
            (NodeKind::Leaf(a), NodeKind::Leaf(b)) => {
                if a.rule != b.rule {
                    changed("rule", a.rule.describe(before.max), b.rule.describe(node.max));
                }
                changed("source", source_text(a.source).to_owned(), source_text(b.source).to_owned());
                changed("not_arising", a.not_arising.as_str().to_owned(), b.not_arising.as_str().to_owned());
                let ev = |l: &Leaf| if l.evidence_required { "required".to_owned() } else { l.evidence.to_string() };
                changed("evidence", ev(a), ev(b));
                let none = || "none".to_owned();
                changed("refs", refs_text(a).unwrap_or_else(none), refs_text(b).unwrap_or_else(none));
                changed("groups", groups_text(a).unwrap_or_else(none), groups_text(b).unwrap_or_else(none));
            }
            (NodeKind::Group { .. }, NodeKind::Leaf(b)) => {
                changed("kind", "group".to_owned(), format!("leaf: {}", b.rule.describe(node.max)));
            }
            (NodeKind::Leaf(a), NodeKind::Group { .. }) => {
                changed("kind", format!("leaf: {}", a.rule.describe(before.max)), "group".to_owned());
            }
            (NodeKind::Group { .. }, NodeKind::Group { .. }) => {}
        }
    }
    out
}
