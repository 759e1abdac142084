//! Diagnostics: the errors and findings of SPEC §10, each with its stable code.
//!
//! Every loader in parindex collects [`Diagnostic`]s instead of stopping at the first problem,
//! so that a user sees every mistake in a document at once.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::locale::Locale;

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
    /// SPEC §11.1: `counts` somewhere other than a top-level node, or a survey item under one.
    BadCounts,
    /// SPEC §11.3: references that form a cycle.
    ReferenceCycle,
    /// SPEC §11.3: an entry for a derived item.
    DerivedEntry,
    /// SPEC §11.4: survey group weights that are not above 0 or do not sum to 1.
    GroupWeightsSum,
    /// SPEC §11.6: a self entry for an item only the council scores.
    AppraisalItemSelfScored,
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
            Code::BadCounts => "bad_counts",
            Code::ReferenceCycle => "reference_cycle",
            Code::DerivedEntry => "derived_entry",
            Code::GroupWeightsSum => "group_weights_sum",
            Code::AppraisalItemSelfScored => "appraisal_item_self_scored",
            Code::MissingEntry => "missing_entry",
            Code::MissingSurvey => "missing_survey",
            Code::PointsMismatch => "points_mismatch",
            Code::NoEvidence => "no_evidence",
            Code::LateSubmission => "late_submission",
        }
    }

    /// Every code, in the order of SPEC §10.
    pub const ALL: [Code; 46] = [
        Code::BadDecimal,
        Code::DuplicateCode,
        Code::BadCode,
        Code::GroupMaxMismatch,
        Code::MaxNotPositive,
        Code::UnknownRuleKind,
        Code::BandOverlap,
        Code::BandPointsOverMax,
        Code::OptionPointsOverMax,
        Code::FormulaSyntax,
        Code::FormulaUnknownName,
        Code::FormulaArity,
        Code::ClassBoundsOrder,
        Code::UnknownBlock,
        Code::UnknownCriteriaSet,
        Code::DuplicateUnit,
        Code::UnknownUnit,
        Code::UnknownCriterion,
        Code::NotALeaf,
        Code::InputType,
        Code::PointsOverMax,
        Code::PointsNegative,
        Code::PointsNotAttainable,
        Code::StepMismatch,
        Code::SurveySelfScored,
        Code::NotASurveyItem,
        Code::NotArisingForbidden,
        Code::MissingReason,
        Code::RatioOverOne,
        Code::UnknownOption,
        Code::FormulaMissingVariable,
        Code::AdjustmentNotAllowed,
        Code::DuplicateStage,
        Code::UnknownClass,
        Code::BadDate,
        Code::DuplicateAssessment,
        Code::BadCounts,
        Code::ReferenceCycle,
        Code::DerivedEntry,
        Code::GroupWeightsSum,
        Code::AppraisalItemSelfScored,
        Code::MissingEntry,
        Code::MissingSurvey,
        Code::PointsMismatch,
        Code::NoEvidence,
        Code::LateSubmission,
    ];

    /// The Vietnamese sentence for this code, and whether the specific detail of a problem
    /// (the figures, names and reasons its English message carries) should follow it.
    ///
    /// An exhaustive match: a new code does not compile until it has its sentence.
    pub fn vi_template(self) -> (&'static str, bool) {
        match self {
            Code::BadDecimal => ("số thập phân không hợp lệ: viết chữ số, dấu thập phân là dấu chấm (ví dụ 0.5)", true),
            Code::DuplicateCode => ("mã tiêu chí bị trùng", true),
            Code::BadCode => ("mã tiêu chí không đúng dạng", true),
            Code::GroupMaxMismatch => {
                ("điểm tối đa của nhóm tiêu chí không bằng tổng điểm tối đa của các tiêu chí con", true)
            }
            Code::MaxNotPositive => ("điểm tối đa phải lớn hơn 0", true),
            Code::UnknownRuleKind => ("cách chấm điểm (kind) không có trong đặc tả", true),
            Code::BandOverlap => ("các khoảng giá trị của cách chấm theo khoảng chồng lên nhau", true),
            Code::BandPointsOverMax => ("điểm của một khoảng giá trị vượt quá điểm tối đa của tiêu chí", true),
            Code::OptionPointsOverMax => ("điểm của một phương án vượt quá điểm tối đa của tiêu chí", true),
            Code::FormulaSyntax => ("công thức viết sai cú pháp", true),
            Code::FormulaUnknownName => {
                ("công thức dùng một tên không phải biến, tham chiếu hay hàm đã khai báo", true)
            }
            Code::FormulaArity => ("một hàm trong công thức được gọi với số đối số không đúng", true),
            Code::ClassBoundsOrder => ("ngưỡng các mức xếp loại phải giảm dần", true),
            Code::UnknownBlock => ("khối (nhóm đơn vị) không có trong kỳ đánh giá", true),
            Code::UnknownCriteriaSet => ("không tìm thấy bộ tiêu chí được chỉ định", true),
            Code::DuplicateUnit => ("đơn vị được khai báo hai lần", true),
            Code::UnknownUnit => ("đơn vị không có trong kỳ đánh giá", true),
            Code::UnknownCriterion => ("tiêu chí không có trong bộ tiêu chí", true),
            Code::NotALeaf => ("đây là nhóm tiêu chí: chỉ chấm điểm cho tiêu chí thành phần", true),
            Code::InputType => ("dữ liệu không đúng kiểu hoặc không đọc được", true),
            Code::PointsOverMax => ("điểm vượt quá điểm tối đa của tiêu chí", true),
            Code::PointsNegative => ("điểm không được âm", true),
            Code::PointsNotAttainable => ("cách chấm của tiêu chí không cho ra số điểm này", true),
            Code::StepMismatch => ("điểm phải là bội số của bước điểm quy định", true),
            Code::SurveySelfScored => ("tiêu chí điều tra xã hội học không được tự chấm", true),
            Code::NotASurveyItem => {
                ("có kết quả điều tra cho một tiêu chí không phải tiêu chí điều tra xã hội học", true)
            }
            Code::NotArisingForbidden => ("tiêu chí này không được khai “không phát sinh”", true),
            Code::MissingReason => ("thay đổi điểm khi thẩm định phải ghi lý do", true),
            Code::RatioOverOne => ("tỷ lệ lớn hơn 1: tử số lớn hơn mẫu số", true),
            Code::UnknownOption => ("phương án không có trong các phương án của tiêu chí", true),
            Code::FormulaMissingVariable => ("thiếu giá trị của một biến trong công thức", true),
            Code::AdjustmentNotAllowed => ("bộ tiêu chí không có điểm thưởng hoặc điểm trừ này", true),
            Code::DuplicateStage => ("một vòng thẩm định được ghi hai lần", true),
            Code::UnknownClass => ("mức xếp loại không có trong các mức xếp loại của khối", true),
            Code::BadDate => ("ngày không hợp lệ: viết theo dạng năm-tháng-ngày, ví dụ 2024-01-15", true),
            Code::DuplicateAssessment => ("đơn vị có hơn một hồ sơ đánh giá", true),
            Code::BadCounts => (
                "khai báo “counts” chỉ dùng cho lĩnh vực cấp cao nhất và không chứa tiêu chí điều tra xã hội học",
                true,
            ),
            Code::ReferenceCycle => ("các tiêu chí tham chiếu lẫn nhau thành vòng", true),
            Code::DerivedEntry => ("tiêu chí này được tính từ các tiêu chí khác: không nhập điểm", true),
            Code::GroupWeightsSum => ("trọng số các nhóm đối tượng điều tra phải lớn hơn 0 và có tổng bằng 1", true),
            Code::AppraisalItemSelfScored => ("tiêu chí này do Hội đồng thẩm định chấm: đơn vị không tự chấm", true),
            Code::MissingEntry => ("chưa có điểm cho tiêu chí này: tính 0 điểm", false),
            Code::MissingSurvey => ("chưa có kết quả điều tra xã hội học cho tiêu chí này: tính 0 điểm", false),
            Code::PointsMismatch => ("điểm ghi khác với điểm tính từ số liệu đã nhập: tính theo số liệu", true),
            Code::NoEvidence => ("tự chấm điểm nhưng không có tài liệu kiểm chứng hoặc ghi chú", true),
            Code::LateSubmission => ("hồ sơ tự đánh giá nộp sau thời hạn", true),
        }
    }

    /// The message of a problem of this code for a person reading `locale`: in English the
    /// message as the engine wrote it (`detail`); in Vietnamese the detail wholly in Vietnamese
    /// where its shape is known (the figures and names placed in a Vietnamese sentence), else
    /// the code's sentence, followed by the detail in brackets where it carries figures or names.
    pub fn message(self, detail: &str, locale: Locale) -> String {
        match locale {
            Locale::En => detail.to_owned(),
            Locale::Vi => {
                let translated = crate::vi_detail::translate(detail);
                let (sentence, with_detail) = match &translated {
                    Some(whole) => (whole.as_str(), false),
                    None => self.vi_template(),
                };
                let mut text = String::with_capacity(sentence.len() + detail.len() + 3);
                let mut chars = sentence.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
                if with_detail && !detail.is_empty() {
                    text.push_str(" (");
                    text.push_str(detail);
                    text.push(')');
                }
                text
            }
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

/// One problem in one document: what (code, message), where (file, and a JSON Pointer or a
/// workbook cell) and which criterion it concerns.
///
/// In JSON (SPEC §10) it is `{"code", "file"?, "path", "criterion"?, "message"}`; a problem in
/// a workbook cell has `"cell"` (`"'Tự đánh giá'!F12"`) in place of `"path"`. As a line it is
/// `file:/json/pointer [code] criterion: message`, or `file: 'Sheet'!F12 [code] …` for a cell.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, thiserror::Error)]
#[serde(from = "DiagnosticFields")]
#[error("{}", self.render())]
pub struct Diagnostic {
    /// The stable code of SPEC §10.
    pub code: Code,
    /// The file, relative to the round folder, when known.
    pub file: Option<String>,
    /// A JSON Pointer (RFC 6901) into the file: `""` is the whole document. Empty, and not
    /// written, when the problem is in a workbook [`cell`](Diagnostic::cell).
    pub path: String,
    /// The workbook cell or range the problem is in, named as a spreadsheet formula names it,
    /// its sheet quoted when the sheet's name needs it: `'Tự đánh giá'!F12`, `'Tự đánh giá'!E12:F12`.
    /// `None` for a problem in a JSON document (then [`path`](Diagnostic::path) says where).
    pub cell: Option<String>,
    /// The criterion code the problem concerns, if any.
    pub criterion: Option<String>,
    /// A sentence a Sở Nội vụ officer understands.
    pub message: String,
}

/// A [`Diagnostic`] as read from JSON (`path` or `cell`).
#[derive(Deserialize)]
struct DiagnosticFields {
    code: Code,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    path: String,
    #[serde(default)]
    cell: Option<String>,
    #[serde(default)]
    criterion: Option<String>,
    message: String,
}

impl From<DiagnosticFields> for Diagnostic {
    fn from(f: DiagnosticFields) -> Self {
        let path = if f.cell.is_some() { String::new() } else { f.path };
        Diagnostic { code: f.code, file: f.file, path, cell: f.cell, criterion: f.criterion, message: f.message }
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = 3 + usize::from(self.file.is_some()) + usize::from(self.criterion.is_some());
        let mut s = serializer.serialize_struct("Diagnostic", fields)?;
        s.serialize_field("code", &self.code)?;
        match &self.file {
            Some(file) => s.serialize_field("file", file)?,
            None => s.skip_field("file")?,
        }
        match &self.cell {
            Some(cell) => {
                s.skip_field("path")?;
                s.serialize_field("cell", cell)?;
            }
            None => {
                s.serialize_field("path", &self.path)?;
                s.skip_field("cell")?;
            }
        }
        match &self.criterion {
            Some(criterion) => s.serialize_field("criterion", criterion)?,
            None => s.skip_field("criterion")?,
        }
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

impl Diagnostic {
    /// A diagnostic at `path` with no criterion and no file.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { code, file: None, path: path.into(), cell: None, criterion: None, message: message.into() }
    }

    /// A diagnostic in a workbook `cell` (`'Tự đánh giá'!F12`, already quoted as a spreadsheet
    /// names it) with no criterion and no file.
    pub fn in_cell(code: Code, cell: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            file: None,
            path: String::new(),
            cell: Some(cell.into()),
            criterion: None,
            message: message.into(),
        }
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

    /// One line: `file:/json/pointer [code] criterion: message`, or for a cell
    /// `file: 'Sheet'!F12 [code] criterion: message`, with the message as the engine wrote it.
    pub fn render(&self) -> String {
        self.render_in(Locale::En)
    }

    /// The message for a person reading `locale` ([`Code::message`]).
    pub fn message_in(&self, locale: Locale) -> String {
        self.code.message(&self.message, locale)
    }

    /// The same diagnostic with its message for a person reading `locale`; code, file,
    /// pointer, cell and criterion unchanged.
    #[must_use]
    pub fn localized(&self, locale: Locale) -> Diagnostic {
        Diagnostic { message: self.message_in(locale), ..self.clone() }
    }

    /// [`Diagnostic::render`] with the message for a person reading `locale`.
    pub fn render_in(&self, locale: Locale) -> String {
        let mut line = String::new();
        match &self.cell {
            Some(cell) => {
                if let Some(file) = &self.file {
                    line.push_str(file);
                    line.push_str(": ");
                }
                line.push_str(cell);
            }
            None => {
                if let Some(file) = &self.file {
                    line.push_str(file);
                    line.push(':');
                }
                line.push_str(if self.path.is_empty() { "/" } else { &self.path });
            }
        }
        line.push_str(" [");
        line.push_str(self.code.as_str());
        line.push(']');
        if let Some(criterion) = &self.criterion {
            line.push(' ');
            line.push_str(criterion);
        }
        line.push_str(": ");
        line.push_str(&self.message_in(locale));
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

    /// Every problem, one line each ([`Diagnostic::render`]), then one line per code of the
    /// problems only counted ([`Diagnostics::omitted_text`]), then `N problem(s) found`.
    pub fn render_text(&self) -> String {
        self.render_text_in(Locale::En)
    }

    /// Every problem, one line each ([`Diagnostic::render_in`]), then the problems only
    /// counted and how many were found ([`Diagnostics::summary_in`]), for a person reading
    /// `locale`.
    pub fn render_text_in(&self, locale: Locale) -> String {
        let mut text: String = self.errors.iter().map(|d| d.render_in(locale) + "\n").collect();
        text.push_str(&self.summary_in(locale));
        text
    }

    /// The lines that end a list of problems: one per code of the problems only counted
    /// ([`Diagnostics::omitted_text`]), then how many were found in all (`Tìm thấy N lỗi`,
    /// `N problem(s) found`).
    pub fn summary_in(&self, locale: Locale) -> String {
        let mut text = self.omitted_text();
        match locale {
            Locale::Vi => text.push_str(&format!("Tìm thấy {} lỗi\n", self.len())),
            Locale::En => text.push_str(&format!("{} problem(s) found\n", self.len())),
        }
        text
    }

    /// One line per code of the problems only counted, in Vietnamese and English:
    /// `và 8999000 lỗi khác cùng mã unknown_criterion / and 8999000 more of code
    /// unknown_criterion` (empty when every problem is kept).
    pub fn omitted_text(&self) -> String {
        self.omitted
            .iter()
            .map(|(code, n)| format!("và {n} lỗi khác cùng mã {code} / and {n} more of code {code}\n"))
            .collect()
    }

    /// `{"errors": [...]}` as in SPEC §10, pretty-printed, with a final newline.
    pub fn render_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// [`Diagnostics::render_json`] with each `message` for a person reading `locale`; every
    /// other field unchanged.
    pub fn render_json_in(&self, locale: Locale) -> String {
        self.localized(locale).render_json()
    }

    /// The same problems with their messages for a person reading `locale`.
    #[must_use]
    pub fn localized(&self, locale: Locale) -> Diagnostics {
        Diagnostics { errors: self.errors.iter().map(|d| d.localized(locale)).collect(), omitted: self.omitted.clone() }
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
    fn json_keeps_spec_shape_for_a_pointer() {
        let d = Diagnostic::new(Code::UnknownUnit, "/unit", "no such unit").in_file("assessments/x.json");
        assert_eq!(
            serde_json::to_string(&d).unwrap_or_default(),
            r#"{"code":"unknown_unit","file":"assessments/x.json","path":"/unit","message":"no such unit"}"#
        );
        let whole = Diagnostic::new(Code::InputType, "", "not JSON").with_criterion("1.1");
        assert_eq!(
            serde_json::to_string(&whole).unwrap_or_default(),
            r#"{"code":"input_type","path":"","criterion":"1.1","message":"not JSON"}"#
        );
        assert_eq!(whole.render(), "/ [input_type] 1.1: not JSON");
    }

    #[test]
    fn a_cell_replaces_the_pointer_in_json_and_text() {
        let d = Diagnostic::in_cell(Code::BadDecimal, "'Tự đánh giá'!F12", "write 0.5")
            .with_criterion("1.2")
            .in_file("so-a.xlsx");
        assert_eq!(d.render(), "so-a.xlsx: 'Tự đánh giá'!F12 [bad_decimal] 1.2: write 0.5");
        let json = serde_json::to_string(&d).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"code":"bad_decimal","file":"so-a.xlsx","cell":"'Tự đánh giá'!F12","criterion":"1.2","message":"write 0.5"}"#
        );
        let back: Diagnostic = serde_json::from_str(&json).unwrap_or_else(|_| Diagnostic::new(Code::InputType, "", ""));
        assert_eq!(back, d);
        let all = Diagnostics::from(d);
        assert_eq!(
            all.render_text(),
            "so-a.xlsx: 'Tự đánh giá'!F12 [bad_decimal] 1.2: write 0.5\n1 problem(s) found\n"
        );
        assert!(all.render_json().starts_with("{\n  \"errors\": [\n    {\n      \"code\": \"bad_decimal\""));
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
        let text = shown.render_text();
        assert!(
            text.contains("\nvà 5001 lỗi khác cùng mã bad_decimal / and 5001 more of code bad_decimal\n"),
            "{text}"
        );
        assert!(text.ends_with(&format!("{} problem(s) found\n", MAX_KEPT + 6)), "{text}");
        let none = serde_json::to_string(&Diagnostics::new()).unwrap_or_default();
        assert_eq!(none, r#"{"errors":[]}"#);
    }

    #[test]
    fn every_code_has_a_vietnamese_sentence() {
        let names: std::collections::BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len(), "Code::ALL lists a code twice");
        let mut sentences = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let (sentence, _) = code.vi_template();
            assert!(!sentence.trim().is_empty(), "{code} has no Vietnamese sentence");
            assert!(sentences.insert(sentence), "{code} shares its sentence with another code");
            let vi = code.message("detail", Locale::Vi);
            assert!(vi.chars().next().is_some_and(char::is_uppercase), "{code}: {vi}");
            assert_eq!(code.message("detail", Locale::En), "detail");
        }
        // Every variant is in ALL: serde names each, and ALL holds as many distinct names as
        // the exhaustive match of `vi_template` has arms.
        // A new code fails here until it is added to `Code::ALL` (its sentence is enforced by
        // the exhaustive match of `vi_template`).
        assert_eq!(Code::ALL.len(), 46, "add the new code to Code::ALL and update this count");
    }

    #[test]
    fn messages_and_lines_in_vietnamese() {
        let d = Diagnostic::new(Code::PointsOverMax, "/self/entries/1.1/points", "4 is over the maximum 3.5")
            .with_criterion("1.1")
            .in_file("assessments/so-a.json");
        assert_eq!(
            d.render_in(Locale::Vi),
            "assessments/so-a.json:/self/entries/1.1/points [points_over_max] 1.1: Điểm vượt quá điểm tối đa của tiêu chí (4 is over the maximum 3.5)"
        );
        let missing = Diagnostic::new(Code::MissingEntry, "", "no entry for this item: it scores 0");
        assert_eq!(missing.message_in(Locale::Vi), "Chưa có điểm cho tiêu chí này: tính 0 điểm");
        let all = Diagnostics::from(d);
        assert!(all.render_text_in(Locale::Vi).ends_with("\nTìm thấy 1 lỗi\n"));
        let json = all.render_json_in(Locale::Vi);
        assert!(json.contains("\"code\": \"points_over_max\""));
        assert!(json.contains("\"path\": \"/self/entries/1.1/points\""));
        assert!(json.contains("\"message\": \"Điểm vượt quá"));
        assert_eq!(all.render_json_in(Locale::En), all.render_json());
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
