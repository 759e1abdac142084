//! Bad input: each gets its own status and a JSON error naming what is wrong; none
//! changes stored data or stops the server.

use parindex_store::{Store, tokens};
use serde_json::json;

use crate::common::*;

const A: &str = "/v1/rounds/r/units/so-a";

/// What is tried, the token, the path, the body, the status and code expected.
type Case = (&'static str, String, String, Vec<u8>, u16, &'static str);

#[test]
fn bad_requests_are_refused_each_with_its_status_and_nothing_changes() {
    let mut s = Small::start("bad-input", &["--body-limit", "4096"]);
    let mut unit = s.api(&s.unit_a);
    let mut admin = s.api(&s.admin);
    assert_eq!(unit.json("PUT", &format!("{A}/self-assessment/draft"), &full_self()).status, 200);
    let expired = {
        let store = Store::open(&s.db).unwrap();
        store.write(|tx| tokens::create(tx, "test", "unit:so-a", "", Some(1))).unwrap().1
    };
    let state_before = (
        admin.get(&format!("{A}/self-assessment")).text(),
        admin.get("/v1/rounds/r/results").text(),
        admin.get("/v1/audit?limit=1000").text(),
    );

    let draft = format!("{A}/self-assessment/draft");
    let cases: Vec<Case> = vec![
        // (what, token, path, body, status, code)
        ("malformed JSON", s.unit_a.clone(), draft.clone(), b"{\"entries\": {".to_vec(), 400, "malformed_json"),
        ("not UTF-8", s.unit_a.clone(), draft.clone(), vec![0xff, 0xfe], 400, "malformed_json"),
        ("empty body", s.unit_a.clone(), draft.clone(), vec![], 400, "empty_body"),
        ("wrong type", s.unit_a.clone(), draft.clone(), b"[1, 2]".to_vec(), 422, "input_type"),
        ("wrong field type", s.unit_a.clone(), draft.clone(), b"{\"entries\": 5}".to_vec(), 422, "input_type"),
        (
            "a key given twice",
            s.unit_a.clone(),
            draft.clone(),
            b"{\"entries\": {}, \"entries\": {\"1.1\": {\"input\": true}}}".to_vec(),
            422,
            "input_type",
        ),
        (
            "unknown round",
            s.unit_a.clone(),
            "/v1/rounds/nope/units/so-a/self-assessment/draft".into(),
            full_self().to_string().into_bytes(),
            404,
            "unknown_round",
        ),
        (
            "unknown unit",
            s.admin.clone(),
            "/v1/rounds/r/units/so-zz/self-assessment".into(),
            vec![],
            404,
            "unknown_unit",
        ),
        (
            "another unit's token",
            s.unit_b.clone(),
            draft.clone(),
            full_self().to_string().into_bytes(),
            403,
            "forbidden",
        ),
        ("expired token", expired, draft.clone(), full_self().to_string().into_bytes(), 401, "expired_token"),
        ("absent token", String::new(), draft.clone(), full_self().to_string().into_bytes(), 401, "missing_token"),
        ("unknown token", "pix_00".into(), draft.clone(), full_self().to_string().into_bytes(), 401, "unknown_token"),
        (
            "oversized body",
            s.unit_a.clone(),
            draft.clone(),
            format!("{{\"entries\": {{}}, \"x\": \"{}\"}}", "a".repeat(5000)).into_bytes(),
            413,
            "body_too_large",
        ),
        ("unknown stage", s.appraiser.clone(), format!("{A}/appraisals/zero"), b"{}".to_vec(), 404, "unknown_stage"),
        ("unknown route", s.admin.clone(), "/v1/nothing-here".into(), vec![], 404, "unknown_route"),
    ];
    for (what, token, path, body, status, code) in cases {
        let mut api = s.api(&token);
        let method = if body.is_empty() && !path.ends_with("draft") { "GET" } else { "PUT" };
        let r = api.send(method, &path, &[], &body);
        assert_eq!(r.status, status, "{what}: {}", r.text());
        if status == 422 {
            assert!(problem_codes(&r).contains(&code.to_owned()), "{what}: {}", r.text());
        } else {
            assert_eq!(error_code(&r), code, "{what}");
            assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
        }
        if status == 401 {
            assert!(r.header("www-authenticate").is_some(), "{what}");
        }
    }
    // An oversized body sent in chunks, with no Content-Length to refuse it up front.
    {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(s.server.addr).unwrap();
        let chunk = "a".repeat(1000);
        let mut req = format!(
            "PUT {draft} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            s.unit_a
        );
        for _ in 0..5 {
            req.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
        }
        req.push_str("0\r\n\r\n");
        stream.write_all(req.as_bytes()).unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
        assert!(reply.contains("\"body_too_large\""), "{reply}");
    }
    // A wrong method on a route.
    let r = admin.send("DELETE", "/v1/rounds/r", &[], b"");
    assert_eq!((r.status, error_code(&r).as_str()), (405, "method_not_allowed"));
    // A round document with mistakes: every one listed, with its file and pointer.
    let mut body = small_round("r2", "2099-01-01");
    body["round"]["units"][0]["block"] = json!("khong-co");
    body["criteria_sets"]["criteria/so.json"]["nodes"][0]["children"][1]["max"] = json!("0,5");
    let r = admin.json("POST", "/v1/rounds", &body);
    let codes = problem_codes(&r);
    assert!(codes.contains(&"unknown_block".to_owned()) && codes.contains(&"bad_decimal".to_owned()), "{}", r.text());
    let files: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["file"].as_str().unwrap_or("").to_owned()).collect();
    assert!(files.contains(&"round.json".to_owned()) && files.contains(&"criteria/so.json".to_owned()), "{files:?}");
    // A round id that already exists.
    let r = admin.json("POST", "/v1/rounds", &small_round("r", "2099-01-01"));
    assert_eq!((r.status, error_code(&r).as_str()), (409, "round_exists"));

    // Nothing changed, and the server is still up.
    let state_after = (
        admin.get(&format!("{A}/self-assessment")).text(),
        admin.get("/v1/rounds/r/results").text(),
        admin.get("/v1/audit?limit=1000").text(),
    );
    assert!(state_before.0 == state_after.0, "the draft changed");
    assert!(state_before.1 == state_after.1, "the results changed");
    assert!(state_before.2 == state_after.2, "the audit log grew");
    assert!(s.server.is_running());
    assert_eq!(admin.get("/healthz").status, 200);
}
