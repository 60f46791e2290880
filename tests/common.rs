//! Helpers shared by the integration tests.

use sigc_compiler::{Diagnostic, Source};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// Every `*.yml` and `*.yaml` below `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, &["yml", "yaml"])
}

/// Every file below `dir` whose extension is one of `extensions`, sorted.
pub fn files_with_extension(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
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
        for compiled in sigc_compiler::compile_rules(source, "this test") {
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

/// A hang guard for one `sigc` run: far above any real run, never a performance claim.
pub const HANG_GUARD: Duration = Duration::from_secs(120);

/// `sigc ARGS` as a command run in `dir`: without colour, empty standard input, standard output
/// and error piped. Callers may redirect any stream, or set the environment, before running it.
pub fn sigc_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigc"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd`: feeds it `stdin` when given (on its own thread), reads whichever of its output
/// streams are piped (on threads, so that a full pipe never blocks it), and kills it and fails
/// when it outlives `guard`.
pub fn run_command(mut cmd: Command, stdin: Option<&[u8]>, guard: Duration) -> Output {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("sigc runs");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("stdin");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || pipe.write_all(&bytes))
    });
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("sigc status") {
            break status;
        }
        if start.elapsed() > guard {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sigc ran over {guard:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if let Some(feeder) = feeder {
        // sigc may stop reading early (an error); a broken pipe is then no failure of the test.
        let _ = feeder.join().expect("stdin writer");
    }
    let join = |t: Option<std::thread::JoinHandle<Vec<u8>>>| {
        t.map_or_else(Vec::new, |t| t.join().expect("output reader"))
    };
    Output {
        status,
        stdout: join(stdout),
        stderr: join(stderr),
    }
}

/// Runs `sigc ARGS` from the workspace root, feeding `stdin` when given, under [`HANG_GUARD`].
pub fn run(args: &[&str], stdin: Option<&str>) -> Output {
    run_command(
        sigc_command(&root(), args),
        Some(stdin.unwrap_or("").as_bytes()),
        HANG_GUARD,
    )
}

/// Runs `sigc ARGS` from the workspace root with no standard input, killed after `guard`.
pub fn run_guarded(args: &[&str], guard: Duration) -> Output {
    run_command(sigc_command(&root(), args), None, guard)
}

/// Reads `pipe` to its end on another thread.
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
