//! The playground in a real browser: headless Chromium, driven by chromedriver's WebDriver
//! HTTP API, loads the page; a rule and events are typed, and every target's query, a finding
//! marked on its line and the matching event must appear. `SIGC_BLESS=1` refreshes the screenshot in docs/playground.png.
//!
//! Without Chromium the test fails under CI (`CI` set: `.ci/run` installs it) and is skipped
//! elsewhere with the reason printed.

use crate::common::root;
use crate::serve::{Server, request};
use base64::Engine as _;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long the page may take to show what is waited for.
const PATIENCE: Duration = Duration::from_secs(10);

/// The rule typed: it converts for every target, and has no `id` (a finding on line 1).
const TYPED: &str = "title: Whoami Execution
status: test
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
level: low
";

/// A running chromedriver, killed when dropped.
struct Driver {
    child: Child,
    addr: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser session, closed when dropped (chromedriver then ends Chromium).
struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.id);
        request(&self.driver.addr, "DELETE", &path, &[], b"");
    }
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            addr: format!("127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(&driver.addr).is_err() {
            assert!(start.elapsed() < PATIENCE, "chromedriver does not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// `method path` with a JSON body; the answer's `value`.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = serde_json::to_vec(body).expect("JSON");
        let headers = [("Content-Type", "application/json")];
        let reply = request(&self.addr, method, path, &headers, &body);
        let answer = reply.json();
        assert_eq!(reply.status, 200, "{method} {path}: {answer}");
        answer["value"].clone()
    }

    fn session(&self, profile: &Path) -> Session<'_> {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1150",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        }}});
        let value = self.call("POST", "/session", &capabilities);
        let id = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Session { driver: self, id }
    }
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let path = format!("/session/{}{path}", self.id);
        self.driver.call(method, &path, body)
    }

    /// The element `css` selects.
    fn element(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            &json!({ "using": "css selector", "value": css }),
        );
        found[ELEMENT].as_str().expect("an element").to_string()
    }

    /// What `script` (a function body) returns in the page.
    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            &json!({ "script": script, "args": [] }),
        )
    }

    /// Waits until `script` returns true; fails with `what` and the page's state otherwise.
    fn wait_for(&self, what: &str, script: &str) {
        let start = Instant::now();
        while self.script(script) != json!(true) {
            if start.elapsed() > PATIENCE {
                let status = self.script("return document.getElementById('status').textContent");
                panic!("the page never showed {what} (status: {status})");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Whether the browser is there; `false` (after saying why) when the test may skip without it.
fn browser_present() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let why = format!(
        "{} missing: `apt-get install chromium chromium-driver` (.ci/run does)",
        missing.join(" and ")
    );
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("note: skipping the browser test: {why}");
    false
}

#[test]
fn the_playground_shows_every_query_and_the_findings_as_a_rule_is_typed() {
    if !browser_present() {
        return;
    }
    let server = Server::start();
    let driver = Driver::start();
    let profile = tempfile::tempdir().expect("a profile directory");
    let session = driver.session(profile.path());
    session.call("POST", "/url", &json!({ "url": server.url() }));
    session.wait_for(
        "the sample rule's Splunk query",
        "const q = document.getElementById('query-splunk'); return !!q && q.textContent.length > 0",
    );
    let editor = session.element("#rule");
    session.call("POST", &format!("/element/{editor}/clear"), &json!({}));
    session.call(
        "POST",
        &format!("/element/{editor}/value"),
        &json!({ "text": TYPED }),
    );
    for target in ["splunk", "logpoint", "car"] {
        session.wait_for(
            &format!("the {target} query of the typed rule"),
            &format!(
                "return document.getElementById('query-{target}').textContent.includes('whoami.exe')"
            ),
        );
    }
    let events = session.element("#events");
    session.call("POST", &format!("/element/{events}/clear"), &json!({}));
    session.call(
        "POST",
        &format!("/element/{events}/value"),
        &json!({ "text": "{\"Image\": \"C:\\\\Windows\\\\System32\\\\whoami.exe\"}\n{\"Image\": \"C:\\\\x.exe\"}" }),
    );
    session.wait_for(
        "the first event matching and the second not",
        "const items = document.querySelectorAll('#matches li'); return items.length === 2 \
         && items[0].textContent.includes('matches: Whoami Execution') \
         && items[1].textContent.includes('no match')",
    );
    session.wait_for(
        "the missing id among the findings, marked on line 1",
        "return document.getElementById('diagnostics').textContent.includes('identifier_existence') \
         && document.querySelector('#gutter div').classList.length > 0",
    );
    let splunk = session.script("return document.getElementById('query-splunk').textContent");
    assert_eq!(
        splunk,
        json!("index=\"__your_sysmon_index__\" EventCode=1 Image=\"*\\\\whoami.exe\"")
    );
    let png = session.call("GET", "/screenshot", &json!({}));
    let png = base64::engine::general_purpose::STANDARD
        .decode(png.as_str().expect("base64"))
        .expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    if std::env::var_os("SIGC_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(root().join("docs/playground.png"), png).expect("write the screenshot");
    }
}
