//! A hostile file system: symbolic link loops and lattices, links to `/proc/self/environ` and
//! `/dev/zero`, FIFOs named like rules, unreadable entries, `-o` onto devices, FIFOs and links,
//! export collisions, stale outputs and leftover temporary files.
//!
//! Every run is a child process with a hang guard, from a scratch directory, with a secret in its
//! environment that must never be printed.

use crate::common;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A hang guard, not a performance bound: every run here takes well under a second.
const GUARD: Duration = Duration::from_secs(60);
const SECRET: &str = "sigc-hostile-files-3f1c9a";

/// What a finished run gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exited with `code`, without a panic or the secret.
    fn assert_code(&self, code: i32) {
        assert_eq!(self.code, Some(code), "stderr:\n{}", self.stderr);
        self.assert_clean();
    }

    /// Exited 0, 1 or 2, without a panic or the secret.
    fn assert_clean(&self) {
        assert!(matches!(self.code, Some(0..=2)), "{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        for text in [&self.stdout, &self.stderr] {
            assert!(!text.contains(SECRET), "the environment leaked:\n{text}");
        }
    }
}

/// `sigc ARGS` in `dir`, with empty standard input.
fn sigc(dir: &Path, args: &[&str]) -> Run {
    finish(command(dir, args))
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = common::sigc_command(dir, args);
    // The secret comes first in a small environment, where a quoted source line would show it.
    cmd.env_clear()
        .env("A_SIGC_SECRET", SECRET)
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `cmd`, killing it and failing when it outlives [`GUARD`].
fn finish(cmd: Command) -> Run {
    let out = common::run_command(cmd, None, GUARD);
    Run {
        code: out.status.code(),
        stdout: common::stdout(&out),
        stderr: common::stderr(&out),
    }
}

/// A rule whose Splunk query names `tool{n}.exe`.
fn rule(n: usize) -> String {
    format!(
        "title: Rule {n}\nlogsource: {{product: windows}}\ndetection:\n  sel:\n    Image|endswith: '\\tool{n}.exe'\n  condition: sel\n"
    )
}

/// A rule that no target converts.
const BAD: &str = "title: Bad\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswit: x\n  condition: sel\n";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

/// How many times `tool{n}.exe` appears in `text`.
fn count(text: &str, n: usize) -> usize {
    text.matches(&format!("tool{n}.exe")).count()
}

#[test]
fn directory_symlink_loops_are_not_followed_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    write(&rules.join("a.yml"), &rule(1));
    write(&rules.join("sub/b.yml"), &rule(2));
    symlink(".", rules.join("x")).unwrap();
    symlink(".", rules.join("y")).unwrap();
    symlink("..", rules.join("sub/up")).unwrap();
    let run = sigc(dir.path(), &["convert", "-t", "splunk", "rules"]);
    run.assert_code(0);
    assert_eq!((count(&run.stdout, 1), count(&run.stdout, 2)), (1, 1));
}

#[test]
fn follow_reports_a_loop_and_converts_each_rule_once() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    write(&rules.join("a.yml"), &rule(1));
    write(&rules.join("sub/b.yml"), &rule(2));
    symlink(".", rules.join("x")).unwrap();
    symlink("..", rules.join("sub/up")).unwrap();
    for command in ["convert", "check", "test"] {
        let mut args = vec![command, "-L", "rules"];
        if command == "convert" {
            args.extend(["-t", "splunk"]);
        }
        let run = sigc(dir.path(), &args);
        run.assert_code(2);
        for link in ["rules/x", "rules/sub/up"] {
            assert!(
                run.stderr
                    .contains(&format!("error: {link}: a symbolic link loop")),
                "{command}: {}",
                run.stderr
            );
        }
        if command == "convert" {
            assert_eq!((count(&run.stdout, 1), count(&run.stdout, 2)), (1, 1));
        }
    }
}

#[test]
fn follow_enters_a_directory_once_however_many_links_lead_to_it() {
    // d0 holds two links to d1, d1 two to d2, …: 2^24 paths to d24 when every link is walked.
    let dir = tempfile::tempdir().unwrap();
    let levels = 24;
    for i in 0..levels {
        let d = dir.path().join(format!("d{i}"));
        fs::create_dir(&d).unwrap();
        for link in ["a", "b"] {
            symlink(format!("../d{}", i + 1), d.join(link)).unwrap();
        }
    }
    write(&dir.path().join(format!("d{levels}/r.yml")), &rule(7));
    let run = sigc(dir.path(), &["convert", "-L", "-t", "splunk", "d0"]);
    run.assert_code(0);
    assert_eq!(count(&run.stdout, 7), 1);
}

#[test]
fn a_link_named_by_a_glob_is_not_followed_without_follow() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("secret.txt"), &format!("key: {SECRET}\n"));
    write(&dir.path().join("repo/rules/good.yml"), &rule(1));
    symlink("../../secret.txt", dir.path().join("repo/rules/leak.yml")).unwrap();
    // What `sigc check rules/*.yml` passes after the shell expands the glob.
    let run = sigc(
        &dir.path().join("repo"),
        &["check", "rules/good.yml", "rules/leak.yml"],
    );
    run.assert_code(2);
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
    assert!(
        run.stderr
            .contains("rules/leak.yml: a symbolic link; not followed without -L"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_link_to_the_environment_never_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("rules/good.yml"), &rule(1));
    symlink("/proc/self/environ", dir.path().join("rules/leak.yml")).unwrap();
    // Not followed inside a directory; followed when asked, or named, but read for the size it
    // claims (none).
    for args in [
        &["check", "rules"][..],
        &["check", "-L", "rules"],
        &["check", "rules/leak.yml", "rules/good.yml"],
        &["convert", "-t", "splunk", "-L", "rules"],
    ] {
        sigc(dir.path(), args).assert_clean();
    }
    let run = sigc(dir.path(), &["convert", "-t", "splunk", "-L", "rules"]);
    assert_eq!(count(&run.stdout, 1), 1, "the other rule converts");
}

#[test]
fn a_fifo_named_like_a_rule_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("rules/good.yml"), &rule(1));
    mkfifo(&dir.path().join("rules/x.yml"));
    for args in [
        &["convert", "-t", "splunk", "rules"][..],
        &["convert", "-t", "splunk", "rules/x.yml", "rules/good.yml"],
    ] {
        let run = sigc(dir.path(), args);
        run.assert_code(2);
        assert!(
            run.stderr
                .contains("error: rules/x.yml: a FIFO, not a regular file"),
            "{}",
            run.stderr
        );
        assert_eq!(count(&run.stdout, 1), 1, "the other rule converts");
    }
}

#[test]
fn a_fifo_as_an_event_file_or_a_pipeline_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("rules/good.yml"), &rule(1));
    write(
        &dir.path().join("events.json"),
        "{\"CommandLine\": \"x\"}\n",
    );
    mkfifo(&dir.path().join("fifo.json"));
    mkfifo(&dir.path().join("fifo.evtx"));
    mkfifo(&dir.path().join("pipeline.yml"));
    let run = sigc(
        dir.path(),
        &[
            "test",
            "-e",
            "fifo.json",
            "-e",
            "fifo.evtx",
            "-e",
            "events.json",
            "rules",
        ],
    );
    run.assert_code(2);
    for name in ["fifo.json", "fifo.evtx"] {
        let refused = format!("{name}: a FIFO, not a regular file");
        assert!(run.stderr.contains(&refused), "{}", run.stderr);
    }
    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-p", "pipeline.yml", "rules"],
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("pipeline.yml: a FIFO, not a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn endless_inputs_are_refused_within_the_size_cap() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("rules/good.yml"), &rule(1));
    symlink("/dev/zero", dir.path().join("rules/zero.yml")).unwrap();
    let run = sigc(dir.path(), &["convert", "-L", "-t", "splunk", "rules"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: rules/zero.yml: a character device, not a regular file"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&run.stdout, 1), 1, "the other rule converts");

    // A regular file past the cap (sparse: no disk is used), and standard input from /dev/zero.
    let big = fs::File::create(dir.path().join("rules/big.yml")).unwrap();
    big.set_len(5 << 20).unwrap();
    let run = sigc(dir.path(), &["convert", "-t", "splunk", "rules"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: rules/big.yml: larger than 4 MiB"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&run.stdout, 1), 1);
    let mut cmd = command(dir.path(), &["check", "-"]);
    cmd.stdin(fs::File::open("/dev/zero").unwrap());
    let run = finish(cmd);
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: <stdin>: larger than 4 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn unusable_arguments_are_each_reported_and_the_rest_converts() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("good.yml"), &rule(1));
    fs::create_dir(dir.path().join("empty")).unwrap();
    let args = [
        "convert",
        "-t",
        "splunk",
        "-",
        "nothing.yml",
        "empty",
        "good.yml",
        "-",
    ];
    let mut cmd = command(dir.path(), &args);
    cmd.stdin(fs::File::open(dir.path().join("good.yml")).unwrap());
    let run = finish(cmd);
    run.assert_code(2);
    for message in [
        "error: nothing.yml: no such file or directory",
        "error: empty: no rule files (*.yml, *.yaml) in this directory",
        "error: `-` is named more than once",
    ] {
        assert!(run.stderr.contains(message), "{message}: {}", run.stderr);
    }
    assert_eq!(
        count(&run.stdout, 1),
        2,
        "standard input once, and good.yml"
    );
}

/// Runs `sigc ARGS` in `dir` as an unprivileged user, so that a mode-000 entry is unreadable;
/// `None` (with a note) when this process cannot switch users and is privileged itself.
fn unprivileged(dir: &Path, args: &[&str]) -> Option<Run> {
    let probe = dir.join("probe");
    fs::create_dir(&probe).unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = fs::read_dir(&probe).is_ok();
    fs::remove_dir(&probe).unwrap();
    let mut cmd = command(dir, args);
    if privileged {
        // Root reads anything: run as `nobody`, where the binary is reachable.
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534);
        let mut probe = Command::new(env!("CARGO_BIN_EXE_sigc"));
        probe
            .arg("--version")
            .uid(65534)
            .gid(65534)
            .current_dir(dir);
        if !probe.output().is_ok_and(|o| o.status.success()) {
            eprintln!("note: the sigc binary is out of reach of user nobody; skipping");
            return None;
        }
    }
    Some(finish(cmd))
}

#[test]
fn an_untraversable_directory_is_named_and_the_rest_converts() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    write(&rules.join("a.yml"), &rule(1));
    write(&rules.join("locked/b.yml"), &rule(2));
    write(&rules.join("z.yml"), &rule(3));
    write(&dir.path().join("secret.yml"), &rule(4));
    fs::set_permissions(rules.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(
        dir.path().join("secret.yml"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    fs::set_permissions(&rules, fs::Permissions::from_mode(0o755)).unwrap();
    let Some(run) = unprivileged(
        dir.path(),
        &["convert", "-t", "splunk", "rules", "secret.yml"],
    ) else {
        return;
    };
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: rules/locked: Permission denied"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: secret.yml: Permission denied"),
        "{}",
        run.stderr
    );
    assert_eq!(
        [1, 2, 3, 4].map(|n| count(&run.stdout, n)),
        [1, 0, 1, 0],
        "{}",
        run.stdout
    );
}

#[test]
fn output_onto_a_fifo_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("r.yml"), &rule(1));
    let fifo = dir.path().join("out.spl");
    mkfifo(&fifo);
    // Our end is open before sigc starts, so that neither side waits; the output fits the pipe.
    let mut reader = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-o", "out.spl", "r.yml"],
    );
    let mut received = String::new();
    reader.read_to_string(&mut received).unwrap();
    run.assert_code(0);
    assert_eq!(count(&received, 1), 1, "{received}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_onto_a_character_device_keeps_it_a_device() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("r.yml"), &rule(1));
    let device = dir.path().join("null");
    // The null device's numbers, 1:3, in a scratch directory.
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("note: mknod needs privileges this process lacks; skipping");
        return;
    }
    let before = fs::symlink_metadata(&device).unwrap();
    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-o", "null", "r.yml"],
    );
    run.assert_code(0);
    let after = fs::symlink_metadata(&device).unwrap();
    assert!(after.file_type().is_char_device());
    assert_eq!((after.rdev(), after.ino()), (before.rdev(), before.ino()));
}

#[test]
fn output_through_a_link_goes_only_to_a_pipe_a_terminal_or_null() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("r.yml"), &rule(1));
    write(&dir.path().join("victim.txt"), "keep\n");
    symlink("victim.txt", dir.path().join("to-file.spl")).unwrap();
    symlink("missing.txt", dir.path().join("dangling.spl")).unwrap();
    symlink("/dev/null", dir.path().join("to-null.spl")).unwrap();
    let link_target = |name: &str| fs::read_link(dir.path().join(name)).unwrap();

    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-o", "to-file.spl", "r.yml"],
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: to-file.spl: a symbolic link to a regular file"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("victim.txt")).unwrap(),
        "keep\n"
    );
    assert_eq!(link_target("to-file.spl"), PathBuf::from("victim.txt"));

    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-o", "dangling.spl", "r.yml"],
    );
    run.assert_code(2);
    assert!(!dir.path().join("missing.txt").exists());
    assert_eq!(link_target("dangling.spl"), PathBuf::from("missing.txt"));

    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-o", "to-null.spl", "r.yml"],
    );
    run.assert_code(0);
    assert_eq!(link_target("to-null.spl"), PathBuf::from("/dev/null"));

    // /dev/stdout is a link to the pipe the test reads; `-` is standard output itself.
    for out in ["/dev/stdout", "-"] {
        let run = sigc(dir.path(), &["convert", "-t", "splunk", "-o", out, "r.yml"]);
        run.assert_code(0);
        assert_eq!(count(&run.stdout, 1), 1, "{out}");
    }
}

/// The manifest of the export in `out`.
fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn export_refuses_two_inputs_with_one_output_path() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a/x.yml"), &rule(1));
    write(&dir.path().join("b/x.yml"), &rule(2));
    write(&dir.path().join("c/r.yml"), &rule(3));
    write(&dir.path().join("c/r.yaml"), &rule(4));
    let run = sigc(
        dir.path(),
        &[
            "convert", "-t", "splunk", "-t", "logpoint", "-o", "out/", "a/x.yml", "b/x.yml", "c",
        ],
    );
    run.assert_code(2);
    for (first, second, path) in [
        ("a/x.yml", "b/x.yml", "out/splunk/x.spl"),
        ("a/x.yml", "b/x.yml", "out/logpoint/x.lp"),
        ("c/r.yaml", "c/r.yml", "out/splunk/r.spl"),
    ] {
        let message = format!("{second}: not exported: {first} has the same output path {path}");
        assert!(run.stderr.contains(&message), "{message}\n{}", run.stderr);
    }
    let out = dir.path().join("out");
    assert_eq!(
        count(&fs::read_to_string(out.join("splunk/x.spl")).unwrap(), 1),
        1
    );
    assert_eq!(
        count(&fs::read_to_string(out.join("splunk/r.spl")).unwrap(), 4),
        1
    );
    let manifest = manifest(&out);
    for entry in manifest["entries"].as_array().unwrap() {
        let source = entry["source"].as_str().unwrap();
        let collided = source == "b/x.yml" || source == "c/r.yml";
        let expected = if collided { "failed" } else { "converted" };
        assert_eq!(entry["status"], expected, "{entry}");
        if collided {
            assert!(entry["output"].is_null());
            assert!(
                entry["errors"][0]
                    .as_str()
                    .unwrap()
                    .contains("same output path")
            );
        }
    }
}

#[test]
fn export_removes_the_outputs_it_no_longer_writes_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    for n in 1..=3 {
        write(&rules.join(format!("sub/r{n}.yml")), &rule(n));
    }
    let args = [
        "convert", "-t", "splunk", "-t", "logpoint", "-o", "out", "rules",
    ];
    sigc(dir.path(), &args).assert_code(0);
    let out = dir.path().join("out");
    write(&out.join("splunk/sub/notes.txt"), "the user's\n");
    // r1 now fails, r2 is gone.
    write(&rules.join("sub/r1.yml"), BAD);
    fs::remove_file(rules.join("sub/r2.yml")).unwrap();
    sigc(dir.path(), &args).assert_code(1);
    for gone in [
        "splunk/sub/r1.spl",
        "splunk/sub/r2.spl",
        "logpoint/sub/r2.lp",
    ] {
        assert!(!out.join(gone).exists(), "{gone} is left behind");
    }
    assert!(out.join("splunk/sub/r3.spl").is_file());
    assert!(out.join("splunk/sub/notes.txt").is_file(), "not sigc's");
    assert_eq!(
        manifest(&out)["files"],
        serde_json::json!(["logpoint/sub/r3.lp", "splunk/sub/r3.spl"])
    );
    // Once nothing is left, the directories go too.
    fs::remove_file(rules.join("sub/r3.yml")).unwrap();
    write(&rules.join("other.yml"), &rule(5));
    sigc(dir.path(), &args).assert_code(1);
    assert!(!out.join("logpoint/sub").exists());
    assert!(out.join("splunk/sub/notes.txt").is_file());
}

#[test]
fn export_neither_follows_nor_deletes_what_it_does_not_own() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("rules/r.yml"), &rule(1));
    let elsewhere = dir.path().join("elsewhere");
    write(&elsewhere.join("r.spl"), "keep\n");
    write(&elsewhere.join("victim.txt"), "keep\n");
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // A manifest that claims files outside, a link where a target's directory goes, and one
    // where an output file goes.
    let absolute = elsewhere.join("victim.txt");
    let claims = [
        "../elsewhere/victim.txt",
        "splunk/../../elsewhere/victim.txt",
        "logpoint/link/victim.txt",
        "notatarget/victim.txt",
        absolute.to_str().unwrap(),
    ];
    let planted = serde_json::json!({"files": claims});
    fs::write(out.join("manifest.json"), planted.to_string()).unwrap();
    symlink(&elsewhere, out.join("splunk")).unwrap();
    fs::create_dir(out.join("logpoint")).unwrap();
    symlink(&elsewhere, out.join("logpoint/link")).unwrap();
    symlink(elsewhere.join("victim.txt"), out.join("logpoint/r.lp")).unwrap();
    write(&out.join("notatarget/victim.txt"), "keep\n");

    let run = sigc(
        dir.path(),
        &[
            "convert", "-t", "splunk", "-t", "logpoint", "-o", "out", "rules",
        ],
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("out/splunk: a symbolic link, not a directory"),
        "{}",
        run.stderr
    );
    for kept in ["r.spl", "victim.txt"] {
        assert_eq!(fs::read_to_string(elsewhere.join(kept)).unwrap(), "keep\n");
    }
    assert!(out.join("notatarget/victim.txt").is_file());
    let exported = fs::symlink_metadata(out.join("logpoint/r.lp")).unwrap();
    assert!(
        exported.is_file(),
        "the other target exports, replacing the link"
    );
    assert_eq!(
        manifest(&out)["files"],
        serde_json::json!(["logpoint/r.lp"])
    );
}

#[test]
fn export_leaves_no_temporary_files_and_removes_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("rules/a.yml"), &rule(1));
    write(&dir.path().join("rules/b.yml"), &rule(2));
    let out = dir.path().join("out");
    // Leftovers of a killed run, a stranger's file, and a directory where b's output goes so
    // that its rename fails.
    write(&out.join(".sigc-tmp-killed"), "");
    write(&out.join("splunk/.sigc-tmp-killed"), "");
    write(&out.join("splunk/.tmpNotOurs"), "");
    write(&out.join("splunk/b.spl/occupied"), "");
    let run = sigc(
        dir.path(),
        &[
            "convert", "-t", "splunk", "-t", "logpoint", "-o", "out", "rules",
        ],
    );
    run.assert_code(2);
    assert!(run.stderr.contains("out/splunk/b.spl:"), "{}", run.stderr);
    assert!(out.join("splunk/a.spl").is_file());
    assert!(out.join("splunk/.tmpNotOurs").is_file());
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(".sigc-tmp-"),
                "{} is left",
                path.display()
            );
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
}

#[test]
fn output_replaces_a_regular_file_keeping_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("r.yml"), &rule(1));
    let out = dir.path().join("out.spl");
    write(&out, "old\n");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
    let run = sigc(
        dir.path(),
        &["convert", "-t", "splunk", "-o", "out.spl", "r.yml"],
    );
    run.assert_code(0);
    assert_eq!(count(&fs::read_to_string(&out).unwrap(), 1), 1);
    assert_eq!(fs::metadata(&out).unwrap().mode() & 0o777, 0o640);
}

#[test]
fn fix_does_not_replace_a_link_with_a_file() {
    let dir = tempfile::tempdir().unwrap();
    // No `id`: a fix that --fix applies.
    write(&dir.path().join("real_rule_file.yml"), &rule(1));
    symlink(
        "real_rule_file.yml",
        dir.path().join("linked_rule_file.yml"),
    )
    .unwrap();
    // Without -L the link is not even read; with it, it is read but not replaced by a file.
    let run = sigc(dir.path(), &["check", "--fix", "linked_rule_file.yml"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("linked_rule_file.yml: a symbolic link; not followed without -L"),
        "{}",
        run.stderr
    );
    let run = sigc(
        dir.path(),
        &["check", "-L", "--fix", "linked_rule_file.yml"],
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: linked_rule_file.yml: a symbolic link to a regular file"),
        "{}",
        run.stderr
    );
    let link = dir.path().join("linked_rule_file.yml");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("real_rule_file.yml")).unwrap(),
        rule(1)
    );
}
