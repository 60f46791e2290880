//! Helpers shared by the integration tests.

use sigc_compiler::{Diagnostic, Source};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, when present (CI has it; the product never needs it).
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared is absent; skipping a test that reads it");
        None
    }
}

/// Reads `path` into a source named by its path relative to the workspace root.
pub fn source(path: &Path) -> Arc<Source> {
    let text = std::fs::read_to_string(path).expect("readable fixture");
    let name = path.strip_prefix(root()).unwrap_or(path);
    Source::new(name.display().to_string(), text)
}

/// Every `*.yml` below `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Diagnostics as the CLI prints them, one per line (with help lines).
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out
}

/// The text every target produces for the rules of `source` (queries, or the located error).
pub fn convert_all_targets(source: &Arc<Source>) -> String {
    let mut out = String::new();
    for backend in sigc_backends::targets() {
        out.push_str(&format!("--- {}\n", backend.name()));
        for compiled in sigc_compiler::compile(source) {
            match compiled.and_then(|rule| backend.convert(&rule).map_err(|e| vec![e])) {
                Ok(queries) => {
                    for q in queries {
                        out.push_str(&q);
                        out.push('\n');
                    }
                }
                Err(errors) => out.push_str(&render(&errors)),
            }
        }
    }
    out
}

/// Runs the `sigc` binary from the workspace root, without colour, feeding `stdin` when given.
pub fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sigc runs");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("sigc finishes")
}

/// Runs `sigc ARGS` from the workspace root like [`run`], killed if it runs longer than `guard`
/// (a hang guard, not a timing assertion: the test fails with the command line).
pub fn run_guarded(args: &[&str], guard: std::time::Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sigc runs");
    let stdout = drain(child.stdout.take().expect("stdout"));
    let stderr = drain(child.stderr.take().expect("stderr"));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("sigc status") {
            break status;
        }
        if start.elapsed() > guard {
            child.kill().expect("kill sigc");
            child.wait().expect("reap sigc");
            panic!("sigc {args:?} ran over {guard:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// Reads `pipe` to its end on another thread, so that a full pipe never blocks the child.
fn drain(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).expect("read output");
        bytes
    })
}

/// Runs `sigc ARGS` from the workspace root with empty standard input.
pub fn sigc(args: &[&str]) -> Output {
    run(args, None)
}

/// Bytes as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A finished run's standard output.
pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

/// A finished run's standard error.
pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}
