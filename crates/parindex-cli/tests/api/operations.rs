//! What an operator does (issue 11, items 11, 12, 16): list and revoke tokens (recorded in
//! the audit log), find a deleted document or an edited token with `audit verify`, and back
//! up a live database into a copy that verifies and scores the same.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::common::*;

/// `parindex args` for a reader of English (the messages these tests read are English).
fn run(args: &[&str]) -> (i32, String, String) {
    run_in("en", args)
}

/// `parindex args` with `PARINDEX_LOCALE` set to `locale`.
fn run_in(locale: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).env("PARINDEX_LOCALE", locale).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn verify(db: &Path) -> (bool, String) {
    let (code, out, _) = run(&["audit", "verify", "--db", db.to_str().unwrap()]);
    (code == 0, out)
}

#[test]
fn tokens_are_listed_and_revoked_and_the_scheme_name_is_case_insensitive() {
    let s = Small::start("tokens", &[]);
    let db = s.db.to_str().unwrap();
    // `BEARER`, `bearer`, `Bearer`: one scheme.
    for scheme in ["BEARER", "bearer", "Bearer", "BeArEr"] {
        let auth = format!("{scheme} {}", s.auditor);
        let r = Connection::new(s.server.addr).send("GET", "/v1/rounds", &[("Authorization", &auth)], b"");
        assert_eq!(r.status, 200, "{scheme}: {}", r.text());
    }
    let (code, out, _) = run(&["token", "list", "--db", db]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first().copied(), Some("id\trole\tlabel\tcreated_at\texpires_at\trevoked_at"));
    assert_eq!(lines.len(), 6, "{out}");
    assert!(lines.iter().any(|l| l.starts_with("5\tunit:so-b\t")), "{out}");
    for secret in [&s.admin, &s.unit_a, &s.unit_b] {
        assert!(!out.contains(secret.as_str()), "a secret was listed");
    }
    // Revoke the unit so-b's token (number 5): refused from then on, and recorded.
    assert_eq!(s.api(&s.unit_b).get("/v1/rounds/r/units/so-b/self-assessment").status, 200);
    let (code, _, err) = run(&["token", "revoke", "5", "--db", db]);
    assert_eq!(code, 0, "{err}");
    let r = s.api(&s.unit_b).get("/v1/rounds/r/units/so-b/self-assessment");
    assert_eq!((r.status, error_code(&r).as_str()), (401, "revoked_token"));
    let (_, out, _) = run(&["token", "list", "--db", db]);
    assert!(out.lines().any(|l| l.starts_with("5\t") && !l.ends_with("\t-")), "{out}");
    let log = s.api(&s.admin).get("/v1/audit?target=tokens/5").json();
    let actions: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["token.create", "token.revoke"]);
    // Revoking again changes nothing; an unknown number is a usage error.
    assert_eq!(run(&["token", "revoke", "5", "--db", db]).0, 0);
    assert_eq!(s.api(&s.admin).get("/v1/audit?target=tokens/5").json()["events"].as_array().unwrap().len(), 2);
    assert_eq!(run(&["token", "revoke", "99", "--db", db]).0, 2);
    assert!(verify(&s.db).0);
}

#[test]
fn audit_verify_ties_the_log_to_every_stored_document_and_token_both_ways() {
    let s = Small::start("audit-both-ways", &[]);
    let mut unit = s.api(&s.unit_a);
    assert_eq!(unit.json("POST", "/v1/rounds/r/units/so-a/self-assessment/submit", &full_self()).status, 201);
    let (ok, text) = verify(&s.db);
    assert!(ok && text.contains("5 tokens"), "{text}");
    let conn = rusqlite::Connection::open(&s.db).unwrap();

    // A submitted self-assessment deleted by hand.
    let key = "rounds/r/units/so-a/self";
    let row: (String, String, String, String, i64, String, String, i64, i64, String, String) = conn
        .query_row("SELECT * FROM documents WHERE key = ?1", [key], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ))
        })
        .unwrap();
    conn.execute("DELETE FROM documents WHERE key = ?1", [key]).unwrap();
    let (ok, text) = verify(&s.db);
    assert!(!ok, "a deleted document went unnoticed: {text}");
    assert!(text.contains(key) && text.contains("deleted"), "{text}");
    conn.execute(
        "INSERT INTO documents VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        rusqlite::params![row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10],
    )
    .unwrap();
    assert!(verify(&s.db).0);

    // A token's role raised in the database: caught.
    conn.execute("UPDATE tokens SET role = 'admin' WHERE id = 4", []).unwrap();
    let (ok, text) = verify(&s.db);
    assert!(!ok && text.contains("token #4"), "{text}");
    conn.execute("UPDATE tokens SET role = 'unit:so-a' WHERE id = 4", []).unwrap();
    assert!(verify(&s.db).0);
    // Its hash replaced by that of another secret: caught.
    let hash: String = conn.query_row("SELECT hash FROM tokens WHERE id = 4", [], |r| r.get(0)).unwrap();
    conn.execute("UPDATE tokens SET hash = ?1 WHERE id = 4", [parindex_store::sha256_hex(b"pix_mine")]).unwrap();
    assert!(!verify(&s.db).0);
    conn.execute("UPDATE tokens SET hash = ?1 WHERE id = 4", [&hash]).unwrap();
    // A revocation undone by hand: caught.
    assert_eq!(run(&["token", "revoke", "5", "--db", s.db.to_str().unwrap()]).0, 0);
    conn.execute("UPDATE tokens SET revoked_at = NULL WHERE id = 5", []).unwrap();
    assert!(!verify(&s.db).0);
    conn.execute("UPDATE tokens SET revoked_at = '2020-01-01T00:00:00Z' WHERE id = 5", []).unwrap();
    assert!(!verify(&s.db).0, "a revocation time edited went unnoticed");
    // A token deleted: caught.
    conn.execute("DELETE FROM tokens WHERE id = 5", []).unwrap();
    let (ok, text) = verify(&s.db);
    assert!(!ok && text.contains("tokens/5"), "{text}");
}

#[test]
fn a_backup_of_a_live_database_verifies_and_scores_the_same() {
    let s = Small::start("backup", &[]);
    let mut unit = s.api(&s.unit_a);
    // An evidence file (issue 13): stored beside the database, copied with it.
    let pdf = b"%PDF-1.7\n% minh chung\n1 0 obj << >> endobj\n".to_vec();
    let r = unit.send("POST", "/v1/rounds/r/units/so-a/evidence?name=qd.pdf", &[], &pdf);
    assert_eq!(r.status, 201, "{}", r.text());
    let sha = parindex_store::sha256_hex(&pdf);
    assert_eq!(unit.json("POST", "/v1/rounds/r/units/so-a/self-assessment/submit", &full_self()).status, 201);
    // Writes keep landing while the backup runs.
    let addr = s.server.addr;
    let token_b = s.unit_b.clone();
    let writer = std::thread::spawn(move || {
        let mut api = Api::new(addr, &token_b);
        for i in 1..=FIELD_2_LEAVES {
            let body = json!({"entries": {format!("2.{i}"): {"points": "1"}}});
            assert_eq!(api.json("PATCH", "/v1/rounds/r/units/so-b/self-assessment/draft", &body).status, 200);
        }
    });
    let copy = s.db.with_file_name("copy.sqlite");
    let (code, _, err) = run(&["backup", "--db", s.db.to_str().unwrap(), "--out", copy.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    // No overwriting an existing file.
    let (code, _, err) = run(&["backup", "--db", s.db.to_str().unwrap(), "--out", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let (ok, text) = verify(&copy);
    assert!(ok, "{text}");
    let copied = parindex_store::evidence::stored_path(&parindex_store::evidence::folder(&copy), &sha);
    assert_eq!(std::fs::read(&copied).unwrap(), pdf);
    assert!(text.contains("evidence files intact: 1 files"), "{text}");
    // Restored (a server on the copy), it scores the same as the original.
    let restored = Server::start(&copy);
    let original = s.api(&s.admin).get("/v1/rounds/r/results");
    let again = restored.api(&s.admin).get("/v1/rounds/r/results");
    assert_eq!(original.status, 200);
    assert_eq!(again.status, 200);
    let strip = |mut v: serde_json::Value| {
        // The results name when they were computed; everything else must match.
        if let Some(o) = v.as_object_mut() {
            o.remove("generated_at");
        }
        v
    };
    assert_eq!(strip(again.json()), strip(original.json()));
    assert_eq!(
        restored.api(&s.admin).get("/v1/rounds/r/units/so-a/self-assessment").json()["submitted"],
        s.api(&s.admin).get("/v1/rounds/r/units/so-a/self-assessment").json()["submitted"]
    );
}

#[test]
fn token_audit_and_backup_speak_vietnamese_by_default_and_english_when_asked() {
    let s = Small::start("ops-locale", &[]);
    let db = s.db.to_str().unwrap();
    // token create: the line on standard error; a bad role is a usage error in both.
    let (code, out, err) = run_in("vi", &["token", "create", "--role", "council", "--db", db]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.trim().is_empty(), "the secret on standard output");
    assert!(err.contains("cho vai trò council") && err.contains("chỉ hiện một lần"), "{err}");
    let (code, _, err) = run(&["token", "create", "--role", "council", "--db", db]);
    assert_eq!(code, 0);
    assert!(err.contains("for role council") && err.contains("shown once"), "{err}");
    let (code, _, err) = run_in("vi", &["token", "create", "--role", "mayor", "--db", db]);
    assert_eq!(code, 2);
    assert!(err.contains("vai trò 'mayor' không hợp lệ"), "{err}");
    assert!(run(&["token", "create", "--role", "mayor", "--db", db]).2.contains("unknown role 'mayor'"));
    // token revoke: done, already done, unknown.
    let (_, _, err) = run_in("vi", &["token", "revoke", "5", "--db", db]);
    assert!(err.contains("đã thu hồi token #5"), "{err}");
    let (_, _, err) = run(&["token", "revoke", "5", "--db", db]);
    assert!(err.contains("token #5 was already revoked"), "{err}");
    let (code, _, err) = run(&["token", "revoke", "99", "--db", db]);
    assert_eq!(code, 2);
    assert!(err.contains("no token number 99"), "{err}");
    let (_, _, err) = run_in("vi", &["token", "revoke", "99", "--db", db]);
    assert!(err.contains("không có token số 99"), "{err}");
    // audit verify.
    let (code, out, _) = run_in("vi", &["audit", "verify", "--db", db]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("nhật ký kiểm toán nguyên vẹn:"), "{out}");
    assert!(out.contains("tệp minh chứng nguyên vẹn: 0 tệp"), "{out}");
    let missing = s.db.with_file_name("none.sqlite");
    let (code, _, err) = run_in("vi", &["audit", "verify", "--db", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("không có cơ sở dữ liệu tại"), "{err}");
    assert!(run(&["audit", "verify", "--db", missing.to_str().unwrap()]).2.contains("no database at"));
    // backup.
    let copy = s.db.with_file_name("copy-vi.sqlite");
    let (code, _, err) = run_in("vi", &["backup", "--db", db, "--out", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("đã sao lưu") && err.contains("sự kiện nhật ký"), "{err}");
    let copy = s.db.with_file_name("copy-en.sqlite");
    let (code, _, err) = run(&["backup", "--db", db, "--out", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("backed up") && err.contains("log events"), "{err}");
}

/// Whether `text` holds a control or bidi character a terminal would obey (the line feeds
/// that end lines aside).
fn raw_controls(text: &str) -> bool {
    text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn text_from_the_database_is_escaped_by_token_list_audit_verify_and_backup() {
    let dir = temp_dir("escaped");
    let db = dir.join("db.sqlite");
    let dbs = db.to_str().unwrap();
    let label = "\u{1b}[31mđỏ\rX\u{202e}";
    let (code, _, err) = run(&["token", "create", "--role", "admin", "--label", label, "--db", dbs]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["token", "list", "--db", dbs]);
    assert_eq!(code, 0);
    assert!(!raw_controls(&out), "{out:?}");
    assert!(out.contains("\\u{1b}[31mđỏ\\u{d}X\\u{202e}"), "{out}");
    // A role edited in the database cannot forge a column or a line either.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE tokens SET role = ?1 WHERE id = 1", ["admin\n2\tadmin\u{1b}[2J"]).unwrap();
    let (_, out, _) = run(&["token", "list", "--db", dbs]);
    assert!(!raw_controls(&out), "{out:?}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("\tadmin\\u{a}2\\u{9}admin\\u{1b}[2J\t"), "{out}");
    conn.execute("UPDATE tokens SET role = 'admin' WHERE id = 1", []).unwrap();
    // A document slipped into the database under a key made to rewrite the screen.
    let key = "rounds/\u{1b}[2J\u{1b}[Hintact\r\nx";
    conn.execute(
        "INSERT INTO documents (key, round_id, kind, doc, sha256, version, updated_at, updated_by) \
         VALUES (?1, 'r', 'round', '{}', '', 1, '2026-01-01T00:00:00Z', 'cli')",
        [key],
    )
    .unwrap();
    let (code, out, _) = run(&["audit", "verify", "--db", dbs]);
    assert_eq!(code, 1, "{out}");
    assert!(!raw_controls(&out) && out.lines().count() == 1, "{out:?}");
    assert!(out.contains("rounds/\\u{1b}[2J\\u{1b}[Hintact\\u{d}\\u{a}x"), "{out}");
    // The reason in the reader's language: Vietnamese by default.
    let (code, out, _) = run_in("vi", &["audit", "verify", "--db", dbs]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("không có sự kiện nào trong nhật ký kiểm toán") && !out.contains("has no audit event"),
        "{out}"
    );
    // The backup says the same of its copy, its own path escaped too.
    let copy = dir.join("co\u{1b}[31mpy\n.db");
    let (code, _, err) = run(&["backup", "--db", dbs, "--out", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(!raw_controls(&err) && err.lines().count() == 1, "{err:?}");
    assert!(err.contains("co\\u{1b}[31mpy\\u{a}.db") && err.contains("\\u{1b}[Hintact"), "{err}");
}
