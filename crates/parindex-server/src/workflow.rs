//! A round's workflow as provinces run it (issue 13): the appraising agencies and the
//! criteria each appraises (subtrees by code, per block), the windows of self-assessment,
//! of each appraisal stage and of explanations, and the limits on evidence files. Stored as
//! one document, `rounds/{round}/workflow`, set by an admin; every field has a default, so
//! a round without one runs as before (one `appraiser` for every field, no windows).

use std::collections::BTreeMap;

use parindex::{Code, Date, Diagnostic, Diagnostics};
use parindex_store::{Transaction, documents};
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ErrorCode};
use crate::keys;
use crate::model::{RoundModel, parse};
use crate::routes::rounds::{is_id, today};

/// The default limit on one evidence file: 20 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The default quota of one unit's evidence files: 200 MiB.
pub const DEFAULT_UNIT_QUOTA_BYTES: u64 = 200 * 1024 * 1024;

/// One appraising agency (cơ quan thẩm định theo lĩnh vực).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Its name as people read it (`Sở Tư pháp`).
    pub name: String,
    /// Block id → the codes of the subtrees it appraises in that block.
    pub scopes: BTreeMap<String, Vec<String>>,
}

/// A window: open from `open` to `until`, both days included, read in UTC+07:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// The first day, if any.
    pub open: Option<Date>,
    /// The last day, if any.
    pub until: Option<Date>,
}

impl Span {
    /// `Ok` if `day` is inside the window, else a 409 `outside_window` naming it (`what`:
    /// the window's Vietnamese name, e.g. `tự đánh giá`).
    pub fn check(&self, what: &str, day: Option<Date>) -> Result<(), ApiError> {
        let Some(day) = day else { return Ok(()) };
        let before = self.open.is_some_and(|o| day < o);
        let after = self.until.is_some_and(|u| day > u);
        if !before && !after {
            return Ok(());
        }
        let from = self.open.map_or("—".to_owned(), |d| d.to_string());
        let to = self.until.map_or("—".to_owned(), |d| d.to_string());
        let when = if before { "chưa mở" } else { "đã hết hạn" };
        Err(ApiError::new(
            ErrorCode::OutsideWindow,
            format!("thời hạn {what} {when}: từ {from} đến {to} (giờ UTC+07:00), hôm nay là {day}"),
        ))
    }

    fn to_json(self) -> Value {
        json!({"open": self.open.map(|d| d.to_string()), "until": self.until.map(|d| d.to_string())})
    }

    fn from_json(v: &Value) -> Span {
        let day = |k: &str| v.get(k).and_then(Value::as_str).and_then(Date::parse);
        Span { open: day("open"), until: day("until") }
    }
}

/// The windows of a round's stages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Windows {
    /// Self-assessment (tự đánh giá): drafts and submission.
    pub self_assessment: Option<Span>,
    /// Each appraisal stage (thẩm định), by number: entering it and agencies' `done`.
    pub appraisal: BTreeMap<i64, Span>,
    /// Explanations (giải trình).
    pub explanations: Option<Span>,
}

/// The limits on evidence files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceLimits {
    /// The largest file, in bytes.
    pub max_file_bytes: u64,
    /// The most one unit's files may take together, in bytes.
    pub unit_quota_bytes: u64,
}

impl Default for EvidenceLimits {
    fn default() -> Self {
        EvidenceLimits { max_file_bytes: DEFAULT_MAX_FILE_BYTES, unit_quota_bytes: DEFAULT_UNIT_QUOTA_BYTES }
    }
}

/// A round's workflow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workflow {
    /// The appraising agencies by id (the `<agency>` of `appraiser:<agency>` tokens).
    pub agencies: BTreeMap<String, Agency>,
    /// The windows.
    pub windows: Windows,
    /// The limits on evidence files.
    pub evidence: EvidenceLimits,
}

/// Whether `code` lies in one of the subtrees `scopes` names (the code itself or below it).
pub fn in_scope(code: &str, scopes: &[String]) -> bool {
    scopes.iter().any(|s| code == s || code.strip_prefix(s.as_str()).is_some_and(|rest| rest.starts_with('.')))
}

impl Workflow {
    /// The stored workflow of `round` (defaults when none is stored).
    pub fn load(tx: &Transaction<'_>, round: &str) -> Result<Workflow, ApiError> {
        Ok(documents::get(tx, &keys::workflow(round))?.map(|d| Workflow::from_json(&parse(&d.doc))).unwrap_or_default())
    }

    /// Reads a stored (already checked) workflow.
    pub fn from_json(v: &Value) -> Workflow {
        let mut w = Workflow::default();
        if let Some(agencies) = v.get("appraisers").and_then(Value::as_object) {
            for (id, a) in agencies {
                let name = a.get("name").and_then(Value::as_str).unwrap_or(id).to_owned();
                let mut scopes = BTreeMap::new();
                if let Some(s) = a.get("scopes").and_then(Value::as_object) {
                    for (block, codes) in s {
                        let codes = codes
                            .as_array()
                            .map(|c| c.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                            .unwrap_or_default();
                        scopes.insert(block.clone(), codes);
                    }
                }
                w.agencies.insert(id.clone(), Agency { name, scopes });
            }
        }
        if let Some(ws) = v.get("windows") {
            w.windows.self_assessment = ws.get("self_assessment").filter(|s| !s.is_null()).map(Span::from_json);
            w.windows.explanations = ws.get("explanations").filter(|s| !s.is_null()).map(Span::from_json);
            if let Some(stages) = ws.get("appraisal").and_then(Value::as_object) {
                for (n, s) in stages {
                    if let Ok(n) = n.parse::<i64>() {
                        w.windows.appraisal.insert(n, Span::from_json(s));
                    }
                }
            }
        }
        if let Some(e) = v.get("evidence") {
            let n = |k: &str| e.get(k).and_then(Value::as_u64);
            w.evidence.max_file_bytes = n("max_file_bytes").unwrap_or(DEFAULT_MAX_FILE_BYTES);
            w.evidence.unit_quota_bytes = n("unit_quota_bytes").unwrap_or(DEFAULT_UNIT_QUOTA_BYTES);
        }
        w
    }

    /// The workflow as JSON (as stored and answered).
    pub fn to_json(&self) -> Value {
        let agencies: Map<String, Value> =
            self.agencies.iter().map(|(id, a)| (id.clone(), json!({"name": a.name, "scopes": a.scopes}))).collect();
        let stages: Map<String, Value> =
            self.windows.appraisal.iter().map(|(n, s)| (n.to_string(), s.to_json())).collect();
        json!({
            "appraisers": agencies,
            "windows": {
                "self_assessment": self.windows.self_assessment.map(Span::to_json),
                "appraisal": stages,
                "explanations": self.windows.explanations.map(Span::to_json),
            },
            "evidence": {
                "max_file_bytes": self.evidence.max_file_bytes,
                "unit_quota_bytes": self.evidence.unit_quota_bytes,
            },
        })
    }

    /// The agencies that appraise something in `block`, with their subtrees there.
    pub fn agencies_for(&self, block: &str) -> Vec<(&str, &[String])> {
        self.agencies
            .iter()
            .filter_map(|(id, a)| a.scopes.get(block).filter(|c| !c.is_empty()).map(|c| (id.as_str(), c.as_slice())))
            .collect()
    }

    /// The window of appraisal stage `n`, checked for today.
    pub fn check_stage(&self, n: i64) -> Result<(), ApiError> {
        match self.windows.appraisal.get(&n) {
            Some(s) => s.check(&format!("thẩm định vòng {n}"), today()),
            None => Ok(()),
        }
    }

    /// The window of explanations, checked for today.
    pub fn check_explanations(&self) -> Result<(), ApiError> {
        self.windows.explanations.map_or(Ok(()), |s| s.check("giải trình", today()))
    }

    /// The window of self-assessment, checked for today.
    pub fn check_self(&self) -> Result<(), ApiError> {
        self.windows.self_assessment.map_or(Ok(()), |s| s.check("tự đánh giá", today()))
    }

    /// Applies `body` (`{"appraisers"?, "windows"?, "evidence"?}`: each field given replaces
    /// the stored one) to `self`, checking it against the round: every problem at once.
    pub fn apply(mut self, body: &Map<String, Value>, model: &RoundModel) -> Result<Workflow, Diagnostics> {
        let mut d = Diagnostics::new();
        let bad = |d: &mut Diagnostics, path: String, message: String| {
            d.push(Diagnostic::new(Code::InputType, path, message));
        };
        for key in body.keys().filter(|k| !["appraisers", "windows", "evidence"].contains(&k.as_str())) {
            bad(&mut d, format!("/{key}"), format!("trường \"{key}\" không có: chỉ có appraisers, windows, evidence"));
        }
        if let Some(v) = body.get("appraisers") {
            self.agencies = BTreeMap::new();
            match v.as_object() {
                None => bad(
                    &mut d,
                    "/appraisers".into(),
                    "\"appraisers\" phải là object: mã cơ quan → {name, scopes}".into(),
                ),
                Some(agencies) => {
                    for (id, a) in agencies {
                        let p = format!("/appraisers/{id}");
                        if !is_id(id) {
                            bad(
                                &mut d,
                                p.clone(),
                                format!("mã cơ quan '{id}' chỉ gồm chữ thường ASCII, chữ số và '-'"),
                            );
                        }
                        let name = a.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                        if name.trim().is_empty() {
                            bad(&mut d, format!("{p}/name"), "cần \"name\": tên cơ quan thẩm định".into());
                        }
                        let mut scopes = BTreeMap::new();
                        match a.get("scopes").and_then(Value::as_object) {
                            None => bad(
                                &mut d,
                                format!("{p}/scopes"),
                                "cần \"scopes\": mã khối → danh sách mã tiêu chí".into(),
                            ),
                            Some(s) => {
                                for (block, codes) in s {
                                    let bp = format!("{p}/scopes/{block}");
                                    let Some(set) = model.sets.get(block) else {
                                        bad(&mut d, bp, format!("vòng đánh giá không có khối '{block}'"));
                                        continue;
                                    };
                                    let Some(codes) = codes.as_array() else {
                                        bad(
                                            &mut d,
                                            bp,
                                            "phạm vi là danh sách mã tiêu chí, ví dụ [\"2\", \"3.1\"]".into(),
                                        );
                                        continue;
                                    };
                                    let mut list = Vec::new();
                                    for (i, c) in codes.iter().enumerate() {
                                        match c.as_str() {
                                            Some(code) if set.find(code).is_some() => list.push(code.to_owned()),
                                            _ => bad(
                                                &mut d,
                                                format!("{bp}/{i}"),
                                                format!("bộ tiêu chí của khối '{block}' không có mã {c}"),
                                            ),
                                        }
                                    }
                                    scopes.insert(block.clone(), list);
                                }
                            }
                        }
                        self.agencies.insert(id.clone(), Agency { name, scopes });
                    }
                }
            }
        }
        if let Some(v) = body.get("windows") {
            self.windows = Windows::default();
            let span = |v: &Value, p: String, d: &mut Diagnostics| -> Option<Span> {
                if v.is_null() {
                    return None;
                }
                let mut s = Span::default();
                for (k, slot) in [("open", &mut s.open), ("until", &mut s.until)] {
                    match v.get(k) {
                        None | Some(Value::Null) => {}
                        Some(Value::String(t)) if Date::parse(t).is_some() => *slot = Date::parse(t),
                        Some(other) => d.push(Diagnostic::new(
                            Code::BadDate,
                            format!("{p}/{k}"),
                            format!("{other} không phải ngày YYYY-MM-DD"),
                        )),
                    }
                }
                if let (Some(o), Some(u)) = (s.open, s.until)
                    && o > u
                {
                    d.push(Diagnostic::new(Code::InputType, p, format!("ngày mở {o} sau ngày hết hạn {u}")));
                }
                Some(s)
            };
            if let Some(s) = v.get("self_assessment") {
                self.windows.self_assessment = span(s, "/windows/self_assessment".into(), &mut d);
            }
            if let Some(s) = v.get("explanations") {
                self.windows.explanations = span(s, "/windows/explanations".into(), &mut d);
            }
            if let Some(stages) = v.get("appraisal").and_then(Value::as_object) {
                for (n, s) in stages {
                    let p = format!("/windows/appraisal/{n}");
                    match n.parse::<i64>().ok().filter(|n| (1..=20).contains(n)) {
                        Some(k) => {
                            if let Some(s) = span(s, p, &mut d) {
                                self.windows.appraisal.insert(k, s);
                            }
                        }
                        None => bad(&mut d, p, format!("'{n}' không phải số vòng thẩm định (1, 2, …)")),
                    }
                }
            }
        }
        if let Some(v) = body.get("evidence") {
            for (k, slot) in [
                ("max_file_bytes", &mut self.evidence.max_file_bytes),
                ("unit_quota_bytes", &mut self.evidence.unit_quota_bytes),
            ] {
                match v.get(k) {
                    None => {}
                    Some(n) => match n.as_u64().filter(|n| *n > 0) {
                        Some(n) => *slot = n,
                        None => bad(&mut d, format!("/evidence/{k}"), format!("\"{k}\" là số byte nguyên dương")),
                    },
                }
            }
        }
        if d.is_empty() { Ok(self) } else { Err(d) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_a_subtree() {
        let scopes = vec!["2".to_owned(), "3.1".to_owned()];
        assert!(in_scope("2", &scopes));
        assert!(in_scope("2.4.1", &scopes));
        assert!(in_scope("3.1.2", &scopes));
        assert!(!in_scope("3.10", &scopes));
        assert!(!in_scope("20.1", &scopes));
        assert!(!in_scope("1.2", &scopes));
    }

    #[test]
    fn a_window_includes_both_days() {
        let d = |s: &str| Date::parse(s);
        let s = Span { open: d("2024-01-01"), until: d("2024-01-15") };
        assert!(s.check("tự đánh giá", d("2024-01-01")).is_ok());
        assert!(s.check("tự đánh giá", d("2024-01-15")).is_ok());
        let e = s.check("tự đánh giá", d("2024-01-16")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("đã hết hạn") && e.contains("2024-01-15"), "{e}");
        assert!(s.check("tự đánh giá", d("2023-12-31")).is_err());
    }
}
