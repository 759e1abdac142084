//! The server under hostile clients (issue 11, items 8–10, 13–15): slow and silent
//! connections are cut and counted while a normal client is served; SIGTERM drains within
//! the grace period; every refusal, even one hyper makes before routing, is the JSON error;
//! one server per database; 415, strict idempotency keys, bounded stored documents; one
//! log line per request.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::*;

const DRAFT: &str = "/v1/rounds/r/units/so-a/self-assessment/draft";

/// Sends `bytes` on a fresh connection and reads until the server closes it (at most `wait`).
fn raw(addr: SocketAddr, bytes: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The status and JSON body of a raw HTTP/1.1 answer.
fn parse(reply: &str) -> (u16, Value) {
    let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Whether the server closed `stream` (EOF or reset) within `wait`, having sent nothing or
/// an answer.
fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buf = Vec::new();
    match stream.read_to_end(&mut buf) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::TimedOut,
    }
}

fn send_term(child: &Child) {
    let ok = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success();
    assert!(ok);
}

/// Waits for `child` to exit, at most `wait`; its exit status.
fn wait_exit(child: &mut Child, wait: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < wait {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// A server with the small round and a unit token, its standard error in `log` (when given).
fn start(name: &str, extra: &[&str], log: Option<&Path>) -> (Child, SocketAddr, String, std::path::PathBuf) {
    let dir = temp_dir(name);
    let db = dir.join("db.sqlite");
    let admin = token(&db, "admin");
    let unit = token(&db, "unit:so-a");
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
        None => Stdio::inherit(),
    };
    let mut child = Command::new(BIN)
        .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let addr: SocketAddr = line.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    let r = Api::new(addr, &admin).json("POST", "/v1/rounds", &small_round("r", "2099-12-31"));
    assert_eq!(r.status, 201, "{}", r.text());
    (child, addr, unit, db)
}

fn healthz_quickly(addr: SocketAddr) -> Duration {
    let started = Instant::now();
    let r = Connection::new(addr).send("GET", "/healthz", &[], b"");
    assert_eq!(r.status, 200);
    started.elapsed()
}

#[test]
fn slow_and_silent_clients_are_cut_and_counted_while_a_normal_client_is_served() {
    let args = ["--header-timeout", "2", "--body-timeout", "2", "--max-connections", "12"];
    let (mut child, addr, unit, _) = start("slow-clients", &args, None);
    // Four connect and say nothing; three send half a head; three send a head and trickle a body.
    let mut silent: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let mut half: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
            s
        })
        .collect();
    let head = format!(
        "PUT {DRAFT} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {unit}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    let mut trickle: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(head.as_bytes()).unwrap();
            s
        })
        .collect();
    // A normal client is served at once.
    assert!(healthz_quickly(addr) < Duration::from_secs(1));
    // Keep trickling one byte every 200 ms for 3 s: the deadlines are totals, not per byte.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        for s in half.iter_mut() {
            let _ = s.write_all(b"a");
        }
        for s in trickle.iter_mut() {
            let _ = s.write_all(b" ");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    for s in silent.iter_mut().chain(half.iter_mut()) {
        assert!(closed_within(s, Duration::from_secs(2)), "a silent or slow-head connection is still open");
    }
    for s in trickle.iter_mut() {
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let mut buf = vec![0u8; 4096];
        let n = s.read(&mut buf).unwrap_or(0);
        let (status, body) = parse(&String::from_utf8_lossy(buf.get(..n).unwrap_or_default()));
        assert_eq!((status, body["error"]["code"].as_str()), (408, Some("body_timeout")), "{body}");
    }
    // Fill every connection the server allows: one more is answered 503 in JSON at once…
    let held: Vec<TcpStream> = (0..12).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let (status, body) = parse(&raw(addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", Duration::from_secs(2)));
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("busy")), "{body}");
    // …and once the header deadline has closed them, the server answers again.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(healthz_quickly(addr) < Duration::from_secs(1));
    drop(held);
    send_term(&child);
    assert!(wait_exit(&mut child, Duration::from_secs(15)).is_some_and(|s| s.success()));
}

#[test]
fn sigterm_stops_accepting_finishes_the_request_in_flight_and_exits_within_the_grace_period() {
    // A header deadline far longer than the grace period: the grace period must end it.
    let args = ["--header-timeout", "60", "--body-timeout", "60", "--grace", "3"];
    let (mut child, addr, unit, _) = start("shutdown", &args, None);
    // One client holds half a request head; another is mid-body in a real write.
    let mut partial = TcpStream::connect(addr).unwrap();
    partial.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half").unwrap();
    let body = json!({"entries": {"1.1": {"input": true}}}).to_string();
    let (first, rest) = body.split_at(5);
    let mut writer = TcpStream::connect(addr).unwrap();
    writer
        .write_all(
            format!(
                "PUT {DRAFT} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {unit}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let stopped = Instant::now();
    send_term(&child);
    std::thread::sleep(Duration::from_millis(300));
    // No new connection is accepted…
    assert!(TcpStream::connect(addr).is_err(), "a connection was accepted after SIGTERM");
    // …the write in flight finishes and is answered…
    writer.write_all(rest.as_bytes()).unwrap();
    writer.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let mut reply = Vec::new();
    let _ = writer.read_to_end(&mut reply);
    let (status, _) = parse(&String::from_utf8_lossy(&reply));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
    // …and the half request does not hold the server past the grace period.
    let exit = wait_exit(&mut child, Duration::from_secs(10));
    assert!(exit.is_some_and(|s| s.success()), "{exit:?}");
    assert!(stopped.elapsed() < Duration::from_secs(6), "took {:?}", stopped.elapsed());
    assert!(closed_within(&mut partial, Duration::from_secs(1)));
}

#[test]
fn every_refusal_is_the_json_error_and_the_token_check_comes_first() {
    let s = Small::start("json-refusals", &["--max-headers", "20"]);
    let addr = s.server.addr;
    let wait = Duration::from_secs(3);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "negative Content-Length",
            b"POST /v1/rounds HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            "two different Content-Lengths",
            b"POST /v1/rounds HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
            400,
            "bad_request",
        ),
        (
            "too many headers",
            [
                b"GET /healthz HTTP/1.1\r\nHost: x\r\n".to_vec(),
                (0..30).flat_map(|i| format!("X-H{i}: v\r\n").into_bytes()).collect(),
                b"\r\n".to_vec(),
            ]
            .concat(),
            431,
            "too_many_headers",
        ),
        (
            "bad percent-encoding, no token",
            b"GET /v1/rounds/%ff HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            401,
            "missing_token",
        ),
        (
            "bad percent-encoding, with a token",
            format!("GET /v1/rounds/%ff HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n", s.admin).into_bytes(),
            400,
            "bad_path",
        ),
        (
            "bad percent-encoding in a public route",
            b"GET /v1/schemas/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            400,
            "bad_path",
        ),
    ];
    for (what, bytes, status, code) in cases {
        let reply = raw(addr, &bytes, wait);
        let (got, body) = parse(&reply);
        assert_eq!(got, status, "{what}: {reply}");
        assert!(reply.to_ascii_lowercase().contains("content-type: application/json"), "{what}: {reply}");
        assert_eq!(body["error"]["code"].as_str(), Some(code), "{what}: {reply}");
        assert_eq!(body["error"]["status"], json!(status), "{what}");
        assert!(!body["error"]["message"].as_str().unwrap_or("").is_empty(), "{what}");
    }
    assert_eq!(s.api(&s.admin).get("/healthz").status, 200);
}

#[test]
fn content_type_idempotency_keys_and_stored_document_size_are_checked() {
    let s = Small::start("request-checks", &["--body-limit", "4096"]);
    let conn = Connection::new(s.server.addr);
    let auth = format!("Bearer {}", s.unit_a);
    let body = full_self().to_string();
    for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
        let mut headers = vec![("Authorization", auth.as_str())];
        if let Some(t) = content_type {
            headers.push(("Content-Type", t));
        }
        let r = conn.send("PUT", DRAFT, &headers, body.as_bytes());
        assert_eq!((r.status, error_code(&r).as_str()), (415, "unsupported_media_type"), "{content_type:?}");
    }
    let r = conn.send(
        "PUT",
        DRAFT,
        &[("Authorization", &auth), ("Content-Type", "application/json; charset=utf-8")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mut unit = s.api(&s.unit_a);
    // (Leading and trailing spaces are not part of a header value in HTTP.)
    for key in ["two words", "tab\there", "khoá"] {
        let r = unit.send("PATCH", DRAFT, &[("Idempotency-Key", key)], b"{\"entries\": {}}");
        assert_eq!((r.status, error_code(&r).as_str()), (400, "bad_idempotency_key"), "{key:?}");
    }
    let r = unit.send("PATCH", DRAFT, &[("Idempotency-Key", "ok-key_1")], b"{\"entries\": {}}");
    assert_eq!(r.status, 200, "{}", r.text());
    // Each PATCH is well under the body limit; together they would store a larger draft.
    let note = "n".repeat(1500);
    let mut refused = None;
    for i in 1..=6 {
        let r = unit.json("PATCH", DRAFT, &json!({"entries": {format!("2.{i}"): {"points": "1", "note": note}}}));
        if r.status != 200 {
            refused = Some((i, r.status, error_code(&r)));
            break;
        }
    }
    assert_eq!(refused.map(|(_, status, code)| (status, code)), Some((413, "document_too_large".to_owned())));
    let stored = unit.get("/v1/rounds/r/units/so-a/self-assessment").json();
    assert!(stored["draft"]["document"].to_string().len() <= 4096);
}

#[test]
fn a_second_server_on_the_same_database_refuses_to_start() {
    let s = Small::start("lock", &[]);
    let out = Command::new(BIN)
        .args(["serve", "--db", s.db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("db.sqlite.lock") && text.contains("--no-lock"), "{text}");
    // Told otherwise, it starts.
    let other = Server::start_with(&s.db, &["--no-lock"]);
    assert_eq!(Connection::new(other.addr).send("GET", "/healthz", &[], b"").status, 200);
}

#[test]
fn one_log_line_per_request_with_the_token_number_never_the_token() {
    let dir = temp_dir("logs-out");
    let log = dir.join("stderr.log");
    let (mut child, addr, unit, db) = start("logs", &["--log-format", "json"], Some(&log));
    let mut api = Api::new(addr, &unit);
    assert_eq!(api.get("/v1/rounds/r/units/so-a/self-assessment").status, 200);
    assert_eq!(api.get("/v1/rounds/r/units/so-b/self-assessment").status, 403);
    // A store failure: a 500, logged at error level with its cause.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("ALTER TABLE documents RENAME TO documents_gone").unwrap();
    assert_eq!(api.get("/v1/rounds/r/units/so-a/self-assessment").status, 500);
    conn.execute_batch("ALTER TABLE documents_gone RENAME TO documents").unwrap();
    send_term(&child);
    assert!(wait_exit(&mut child, Duration::from_secs(15)).is_some_and(|s| s.success()));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains(&unit), "a token secret was logged");
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let messages: Vec<&str> = lines.iter().filter_map(|l| l["message"].as_str()).collect();
    assert!(messages.contains(&"server started") && messages.contains(&"server stopped"), "{text}");
    let requests: Vec<&Value> = lines.iter().filter(|l| l["target"] == "parindex::request").collect();
    // The round's creation (admin), then the three reads above.
    assert_eq!(requests.len(), 4, "{text}");
    let failed = requests.last().unwrap();
    assert_eq!((failed["level"].as_str(), failed["status"].as_u64()), (Some("ERROR"), Some(500)), "{failed}");
    assert!(failed["cause"].as_str().unwrap().contains("no such table"), "{failed}");
    let last = requests.get(2).unwrap();
    assert_eq!(last["method"], "GET");
    assert_eq!(last["route"], "/v1/rounds/{round}/units/{unit}/self-assessment");
    assert_eq!(last["status"], 403);
    assert!(last["ms"].is_u64());
    let ok = requests.get(1).unwrap();
    assert_eq!(ok["status"], 200);
    assert_eq!(ok["token"], 2, "{ok}");
}

#[test]
fn rust_log_sets_the_level() {
    let dir = temp_dir("rust-log-out");
    let log = dir.join("stderr.log");
    let dir = temp_dir("rust-log");
    let db = dir.join("db.sqlite");
    let admin = token(&db, "admin");
    let mut child = Command::new(BIN)
        .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let addr: SocketAddr = line.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(Api::new(addr, &admin).get("/v1/rounds").status, 200);
    send_term(&child);
    assert!(wait_exit(&mut child, Duration::from_secs(15)).is_some_and(|s| s.success()));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains("parindex::request") && !text.contains("server started"), "{text}");
}

#[test]
fn a_stalled_evidence_upload_is_cut_with_a_408() {
    let (mut child, addr, unit, _) = start("stalled-upload", &["--body-timeout", "1"], None);
    let mut s = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST /v1/rounds/r/units/so-a/evidence?name=a.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {unit}\r\nContent-Length: 100000\r\n\r\n%PDF-1.7\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).unwrap_or(0);
    let (status, body) = parse(&String::from_utf8_lossy(buf.get(..n).unwrap_or_default()));
    assert_eq!((status, body["error"]["code"].as_str()), (408, Some("body_timeout")), "{body}");
    assert!(started.elapsed() < Duration::from_secs(4));
    send_term(&child);
    assert!(wait_exit(&mut child, Duration::from_secs(15)).is_some_and(|s| s.success()));
}

/// Sends a GET for `path` with `token` on a fresh connection and leaves the answer unread.
fn unread_get(addr: SocketAddr, path: &str, token: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n").as_bytes()).unwrap();
    s
}

#[test]
fn slow_readers_of_a_large_response_are_cut_while_a_normal_client_is_served() {
    let args = ["--send-timeout", "2", "--min-send-rate", "4096", "--max-connections", "16"];
    let (mut child, addr, unit, db) = start("slow-readers", &args, None);
    // 12 MiB: far more than the socket buffers of both ends hold, so the server must wait.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(12 << 20, b'x');
    let mut api = Api::new(addr, &unit);
    let r = api.send(
        "POST",
        "/v1/rounds/r/units/so-a/evidence?name=big.pdf",
        &[("Content-Type", "application/octet-stream")],
        &pdf,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let sha = parindex_store::sha256_hex(&pdf);
    let path = format!("/v1/rounds/r/units/so-a/evidence/sha256:{sha}");
    // The self-assessment cites it, so the round's export.tar carries it too.
    let mut me = full_self();
    me["entries"]["1.1"]["evidence"] = json!([{"title": "QĐ 15", "file": format!("sha256:{sha}")}]);
    assert_eq!(api.json("POST", "/v1/rounds/r/units/so-a/self-assessment/submit", &me).status, 201);
    let auditor = token(&db, "auditor");
    // Four clients never read the file, three never read an export; two read the file a
    // byte every 200 ms.
    let started = Instant::now();
    let mut silent: Vec<TcpStream> = (0..4).map(|_| unread_get(addr, &path, &unit)).collect();
    silent.extend((0..2).map(|_| unread_get(addr, "/v1/rounds/r/export.tar", &auditor)));
    silent.push(unread_get(addr, "/v1/rounds/r/export", &auditor));
    let mut trickle: Vec<TcpStream> = (0..2).map(|_| unread_get(addr, &path, &unit)).collect();
    std::thread::sleep(Duration::from_millis(300));
    // A normal client is served meanwhile, the whole file and the whole export included.
    assert!(healthz_quickly(addr) < Duration::from_secs(1));
    let r = api.get(&path);
    assert_eq!((r.status, r.body.len()), (200, pdf.len()));
    let r = Api::new(addr, &auditor).get("/v1/rounds/r/export.tar");
    assert_eq!(r.status, 200);
    let carried = untar(&r.body).into_iter().find(|(p, _)| p.ends_with(&sha)).map(|(_, data)| data);
    assert!(carried == Some(pdf.clone()), "the export does not carry the file whole");
    let r = Api::new(addr, &auditor).get("/v1/rounds/r/export");
    assert_eq!(r.status, 200);
    let base64 = r.json()["evidence"][&sha]["base64"].as_str().map(str::len);
    assert_eq!(base64, Some(pdf.len().div_ceil(3) * 4), "the bundle does not carry the file whole");
    while started.elapsed() < Duration::from_secs(5) {
        for s in trickle.iter_mut() {
            s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
            let _ = s.read(&mut [0u8; 1]);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // One window of 2 s after they first made the server wait, they are all cut: what is
    // still buffered arrives, then the end, never the whole file.
    for (i, s) in silent.iter_mut().chain(trickle.iter_mut()).enumerate() {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = Vec::new();
        let outcome = s.read_to_end(&mut got);
        assert!(
            outcome.is_ok() || outcome.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "slow reader {i} is still connected: {outcome:?}"
        );
        assert!(got.len() < pdf.len(), "slow reader {i} was sent the whole file");
    }
    assert!(healthz_quickly(addr) < Duration::from_secs(1));
    send_term(&child);
    assert!(wait_exit(&mut child, Duration::from_secs(15)).is_some_and(|s| s.success()));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout_not_the_header_timeout() {
    let args = ["--header-timeout", "10", "--idle-timeout", "1"];
    let (mut child, addr, _, _) = start("idle", &args, None);
    // Kept alive after an answer, then silent: closed after about a second.
    let mut kept = TcpStream::connect(addr).unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    kept.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let n = kept.read(&mut [0u8; 4096]).unwrap();
    assert!(n > 0);
    let answered = Instant::now();
    assert!(closed_within(&mut kept, Duration::from_secs(3)), "an idle keep-alive connection is still open");
    assert!(answered.elapsed() < Duration::from_millis(2500), "took {:?}", answered.elapsed());
    // A connection that says nothing: the same.
    let mut silent = TcpStream::connect(addr).unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(3)), "a silent connection is still open");
    // A request head that began in time may take the header timeout to finish.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").unwrap();
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(300));
        slow.write_all(b"X-Slow: a\r\n").unwrap();
    }
    slow.write_all(b"Host: x\r\n\r\n").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let mut buf = vec![0u8; 4096];
    let n = slow.read(&mut buf).unwrap();
    assert!(buf.get(..n).unwrap().starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf));
    send_term(&child);
    assert!(wait_exit(&mut child, Duration::from_secs(15)).is_some_and(|s| s.success()));
    // The idle timeout cannot be longer than the header timeout, which counts the idle wait.
    let db = temp_dir("idle-flag").join("db.sqlite");
    let out = Command::new(BIN)
        .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0", "--header-timeout", "5"])
        .args(["--idle-timeout", "6"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--idle-timeout"));
}
