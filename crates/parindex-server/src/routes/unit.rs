//! One unit of a round: what the self-assessment, appraisal and score routes share —
//! loading the unit's documents for a caller, answering a stored document, and a write that
//! checks the unit's would-be assessment with the engine before storing a document.

use std::sync::Arc;

use axum::response::Response;
use parindex::Assessment;
use parindex_store::{Transaction, documents, evidence};
use serde_json::{Value, json};

use super::rounds::round_for;
use super::to_text;
use crate::auth::Caller;
use crate::check::check;
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, Write, Written, read};
use crate::keys;
use crate::model::{Parts, RoundModel, UnitDocs, parse};

/// The round and the unit's documents, for a caller already allowed on the route.
pub fn unit_docs(
    state: &AppState,
    tx: &Transaction<'_>,
    caller: &Caller,
    round: &str,
    unit: &str,
) -> Result<(Arc<RoundModel>, UnitDocs), ApiError> {
    let model = round_for(state, tx, caller, round)?;
    if model.round.unit(unit).is_none() {
        return Err(ApiError::unknown_unit(round, unit));
    }
    Ok((model, UnitDocs::load(tx, round, unit)?))
}

/// A stored document as JSON: the document, its version, when and by whom it was written.
pub fn stored(doc: &documents::Doc) -> Value {
    json!({
        "document": parse(&doc.doc),
        "version": doc.version,
        "finalised": doc.finalised,
        "updated_at": doc.updated_at,
        "updated_by": doc.updated_by,
    })
}

/// Reads the unit's documents with a consistent snapshot and answers `f` of them.
pub async fn read_unit<T, F>(state: &AppState, caller: Caller, round: String, unit: String, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Transaction<'_>, &RoundModel, UnitDocs) -> Result<T, ApiError> + Send + 'static,
{
    let st = state.clone();
    read(state, move |tx| {
        let (model, docs) = unit_docs(&st, tx, &caller, &round, &unit)?;
        f(tx, &model, docs)
    })
    .await
}

/// One unit of a round inside a write, with its documents as they are before it.
#[derive(Debug)]
pub struct UnitWrite<'a, 't> {
    /// The write's transaction.
    pub tx: &'a Transaction<'t>,
    /// The round, parsed.
    pub model: &'a RoundModel,
    /// The unit's documents.
    pub docs: &'a UnitDocs,
    /// The round's id.
    pub round: &'a str,
    /// The unit's id.
    pub unit: &'a str,
    /// Who writes, for the audit log.
    pub actor: &'a str,
    /// Who writes.
    pub caller: &'a Caller,
    /// The largest document that may be stored, in bytes of compact JSON: the body limit,
    /// so that no document grows past it by repeated merges (`PATCH`).
    pub limit: usize,
}

impl UnitWrite<'_, '_> {
    /// Checks `parts` (the unit's official parts with this write's change) as the unit's
    /// assessment document; problems under `focus` are reported against the request body.
    pub fn check(&self, parts: &Parts, focus: &str) -> Result<Option<Assessment>, ApiError> {
        check(self.model, self.unit, parts, focus)
    }

    /// Stores `value` as the unit's document of `kind` (`stage`: the appraisal stage, else
    /// 0), appending `action` to the audit log; answers the stored document.
    pub fn save(
        &self,
        kind: &'static str,
        stage: i64,
        finalised: bool,
        value: &Value,
        action: &str,
    ) -> Result<Value, ApiError> {
        check_files(self.tx, self.round, self.unit, value)?;
        let size = value.to_string().len();
        if size > self.limit {
            return Err(ApiError::new(
                ErrorCode::DocumentTooLarge,
                format!(
                    "Sau thay đổi này, tài liệu sẽ có {size} byte, vượt giới hạn {} byte của máy chủ; hãy bỏ bớt nội dung.",
                    self.limit
                ),
            ));
        }
        let key = keys::unit_doc(self.round, self.unit, kind, stage);
        let text = to_text(value);
        let put =
            documents::Put { key: &key, round: self.round, subject: self.unit, kind, stage, doc: &text, finalised };
        Ok(stored(&documents::put(self.tx, &put, self.actor, action)?))
    }
}

/// Every evidence item's `"file"` in `value` must be `sha256:<hex>` of a file the unit
/// uploaded (422 `input_type` at the item otherwise; pointers as in the request body).
fn check_files(tx: &Transaction<'_>, round: &str, unit: &str, value: &Value) -> Result<(), ApiError> {
    let mut problems = parindex::Diagnostics::new();
    let mut found = Vec::new();
    files_in(value, String::new(), &mut found);
    for (path, file) in found {
        let Some(sha) = file.as_str().and_then(|f| f.strip_prefix("sha256:")).filter(|h| evidence::is_sha256(h)) else {
            problems.push(parindex::Diagnostic::new(
                parindex::Code::InputType,
                path,
                "\"file\" là \"sha256:<64 chữ số hex>\" của một tệp minh chứng đã tải lên",
            ));
            continue;
        };
        if evidence::find(tx, round, unit, sha)?.is_none() {
            problems.push(parindex::Diagnostic::new(
                parindex::Code::InputType,
                path,
                format!("đơn vị '{unit}' chưa tải lên tệp sha256:{sha}: tải tệp lên trước (POST …/evidence)"),
            ));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(ApiError::Invalid(problems)) }
}

/// The `"file"` of every object inside an `"evidence"` array, with its JSON Pointer.
fn files_in(value: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k == "evidence"
                    && let Value::Array(items) = v
                {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(f) = item.get("file").filter(|f| !f.is_null()) {
                            out.push((format!("{p}/{i}/file"), f.clone()));
                        }
                    }
                } else {
                    files_in(v, p, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                files_in(v, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Runs a write on the unit `unit` of `round`: `f` sees the unit's documents as they are
/// and decides what to store.
pub async fn write_unit<F>(
    state: &AppState,
    write: Write,
    round: String,
    unit: String,
    f: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&UnitWrite<'_, '_>) -> Result<Written, ApiError> + Send + 'static,
{
    let st = state.clone();
    write
        .run(state, move |tx, caller| {
            let (model, docs) = unit_docs(&st, tx, caller, &round, &unit)?;
            let actor = caller.actor();
            let limit = st.body_limit;
            f(&UnitWrite { tx, model: &model, docs: &docs, round: &round, unit: &unit, actor: &actor, caller, limit })
        })
        .await
}
