//! One unit's explanation as readable text (`parindex explain`): self vs appraised vs final
//! for each criterion, the findings, and the arithmetic of the totals and the index; or, for
//! one criterion, how every stage's points arose.

use std::fmt::Write;

use parindex_assess::{LeafExplanation, StageLabel, StageTrace, UnitExplanation, explain_unit};
use parindex_core::rule::{Measure, RuleStep, RuleTrace, SurveyTrace};
use parindex_rank::class_band;

use crate::{CriteriaSet, Decimal, Error, RoundFolder, Rounding, UnitContext, UnitResult, UnitRow, score_round};

/// Pads `s` to `width` characters (not bytes).
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.chars().count()));
    if right { format!("{fill}{s}") } else { format!("{s}{fill}") }
}

fn shorten(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn exact(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Explains one unit of a loaded round as text. With `criterion`, explains every stage of
/// that criterion's leaves (all leaves under a group); without, prints the table of every
/// criterion, the findings and the arithmetic of the totals, the index and the class.
///
/// # Errors
///
/// [`Error::UnknownUnit`] when the round has no such unit, [`Error::UnknownCriterion`] when
/// its criteria set has no such criterion.
pub fn explain_text(folder: &RoundFolder, unit: &str, criterion: Option<&str>) -> Result<String, Error> {
    let round = &folder.round;
    let Some(u) = round.unit(unit) else {
        return Err(Error::UnknownUnit {
            round: round.id.clone(),
            unit: unit.to_owned(),
            units: round.units.iter().map(|u| u.id.clone()).collect(),
        });
    };
    let (Some(block), Some(set)) = (round.block(&u.block), folder.criteria_set(&u.block)) else {
        return Err(Error::UnknownBlock { unit: unit.to_owned() });
    };
    let ctx = UnitContext { unit: &u.id, tags: &u.tags, survey_held: block.survey, self_deadline: round.self_deadline };
    let assessment = folder.assessments.get(unit);
    let (result, explanation) = explain_unit(set, &ctx, assessment);
    let results = score_round(folder);
    let block_rows = results.blocks.iter().find(|b| b.id == block.id).map(|b| b.units.as_slice()).unwrap_or_default();
    let Some(row) = block_rows.iter().find(|r| r.unit == unit) else {
        return Err(Error::NotScored { unit: unit.to_owned() });
    };
    let ranked = block_rows.iter().filter(|r| r.rank.is_some()).count();
    let rounding = round.rounding;

    let mut out = String::new();
    let _ = writeln!(out, "{} ({}) — {} — {} ({})", u.name, u.id, block.title, round.title, round.id);
    let rank = row.rank.map_or_else(|| "not ranked".to_owned(), |r| format!("rank {r} of {ranked}"));
    let class = row.class.as_deref().unwrap_or("no class");
    let _ = writeln!(
        out,
        "status {} · index {} · {rank} · {class} · criteria set {}",
        row.status.as_str(),
        row.index,
        set.id
    );
    let stage_labels: Vec<StageLabel> =
        assessment.map(|a| a.appraisals.iter().map(|ap| StageLabel::Appraisal(ap.stage)).collect()).unwrap_or_default();

    match criterion {
        Some(code) => {
            let Some(id) = set.find(code) else {
                return Err(Error::UnknownCriterion { criteria_set: set.id.clone(), criterion: code.to_owned() });
            };
            let codes: Vec<usize> = subtree(set, id.0);
            for i in &codes {
                match (set.nodes().get(*i), explanation.leaves.get(*i), row.nodes.get(*i)) {
                    (Some(node), Some(Some(leaf)), _) => {
                        out.push('\n');
                        leaf_detail(&mut out, node, leaf, rounding);
                    }
                    (Some(node), _, Some(nr)) => {
                        let points = match (nr.points, nr.max) {
                            (Some(p), Some(m)) => format!("{p} of {m} point(s)"),
                            _ => "excluded: none of its items applies".to_owned(),
                        };
                        let _ = writeln!(out, "\n{} {} — {points}", node.code, node.title);
                    }
                    _ => {}
                }
            }
            let wanted: Vec<&str> = codes.iter().filter_map(|i| set.nodes().get(*i)).map(|n| n.code.as_str()).collect();
            let findings: Vec<_> =
                row.findings.iter().filter(|f| f.criterion.as_deref().is_some_and(|c| wanted.contains(&c))).collect();
            if !findings.is_empty() {
                out.push_str("\nFindings:\n");
                for f in findings {
                    let _ = writeln!(out, "  [{}] {}: {}", f.code, f.criterion.as_deref().unwrap_or(""), f.message);
                }
            }
        }
        None => {
            out.push('\n');
            table(&mut out, set, row, &explanation, &stage_labels, rounding);
            out.push_str("\nFindings:");
            if row.findings.is_empty() {
                out.push_str(" none\n");
            } else {
                out.push('\n');
                for f in &row.findings {
                    match &f.criterion {
                        Some(c) => {
                            let _ = writeln!(out, "  [{}] {c}: {}", f.code, f.message);
                        }
                        None => {
                            let _ = writeln!(out, "  [{}] {}", f.code, f.message);
                        }
                    }
                }
            }
            out.push('\n');
            arithmetic(&mut out, &result, &explanation, row, rounding, &block.classes, ranked);
        }
    }
    Ok(out)
}

/// The node at `root` and every node below it, in document order.
fn subtree(set: &CriteriaSet, root: usize) -> Vec<usize> {
    let mut out = vec![root];
    let mut i = 0;
    while let Some(&n) = out.get(i) {
        if let Some(node) = set.nodes().get(n) {
            out.extend(node.children().iter().map(|c| c.0));
        }
        i += 1;
    }
    out.sort_unstable();
    out
}

fn table(
    out: &mut String,
    set: &CriteriaSet,
    row: &UnitRow,
    explanation: &UnitExplanation,
    stages: &[StageLabel],
    rounding: Rounding,
) {
    let mut header = vec!["criterion".to_owned(), "max".to_owned(), "self".to_owned()];
    header.extend(stages.iter().map(|s| match s {
        StageLabel::Appraisal(n) => format!("appr. {n}"),
        StageLabel::SelfAssessment => "self".to_owned(),
    }));
    header.push("final".to_owned());
    let mut lines: Vec<Vec<String>> = Vec::new();
    for ((node, node_row), leaf) in set.nodes().iter().zip(&row.nodes).zip(&explanation.leaves) {
        let mut cells = vec![format!("{}{} {}", "  ".repeat(node.depth), node.code, shorten(&node.title, 52))];
        if node_row.excluded {
            cells.push(rounding.present(node.max).to_string());
            cells.push(String::new());
            cells.extend(stages.iter().map(|_| String::new()));
            let why = leaf.as_ref().map_or("excluded", |l| match l.decision {
                "not_applicable" => "not applicable",
                "no_survey" => "no survey",
                "nothing_arose_excluded" => "nothing arose",
                _ => "excluded",
            });
            cells.push(why.to_owned());
            lines.push(cells);
            continue;
        }
        cells.push(node_row.max.map(|m| m.to_string()).unwrap_or_default());
        cells.push(node_row.self_points.map(|m| m.to_string()).unwrap_or_default());
        for stage in stages {
            let cell = leaf
                .as_ref()
                .and_then(|l| l.stages.iter().find(|s| s.stage == *stage))
                .map(|s| stage_cell(s, rounding))
                .unwrap_or_default();
            cells.push(cell);
        }
        let mut last = node_row.points.map(|m| m.to_string()).unwrap_or_default();
        if leaf.as_ref().is_some_and(|l| l.source == "survey") {
            last.push_str(" (survey)");
        }
        cells.push(last);
        lines.push(cells);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for l in &lines {
        for (w, c) in widths.iter_mut().zip(l) {
            *w = (*w).max(c.chars().count());
        }
    }
    let render = |cells: &[String]| -> String {
        let parts: Vec<String> = cells.iter().zip(&widths).enumerate().map(|(i, (c, w))| pad(c, *w, i > 0)).collect();
        parts.join("  ").trim_end().to_owned() + "\n"
    };
    out.push_str(&render(&header));
    for l in &lines {
        out.push_str(&render(l));
    }
    out.push_str(
        "(· no change at that stage: the earlier entry stays; excl.: nothing arose, the item leaves the maximum)\n",
    );
}

fn stage_cell(stage: &StageTrace, rounding: Rounding) -> String {
    let mark = match stage.entry {
        "given" => "",
        _ => "·",
    };
    match (stage.points, stage.excluded) {
        (Some(p), _) => format!("{}{mark}", rounding.present(p)),
        (None, true) => format!("excl.{mark}"),
        (None, false) => "–".to_owned(),
    }
}

fn measure_words(m: &Measure) -> String {
    match m {
        Measure::Percent(p) => format!("{p}%"),
        Measure::Count(c) => format!("count {c}"),
        Measure::Number(n) => n.to_string(),
        Measure::Ratio { numerator, denominator, percent } => match percent {
            Some(p) => format!("{numerator}/{denominator} = {p}%"),
            None => format!("{numerator}/{denominator}"),
        },
    }
}

fn interval(from: Option<Decimal>, to: Option<Decimal>, from_inclusive: bool, to_inclusive: bool) -> String {
    let open = if from.is_some() && from_inclusive { '[' } else { '(' };
    let close = if to.is_some() && to_inclusive { ']' } else { ')' };
    let from = from.map_or_else(|| "−∞".to_owned(), |f| f.to_string());
    let to = to.map_or_else(|| "+∞".to_owned(), |t| t.to_string());
    format!("{open}{from}, {to}{close}")
}

/// How the rule scored an input, in words.
pub(crate) fn evaluation_words(t: &RuleTrace) -> String {
    let how = match &t.step {
        RuleStep::YesNo { done } => (if *done { "yes" } else { "no" }).to_owned(),
        RuleStep::Options { key, label } => format!("option {key} “{label}”"),
        RuleStep::Bands { value, band, otherwise } => match (band, otherwise) {
            (Some(b), _) => format!(
                "{} falls in band {} {}",
                measure_words(value),
                b.index + 1,
                interval(b.from, b.to, b.from_inclusive, b.to_inclusive)
            ),
            (None, Some(o)) => format!("{} falls in no band: otherwise {o}", measure_words(value)),
            (None, None) => measure_words(value),
        },
        RuleStep::Proportional { value, zero_below, full_from, applied } => match *applied {
            "zero_below" => format!("{} is below {}%: 0", measure_words(value), zero_below.unwrap_or_default()),
            "full_from" => {
                format!("{} is at or above {}%: full points", measure_words(value), full_from.unwrap_or_default())
            }
            _ => format!("max × {}", measure_words(value)),
        },
        RuleStep::Deduction { count, per } => format!("{count} occurrence(s) × {per} deducted from the maximum"),
        RuleStep::Deadline { done, due, grace_days, late_points, days_late, result } => match (done, *result) {
            (None, _) => "not done: 0".to_owned(),
            (Some(d), "on_time") => format!("done {d}, due {due}: on time"),
            (Some(d), "within_grace") => format!(
                "done {d}, {} day(s) after {due}, within {grace_days} grace day(s): late points {late_points}",
                days_late.unwrap_or_default()
            ),
            (Some(d), _) => format!("done {d}, {} day(s) after {due}: too late", days_late.unwrap_or_default()),
        },
        RuleStep::PerItem { count, per } => format!("{count} occurrence(s) × {per}, at most the maximum"),
        RuleStep::Survey { answer, threshold } => {
            let score = match answer {
                SurveyTrace::Counts { counts, weighted, answers, score, .. } => {
                    let c: Vec<String> =
                        counts.iter().map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or(""))).collect();
                    format!(
                        "answers {}: Σ weight × count {weighted} over {answers} answer(s), score {}",
                        c.join(", "),
                        score.map_or_else(|| "none".to_owned(), exact)
                    )
                }
                SurveyTrace::Mean { mean, scale_min, scale_max, score } => format!(
                    "mean {mean} on {scale_min}–{scale_max}, score {}",
                    score.map_or_else(|| "none".to_owned(), exact)
                ),
                SurveyTrace::Score { score } => format!("score {score}"),
                SurveyTrace::Groups { groups, score } => {
                    let g: Vec<String> = groups
                        .iter()
                        .map(|g| match g.score {
                            Some(s) => format!("{} score {} × weight {}", g.group, exact(s), g.weight),
                            None => format!("{} no answers (left out)", g.group),
                        })
                        .collect();
                    format!(
                        "respondent groups: {}; merged score {}",
                        g.join("; "),
                        score.map_or_else(|| "none".to_owned(), exact)
                    )
                }
            };
            match *threshold {
                Some("zero_below") => format!("{score}, below zero_below: counts 0"),
                Some("full_from") => format!("{score}, at or above full_from: counts 1"),
                _ => score,
            }
        }
        RuleStep::Formula { choice, expression, variables, division_by_zero, refs, .. } => {
            let vars: Vec<String> = variables
                .iter()
                .chain(refs.iter())
                .map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or("")))
                .collect();
            let choice = choice.as_ref().map(|c| format!(" (choice {c})")).unwrap_or_default();
            let dz = if *division_by_zero { ", divides by zero" } else { "" };
            format!("formula {expression}{choice} with {}{dz}", vars.join(", "))
        }
    };
    let raw = match (t.unclamped, t.points) {
        (Some(u), Some(p)) if u == p => format!(" = {}", exact(u)),
        (Some(u), _) => format!(" = {}, clamped", exact(u)),
        _ => String::new(),
    };
    match t.points {
        Some(p) => format!("{how}{raw} → {} point(s)", exact(p)),
        None => format!("{how} → nothing arose"),
    }
}

fn leaf_detail(out: &mut String, node: &crate::Node, leaf: &LeafExplanation, rounding: Rounding) {
    let _ = writeln!(out, "{} {}", node.code, node.title);
    if let Some(rule) = node.leaf() {
        let _ = writeln!(out, "  max {} · {}", node.max, rule.rule.describe(node.max));
    }
    let _ = writeln!(out, "  source {} · nothing arose: {}", leaf.source, leaf.not_arising_policy);
    if leaf.source == "appraisal" {
        out.push_str(
            "  scored by the appraisal council only: the unit does not self-score it, and it has no self points\n",
        );
    }
    if leaf.source == "derived" {
        out.push_str("  derived: computed at every stage from the items it references; it takes no entries\n");
    }
    if leaf.evidence_required {
        out.push_str("  evidence is required: a self entry without evidence (a note is not enough) is worth 0\n");
    }
    if let Some(c) = leaf.counts {
        let _ = writeln!(out, "  counts as {c} points, outside the maximum");
    }
    if let Some(a) = &leaf.applies_to {
        let tags = if a.unit_tags.is_empty() { "none".to_owned() } else { a.unit_tags.join(", ") };
        let _ = writeln!(
            out,
            "  excluded: {} applies only to units tagged {}; the unit's tags: {tags}",
            a.node,
            a.wants.join(" or ")
        );
    }
    if leaf.decision == "no_survey" {
        out.push_str("  excluded: the block holds no survey\n");
    }
    for s in &leaf.stages {
        let label = if s.is_final { format!("{}, final", s.stage) } else { s.stage.to_string() };
        let what = match s.entry {
            "none" => "no entry".to_owned(),
            "derived" => {
                let how = s.evaluation.as_ref().map(evaluation_words).unwrap_or_default();
                format!("computed from its references: {how}")
            }
            "carried_over" if s.evaluation.is_some() => format!(
                "no change: the earlier entry stays, evaluated again with this stage's references: {}",
                s.evaluation.as_ref().map(evaluation_words).unwrap_or_default()
            ),
            "carried_over" => "no change: the earlier entry stays".to_owned(),
            _ => {
                let mut parts = Vec::new();
                if s.not_arising {
                    parts.push("declares nothing arose (không phát sinh)".to_owned());
                }
                if let Some(e) = &s.evaluation {
                    parts.push(evaluation_words(e));
                }
                if let Some(g) = s.points_given {
                    if s.evaluation.is_some() {
                        parts.push(format!("{g} point(s) entered (the input counts)"));
                    } else {
                        parts.push(format!("{g} point(s) entered"));
                    }
                }
                parts.join("; ")
            }
        };
        let after = match (s.points, s.excluded) {
            (Some(p), _) => format!(" ⇒ {}", rounding.present(p)),
            (None, true) => " ⇒ excluded".to_owned(),
            (None, false) => String::new(),
        };
        let _ = writeln!(out, "  {label}: {what}{after}");
        if s.without_required_evidence {
            out.push_str(
                "      no evidence listed where this item requires it: the self entry is worth 0 (SPEC §11.5)\n",
            );
        }
        if let Some(r) = &s.reason {
            let _ = writeln!(out, "      reason: {r}");
        }
        if let Some(by) = &s.by {
            let _ = writeln!(out, "      appraised by: {by}");
        }
        if s.explain {
            out.push_str("      the unit is asked to explain (yêu cầu giải trình)\n");
        }
        for e in &s.evidence {
            match &e.reference {
                Some(r) => {
                    let _ = writeln!(out, "      evidence: {} ({r})", e.title);
                }
                None => {
                    let _ = writeln!(out, "      evidence: {}", e.title);
                }
            }
            if let Some(f) = &e.file {
                let _ = writeln!(out, "        file: {f}");
            }
        }
        if let Some(n) = &s.note {
            let _ = writeln!(out, "      note: {n}");
        }
    }
    if let Some(sv) = &leaf.survey {
        match &sv.evaluation {
            Some(e) => {
                let _ = writeln!(out, "  survey: {}", evaluation_words(e));
            }
            None => {
                let _ = writeln!(out, "  survey: {}", sv.answer);
            }
        }
    }
    if let Some(x) = &leaf.explanation {
        let _ = writeln!(out, "  explanation (giải trình): {}", x.note.as_deref().unwrap_or(""));
        for e in &x.evidence {
            let _ = writeln!(out, "      evidence: {}", e.title);
        }
    }
    let decision = match leaf.decision {
        "scored" if leaf.source == "survey" => "scored from the survey result",
        "scored" if leaf.source == "derived" => "computed from its references at the last stage",
        "missing_entry" if leaf.counts.is_some() => "no entry at any stage: 0 (nothing to report)",
        "missing_entry" if leaf.source == "appraisal" && leaf.stages.is_empty() => "no appraisal yet: 0",
        "scored" => "scored from the entry in effect at the last stage",
        "nothing_arose_full" => "nothing arose, and this item then earns full points",
        "nothing_arose_excluded" => "nothing arose, and this item then leaves the maximum",
        "missing_entry" => "no entry at any stage: 0 (finding missing_entry)",
        "missing_survey" => "no survey result: 0 (finding missing_survey)",
        "not_applicable" => "not applicable to this unit",
        "no_survey" => "no survey held in this block",
        other => other,
    };
    let points = match (leaf.self_points, leaf.points) {
        (Some(s), Some(p)) => format!(": self {}, final {}", rounding.present(s), rounding.present(p)),
        (None, Some(p)) => format!(": final {}", rounding.present(p)),
        _ => String::new(),
    };
    let _ = writeln!(out, "  ⇒ {decision}{points}");
    // SPEC §6.2: a self entry that said nothing arose is worth 0 at the self stage once a later
    // stage scores the item, whatever the stage line above shows for the entry itself.
    let self_said_nothing_arose =
        leaf.stages.first().is_some_and(|s| s.stage == StageLabel::SelfAssessment && s.not_arising);
    let later_scored = leaf.stages.iter().skip(1).any(|s| s.entry == "given" && !s.not_arising);
    if self_said_nothing_arose && later_scored && leaf.self_points.is_some_and(|p| p.is_zero()) {
        let _ = writeln!(
            out,
            "    (self 0: the self-assessment said nothing arose, but a later stage scored the item — SPEC §6.2)"
        );
    }
}

fn arithmetic(
    out: &mut String,
    result: &UnitResult,
    explanation: &UnitExplanation,
    row: &UnitRow,
    rounding: Rounding,
    classes: &[crate::ClassBand],
    ranked: usize,
) {
    out.push_str("Totals (exact, rounded only when shown in the table):\n");
    let _ = writeln!(out, "  self total        {}  (Σ self points of assessed leaves)", exact(result.self_total));
    let _ = writeln!(out, "  appraised total   {}  (Σ final points of assessed leaves)", exact(result.appraised_total));
    let _ = writeln!(out, "  survey total      {}  (Σ points of survey leaves)", exact(result.survey_total));
    for (name, a) in [("bonus", &explanation.bonus), ("penalty", &explanation.penalty)] {
        let items: Vec<String> = a.items.iter().map(|i| format!("{} “{}”", i.points, i.reason)).collect();
        let from = match a.from {
            Some(StageLabel::SelfAssessment) => " from the self-assessment".to_owned(),
            Some(StageLabel::Appraisal(n)) => format!(" from appraisal {n}"),
            None => String::new(),
        };
        if let Some(c) = a.criteria {
            let _ = writeln!(
                out,
                "  {name:<17} {}  (list{from}: {}; Σ {}; {name} criteria {}; cap {})",
                exact(a.effective),
                if items.is_empty() { "none".to_owned() } else { items.join(" + ") },
                exact(a.sum),
                exact(c),
                exact(a.cap)
            );
        } else if items.is_empty() {
            let _ = writeln!(out, "  {name:<17} 0");
        } else {
            let _ = writeln!(
                out,
                "  {name:<17} {}  (list{from}: {}; Σ {}, cap {})",
                exact(a.effective),
                items.join(" + "),
                exact(a.sum),
                exact(a.cap)
            );
        }
    }
    let sum = result.appraised_total + result.survey_total + result.bonus - result.penalty;
    let _ = writeln!(
        out,
        "  total = {} + {} + {} − {} = {}{}",
        exact(result.appraised_total),
        exact(result.survey_total),
        exact(result.bonus),
        exact(result.penalty),
        exact(sum),
        if sum == result.total {
            format!(", within [0, {}]", exact(result.max))
        } else {
            format!(", clamped to [0, {}]: {}", exact(result.max), exact(result.total))
        }
    );
    let _ = writeln!(
        out,
        "  index = {} × 100 ÷ {} = {} → {} ({} decimal(s), {})",
        exact(result.total),
        exact(result.max),
        exact(result.index()),
        row.index,
        rounding.decimals,
        rounding.mode.as_str()
    );
    let band = class_band(classes, row.index).and_then(|i| classes.get(i));
    let mut class = match band {
        Some(b) => {
            format!("  class: {} {} {} → {}", row.index, if b.from_inclusive { "≥" } else { ">" }, b.from, b.label)
        }
        None => format!("  class: {} meets no class bound → no class", row.index),
    };
    if let Some(cap) = &result.class_cap {
        class.push_str(&format!("; capped at {cap} → {}", row.class.as_deref().unwrap_or("no class")));
    }
    let _ = writeln!(out, "{class}");
    match row.rank {
        Some(r) => {
            let _ = writeln!(out, "  rank: {r} of {ranked} ranked unit(s) in the block");
        }
        None => out.push_str("  rank: the unit is not ranked\n"),
    }
}
