//! Pipeline files from strangers: a `*_cond_expr` is read by the rule-condition grammar, so its
//! depth and length are bounded the same way, and a hostile expression is a located error in
//! the pipeline file, never a stack overflow.

use crate::common::{HANG_GUARD, run_guarded, stderr};
use sigc_compiler::limits::{MAX_CONDITION_BYTES, MAX_CONDITION_DEPTH};

/// A pipeline whose one item is gated by `rule_cond_expr: <expr>` (line 7, column 21).
fn pipeline(expr: &str) -> String {
    format!(
        "name: hostile
transformations:
  - type: add_condition
    conditions: {{index: main}}
    rule_conditions:
      win: {{type: logsource, product: windows}}
    rule_cond_expr: {expr}
"
    )
}

/// `sigc convert -t splunk -p PIPELINE rule` on a good rule; the pipeline's error on stderr.
fn convert_with(expr: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipe = dir.path().join("pipeline.yml");
    std::fs::write(&pipe, pipeline(expr)).expect("write pipeline");
    let rule = dir.path().join("rule.yml");
    let text = "title: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image: x\n  condition: sel\n";
    std::fs::write(&rule, text).expect("write rule");
    let (pipe, rule) = (pipe.display().to_string(), rule.display().to_string());
    let out = run_guarded(&["convert", "-t", "splunk", "-p", &pipe, &rule], HANG_GUARD);
    (out.status.code(), stderr(&out))
}

#[test]
fn deep_parentheses_are_a_located_error() {
    let expr = "(".repeat(100_000);
    let (code, err) = convert_with(&expr);
    assert_eq!(code, Some(2), "{err}");
    let want = format!(
        "pipeline.yml:7:21: error[invalid_pipeline]: `rule_cond_expr`: condition is 100000 bytes long; the limit is {MAX_CONDITION_BYTES}"
    );
    assert!(err.contains(&want), "{err}");
}

#[test]
fn nesting_past_the_depth_limit_is_a_located_error() {
    let n = MAX_CONDITION_DEPTH + 1;
    let expr = format!("{}win{}", "(".repeat(n), ")".repeat(n));
    let (code, err) = convert_with(&expr);
    assert_eq!(code, Some(2), "{err}");
    let want = format!(
        "pipeline.yml:7:21: error[invalid_pipeline]: `rule_cond_expr`: nesting deeper than {MAX_CONDITION_DEPTH} levels"
    );
    assert!(err.contains(&want), "{err}");
}

#[test]
fn nesting_within_the_limit_applies() {
    let n = MAX_CONDITION_DEPTH;
    let expr = format!("{}win{}", "(".repeat(n), ")".repeat(n));
    let (code, err) = convert_with(&expr);
    assert_eq!(code, Some(0), "{err}");
}
