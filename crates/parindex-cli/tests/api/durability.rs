//! An acknowledged write survives `kill -9`; `parindex audit verify` finds any edit of the
//! log or of a stored document.

use std::process::Command;

use serde_json::json;

use crate::common::*;

fn verify(db: &std::path::Path) -> (bool, String) {
    let out = Command::new(BIN)
        .env("PARINDEX_LOCALE", "en")
        .args(["audit", "verify", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn acknowledged_writes_survive_kill_9_and_the_audit_chain_shows_tampering() {
    let dir = temp_dir("durability");
    let db = dir.join("db.sqlite");
    let admin = token(&db, "admin");
    let unit = token(&db, "unit:so-a");
    let server = Server::start(&db);
    assert_eq!(server.api(&admin).json("POST", "/v1/rounds", &small_round("r", "2099-12-31")).status, 201);
    let mut api = server.api(&unit);
    let mut acknowledged = Vec::new();
    for i in 1..=FIELD_2_LEAVES {
        let r = api.json(
            "PATCH",
            "/v1/rounds/r/units/so-a/self-assessment/draft",
            &json!({"entries": {format!("2.{i}"): {"points": "1"}}}),
        );
        assert_eq!(r.status, 200);
        acknowledged.push(r.json()["document"].clone());
    }
    let r = api.json("POST", "/v1/rounds/r/units/so-a/self-assessment/submit", &full_self());
    assert_eq!(r.status, 201);
    let submitted = r.json()["document"].clone();
    server.kill9();

    let server = Server::start(&db);
    let got = server.api(&unit).get("/v1/rounds/r/units/so-a/self-assessment").json();
    assert_eq!(got["draft"]["document"], *acknowledged.last().unwrap());
    assert_eq!(got["draft"]["version"], json!(FIELD_2_LEAVES));
    assert_eq!(got["submitted"]["document"], submitted);
    drop(server);

    let (ok, text) = verify(&db);
    assert!(ok, "{text}");
    assert!(text.starts_with("audit log intact"), "{text}");

    // Edit a stored document behind the server's back: the check names it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let key = "rounds/r/units/so-a/self";
    let original: String = conn.query_row("SELECT doc FROM documents WHERE key = ?1", [key], |r| r.get(0)).unwrap();
    conn.execute("UPDATE documents SET doc = replace(doc, '3.5', '4') WHERE key = ?1", [key]).unwrap();
    let (ok, text) = verify(&db);
    assert!(!ok);
    assert!(text.contains(key) && text.contains("edited"), "{text}");
    conn.execute("UPDATE documents SET doc = ?1 WHERE key = ?2", [&original, key]).unwrap();
    assert!(verify(&db).0);

    // Edit an event of the log: the chain breaks there.
    let action: String = conn.query_row("SELECT action FROM audit WHERE seq = 5", [], |r| r.get(0)).unwrap();
    conn.execute("UPDATE audit SET action = 'nothing.happened' WHERE seq = 5", []).unwrap();
    let (ok, text) = verify(&db);
    assert!(!ok);
    assert!(text.starts_with("audit log broken at event 5"), "{text}");
    conn.execute("UPDATE audit SET action = ?1 WHERE seq = 5", [&action]).unwrap();
    assert!(verify(&db).0);
    // Remove an event: the gap is reported.
    conn.execute("DELETE FROM audit WHERE seq = 7", []).unwrap();
    let (ok, text) = verify(&db);
    assert!(!ok);
    assert!(text.starts_with("audit log broken at event 8"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
