//! Evidence files (tài liệu kiểm chứng uploaded as files): stored once by their SHA-256 in
//! the evidence folder next to the database (`<db>.evidence/sha256/<2 hex>/<64 hex>`), with
//! one row per (round, unit, file) in `evidence_files`. See `docs/evidence.md`.
//!
//! An upload is written to `<folder>/tmp/` while it is hashed ([`Staging`]), synced, then
//! renamed into place (atomic on one file system) before its row is committed: a row never
//! names a file that is not whole on disk, and a process killed mid-upload leaves at most
//! an unreferenced file under `tmp/`.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use parindex_core::digest::Sha256;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::audit::{self, Broken};
use crate::{StoreError, documents, time};

/// How many leading bytes of an upload are kept to recognise its type.
pub const HEAD_BYTES: usize = 64 * 1024;

/// One unit's stored file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRow {
    /// The round.
    pub round: String,
    /// The unit that uploaded it.
    pub unit: String,
    /// SHA-256 of its bytes (64 lowercase hex).
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its type as recognised from its content (e.g. `application/pdf`).
    pub media_type: String,
    /// The name it was uploaded under (for `Content-Disposition`).
    pub name: String,
    /// When (RFC 3339, UTC).
    pub uploaded_at: String,
    /// Who: the token's role and number.
    pub uploaded_by: String,
}

const COLUMNS: &str = "round_id, unit, sha256, size, media_type, name, uploaded_at, uploaded_by";

fn from_row(r: &Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        round: r.get(0)?,
        unit: r.get(1)?,
        sha256: r.get(2)?,
        size: r.get(3)?,
        media_type: r.get(4)?,
        name: r.get(5)?,
        uploaded_at: r.get(6)?,
        uploaded_by: r.get(7)?,
    })
}

/// The evidence folder of the database at `db`: `<db>.evidence`.
pub fn folder(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".evidence");
    PathBuf::from(name)
}

/// Whether `text` is 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the file with digest `sha256` is kept under `dir`.
pub fn stored_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join("sha256").join(sha256.get(..2).unwrap_or("00")).join(sha256)
}

/// The audit target of a unit's file.
pub fn key(round: &str, unit: &str, sha256: &str) -> String {
    format!("rounds/{round}/units/{unit}/evidence/{sha256}")
}

/// Why an upload could not be staged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StageError {
    /// The file is larger than the limit.
    #[error("the file is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The disk failed.
    #[error("the file could not be written: {0}")]
    Io(#[from] io::Error),
}

/// An upload being written to `tmp/` and hashed as it arrives. Dropped unfinished, it
/// removes its temporary file.
#[derive(Debug)]
pub struct Staging {
    file: Option<File>,
    tmp: PathBuf,
    hasher: Sha256,
    size: u64,
    limit: u64,
    head: Vec<u8>,
}

fn random_name() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Unique enough within this process: the name is only a temporary one.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        return format!("{}-{nanos}", std::process::id());
    }
    parindex_core::digest::hex(&bytes)
}

/// Removes what uploads cut short by a killed process left in `dir/tmp/` (`upload-…` files:
/// never referenced, see the module's documentation) and returns how many were removed. Call
/// it only while no upload can be under way: the server does at start, holding the
/// database's lock ([`crate::DbLock`]).
pub fn clear_staging(dir: &Path) -> io::Result<usize> {
    let entries = match fs::read_dir(dir.join("tmp")) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let is_upload = entry.file_name().to_str().is_some_and(|n| n.starts_with("upload-"));
        if is_upload && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

impl Staging {
    /// Starts an upload into `dir/tmp/`, refused beyond `limit` bytes.
    pub fn new(dir: &Path, limit: u64) -> io::Result<Staging> {
        let tmp_dir = dir.join("tmp");
        fs::create_dir_all(&tmp_dir)?;
        let tmp = tmp_dir.join(format!("upload-{}", random_name()));
        let file = File::options().write(true).create_new(true).open(&tmp)?;
        Ok(Staging { file: Some(file), tmp, hasher: Sha256::new(), size: 0, limit, head: Vec::new() })
    }

    /// Appends `chunk`.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), StageError> {
        self.size = self.size.saturating_add(chunk.len() as u64);
        if self.size > self.limit {
            return Err(StageError::TooLarge { limit: self.limit });
        }
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(chunk.get(..take).unwrap_or_default());
        }
        self.hasher.update(chunk);
        match self.file.as_mut() {
            Some(f) => f.write_all(chunk)?,
            None => return Err(StageError::Io(io::Error::other("the upload is already finished"))),
        }
        Ok(())
    }

    /// Syncs the file to disk and hands it over for [`Staged::place`].
    pub fn finish(mut self) -> io::Result<Staged> {
        if let Some(f) = self.file.take() {
            f.sync_all()?;
        }
        let tmp = std::mem::take(&mut self.tmp);
        let hasher = std::mem::take(&mut self.hasher);
        Ok(Staged {
            tmp,
            sha256: hasher.finish_hex(),
            size: self.size,
            head: std::mem::take(&mut self.head),
            placed: false,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// A whole upload on disk under `tmp/`, hashed. Dropped before [`Staged::place`], it
/// removes its temporary file.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its size.
    pub size: u64,
    /// Its first bytes (up to [`HEAD_BYTES`]), to recognise its type.
    pub head: Vec<u8>,
    placed: bool,
}

impl Staged {
    /// Renames the file to its place under `dir` (atomic), unless a sound copy is there
    /// already; syncs the folder. Returns the stored path.
    pub fn place(mut self, dir: &Path) -> io::Result<PathBuf> {
        let target = stored_path(dir, &self.sha256);
        if target.is_file() && hash_file(&target).ok().as_deref() == Some(self.sha256.as_str()) {
            return Ok(target);
        }
        let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
        fs::create_dir_all(&parent)?;
        fs::rename(&self.tmp, &target)?;
        self.placed = true;
        if let Ok(d) = File::open(&parent) {
            let _ = d.sync_all();
        }
        Ok(target)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// The SHA-256 of the file at `path`, read in pieces.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hasher.finish_hex())
}

/// Records `row` (a no-op if the unit already has that file) and appends the audit event
/// `evidence.upload` for it. Returns whether it is new.
pub fn record(conn: &Connection, row: &FileRow, actor: &str) -> Result<bool, StoreError> {
    let n = conn.execute(
        &format!("INSERT OR IGNORE INTO evidence_files ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![row.round, row.unit, row.sha256, row.size, row.media_type, row.name, time::now_rfc3339(), actor],
    )?;
    if n > 0 {
        audit::append(conn, actor, "evidence.upload", &key(&row.round, &row.unit, &row.sha256), &row.sha256)?;
    }
    Ok(n > 0)
}

/// The unit's file with digest `sha256`, if it uploaded one.
pub fn find(conn: &Connection, round: &str, unit: &str, sha256: &str) -> Result<Option<FileRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM evidence_files WHERE round_id = ?1 AND unit = ?2 AND sha256 = ?3"),
            params![round, unit, sha256],
            from_row,
        )
        .optional()?)
}

/// The files of `round` (of one unit when `unit` is given), by unit and upload order.
pub fn list(conn: &Connection, round: &str, unit: Option<&str>) -> Result<Vec<FileRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM evidence_files WHERE round_id = ?1 AND (?2 IS NULL OR unit = ?2)
         ORDER BY unit, uploaded_at, sha256"
    ))?;
    let rows = stmt.query_map(params![round, unit], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The bytes the unit's files take (its quota's use).
pub fn used_bytes(conn: &Connection, round: &str, unit: &str) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE round_id = ?1 AND unit = ?2",
        params![round, unit],
        |r| r.get(0),
    )?)
}

/// Every `sha256:<64 hex>` in a document's text (the `file` of its evidence items).
pub fn referenced(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("\"sha256:") {
        let after = rest.get(i + 8..).unwrap_or_default();
        if let Some(hex) = after.get(..64)
            && is_sha256(hex)
            && after.get(64..65) == Some("\"")
        {
            out.push(hex.to_owned());
        }
        rest = after;
    }
    out
}

/// Checks the evidence files against the store: every file a unit's document references
/// was uploaded by that unit, and every uploaded file is in `dir` with the bytes its
/// SHA-256 names. Returns how many files were checked, or the first fault.
pub fn verify(conn: &Connection, dir: &Path) -> Result<Result<usize, Broken>, StoreError> {
    for d in documents::all(conn)? {
        for sha in referenced(&d.doc) {
            if find(conn, &d.round, &d.subject, &sha)?.is_none() {
                return Ok(Err(Broken::new(
                    0,
                    format!("document {} references the file sha256:{sha}, which its unit never uploaded", d.key),
                    format!("tài liệu {} dẫn chiếu tệp sha256:{sha} mà đơn vị của nó chưa từng tải lên", d.key),
                )));
            }
        }
    }
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM evidence_files ORDER BY round_id, unit, sha256"))?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<Vec<_>, _>>()?;
    let mut checked = std::collections::BTreeSet::new();
    for row in &rows {
        if checked.contains(&row.sha256) {
            continue;
        }
        let path = stored_path(dir, &row.sha256);
        match hash_file(&path) {
            Err(e) => {
                return Ok(Err(Broken::new(
                    0,
                    format!("evidence file sha256:{} is missing at {}: {e}", row.sha256, path.display()),
                    format!("không đọc được tệp minh chứng sha256:{} tại {}: {e}", row.sha256, path.display()),
                )));
            }
            Ok(actual) if actual != row.sha256 => {
                return Ok(Err(Broken::new(
                    0,
                    format!(
                        "evidence file sha256:{} at {} has SHA-256 {actual} (it was changed on disk)",
                        row.sha256,
                        path.display()
                    ),
                    format!(
                        "tệp minh chứng sha256:{} tại {} có SHA-256 {actual} (tệp đã bị sửa trên đĩa)",
                        row.sha256,
                        path.display()
                    ),
                )));
            }
            Ok(_) => {
                checked.insert(row.sha256.clone());
            }
        }
    }
    Ok(Ok(checked.len()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn finds_file_references_in_text() {
        let a = "a".repeat(64);
        let text = format!("{{\"file\": \"sha256:{a}\", \"x\": \"sha256:short\", \"y\": \"sha256:{a}x\"}}");
        assert_eq!(referenced(&text), vec![a]);
    }

    #[test]
    fn clearing_removes_only_the_uploads_left_in_tmp() {
        let dir = std::env::temp_dir().join(format!("parindex-clear-{}", std::process::id()));
        assert_eq!(clear_staging(&dir).unwrap(), 0, "no folder yet");
        fs::create_dir_all(dir.join("tmp")).unwrap();
        fs::write(dir.join("tmp/upload-1"), b"half").unwrap();
        fs::write(dir.join("tmp/upload-2"), b"half").unwrap();
        fs::write(dir.join("tmp/keep.txt"), b"not ours").unwrap();
        assert_eq!(clear_staging(&dir).unwrap(), 2);
        let left: Vec<_> = fs::read_dir(dir.join("tmp")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("keep.txt")]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unfinished_upload_leaves_no_file() {
        let dir = std::env::temp_dir().join(format!("parindex-stage-{}", std::process::id()));
        let mut s = Staging::new(&dir, 4).unwrap();
        s.write(b"abc").unwrap();
        assert!(matches!(s.write(b"de"), Err(StageError::TooLarge { limit: 4 })));
        drop(s);
        assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        let mut s = Staging::new(&dir, 10).unwrap();
        s.write(b"abc").unwrap();
        let staged = s.finish().unwrap();
        assert_eq!(staged.sha256, crate::sha256_hex(b"abc"));
        let path = staged.place(&dir).unwrap();
        assert_eq!(fs::read(path).unwrap(), b"abc");
        assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        let _ = fs::remove_dir_all(&dir);
    }
}
