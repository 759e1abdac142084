//! Bearer tokens: 32 random bytes from the operating system (`getrandom`), shown once,
//! stored only as their SHA-256.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{StoreError, sha256_hex, time};

/// Every token starts with this, so that a leaked one is easy to recognise.
pub const PREFIX: &str = "pix_";

/// A stored token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's number, shown in the audit log as `role#id`.
    pub id: i64,
    /// The role it grants: `admin`, `appraiser`, `auditor` or `unit:<id>`.
    pub role: String,
    /// A label for people.
    pub label: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// When it stops working (Unix seconds), if ever.
    pub expires_at: Option<i64>,
}

impl Token {
    /// Whether the token has expired at `now` (Unix seconds).
    pub fn expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A fresh secret: the prefix and 32 random bytes in hex.
pub fn new_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(format!("{PREFIX}{}", parindex_core::digest::hex(&bytes)))
}

/// Makes a token for `role`; returns it and its secret, which is not stored and cannot be
/// shown again.
pub fn create(
    conn: &Connection,
    actor: &str,
    role: &str,
    label: &str,
    expires_at: Option<i64>,
) -> Result<(Token, String), StoreError> {
    let secret = new_secret()?;
    let created_at = time::now_rfc3339();
    conn.execute(
        "INSERT INTO tokens (hash, role, label, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![sha256_hex(secret.as_bytes()), role, label, created_at, expires_at],
    )?;
    let id = conn.last_insert_rowid();
    let record = format!("{{\"id\":{id},\"role\":{role:?},\"label\":{label:?},\"expires_at\":{expires_at:?}}}");
    crate::audit::append(conn, actor, "token.create", &format!("tokens/{id}"), &sha256_hex(record.as_bytes()))?;
    Ok((Token { id, role: role.to_owned(), label: label.to_owned(), created_at, expires_at }, secret))
}

/// The token whose secret is `secret`, if any (expired or not: the caller decides).
pub fn find(conn: &Connection, secret: &str) -> Result<Option<Token>, StoreError> {
    let hash = sha256_hex(secret.as_bytes());
    let row = conn
        .query_row("SELECT id, role, label, created_at, expires_at FROM tokens WHERE hash = ?1", params![hash], |r| {
            Ok(Token { id: r.get(0)?, role: r.get(1)?, label: r.get(2)?, created_at: r.get(3)?, expires_at: r.get(4)? })
        })
        .optional()?;
    Ok(row)
}
