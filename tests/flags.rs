//! `sigc convert`'s sigma-cli flags and what it says about its defaults: backend options (`-O`),
//! the file pattern of directory inputs (`-P`), a directory of pipelines (`-p DIR`), unknown
//! variables (`--var`), the placeholder notes of the default Splunk pipeline (`-q`), and the
//! blank line between queries.

use crate::common::{self, stderr, stdout};

/// pySigma-backend-splunk's savedsearches test rules (tests/test_backend_splunk.py).
const TWO_RULES: &str = "title: Test 1
description: |
  this is a description
  across two lines
status: test
logsource:
    category: test_category
    product: test_product
fields:
    - fieldA
detection:
    sel:
        fieldA|re: foo.*bar
        fieldB: foo
        fieldC: bar
    condition: sel
---
title: Test 2
status: test
logsource:
    category: test_category
    product: test_product
fields:
    - fieldA
    - fieldB
detection:
    sel:
        fieldA: foo
        fieldB: bar
    condition: sel
";

const SYSMON: &str = "title: Sysmon
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\\cmd.exe'
  condition: sel
";

const SECURITY: &str = "title: Security
logsource: {product: windows, service: security}
detection:
  sel:
    EventID: 4624
  condition: sel
";

fn convert(args: &[&str], stdin: &str) -> std::process::Output {
    let args: Vec<&str> = ["convert"].iter().chain(args).copied().collect();
    common::run(&args, Some(stdin))
}

/// sigma-cli's `-O min_time=-7d -O max_time=-1m` sets the `[default]` stanza's dispatch times
/// (as `sigma convert -t splunk -f savedsearches` writes them); pySigma-backend-splunk's
/// `output_settings` and `query_settings` add settings to the `[default]` stanza and to each
/// query's, before its description (its test `test_splunk_savedsearch_output_custom`, with a
/// constant query setting since the command line has no per-rule function).
#[test]
fn splunk_backend_options_write_the_savedsearches_settings() {
    let out = convert(
        &[
            "-t",
            "splunk",
            "--without-pipeline",
            "-f",
            "savedsearches",
            "-O",
            "min_time=-7d",
            "-O",
            "max_time=-1m",
            "-O",
            "output_settings=custom.key=customvalue",
            "-O",
            "query_settings=custom.query.key=Test",
            "-",
        ],
        TWO_RULES,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        r#"
[default]
dispatch.earliest_time = -7d
dispatch.latest_time = -1m
custom.key = customvalue

[Test 1]
custom.query.key = Test
description = this is a description \
across two lines
search = fieldB="foo" fieldC="bar" \
| regex fieldA="foo.*bar" \
| table fieldA

[Test 2]
custom.query.key = Test
description = 
search = fieldA="foo" fieldB="bar" \
| table fieldA,fieldB
"#
    );
}

/// Without options the defaults are pySigma's: `-30d` and `now` (after pySigma's blank first line).
#[test]
fn splunk_savedsearches_defaults_are_pysigmas() {
    let out = convert(
        &[
            "-t",
            "splunk",
            "--without-pipeline",
            "-f",
            "savedsearches",
            "-",
        ],
        SYSMON,
    );
    assert!(
        stdout(&out).starts_with(
            "\n[default]\ndispatch.earliest_time = -30d\ndispatch.latest_time = now\n\n[Sysmon]\n"
        ),
        "{}",
        stdout(&out)
    );
}

/// An option the target does not declare names those it does; a value that would change the
/// `.conf` structure, a bad setting name, a reserved key or a repeated one is refused, exit 2.
#[test]
fn backend_options_are_checked_before_anything_is_written() {
    let refused = |option: &str, target: &str, expected: &str| {
        let out = convert(&["-t", target, "-O", option, "-"], SYSMON);
        assert_eq!(out.status.code(), Some(2), "{option}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{option}");
        assert!(
            stderr(&out).contains(expected),
            "{option}: {}",
            stderr(&out)
        );
    };
    refused(
        "min_tme=-7d",
        "splunk",
        "unknown backend option `min_tme` for target `splunk`; options: min_time, max_time, \
         output_settings, query_settings",
    );
    refused(
        "min_time=-7d",
        "logpoint",
        "unknown backend option `min_time`: target `logpoint` takes none",
    );
    refused("min_time=-7d\r[evil]", "splunk", "U+000D");
    refused("max_time=x\\", "splunk", "cannot end with `\\`");
    refused(
        "output_settings=a\n[evil]=1",
        "splunk",
        "is not a setting name",
    );
    refused(
        "output_settings=dispatch.latest_time=now",
        "splunk",
        "reserved keys",
    );
    refused("query_settings=search=x", "splunk", "reserved keys");
    refused("query_settings=nokey", "splunk", "expected KEY=VALUE");
    let out = convert(
        &["-t", "splunk", "-O", "min_time=1", "-O", "min_time=2", "-"],
        SYSMON,
    );
    assert!(
        stderr(&out).contains("`min_time`: given twice"),
        "{}",
        stderr(&out)
    );
}

/// A line break in an option's value is continued as every `.conf` value is: it cannot start a
/// stanza of its own.
#[test]
fn a_line_break_in_an_option_value_stays_inside_the_setting() {
    let out = convert(
        &[
            "-t",
            "splunk",
            "--without-pipeline",
            "-f",
            "savedsearches",
            "-O",
            "output_settings=action.email.message=a\n[evil]",
            "-",
        ],
        SYSMON,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("action.email.message = a \\\n[evil]\n"),
        "{}",
        stdout(&out)
    );
}

/// With several targets, an option one of them declares is left to it.
#[test]
fn an_option_of_one_target_of_an_export_is_left_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = convert(
        &[
            "-t",
            "splunk",
            "-t",
            "logpoint",
            "-O",
            "min_time=-7d",
            "-o",
            dir.path().to_str().unwrap(),
            "-",
        ],
        SYSMON,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `-P GLOB` chooses the rule files of a directory by their path below it (sigma-cli's
/// `--file-pattern`); a directory where it matches nothing is an error naming the pattern.
#[test]
fn file_pattern_chooses_the_rule_files_of_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.yml"), SYSMON).unwrap();
    std::fs::write(dir.path().join("sub/b.yaml"), SECURITY).unwrap();
    std::fs::write(
        dir.path().join("sub/c.rule"),
        SECURITY.replace("Security", "Other"),
    )
    .unwrap();
    let titles = |args: &[&str]| {
        let mut all = vec!["-t", "splunk", "--without-pipeline", "-f", "json"];
        all.extend(args);
        all.push(dir.path().to_str().unwrap());
        let out = convert(&all, "");
        let rules: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| serde_json::json!([stderr(&out)]));
        rules
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["title"]
                    .as_str()
                    .unwrap_or_else(|| r.as_str().unwrap())
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&[]), ["Sysmon", "Security"]);
    assert_eq!(titles(&["-P", "*.yml"]), ["Sysmon"]);
    assert_eq!(titles(&["-P", "*.rule"]), ["Other"]);
    assert_eq!(titles(&["-P", "sub/*"]), ["Security", "Other"]);
    let out = convert(
        &["-t", "splunk", "-P", "*.txt", dir.path().to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no rule files (*.txt)"),
        "{}",
        stderr(&out)
    );
    let out = convert(
        &["-t", "splunk", "-P", "[", dir.path().to_str().unwrap()],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("-P/--file-pattern `[`"),
        "{}",
        stderr(&out)
    );
}

/// `-p DIR` loads every pipeline file below it, in path order, then by priority; a built-in's
/// name still names the built-in.
#[test]
fn a_pipeline_directory_loads_every_pipeline_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = |name: &str, priority: u32, from: &str, to: &str| {
        format!(
            "name: {name}\npriority: {priority}\ntransformations:\n  - type: field_name_mapping\n    mapping:\n      {from}: {to}\n"
        )
    };
    std::fs::write(
        dir.path().join("b.yml"),
        pipeline("b", 20, "Renamed", "Final"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        pipeline("a", 10, "Image", "Renamed"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a pipeline").unwrap();
    let out = convert(
        &["-t", "splunk", "-p", dir.path().to_str().unwrap(), "-"],
        SYSMON,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Final=\"*\\\\cmd.exe\"\n");
    let empty = tempfile::tempdir().unwrap();
    let out = convert(
        &["-t", "splunk", "-p", empty.path().to_str().unwrap(), "-"],
        SYSMON,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no pipeline files"),
        "{}",
        stderr(&out)
    );
    // A built-in's name is the built-in, even where a directory of that name is at hand.
    let cwd = tempfile::tempdir().unwrap();
    std::fs::create_dir(cwd.path().join("splunk_windows")).unwrap();
    let args = ["convert", "-t", "splunk", "-p", "splunk_windows", "-"];
    let cmd = common::sigc_command(cwd.path(), &args);
    let out = common::run_command(cmd, Some(SECURITY.as_bytes()), common::HANG_GUARD);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A `--var` that no pipeline of the run declares is a warning naming those that exist; the
/// conversion goes on.
#[test]
fn an_unknown_var_is_warned_about() {
    let out = convert(
        &["-t", "splunk", "-q", "--var", "sysmon_idx=main", "-"],
        SYSMON,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "warning: --var `sysmon_idx` is used by no pipeline of this run; variables: sysmon_index\n"
    );
    let out = convert(
        &["-t", "splunk", "--without-pipeline", "--var", "x=1", "-"],
        SYSMON,
    );
    assert!(
        stderr(&out).contains("no pipeline of this run declares a variable"),
        "{}",
        stderr(&out)
    );
    let out = convert(&["-t", "splunk", "--var", "sysmon_index=main", "-"], SYSMON);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

/// The default Splunk pipeline's index placeholder is said once a run on standard error, and
/// so are the rules it does not scope; `--var` or `-q` silences them, and standard output never
/// holds them.
#[test]
fn the_default_index_placeholder_is_said_once() {
    let both = format!("{SYSMON}---\n{SYSMON}---\n{SECURITY}");
    let out = convert(&["-t", "splunk", "-"], &both);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "note: 2 rules for target `splunk` hold `__your_sysmon_index__`, the placeholder of \
         variable `sysmon_index` of pipeline `splunk_sysmon_native`: set it with --var \
         sysmon_index=VALUE\n\
         note: 1 rule for target `splunk` is not scoped by `sysmon_index`: pipeline \
         `splunk_sysmon_native` sets it for some log sources only, so their queries search \
         without it\n"
    );
    assert!(!stdout(&out).contains("note"));
    let out = convert(&["-t", "splunk", "-q", "-"], &both);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let out = convert(&["-t", "splunk", "--var", "sysmon_index=main", "-"], &both);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// The default output sets queries apart with a blank line (as sigma-cli does), so a query
/// with deferred commands never runs into the next.
#[test]
fn default_output_has_a_blank_line_between_queries() {
    let regex = "title: Regex\nlogsource: {product: windows}\ndetection:\n  sel:\n    A|re: x.*\n    B: y\n  condition: sel\n";
    let out = convert(
        &["-t", "splunk", "--without-pipeline", "-"],
        &format!("{regex}---\n{SYSMON}"),
    );
    assert_eq!(
        stdout(&out),
        "B=\"y\"\n| regex A=\"x.*\"\n\nImage=\"*\\\\cmd.exe\"\n"
    );
}
