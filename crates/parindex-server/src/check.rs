//! Checking a unit's would-be assessment with the engine before anything is stored.

use parindex::{Assessment, Code, Diagnostic, Diagnostics, UnitContext, score_unit};

use crate::error::ApiError;
use crate::model::{Parts, RoundModel};

/// Checks `parts` as the assessment document of `unit` (SPEC §6). Problems whose JSON
/// Pointer lies under `focus` (the part the request writes, e.g. `/self`) are reported
/// relative to the request body, without a file; others name the unit's assessment file.
pub fn check(model: &RoundModel, unit: &str, parts: &Parts, focus: &str) -> Result<Option<Assessment>, ApiError> {
    let Some(doc) = parts.document(unit) else { return Ok(None) };
    let (set, labels) = model
        .unit_set(unit)
        .ok_or_else(|| ApiError::Internal(format!("the unit '{unit}' has no block or criteria set")))?;
    Assessment::from_document(&parindex::json::Value::from(&doc), set, &labels)
        .map(Some)
        .map_err(|d| ApiError::Invalid(relative_to(d, focus, unit)))
}

/// Rewrites pointers under `focus` to point into the request body; the problems only
/// counted (past the first 10,000) stay counted.
pub fn relative_to(diags: Diagnostics, focus: &str, unit: &str) -> Diagnostics {
    let mut out = Diagnostics { errors: Vec::new(), omitted: diags.omitted };
    for mut d in diags.errors {
        match d.path.strip_prefix(focus) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                d.path = rest.to_owned();
                d.file = None;
            }
            _ => d.file = Some(format!("assessments/{unit}.json")),
        }
        out.push(d);
    }
    out
}

/// For a submission: every applicable assessed leaf must have an entry. Returns one
/// `missing_entry` problem per leaf that has none.
pub fn completeness(model: &RoundModel, unit: &str, assessment: Option<&Assessment>) -> Result<(), ApiError> {
    let (Some(u), Some((set, _))) = (model.round.unit(unit), model.unit_set(unit)) else {
        return Err(ApiError::Internal(format!("the unit '{unit}' has no block")));
    };
    let survey_held = model.round.block(&u.block).is_some_and(|b| b.survey);
    let ctx = UnitContext { unit, tags: &u.tags, survey_held, self_deadline: model.round.self_deadline };
    let result = score_unit(set, &ctx, assessment);
    let mut diags = Diagnostics::new();
    for f in result.findings.iter().filter(|f| f.code == Code::MissingEntry) {
        let criterion = f.criterion.clone().unwrap_or_default();
        diags.push(
            Diagnostic::new(
                Code::MissingEntry,
                format!("/entries/{}", criterion.replace('~', "~0").replace('/', "~1")),
                format!("{criterion}: no entry; a submitted self-assessment scores every criterion that applies (give points, an input, or \"not_arising\": true where allowed)"),
            )
            .with_criterion(criterion),
        );
    }
    if diags.is_empty() { Ok(()) } else { Err(ApiError::Invalid(diags)) }
}
