//! Problems found in a workbook or in the documents around it, each naming where it is: a
//! cell (`Tự đánh giá!F12`) or, for the round's JSON files, a JSON Pointer.

use parindex_core::{Code, Diagnostic, Diagnostics};
use serde::Serialize;

/// One problem: what (SPEC §10 code, message), where (file, cell or JSON Pointer) and which
/// criterion it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The stable code of SPEC §10.
    pub code: Code,
    /// The file: the workbook, or a JSON file relative to the round folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The cell, as `Sheet!F12`, when the problem is in a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// A JSON Pointer, when the problem is in a JSON document and has no cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The criterion code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// A sentence an officer understands.
    pub message: String,
}

impl Problem {
    /// A problem at `cell` (or nowhere in particular when `None`).
    pub fn at(code: Code, cell: Option<String>, message: impl Into<String>) -> Problem {
        Problem { code, file: None, cell, path: None, criterion: None, message: message.into() }
    }

    /// The same problem, naming `criterion`.
    #[must_use]
    pub fn for_criterion(mut self, criterion: impl Into<String>) -> Problem {
        self.criterion = Some(criterion.into());
        self
    }

    /// The same problem, naming `file` (kept if already set).
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Problem {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    /// A problem from an engine diagnostic, keeping its JSON Pointer.
    pub fn from_diagnostic(d: Diagnostic) -> Problem {
        Problem {
            code: d.code,
            file: d.file,
            cell: None,
            path: Some(d.path),
            criterion: d.criterion,
            message: d.message,
        }
    }

    /// One line: `file: Sheet!F12 [code] criterion: message` (or `file:/json/pointer …`).
    pub fn render(&self) -> String {
        let mut line = String::new();
        match (&self.cell, &self.path) {
            (Some(cell), _) => {
                if let Some(file) = &self.file {
                    line.push_str(file);
                    line.push_str(": ");
                }
                line.push_str(cell);
            }
            (None, Some(path)) => {
                if let Some(file) = &self.file {
                    line.push_str(file);
                    line.push(':');
                }
                line.push_str(if path.is_empty() { "/" } else { path });
            }
            (None, None) => {
                if let Some(file) = &self.file {
                    line.push_str(file);
                }
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
        line.push_str(&self.message);
        line
    }
}

/// Every problem found, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{} problem(s); first: {}", .errors.len(), .errors.first().map(Problem::render).unwrap_or_default())]
pub struct Problems {
    /// The problems.
    pub errors: Vec<Problem>,
}

impl Problems {
    /// An empty list.
    pub fn new() -> Problems {
        Problems::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, p: Problem) {
        self.errors.push(p);
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Names `file` on every problem that names no file yet.
    #[must_use]
    pub fn in_file(mut self, file: &str) -> Problems {
        for p in &mut self.errors {
            if p.file.is_none() {
                p.file = Some(file.to_owned());
            }
        }
        self
    }

    /// Engine diagnostics as problems, keeping their JSON Pointers.
    pub fn from_diagnostics(d: Diagnostics) -> Problems {
        Problems { errors: d.errors.into_iter().map(Problem::from_diagnostic).collect() }
    }

    /// Every problem, one line each, then a count.
    pub fn render_text(&self) -> String {
        let mut text: String = self.errors.iter().map(|p| p.render() + "\n").collect();
        text.push_str(&format!("{} problem(s) found\n", self.errors.len()));
        text
    }

    /// `{"errors": [...]}`, like `parindex validate --format json`, with `cell` where known.
    pub fn render_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Problems {
        Problems { errors: vec![p] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_cell_code_and_criterion() {
        let p = Problem::at(Code::BadDecimal, Some("Tự đánh giá!F12".into()), "write 0.5")
            .for_criterion("1.2")
            .in_file("so-a.xlsx");
        assert_eq!(p.render(), "so-a.xlsx: Tự đánh giá!F12 [bad_decimal] 1.2: write 0.5");
        let json = Problems::from(p).render_json();
        assert!(json.contains("\"cell\": \"Tự đánh giá!F12\""), "{json}");
        assert!(!json.contains("\"path\""), "{json}");
    }

    #[test]
    fn renders_json_pointer_when_there_is_no_cell() {
        let d = Diagnostic::new(Code::UnknownUnit, "/unit", "no such unit").in_file("assessments/x.json");
        assert_eq!(Problem::from_diagnostic(d).render(), "assessments/x.json:/unit [unknown_unit]: no such unit");
    }
}
