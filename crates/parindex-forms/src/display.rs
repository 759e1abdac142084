//! What an appraisal sheet shows of the unit's entries in effect before its stage: the input
//! as an officer would have typed it, and the points it earned.

use parindex_assess::{Assessment, Entry, EntryValue, StageLabel, UnitContext, UnitExplanation, explain_unit};
use parindex_core::rule::{Outcome, Rule};
use parindex_core::{CriteriaSet, Date, Decimal, Input, NodeId, NotArisingPolicy};

use crate::layout::{NO, NOT_DONE, RowKind, YES};

/// A value shown in a read-only cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing.
    Blank,
    /// Text.
    Text(String),
    /// A number.
    Number(Decimal),
    /// A date.
    Date(Date),
}

/// The effective entry of one leaf before a stage, as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Before {
    /// The leaf row's input cell.
    pub input: Shown,
    /// The points it earned.
    pub points: Shown,
    /// The values of the leaf's detail rows (numerator, denominator, choice, variables).
    pub details: Vec<(RowKind, Shown)>,
}

/// The entry in effect for `leaf` before appraisal stage `stage`: the latest of the self entry
/// and the entries of earlier stages.
pub fn entry_before(assessment: &Assessment, leaf: NodeId, stage: u32) -> Option<&Entry> {
    assessment
        .appraisals
        .iter()
        .rev()
        .filter(|a| a.stage < stage)
        .find_map(|a| a.entries.get(&leaf))
        .or_else(|| assessment.self_entry(leaf))
}

/// What the sheet shows for `leaf` before `stage`.
pub fn before(assessment: &Assessment, set: &CriteriaSet, leaf: NodeId, stage: u32) -> Before {
    let blank = Before { input: Shown::Blank, points: Shown::Blank, details: Vec::new() };
    let Some((node, l)) = set.node(leaf).and_then(|n| n.leaf().map(|l| (n, l))) else { return blank };
    let Some(entry) = entry_before(assessment, leaf, stage) else {
        return Before { input: Shown::Text("(chưa có)".to_owned()), ..blank };
    };
    let not_arising_points = match l.not_arising {
        NotArisingPolicy::Full => Shown::Number(node.max),
        NotArisingPolicy::Exclude | NotArisingPolicy::Forbidden => Shown::Blank,
    };
    match &entry.value {
        EntryValue::NotArising => {
            Before { input: Shown::Text("Không phát sinh".to_owned()), points: not_arising_points, details: vec![] }
        }
        EntryValue::Scored { input, given_points, outcome } => {
            let points = match outcome {
                Outcome::Points(p) => Shown::Number(*p),
                Outcome::NotArising => not_arising_points,
            };
            let Some(input) = input else {
                let points = given_points.map_or(points, Shown::Number);
                return Before { input: Shown::Blank, points, details: vec![] };
            };
            let (shown, details) = show_input(&l.rule, input);
            Before { input: shown, points, details }
        }
    }
}

fn show_input(rule: &Rule, input: &Input) -> (Shown, Vec<(RowKind, Shown)>) {
    match input {
        Input::YesNo(b) => (Shown::Text(if *b { YES } else { NO }.to_owned()), vec![]),
        Input::Choice(key) => {
            let label = match rule {
                Rule::Options { options } => options.iter().find(|o| &o.key == key).map(|o| o.label.clone()),
                _ => None,
            };
            (Shown::Text(label.unwrap_or_else(|| key.clone())), vec![])
        }
        Input::Value(d) | Input::Count(d) => (Shown::Number(*d), vec![]),
        Input::Ratio { numerator, denominator } => (
            Shown::Text(format!("{numerator}/{denominator}")),
            vec![(RowKind::Numerator, Shown::Number(*numerator)), (RowKind::Denominator, Shown::Number(*denominator))],
        ),
        Input::Date(Some(d)) => (Shown::Date(*d), vec![]),
        Input::Date(None) => (Shown::Text(NOT_DONE.to_owned()), vec![]),
        Input::Variables { choice, values } => {
            let mut details = Vec::new();
            if let Rule::Formula(f) = rule {
                if let Some(names) = &f.choice_names {
                    let name = names.get(*choice).cloned().unwrap_or_default();
                    details.push((RowKind::Choice, Shown::Text(name)));
                }
            }
            for (slot, v) in values.iter().enumerate() {
                details.push((RowKind::Variable(slot), v.map_or(Shown::Blank, Shown::Number)));
            }
            (Shown::Blank, details)
        }
        Input::Survey(_) => (Shown::Blank, vec![]),
    }
}

/// The engine's points of every leaf at every stage of a unit's assessment, for what a form
/// shows: a derived item's value, and the points in effect before an appraisal stage where
/// refs (SPEC §11.3) or required evidence (§11.5) make them differ from the entry's own.
#[derive(Debug)]
pub struct StagePoints {
    explanation: UnitExplanation,
}

impl StagePoints {
    /// Scores `assessment` (loaded against `set`) for a unit with `tags`.
    pub fn new(set: &CriteriaSet, unit: &str, tags: &[String], assessment: &Assessment) -> StagePoints {
        let ctx = UnitContext { unit, tags, survey_held: false, self_deadline: None };
        let (_, explanation) = explain_unit(set, &ctx, Some(assessment));
        StagePoints { explanation }
    }

    /// The leaf's points in effect before appraisal stage `stage`, or at the self stage when
    /// `stage` is 0; `None` when it has none then (no entry yet, or excluded).
    pub fn before(&self, leaf: NodeId, stage: u32) -> Option<Decimal> {
        let e = self.explanation.leaves.get(leaf.0)?.as_ref()?;
        let wanted = |l: StageLabel| match l {
            StageLabel::SelfAssessment => true,
            StageLabel::Appraisal(k) => stage > 0 && k < stage,
        };
        e.stages.iter().rev().find(|t| wanted(t.stage)).and_then(|t| t.points)
    }
}

/// The unit's evidence for a leaf, one document per line, as the council reads it on an
/// appraisal sheet: the self-assessment entry's documents, then those of the unit's
/// explanation (giải trình). A document shows its title, its reference after " | ", and a
/// stored file as "tệp: " and the first 12 hex digits of its digest.
pub fn unit_evidence(base: &parindex_assess::Assessment, id: parindex_core::NodeId) -> String {
    let line = |e: parindex_assess::Evidence<'_>| {
        let mut text = e.title.to_owned();
        if let Some(r) = e.ref_ {
            text.push_str(&format!(" | {r}"));
        }
        if let Some(f) = e.file {
            let hex = f.strip_prefix("sha256:").unwrap_or(f);
            let short: String = hex.chars().take(12).collect();
            text.push_str(&format!(" (tệp: {short})"));
        }
        text
    };
    let mut lines: Vec<String> = Vec::new();
    if let Some(entry) = base.self_stage.as_ref().and_then(|s| s.entries.get(&id)) {
        lines.extend(entry.evidence.iter().map(line));
    }
    if let Some(x) = base.explanations.get(&id) {
        lines.extend(x.evidence.iter().map(|e| format!("Giải trình: {}", line(e))));
    }
    lines.join("\n")
}
