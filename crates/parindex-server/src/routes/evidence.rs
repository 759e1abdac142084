//! Evidence files (issue 13): a unit uploads scanned decisions and reports; the council,
//! the appraising agencies, auditors and the unit download them. The body is streamed to
//! disk and hashed as it arrives (never held whole in memory), its type recognised from
//! its content, then stored by SHA-256 (`parindex_store::evidence`, docs/evidence.md).

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use parindex_store::evidence::{self, FileRow, StageError, Staged, Staging};
use serde::Deserialize;
use serde_json::{Value, json};

use super::unit::unit_docs;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode};
use crate::http::{AppState, blocking, read};
use crate::workflow::Workflow;

/// The types accepted, as recognised from the content: PDF, images, Office documents
/// (old binary, OOXML, OpenDocument).
pub const ACCEPTED_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/tiff",
    "image/webp",
    "image/heif",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

const TYPES_TEXT: &str =
    "PDF, ảnh (JPEG, PNG, GIF, TIFF, WebP, HEIF), tài liệu Office (DOC, DOCX, XLS, XLSX, PPT, PPTX, ODT, ODS, ODP)";

/// `?name=` of an upload.
#[derive(Debug, Deserialize)]
pub struct NameQuery {
    name: Option<String>,
}

/// The type of a file from its first bytes, if it is one of [`ACCEPTED_TYPES`].
pub fn sniff(head: &[u8]) -> Result<&'static str, ApiError> {
    let found = infer::get(head).map(|k| k.mime_type());
    match found {
        Some(t) if ACCEPTED_TYPES.contains(&t) => Ok(t),
        other => Err(ApiError::new(
            ErrorCode::UnsupportedFileType,
            format!(
                "nội dung tệp là {} (nhận biết theo nội dung, không theo tên tệp); chỉ nhận {TYPES_TEXT}",
                other.map_or("loại không nhận ra".to_owned(), |t| format!("'{t}'"))
            ),
        )),
    }
}

/// A file name safe to keep and to send back: no control characters, no path, at most
/// 200 characters; `minh-chung` when nothing is left.
fn clean_name(name: Option<&str>) -> String {
    let base = name.unwrap_or_default().rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect::<String>().trim().to_owned();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." { "minh-chung".to_owned() } else { cleaned }
}

/// `Content-Disposition: attachment` with an ASCII fallback name and the UTF-8 name
/// (RFC 6266, RFC 8187).
fn disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{}\"; filename*=UTF-8''{encoded}", ascii.replace('\\', "_"))
}

fn file_json(row: &FileRow) -> Value {
    json!({
        "file": format!("sha256:{}", row.sha256),
        "size": row.size,
        "type": row.media_type,
        "name": row.name,
        "uploaded_at": row.uploaded_at,
        "uploaded_by": row.uploaded_by,
    })
}

/// `POST …/units/{unit}/evidence?name=NAME` (the unit): the body is the file. 201 with
/// `{"file": "sha256:…", "size", "type", "name", …}` (200 when the unit already has it).
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
    query: Result<Query<NameQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::new(ErrorCode::BadQuery, e.to_string()))?;
    let name = clean_name(query.name.as_deref());
    let (st, r, u, c) = (state.clone(), round.clone(), unit.clone(), caller.clone());
    let limits = read(&state, move |tx| {
        unit_docs(&st, tx, &c, &r, &u)?;
        Ok(Workflow::load(tx, &r)?.evidence)
    })
    .await?;
    let too_large = || {
        ApiError::new(
            ErrorCode::FileTooLarge,
            format!("tệp lớn hơn giới hạn {} byte cho một tệp minh chứng", limits.max_file_bytes),
        )
    };
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_file_bytes) {
        return Err(too_large());
    }
    // The body goes to a blocking writer through a small channel: at most a few chunks are
    // in memory at once.
    let dir = state.store.evidence_dir();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Bytes>(8);
    let limit = limits.max_file_bytes;
    let writer_dir = dir.clone();
    let writer = tokio::task::spawn_blocking(move || -> Result<Staged, StageError> {
        let mut staging = Staging::new(&writer_dir, limit)?;
        while let Some(chunk) = receiver.blocking_recv() {
            staging.write(&chunk)?;
        }
        Ok(staging.finish()?)
    });
    let mut stream = body.into_data_stream();
    let mut broken = None;
    // A file may be large and the link slow, so an upload gets ten body timeouts in all, and
    // no more than one body timeout of silence between two chunks (issue 11: a body
    // trickled or stalled does not hold the connection).
    let deadline = tokio::time::Instant::now() + state.body_timeout.saturating_mul(10);
    let mut timed_out = false;
    loop {
        let wait = state.body_timeout.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        let Ok(next) = tokio::time::timeout(wait, stream.next()).await else {
            timed_out = true;
            break;
        };
        let Some(chunk) = next else { break };
        match chunk {
            Ok(c) => {
                if sender.send(c).await.is_err() {
                    break; // the writer stopped: the file is too large, or the disk failed
                }
            }
            Err(e) => {
                broken = Some(e.to_string());
                break;
            }
        }
    }
    drop(sender);
    let staged = writer.await.map_err(|e| ApiError::Internal(format!("a worker failed: {e}")))?;
    if timed_out {
        // The staged part is dropped with `staged` (an unfinished upload leaves no file).
        return Err(ApiError::new(
            ErrorCode::BodyTimeout,
            format!(
                "Tệp gửi lên không đến đủ trong thời hạn (tối đa {} giây im lặng, {} giây cả tệp).",
                state.body_timeout.as_secs(),
                state.body_timeout.saturating_mul(10).as_secs()
            ),
        ));
    }
    let staged = match staged {
        Ok(s) => s,
        Err(StageError::TooLarge { .. }) => return Err(too_large()),
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    };
    if let Some(e) = broken {
        return Err(ApiError::new(ErrorCode::UnreadableBody, format!("không đọc được hết tệp gửi lên: {e}")));
    }
    let media_type = sniff(&staged.head)?;
    let store = std::sync::Arc::clone(&state.store);
    let actor = caller.actor();
    let (created, row) = blocking(move || {
        store.write(|tx| {
            if let Some(existing) = evidence::find(tx, &round, &unit, &staged.sha256)? {
                return Ok((false, existing));
            }
            let used = u64::try_from(evidence::used_bytes(tx, &round, &unit)?).unwrap_or(0);
            if used.saturating_add(staged.size) > limits.unit_quota_bytes {
                return Err(ApiError::new(
                    ErrorCode::QuotaExceeded,
                    format!(
                        "vượt hạn mức tệp minh chứng của đơn vị: đã dùng {used} byte, tệp này {} byte, hạn mức {} byte",
                        staged.size, limits.unit_quota_bytes
                    ),
                ));
            }
            let row = FileRow {
                round: round.clone(),
                unit: unit.clone(),
                sha256: staged.sha256.clone(),
                size: i64::try_from(staged.size).unwrap_or(i64::MAX),
                media_type: media_type.to_owned(),
                name,
                uploaded_at: String::new(),
                uploaded_by: actor.clone(),
            };
            // On disk and whole before the row that names it is committed.
            staged.place(&dir).map_err(|e| ApiError::Internal(format!("không lưu được tệp: {e}")))?;
            evidence::record(tx, &row, &actor)?;
            let row = evidence::find(tx, &round, &unit, &row.sha256)?.unwrap_or(row);
            Ok((true, row))
        })
    })
    .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(file_json(&row))).into_response())
}

/// `GET …/units/{unit}/evidence`: the unit's files, what they use and the limits.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let st = state.clone();
    let value = read(&state, move |tx| {
        unit_docs(&st, tx, &caller, &round, &unit)?;
        let limits = Workflow::load(tx, &round)?.evidence;
        let files: Vec<Value> = evidence::list(tx, &round, Some(&unit))?.iter().map(file_json).collect();
        Ok(json!({
            "files": files,
            "used_bytes": evidence::used_bytes(tx, &round, &unit)?,
            "unit_quota_bytes": limits.unit_quota_bytes,
            "max_file_bytes": limits.max_file_bytes,
        }))
    })
    .await?;
    Ok(Json(value))
}

/// `GET …/units/{unit}/evidence/{file}` (`sha256:<hex>` or the hex): the file, streamed,
/// with its recognised type, `Content-Disposition: attachment` and `nosniff`.
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path((round, unit, file)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let sha = file.strip_prefix("sha256:").unwrap_or(&file).to_owned();
    let unknown = |sha: &str, unit: &str| {
        ApiError::new(ErrorCode::UnknownFile, format!("đơn vị '{unit}' không có tệp sha256:{sha}"))
    };
    if !evidence::is_sha256(&sha) {
        return Err(unknown(&sha, &unit));
    }
    let st = state.clone();
    let row = read(&state, move |tx| {
        unit_docs(&st, tx, &caller, &round, &unit)?;
        evidence::find(tx, &round, &unit, &sha)?.ok_or_else(|| unknown(&sha, &unit))
    })
    .await?;
    let path = evidence::stored_path(&state.store.evidence_dir(), &row.sha256);
    let file = blocking(move || {
        std::fs::File::open(&path).map_err(|e| {
            ApiError::Internal(format!("tệp {} không đọc được ({e}): chạy parindex audit verify", path.display()))
        })
    })
    .await?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut file = file;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let chunk = Bytes::copy_from_slice(buf.get(..n).unwrap_or_default());
                    if sender.blocking_send(Ok(chunk)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    let _ = sender.blocking_send(Err(e));
                    break;
                }
            }
        }
    });
    let stream = futures_util::stream::unfold(receiver, |mut r| async move { r.recv().await.map(|c| (c, r)) });
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    let header = |v: String| HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    h.insert(CONTENT_TYPE, header(row.media_type.clone()));
    h.insert(CONTENT_LENGTH, header(row.size.to_string()));
    h.insert(CONTENT_DISPOSITION, header(disposition(&row.name)));
    h.insert(ETAG, header(format!("\"sha256:{}\"", row.sha256)));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_disposition_is_safe() {
        assert_eq!(clean_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_name(Some("a\"b\nc.pdf")), "abc.pdf");
        assert_eq!(clean_name(None), "minh-chung");
        let d = disposition("QĐ 15.pdf");
        assert!(d.starts_with("attachment; filename=\"Q_ 15.pdf\"; filename*=UTF-8''Q%C4%90%2015.pdf"), "{d}");
    }

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n...").ok(), Some("application/pdf"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).ok(), Some("image/png"));
        assert!(sniff(b"#!/bin/sh\necho hi").is_err());
        // A ZIP whose first entry is under word/ is a Word document; another ZIP is refused.
        let zip = |name: &str| {
            let mut z = vec![b'P', b'K', 3, 4];
            z.extend_from_slice(&[0; 26]);
            z.extend_from_slice(name.as_bytes());
            z.extend_from_slice(&[0; 64]);
            z
        };
        assert_eq!(
            sniff(&zip("word/document.xml")).ok(),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(
            sniff(&zip("xl/workbook.xml")).ok(),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        assert!(sniff(&zip("payload.exe")).is_err());
        assert!(sniff(b"MZ\x90\x00\x03\x00\x00\x00").is_err());
    }
}
