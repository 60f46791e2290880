//! Checking `|re` patterns when the rule is read, so a broken or oversized regex never reaches a
//! query, and compiling them for the evaluator under the same limits.
//!
//! Sigma's regex flavour is a PCRE subset. regex-syntax parses it; the PCRE constructs the Rust
//! engine lacks (look-around, backreferences) are valid Sigma and accepted here: a backend or the
//! evaluator that cannot run them says so itself. Anything else regex-syntax refuses, when parsing
//! or when translating (an unknown Unicode class, a byte class in a Unicode pattern), is an error:
//! [`syntax()`] is that one check, shared with `sigc check`. A pattern must also fit the limits:
//! its length ([`MAX_REGEX_BYTES`]), nesting ([`REGEX_NEST_LIMIT`]) and compiled size, alone
//! ([`REGEX_SIZE_LIMIT`]) and with the file's other regexes ([`MAX_FILE_REGEX_BYTES`]). The
//! compiled size is an upper bound computed from the pattern's structure ([`bound`]) when that
//! shows the NFAs fit, and is otherwise measured by building the NFAs the `regex` crate itself
//! builds, with the evaluator's flags and limit: either way a pattern that passes here compiles
//! in [`compile`]. The file's allowance is charged the bound (1.6 to 2.7 times the exact size on
//! SigmaHQ's costliest patterns) or the measured size. A size is charged once per process for
//! each pattern and flags ([`Measured`]): a third of SigmaHQ's patterns appear in several rules.

use crate::ir::RegexFlags;
use crate::limits::{
    Budget, MAX_FILE_REGEX_BYTES, MAX_REGEX_BYTES, REGEX_NEST_LIMIT, REGEX_SIZE_LIMIT,
};
mod bound;

use regex_automata::nfa::thompson;
use regex_syntax::ast::{ErrorKind, parse::ParserBuilder};
use regex_syntax::hir::Hir;
use regex_syntax::hir::translate::TranslatorBuilder;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, Mutex, PoisonError};

/// Why `pattern` (with `flags`) is not an acceptable regular expression: the byte range inside
/// the pattern and the reason. Its compiled size is charged to `budget`.
pub fn check(
    pattern: &str,
    flags: RegexFlags,
    budget: &mut Budget,
) -> Result<(), (Range<usize>, String)> {
    let whole = 0..pattern.len();
    if pattern.len() > MAX_REGEX_BYTES {
        let why = format!(
            "the pattern is {} bytes long; the limit is {MAX_REGEX_BYTES}",
            pattern.len()
        );
        return Err((whole, why));
    }
    let Some(hir) = parsed(pattern, flags)? else {
        // look-around or a backreference: the evaluator reports it when it compiles the pattern
        return Ok(());
    };
    let allowance = budget.regex_allowance();
    match MEASURED.size(pattern, flags, allowance, || charged_size(&hir, allowance)) {
        Compiled::Bytes(bytes) => {
            budget.charge_regex(bytes);
            Ok(())
        }
        Compiled::TooLarge if allowance < REGEX_SIZE_LIMIT => {
            // it needs more than is left: the rule is over its budget, and reading stops
            budget.charge_regex(allowance + 1);
            let why = format!(
                "the regular expressions of this file compile to more than {} MiB, the limit per file",
                MAX_FILE_REGEX_BYTES >> 20
            );
            Err((whole, why))
        }
        Compiled::TooLarge => Err((
            whole,
            format!(
                "the pattern compiles to more than {} MiB, the limit (counted repetitions multiply)",
                REGEX_SIZE_LIMIT >> 20
            ),
        )),
        // The evaluator reports anything else itself when it compiles the pattern.
        Compiled::Refused => Ok(()),
    }
}

/// Why `pattern` (with `flags`) is not a regular expression of Sigma's flavour: the byte range
/// inside the pattern and the reason. Look-around and backreferences are accepted. This is the
/// one syntax check: the compiler applies it through [`check`], the linter on its own.
pub fn syntax(pattern: &str, flags: RegexFlags) -> Result<(), (Range<usize>, String)> {
    parsed(pattern, flags).map(drop)
}

/// `pattern` read with `flags` as the `regex` crate reads it; `None` when it holds look-around
/// or a backreference, which Sigma accepts and the crate does not; else [`syntax`]'s error.
fn parsed(pattern: &str, flags: RegexFlags) -> Result<Option<Hir>, (Range<usize>, String)> {
    let located =
        |span: &regex_syntax::ast::Span, why: String| (span.start.offset..span.end.offset, why);
    let ast = match ParserBuilder::new()
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(pattern)
    {
        Ok(ast) => ast,
        Err(e) => {
            return match e.kind() {
                ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference => Ok(None),
                kind => Err(located(e.span(), kind.to_string())),
            };
        }
    };
    TranslatorBuilder::new()
        .case_insensitive(flags.ignore_case)
        .multi_line(flags.multi_line)
        .dot_matches_new_line(flags.dot_all)
        .build()
        .translate(pattern, &ast)
        .map(Some)
        .map_err(|e| located(e.span(), e.kind().to_string()))
}

/// What compiling a pattern's NFAs under a size limit gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compiled {
    /// Their heap, in bytes.
    Bytes(usize),
    /// One of them exceeds the limit.
    TooLarge,
    /// The NFA compiler refuses the pattern for another reason.
    Refused,
}

/// The sizes charged so far in this process, by pattern and flags, each with the limit it holds
/// under: the same pattern under a limit at least as large is charged the same size.
struct Measured(LazyLock<Mutex<HashMap<(String, RegexFlags), Size>>>);

/// A charged size in bytes, and the limit it holds under.
type Size = (usize, usize);

static MEASURED: Measured = Measured(LazyLock::new(Default::default));

/// Sizes kept at most: a bound on the memory of a run over very many distinct patterns.
const MEASURED_ENTRIES: usize = 4096;

impl Measured {
    /// The size of `pattern` with `flags` under `limit`: remembered, or `measure()`d (with the
    /// limit it holds under).
    fn size(
        &self,
        pattern: &str,
        flags: RegexFlags,
        limit: usize,
        measure: impl FnOnce() -> (Compiled, usize),
    ) -> Compiled {
        let key = (pattern.to_string(), flags);
        let known = |map: &HashMap<_, Size>| {
            map.get(&key)
                .filter(|(_, under)| *under <= limit)
                .map(|&(bytes, _)| bytes)
        };
        if let Some(bytes) = known(&self.0.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Compiled::Bytes(bytes);
        }
        let (compiled, under) = measure();
        if let Compiled::Bytes(bytes) = compiled {
            let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if map.len() < MEASURED_ENTRIES {
                map.insert(key, (bytes, under));
            }
        }
        compiled
    }
}

/// The size charged for `hir` under `limit`, and the limit it holds under: its [`bound`] when
/// that shows both NFAs compile under `limit` (no repetition is then compiled copy by copy),
/// else the size measured by compiling them ([`compiled_size`]).
fn charged_size(hir: &Hir, limit: usize) -> (Compiled, usize) {
    let bounds = [forward(), reverse()].map(|config| bound::bound(hir, &config, limit));
    if let [Some(f), Some(r)] = bounds {
        let needs = f.builder.max(r.builder);
        if needs <= limit {
            return (Compiled::Bytes(f.nfa.saturating_add(r.nfa)), needs);
        }
    }
    (compiled_size(hir, limit), limit)
}

/// The configuration of the forward NFA the `regex` crate builds (with captures).
fn forward() -> thompson::Config {
    thompson::Config::new()
}

/// The configuration of its reverse NFA (without captures).
fn reverse() -> thompson::Config {
    thompson::Config::new()
        .reverse(true)
        .which_captures(thompson::WhichCaptures::None)
}

/// The heap of the two NFAs the `regex` crate builds for `hir` (forward, with captures, and
/// reverse, without), each under `limit` as the crate applies it.
fn compiled_size(hir: &Hir, limit: usize) -> Compiled {
    let build = |config: thompson::Config| {
        let built = thompson::Compiler::new()
            .configure(config.nfa_size_limit(Some(limit)))
            .build_from_hir(hir);
        match built {
            Ok(nfa) => Compiled::Bytes(nfa.memory_usage()),
            Err(e) if e.size_limit().is_some() => Compiled::TooLarge,
            Err(_) => Compiled::Refused,
        }
    };
    let forward = match build(forward()) {
        Compiled::Bytes(bytes) => bytes,
        other => return other,
    };
    match build(reverse()) {
        Compiled::Bytes(bytes) => Compiled::Bytes(forward + bytes),
        other => other,
    }
}

/// The regex the evaluator runs: `pattern` with `flags`, under the limits [`check`] applies.
pub fn compile(pattern: &str, flags: RegexFlags) -> Result<regex::Regex, regex::Error> {
    compile_limited(pattern, flags, REGEX_SIZE_LIMIT)
}

fn compile_limited(
    pattern: &str,
    flags: RegexFlags,
    limit: usize,
) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(flags.ignore_case)
        .multi_line(flags.multi_line)
        .dot_matches_new_line(flags.dot_all)
        .nest_limit(REGEX_NEST_LIMIT)
        .size_limit(limit)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_alone(pattern: &str, flags: RegexFlags) -> Result<(), (Range<usize>, String)> {
        check(pattern, flags, &mut Budget::new())
    }

    fn plain(pattern: &str) -> Result<(), (Range<usize>, String)> {
        check_alone(pattern, RegexFlags::default())
    }

    #[test]
    fn malformed_patterns_are_located() {
        assert!(plain(r"\s-e(nc)?\s+[A-Za-z0-9+/=]{20,}").is_ok());
        assert!(plain(r"(?<!foo)bar").is_ok());
        assert!(plain(r"(a)\1").is_ok());
        let (at, why) = plain("ab(c").unwrap_err();
        assert_eq!(at, 2..3, "{why}");
        let (at, _) = plain("a{2,1}").unwrap_err();
        assert_eq!(at.start, 1);
        assert!(plain("[z-a]").is_err());
    }

    #[test]
    fn long_deep_and_large_patterns_are_refused() {
        let (at, why) = plain(&"a".repeat(MAX_REGEX_BYTES + 1)).unwrap_err();
        assert_eq!(at, 0..MAX_REGEX_BYTES + 1, "{why}");
        let depth = REGEX_NEST_LIMIT as usize + 1;
        let deep = format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
        assert!(plain(&deep).unwrap_err().1.contains("nest"));
        let (at, why) = plain(r"\w{1000}{1000}").unwrap_err();
        assert_eq!(at, 0..14);
        assert!(why.contains("MiB"), "{why}");
    }

    #[test]
    fn a_file_s_regexes_share_one_allowance() {
        let mut budget = Budget::new();
        let pattern = r"\w{20}"; // about 1 MB compiled
        let mut accepted = 0;
        let refused = loop {
            match check(pattern, RegexFlags::default(), &mut budget) {
                Ok(()) => accepted += 1,
                Err((_, why)) => break why,
            }
            assert!(accepted < 1000, "never refused");
        };
        assert!(refused.contains("per file"), "{refused}");
        assert!(
            accepted >= MAX_FILE_REGEX_BYTES / REGEX_SIZE_LIMIT,
            "{accepted}"
        );
        assert!(check("a", RegexFlags::default(), &mut Budget::new()).is_ok());
    }

    /// The evaluator compiles whatever the check accepts, up to the size limit (a small one
    /// here, to keep the test quick: the mechanism is the same).
    #[test]
    fn the_check_and_the_evaluator_agree_on_the_limit() {
        let limit = 256 << 10;
        let flags = [
            RegexFlags::default(),
            RegexFlags {
                ignore_case: true,
                multi_line: true,
                dot_all: true,
            },
        ];
        for atom in ["a", r"\w", "[a-f0-9]", "(ab|cd)", r"\d+?"] {
            for flags in flags {
                let at = |n: usize| format!("{atom}{{{n}}}");
                let fits = |n: usize| {
                    let hir = parsed(&at(n), flags).unwrap().unwrap();
                    matches!(compiled_size(&hir, limit), Compiled::Bytes(_))
                };
                // the largest count the check accepts
                let (mut lo, mut hi) = (1usize, 1 << 16);
                while lo < hi {
                    let mid = (lo + hi).div_ceil(2);
                    if fits(mid) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                assert!(fits(lo) && !fits(lo + 1), "{atom} {flags:?} {lo}");
                let built = compile_limited(&at(lo), flags, limit);
                assert!(built.is_ok(), "{atom} {flags:?} {lo}: {built:?}");
            }
        }
    }

    /// Measuring from the parsed pattern gives the size the `regex` crate's own parse gives,
    /// and a remembered size is the measured one.
    #[test]
    fn sizes_from_the_parsed_pattern_are_the_crate_s() {
        use regex_automata::util::syntax;
        let patterns = [
            r"\s-e(nc)?\s+[A-Za-z0-9+/=]{20,}",
            r"(?i)cmd.{0,5}(?:/c|/r)\s",
            r"^C:\\Windows\\[a-z0-9]{4,6}$",
            r"\w+@\d{1,3}",
        ];
        let all = RegexFlags {
            ignore_case: true,
            multi_line: true,
            dot_all: true,
        };
        for pattern in patterns {
            for flags in [RegexFlags::default(), all] {
                let config = |c: thompson::Config| {
                    let nfa = thompson::Compiler::new()
                        .syntax(
                            syntax::Config::new()
                                .case_insensitive(flags.ignore_case)
                                .multi_line(flags.multi_line)
                                .dot_matches_new_line(flags.dot_all)
                                .nest_limit(REGEX_NEST_LIMIT),
                        )
                        .configure(c.nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
                        .build(pattern)
                        .unwrap();
                    nfa.memory_usage()
                };
                let reverse = thompson::Config::new()
                    .reverse(true)
                    .which_captures(thompson::WhichCaptures::None);
                let by_crate = config(thompson::Config::new()) + config(reverse);
                let hir = parsed(pattern, flags).unwrap().unwrap();
                let ours = compiled_size(&hir, REGEX_SIZE_LIMIT);
                assert_eq!(ours, Compiled::Bytes(by_crate), "{pattern} {flags:?}");
                let limit = REGEX_SIZE_LIMIT;
                let measured = Measured(LazyLock::new(Default::default));
                let remembered = measured.size(pattern, flags, limit, || (ours, limit));
                assert_eq!(remembered, ours);
                let again = measured.size(pattern, flags, limit, || (Compiled::Refused, limit));
                assert_eq!(again, ours, "measured once");
            }
        }
    }
}
