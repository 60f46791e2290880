//! `sigc lsp`: a JSON-RPC client over the server's standard input and output, through one
//! conversation (initialize, diagnostics, hover, completion, a code action, go-to-definition,
//! shutdown and exit). Every read is bounded: a server that hangs fails the test.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long one answer may take.
const WAIT: Duration = Duration::from_secs(30);

/// A running `sigc lsp` and the messages it has sent, read on a thread.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sigc"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("sigc lsp starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("server reads");
        self.stdin.flush().expect("server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, skipping the notifications sent meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let answer = self.expect(|m| m["id"] == id && m.get("method").is_none());
        assert!(answer.get("error").is_none(), "{method} failed: {answer}");
        answer["result"].clone()
    }

    /// The first message that `wanted` accepts, within [`WAIT`].
    fn expect(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server answers in time");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri` that `wanted` accepts.
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let message = self.expect(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| wanted(d))
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// One framed message (`Content-Length` header, blank line, JSON body); `None` at the end.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The LSP position (0-based line, UTF-16 column; ASCII here) of byte `offset`.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = offset - before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column})
}

/// The position just after the first `marker` in `text`.
fn after(text: &str, marker: &str) -> Value {
    position(
        text,
        text.find(marker).expect("marker in text") + marker.len(),
    )
}

fn range(text: &str, word: &str) -> Value {
    let start = text.find(word).expect("word in text");
    json!({"start": position(text, start), "end": position(text, start + word.len())})
}

const BROKEN: &str = "title: Whoami Execution
id: 0a3fd3b4-1c3b-4f1e-9d0c-5a8e4c1b2f10
status: test
description: Detects whoami run to list the groups of the current user
author: sigc
date: 2026-01-01
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
        CommandLine: '*/groups*'
    condition: selection and not filtr
tags:
    - attack.discovery
    - attack.t1033
level: medium
";

const CORRELATION: &str = "title: Many Whoami
id: 7d3c8a52-9a61-4d8e-8b1c-2e0f3a4b5c6d
status: test
correlation:
    type: event_count
    rules:
        - 0a3fd3b4-1c3b-4f1e-9d0c-5a8e4c1b2f10
    group-by:
        - User
    timespan: 1h
    condition:
        gte: 5
level: high
";

#[test]
fn lsp_conversation() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path().canonicalize().expect("canonical path");
    let rule_path = root.join("proc_creation_win_whoami_groups.yml");
    let correlation_path = root.join("correlation_many_whoami.yml");
    std::fs::write(&rule_path, BROKEN).expect("writable");
    std::fs::write(&correlation_path, CORRELATION).expect("writable");
    let (rule, correlation) = (uri(&rule_path), uri(&correlation_path));

    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(&root),
            "capabilities": {},
            "initializationOptions": {"targets": ["splunk", "logpoint", "car"]},
        }),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "sigc");
    client.notify("initialized", json!({}));

    // A broken rule: the condition names an identifier that does not exist.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": rule, "languageId": "yaml", "version": 1, "text": BROKEN}}),
    );
    let found = client.diagnostics(&rule, |d| !d.is_empty());
    let dangling = found
        .iter()
        .find(|d| d["code"] == "dangling_condition")
        .unwrap_or_else(|| panic!("dangling_condition among {found:?}"));
    assert_eq!(dangling["range"], range(BROKEN, "filtr"));
    assert_eq!(dangling["severity"], 1);
    assert_eq!(dangling["source"], "sigc");

    // The author fixes it: a burst of changes is checked once, after the last.
    let fixed = BROKEN.replace(" and not filtr", "");
    for (version, text) in [(2, BROKEN.replace("filtr", "fil")), (3, fixed.clone())] {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": rule, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    let found = client.diagnostics(&rule, |d| {
        d.iter().all(|d| d["code"] != "dangling_condition")
    });
    let wildcards = found
        .iter()
        .find(|d| d["code"] == "wildcards_instead_of_modifiers")
        .unwrap_or_else(|| panic!("wildcards_instead_of_modifiers among {found:?}"))
        .clone();

    // Hover on the condition: the query of each target, and the IR with each leaf located.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": rule}, "position": after(&fixed, "condit")}),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown hover");
    assert!(text.contains("**splunk**"), "{text}");
    assert!(
        text.contains(r#"Image="*\\whoami.exe" CommandLine="*/groups*""#),
        "{text}"
    );
    assert!(
        text.contains("**logpoint**") && text.contains("**car**"),
        "{text}"
    );
    assert!(text.contains("**IR**, condition 1"), "{text}");
    assert!(
        text.contains("  CommandLine = '*/groups*'  13:22"),
        "{text}"
    );

    // Hover on a modifier: its meaning.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": rule}, "position": after(&fixed, "Image|ends")}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .starts_with("`|endswith`")
    );

    // Hover on a field: the name each target's pipelines give it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": rule}, "position": after(&fixed, "Comm")}),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown hover");
    assert!(text.contains("- **splunk**: ` CommandLine `"), "{text}");
    assert!(text.contains("- **car**: ` command_line `"), "{text}");

    // Hover on an ATT&CK tag: what it names.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": rule}, "position": after(&fixed, "attack.t10")}),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown hover");
    assert!(text.contains("System Owner/User Discovery"), "{text}");

    // Completion after `|`: the modifiers.
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": rule}, "position": after(&fixed, "Image|")}),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .expect("a list of items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"contains") && labels.contains(&"windash"),
        "{labels:?}"
    );

    // The code action of a `--fix` edit: `'*/groups*'` becomes `|contains: '/groups'`.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": rule},
            "range": wildcards["range"],
            "context": {"diagnostics": [wildcards]},
        }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][&rule].as_array().expect("edits");
    let inserted: Vec<&str> = edits.iter().filter_map(|e| e["newText"].as_str()).collect();
    assert!(inserted.contains(&"|contains"), "{edits:?}");

    // Go to definition: from the condition's identifier to its selection …
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": rule}, "position": after(&fixed, "condition: sel")}),
    );
    assert_eq!(definition[0]["uri"], rule.as_str());
    assert_eq!(definition[0]["range"], range(&fixed, "selection"));

    // … and from a correlation's `rules` entry to the rule, in another file.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": correlation, "languageId": "yaml", "version": 1, "text": CORRELATION}}),
    );
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": correlation}, "position": after(CORRELATION, "- 0a3f")}),
    );
    assert_eq!(definition[0]["uri"], rule.as_str());
    assert_eq!(
        definition[0]["range"],
        range(&fixed, "0a3fd3b4-1c3b-4f1e-9d0c-5a8e4c1b2f10")
    );

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = client.child.try_wait().expect("waitable") {
            break status;
        }
        assert!(Instant::now() < deadline, "sigc lsp did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

/// A rule with `title`.
fn titled(title: &str) -> String {
    format!(
        "title: {title}\nstatus: test\nlogsource:\n    category: process_creation\n    product: windows\n\
         detection:\n    sel:\n        Image: x\n    condition: sel\nlevel: low\n"
    )
}

/// Files changed on disk outside the editor reach the index through the watcher the server
/// registers: a duplicate title another file had goes away when that file changes, and comes
/// back when it is created again.
#[test]
fn lsp_follows_rule_files_changed_on_disk() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path().canonicalize().expect("canonical path");
    // The later of two files with one title carries the finding: `b.yml` is open, `a.yml` not.
    let (a_path, b_path, c_path) = (root.join("a.yml"), root.join("b.yml"), root.join("0.yml"));
    std::fs::write(&a_path, titled("Same Title")).expect("writable");
    std::fs::write(&b_path, titled("Same Title")).expect("writable");
    let (a, b) = (uri(&a_path), uri(&b_path));

    let mut client = Client::start();
    client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(&root),
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
        }),
    );
    client.notify("initialized", json!({}));
    let register = client.expect(|m| m["method"] == "client/registerCapability");
    let watchers = &register["params"]["registrations"][0];
    assert_eq!(watchers["method"], "workspace/didChangeWatchedFiles");
    client.send(&json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));

    let duplicate = |d: &[Value]| d.iter().any(|d| d["code"] == "duplicate_title");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": b, "languageId": "yaml", "version": 1, "text": titled("Same Title")}}),
    );
    client.diagnostics(&b, duplicate);

    std::fs::write(&a_path, titled("Another Title")).expect("writable");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": a, "type": 2}]}),
    );
    client.diagnostics(&b, |d| !duplicate(d));

    std::fs::remove_file(&a_path).expect("removable");
    std::fs::write(&c_path, titled("Same Title")).expect("writable");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": a, "type": 3}, {"uri": uri(&c_path), "type": 1}]}),
    );
    client.diagnostics(&b, duplicate);

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
}

/// The response times docs/editors.md reports, on SigmaHQ's rule set as the workspace folder:
/// `cargo test --release --test integration lsp_sigmahq_response_times -- --ignored --nocapture`.
/// Each answer must come within [`WAIT`].
#[test]
#[ignore = "a measurement, meant for a release build"]
fn lsp_sigmahq_response_times() {
    /// The server's wait after the last change (`sigc::lsp::DEBOUNCE`).
    const DEBOUNCE: Duration = Duration::from_millis(150);
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let root = shared
        .join("corpus/sigmahq/rules")
        .canonicalize()
        .expect("the corpus");
    let path = root.join("windows/process_creation/proc_creation_win_7zip_exfil_dmp_files.yml");
    let text = std::fs::read_to_string(&path).expect("a corpus rule");
    let file = uri(&path);
    let mut client = Client::start();
    let started = Instant::now();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let indexed = client.expect(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.starts_with("indexed "))
    });
    eprintln!(
        "{} ({} ms after initialize)",
        indexed["params"]["message"],
        started.elapsed().as_millis()
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let (mut diagnostics, mut hovers) = (Vec::new(), Vec::new());
    for version in 2..12 {
        let sent = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": file, "version": version}, "contentChanges": [{"text": text}]}),
        );
        client.expect(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        });
        diagnostics.push(sent.elapsed().saturating_sub(DEBOUNCE));
        let sent = Instant::now();
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": file}, "position": after(&text, "    condit")}),
        );
        hovers.push(sent.elapsed());
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap_or("")
                .contains("**splunk**")
        );
    }
    for (what, mut times) in [
        ("diagnostics after a change", diagnostics),
        ("hover", hovers),
    ] {
        times.sort();
        eprintln!(
            "{what}: median {:?}, max {:?}",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
}
