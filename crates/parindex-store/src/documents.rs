//! Documents: JSON text under a key, with a version that counts its writes, a finalised
//! flag, and who wrote it last. Every write appends an audit event for it.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::{StoreError, audit, sha256_hex, time};

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Its key, e.g. `rounds/dong-thap-2023/units/so-noi-vu/self`.
    pub key: String,
    /// The round it belongs to.
    pub round: String,
    /// What it is about: a unit's id, a criteria set's path in the round folder, or empty.
    pub subject: String,
    /// Its kind (`round`, `criteria`, `self`, `appraisal`, …: the API decides).
    pub kind: String,
    /// The appraisal stage it holds (0 for other kinds).
    pub stage: i64,
    /// The JSON text.
    pub doc: String,
    /// SHA-256 of `doc`.
    pub sha256: String,
    /// 1 for the first write, then one more for each.
    pub version: i64,
    /// Whether it may no longer change.
    pub finalised: bool,
    /// When it was last written (RFC 3339, UTC).
    pub updated_at: String,
    /// Who wrote it last.
    pub updated_by: String,
}

/// What to write.
#[derive(Debug, Clone, Copy)]
pub struct Put<'a> {
    /// The key.
    pub key: &'a str,
    /// The round.
    pub round: &'a str,
    /// The unit, criteria-set path, or "".
    pub subject: &'a str,
    /// The kind.
    pub kind: &'a str,
    /// The stage, or 0.
    pub stage: i64,
    /// The JSON text.
    pub doc: &'a str,
    /// Whether it is final from now on.
    pub finalised: bool,
}

const COLUMNS: &str = "key, round_id, subject, kind, stage, doc, sha256, version, finalised, updated_at, updated_by";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Doc> {
    Ok(Doc {
        key: r.get(0)?,
        round: r.get(1)?,
        subject: r.get(2)?,
        kind: r.get(3)?,
        stage: r.get(4)?,
        doc: r.get(5)?,
        sha256: r.get(6)?,
        version: r.get(7)?,
        finalised: r.get(8)?,
        updated_at: r.get(9)?,
        updated_by: r.get(10)?,
    })
}

/// The document under `key`.
pub fn get(conn: &Connection, key: &str) -> Result<Option<Doc>, StoreError> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM documents WHERE key = ?1"), params![key], from_row).optional()?)
}

/// Writes (creates or replaces) a document, counts its version up, and appends the audit
/// event `action` by `actor` for it. Returns the stored document.
pub fn put(conn: &Connection, put: &Put<'_>, actor: &str, action: &str) -> Result<Doc, StoreError> {
    let sha = sha256_hex(put.doc.as_bytes());
    let now = time::now_rfc3339();
    conn.execute(
        "INSERT INTO documents (key, round_id, subject, kind, stage, doc, sha256, version, finalised, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10)
         ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, sha256 = excluded.sha256, version = version + 1,
             finalised = excluded.finalised, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![put.key, put.round, put.subject, put.kind, put.stage, put.doc, sha, put.finalised, now, actor],
    )?;
    audit::append(conn, actor, action, put.key, &sha)?;
    get(conn, put.key)?.ok_or(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

/// The documents of `round`, optionally only those about `subject` and of `kind`, ordered
/// by subject, kind and stage.
pub fn list(conn: &Connection, round: &str, subject: Option<&str>, kind: Option<&str>) -> Result<Vec<Doc>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM documents WHERE round_id = ?1 AND (?2 IS NULL OR subject = ?2)
         AND (?3 IS NULL OR kind = ?3) ORDER BY subject, kind, stage"
    ))?;
    let rows = stmt.query_map(params![round, subject, kind], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Every document of `kind`, in key order.
pub fn of_kind(conn: &Connection, kind: &str) -> Result<Vec<Doc>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM documents WHERE kind = ?1 ORDER BY key"))?;
    let rows = stmt.query_map(params![kind], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Every document, in key order.
pub fn all(conn: &Connection) -> Result<Vec<Doc>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM documents ORDER BY key"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Removes the document under `key` (if any) and appends the audit event `action` by
/// `actor` for it, with the SHA-256 of the empty text as its document hash: the log keeps
/// that it was removed, and `audit verify` has no document left to compare. Returns whether
/// there was one.
pub fn remove(conn: &Connection, key: &str, actor: &str, action: &str) -> Result<bool, StoreError> {
    let n = conn.execute("DELETE FROM documents WHERE key = ?1", params![key])?;
    if n > 0 {
        audit::append(conn, actor, action, key, &sha256_hex(b""))?;
    }
    Ok(n > 0)
}
