//! `rule_test_case`
//!
//! ## What it does
//! Runs the rule's own test cases (the custom attribute `tests`, see `docs/testing.md`) with the
//! evaluator, as `sigc test` does, and reports each event under `match:` that the rule does not
//! match and each event under `no_match:` that it matches, at the event. A malformed `tests`
//! attribute is reported at the offending node.
//!
//! ## Why is this bad?
//! The test cases say what the rule is meant to catch and to leave alone; a failing case means
//! the detection (or the example) changed and no longer says the same.
//!
//! ## Example
//! ```yaml
//! detection:
//!   selection: {Image|endswith: '\reg.exe'}
//!   condition: selection
//! tests:
//!   match:
//!     - Image: 'C:\Windows\System32\cmd.exe'   # not matched: reported here
//! ```

use crate::{Ctx, Out};
use sigc_eval::{CASES_ATTRIBUTE, Matcher, has_cases, run_cases};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    let Some(rule) = cx.rule.filter(|r| has_cases(r)) else {
        return;
    };
    let matcher = match Matcher::new(rule) {
        Ok(m) => m,
        Err(e) => {
            let at = cx.root.get(CASES_ATTRIBUTE).map_or(rule.span, |n| n.span());
            out.report(at, format!("the test cases cannot run: {}", e.message));
            return;
        }
    };
    for failure in run_cases(rule, &matcher).failures {
        let finding = out.report(failure.span.unwrap_or(rule.span), failure.message);
        if let Some(help) = failure.help {
            finding.help(help);
        }
    }
}
