//! Regexes: LogPoint's search has no regex operator, so every regex becomes a
//! `process regex(…)` / `process eval(…)` pair before the search, computing a `…_condition`
//! field that the search then tests (`F_condition="true"`), as pySigma-backend-logpoint does.
//!
//! Where pySigma's text would not run, it is repaired (see `docs/compat.md`): capture-group and
//! condition names keep only `[A-Za-z0-9_]` (a regex group name cannot hold `.` or `-`), flags are
//! scoped (`(?i:…)`, valid anywhere, where pySigma puts a global `(?i)` after the group opening),
//! and a `"` in the pattern is written `\x22` so that it cannot end the quoted argument.

use crate::text::chain::Chain;
use crate::text::literal;
use sigc_compiler::ir::RegexFlags;

/// Adds to `chain` the commands for `field` (as written in the command) matching `pattern`, and
/// returns the name of the field that is `"true"` when it matched; `None` when the pattern
/// cannot be written ([`literal::visible_regex`]).
pub fn add(
    chain: &mut Chain,
    field: &str,
    written_field: &str,
    pattern: &str,
    flags: RegexFlags,
) -> Option<String> {
    let body = body(pattern, flags)?;
    let stem = literal::group_name(field);
    let suffix = chain.suffix(&stem);
    let group = format!("{stem}_match{suffix}");
    let condition = format!("{stem}_condition{suffix}");
    chain.push(
        format!("process regex(\"(?P<{group}>{body})\", {written_field})"),
        format!("process eval(\"{condition}=case(isnotnull({group}) -> 'true', 'false')\")"),
    );
    Some(condition)
}

/// The pattern as the inside of a `"…"` argument: flags scoped around it, every `"` (bare or
/// escaped) written as `\x22`, which means the same character to the regex engine, and control
/// characters as escapes ([`literal::visible_regex`], whose refusal gives `None`).
pub fn body(pattern: &str, flags: RegexFlags) -> Option<String> {
    let pattern = literal::visible_regex(pattern)?;
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str(r"\x22"),
            '\\' => match chars.next() {
                Some('"') => out.push_str(r"\x22"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    Some(if flags.is_empty() {
        out
    } else {
        format!("(?{}:{out})", flags.letters())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_per_name_and_names_are_group_safe() {
        let mut chain = Chain::default();
        let none = RegexFlags::default();
        assert_eq!(add(&mut chain, "a", "a", "x", none).unwrap(), "a_condition");
        assert_eq!(
            add(&mut chain, "a", "a", "y", none).unwrap(),
            "a_condition2"
        );
        assert_eq!(
            add(&mut chain, "cs-uri", "cs-uri", "z", none).unwrap(),
            "cs_uri_condition"
        );
        assert_eq!(
            add(&mut chain, "cs.uri", "cs.uri", "z", none).unwrap(),
            "cs_uri_condition2"
        );
        let step = &chain.steps()[1];
        assert_eq!(step.capture, "process regex(\"(?P<a_match2>y)\", a)");
        assert_eq!(
            step.flag,
            "process eval(\"a_condition2=case(isnotnull(a_match2) -> 'true', 'false')\")"
        );
    }

    #[test]
    fn quotes_become_hex_escapes_and_flags_are_scoped() {
        let i = RegexFlags {
            ignore_case: true,
            ..RegexFlags::default()
        };
        let none = RegexFlags::default();
        assert_eq!(body(r#"a"b\"c\\"#, none).unwrap(), r"a\x22b\x22c\\");
        assert_eq!(body(r#"\\""#, none).unwrap(), r"\\\x22");
        assert_eq!(body("^x$", i).unwrap(), "(?i:^x$)");
        assert_eq!(body("a\n| b", none).unwrap(), r"a\x0a| b");
    }
}
