//! Idempotency keys: the first successful response to a write is kept under the caller's
//! key, so that a retry gets that response again and changes nothing.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{StoreError, time};

/// A response kept under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// SHA-256 of the request (method, path, body) that used the key first.
    pub fingerprint: String,
    /// The HTTP status sent.
    pub status: u16,
    /// The body sent.
    pub body: String,
}

/// The response kept for `(token, key)`, if any.
pub fn find(conn: &Connection, token_id: i64, key: &str) -> Result<Option<Kept>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT fingerprint, status, body FROM idempotency WHERE token_id = ?1 AND key = ?2",
            params![token_id, key],
            |r| Ok(Kept { fingerprint: r.get(0)?, status: r.get(1)?, body: r.get(2)? }),
        )
        .optional()?)
}

/// Keeps `kept` under `(token, key)`.
pub fn keep(conn: &Connection, token_id: i64, key: &str, kept: &Kept) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO idempotency (token_id, key, fingerprint, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![token_id, key, kept.fingerprint, kept.status, kept.body, time::now_rfc3339()],
    )?;
    Ok(())
}
