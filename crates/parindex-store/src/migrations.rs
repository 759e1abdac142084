//! The schema, as numbered migrations recorded in SQLite's `user_version`.

use rusqlite::Connection;

use crate::StoreError;

/// Each migration, in order; migration `i` brings the database to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: documents, tokens, idempotency keys, the audit log.
    "CREATE TABLE documents (
        key        TEXT PRIMARY KEY,
        round_id   TEXT NOT NULL,
        subject    TEXT NOT NULL DEFAULT '',
        kind       TEXT NOT NULL,
        stage      INTEGER NOT NULL DEFAULT 0,
        doc        TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        version    INTEGER NOT NULL,
        finalised  INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX documents_by_round ON documents (round_id, subject, kind, stage);
    CREATE TABLE tokens (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        hash       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL,
        label      TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        expires_at INTEGER
    );
    CREATE TABLE idempotency (
        token_id    INTEGER NOT NULL,
        key         TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status      INTEGER NOT NULL,
        body        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (token_id, key)
    );
    CREATE TABLE audit (
        seq        INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        target     TEXT NOT NULL,
        doc_sha256 TEXT NOT NULL,
        prev       TEXT NOT NULL,
        hash       TEXT NOT NULL
    );",
    // 2 (issue 13): evidence files, stored by SHA-256 in the evidence folder; one row per
    // unit that uploaded the file (the same bytes from two units are stored once).
    "CREATE TABLE evidence_files (
        round_id    TEXT NOT NULL,
        unit        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        media_type  TEXT NOT NULL,
        name        TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        uploaded_by TEXT NOT NULL,
        PRIMARY KEY (round_id, unit, sha256)
    );",
    // 3: revoked tokens (`parindex token revoke`).
    "ALTER TABLE tokens ADD COLUMN revoked_at TEXT;",
];

/// Brings the database up to the newest schema, one transaction per migration.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
