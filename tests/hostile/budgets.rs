//! Budgets: rules whose text multiplies work (condition expansion, modifier chains, value
//! lists, regexes, placeholders, long literals). Each hostile rule fails alone with a located
//! error at the token that crosses its limit, or gives the right answer; a good rule converted
//! in the same run proves the batch goes on. Limits are in `sigc_compiler::limits`.

use crate::common::{run_guarded, stderr, stdout};
use sigc_compiler::limits;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Far above what any case needs in a debug build: only a hang fails on it.
const GUARD: Duration = Duration::from_secs(120);

/// A rule that converts; its query holds `GoodValue`.
const GOOD: &str = "title: good
logsource:
  product: windows
detection:
  sel:
    Image: GoodValue
  condition: sel
";

/// A rule titled `title` with `detection` (indented two spaces, `condition` included).
fn rule(title: &str, detection: &str) -> String {
    format!("title: {title}\nlogsource:\n  product: windows\ndetection:\n{detection}")
}

/// A scratch directory holding `hostile.yml` and `good.yml`.
struct Batch {
    dir: tempfile::TempDir,
    text: String,
}

impl Batch {
    fn new(hostile: String) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("hostile.yml"), &hostile).expect("write rule");
        std::fs::write(dir.path().join("good.yml"), GOOD).expect("write rule");
        Batch { dir, text: hostile }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// `sigc convert -t splunk` on both rules, with extra arguments first.
    fn convert(&self, extra: &[&str]) -> Output {
        let (hostile, good) = (self.path("hostile.yml"), self.path("good.yml"));
        let mut args = vec!["convert", "-t", "splunk"];
        args.extend_from_slice(extra);
        args.extend([arg(&hostile), arg(&good)]);
        run_guarded(&args, GUARD)
    }

    /// Asserts: exit status 1, the good rule converted, and one `code` error in the hostile
    /// rule; returns the text of the hostile rule where the error points.
    fn refused(&self, out: &Output, code: &str) -> &str {
        let (out_text, err_text) = (stdout(out), stderr(out));
        assert_eq!(out.status.code(), Some(1), "{err_text}");
        assert!(
            out_text.contains("GoodValue"),
            "good rule lost:\n{out_text}\n{err_text}"
        );
        let prefix = format!("{}:", self.path("hostile.yml").display());
        let line = err_text
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no located error:\n{err_text}"));
        let marker = format!(": error[{code}]: ");
        let (location, _) = line
            .split_once(&marker)
            .unwrap_or_else(|| panic!("not a {code} error: {line}"));
        let mut at = location[prefix.len()..].split(':');
        let mut number = || {
            at.next()
                .and_then(|n| n.parse::<usize>().ok())
                .expect("line:col")
        };
        let (line_no, col) = (number(), number());
        let text_line = self.text.lines().nth(line_no - 1).expect("line in rule");
        let offset = text_line
            .char_indices()
            .nth(col - 1)
            .map_or(text_line.len(), |(i, _)| i);
        &text_line[offset..]
    }
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// `n` identifiers `s0`… each matching one field.
fn selections(n: usize) -> String {
    (0..n)
        .map(|i| format!("  s{i}:\n    F{i}: v{i}\n"))
        .collect()
}

#[test]
fn repeated_selectors_stop_at_the_selector_past_the_node_budget() {
    let condition = vec!["1 of s*"; 5000].join(" and ");
    let batch = Batch::new(rule(
        "x",
        &format!("{}  condition: {condition}\n", selections(1000)),
    ));
    let at = batch.refused(&batch.convert(&[]), "limit_exceeded");
    assert!(at.starts_with("1 of s* and"), "{at:.40}");
}

#[test]
fn a_large_identifier_named_again_and_again_stops_at_a_name() {
    let values: String = (0..10_000).map(|i| format!("      - value{i}\n")).collect();
    let condition = vec!["big"; 100].join(" or ");
    let batch = Batch::new(rule(
        "x",
        &format!("  big:\n    F|contains:\n{values}  condition: {condition}\n"),
    ));
    let at = batch.refused(&batch.convert(&[]), "limit_exceeded");
    assert!(at.starts_with("big or"), "{at:.40}");
}

#[test]
fn selectors_testing_too_many_names_stop_at_a_selector() {
    // each selector selects one identifier but tests every name
    let n = 2000;
    let count = limits::MAX_NAME_TESTS / n + 1;
    let condition: Vec<String> = (0..count).map(|i| format!("1 of s{i}")).collect();
    let batch = Batch::new(rule(
        "x",
        &format!("{}  condition: {}\n", selections(n), condition.join(" or ")),
    ));
    let at = batch.refused(&batch.convert(&[]), "limit_exceeded");
    assert!(at.starts_with(&format!("1 of s{}", count - 1)), "{at:.40}");
}

#[test]
fn small_documents_that_each_expand_share_one_file_budget() {
    // each document is small and under the budget alone; together they are far over it
    let one = rule(
        "x",
        "  sel:\n    CommandLine|windash|contains:\n      - '-a -b -c -d -e'\n      - '-f -g -h -i -j'\n  condition: sel\n",
    );
    let count = 2 * limits::MAX_IR_NODES / (4 * limits::MAX_ALTERNATIVES) + 2;
    let batch = Batch::new(vec![one; count].join("---\n"));
    let out = batch.convert(&[]);
    let at = batch.refused(&out, "limit_exceeded");
    // the value that crosses it when read, or the identifier when the condition is lowered
    assert!(at.starts_with("'-") || at == "sel", "{at:.40}");
    let later = stderr(&out)
        .lines()
        .filter(|l| l.contains("an earlier rule of this file used up"))
        .count();
    assert!(later >= 1, "{}", stderr(&out));
}

#[test]
fn a_wide_base64_chain_stops_at_the_modifier_past_the_value_limit() {
    let key = format!("CommandLine{}", "|wide|base64".repeat(20));
    let batch = Batch::new(rule(
        "x",
        &format!("  sel:\n    {key}: abc\n  condition: sel\n"),
    ));
    let at = batch.refused(&batch.convert(&[]), "invalid_modifier");
    assert!(
        at.starts_with("base64") || at.starts_with("wide"),
        "{at:.40}"
    );
}

#[test]
fn windash_past_the_alternatives_limit_stops_at_the_modifier() {
    let batch = Batch::new(rule(
        "x",
        "  sel:\n    CommandLine|windash|contains: -a -b -c -d -e -f\n  condition: sel\n",
    ));
    let at = batch.refused(&batch.convert(&[]), "invalid_modifier");
    assert!(at.starts_with("windash"), "{at:.40}");
}

#[test]
fn many_expanded_values_stop_at_the_value_past_the_file_budget() {
    // five option dashes: each value expands into MAX_ALTERNATIVES
    let count = limits::MAX_IR_NODES / limits::MAX_ALTERNATIVES + 1;
    let values: String = (0..count)
        .map(|i| format!("      - '-a{i} -b -c -d -e'\n"))
        .collect();
    let batch = Batch::new(rule(
        "x",
        &format!("  sel:\n    CommandLine|windash|contains:\n{values}  condition: sel\n"),
    ));
    let at = batch.refused(&batch.convert(&[]), "limit_exceeded");
    assert!(at.starts_with("'-a"), "{at:.40}");
}

#[test]
fn a_regex_compiling_too_large_is_refused_at_the_pattern() {
    let batch = Batch::new(rule(
        "x",
        "  sel:\n    CommandLine|re: 'x\\w{1000}{1000}'\n  condition: sel\n",
    ));
    let at = batch.refused(&batch.convert(&[]), "invalid_regex");
    assert!(at.starts_with("x\\w"), "{at:.40}");
}

#[test]
fn a_regex_too_long_is_refused_at_the_pattern() {
    let pattern = "ab".repeat(limits::MAX_REGEX_BYTES);
    let batch = Batch::new(rule(
        "x",
        &format!("  sel:\n    CommandLine|re: '{pattern}'\n  condition: sel\n"),
    ));
    let at = batch.refused(&batch.convert(&[]), "invalid_regex");
    assert!(at.starts_with("abab"), "{at:.40}");
}

#[test]
fn a_rule_s_regexes_share_one_compiled_size_budget() {
    // SigmaHQ's largest regex, 3.6 MB compiled: a rule may hold a few, not hundreds
    let values: String = (0..100)
        .map(|i| format!("      - '-k{i}\\s\\w{{1,64}}'\n"))
        .collect();
    let batch = Batch::new(rule(
        "x",
        &format!("  sel:\n    CommandLine|re:\n{values}  condition: sel\n"),
    ));
    let at = batch.refused(&batch.convert(&[]), "invalid_regex");
    assert!(at.starts_with("-k"), "{at:.40}");
}

#[test]
fn nesting_past_the_depth_limit_stops_at_the_parenthesis() {
    let depth = limits::MAX_CONDITION_DEPTH + 1;
    let condition = format!("{}sel{}", "(".repeat(depth), ")".repeat(depth));
    let batch = Batch::new(rule(
        "x",
        &format!("  sel:\n    F: v\n  condition: '{condition}'\n"),
    ));
    let at = batch.refused(&batch.convert(&[]), "invalid_condition");
    assert!(at.starts_with("(sel)"), "{at:.40}");
}

#[test]
fn placeholders_past_the_alternatives_limit_stop_at_the_value() {
    let batch = Batch::new(rule(
        "x",
        "  sel:\n    User|expand: '%v%%v%%v%%v%%v%'\n  condition: sel\n",
    ));
    let pipeline = batch.write(
        "pipeline.yml",
        "name: six\nvars:\n  v: [a, b, c, d, e, f]\ntransformations:\n  - type: value_placeholders\n",
    );
    let at = batch.refused(&batch.convert(&["-p", arg(&pipeline)]), "pipeline_error");
    assert!(at.starts_with("'%v%"), "{at:.40}");
}

#[test]
fn a_long_literal_is_tested_and_matched() {
    let literal = "a".repeat(250_000);
    let batch = Batch::new(rule(
        "long literal",
        &format!("  sel:\n    CommandLine|contains: {literal}\n  condition: sel\n"),
    ));
    let events = batch.write(
        "events.json",
        &format!(
            "{{\"CommandLine\": \"x {literal} y\"}}\n{{\"CommandLine\": \"x {} y\"}}\n{{\"Image\": \"GoodValue\"}}\n",
            &literal[1..]
        ),
    );
    first_and_third_match(&batch, &events, "long literal");
}

#[test]
fn a_long_contains_list_is_tested_and_matched() {
    // literals sharing prefixes: one automaton over all of them took minutes to build
    let values: String = (0..50_000).map(|i| format!("      - v{i}\n")).collect();
    let batch = Batch::new(rule(
        "long list",
        &format!("  sel:\n    F|contains:\n{values}  condition: sel\n"),
    ));
    let events = batch.write(
        "events.json",
        "{\"F\": \"xx v49999 yy\"}\n{\"F\": \"v\"}\n{\"Image\": \"GoodValue\"}\n",
    );
    first_and_third_match(&batch, &events, "long list");
}

/// `sigc test` of the batch's hostile and good rules on `events`: the hostile rule (titled
/// `title`) matches event #1, the good rule event #3, and nothing else matches.
fn first_and_third_match(batch: &Batch, events: &Path, title: &str) {
    let (hostile, good) = (batch.path("hostile.yml"), batch.path("good.yml"));
    let args = ["test", arg(&hostile), arg(&good), "-e", arg(events)];
    let out = run_guarded(&args, GUARD);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let matches: Vec<&str> = text.lines().filter(|l| l.contains(" - [")).collect();
    assert_eq!(matches.len(), 2, "{text}");
    assert!(
        matches[0].contains("#1") && matches[0].contains(title),
        "{text}"
    );
    assert!(
        matches[1].contains("#3") && matches[1].contains("good"),
        "{text}"
    );
}

/// `count` copies of a rule, as the documents of one file.
fn documents(rule: &str, count: usize) -> String {
    vec![rule; count].join("---\n")
}

#[test]
fn each_of_many_rules_in_one_file_fails_a_pipeline_at_its_own_log_source() {
    // finding a rule's log source read its whole file again: quadratic in the file
    let one = "title: x\nlogsource:\n  product: windows\n  service: bad\ndetection:\n  sel:\n    F: v\n  condition: sel\n";
    let count = sigc_compiler::limits::MAX_DOCUMENTS;
    let batch = Batch::new(documents(one, count));
    let pipeline = batch.write(
        "pipeline.yml",
        "name: f\ntransformations:\n  - type: rule_failure\n    message: nope\n    rule_conditions:\n      - type: logsource\n        service: bad\n",
    );
    let out = batch.convert(&["-p", arg(&pipeline)]);
    let at = batch.refused(&out, "pipeline_failure");
    assert!(at.starts_with("product: windows"), "{at:.40}");
    let failures = stderr(&out)
        .lines()
        .filter(|l| l.contains("error[pipeline_failure]"))
        .count();
    assert_eq!(failures, count);
}

#[test]
fn each_of_many_rules_in_one_file_runs_its_own_test_cases() {
    let one = "title: x\nlogsource:\n  product: windows\ndetection:\n  sel:\n    F: v\n  condition: sel\ntests:\n  match:\n    - F: v\n  no_match:\n    - F: w\n";
    let count = sigc_compiler::limits::MAX_DOCUMENTS;
    let batch = Batch::new(documents(one, count));
    let out = run_guarded(&["test", arg(&batch.path("hostile.yml"))], GUARD);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    let cases = 2 * count;
    assert!(all.contains(&format!("{cases} passed, 0 failed")), "{all}");
}
