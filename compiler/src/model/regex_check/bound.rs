//! An upper bound of what compiling a pattern's NFAs takes, from its HIR, without compiling its
//! repetitions copy by copy.
//!
//! The `regex` crate's Thompson compiler builds a pattern node by node, each node's states
//! independent of its surroundings, and it refuses a pattern once its builder's heap passes
//! the size limit. So the builder's heap is at most the sum of a bound per node: a repetition
//! `x{n,m}` is `m` copies of `x` plus a few states each, a class is measured by compiling it
//! alone (its UTF-8 automaton is the only part not linear in the pattern's text), every other
//! node is a handful of states. A pattern whose bound fits the limit compiles under it. The
//! finished NFA keeps at most one state per builder state, no larger, so the same bound plus
//! the NFA's fixed part bounds the heap it is charged for. `tests` checks both claims against
//! the crate on the corpus's patterns and on generated ones.

use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::primitives::StateID;
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Repetition};
use std::collections::HashMap;
use std::mem::size_of;
use std::sync::{LazyLock, Mutex, PoisonError};

/// Bounds for one NFA (forward or reverse) of a pattern, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// At least the compiler's builder heap: the pattern compiles under any limit this large.
    pub builder: usize,
    /// At least the finished NFA's heap.
    pub nfa: usize,
}

/// The bounds of `hir`'s NFA as `config` builds it; `None` when they cannot be had cheaply (a
/// class that does not compile alone) or cannot fit `limit` (its classes alone exceed it: no
/// more of them is measured then, so finding that out costs no more than the limit allows).
pub fn bound(hir: &Hir, config: &thompson::Config, limit: usize) -> Option<Bound> {
    let units = Units::of(config)?;
    let mut left = limit;
    let builder = units
        .fixed
        .saturating_add(units.node(hir, config, &mut left)?);
    let names: usize = if config.get_which_captures().is_any() {
        group_names(hir)
    } else {
        0
    };
    let nfa = units
        .empty_nfa
        .saturating_add(builder)
        .saturating_add(names);
    Some(Bound { builder, nfa })
}

/// The sizes the bound is made of, for one configuration.
struct Units {
    /// One builder state, without heap.
    state: usize,
    /// One byte-range transition.
    transition: usize,
    /// One state id, as a union's alternate or a patch adds it.
    id: usize,
    /// The builder states every pattern gets (unanchored prefix, group 0, match) at most.
    fixed: usize,
    /// The NFA of the empty pattern: states, start table, groups.
    empty_nfa: usize,
    /// Its number of states.
    empty_states: usize,
}

/// [`Units`] of the two configurations the check builds (forward and reverse).
static FORWARD: LazyLock<Option<Units>> = LazyLock::new(|| Units::new(super::forward()));
static REVERSE: LazyLock<Option<Units>> = LazyLock::new(|| Units::new(super::reverse()));

impl Units {
    fn of(config: &thompson::Config) -> Option<&'static Units> {
        let units = if config.get_reverse() {
            &*REVERSE
        } else {
            &*FORWARD
        };
        units.as_ref()
    }

    fn new(config: thompson::Config) -> Option<Units> {
        let mut builder = thompson::Builder::new();
        builder.add_empty().ok()?;
        let state = builder.memory_usage();
        // a finished state must be no larger than a builder state for the NFA bound to hold
        if state < size_of::<thompson::State>() {
            return None;
        }
        let empty = compile(&Hir::empty(), &config)?;
        let transition = size_of::<thompson::Transition>();
        let id = size_of::<StateID>();
        Some(Units {
            state,
            transition,
            id,
            fixed: 16 * state + 4 * transition + 32 * id,
            empty_nfa: empty.memory_usage(),
            empty_states: empty.states().len(),
        })
    }

    /// At most the builder heap compiling `hir` adds.
    fn node(&self, hir: &Hir, config: &thompson::Config, left: &mut usize) -> Option<usize> {
        let (s, t, p) = (self.state, self.transition, self.id);
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => s,
            HirKind::Literal(lit) => lit.0.len().saturating_mul(s + p),
            HirKind::Class(Class::Bytes(c)) => 2 * s + c.ranges().len().saturating_mul(t),
            HirKind::Class(Class::Unicode(c)) if c.is_ascii() => {
                2 * s + c.ranges().len().saturating_mul(t)
            }
            HirKind::Class(Class::Unicode(c)) => self.class(c, hir, config, left)?,
            HirKind::Repetition(rep) => self.repetition(rep, config, left)?,
            HirKind::Capture(cap) => {
                let inner = self.node(&cap.sub, config, left)?;
                inner.saturating_add(2 * s + 2 * p)
            }
            HirKind::Concat(items) => self
                .sum(items, config, left)?
                .saturating_add(items.len().saturating_mul(p) + s),
            HirKind::Alternation(items) if items.iter().all(is_literal) => {
                // a trie of the literals: per byte and per literal, a union, a range and
                // their links at most
                let bytes: usize = items.iter().map(literal_len).sum();
                (bytes + items.len() + 2).saturating_mul(2 * s + t + 4 * p) + s
            }
            HirKind::Alternation(items) => self
                .sum(items, config, left)?
                .saturating_add(2 * s + items.len().saturating_mul(2 * p)),
        })
    }

    /// `m` copies of the repeated node (`n` when unbounded, at least one), each with a union
    /// and its links, and the states around them.
    fn repetition(
        &self,
        rep: &Repetition,
        config: &thompson::Config,
        left: &mut usize,
    ) -> Option<usize> {
        let copies = rep.max.unwrap_or(rep.min).max(1) as usize;
        let one = self.node(&rep.sub, config, left)?;
        let each = one.saturating_add(self.state + 3 * self.id);
        Some(
            copies
                .saturating_mul(each)
                .saturating_add(3 * self.state + 5 * self.id),
        )
    }

    fn sum(&self, items: &[Hir], config: &thompson::Config, left: &mut usize) -> Option<usize> {
        items.iter().try_fold(0usize, |total, item| {
            Some(total.saturating_add(self.node(item, config, left)?))
        })
    }

    /// [`Units::alone`] for the class `c` (the node `hir`): remembered, or measured.
    fn class(
        &self,
        c: &ClassUnicode,
        hir: &Hir,
        config: &thompson::Config,
        left: &mut usize,
    ) -> Option<usize> {
        let ranges = c.ranges().iter().map(|r| (r.start(), r.end())).collect();
        let key = (config.get_reverse(), ranges);
        let lock = || CLASSES.lock().unwrap_or_else(PoisonError::into_inner);
        let known = lock().get(&key).copied();
        let bytes = match known {
            Some(bytes) => bytes,
            None => {
                let bytes = self.alone(hir, config)?;
                let mut classes = lock();
                if classes.len() < CLASS_ENTRIES {
                    classes.insert(key, bytes);
                }
                bytes
            }
        };
        // every class counts at least once in the bound: past `left`, the bound cannot fit,
        // and measuring more classes would only spend time
        *left = left.checked_sub(bytes)?;
        Some(bytes)
    }

    /// A class's builder heap at most, from the NFA compiled for the class alone: its states
    /// and their heap, the transition a one-range state loses when finished, and the few
    /// builder states (empty ones, a one-way union) the finished NFA drops.
    fn alone(&self, hir: &Hir, config: &thompson::Config) -> Option<usize> {
        let nfa = compile(hir, config)?;
        let states = nfa.states().len().checked_sub(self.empty_states)?;
        let heap = nfa
            .memory_usage()
            .checked_sub(self.empty_nfa)?
            .checked_sub(states * size_of::<thompson::State>())?;
        Some(
            (states + 4)
                .saturating_mul(self.state + self.transition)
                .saturating_add(heap)
                .saturating_add(16 * self.id),
        )
    }
}

/// The classes measured so far in this process, by direction and ranges (a class compiles to
/// the same states wherever it is), as [`Units::alone`] gives them.
static CLASSES: LazyLock<Mutex<HashMap<ClassKey, usize>>> = LazyLock::new(Default::default);

/// A class's direction (reverse or not) and ranges.
type ClassKey = (bool, Vec<(char, char)>);

/// Classes kept at most: a bound on the memory of a run over very many distinct classes.
const CLASS_ENTRIES: usize = 1024;

/// `hir` compiled alone with `config` (no size limit: only classes are, and a class's size is
/// bounded by the Unicode tables).
fn compile(hir: &Hir, config: &thompson::Config) -> Option<NFA> {
    thompson::Compiler::new()
        .configure(config.clone().nfa_size_limit(None))
        .build_from_hir(hir)
        .ok()
}

fn is_literal(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Literal(_))
}

fn literal_len(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.len(),
        _ => 0,
    }
}

/// At most what the NFA's group table takes for `hir`'s capture groups beyond group 0: their
/// slots and names.
fn group_names(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Capture(cap) => {
            let name = cap.name.as_deref().map_or(0, str::len);
            (64 + 2 * name).saturating_add(group_names(&cap.sub))
        }
        HirKind::Repetition(rep) => group_names(&rep.sub),
        HirKind::Concat(items) | HirKind::Alternation(items) => {
            items.iter().fold(0usize, |total, item| {
                total.saturating_add(group_names(item))
            })
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{forward, parsed, reverse};
    use super::*;
    use crate::ir::RegexFlags;
    use proptest::prelude::*;

    /// Both claims for `pattern` with `flags`, in both directions: it compiles under its
    /// builder bound, and the NFA takes at most its NFA bound. Gives the NFA bound over the
    /// exact size.
    fn holds(pattern: &str, flags: RegexFlags) -> f64 {
        let Ok(Some(hir)) = parsed(pattern, flags) else {
            return 1.0;
        };
        let mut ratio: f64 = 0.0;
        for config in [forward(), reverse()] {
            let b = bound(&hir, &config, usize::MAX).expect("a bound");
            let built = thompson::Compiler::new()
                .configure(config.nfa_size_limit(Some(b.builder)))
                .build_from_hir(&hir);
            let nfa = built.unwrap_or_else(|e| panic!("{pattern} {flags:?}: {e} ({b:?})"));
            let exact = nfa.memory_usage();
            assert!(exact <= b.nfa, "{pattern} {flags:?}: {exact} > {b:?}");
            ratio = ratio.max(b.nfa as f64 / exact as f64);
        }
        ratio
    }

    const ALL: RegexFlags = RegexFlags {
        ignore_case: true,
        multi_line: true,
        dot_all: true,
    };

    /// SigmaHQ's costliest patterns to compile, and a few built to stress each rule.
    #[test]
    fn the_bound_holds_on_costly_patterns() {
        let patterns = [
            r"-k\s\w{1,64}(?:\s?(?:-p|-s))?",
            r"(.){200,}",
            r"\$env:Public\[\s*\d{1,3}\s*\]\s*\+\s*\$env:Public\[",
            r"(?:[Pp]rogram[Dd]ata|%(?:[Ll]ocal)?[Aa]pp[Dd]ata%|\\[Aa]pp[Dd]ata\\(?:[Ll]ocal(?:[Ll]ow)?|[Rr]oaming))\\[^\\]{1,256}$",
            r"\w+`(?:\w+|-|.)`[\w+|\s]",
            r"(Copy-Item|cpi) .{2,128} -Destination .{1,32}\\Windows\\(System32|SysWOW64)",
            r"(?i)\.exe[\x22\x27]?\s+[^\x22]{0,64}werfaultsecure\.exe[\x22\x27]?\s+\d{2,10}",
            r"https?://(?:(?:25[0-5]|(?:2[0-4]|1\d|[1-9])?\d)(?:\.|\b)){4}",
            r"-(W|R)\s?(\s|\x22|')([0-9a-fA-F]{2}\s?){2,20}(\s|\x22|')",
            r"(?P<name>\w{3}){2,5}(?P<other>[α-ω]+)?",
            r"^(?:abc|abd|xyz|x){3,}$",
            r"((a|b)*)*c{0}d{0,0}",
            r"\b\w{1000}\b",
            "",
        ];
        for pattern in patterns {
            for flags in [RegexFlags::default(), ALL] {
                let ratio = holds(pattern, flags);
                assert!(ratio < 6.0, "{pattern}: the bound is {ratio:.1}x the size");
            }
        }
    }

    /// A pattern whose classes alone exceed the limit has no bound under it (its later classes
    /// are not measured), and has one without a limit.
    #[test]
    fn classes_past_the_limit_give_no_bound() {
        let hir = parsed(r"\w\d\s\W", RegexFlags::default()).unwrap().unwrap();
        assert_eq!(bound(&hir, &forward(), 1000), None);
        assert!(bound(&hir, &forward(), usize::MAX).is_some());
    }

    /// Patterns from the constructs rules use: literals, classes (ASCII and Unicode), dots,
    /// anchors and word boundaries, groups (named or not), alternations (of literals or not)
    /// and repetitions of every kind, nested.
    fn pattern() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            "[a-zA-Z0-9 ]{1,6}",
            Just(r"\w".to_string()),
            Just(r"\W".to_string()),
            Just(r"\d".to_string()),
            Just(r"\s".to_string()),
            Just(".".to_string()),
            Just("[a-f0-9]".to_string()),
            Just("[^\\\\/]".to_string()),
            Just("[é-ü]".to_string()),
            Just("^".to_string()),
            Just("$".to_string()),
            Just(r"\b".to_string()),
        ];
        atom.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                proptest::collection::vec(inner.clone(), 2..4)
                    .prop_map(|v| format!("(?:{})", v.join("|"))),
                proptest::collection::vec("[a-z]{1,5}", 2..5)
                    .prop_map(|v| format!("(?:{})", v.join("|"))),
                (inner.clone(), any::<bool>()).prop_map(|(p, named)| if named {
                    format!("(?P<g>{p})")
                } else {
                    format!("({p})")
                }),
                (inner, 0u32..6, 0u32..6, 0usize..6, any::<bool>()).prop_map(
                    |(p, a, b, kind, lazy)| {
                        let rep = match kind {
                            0 => "*".to_string(),
                            1 => "+".to_string(),
                            2 => "?".to_string(),
                            3 => format!("{{{a}}}"),
                            4 => format!("{{{a},}}"),
                            _ => format!("{{{},{}}}", a.min(b), a.max(b)),
                        };
                        format!("(?:{p}){rep}{}", if lazy { "?" } else { "" })
                    }
                ),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn the_bound_holds_on_generated_patterns(p in pattern(), all in any::<bool>()) {
            let flags = if all { ALL } else { RegexFlags::default() };
            holds(&p, flags);
        }
    }
}
