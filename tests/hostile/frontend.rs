//! Hostile input to the front end: files that used to panic (positions past the last line
//! break, case folding that moves offsets), files whose shape used to cost quadratic time (many
//! keys, deep nesting, many documents), encodings, and `--fix` output that must stay valid YAML.

use crate::common::{run_guarded, stderr, stdout};
use proptest::prelude::*;
use sigc_compiler::{Source, limits, yaml};
use sigc_lint::Config;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// A rule that converts everywhere, to show that the rest of a batch survives a hostile file.
const GOOD: &str = "title: Good Rule\nid: 5e3d4c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    selection:\n        Image|endswith: '\\good.exe'\n    condition: selection\nlevel: low\n";

/// Hang guard only: a run that takes this long is stuck, not slow (a debug build on a busy
/// machine needs a few seconds for the largest case; the quadratic code took minutes).
const HANG: Duration = Duration::from_secs(60);

/// Runs `sigc ARGS` from the workspace root, killing it and failing the test after [`HANG`].
/// Output goes to files, which never fill up and block the child as a pipe would.
fn sigc_within(args: &[&str]) -> Output {
    run_guarded(args, HANG)
}

/// A temporary directory holding `files` (name, bytes) and the good rule.
fn batch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good_rule.yml"), GOOD).expect("write");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    dir
}

/// Converts the batch in `dir` to Splunk: the hostile files fail with located errors, the good
/// rule still converts, nothing panics. Returns the error output.
fn convert_batch(dir: &Path) -> String {
    let out = sigc_within(&["convert", "-t", "splunk", &dir.display().to_string()]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(out.status.code(), Some(1 | 2)), "{out:?}");
    assert!(
        stdout(&out).contains("good.exe"),
        "the good rule was lost:\n{err}"
    );
    err
}

/// `line:col` of every `name:line:col: error[code]` in `text`.
fn located<'t>(text: &'t str, name: &str, code: &str) -> Vec<&'t str> {
    text.lines()
        .filter(|l| l.contains(&format!("error[{code}]")))
        .filter_map(|l| l.split(&format!("{name}:")).nth(1))
        .filter_map(|l| l.split(": ").next())
        .collect()
}

#[test]
fn a_yaml_error_after_the_last_line_break_is_located() {
    let dir = batch(&[
        ("unclosed.yml", b"x: ["),
        ("cr_only.yml", b"title: t\rx: ["),
        ("crlf.yml", b"title: t\r\nx: ["),
    ]);
    let err = convert_batch(dir.path());
    assert_eq!(
        located(&err, "unclosed.yml", "yaml_syntax"),
        ["1:5"],
        "{err}"
    );
    assert_eq!(
        located(&err, "cr_only.yml", "yaml_syntax"),
        ["2:5"],
        "{err}"
    );
    assert_eq!(located(&err, "crlf.yml", "yaml_syntax"), ["2:5"], "{err}");
}

#[test]
fn line_breaks_only_some_yaml_versions_know_are_refused_where_they_are() {
    let dir = batch(&[
        ("line_separator.yml", "title: t\u{2028}x: [".as_bytes()),
        ("next_line.yml", "title: t\n  é\u{85}".as_bytes()),
    ]);
    let err = convert_batch(dir.path());
    assert_eq!(
        located(&err, "line_separator.yml", "forbidden_character"),
        ["1:9"],
        "{err}"
    );
    assert_eq!(
        located(&err, "next_line.yml", "forbidden_character"),
        ["2:4"],
        "{err}"
    );
}

#[test]
fn nul_control_characters_and_invalid_utf8_are_located() {
    let dir = batch(&[
        ("nul.yml", b"title: a\n  b\0c\n"),
        ("bell.yml", "title: é\x07\n".as_bytes()),
        ("latin1.yml", b"title: t\ndescription: caf\xe9\n"),
    ]);
    let err = convert_batch(dir.path());
    assert_eq!(
        located(&err, "nul.yml", "forbidden_character"),
        ["2:4"],
        "{err}"
    );
    assert_eq!(
        located(&err, "bell.yml", "forbidden_character"),
        ["1:9"],
        "{err}"
    );
    assert_eq!(
        located(&err, "latin1.yml", "invalid_utf8"),
        ["2:17"],
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_read_and_positions_stay_right() {
    let rule = format!(
        "\u{feff}{}",
        GOOD.replace("Good Rule", "Good Rule.")
            .replace("level: low\n", "level: low\ndescription: short\n")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom_rule_with_a_long_name.yml");
    std::fs::write(&path, rule.replace('\n', "\r\n")).unwrap();
    let p = path.display().to_string();
    let out = sigc_within(&["convert", "-t", "splunk", &p]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("good.exe"));
    let out = sigc_within(&[
        "check",
        "--select",
        "sigmahq_title_end,sigmahq_description_length",
        &p,
    ]);
    let text = stdout(&out);
    // The full stop of the title (the mark is no column), and the description on line 11.
    assert!(text.contains(&format!("{p}:1:17")), "{text}");
    assert!(text.contains(&format!("{p}:11:14")), "{text}");
}

#[test]
fn case_folding_that_changes_lengths_does_not_move_offsets() {
    let rule = GOOD.replace(
        "level: low\n",
        "level: low\ndescription: 'İİinternal research, see HTTPS://İ.example'\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case_folding_description.yml");
    std::fs::write(&path, rule).unwrap();
    let out = sigc_within(&[
        "check",
        "--select",
        "sigmahq_link_in_description",
        &path.display().to_string(),
    ]);
    let text = stdout(&out);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    // `internal research` starts after `'İİ` (column 15 + 3 characters).
    assert!(
        text.contains("case_folding_description.yml:11:17"),
        "{text}"
    );
}

#[test]
fn a_map_of_100k_keys_finishes() {
    let mut rule = String::from(
        "title: Many Keys\nlogsource:\n    product: windows\ndetection:\n    selection:\n",
    );
    for i in 0..100_000 {
        rule.push_str(&format!("        Field{i}: value{i}\n"));
    }
    rule.push_str("    condition: selection\n");
    let dir = batch(&[("many_keys.yml", rule.as_bytes())]);
    let d = dir.path().display().to_string();
    let out = sigc_within(&["convert", "-t", "splunk", &d]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Field99999=\"value99999\""));
    let out = sigc_within(&["check", &d]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
}

#[test]
fn aliases_cannot_expand_a_small_file_into_gigabytes() {
    // "billion laughs": each level names the one below ten times; and one long string named
    // again and again, which once took a gigabyte for a 106 KB file
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let names = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{names}]\n"));
    }
    let long = format!(
        "title: T\nx: &s '{}'\ny: [{}]\n",
        "v".repeat(100_000),
        vec!["*s"; 2000].join(",")
    );
    let dir = batch(&[
        ("laughs.yml", laughs.as_bytes()),
        ("long.yml", long.as_bytes()),
    ]);
    let err = convert_batch(dir.path());
    // the alias that crosses the limit: on the line of the level that reaches it
    assert_eq!(
        located(&err, "laughs.yml", "yaml_too_large").len(),
        1,
        "{err}"
    );
    // 100,000 bytes, then 100,000 per alias: the 167th alias (column 5 + 3 * 166) passes 16 MiB
    assert_eq!(
        located(&err, "long.yml", "yaml_too_large"),
        ["3:503"],
        "{err}"
    );
}

#[test]
fn deep_nesting_is_refused_at_the_limit() {
    let flow = format!("x: {}\n", "[".repeat(100_000));
    let mut block = String::new();
    for depth in 0..200 {
        block.push_str(&format!("{}k:\n", "  ".repeat(depth)));
    }
    let dir = batch(&[
        ("flow.yml", flow.as_bytes()),
        ("block.yml", block.as_bytes()),
    ]);
    let err = convert_batch(dir.path());
    assert!(
        err.contains(&format!("deeper than {} levels", limits::MAX_YAML_DEPTH)),
        "{err}"
    );
    // saphyr's scanner, running ahead of the events, meets its own bound (256) first
    assert_eq!(
        located(&err, "flow.yml", "yaml_too_deep"),
        ["1:259"],
        "{err}"
    );
    assert_eq!(
        located(&err, "block.yml", "yaml_too_deep"),
        ["65:129"],
        "{err}"
    );
    let out = sigc_within(&["check", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_syntax_error_before_deep_flow_nesting_is_reported_at_once() {
    let text = format!("a: b: c\n{}\n", "[".repeat(100_000));
    let dir = batch(&[("error_then_deep.yml", text.as_bytes())]);
    let err = convert_batch(dir.path());
    assert_eq!(
        located(&err, "error_then_deep.yml", "yaml_syntax"),
        ["1:5"],
        "{err}"
    );
}

#[test]
fn long_lists_and_maps_are_checked_in_linear_time() {
    let n = 30_000;
    let list = |key: &str, item: &dyn Fn(usize) -> String| {
        let items: String = (0..n).map(|i| format!("    - {}\n", item(i))).collect();
        format!("{key}:\n{items}")
    };
    let mut rule = String::from("title: Long Lists\nlogsource:\n    product: windows\n");
    rule += &list("tags", &|i| format!("attack.t{}", i % 5000));
    rule += &list("references", &|i| {
        format!("https://example.org/{}", i % 5000)
    });
    rule += &list("falsepositives", &|i| format!("Thing {}", i % 5000));
    rule += "detection:\n    selection:\n";
    for i in 0..n {
        let (f, m) = if i % 2 == 0 {
            ("Field", "contains")
        } else {
            ("field", "contains|all|contains")
        };
        rule += &format!("        {f}{}|{m}: '*v*'\n", i / 2);
    }
    for i in 0..n {
        rule += &format!("    sel{i}:\n        Image: x{}\n", i % 7);
    }
    rule += "    condition: selection or 1 of sel*\n";
    let dir = batch(&[("long_lists.yml", rule.as_bytes())]);
    let out = sigc_within(&["check", &dir.path().display().to_string()]);
    // findings below `error` severity do not fail the run
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for code in [
        "duplicate_tag",
        "duplicate_references",
        "sigmahq_fieldname_cast",
        "invalid_modifier_combinations",
    ] {
        assert!(text.contains(code), "no {code}");
    }
}

#[test]
fn documents_per_file_are_bounded_and_read_in_linear_time() {
    let doc = |i: usize| {
        GOOD.replace("good.exe", &format!("good{i}.exe"))
            .replace("Good Rule", &format!("Good Rule {i}"))
    };
    let at_limit: Vec<String> = (0..limits::MAX_DOCUMENTS).map(doc).collect();
    let over: Vec<String> = (0..=limits::MAX_DOCUMENTS).map(doc).collect();
    let dir = batch(&[
        ("at_limit.yml", at_limit.join("---\n").as_bytes()),
        ("over.yml", over.join("---\n").as_bytes()),
    ]);
    let err = convert_batch(dir.path());
    // the `---` past the limit follows MAX_DOCUMENTS documents and their `---` lines
    let line = limits::MAX_DOCUMENTS * (GOOD.lines().count() + 1);
    assert_eq!(
        located(&err, "over.yml", "too_many_documents"),
        [format!("{line}:1")],
        "{err}"
    );
    assert!(!err.contains("at_limit.yml"), "{err}");
    let out = sigc_within(&["check", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("too_many_documents"));
}

/// Applies every fix `sigc check --fix` would apply to `text`.
fn fixed(text: &str) -> String {
    let source = Source::new("fix_me_rule_file.yml", text);
    let report = sigc_lint::check_file(&source, &Config::default());
    let groups: Vec<Vec<sigc_lint::Edit>> = report
        .findings
        .iter()
        .map(|f| f.fix.clone())
        .filter(|g| !g.is_empty())
        .collect();
    sigc_lint::apply_edits(&source, &groups).1
}

/// The queries of every target for the rules of `text`, or the errors (without their lines,
/// which an added `id` moves).
fn queries(text: &str) -> String {
    let out = crate::common::convert_all_targets(&Source::new("fix_me_rule_file.yml", text));
    let at = regex::Regex::new(r"fix_me_rule_file\.yml:\d+:\d+").unwrap();
    at.replace_all(&out, "fix_me_rule_file.yml").into_owned()
}

/// The documents of `text` without the parts a fix may change: `id`, `tags` (case), `detection`
/// (modifiers instead of wildcards; compared through the queries instead).
fn unfixed_parts(text: &str) -> Vec<serde_yaml::Value> {
    let source = Source::new("fix_me_rule_file.yml", text);
    let docs = yaml::load(&source).unwrap_or_else(|e| panic!("{e}\n{text}"));
    docs.into_iter()
        .map(|d| {
            let mut v = d.value;
            if let Some(m) = v.as_mapping_mut() {
                for k in ["id", "detection"] {
                    m.remove(k);
                }
                if let Some(tags) = m.get_mut("tags").and_then(|t| t.as_sequence_mut()) {
                    for t in tags {
                        if let Some(s) = t.as_str() {
                            *t = s.to_lowercase().into();
                        }
                    }
                }
            }
            v
        })
        .collect()
}

/// `--fix` output parses, holds the same rule, and has an `id` when the original had none.
fn assert_fix_keeps_the_rule(text: &str) {
    let after = fixed(text);
    assert_eq!(
        unfixed_parts(&after),
        unfixed_parts(text),
        "\n--- before\n{text}\n--- after\n{after}"
    );
    assert_eq!(
        queries(&after),
        queries(text),
        "\n--- before\n{text}\n--- after\n{after}"
    );
    let source = Source::new("fix_me_rule_file.yml", after.as_str());
    for doc in yaml::load(&source).unwrap() {
        assert!(doc.root().get("id").is_some(), "no id added:\n{after}");
    }
}

#[test]
fn the_id_fix_goes_after_a_folded_title_not_inside_it() {
    let rule = "title: >\n    Folded\n    Title\n\nlogsource:\n    product: windows\ndetection:\n    selection:\n        Image: 'x*'\n    condition: selection\n";
    assert_fix_keeps_the_rule(rule);
    assert!(fixed(rule).starts_with("title: >\n    Folded\n    Title\n\nid: "));
}

/// Ways to write a title, each spanning one or more lines.
fn title_forms() -> impl Strategy<Value = String> {
    let word = "[A-Za-z][A-Za-z0-9]{0,8}";
    let words = prop::collection::vec(word, 1..4).prop_map(|w| w.join(" "));
    (words.clone(), words, 0..9usize).prop_map(|(a, b, form)| match form {
        0 => format!("title: {a}"),
        1 => format!("title: '{a} ''{b}'''"),
        2 => format!("title: \"{a}\\t{b}\""),
        3 => format!("title: {a}\n    {b}"),
        4 => format!("title: >\n    {a}\n    {b}\n"),
        5 => format!("title: |-\n  {a}\n\n  {b}"),
        6 => format!("title: >+\n  {a}\n\n"),
        7 => format!("title: [{a},\n  {b}]"),
        _ => format!("title: {{x: {a},\n   y: '{b}'}}  # {b}"),
    })
}

/// Detection values, some with wildcards that `--fix` turns into modifiers.
fn values() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "'*cmd*'",
        "\"*cmd*\"",
        "'*cmd'",
        "cmd*",
        "true*",
        "1*",
        "a:*",
        "'x''*'",
        "\"a\\\"*\"",
        "'*\\*x*'",
        "plain",
        "[ '*a*', '*b*' ]",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn fix_output_reparses_and_holds_the_same_rule(
        title in title_forms(),
        value in values(),
        twin in any::<bool>(),
        title_last in any::<bool>(),
        line_break in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        bom in any::<bool>(),
        start in prop::sample::select(vec!["", "---\n", "# comment\n"]),
    ) {
        let twin = if twin { "        Image|contains: other\n" } else { "" };
        let body = format!(
            "logsource:\n    product: windows\ntags:\n    - attack.T1059\ndetection:\n    selection:\n        Image: {value}\n{twin}    condition: selection\n"
        );
        let rule = if title_last { format!("{body}{title}\n") } else { format!("{title}\n{body}") };
        let rule = format!("{}{start}{rule}", if bom { "\u{feff}" } else { "" }).replace('\n', line_break);
        assert_fix_keeps_the_rule(&rule);
    }
}

/// Every rule of the SigmaHQ corpus with its id removed gets a valid one back from `--fix`.
#[test]
fn the_id_fix_keeps_every_corpus_rule() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let files: Vec<PathBuf> = crate::common::yaml_files(&shared.join("corpus/sigmahq/rules"));
    for path in files.iter().step_by(7) {
        let text = std::fs::read_to_string(path).unwrap();
        let without: String = text
            .lines()
            .filter(|l| !l.starts_with("id:"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_fix_keeps_the_rule(&without);
    }
}
