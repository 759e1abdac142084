//! Evidence files (issue 13): upload and download permissions, type from content, size
//! limit, quota, tampering caught by `audit verify` and `verify`, concurrent uploads,
//! `kill -9` mid-upload, the export carrying the files and re-scored offline.

use std::io::Write;
use std::process::Command;

use serde_json::{Value, json};

use crate::common::*;
use crate::province::with_agencies;

const A: &str = "/v1/rounds/r/units/so-a";

/// A small PDF-looking file (recognised by its `%PDF-` signature), distinct per `seed`.
fn pdf(seed: usize, size: usize) -> Vec<u8> {
    let mut out = format!("%PDF-1.7\n% minh chứng {seed}\n").into_bytes();
    while out.len() < size {
        out.extend_from_slice(format!("{seed} 0 obj << >> endobj\n").as_bytes());
    }
    out.truncate(size.max(16));
    out
}

fn png() -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    out.extend_from_slice(&[0; 64]);
    out
}

fn upload(api: &mut Api, unit_path: &str, name: &str, bytes: &[u8]) -> Reply {
    api.send(
        "POST",
        &format!("{unit_path}/evidence?name={name}"),
        &[("Content-Type", "application/octet-stream")],
        bytes,
    )
}

fn stored_files(s: &Small) -> Vec<std::path::PathBuf> {
    let dir = parindex_store::evidence::folder(&s.db).join("sha256");
    let mut out = Vec::new();
    if let Ok(subs) = std::fs::read_dir(&dir) {
        for sub in subs.flatten() {
            out.extend(std::fs::read_dir(sub.path()).unwrap().flatten().map(|e| e.path()));
        }
    }
    out
}

fn audit_verify(s: &Small) -> (bool, String) {
    let out = Command::new(BIN)
        .env("PARINDEX_LOCALE", "en")
        .args(["audit", "verify", "--db", s.db.to_str().unwrap()])
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn upload_download_permissions_types_limits_and_tampering() {
    let (s, tp, _tt, council, _other) = with_agencies("evidence");
    let file = pdf(1, 3000);
    let sha = parindex_store::sha256_hex(&file);

    // Who may upload: the unit, for itself.
    for (who, tok, want) in [
        ("admin", &s.admin, 403),
        ("appraiser", &s.appraiser, 403),
        ("agency", &tp, 403),
        ("council", &council, 403),
        ("auditor", &s.auditor, 403),
        ("unit b", &s.unit_b, 403),
    ] {
        let r = upload(&mut s.api(tok), A, "qd.pdf", &file);
        assert_eq!(r.status, want, "upload as {who}: {}", r.text());
    }
    let r = upload(&mut s.api(&s.unit_a), A, "Q%C4%90%2015.pdf", &file);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["file"], json!(format!("sha256:{sha}")));
    assert_eq!(r.json()["type"], "application/pdf");
    assert_eq!(r.json()["name"], "QĐ 15.pdf");
    // The same bytes again: already there.
    assert_eq!(upload(&mut s.api(&s.unit_a), A, "again.pdf", &file).status, 200);

    // Type from the content, not the name.
    let r = upload(&mut s.api(&s.unit_a), A, "script.pdf", b"#!/bin/sh\nrm -rf /\n");
    assert_eq!((r.status, error_code(&r).as_str()), (415, "unsupported_file_type"));
    let r = upload(&mut s.api(&s.unit_a), A, "virus.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff");
    assert_eq!((r.status, error_code(&r).as_str()), (415, "unsupported_file_type"));
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("chỉ nhận PDF"));
    assert_eq!(upload(&mut s.api(&s.unit_a), A, "anh.jpg", &png()).json()["type"], "image/png");

    // Size limit and quota (configurable per round).
    let r = s.api(&s.admin).json(
        "PUT",
        "/v1/rounds/r/workflow",
        &json!({"evidence": {"max_file_bytes": 5000, "unit_quota_bytes": 10000}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = upload(&mut s.api(&s.unit_a), A, "big.pdf", &pdf(2, 5001));
    assert_eq!((r.status, error_code(&r).as_str()), (413, "file_too_large"));
    assert_eq!(upload(&mut s.api(&s.unit_a), A, "b.pdf", &pdf(3, 5000)).status, 201);
    // 3000 + 80 + 5000 used; 2000 more is over 10000.
    let r = upload(&mut s.api(&s.unit_a), A, "c.pdf", &pdf(4, 2000));
    assert_eq!((r.status, error_code(&r).as_str()), (409, "quota_exceeded"));
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("hạn mức"));
    let list = s.api(&s.unit_a).get(&format!("{A}/evidence")).json();
    assert_eq!(list["files"].as_array().unwrap().len(), 3, "{list}");
    assert_eq!(list["used_bytes"], json!(3000 + 80 + 5000));
    // Nothing refused was kept: three stored files, nothing left being written.
    assert_eq!(stored_files(&s).len(), 3);
    let tmp = parindex_store::evidence::folder(&s.db).join("tmp");
    assert_eq!(std::fs::read_dir(tmp).unwrap().count(), 0);

    // Who may download: the unit, council, agencies, auditors, admin, appraiser; not other units.
    let url = format!("{A}/evidence/sha256:{sha}");
    for (who, tok, want) in [
        ("unit a", &s.unit_a, 200),
        ("council", &council, 200),
        ("agency", &tp, 200),
        ("auditor", &s.auditor, 200),
        ("admin", &s.admin, 200),
        ("appraiser", &s.appraiser, 200),
        ("unit b", &s.unit_b, 403),
    ] {
        let r = s.api(tok).get(&url);
        assert_eq!(r.status, want, "download as {who}: {}", r.text());
        if want == 200 {
            assert_eq!(r.body, file);
            assert_eq!(r.header("content-type"), Some("application/pdf"));
            assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
            let d = r.header("content-disposition").unwrap();
            assert!(d.starts_with("attachment; filename=\"Q_ 15.pdf\"; filename*=UTF-8''Q%C4%90%2015.pdf"), "{d}");
        }
    }
    let r = s.api(&s.unit_a).get(&format!("{A}/evidence/sha256:{}", "0".repeat(64)));
    assert_eq!((r.status, error_code(&r).as_str()), (404, "unknown_file"));
    // Unit B cannot read A's file through its own path either.
    let r = s.api(&s.unit_b).get(&format!("/v1/rounds/r/units/so-b/evidence/sha256:{sha}"));
    assert_eq!((r.status, error_code(&r).as_str()), (404, "unknown_file"));

    // Referenced from entries: only files the unit uploaded.
    let mut me = full_self();
    me["entries"]["1.1"]["evidence"] = json!([{"title": "QĐ 15/QĐ-SA", "file": format!("sha256:{sha}")}]);
    let mut theirs = me.clone();
    theirs["entries"]["1.2"]["evidence"] = json!([{"title": "x", "file": format!("sha256:{}", "1".repeat(64))}]);
    theirs["entries"]["1.3"]["evidence"] = json!([{"title": "y", "file": "QĐ.pdf"}]);
    let r = s.api(&s.unit_a).json("PUT", &format!("{A}/self-assessment/draft"), &theirs);
    assert_eq!(r.status, 422, "{}", r.text());
    let errors = r.json()["errors"].clone();
    let paths: Vec<&str> = errors.as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["/entries/1.2/evidence/0/file", "/entries/1.3/evidence/0/file"]);
    let r = s.api(&s.unit_b).json("PUT", "/v1/rounds/r/units/so-b/self-assessment/draft", &me);
    assert_eq!(r.status, 422, "Sở B cannot cite Sở A's file: {}", r.text());
    let r = s.api(&s.unit_a).json("POST", &format!("{A}/self-assessment/submit"), &me);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        s.api(&s.unit_a).get(&format!("{A}/score")).json()["criteria"][1]["self"]["evidence"][0]["file"],
        json!(format!("sha256:{sha}"))
    );

    // The export carries the file; re-scored offline it gives /results byte for byte, and
    // `verify` checks the file.
    let results = s.api(&s.admin).get("/v1/rounds/r/results");
    let dir = temp_dir("evidence-export");
    for (path, data) in untar(&s.api(&s.admin).get("/v1/rounds/r/export.tar").body) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    let carried = dir.join("r/evidence").join(&sha);
    assert_eq!(std::fs::read(&carried).unwrap(), file);
    assert_eq!(std::fs::read_dir(dir.join("r/evidence")).unwrap().count(), 1, "only referenced files");
    let out = Command::new(BIN).args(["score", dir.join("r").to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, results.body, "the export re-scored offline equals /results byte for byte");
    let published = dir.join("results.json");
    std::fs::write(&published, &results.body).unwrap();
    let verify = |dir: &std::path::Path| {
        Command::new(BIN)
            .env("PARINDEX_LOCALE", "en")
            .args(["verify", dir.to_str().unwrap(), published.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let out = verify(&dir.join("r"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let bundle = s.api(&s.admin).get("/v1/rounds/r/export").json();
    assert_eq!(bundle["evidence"][&sha]["size"], json!(3000));
    assert_eq!(bundle["evidence"].as_object().unwrap().len(), 1);
    let bundle_path = dir.join("bundle.json");
    std::fs::write(&bundle_path, bundle.to_string()).unwrap();
    let out = Command::new(BIN).args(["score", bundle_path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.stdout, results.body, "the bundle re-scored equals /results");
    // A changed or missing file in the folder is caught.
    std::fs::write(&carried, b"%PDF-1.7 changed").unwrap();
    let out = verify(&dir.join("r"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("not the sha256:{sha}")));
    std::fs::remove_file(&carried).unwrap();
    assert_eq!(verify(&dir.join("r")).status.code(), Some(1));

    // A stored file changed on disk is caught by `audit verify` (CLI and API).
    let (ok, text) = audit_verify(&s);
    assert!(ok, "{text}");
    assert!(text.contains("evidence files intact: 3 files"), "{text}");
    let stored = parindex_store::evidence::stored_path(&parindex_store::evidence::folder(&s.db), &sha);
    let mut f = std::fs::OpenOptions::new().append(true).open(&stored).unwrap();
    f.write_all(b"tampered").unwrap();
    drop(f);
    let (ok, text) = audit_verify(&s);
    assert!(!ok, "{text}");
    assert!(text.contains("evidence files broken") && text.contains(&sha), "{text}");
    let v = s.api(&s.auditor).get("/v1/audit/verify").json();
    assert_eq!(v["ok"], json!(false), "{v}");
    // Why, in English and in Vietnamese, naming the same file.
    for key in ["reason", "reason_vi"] {
        assert!(v[key].as_str().is_some_and(|r| r.contains(&sha)), "{key}: {v}");
    }
    assert_ne!(v["reason"], v["reason_vi"], "{v}");
    std::fs::remove_file(&stored).unwrap();
    let (ok, text) = audit_verify(&s);
    assert!(!ok && text.contains("missing"), "{text}");
}

#[test]
fn concurrent_uploads_all_land() {
    let s = Small::start("evidence-concurrent", &[]);
    let addr = s.server.addr;
    let token = s.unit_a.clone();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let token = token.clone();
            std::thread::spawn(move || {
                let mut api = Api::new(addr, &token);
                // Two threads send the same bytes: stored once, one 201 and one 200 (or both
                // 201 with one row, never an error).
                let bytes = pdf(i % 6, 200_000 + (i % 6) * 1000);
                let r = upload(&mut api, A, &format!("f{i}.pdf"), &bytes);
                assert!(r.status == 201 || r.status == 200, "{}", r.text());
                parindex_store::sha256_hex(&bytes)
            })
        })
        .collect();
    let mut shas: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    shas.sort();
    shas.dedup();
    let list = s.api(&s.unit_a).get(&format!("{A}/evidence")).json();
    let mut listed: Vec<String> = list["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().trim_start_matches("sha256:").to_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, shas);
    assert_eq!(stored_files(&s).len(), 6);
    let (ok, text) = audit_verify(&s);
    assert!(ok, "{text}");
}

#[test]
fn kill_9_mid_upload_leaves_no_file_referenced() {
    let dir = temp_dir("evidence-kill");
    let db = dir.join("db.sqlite");
    let admin = token(&db, "admin");
    let unit = token(&db, "unit:so-a");
    let server = Server::start(&db);
    assert_eq!(server.api(&admin).json("POST", "/v1/rounds", &small_round("r", "2099-12-31")).status, 201);
    // Half of a 4 MB upload, then the server is killed.
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    let head = format!(
        "POST {A}/evidence?name=big.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {unit}\r\nContent-Length: 4000000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&pdf(9, 2_000_000)).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.kill9();
    drop(stream);
    let server = Server::start(&db);
    let list = server.api(&unit).get(&format!("{A}/evidence")).json();
    assert_eq!(list["files"], json!([]), "{list}");
    assert_eq!(list["used_bytes"], json!(0));
    let stored = parindex_store::evidence::folder(&db).join("sha256");
    assert!(!stored.exists() || std::fs::read_dir(&stored).unwrap().count() == 0);
    // The half-written upload the killed server left in tmp/ is gone: the new server, holding
    // the database's lock, cleared it at start.
    let staging = parindex_store::evidence::folder(&db).join("tmp");
    assert!(!staging.exists() || std::fs::read_dir(&staging).unwrap().count() == 0, "tmp/ still holds a half upload");
    let out = Command::new(BIN).args(["audit", "verify", "--db", db.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // And the next upload works.
    let r = upload(&mut server.api(&unit), A, "ok.pdf", &pdf(9, 1000));
    assert_eq!(r.status, 201, "{}", r.text());
    let _: Value = r.json();
}
