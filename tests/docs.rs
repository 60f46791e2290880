//! Documentation that cannot drift: the generated files match what the code generates today,
//! and every command shown in README.md runs as the README says.
//!
//! `SIGC_BLESS=1 cargo test --test integration docs` rewrites the generated files.

use crate::common::{self, root};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use sigc::cli::docs;
use std::path::Path;

/// Compares the committed `path` (relative to the root) with `generated`; rewrites it under
/// `SIGC_BLESS=1`, else fails with the first differing line and how to regenerate.
fn matches_generated(path: &str, generated: &str) {
    let file = root().join(path);
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed == generated {
        return;
    }
    if std::env::var_os("SIGC_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&file, generated).expect("write the generated file");
        return;
    }
    let line = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    panic!(
        "{path} differs from what the code generates (first at line {}); regenerate it with `{}`",
        line + 1,
        docs::REGENERATE
    );
}

#[test]
fn cli_reference_is_generated_from_clap() {
    matches_generated("docs/cli.md", &docs::markdown());
}

#[test]
fn cli_reference_covers_every_command_and_option() {
    let md = docs::markdown();
    for section in [
        "## `sigc`",
        "## `sigc convert`",
        "## `sigc check`",
        "## `sigc completions`",
        "## `sigc man`",
    ] {
        assert!(md.contains(section), "{section} missing");
    }
    assert!(md.contains("- `--color <WHEN>`"), "the global option");
    assert!(md.contains("  - `never`: Never colour"), "possible values");
    assert!(md.contains("- `-c, --config <FILE>` (also `--validation-config`)"));
}

#[test]
fn check_md_validator_table_and_reference_are_generated_from_the_validators() {
    let path = "docs/check.md";
    let committed = std::fs::read_to_string(root().join(path)).expect("docs/check.md");
    let generated = docs::splice(&committed, "validator table", &docs::validator_table())
        .and_then(|d| docs::splice(&d, "validator reference", &docs::validator_reference()))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    matches_generated(path, &generated);
}

#[test]
fn every_validator_file_is_documented_and_registered() {
    let dir = root().join("lint/src/validators");
    let mut files: Vec<String> = common::files_with_extension(&dir, &["rs"])
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .filter(|id| id != "mod")
        .collect();
    files.sort();
    let mut ids: Vec<String> = sigc_lint::VALIDATORS
        .iter()
        .map(|v| v.id.to_string())
        .collect();
    ids.sort();
    assert_eq!(files, ids, "one file per registered validator");
    for v in sigc_lint::VALIDATORS {
        let doc = v.doc();
        for section in ["## What it does\n", "## Why is this bad?\n", "## Example\n"] {
            assert!(doc.contains(section), "{}: no `{}`", v.id, section.trim());
        }
        assert!(!doc.starts_with('`'), "{}: the title line is dropped", v.id);
    }
}

#[test]
fn sarif_rule_help_is_the_validators_doc() {
    let out = common::sigc(&["check", "--format", "sarif", "rules/"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("the rules");
    assert_eq!(rules.len(), sigc_lint::VALIDATORS.len());
    for rule in rules {
        let id = rule["id"].as_str().expect("an id");
        let doc = sigc_lint::validator(id).expect("a validator").doc();
        assert!(doc.contains("## What it does"), "{id}");
        assert_eq!(rule["help"]["text"], doc, "{id}");
        assert_eq!(rule["help"]["markdown"], doc, "{id}");
    }
}

#[test]
fn splice_replaces_only_between_its_markers() {
    let doc = "a\n<!-- begin generated: t -->\nold\n<!-- end generated: t -->\nb\n";
    assert_eq!(
        docs::splice(doc, "t", "new\n").unwrap(),
        "a\n<!-- begin generated: t -->\nnew\n<!-- end generated: t -->\nb\n"
    );
    assert!(docs::splice(doc, "u", "x").is_err());
    assert!(docs::splice("<!-- begin generated: t -->\n", "t", "x").is_err());
}

/// What a README line runs instead of itself, in a temporary directory `tmp`.
struct Invocation {
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// The exit status the README implies.
    status: i32,
}

impl Invocation {
    fn new(args: &[&str], status: i32) -> Self {
        Invocation {
            args: args.iter().map(|a| a.to_string()).collect(),
            stdin: None,
            status,
        }
    }
}

fn in_tmp(tmp: &Path, name: &str) -> String {
    tmp.join(name).display().to_string()
}

/// README command lines not run exactly as written: the line (its comment dropped), the
/// reason, and what runs instead (`None`: not run at all).
type Special = (
    &'static str,
    &'static str,
    Option<fn(&Path) -> Option<Invocation>>,
);

const SPECIAL: &[Special] = &[
    (
        "cargo run --release -- convert -t splunk rules/",
        "a release build of `sigc convert -t splunk rules/`: run as that, with the test binary",
        Some(|_| Some(Invocation::new(&["convert", "-t", "splunk", "rules/"], 0))),
    ),
    (
        "cargo test",
        "the test suite itself: running it from a test would recurse",
        None,
    ),
    (
        "sigc serve",
        "serves until stopped: tests/serve.rs and tests/browser.rs start it on a free port",
        None,
    ),
    (
        "cargo install --path .",
        "installs into ~/.cargo/bin, outside a temporary directory",
        None,
    ),
    (
        "sigc convert -t splunk -f savedsearches -o savedsearches.conf rules/",
        "writes its output into a temporary directory instead of the checkout",
        Some(|tmp| {
            let out = in_tmp(tmp, "savedsearches.conf");
            let args = ["convert", "-t", "splunk", "-f", "savedsearches", "-o", &out];
            Some(Invocation::new(&[&args[..], &["rules/"]].concat(), 0))
        }),
    ),
    (
        "sigc convert -t splunk --filter tuning/ rules/",
        "`tuning/` stands for a folder of the user's filters: one of the filter fixtures is used",
        Some(|_| {
            let filter = "tests/fixtures/filters/any_rule.yml";
            let args = ["convert", "-t", "splunk", "--filter", filter, "rules/"];
            Some(Invocation::new(&args, 0))
        }),
    ),
    (
        "sigc convert -t car rules/",
        "exit 1 as the README says: CAR has no PowerShell script object, so the shipped \
         PowerShell rule fails",
        Some(|_| Some(Invocation::new(&["convert", "-t", "car", "rules/"], 1))),
    ),
    (
        "cat rule.yml | sigc convert -t splunk -",
        "`rule.yml` stands for any rule: one of the shipped rules is fed on standard input",
        Some(|_| {
            let rule = root().join(
                "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml",
            );
            Some(Invocation {
                stdin: Some(std::fs::read(rule).expect("the shipped rule")),
                ..Invocation::new(&["convert", "-t", "splunk", "-"], 0)
            })
        }),
    ),
    (
        "sigc convert -t splunk -t logpoint -t car rules/ -o out/",
        "exports into a temporary directory; exit 1 as the README says, since the CAR export of \
         the PowerShell rule fails while the others are written",
        Some(|tmp| {
            let out = in_tmp(tmp, "out/");
            let args = [
                "convert", "-t", "splunk", "-t", "logpoint", "-t", "car", "rules/",
            ];
            Some(Invocation::new(&[&args[..], &["-o", &out]].concat(), 1))
        }),
    ),
    (
        "sigc convert -t logpoint examples/correlations/",
        "exit 1 as the README says: LogPoint refuses the correlation, located",
        Some(|_| {
            let args = ["convert", "-t", "logpoint", "examples/correlations/"];
            Some(Invocation::new(&args, 1))
        }),
    ),
    (
        "sigc check --format sarif rules/ > sigc.sarif",
        "the redirection would write into the checkout: standard output is read by the test",
        Some(|_| {
            Some(Invocation::new(
                &["check", "--format", "sarif", "rules/"],
                0,
            ))
        }),
    ),
    (
        "sigc check --fix rules/",
        "edits rules in place: run on a copy of rules/ in a temporary directory",
        Some(|tmp| {
            let copy = tmp.join("rules");
            for file in common::yaml_files(&root().join("rules")) {
                let relative = file
                    .strip_prefix(root().join("rules"))
                    .expect("below rules/");
                let to = copy.join(relative);
                std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
                std::fs::copy(&file, &to).expect("copy a rule");
            }
            Some(Invocation::new(
                &["check", "--fix", &copy.display().to_string()],
                0,
            ))
        }),
    ),
    (
        "sigc test --events sysmon.evtx rules/",
        "`sysmon.evtx` stands for any EVTX file: the first of ../shared's regression events \
         (not run without ../shared)",
        Some(|_| {
            let dir = common::shared()?.join("corpus/sigmahq/regression_data");
            let evtx = common::files_with_extension(&dir, &["evtx"])
                .into_iter()
                .next()?;
            let evtx = evtx.display().to_string();
            Some(Invocation::new(&["test", "--events", &evtx, "rules/"], 0))
        }),
    ),
    (
        "sigc test --events events.jsonl --format json rules/",
        "`events.jsonl` stands for any JSON Lines file: two events written to a temporary one",
        Some(|tmp| {
            let events = in_tmp(tmp, "events.jsonl");
            let lines = "{\"EventID\": 1, \"Image\": \"C:\\\\Windows\\\\System32\\\\net.exe\", \
                         \"CommandLine\": \"net share x /delete\"}\n{\"EventID\": 4}\n";
            std::fs::write(&events, lines).expect("write events");
            let args = ["test", "--events", &events, "--format", "json", "rules/"];
            Some(Invocation::new(&args, 0))
        }),
    ),
    (
        "sigc test --regression ../shared/corpus/sigmahq/regression_data",
        "reads ../shared: not run without it",
        Some(|_| {
            common::shared()?;
            Some(Invocation::new(
                &[
                    "test",
                    "--regression",
                    "../shared/corpus/sigmahq/regression_data",
                ],
                0,
            ))
        }),
    ),
];

/// Each command line of README.md's `sh` and `console` code blocks, without its comment (and
/// without a `$ ` prompt).
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut lines = Vec::new();
    let mut shell = false;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                shell = matches!(lang.as_ref(), "sh" | "console" | "shell" | "bash");
            }
            Event::End(TagEnd::CodeBlock) => shell = false,
            Event::Text(code) if shell => {
                for line in code.lines() {
                    let line = line.split(" #").next().unwrap_or("").trim();
                    let line = line.strip_prefix("$ ").unwrap_or(line);
                    if !line.is_empty() && !line.starts_with('#') {
                        lines.push(line.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    lines
}

/// What a plain `sigc …` line runs: its words, expecting status 0. A line that needs the shell,
/// writes files or is no `sigc` command must be in [`SPECIAL`].
fn plain(line: &str) -> Invocation {
    let words: Vec<&str> = line.split_whitespace().collect();
    let writes = words
        .iter()
        .any(|w| matches!(*w, "-o" | "--output" | "--fix"));
    let shell = line.contains(['|', '<', '>', ';', '&', '$', '"', '\'', '`', '*']);
    assert!(
        words.first() == Some(&"sigc") && !writes && !shell,
        "README.md line `{line}` is not a plain `sigc` command (it needs the shell, writes \
         files, or runs something else): add it to SPECIAL in tests/docs.rs with how to run it \
         and why"
    );
    Invocation::new(&words[1..], 0)
}

#[test]
fn every_readme_command_runs_as_the_readme_says() {
    let lines = readme_commands();
    assert!(lines.len() > 10, "README.md's commands were found");
    for (line, _, _) in SPECIAL {
        assert!(
            lines.iter().any(|l| l == line),
            "SPECIAL lists `{line}`, which README.md no longer shows: update tests/docs.rs"
        );
    }
    let tmp = tempfile::tempdir().expect("temporary directory");
    for (i, line) in lines.iter().enumerate() {
        let dir = tmp.path().join(i.to_string());
        std::fs::create_dir(&dir).expect("mkdir");
        let run = match SPECIAL.iter().find(|(l, _, _)| l == line) {
            Some((_, reason, adapt)) => match adapt.and_then(|adapt| adapt(&dir)) {
                Some(run) => run,
                None => {
                    eprintln!("README.md: not run: `{line}`: {reason}");
                    continue;
                }
            },
            None => plain(line),
        };
        let args: Vec<&str> = run.args.iter().map(String::as_str).collect();
        let out = common::run_command(
            common::sigc_command(&root(), &args),
            run.stdin.as_deref(),
            common::HANG_GUARD,
        );
        assert_eq!(
            out.status.code(),
            Some(run.status),
            "README.md: `{line}` (run as `sigc {}`)\nstderr:\n{}",
            args.join(" "),
            common::stderr(&out)
        );
    }
}

/// docs/sigma-cli.md's sigc column names real commands and flags: each `sigc …` span there is
/// found in the generated CLI reference (the section of its command, every flag in it).
#[test]
fn sigma_cli_table_names_real_commands_and_flags() {
    let table = std::fs::read_to_string(root().join("docs/sigma-cli.md")).expect("the page");
    let reference = docs::markdown();
    let section = |path: &str| -> Option<&str> {
        let head = format!("## `{path}`\n");
        let start = reference.find(&head)? + head.len();
        let end = reference[start..]
            .find("\n## ")
            .map_or(reference.len(), |e| start + e);
        Some(&reference[start..end])
    };
    let mut checked = 0;
    for row in table.lines().filter(|l| l.starts_with("| ")) {
        let Some(cell) = row.split(" | ").nth(1) else {
            continue;
        };
        for span in cell.split('`').skip(1).step_by(2) {
            let Some(rest) = span.strip_prefix("sigc ") else {
                continue;
            };
            let (flags, words): (Vec<&str>, Vec<&str>) =
                rest.split_whitespace().partition(|w| w.starts_with('-'));
            let depth = (1..=words.len())
                .rev()
                .find(|&n| section(&format!("sigc {}", words[..n].join(" "))).is_some())
                .unwrap_or(0);
            let path = format!("sigc {}", words[..depth].join(" "));
            let text = section(path.trim_end())
                .unwrap_or_else(|| panic!("`{span}`: no command `{path}` in docs/cli.md"));
            for word in &words[depth..] {
                assert!(text.contains(&format!("`{word}`")), "`{span}`: no `{word}`");
            }
            for flag in flags {
                let found = text.match_indices(flag).any(|(i, _)| {
                    let before = text[..i].chars().next_back();
                    let after = text[i + flag.len()..].chars().next();
                    matches!(before, Some('`' | ' ' | ','))
                        && matches!(after, Some('`' | ' ' | ',' | '<' | '='))
                });
                assert!(found, "`{span}`: `{path}` has no flag {flag}");
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} sigc spans found");
}
