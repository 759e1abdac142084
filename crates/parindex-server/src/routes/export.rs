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
use parindex_store::evidence;

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
    let dir = state.store.evidence_dir();
    let value = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let carried = carried_files(tx, &round, &files)?;
        let docs: Map<String, Value> = files.iter().map(|(p, t)| (p.clone(), parse(t))).collect();
        if carried.is_empty() {
            return Ok(json!({ "format": BUNDLE_FORMAT, "round": round, "files": docs }));
        }
        let mut evidence = Map::new();
        for row in carried {
            let bytes = std::fs::read(evidence::stored_path(&dir, &row.sha256))
                .map_err(|e| ApiError::Internal(format!("tệp minh chứng sha256:{} không đọc được: {e}", row.sha256)))?;
            evidence.insert(
                row.sha256.clone(),
                json!({"name": row.name, "type": row.media_type, "size": row.size, "base64": base64(&bytes)}),
            );
        }
        Ok(json!({ "format": BUNDLE_FORMAT, "round": round, "files": docs, "evidence": evidence }))
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
    let dir = state.store.evidence_dir();
    let (name, bytes) = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let carried = carried_files(tx, &round, &files)?;
        let mut entries: Vec<(String, Vec<u8>)> =
            files.into_iter().map(|(p, t)| (format!("{round}/{p}"), t.into_bytes())).collect();
        for row in carried {
            let bytes = std::fs::read(evidence::stored_path(&dir, &row.sha256))
                .map_err(|e| ApiError::Internal(format!("tệp minh chứng sha256:{} không đọc được: {e}", row.sha256)))?;
            entries.push((format!("{round}/evidence/{}", row.sha256), bytes));
        }
        Ok((round, tar_file(&entries)?))
    })
    .await?;
    let disposition = format!("attachment; filename=\"{name}.tar\"");
    Ok(([(CONTENT_TYPE, "application/x-tar".to_owned()), (CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// The evidence files the exported assessments reference (each once), as their units
/// uploaded them.
fn carried_files(
    tx: &parindex_store::Transaction<'_>,
    round: &str,
    files: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<evidence::FileRow>, ApiError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (path, text) in files {
        let Some(unit) = path.strip_prefix("assessments/").and_then(|p| p.strip_suffix(".json")) else { continue };
        for sha in evidence::referenced(text) {
            if seen.insert(sha.clone())
                && let Some(row) = evidence::find(tx, round, unit, &sha)?
            {
                out.push(row);
            }
        }
    }
    Ok(out)
}

/// Standard base64 (RFC 4648, with padding) of `bytes`, for files in a JSON bundle.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for (i, s) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET.get(*s as usize).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The tar archive of `files` (path, contents): regular files, mode 0644, time 0; a path
/// longer than a tar header holds (a long unit id) is written as a GNU long name.
fn tar_file(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ApiError> {
    let failed = |e: std::io::Error| ApiError::Internal(format!("the archive could not be written: {e}"));
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
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
    fn base64_as_rfc_4648_says() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn round_trips_short_and_long_paths() {
        let unit = "u".repeat(150);
        let files = vec![
            ("r/round.json".to_owned(), b"{}".to_vec()),
            (format!("r/assessments/{unit}.json"), vec![b'x'; 700]),
            (format!("{}/{}", "d".repeat(120), "f.json"), b"[]".to_vec()),
        ];
        let bytes = tar_file(&files).unwrap();
        assert_eq!(bytes.len() % 512, 0);
        assert_eq!(read(&bytes), files);
    }
}
