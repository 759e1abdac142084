//! Export: the round as a folder that `parindex score` scores offline to the same bytes —
//! as a JSON bundle (`parindex/round-bundle@1`) or a tar archive of the folder.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

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
/// `{"format": "parindex/round-bundle@1", "round", "files": {path: document}}`. Streamed as
/// compact JSON: the documents are read in one transaction, then written one at a time as
/// the client takes them, each evidence file read from disk as its turn comes.
pub async fn bundle(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let dir = state.store.evidence_dir();
    let (round, files, carried) = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let carried = carried_files(tx, &round, &files)?;
        let mut found = Vec::with_capacity(carried.len());
        for row in carried {
            let path = evidence::stored_path(&dir, &row.sha256);
            std::fs::metadata(&path)
                .map_err(|e| ApiError::Internal(format!("tệp minh chứng sha256:{} không đọc được: {e}", row.sha256)))?;
            found.push((row, path));
        }
        Ok((round, files, found))
    })
    .await?;
    let body = stream(round.clone(), "export", move |out| bundle_to(&round, &files, &carried, out));
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

/// Writes the bundle as `serde_json` writes the same value, compact, keys in this order.
fn bundle_to(
    round: &str,
    files: &std::collections::BTreeMap<String, String>,
    carried: &[(evidence::FileRow, std::path::PathBuf)],
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    out.write_all(b"{\"format\":")?;
    serde_json::to_writer(&mut *out, BUNDLE_FORMAT)?;
    out.write_all(b",\"round\":")?;
    serde_json::to_writer(&mut *out, round)?;
    out.write_all(b",\"files\":{")?;
    for (i, (path, text)) in files.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, path)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, &parse(text))?;
    }
    out.write_all(b"}")?;
    if !carried.is_empty() {
        out.write_all(b",\"evidence\":{")?;
        for (i, (row, path)) in carried.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, &row.sha256)?;
            out.write_all(b":{\"name\":")?;
            serde_json::to_writer(&mut *out, &row.name)?;
            out.write_all(b",\"type\":")?;
            serde_json::to_writer(&mut *out, &row.media_type)?;
            out.write_all(b",\"size\":")?;
            serde_json::to_writer(&mut *out, &row.size)?;
            out.write_all(b",\"base64\":\"")?;
            base64_to(std::fs::File::open(path)?, out)?;
            out.write_all(b"\"}")?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"}")
}

/// The base64 of everything `file` holds, written to `out` piece by piece (each piece but
/// the last a multiple of 3 bytes, so that the pieces' encodings join into the whole's).
fn base64_to(mut file: impl std::io::Read, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut buf = vec![0u8; 3 * 16 * 1024];
    loop {
        let mut filled = 0;
        while filled < buf.len() {
            match file.read(buf.get_mut(filled..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        out.write_all(base64(buf.get(..filled).unwrap_or_default()).as_bytes())?;
        if filled < buf.len() {
            return Ok(());
        }
    }
}

/// A response body written by `write` on a blocking thread, sent in [`PIECE`]-byte pieces
/// as the client takes them; `what` and `round` name it in the log if it ends unfinished.
fn stream(
    round: String,
    what: &'static str,
    write: impl FnOnce(&mut Pieces) -> std::io::Result<()> + Send + 'static,
) -> Body {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut out = Pieces { sender, buf: Vec::with_capacity(PIECE) };
        if let Err(e) = write(&mut out).and_then(|()| out.send()) {
            // The client has gone (nothing to tell), or a file could not be read: the
            // response ends unfinished, which the client sees.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                tracing::debug!(round = %round, what, "the client has gone");
            } else {
                tracing::warn!(error = %e, round = %round, what, "an export ended unfinished");
            }
            let _ = out.sender.blocking_send(Err(e));
        }
    });
    Body::from_stream(futures_util::stream::unfold(receiver, |mut r| async move { r.recv().await.map(|c| (c, r)) }))
}

/// `GET /v1/rounds/{round}/export.tar` (admin, appraiser, auditor): the round folder as a
/// tar archive, its files under `{round}/`. Streamed: the documents are read in one
/// transaction, then the archive is written piece by piece as the client takes it, each
/// evidence file read from disk as its turn comes (never the whole archive in memory).
pub async fn archive(
    State(state): State<AppState>,
    caller: Caller,
    Path(round): Path<String>,
) -> Result<Response, ApiError> {
    let st = state.clone();
    let dir = state.store.evidence_dir();
    let (name, entries) = read(&state, move |tx| {
        let model = round_for(&st, tx, &caller, &round)?;
        let files = round_files(tx, &model)?;
        let carried = carried_files(tx, &round, &files)?;
        // The assessments/ folder is always there, empty or not: a round folder without one is
        // refused (docs/spec-readings.md), and `tar xf` then `parindex score` must work.
        let mut entries: Vec<(String, Entry)> =
            std::iter::once((format!("{round}/assessments/"), Entry::Text(Vec::new())))
                .chain(files.into_iter().map(|(p, t)| (format!("{round}/{p}"), Entry::Text(t.into_bytes()))))
                .collect();
        for row in carried {
            let path = evidence::stored_path(&dir, &row.sha256);
            let size = std::fs::metadata(&path)
                .map_err(|e| ApiError::Internal(format!("tệp minh chứng sha256:{} không đọc được: {e}", row.sha256)))?
                .len();
            entries.push((format!("{round}/evidence/{}", row.sha256), Entry::File { path, size }));
        }
        Ok((round, entries))
    })
    .await?;
    let disposition = format!("attachment; filename=\"{name}.tar\"");
    let body = stream(name, "export.tar", move |out| tar_to(&entries, out));
    let headers = [(CONTENT_TYPE, "application/x-tar".to_owned()), (CONTENT_DISPOSITION, disposition)];
    Ok((headers, body).into_response())
}

/// The size of the pieces an export is sent in.
const PIECE: usize = 64 * 1024;

/// One entry of the archive: text read from the store, or an evidence file on disk.
#[derive(Debug)]
enum Entry {
    Text(Vec<u8>),
    File { path: std::path::PathBuf, size: u64 },
}

/// A writer that sends what it is given to the response in pieces of [`PIECE`] bytes,
/// waiting while the client has not taken the pieces before (at most four in flight).
struct Pieces {
    sender: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Pieces {
    /// Sends what is buffered.
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE)));
        self.sender.blocking_send(Ok(piece)).map_err(|_| std::io::ErrorKind::BrokenPipe.into())
    }
}

impl std::io::Write for Pieces {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = data.len().min(PIECE - self.buf.len());
        self.buf.extend_from_slice(data.get(..n).unwrap_or_default());
        if self.buf.len() >= PIECE {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A file read to exactly `left` more bytes: shorter is an error, not a short entry.
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: std::io::Read> std::io::Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let want = usize::try_from(self.left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "an evidence file is shorter than it was",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
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

/// Writes the tar archive of `entries` (path, contents) to `out`: regular files, mode 0644,
/// time 0, and a folder (mode 0755) for a path that ends with `/`; a path longer than a tar
/// header holds (a long unit id) is written as a GNU long name.
fn tar_to(entries: &[(String, Entry)], out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut builder = tar::Builder::new(out);
    for (path, entry) in entries {
        let mut header = tar::Header::new_gnu();
        let folder = path.ends_with('/');
        header.set_entry_type(if folder { tar::EntryType::Directory } else { tar::EntryType::Regular });
        header.set_mode(if folder { 0o755 } else { 0o644 });
        header.set_mtime(0);
        match entry {
            Entry::Text(data) => {
                header.set_size(data.len() as u64);
                builder.append_data(&mut header, path, data.as_slice())?;
            }
            Entry::File { path: file, size } => {
                header.set_size(*size);
                let inner = std::io::Read::take(std::fs::File::open(file)?, *size);
                builder.append_data(&mut header, path, Exact { inner, left: *size })?;
            }
        }
    }
    builder.into_inner()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use std::io::Read;

    use super::{Entry, tar_to};

    fn tar_file(files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let entries: Vec<(String, Entry)> = files.iter().map(|(p, d)| (p.clone(), Entry::Text(d.clone()))).collect();
        let mut out = Vec::new();
        tar_to(&entries, &mut out).unwrap();
        out
    }

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
    fn the_streamed_bundle_is_what_serde_json_writes_for_the_whole_value() {
        use serde_json::{Map, Value, json};
        let files: std::collections::BTreeMap<String, String> = [
            ("round.json", r#"{"id": "r", "n": 1.50, "s": "Sở \"Nội\" vụ\n"}"#),
            ("assessments/so-a.json", r#"{"unit": "so-a", "entries": {"1.1": {"input": true}}}"#),
            ("criteria/bad.json", "not json"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.to_owned()))
        .collect();
        let dir = std::env::temp_dir().join(format!("parindex-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Sizes around the 48 KiB pieces base64 is written in.
        let mut carried = Vec::new();
        let mut evidence = Map::new();
        for (i, size) in [0usize, 1, 2, 3 * 16 * 1024, 3 * 16 * 1024 + 1, 100_000].into_iter().enumerate() {
            let bytes: Vec<u8> = (0..size).map(|b| (b * 7 + i) as u8).collect();
            let path = dir.join(format!("f{i}"));
            std::fs::write(&path, &bytes).unwrap();
            let row = parindex_store::evidence::FileRow {
                round: "r".into(),
                unit: "so-a".into(),
                sha256: format!("{i:064}"),
                name: format!("QĐ {i}.pdf"),
                media_type: "application/pdf".into(),
                size: size as i64,
                uploaded_at: "2026-01-01T00:00:00Z".into(),
                uploaded_by: "unit:so-a#2".into(),
            };
            evidence.insert(
                row.sha256.clone(),
                json!({"name": row.name, "type": row.media_type, "size": row.size, "base64": super::base64(&bytes)}),
            );
            carried.push((row, path));
        }
        let docs: Map<String, Value> = files.iter().map(|(p, t)| (p.clone(), super::parse(t))).collect();
        for (carried, whole) in [
            (&[][..], json!({ "format": super::BUNDLE_FORMAT, "round": "r", "files": docs })),
            (
                &carried[..],
                json!({ "format": super::BUNDLE_FORMAT, "round": "r", "files": docs, "evidence": evidence }),
            ),
        ] {
            let mut out = Vec::new();
            super::bundle_to("r", &files, carried, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&whole).unwrap());
        }
        let _ = std::fs::remove_dir_all(&dir);
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
            ("r/assessments/".to_owned(), Vec::new()),
            (format!("r/assessments/{unit}.json"), vec![b'x'; 700]),
            (format!("{}/{}", "d".repeat(120), "f.json"), b"[]".to_vec()),
        ];
        let bytes = tar_file(&files);
        assert_eq!(bytes.len() % 512, 0);
        assert_eq!(read(&bytes), files);
    }
}
