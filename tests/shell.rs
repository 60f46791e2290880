//! Shell integration: completion scripts, manual pages and `--color`.

use crate::common::{self, root, stderr, stdout};
use std::process::Output;

/// `sigc ARGS` from the root with the colour environment cleared, then `env` set.
fn run_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = common::sigc_command(&root(), args);
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (name, value) in env {
        cmd.env(name, value);
    }
    common::run_command(cmd, None, common::HANG_GUARD)
}

#[test]
fn completions_cover_every_subcommand_in_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = common::sigc(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["convert", "check", "completions", "color", "fail-on"] {
            assert!(script.contains(word), "{shell}: `{word}` missing");
        }
    }
    let out = common::sigc(&["completions", "tcsh"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_page_on_stdout_and_one_page_per_command_in_a_directory() {
    let out = common::sigc(&["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains(".TH sigc 1"), "{page}");
    assert!(
        page.contains("\\-\\-color"),
        "the global option is documented"
    );

    let dir = tempfile::tempdir().expect("temporary directory");
    let out = common::sigc(&["man", "--out-dir", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .expect("pages")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for want in [
        "sigc.1",
        "sigc-check.1",
        "sigc-convert.1",
        "sigc-test.1",
        "sigc-man.1",
    ] {
        assert!(pages.iter().any(|p| p == want), "{want} missing: {pages:?}");
    }
    let convert = std::fs::read_to_string(dir.path().join("sigc-convert.1")).expect("page");
    assert!(convert.contains(".TH sigc-convert 1  \"sigc "), "{convert}");

    let created = dir.path().join("new/dir");
    let out = common::sigc(&["man", "--out-dir", &created.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(created.join("sigc.1").is_file(), "the directory is created");
    let file = dir.path().join("sigc.1");
    let out = common::sigc(&["man", "--out-dir", &file.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file as the directory is an I/O error"
    );
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
}

const ESC: char = '\u{1b}';

/// A rule that does not compile, for a diagnostic on standard error and a finding on stdout.
const BROKEN: &str = "tests/fixtures/check/dangling_condition/trigger";

#[test]
fn color_flag_and_no_color_decide_every_stream() {
    assert!(root().join(BROKEN).is_dir(), "fixture {BROKEN}");
    // Piped streams: no colour by default, colour with --color always even under NO_COLOR.
    let plain = run_with(&["check", BROKEN], &[]);
    assert_eq!(plain.status.code(), Some(1));
    assert!(
        !stdout(&plain).contains(ESC),
        "auto on a pipe: {}",
        stdout(&plain)
    );
    let forced = run_with(
        &["check", "--color", "always", BROKEN],
        &[("NO_COLOR", "1")],
    );
    assert!(
        stdout(&forced).contains(ESC),
        "check's report: {}",
        stdout(&forced)
    );

    // Standard error: diagnostics and errors.
    let colour = run_with(&["--color=always", "convert", "-t", "splunk", BROKEN], &[]);
    assert!(
        stderr(&colour).contains(&format!("{ESC}[")),
        "{}",
        stderr(&colour)
    );
    let plain = run_with(&["convert", "-t", "splunk", BROKEN], &[]);
    assert!(!stderr(&plain).contains(ESC), "{}", stderr(&plain));
    let missing = run_with(
        &[
            "convert",
            "-t",
            "splunk",
            "--color",
            "always",
            "no-such.yml",
        ],
        &[],
    );
    assert!(stderr(&missing).contains(ESC), "{}", stderr(&missing));

    // CLICOLOR_FORCE colours a pipe under auto, but not against NO_COLOR or --color never.
    let env_forced = run_with(&["check", BROKEN], &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&env_forced).contains(ESC));
    let both = run_with(
        &["check", BROKEN],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!stdout(&both).contains(ESC));
    let never = run_with(
        &["check", "--color", "never", BROKEN],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!stdout(&never).contains(ESC) && !stderr(&never).contains(ESC));
    // An empty NO_COLOR is unset (no-color.org).
    let empty = run_with(
        &["check", BROKEN],
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
    );
    assert!(stdout(&empty).contains(ESC));

    // Machine formats never carry colour.
    let json = run_with(
        &["check", "--color", "always", "--format", "json", BROKEN],
        &[],
    );
    assert!(!stdout(&json).contains(ESC));

    let bad = run_with(&["check", "--color", "sometimes", BROKEN], &[]);
    assert_eq!(bad.status.code(), Some(2));
}
