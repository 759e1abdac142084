#![allow(clippy::disallowed_types)] // a measuring tool: ratios of timings, no figure of a round
//! Load generator: many agencies (đơn vị) at once against a real server on loopback.
//!
//! ```sh
//! cargo run --release -p parindex-server --example load -- [ROUNDS_PER_AGENCY] [COPIES] [UPLOADS] [UPLOAD_KIB]
//! ```
//!
//! Starts `parindex serve`'s router on 127.0.0.1 (port chosen by the system) over a fresh
//! SQLite file in the temporary folder, creates the bundled Đồng Tháp 2023 round
//! `COPIES` times (default 4: 4 × 32 = 128 agencies), reopens self-assessment, and then
//! every agency, on its own thread and keep-alive connection, does `ROUNDS_PER_AGENCY`
//! times (default 20): save its whole draft (PUT, the fixture's self-assessment), read it
//! back (GET); then submits and reads its score. Prints throughput and p50/p99 latency per
//! kind of request. Then, in a second phase, every agency uploads `UPLOADS` evidence files
//! (default 2) of `UPLOAD_KIB` KiB (default 512, distinct PDF-looking bytes) at once, and
//! the upload throughput (files/s, MiB/s over the phase's wall time) is printed. Bounded by
//! count; talks only to 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parindex_store::{Store, tokens};
use serde_json::{Value, json};

/// One client's keep-alive connections to the server (a `ureq` agent: a dev-dependency).
struct Connection {
    agent: ureq::Agent,
    addr: SocketAddr,
}

/// A response: the status and the body as text.
struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn text(&self) -> &str {
        &self.body
    }
}

impl Connection {
    fn new(addr: SocketAddr) -> Connection {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
        Connection { agent, addr }
    }

    fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, ureq::Error> {
        let mut request = ureq::http::Request::builder().method(method).uri(format!("http://{}{path}", self.addr));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = self.agent.run(request.body(body)?)?;
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(u64::MAX).read_to_string()?;
        Ok(Reply { status, body })
    }
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

struct Agency {
    round: String,
    unit: String,
    token: String,
    self_stage: String,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds_per_agency: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let copies: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(4);
    let uploads: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(2);
    let upload_kib: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(512);
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2023");

    let dir = std::env::temp_dir().join(format!("parindex-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = Arc::new(Store::open(&dir.join("load.sqlite")).unwrap());
    let admin = store.write(|tx| tokens::create(tx, "load", "admin", "", None)).unwrap().1;

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let app = parindex_server::router(Arc::clone(&store), parindex_server::DEFAULT_BODY_LIMIT);
    runtime.spawn(async move { axum::serve(listener, app).await });

    // The rounds: the fixture, COPIES times under different ids.
    let mut round = read_json(&fixture.join("round.json"));
    let mut sets = serde_json::Map::new();
    for b in round["blocks"].as_array().unwrap() {
        let path = b["criteria_set"].as_str().unwrap().to_owned();
        sets.insert(path.clone(), read_json(&fixture.join(&path)));
    }
    let mut assessments = BTreeMap::new();
    for e in std::fs::read_dir(fixture.join("assessments")).unwrap() {
        let doc = read_json(&e.unwrap().path());
        let mut s = doc["self"].as_object().unwrap().clone();
        s.remove("submitted_at");
        assessments.insert(doc["unit"].as_str().unwrap().to_owned(), Value::Object(s).to_string());
    }
    let mut admin_conn = Connection::new(addr);
    let auth = format!("Bearer {admin}");
    let mut agencies = Vec::new();
    for copy in 0..copies {
        let id = format!("load-{copy}");
        round["id"] = json!(id);
        let body = json!({"round": round, "criteria_sets": sets}).to_string();
        let r = admin_conn.send("POST", "/v1/rounds", &[("Authorization", &auth)], body.as_bytes()).unwrap();
        assert_eq!(r.status, 201, "{}", r.text());
        let window = json!({"open": true, "until": "2099-12-31"}).to_string();
        let path = format!("/v1/rounds/{id}/self-assessment-window");
        assert_eq!(admin_conn.send("PUT", &path, &[("Authorization", &auth)], window.as_bytes()).unwrap().status, 200);
        for (unit, self_stage) in &assessments {
            let role = format!("unit:{unit}");
            let token = store.write(|tx| tokens::create(tx, "load", &role, "", None)).unwrap().1;
            agencies.push(Agency { round: id.clone(), unit: unit.clone(), token, self_stage: self_stage.clone() });
        }
    }

    println!(
        "{} agencies × {rounds_per_agency} × (PUT draft + GET), then submit + GET score, on {addr}",
        agencies.len()
    );
    let started = Instant::now();
    let upload_jobs: Vec<(String, String)> =
        agencies.iter().map(|a| (format!("/v1/rounds/{}/units/{}", a.round, a.unit), a.token.clone())).collect();
    let handles: Vec<_> = agencies
        .into_iter()
        .map(|a| {
            std::thread::spawn(move || {
                let mut conn = Connection::new(addr);
                let auth = format!("Bearer {}", a.token);
                let headers = [("Authorization", auth.as_str())];
                let base = format!("/v1/rounds/{}/units/{}", a.round, a.unit);
                let mut times: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
                let mut timed = |kind: &'static str, method: &str, path: &str, body: &[u8], ok: &[u16]| {
                    let t = Instant::now();
                    let r = conn.send(method, path, &headers, body).unwrap();
                    times.entry(kind).or_default().push(t.elapsed());
                    assert!(ok.contains(&r.status), "{kind}: {} {}", r.status, r.text());
                };
                for _ in 0..rounds_per_agency {
                    timed(
                        "PUT draft",
                        "PUT",
                        &format!("{base}/self-assessment/draft"),
                        a.self_stage.as_bytes(),
                        &[200],
                    );
                    timed("GET self-assessment", "GET", &format!("{base}/self-assessment"), b"", &[200]);
                }
                // One agency of the fixture left a criterion out: its submission is a 422.
                timed("POST submit", "POST", &format!("{base}/self-assessment/submit"), b"", &[201, 422]);
                timed("GET score", "GET", &format!("{base}/score"), b"", &[200]);
                times
            })
        })
        .collect();
    let mut all: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    for h in handles {
        for (k, v) in h.join().unwrap() {
            all.entry(k).or_default().extend(v);
        }
    }
    let elapsed = started.elapsed();
    let total: usize = all.values().map(Vec::len).sum();
    println!(
        "{total} requests in {:.2} s: {:.0} requests/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    println!("{:<22} {:>7} {:>10} {:>10}", "request", "count", "p50 ms", "p99 ms");
    let mut everything = Vec::new();
    for (kind, mut v) in all {
        v.sort();
        println!(
            "{kind:<22} {:>7} {:>10.2} {:>10.2}",
            v.len(),
            percentile(&v, 0.50).as_secs_f64() * 1e3,
            percentile(&v, 0.99).as_secs_f64() * 1e3
        );
        everything.extend(v);
    }
    everything.sort();
    println!(
        "{:<22} {:>7} {:>10.2} {:>10.2}",
        "all",
        everything.len(),
        percentile(&everything, 0.50).as_secs_f64() * 1e3,
        percentile(&everything, 0.99).as_secs_f64() * 1e3
    );
    upload_phase(addr, upload_jobs, uploads, upload_kib);
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every agency uploads `count` evidence files of `kib` KiB at once; prints files/s, MiB/s
/// and p50/p99 latency of the uploads.
fn upload_phase(addr: SocketAddr, jobs: Vec<(String, String)>, count: usize, kib: usize) {
    if count == 0 {
        return;
    }
    let agencies = jobs.len();
    let started = Instant::now();
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, (base, token))| {
            std::thread::spawn(move || {
                let mut conn = Connection::new(addr);
                let auth = format!("Bearer {token}");
                let mut times = Vec::new();
                for k in 0..count {
                    let mut bytes = format!("%PDF-1.7\n% load {i} {k}\n").into_bytes();
                    bytes.resize(kib * 1024, b'x');
                    let t = Instant::now();
                    let path = format!("{base}/evidence?name=load-{k}.pdf");
                    let r = conn.send("POST", &path, &[("Authorization", auth.as_str())], &bytes).unwrap();
                    times.push(t.elapsed());
                    assert_eq!(r.status, 201, "upload: {}", r.text());
                }
                times
            })
        })
        .collect();
    let mut times: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    let files = times.len();
    let mib = (files * kib) as f64 / 1024.0;
    println!(
        "uploads: {agencies} agencies × {count} files of {kib} KiB: {files} files, {mib:.1} MiB in {elapsed:.2} s: {:.0} files/s, {:.1} MiB/s; p50 {:.2} ms, p99 {:.2} ms",
        files as f64 / elapsed,
        mib / elapsed,
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3
    );
}
