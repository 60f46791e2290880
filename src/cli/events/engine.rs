//! Rules ready to run on events: compiled, matchers built, indexed by log source.

use sigc_compiler::Diagnostic;
use sigc_compiler::eval::{JsonEvent, LogSourceIndex, Matcher, Origin, Scope};
use sigc_compiler::ir::Rule;
use std::cell::RefCell;

/// A rule and its matcher.
pub struct Loaded {
    pub rule: Rule,
    pub matcher: Matcher,
}

/// Every rule that can be evaluated, with the log-source index over them.
pub struct Engine {
    pub rules: Vec<Loaded>,
    index: LogSourceIndex,
}

thread_local! {
    static CANDIDATES: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

impl Engine {
    /// Builds matchers for `rules`; the rules that cannot be evaluated are returned with why.
    pub fn new(rules: Vec<Rule>) -> (Engine, Vec<Diagnostic>) {
        let mut loaded = Vec::with_capacity(rules.len());
        let mut refused = Vec::new();
        for rule in rules {
            match Matcher::new(&rule) {
                Ok(matcher) => loaded.push(Loaded { rule, matcher }),
                Err(d) => refused.push(d),
            }
        }
        let scopes: Vec<Scope> = loaded
            .iter()
            .map(|l| Scope::of(&l.rule.logsource))
            .collect();
        let index = LogSourceIndex::new(&scopes);
        (
            Engine {
                rules: loaded,
                index,
            },
            refused,
        )
    }

    /// The rules (indexes into [`rules`](Self::rules)) that match `event`, in order, into `out`.
    pub fn matches(&self, event: &serde_json::Value, out: &mut Vec<usize>) {
        out.clear();
        let event = JsonEvent::new(event);
        CANDIDATES.with_borrow_mut(|candidates| {
            self.index.candidates(&Origin::of(&event), candidates);
            out.extend(
                candidates
                    .iter()
                    .copied()
                    .filter(|&i| self.rules[i].matcher.matches(&event)),
            );
        });
    }
}
