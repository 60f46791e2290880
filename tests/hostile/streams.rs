//! The terminal and CI log channels, write errors, and event inputs: rule text and file names
//! cannot forge a line, an escape sequence or a workflow command on standard error or in a human
//! report; a failed write is an I/O error and a closed pipe a quiet end; hostile event files are
//! bounded, located errors.

use crate::common;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Output};

/// The exit status of a run whose output pipe was closed (128 + SIGPIPE).
const BROKEN_PIPE: i32 = 141;

/// The errors printed per event file before the closing "… and N more" line.
const MAX_ERRORS_SHOWN: usize = 20;

/// A rule that fires on `{"EventID": 1}`.
const RULE: &str = "title: Event one\nid: 0b3a4c1e-8a2f-4a0e-9c53-2f3f1e0c7d11\nlevel: high\n\
    logsource: {product: windows}\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n";

/// A directory holding `rule.yml` ([`RULE`]) and `events.json` (three events, two of which fire).
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("rule.yml"), RULE).expect("write rule");
    std::fs::write(
        dir.path().join("events.json"),
        "{\"EventID\":1}\n{\"EventID\":2}\n{\"EventID\":1}\n",
    )
    .expect("write events");
    dir
}

/// `sigc ARGS` in `dir`, without colour (even when the environment forces it), its output
/// streams piped.
fn sigc_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = common::sigc_command(dir, args);
    cmd.env_remove("CLICOLOR_FORCE");
    cmd
}

fn run(cmd: Command) -> Output {
    common::run_command(cmd, None, common::HANG_GUARD)
}

fn dev_full() -> File {
    File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens for writing")
}

/// The commands that write to standard output, on the fixture.
const WRITERS: &[&[&str]] = &[
    &["list", "targets"],
    &["convert", "-t", "splunk", "rule.yml"],
    &["check", "rule.yml"],
    &["check", "--format", "github", "rule.yml"],
    &["test", "-e", "events.json", "--", "rule.yml"],
    &["--help"],
];

#[test]
fn a_full_standard_output_is_an_io_error() {
    let dir = fixture();
    for args in WRITERS {
        let mut cmd = sigc_in(dir.path(), args);
        cmd.stdout(dev_full());
        let out = run(cmd);
        let stderr = crate::common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: writing to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_standard_output_ends_quietly() {
    let dir = fixture();
    for args in WRITERS {
        // The pipe's read end is closed before sigc starts. A child that another test forks at
        // that moment holds a copy of it until it execs, and a write in that window succeeds:
        // that run exits 0, so the case is tried again until the pipe is seen closed.
        let closed = (0..10).any(|_| {
            let (reader, writer) = std::io::pipe().expect("pipe");
            drop(reader);
            let mut cmd = sigc_in(dir.path(), args);
            cmd.stdout(writer);
            let out = run(cmd);
            let stderr = crate::common::stderr(&out);
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert!(!stderr.contains("writing to"), "{args:?}: {stderr}");
            match out.status.code() {
                Some(BROKEN_PIPE) => true,
                Some(0 | 1) => false,
                status => panic!("{args:?}: status {status:?}: {stderr}"),
            }
        });
        assert!(closed, "{args:?}: never saw the closed pipe");
    }
}

#[test]
fn a_full_standard_error_is_an_io_error() {
    let dir = fixture();
    std::fs::write(
        dir.path().join("bad.yml"),
        RULE.replace("EventID:", "EventID|nosuchmodifier:"),
    )
    .expect("write rule");
    let mut cmd = sigc_in(dir.path(), &["convert", "-t", "splunk", "bad.yml"]);
    cmd.stderr(dev_full());
    let out = run(cmd);
    assert_eq!(out.status.code(), Some(2));
}

/// Whether a terminal or a CI log would obey `c` rather than show it.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` without the colour sequences (`ESC [ … m`) that the renderer itself writes.
fn strip_colour(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let seq = &rest[i + 1..];
        let len = seq
            .strip_prefix('[')
            .and_then(|s| s.find(|c: char| !(c.is_ascii_digit() || c == ';')))
            .filter(|&n| seq[1 + n..].starts_with('m'));
        match len {
            Some(n) => rest = &seq[n + 2..],
            None => {
                // Not a colour sequence: keep the ESC so that the check below catches it.
                out.push('\u{1b}');
                rest = seq;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every line of `text` is shown as it is: no control, separator or bidi character, no line
/// that a GitHub runner would take for a workflow command (`::` after blanks, `##[` anywhere).
fn assert_inert(what: &str, text: &str) {
    for line in text.split('\n') {
        assert!(
            !line.chars().any(unsafe_char),
            "{what}: unsafe character in {line:?}"
        );
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: workflow command {line:?}"
        );
        assert!(!line.contains("##["), "{what}: workflow command {line:?}");
        assert!(
            !line.contains("##vso["),
            "{what}: Azure logging command {line:?}"
        );
    }
}

/// A workflow command as the runner reads it: command, properties, message.
struct WorkflowCommand {
    command: String,
    props: Vec<(String, String)>,
    message: String,
}

/// Reads `line` as GitHub's runner does (a line starting with `::` after blanks).
fn parse_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.trim_start().strip_prefix("::")?;
    let end = rest.find("::")?;
    let (info, data) = (&rest[..end], &rest[end + 2..]);
    let (command, props) = info.split_once(' ').unwrap_or((info, ""));
    let unescape = |s: &str, property: bool| {
        let mut s = s.replace("%0D", "\r").replace("%0A", "\n");
        if property {
            s = s.replace("%3A", ":").replace("%2C", ",");
        }
        s.replace("%25", "%")
    };
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape(v, true)))
        .collect();
    Some(WorkflowCommand {
        command: command.to_string(),
        props,
        message: unescape(data, false),
    })
}

/// A YAML double-quoted scalar holding exactly `text`.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Text made of the characters that attack a terminal or a CI log, and any others.
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\n', '\r', '\t', '\u{1b}', '\u{7}', '\u{9b}', '\u{85}', '\u{202e}', '\u{2066}',
        '\u{200f}', '\u{2028}', '\u{2029}', ':', ':', '#', '#', '[', '%', ',', ' ', '=',
    ]);
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 1..16)
        .prop_map(|cs| cs.into_iter().collect())
}

/// `text` unless it holds something that is escaped: then `None`.
fn shown_as_is(text: &str) -> Option<&str> {
    (!text.chars().any(unsafe_char) && !text.contains("##[")).then_some(text)
}

/// How a file name starts a line, when it is shown as it is.
fn line_prefix(name: &str) -> Option<String> {
    let name = shown_as_is(name)?;
    Some(
        if name.starts_with(|c: char| c.is_whitespace() || c == ':') {
            format!("./{name}")
        } else {
            name.to_string()
        },
    )
}

/// Checks every channel with a rule and an event file named and written by an attacker.
fn check_channels(title: &str, field: &str, modifier: &str, value: &str, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let rule_name = format!("{name}.yml");
    let events_name = format!("{name}.json");
    let bad = format!(
        "title: {}\nlogsource: {{product: windows}}\ndetection:\n  sel:\n    {}: {}\n  condition: sel\n",
        yaml_quoted(title),
        yaml_quoted(&format!("{field}|zz{modifier}")),
        yaml_quoted(value),
    );
    std::fs::write(dir.path().join(&rule_name), bad).expect("write rule");

    // convert: each diagnostic is its line and an optional help line; the summary closes.
    let out = run(sigc_in(
        dir.path(),
        &["convert", "-t", "splunk", "--", &rule_name],
    ));
    let stderr = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_inert("convert", &stderr);
    let lines: Vec<&str> = stderr.split_terminator('\n').collect();
    assert_eq!(
        lines.last(),
        Some(&"0 of 1 rules converted; 1 failed"),
        "{stderr}"
    );
    let mut diagnostics = 0;
    for (i, line) in lines[..lines.len() - 1].iter().enumerate() {
        if line.starts_with("  help: ") {
            assert!(i > 0 && !lines[i - 1].starts_with("  help: "), "{stderr}");
            continue;
        }
        diagnostics += 1;
        assert!(line.contains(": error["), "not a diagnostic line: {line:?}");
        if let Some(prefix) = line_prefix(&rule_name) {
            assert!(line.starts_with(&format!("{prefix}:")), "{line:?}");
        }
    }
    assert!(stderr.contains("error[unknown_modifier]"), "{stderr}");
    assert!(diagnostics >= 1);

    // check, human, with colour: the renderer's own colour sequences are the only escapes.
    let mut cmd = sigc_in(dir.path(), &["check", "--", &rule_name]);
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    let out = run(cmd);
    let stdout = crate::common::stdout(&out);
    assert!(stdout.contains('\u{1b}'), "colour was asked for");
    assert_inert("check (colour)", &strip_colour(&stdout));
    assert_inert("check stderr", &crate::common::stderr(&out));

    // check, GitHub: every line is one command of the runner, whose file is the rule's.
    let out = run(sigc_in(
        dir.path(),
        &["check", "--format", "github", "--", &rule_name],
    ));
    let stdout = crate::common::stdout(&out);
    let mut commands = 0;
    for line in stdout.split_terminator('\n') {
        assert!(!line.chars().any(unsafe_char), "{line:?}");
        let WorkflowCommand {
            command,
            props,
            message,
        } = parse_command(line).expect("a workflow command");
        commands += 1;
        assert!(
            ["error", "warning", "notice"].contains(&command.as_str()),
            "{line:?}"
        );
        for (key, _) in &props {
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key.as_str()),
                "{line:?}"
            );
        }
        if let Some(name) = shown_as_is(&rule_name) {
            assert!(props.contains(&("file".into(), name.into())), "{line:?}");
        }
        // The message and its help, nothing more.
        assert!(message.split('\n').count() <= 2, "{message:?}");
        assert!(!message.chars().any(|c| c != '\n' && unsafe_char(c)));
    }
    assert!(commands >= 1);

    // test: one line per match, whatever the rule's title and the event file's name.
    let good = RULE.replace(
        "title: Event one",
        &format!("title: {}", yaml_quoted(title)),
    );
    std::fs::write(dir.path().join(&rule_name), good).expect("write rule");
    std::fs::write(dir.path().join(&events_name), "{\"EventID\":1}\n").expect("write events");
    let out = run(sigc_in(
        dir.path(),
        &["test", "-e", &events_name, "--", &rule_name],
    ));
    let (stdout, stderr) = (crate::common::stdout(&out), crate::common::stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_inert("test stdout", &stdout);
    assert_inert("test stderr", &stderr);
    let hits: Vec<&str> = stdout.split_terminator('\n').collect();
    assert_eq!(hits.len(), 1, "{stdout:?}");
    if let Some(prefix) = line_prefix(&events_name) {
        assert!(hits[0].starts_with(&format!("{prefix} #1: ")), "{stdout:?}");
    }
    if let Some(title) = shown_as_is(title) {
        assert!(hits[0].ends_with(&format!(" [high] {title}")), "{stdout:?}");
    }
}

proptest! {
    #![proptest_config(Config { cases: 24, ..Config::default() })]

    #[test]
    fn rule_text_and_file_names_cannot_forge_lines(
        title in hostile_text(),
        field in hostile_text().prop_filter("a field name", |f| !f.contains('|') && !f.trim().is_empty()),
        modifier in hostile_text().prop_filter("one modifier", |m| !m.contains('|')),
        value in hostile_text(),
        name in hostile_text().prop_filter("a file name", |n| {
            !n.contains('/') && !n.contains('\0') && n.len() < 200
        }),
    ) {
        check_channels(&title, &field, &modifier, &value, &name);
    }
}

#[test]
fn known_attacks_are_shown_not_obeyed() {
    check_channels(
        "x\u{1b}]0;pwned\u{7}\n::error file=a::forged",
        "Image",
        "x\n::add-mask::secret",
        "v\u{202e}gnp.exe",
        "::error file=x::y ##[warning]z\u{2028} ##vso[task.setvariable variable=x]1",
    );
}

/// Runs `sigc test` on the fixture's rule with `events` (and `events.json`, whose two matches
/// must still be printed); returns (status, stdout, stderr).
fn test_events(name: &str, events: &[u8]) -> (Option<i32>, String, String) {
    let dir = fixture();
    std::fs::write(dir.path().join(name), events).expect("write events");
    let out = run(sigc_in(
        dir.path(),
        &["test", "-e", name, "events.json", "--", "rule.yml"],
    ));
    let (stdout, stderr) = (crate::common::stdout(&out), crate::common::stderr(&out));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        stdout.matches("events.json #").count(),
        2,
        "the other event file is still read: {stdout}"
    );
    (out.status.code(), stdout, stderr)
}

#[test]
fn plain_text_events_print_a_bounded_number_of_errors() {
    let words = "lorem ipsum dolor sit amet\n".repeat(20_000);
    let (status, _, stderr) = test_events("text.log", words.as_bytes());
    assert_eq!(status, Some(2));
    let errors = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, MAX_ERRORS_SHOWN, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "… and {} more errors in text.log",
            100_000 - MAX_ERRORS_SHOWN
        )),
        "{stderr}"
    );
    assert!(stderr.contains("100000 errors"), "{stderr}");
}

#[test]
fn a_broken_json_line_does_not_stop_the_file() {
    let (status, stdout, stderr) = test_events(
        "lines.json",
        b"{\"EventID\":1}\n{\"broken\": [\n{\"EventID\":1}\n{\"EventID\":1, \"x\": \"\n{\"EventID\":1}\n",
    );
    assert_eq!(status, Some(2));
    assert!(stdout.contains("lines.json #1: "), "{stdout}");
    assert!(stdout.contains("lines.json line 3: "), "{stdout}");
    assert!(stdout.contains("lines.json line 5: "), "{stdout}");
    assert!(
        stderr.contains("error: lines.json: line 2: invalid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: lines.json: line 4: invalid JSON"),
        "{stderr}"
    );
}

#[test]
fn a_rule_that_cannot_be_evaluated_fails_the_run() {
    let dir = fixture();
    let backreference = RULE
        .replace("EventID: 1", "Image|re: '(a)\\1'")
        .replace("Event one", "Backreference");
    std::fs::write(dir.path().join("backref.yml"), backreference).expect("write rule");
    let out = run(sigc_in(
        dir.path(),
        &["test", "-e", "events.json", "--", "rule.yml", "backref.yml"],
    ));
    let (stdout, stderr) = (crate::common::stdout(&out), crate::common::stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1 rules cannot be evaluated"), "{stderr}");
    assert_eq!(stdout.matches("events.json #").count(), 2, "{stdout}");
}

#[test]
fn a_truncated_json_array_is_an_error() {
    for (name, text) in [
        ("open.json", &b"["[..]),
        ("cut.json", b"[{\"EventID\":1},"),
        ("unclosed.json", b"[{\"EventID\":1}"),
    ] {
        let (status, _, stderr) = test_events(name, text);
        assert_eq!(status, Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("error: {name}: the file ends inside a JSON array")),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_huge_event_is_one_error_and_the_rest_is_read() {
    let mut events = format!("{{\"EventID\":1, \"x\": \"{}\"}}\n", "a".repeat(5 << 20));
    events.push_str("{\"EventID\":1}\n");
    let (status, stdout, stderr) = test_events("huge.json", events.as_bytes());
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("huge.json: event #1 (line 1): ")
            && stderr.contains("larger than the 4 MiB an event may be"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    assert!(stdout.contains("huge.json #2: "), "{stdout}");
}

#[test]
fn deeply_nested_events_are_errors() {
    let depth = 500_000;
    let mut events = format!("{}1{}\n", "{\"a\":".repeat(depth), "}".repeat(depth));
    events.push_str(&format!("{}{}\n", "[".repeat(depth), "]".repeat(depth)));
    events.push_str("{\"EventID\":1}\n");
    let (status, stdout, stderr) = test_events("deep.json", events.as_bytes());
    assert_eq!(status, Some(2));
    assert!(stderr.contains("recursion limit exceeded"), "{stderr}");
    assert!(stdout.contains("deep.json #"), "{stdout}");
}

/// An EVTX file header: the signature, then zeros (no chunk counted, no checksum).
fn evtx_header() -> Vec<u8> {
    let mut bytes = vec![0u8; 4096];
    bytes[..8].copy_from_slice(b"ElfFile\0");
    bytes
}

#[test]
fn a_header_only_evtx_file_is_an_error() {
    let (status, _, stderr) = test_events("empty.evtx", &evtx_header());
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("error: empty.evtx: no chunk of events"),
        "{stderr}"
    );
}

#[test]
fn a_garbage_evtx_file_is_an_error() {
    let (status, _, stderr) = test_events("garbage.evtx", &b"garbage!".repeat(10_000));
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("error: garbage.evtx: not an EVTX file"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");

    // A chunk signature in front of garbage: the chunk's checksum does not hold.
    let mut bytes = evtx_header();
    let mut chunk = vec![0x5a_u8; 65536];
    chunk[..8].copy_from_slice(b"ElfChnk\0");
    bytes.extend_from_slice(&chunk);
    let (status, _, stderr) = test_events("chunk.evtx", &bytes);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("error: chunk.evtx: "), "{stderr}");
    assert!(stderr.contains("chunk"), "{stderr}");
}

#[test]
fn a_truncated_evtx_file_is_an_error() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let dir = shared.join("corpus/sigmahq/regression_data/rules/windows/process_creation");
    let real = crate::common::yaml_files(&dir)
        .into_iter()
        .filter_map(|info| {
            let dir = info.parent()?;
            std::fs::read_dir(dir)
                .ok()?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == "evtx"))
        })
        .next()
        .expect("an EVTX file in the regression data");
    let bytes = std::fs::read(&real).expect("read EVTX");
    assert_eq!(bytes.len(), 4096 + 65536, "one header and one chunk");

    let (status, _, stderr) = test_events("cut.evtx", &bytes[..4096 + 30_000]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("error: cut.evtx: truncated: chunk 0 has 30000 of its 65536 bytes"),
        "{stderr}"
    );

    let (status, _, stderr) = test_events("header.evtx", &bytes[..4096]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("error: header.evtx: truncated: the header counts 1 chunks"),
        "{stderr}"
    );
}
