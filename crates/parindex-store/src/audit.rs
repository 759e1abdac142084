//! The audit log: every write appends an event (who, when, what, the SHA-256 of the
//! document written) whose hash covers the previous event's hash, so that editing,
//! removing or reordering any past event breaks the chain from there on.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::{StoreError, documents, sha256_hex, time, tokens};

/// The `prev` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Its place in the log, from 1.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: the token's role and number (`admin#1`, `unit:so-noi-vu#7`), or `cli`.
    pub actor: String,
    /// What was done, e.g. `self.submit`.
    pub action: String,
    /// The document's key.
    pub target: String,
    /// SHA-256 of the document as written.
    pub doc_sha256: String,
    /// The previous event's hash ([`GENESIS`] for the first).
    pub prev: String,
    /// SHA-256 over `prev` and this event's fields.
    pub hash: String,
}

/// The hash of an event: SHA-256 of its fields and the previous hash, one per line.
pub fn link_hash(prev: &str, seq: i64, at: &str, actor: &str, action: &str, target: &str, doc_sha256: &str) -> String {
    sha256_hex(format!("{prev}\n{seq}\n{at}\n{actor}\n{action}\n{target}\n{doc_sha256}").as_bytes())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        doc_sha256: r.get(5)?,
        prev: r.get(6)?,
        hash: r.get(7)?,
    })
}

const COLUMNS: &str = "seq, at, actor, action, target, doc_sha256, prev, hash";

/// Appends an event after the last one. Call it inside the write's transaction.
pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    target: &str,
    doc_sha256: &str,
) -> Result<Event, StoreError> {
    let last: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = time::now_rfc3339();
    let hash = link_hash(&prev, seq, &at, actor, action, target, doc_sha256);
    conn.execute(
        &format!("INSERT INTO audit ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![seq, at, actor, action, target, doc_sha256, prev, hash],
    )?;
    Ok(Event {
        seq,
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        doc_sha256: doc_sha256.to_owned(),
        prev,
        hash,
    })
}

/// Up to `limit` events after `after` (a sequence number), oldest first, optionally only
/// those whose target starts with `prefix`.
pub fn list(conn: &Connection, after: i64, limit: i64, prefix: Option<&str>) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit WHERE seq > ?1 AND (?3 IS NULL OR substr(target, 1, length(?3)) = ?3)
         ORDER BY seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after, limit, prefix], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// What `verify` found when the log is sound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Events checked.
    pub events: i64,
    /// Documents checked against their last event.
    pub documents: usize,
    /// Tokens checked against their last event.
    pub tokens: usize,
    /// The hash of the last event (the head of the chain).
    pub head: String,
}

/// The first place where the log or a document does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The event at fault (0 when the fault is in a document with no event).
    pub seq: i64,
    /// What is wrong, in English.
    pub reason: String,
    /// What is wrong, in Vietnamese (the same ids, keys and hashes).
    pub reason_vi: String,
}

impl Broken {
    /// At `seq`, `en` for a reader of English, `vi` for a reader of Vietnamese.
    pub fn new(seq: i64, en: impl Into<String>, vi: impl Into<String>) -> Self {
        Broken { seq, reason: en.into(), reason_vi: vi.into() }
    }

    /// What is wrong, for a reader of Vietnamese (`vi`) or of English.
    pub fn reason_in(&self, vi: bool) -> &str {
        if vi { &self.reason_vi } else { &self.reason }
    }
}

/// Whether `target` names an uploaded evidence file (`…/evidence/<sha256>`): those are not
/// documents, and are checked against their own records, not here.
fn is_file(target: &str) -> bool {
    target.contains("/evidence/")
}

/// Checks the whole chain, event by event, then ties the log to the stored data both ways:
/// every stored document and token is the one its last audit event recorded, and every
/// document and token the log names is still there. Returns the first broken link.
pub fn verify(conn: &Connection) -> Result<Result<Verified, Broken>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY seq"))?;
    let events = stmt.query_map([], from_row)?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut last_sha: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for event in events {
        let e = event?;
        if e.seq != expected_seq {
            return Ok(Err(Broken::new(
                e.seq,
                format!("event {} is missing: the log jumps to {}", expected_seq, e.seq),
                format!("thiếu sự kiện {}: nhật ký nhảy tới sự kiện {}", expected_seq, e.seq),
            )));
        }
        if e.prev != prev {
            return Ok(Err(Broken::new(
                e.seq,
                "its `prev` is not the hash of the event before it",
                "trường `prev` của sự kiện không phải mã băm của sự kiện liền trước",
            )));
        }
        let hash = link_hash(&e.prev, e.seq, &e.at, &e.actor, &e.action, &e.target, &e.doc_sha256);
        if hash != e.hash {
            return Ok(Err(Broken::new(
                e.seq,
                "its fields do not hash to its recorded hash (the event was edited)",
                "các trường của sự kiện không cho ra mã băm đã ghi (sự kiện đã bị sửa)",
            )));
        }
        last_sha.insert(e.target.clone(), (e.seq, e.doc_sha256.clone()));
        prev = e.hash;
        expected_seq += 1;
    }
    let docs = documents::all(conn)?;
    for d in &docs {
        let actual = sha256_hex(d.doc.as_bytes());
        match last_sha.get(&d.key) {
            None => {
                return Ok(Err(Broken::new(
                    0,
                    format!("document {} has no audit event", d.key),
                    format!("tài liệu {} không có sự kiện nào trong nhật ký kiểm toán", d.key),
                )));
            }
            Some((seq, sha)) if *sha != actual => {
                return Ok(Err(Broken::new(
                    *seq,
                    format!("document {} is not the one its last audit event recorded (it was edited)", d.key),
                    format!(
                        "tài liệu {} không phải tài liệu mà sự kiện cuối của nó đã ghi (tài liệu đã bị sửa)",
                        d.key
                    ),
                )));
            }
            Some(_) => {}
        }
    }
    let all_tokens = tokens::list(conn)?;
    for t in &all_tokens {
        let target = tokens::target(t.id);
        let Some((seq, sha)) = last_sha.get(&target) else {
            return Ok(Err(Broken::new(
                0,
                format!("token #{} has no audit event", t.id),
                format!("token #{} không có sự kiện nào trong nhật ký kiểm toán", t.id),
            )));
        };
        let matches = *sha == sha256_hex(t.record().as_bytes())
            || (t.revoked_at.is_none() && *sha == sha256_hex(t.legacy_record().as_bytes()));
        if !matches {
            return Ok(Err(Broken::new(
                *seq,
                format!(
                    "token #{} is not the one its last audit event recorded (its role, hash, label, expiry or \
                     revocation was edited)",
                    t.id
                ),
                format!(
                    "token #{} không phải token mà sự kiện cuối của nó đã ghi (vai trò, mã băm, nhãn, hạn dùng \
                     hoặc việc thu hồi đã bị sửa)",
                    t.id
                ),
            )));
        }
    }
    // The other way: what the log names must still be stored, unless its last event
    // recorded its removal (the SHA-256 of the empty text).
    let doc_keys: std::collections::BTreeSet<&str> = docs.iter().map(|d| d.key.as_str()).collect();
    let token_keys: std::collections::BTreeSet<String> = all_tokens.iter().map(|t| tokens::target(t.id)).collect();
    let removed = sha256_hex(b"");
    for (target, (seq, sha)) in &last_sha {
        if is_file(target) || (*sha == removed && !target.starts_with("tokens/")) {
            continue;
        }
        let present = if target.starts_with("tokens/") {
            token_keys.contains(target)
        } else {
            doc_keys.contains(target.as_str())
        };
        if !present {
            let (what, what_vi) =
                if target.starts_with("tokens/") { ("token", "token") } else { ("document", "tài liệu") };
            return Ok(Err(Broken::new(
                *seq,
                format!("{what} {target}, written by this event, is no longer stored (it was deleted)"),
                format!("{what_vi} {target}, do sự kiện này ghi, không còn được lưu (đã bị xoá)"),
            )));
        }
    }
    Ok(Ok(Verified { events: expected_seq - 1, documents: docs.len(), tokens: all_tokens.len(), head: prev }))
}
