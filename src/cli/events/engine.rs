//! Rules ready to run on events: compiled, matchers built, gathered in a [`RuleSet`].

use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;
use sigc_eval::{Matcher, RuleSet, Scope};
use std::collections::HashMap;

/// Every rule that can be evaluated, and the rule set that evaluates them.
pub struct Engine {
    /// Rule `i` is the set's rule `i`.
    pub rules: Vec<Rule>,
    /// Each evaluated rule's number by its position among the rules given to [`Engine::new`].
    numbers: HashMap<usize, usize>,
    set: RuleSet,
}

impl Engine {
    /// Builds matchers for `rules`; the rules that cannot be evaluated are returned with why.
    pub fn new(rules: Vec<Rule>) -> (Engine, Vec<Diagnostic>) {
        let mut loaded = Vec::with_capacity(rules.len());
        let mut numbers = HashMap::with_capacity(rules.len());
        let mut matchers = Vec::with_capacity(rules.len());
        let mut refused = Vec::new();
        for (position, rule) in rules.into_iter().enumerate() {
            match Matcher::new(&rule) {
                Ok(matcher) => {
                    matchers.push((matcher, Scope::of(&rule.logsource)));
                    numbers.insert(position, loaded.len());
                    loaded.push(rule);
                }
                Err(d) => refused.push(d),
            }
        }
        let set = RuleSet::new(matchers);
        let engine = Engine {
            rules: loaded,
            numbers,
            set,
        };
        (engine, refused)
    }

    /// The number in [`rules`](Self::rules) of the `position`-th rule given to [`Engine::new`],
    /// when it is evaluated.
    pub fn number(&self, position: usize) -> Option<usize> {
        self.numbers.get(&position).copied()
    }

    /// Rule `i`'s matcher.
    pub fn matcher(&self, i: usize) -> &Matcher {
        self.set.matcher(i)
    }

    /// The rules (indexes into [`rules`](Self::rules)) that match `event`, in order, into `out`.
    pub fn matches(&self, event: &serde_json::Value, out: &mut Vec<usize>) {
        self.set.matches(&sigc_eval::JsonEvent::new(event), out);
    }
}
