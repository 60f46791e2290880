//! `sigc serve`: the JSON API and the page, over HTTP, on a server started on a free port for
//! each test.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `sigc serve --port 0` of its own, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    pub fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sigc"))
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("sigc serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("sigc serve prints its address");
        let addr = line
            .trim()
            .strip_prefix("sigc playground: http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// `http://ADDR/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// `method path` with `body`, and `headers` after `Host`.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        request(&self.addr, method, path, headers, body)
    }

    /// `POST path` with `body` as JSON.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        let body = serde_json::to_vec(body).expect("JSON");
        self.request("POST", path, &[("Content-Type", "application/json")], &body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The header lines, as sent.
    pub headers: Vec<String>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 request on a connection of its own. The body is written on another thread, so
/// that a server answering before it has read all of it cannot block the test.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut writer = stream.try_clone().expect("clone");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(&bytes);
    });
    // Read to the end of the body its length announces (chromedriver keeps the connection
    // open), or else to the end of the stream.
    let (mut raw, mut chunk) = (Vec::new(), [0u8; 8192]);
    loop {
        if let Some((split, Some(n))) = framing(&raw)
            && raw.len() >= split + 4 + n
        {
            break;
        }
        match stream.read(&mut chunk).expect("an answer") {
            0 => break,
            n => raw.extend_from_slice(&chunk[..n]),
        }
    }
    let _ = sender.join();
    let (split, length) = framing(&raw).expect("a header");
    let end = length.map_or(raw.len(), |n| split + 4 + n);
    let head = String::from_utf8(raw[..split].to_vec()).expect("ASCII header");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    Reply {
        status,
        headers: lines.map(str::to_string).collect(),
        body: raw[split + 4..end].to_vec(),
    }
}

/// Where the header of `raw` ends, and the body's length if the header gives it.
fn framing(raw: &[u8]) -> Option<(usize, Option<usize>)> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse().ok());
    Some((split, length))
}

/// A rule every target converts, without an `id` (a finding with a fix).
pub const RULE: &str = "title: Net Share Removed
status: test
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\net.exe'
    CommandLine|contains: ' /delete'
  condition: selection
level: low
";

#[test]
fn serve_listens_on_loopback_by_default() {
    let server = Server::start();
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
}

#[test]
fn convert_answers_a_query_per_target() {
    let server = Server::start();
    let reply = server.post("/api/convert", &json!({ "rule": RULE }));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Content-Type"), Some("application/json"));
    let answer = reply.json();
    let results = answer["results"].as_array().expect("results");
    let targets: Vec<&str> = results
        .iter()
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["splunk", "logpoint", "car"]);
    for r in results {
        assert_eq!(r["errors"], json!([]), "{r}");
        assert_eq!(r["queries"].as_array().map(Vec::len), Some(1), "{r}");
    }
    assert!(
        results[0]["queries"][0]
            .as_str()
            .unwrap()
            .contains("Image=\"*\\\\net.exe\"")
    );
    assert_eq!(answer["diagnostics"], json!([]));
}

#[test]
fn convert_applies_the_named_pipelines_where_they_are_meant_to_go() {
    let server = Server::start();
    let body =
        json!({ "rule": RULE, "targets": ["splunk", "car"], "pipelines": ["splunk_windows"] });
    let answer = server.post("/api/convert", &body).json();
    assert_eq!(answer["results"][0]["pipelines"], json!(["splunk_windows"]));
    assert_eq!(answer["results"][1]["pipelines"], json!(["car"]));
}

#[test]
fn convert_locates_invalid_yaml() {
    let server = Server::start();
    let rule = "title: Broken\ndetection:\n  selection: [a\n  condition: selection\n";
    let reply = server.post("/api/convert", &json!({ "rule": rule }));
    assert_eq!(reply.status, 200);
    let answer = reply.json();
    let diagnostic = &answer["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error", "{answer}");
    assert!(
        diagnostic["line"].as_u64().is_some_and(|l| l >= 3),
        "{answer}"
    );
    for r in answer["results"].as_array().unwrap() {
        assert_eq!(r["queries"], json!([]));
    }
}

#[test]
fn convert_reports_what_a_target_refuses_under_that_target() {
    let server = Server::start();
    let rule = RULE.replace("CommandLine|contains:", "CommandLine|contains|cased:");
    let answer = server.post("/api/convert", &json!({ "rule": rule })).json();
    // Each target's search ignores case: each refuses, located, in its own words.
    for (refusing, name) in answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["Splunk", "LogPoint", "CAR"])
    {
        assert_eq!(refusing["queries"], json!([]), "{answer}");
        let error = &refusing["errors"][0];
        assert_eq!(
            (&error["line"], &error["column"]),
            (&json!(9), &json!(33)),
            "{answer}"
        );
        assert_eq!(error["code"], "unsupported_feature");
        assert!(
            error["message"].as_str().unwrap().contains(name),
            "{answer}"
        );
    }
    assert_eq!(answer["diagnostics"], json!([]));
}

#[test]
fn convert_refuses_unknown_targets_and_pipelines() {
    let server = Server::start();
    let reply = server.post(
        "/api/convert",
        &json!({ "rule": RULE, "targets": ["qradar"] }),
    );
    assert_eq!(reply.status, 400);
    let error = reply.json()["error"].as_str().unwrap().to_string();
    assert!(
        error.contains("unknown target `qradar`") && error.contains("splunk"),
        "{error}"
    );
    let reply = server.post(
        "/api/convert",
        &json!({ "rule": RULE, "pipelines": ["/etc/passwd"] }),
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown pipeline")
    );
    let body = json!({ "rule": RULE, "targets": ["car"], "pipelines": ["splunk_windows"] });
    let reply = server.post("/api/convert", &body);
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("is meant for splunk")
    );
}

#[test]
fn check_locates_findings_with_their_fixes() {
    let server = Server::start();
    let rule = RULE.replace("condition: selection", "condition: selection and nope");
    let reply = server.post("/api/check", &json!({ "rule": rule }));
    assert_eq!(reply.status, 200);
    let findings = reply.json();
    let findings = findings.as_array().expect("an array");
    let dangling = findings
        .iter()
        .find(|f| f["code"] == "dangling_condition")
        .expect("the undefined identifier");
    assert_eq!(
        (&dangling["line"], &dangling["column"]),
        (&json!(10), &json!(28))
    );
    assert_eq!(
        (&dangling["end_line"], &dangling["end_column"]),
        (&json!(10), &json!(32))
    );
    assert_eq!(dangling["severity"], "error");
    let id = findings
        .iter()
        .find(|f| f["code"] == "identifier_existence")
        .expect("the missing id");
    assert_eq!(id["fixes"][0]["line"], 2);
    assert!(id["fixes"][0]["text"].as_str().unwrap().starts_with("id: "));
    // A rule without a file name is not judged on one.
    assert!(findings.iter().all(|f| f["code"] != "filename_length"));
    let named = json!({ "rule": RULE, "name": "x.yml" });
    let findings = server.post("/api/check", &named).json();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "filename_length")
    );
}

#[test]
fn check_with_a_target_reports_its_refusals_and_refuses_an_unknown_one() {
    let server = Server::start();
    let rule = RULE.replace("CommandLine|contains:", "CommandLine|contains|cased:");
    let findings = server
        .post("/api/check", &json!({ "rule": rule, "target": "car" }))
        .json();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error"),
        "{findings}"
    );
    let reply = server.post("/api/check", &json!({ "rule": RULE, "target": "nope" }));
    assert_eq!(reply.status, 400);
}

#[test]
fn test_shows_which_events_match() {
    let server = Server::start();
    let events = "{\"Image\": \"C:\\\\Windows\\\\net.exe\", \"CommandLine\": \"net share x /delete\"}\n\
                  {\"Image\": \"C:\\\\Windows\\\\explorer.exe\"}\n\
                  [1]\n";
    let answer = server
        .post("/api/test", &json!({ "rule": RULE, "events": events }))
        .json();
    let events = answer["events"].as_array().expect("events");
    assert_eq!(events.len(), 2, "{answer}");
    assert_eq!(events[0]["matches"][0]["title"], "Net Share Removed");
    assert_eq!(events[0]["line"], 1);
    assert_eq!(events[1]["matches"], json!([]));
    assert_eq!(
        answer["errors"].as_array().map(Vec::len),
        Some(1),
        "{answer}"
    );
    // Events may also come as JSON values.
    let as_values =
        json!({ "rule": RULE, "events": [{"Image": "x\\net.exe", "CommandLine": "a /delete"}] });
    let answer = server.post("/api/test", &as_values).json();
    assert_eq!(
        answer["events"][0]["matches"][0]["level"], "low",
        "{answer}"
    );
}

#[test]
fn test_runs_the_rules_own_cases() {
    let server = Server::start();
    let rule = format!("{RULE}tests:\n  match:\n    - Image: 'C:\\explorer.exe'\n");
    let answer = server.post("/api/test", &json!({ "rule": rule })).json();
    assert_eq!(answer["cases_run"], 1);
    assert_eq!(answer["diagnostics"][0]["code"], "test_failed", "{answer}");
}

#[test]
fn explain_shows_each_field_and_the_query_convert_writes() {
    let server = Server::start();
    let reply = server.post(
        "/api/explain",
        &json!({ "rule": RULE, "target": "splunk", "pipelines": ["splunk_windows"] }),
    );
    assert_eq!(reply.status, 200);
    let body = reply.json();
    let rule = &body["rules"][0];
    let converted = server.post(
        "/api/convert",
        &json!({ "rule": RULE, "targets": ["splunk"], "pipelines": ["splunk_windows"] }),
    );
    assert_eq!(
        rule["query"].as_str().unwrap().trim_end(),
        converted.json()["results"][0]["queries"][0]
            .as_str()
            .unwrap()
    );
    let fields: Vec<&str> = rule["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"CommandLine"), "{fields:?}");
    assert!(!rule["steps"].as_array().unwrap().is_empty());

    let broken = server.post("/api/explain", &json!({ "rule": "title: [" }));
    assert_eq!(broken.status, 200);
    assert!(broken.json()["rules"].as_array().unwrap().is_empty());
    assert!(!broken.json()["diagnostics"].as_array().unwrap().is_empty());
    let unknown = server.post("/api/explain", &json!({ "rule": RULE, "target": "qradar" }));
    assert_eq!(unknown.status, 400);
}

#[test]
fn bad_requests_are_refused_with_a_json_error() {
    let server = Server::start();
    let json_type = [("Content-Type", "application/json")];
    for (method, path, headers, body, status) in [
        ("GET", "/api/convert", &json_type[..], &b""[..], 405),
        ("PUT", "/api/check", &json_type[..], b"{}", 405),
        ("POST", "/", &json_type[..], b"{}", 405),
        ("POST", "/api/check", &json_type[..], b"{\"rule\": ", 400),
        ("POST", "/api/check", &json_type[..], b"{\"rule\": 3}", 400),
        (
            "POST",
            "/api/check",
            &json_type[..],
            b"{\"rule\": \"\", \"x\": 1}",
            400,
        ),
        ("POST", "/api/test", &json_type[..], b"[\"\xff\"]", 400),
        (
            "POST",
            "/api/check",
            &[("Content-Type", "text/plain")][..],
            b"{\"rule\": \"\"}",
            415,
        ),
        ("POST", "/api/check", &[][..], b"{\"rule\": \"\"}", 415),
        ("GET", "/etc/passwd", &[][..], b"", 404),
        ("GET", "/../Cargo.toml", &[][..], b"", 404),
    ] {
        let reply = server.request(method, path, headers, body);
        assert_eq!(reply.status, status, "{method} {path}");
        assert_eq!(reply.header("Content-Type"), Some("application/json"));
        assert!(reply.json()["error"].is_string());
        if status == 405 {
            assert!(reply.header("Allow").is_some());
        }
    }
}

#[test]
fn an_oversized_body_is_refused() {
    let server = Server::start();
    let rule = "a".repeat(2 << 20);
    let reply = server.post("/api/convert", &json!({ "rule": rule }));
    assert_eq!(reply.status, 413);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("larger than")
    );
    // The server is still there.
    assert_eq!(
        server.post("/api/check", &json!({ "rule": RULE })).status,
        200
    );
}

/// The head of `request` written as is, and the whole answer.
fn raw(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.write_all(request).expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn a_huge_declared_body_or_a_transfer_encoding_is_refused_unread() {
    let server = Server::start();
    let huge = raw(
        &server,
        b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
          Content-Length: 100000000000000\r\n\r\n",
    );
    assert!(huge.starts_with("HTTP/1.1 413"), "{huge}");
    let chunked = raw(
        &server,
        b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
          Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    );
    assert!(chunked.starts_with("HTTP/1.1 411"), "{chunked}");
    let long_head = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: {}\r\n\r\n",
        "a".repeat(64 << 10)
    );
    let long_head = raw(&server, long_head.as_bytes());
    assert!(long_head.starts_with("HTTP/1.1 431"), "{long_head}");
    let garbage = raw(&server, b"\x00\x01 / HTTP/1.1\r\n\r\n");
    assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");
    // The server is still there.
    assert_eq!(
        server.post("/api/check", &json!({ "rule": RULE })).status,
        200
    );
}

#[test]
fn a_foreign_host_name_is_refused() {
    let server = Server::start();
    let reply = request(&server.addr, "GET", "/", &[], b"");
    assert_eq!(reply.status, 200);
    // What a page of another site sends after rebinding its name to 127.0.0.1.
    let foreign = raw(&server, b"GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
    assert!(foreign.starts_with("HTTP/1.1 403"), "{foreign}");
    let none = raw(&server, b"GET / HTTP/1.1\r\n\r\n");
    assert!(none.starts_with("HTTP/1.1 403"), "{none}");
}

#[test]
fn the_page_is_self_contained_and_locked_down() {
    let server = Server::start();
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/playground.js", "text/javascript; charset=utf-8"),
        ("/playground.css", "text/css; charset=utf-8"),
        ("/api/meta", "application/json"),
    ] {
        let reply = server.request("GET", path, &[], b"");
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{path}");
        let csp = reply.header("Content-Security-Policy").expect("a CSP");
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("unsafe"),
            "{csp}"
        );
        assert_eq!(reply.header("X-Content-Type-Options"), Some("nosniff"));
        let text = String::from_utf8(reply.body).expect("UTF-8");
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{path} fetches from elsewhere"
        );
        if path == "/playground.js" {
            assert!(!text.contains("innerHTML") && !text.contains("insertAdjacentHTML"));
        }
    }
    let meta = server.request("GET", "/api/meta", &[], b"").json();
    assert_eq!(meta["targets"], json!(["splunk", "logpoint", "car"]));
    assert!(
        meta["pipelines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "splunk_windows")
    );
}
