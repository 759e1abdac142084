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
    /// When it was revoked (RFC 3339, UTC), if it was.
    pub revoked_at: Option<String>,
    /// SHA-256 of its secret.
    pub hash: String,
}

impl Token {
    /// Whether the token has expired at `now` (Unix seconds).
    pub fn expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// The text whose SHA-256 the audit log records for this token as it is now: its
    /// number, the hash of its secret, role, label, expiry and revocation. Editing any of
    /// them in the database makes `audit::verify` fail.
    pub fn record(&self) -> String {
        let expires = self.expires_at.map_or_else(|| "null".to_owned(), |t| t.to_string());
        let revoked = self.revoked_at.as_ref().map_or_else(|| "null".to_owned(), |t| format!("{t:?}"));
        format!(
            "{{\"id\":{},\"hash\":{:?},\"role\":{:?},\"label\":{:?},\"expires_at\":{expires},\"revoked_at\":{revoked}}}",
            self.id, self.hash, self.role, self.label
        )
    }

    /// The record written by parindex before tokens were fully recorded (no hash, no
    /// revocation): still accepted for a token never revoked since.
    pub fn legacy_record(&self) -> String {
        format!(
            "{{\"id\":{},\"role\":{:?},\"label\":{:?},\"expires_at\":{:?}}}",
            self.id, self.role, self.label, self.expires_at
        )
    }
}

/// A fresh secret: the prefix and 32 random bytes in hex.
pub fn new_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(format!("{PREFIX}{}", parindex_core::digest::hex(&bytes)))
}

/// The audit target of token `id`: `tokens/{id}`.
pub fn target(id: i64) -> String {
    format!("tokens/{id}")
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
    let hash = sha256_hex(secret.as_bytes());
    conn.execute(
        "INSERT INTO tokens (hash, role, label, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, role, label, created_at, expires_at],
    )?;
    let id = conn.last_insert_rowid();
    let token =
        Token { id, role: role.to_owned(), label: label.to_owned(), created_at, expires_at, revoked_at: None, hash };
    crate::audit::append(conn, actor, "token.create", &target(id), &sha256_hex(token.record().as_bytes()))?;
    Ok((token, secret))
}

const COLUMNS: &str = "id, role, label, created_at, expires_at, revoked_at, hash";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Token> {
    Ok(Token {
        id: r.get(0)?,
        role: r.get(1)?,
        label: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        revoked_at: r.get(5)?,
        hash: r.get(6)?,
    })
}

/// The token whose secret is `secret`, if any (expired or revoked or not: the caller decides).
pub fn find(conn: &Connection, secret: &str) -> Result<Option<Token>, StoreError> {
    let hash = sha256_hex(secret.as_bytes());
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM tokens WHERE hash = ?1"), params![hash], from_row).optional()?)
}

/// Token number `id`, if any.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Token>, StoreError> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM tokens WHERE id = ?1"), params![id], from_row).optional()?)
}

/// Every token, by number.
pub fn list(conn: &Connection) -> Result<Vec<Token>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM tokens ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// What [`revoke`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// The token is revoked from now on.
    Now(Token),
    /// It was revoked before (nothing changed).
    Already(Token),
    /// There is no such token.
    Unknown,
}

/// Revokes token `id` (it is refused from then on) and records `token.revoke` by `actor`.
pub fn revoke(conn: &Connection, actor: &str, id: i64) -> Result<Revoked, StoreError> {
    let Some(mut token) = get(conn, id)? else { return Ok(Revoked::Unknown) };
    if token.revoked_at.is_some() {
        return Ok(Revoked::Already(token));
    }
    let at = time::now_rfc3339();
    conn.execute("UPDATE tokens SET revoked_at = ?1 WHERE id = ?2", params![at, id])?;
    token.revoked_at = Some(at);
    crate::audit::append(conn, actor, "token.revoke", &target(id), &sha256_hex(token.record().as_bytes()))?;
    Ok(Revoked::Now(token))
}
