//! Export: the round as a folder that `parindex score` scores offline to the same bytes —
//! as a JSON bundle (`parindex/round-bundle@1`) or a tar archive of the folder.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::rounds::round_for;
use super::scores::round_files;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::{AppState, read};
use crate::model::parse;

/// The `format` of an export bundle.
pub use parindex::BUNDLE_FORMAT;

/// `GET /v1/rounds/{round}/export` (admin, appraiser, auditor):
/// `{"format": "parindex/round-bundle@1", "round", "files": {path: document}}`.
pub async fn bundle(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let st = state.clone();
    let value = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let docs: Map<String, Value> = files.iter().map(|(p, t)| (p.clone(), parse(t))).collect();
        Ok(json!({ "format": BUNDLE_FORMAT, "round": round, "files": docs }))
    })
    .await?;
    Ok(Json(value))
}

/// `GET /v1/rounds/{round}/export.tar` (admin, appraiser, auditor): the round folder as a
/// tar archive, its files under `{round}/`.
pub async fn archive(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let (name, bytes) = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        // The assessments/ folder is always there, empty or not: a round folder without one is
        // refused (docs/spec-readings.md), and `tar xf` then `parindex score` must work.
        let entries: Vec<(String, Vec<u8>)> = std::iter::once((format!("{round}/assessments/"), Vec::new()))
            .chain(files.into_iter().map(|(p, t)| (format!("{round}/{p}"), t.into_bytes())))
            .collect();
        Ok((round, tar_file(&entries)?))
    })
    .await?;
    let disposition = format!("attachment; filename=\"{name}.tar\"");
    Ok(([(CONTENT_TYPE, "application/x-tar".to_owned()), (CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// The tar archive of `files` (path, contents): regular files, mode 0644, time 0, and a
/// folder (mode 0755) for a path that ends with `/`; a path longer than a tar header holds
/// (a long unit id) is written as a GNU long name.
fn tar_file(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ApiError> {
    let failed = |e: std::io::Error| ApiError::Internal(format!("the archive could not be written: {e}"));
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        let folder = path.ends_with('/');
        header.set_entry_type(if folder { tar::EntryType::Directory } else { tar::EntryType::Regular });
        header.set_size(data.len() as u64);
        header.set_mode(if folder { 0o755 } else { 0o644 });
        header.set_mtime(0);
        builder.append_data(&mut header, path, data.as_slice()).map_err(failed)?;
    }
    builder.into_inner().map_err(failed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use std::io::Read;

    use super::tar_file;

    fn read(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in tar::Archive::new(bytes).entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_str().unwrap().to_owned();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            out.push((path, data));
        }
        out
    }

    #[test]
    fn round_trips_short_and_long_paths() {
        let unit = "u".repeat(150);
        let files = vec![
            ("r/round.json".to_owned(), b"{}".to_vec()),
            ("r/assessments/".to_owned(), Vec::new()),
            (format!("r/assessments/{unit}.json"), vec![b'x'; 700]),
            (format!("{}/{}", "d".repeat(120), "f.json"), b"[]".to_vec()),
        ];
        let bytes = tar_file(&files).unwrap();
        assert_eq!(bytes.len() % 512, 0);
        assert_eq!(read(&bytes), files);
    }
}
