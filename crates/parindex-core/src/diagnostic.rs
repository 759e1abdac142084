//! Diagnostics: the errors and findings of SPEC §10, each with its stable code.
//!
//! Every loader in parindex collects [`Diagnostic`]s instead of stopping at the first problem,
//! so that a user sees every mistake in a document at once.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The stable codes of SPEC §10: errors (input is not scored) and findings (scored, reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is the SPEC code of the same name
pub enum Code {
    BadDecimal,
    DuplicateCode,
    BadCode,
    GroupMaxMismatch,
    MaxNotPositive,
    UnknownRuleKind,
    BandOverlap,
    BandPointsOverMax,
    OptionPointsOverMax,
    FormulaSyntax,
    FormulaUnknownName,
    FormulaArity,
    ClassBoundsOrder,
    UnknownBlock,
    UnknownCriteriaSet,
    DuplicateUnit,
    UnknownUnit,
    UnknownCriterion,
    NotALeaf,
    InputType,
    PointsOverMax,
    PointsNegative,
    PointsNotAttainable,
    StepMismatch,
    SurveySelfScored,
    NotASurveyItem,
    NotArisingForbidden,
    MissingReason,
    RatioOverOne,
    UnknownOption,
    FormulaMissingVariable,
    AdjustmentNotAllowed,
    DuplicateStage,
    UnknownClass,
    BadDate,
    DuplicateAssessment,
    /// Finding: an applicable assessed leaf with no effective entry.
    MissingEntry,
    /// Finding: a survey leaf with no survey result in a block that holds a survey.
    MissingSurvey,
    /// Finding: an entry's given points differ from the points its input yields.
    PointsMismatch,
    /// Finding: self-claimed points without evidence or a note.
    NoEvidence,
    /// Finding: the self-assessment was submitted after the deadline.
    LateSubmission,
}

impl Code {
    /// The code as written in SPEC §10 (`"bad_decimal"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadDecimal => "bad_decimal",
            Code::DuplicateCode => "duplicate_code",
            Code::BadCode => "bad_code",
            Code::GroupMaxMismatch => "group_max_mismatch",
            Code::MaxNotPositive => "max_not_positive",
            Code::UnknownRuleKind => "unknown_rule_kind",
            Code::BandOverlap => "band_overlap",
            Code::BandPointsOverMax => "band_points_over_max",
            Code::OptionPointsOverMax => "option_points_over_max",
            Code::FormulaSyntax => "formula_syntax",
            Code::FormulaUnknownName => "formula_unknown_name",
            Code::FormulaArity => "formula_arity",
            Code::ClassBoundsOrder => "class_bounds_order",
            Code::UnknownBlock => "unknown_block",
            Code::UnknownCriteriaSet => "unknown_criteria_set",
            Code::DuplicateUnit => "duplicate_unit",
            Code::UnknownUnit => "unknown_unit",
            Code::UnknownCriterion => "unknown_criterion",
            Code::NotALeaf => "not_a_leaf",
            Code::InputType => "input_type",
            Code::PointsOverMax => "points_over_max",
            Code::PointsNegative => "points_negative",
            Code::PointsNotAttainable => "points_not_attainable",
            Code::StepMismatch => "step_mismatch",
            Code::SurveySelfScored => "survey_self_scored",
            Code::NotASurveyItem => "not_a_survey_item",
            Code::NotArisingForbidden => "not_arising_forbidden",
            Code::MissingReason => "missing_reason",
            Code::RatioOverOne => "ratio_over_one",
            Code::UnknownOption => "unknown_option",
            Code::FormulaMissingVariable => "formula_missing_variable",
            Code::AdjustmentNotAllowed => "adjustment_not_allowed",
            Code::DuplicateStage => "duplicate_stage",
            Code::UnknownClass => "unknown_class",
            Code::BadDate => "bad_date",
            Code::DuplicateAssessment => "duplicate_assessment",
            Code::MissingEntry => "missing_entry",
            Code::MissingSurvey => "missing_survey",
            Code::PointsMismatch => "points_mismatch",
            Code::NoEvidence => "no_evidence",
            Code::LateSubmission => "late_submission",
        }
    }

    /// True for the findings of SPEC §10 (reported, but the unit is still scored).
    pub fn is_finding(self) -> bool {
        matches!(
            self,
            Code::MissingEntry | Code::MissingSurvey | Code::PointsMismatch | Code::NoEvidence | Code::LateSubmission
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one document: what (code, message), where (file, JSON Pointer) and which
/// criterion it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.render())]
pub struct Diagnostic {
    /// The stable code of SPEC §10.
    pub code: Code,
    /// The file, relative to the round folder, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// A JSON Pointer (RFC 6901) into the file: `""` is the whole document.
    pub path: String,
    /// The criterion code the problem concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// A sentence a Sở Nội vụ officer understands.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `path` with no criterion and no file.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { code, file: None, path: path.into(), criterion: None, message: message.into() }
    }

    /// The same diagnostic, naming `criterion`.
    #[must_use]
    pub fn with_criterion(mut self, criterion: impl Into<String>) -> Self {
        self.criterion = Some(criterion.into());
        self
    }

    /// The same diagnostic, naming `file` (kept if already set).
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    /// One line: `file:/json/pointer [code] criterion: message`.
    pub fn render(&self) -> String {
        let mut line = String::new();
        if let Some(file) = &self.file {
            line.push_str(file);
            line.push(':');
        }
        line.push_str(if self.path.is_empty() { "/" } else { &self.path });
        line.push_str(" [");
        line.push_str(self.code.as_str());
        line.push(']');
        if let Some(criterion) = &self.criterion {
            line.push(' ');
            line.push_str(criterion);
        }
        line.push_str(": ");
        line.push_str(&self.message);
        line
    }
}

/// How many problems a [`Diagnostics`] keeps in full; past them, problems are only counted
/// by code, so that a document with millions of mistakes cannot take gigabytes to describe
/// them (docs/limits.md).
pub const MAX_KEPT: usize = 10_000;

/// Every problem found in one or more documents, in the order found: the first
/// [`MAX_KEPT`] in full, the rest counted by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} problem(s); first: {}", self.len(), .errors.first().map(Diagnostic::render).unwrap_or_default())]
pub struct Diagnostics {
    /// The problems (at most [`MAX_KEPT`] through [`Diagnostics::push`]).
    pub errors: Vec<Diagnostic>,
    /// Problems found past the first [`MAX_KEPT`]: how many of each code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub omitted: BTreeMap<Code, usize>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds one problem: kept in full while fewer than [`MAX_KEPT`] are, else counted.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.errors.len() < MAX_KEPT {
            self.errors.push(diagnostic);
        } else {
            *self.omitted.entry(diagnostic.code).or_insert(0) += 1;
        }
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        if self.errors.is_empty() && self.omitted.is_empty() {
            *self = other;
            return;
        }
        for d in other.errors {
            self.push(d);
        }
        for (code, n) in other.omitted {
            *self.omitted.entry(code).or_insert(0) += n;
        }
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.omitted.is_empty()
    }

    /// How many problems, counted ones included.
    pub fn len(&self) -> usize {
        self.errors.len() + self.omitted.values().sum::<usize>()
    }

    /// The first `shown` problems in full and the rest counted by code: what a person is
    /// shown of a long list (the CLI shows 1,000).
    pub fn truncated(&self, shown: usize) -> Diagnostics {
        let mut omitted = self.omitted.clone();
        for d in self.errors.iter().skip(shown) {
            *omitted.entry(d.code).or_insert(0) += 1;
        }
        Diagnostics { errors: self.errors.iter().take(shown).cloned().collect(), omitted }
    }

    /// Names `file` on every problem that names no file yet.
    #[must_use]
    pub fn in_file(mut self, file: &str) -> Self {
        for d in &mut self.errors {
            if d.file.is_none() {
                d.file = Some(file.to_owned());
            }
        }
        self
    }

    /// `Ok(value)` if nothing was found, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { errors: vec![d], omitted: BTreeMap::new() }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_line_with_file_pointer_code_and_criterion() {
        let d = Diagnostic::new(Code::BadDecimal, "/self/entries/1.1/points", "write 0.5")
            .with_criterion("1.1")
            .in_file("assessments/so-a.json");
        assert_eq!(d.render(), "assessments/so-a.json:/self/entries/1.1/points [bad_decimal] 1.1: write 0.5");
    }

    #[test]
    fn past_the_kept_problems_only_counts_remain() {
        let mut diags = Diagnostics::new();
        for i in 0..MAX_KEPT + 5 {
            let code = if i % 2 == 0 { Code::UnknownCriterion } else { Code::BadDecimal };
            diags.push(Diagnostic::new(code, format!("/entries/{i}"), "no"));
        }
        assert_eq!(diags.errors.len(), MAX_KEPT);
        assert_eq!(diags.len(), MAX_KEPT + 5);
        let mut all = Diagnostics::from(Diagnostic::new(Code::InputType, "", "first"));
        all.extend(diags);
        assert_eq!(all.len(), MAX_KEPT + 6);
        let shown = all.truncated(3);
        assert_eq!(shown.errors.len(), 3);
        assert_eq!(shown.len(), all.len());
        // 5,002 bad decimals in all, one of them among the three shown.
        assert_eq!(shown.omitted.get(&Code::BadDecimal).copied(), Some(5_001));
        let json = serde_json::to_value(&shown).unwrap_or_default();
        assert!(json["omitted"]["unknown_criterion"].is_u64(), "{json}");
        let none = serde_json::to_string(&Diagnostics::new()).unwrap_or_default();
        assert_eq!(none, r#"{"errors":[]}"#);
    }

    #[test]
    fn code_serializes_as_spec_text() {
        for code in [Code::BadDecimal, Code::NotALeaf, Code::LateSubmission, Code::FormulaArity] {
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert!(Code::NoEvidence.is_finding());
        assert!(!Code::InputType.is_finding());
    }
}
