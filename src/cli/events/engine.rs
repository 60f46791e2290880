//! Rules ready to run on events: compiled, matchers built, gathered in a [`RuleSet`].

use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;
use sigc_eval::{Matcher, RuleSet, Scope};

/// Every rule that can be evaluated, and the rule set that evaluates them.
pub struct Engine {
    /// Rule `i` is the set's rule `i`.
    pub rules: Vec<Rule>,
    set: RuleSet,
}

impl Engine {
    /// Builds matchers for `rules`; the rules that cannot be evaluated are returned with why.
    pub fn new(rules: Vec<Rule>) -> (Engine, Vec<Diagnostic>) {
        let mut loaded = Vec::with_capacity(rules.len());
        let mut matchers = Vec::with_capacity(rules.len());
        let mut refused = Vec::new();
        for rule in rules {
            match Matcher::new(&rule) {
                Ok(matcher) => {
                    matchers.push((matcher, Scope::of(&rule.logsource)));
                    loaded.push(rule);
                }
                Err(d) => refused.push(d),
            }
        }
        let set = RuleSet::new(matchers);
        (Engine { rules: loaded, set }, refused)
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
