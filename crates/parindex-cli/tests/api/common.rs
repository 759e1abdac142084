//! Starting the real `parindex serve` on loopback with a real SQLite file, tokens, requests.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_parindex");

/// A fresh, empty temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The server as a child process.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    pub fn start(db: &Path) -> Server {
        Server::start_with(db, &[])
    }

    pub fn start_with(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
            .args(extra)
            // Warnings and errors only: a line per request would drown the test output.
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .parse()
            .unwrap();
        Server { child, addr }
    }

    /// SIGKILL: no shutdown, no flush, nothing.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn api(&self, token: &str) -> Api {
        Api::new(self.addr, token)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes a token with `parindex token create`.
pub fn token(db: &Path, role: &str) -> String {
    let out =
        Command::new(BIN).args(["token", "create", "--role", role, "--db", db.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A response.
pub struct Reply {
    pub status: u16,
    /// Headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (`null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// Keep-alive HTTP/1.1 to the server on loopback (`ureq`, statuses not treated as errors).
pub struct Connection {
    agent: ureq::Agent,
    addr: SocketAddr,
}

impl Connection {
    pub fn new(addr: SocketAddr) -> Connection {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
        Connection { agent, addr }
    }

    /// Sends one request with `headers` as given and reads the whole response.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut request = ureq::http::Request::builder().method(method).uri(format!("http://{}{path}", self.addr));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = self.agent.run(request.body(body).unwrap()).unwrap();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(u64::MAX).read_to_vec().unwrap();
        Reply { status, headers, body }
    }
}

/// Requests with one token.
pub struct Api {
    conn: Connection,
    token: String,
}

impl Api {
    pub fn new(addr: SocketAddr, token: &str) -> Api {
        Api { conn: Connection::new(addr), token: token.to_owned() }
    }

    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let auth = format!("Bearer {}", self.token);
        let mut all: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
        if !self.token.is_empty() {
            all.push(("Authorization", &auth));
        }
        all.extend_from_slice(headers);
        self.conn.send(method, path, &all, body)
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, &[], b"")
    }

    pub fn json(&mut self, method: &str, path: &str, body: &Value) -> Reply {
        self.send(method, path, &[], body.to_string().as_bytes())
    }
}

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2023")
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The body of `POST /v1/rounds` for a round folder.
pub fn create_body(dir: &Path) -> Value {
    let round = read_json(&dir.join("round.json"));
    let mut sets = serde_json::Map::new();
    for b in round["blocks"].as_array().unwrap() {
        let path = b["criteria_set"].as_str().unwrap();
        sets.insert(path.to_owned(), read_json(&dir.join(path)));
    }
    json!({"round": round, "criteria_sets": sets})
}

/// How many leaves the small round's field 2 has (one per concurrent writer).
pub const FIELD_2_LEAVES: usize = 24;

/// A small round: one block, one criteria set (field 1: three leaves; field 2:
/// [`FIELD_2_LEAVES`] manual leaves of 1 point), units `so-a`, `so-b`.
pub fn small_round(id: &str, deadline: &str) -> Value {
    let field_2: Vec<Value> = (1..=FIELD_2_LEAVES)
        .map(|i| json!({"code": format!("2.{i}"), "title": format!("Nhiệm vụ {i}"), "max": "1", "rule": {"kind": "manual"}, "evidence": false}))
        .collect();
    let mut doc = json!({
        "round": {
            "format": "parindex/round@1", "id": id, "title": "Vòng thử", "year": 2025,
            "evaluator": "UBND tỉnh", "deadlines": {"self": deadline},
            "blocks": [{"id": "so", "title": "Khối sở", "criteria_set": "criteria/so.json", "survey": false,
                        "classes": [{"label": "Tốt", "from": "80"}, {"label": "Khá", "from": "50"}, {"label": "Yếu", "from": "0"}]}],
            "units": [{"id": "so-a", "name": "Sở A", "block": "so"}, {"id": "so-b", "name": "Sở B", "block": "so"}]
        },
        "criteria_sets": {"criteria/so.json": {
            "format": "parindex/criteria-set@1", "id": "so", "title": "Bộ tiêu chí", "year": 2025,
            "nodes": [{"code": "1", "title": "Chỉ đạo", "children": [
                {"code": "1.1", "title": "Kế hoạch", "max": "2", "rule": {"kind": "yes_no"}, "evidence": false},
                {"code": "1.2", "title": "Hoàn thành", "max": "4", "rule": {"kind": "manual", "step": "0.5"}, "evidence": false},
                {"code": "1.3", "title": "Báo cáo", "max": "4", "rule": {"kind": "manual"}, "evidence": false}
            ]}, {"code": "2", "title": "Nhiệm vụ", "children": []}]
        }}
    });
    doc["criteria_sets"]["criteria/so.json"]["nodes"][1]["children"] = Value::Array(field_2);
    doc
}

/// A server with the small round, reopened until 2099, and tokens for every role.
pub struct Small {
    pub server: Server,
    pub db: PathBuf,
    pub admin: String,
    pub appraiser: String,
    pub auditor: String,
    pub unit_a: String,
    pub unit_b: String,
}

impl Small {
    pub fn start(name: &str, extra: &[&str]) -> Small {
        let dir = temp_dir(name);
        let db = dir.join("db.sqlite");
        let admin = token(&db, "admin");
        let server = Server::start_with(&db, extra);
        let mut api = server.api(&admin);
        let r = api.json("POST", "/v1/rounds", &small_round("r", "2099-12-31"));
        assert_eq!(r.status, 201, "{}", r.text());
        Small {
            appraiser: token(&db, "appraiser"),
            auditor: token(&db, "auditor"),
            unit_a: token(&db, "unit:so-a"),
            unit_b: token(&db, "unit:so-b"),
            server,

            db,
            admin,
        }
    }

    pub fn api(&self, token: &str) -> Api {
        self.server.api(token)
    }
}

/// A complete, valid self-assessment of the small round.
pub fn full_self() -> Value {
    let mut entries = json!({"1.1": {"input": true}, "1.2": {"points": "3.5"}, "1.3": {"points": "4"}});
    for i in 1..=FIELD_2_LEAVES {
        entries[format!("2.{i}")] = json!({"points": "1"});
    }
    json!({ "entries": entries })
}

/// The `{"error": {...}}` code of a refusal, checking the body is that JSON.
pub fn error_code(r: &Reply) -> String {
    let v = r.json();
    assert_eq!(v["error"]["status"], json!(r.status), "not a JSON error: {}", r.text());
    v["error"]["code"].as_str().unwrap().to_owned()
}

/// The SPEC §10 codes of a 422.
pub fn problem_codes(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, 422, "{}", r.text());
    r.json()["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_owned()).collect()
}

/// The files of a tar archive: (path, contents).
pub fn untar(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut out = Vec::new();
    for entry in tar::Archive::new(bytes).entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_str().unwrap().to_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.push((path, data));
    }
    out
}
