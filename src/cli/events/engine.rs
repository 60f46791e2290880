//! Rules ready to run on events: compiled, matchers built, gathered in a [`RuleSet`], and run on
//! the pieces of event files.
//!
//! A JSON event is read in place ([`RuleSet::matches_text`]: only the parts the rules read are
//! decoded) rather than into a `serde_json::Value`, which costs an allocation per string and
//! object; the few events the in-place reader refuses, EVTX records, and the events a
//! correlation reads, are read into values.

use super::{Decoded, Piece, json};
use rayon::prelude::*;
use serde_json::Value;
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;
use sigc_eval::{Correlator, JsonEvent, Matcher, NoTimestamp, Record, RuleSet, Scope};
use std::collections::HashMap;
use std::sync::Arc;

/// Every rule that can be evaluated, and the rule set that evaluates them.
pub struct Engine {
    /// Rule `i` is the set's rule `i` (shared with the rule set they were resolved in).
    pub rules: Vec<Arc<Rule>>,
    /// Each evaluated rule's number by its position among the rules given to [`Engine::new`].
    numbers: HashMap<usize, usize>,
    set: RuleSet,
}

impl Engine {
    /// Builds matchers for `rules`; the rules that cannot be evaluated are returned with why.
    pub fn new(rules: Vec<Arc<Rule>>) -> (Engine, Vec<Diagnostic>) {
        let mut loaded = Vec::with_capacity(rules.len());
        let mut numbers = HashMap::with_capacity(rules.len());
        let mut matchers = Vec::with_capacity(rules.len());
        let mut refused = Vec::new();
        // Building a matcher compiles its regular expressions and automata: the costliest part
        // of starting on many rules, done on every core (in order, whatever the thread count).
        let built: Vec<_> = rules
            .par_iter()
            .map(|rule| Matcher::new(rule).map(|m| (m, Scope::of(&rule.logsource))))
            .collect();
        for (position, (rule, built)) in rules.into_iter().zip(built).enumerate() {
            match built {
                Ok(matcher) => {
                    matchers.push(matcher);
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
    pub fn matches(&self, event: &Value, out: &mut Vec<usize>) {
        self.set.matches(&JsonEvent::new(event), out);
    }

    /// Decodes the events of `piece` and evaluates them, in order: `each` is called with every
    /// event, the rules it matches and its correlation records, or with why an event could not
    /// be decoded.
    pub fn run(
        &self,
        piece: Piece,
        correlator: &Correlator,
        mut each: impl FnMut(Result<Evaluated, String>),
    ) {
        if let Piece::Json {
            index,
            line,
            text: json::Text::Value(bytes),
        } = &piece
        {
            let mut rules = Vec::new();
            if !self.set.matches_text(bytes, &mut rules) {
                return self.run_decoded(piece, correlator, each);
            }
            let records = if rules.iter().any(|&r| correlator.correlates(r)) {
                // Correlations read the event as a value; serde_json reads whatever the tape does.
                match serde_json::from_slice::<Value>(bytes) {
                    Ok(value) => correlator.observe(&value, &rules),
                    Err(e) => return each(Err(format!("event #{index}: invalid JSON: {e}"))),
                }
            } else {
                Ok(Vec::new())
            };
            let event = Decoded {
                index: Some(*index),
                line: Some(*line),
                record_id: None,
                value: Value::Null,
            };
            return each(Ok(Evaluated {
                event,
                rules,
                records,
            }));
        }
        self.run_decoded(piece, correlator, each);
    }

    /// [`run`](Self::run) with every event decoded into a value.
    fn run_decoded(
        &self,
        piece: Piece,
        correlator: &Correlator,
        mut each: impl FnMut(Result<Evaluated, String>),
    ) {
        for decoded in piece.decode() {
            each(decoded.map(|event| {
                let mut rules = Vec::new();
                self.matches(&event.value, &mut rules);
                let records = correlator.observe(&event.value, &rules);
                let event = Decoded {
                    value: Value::Null,
                    ..event
                };
                Evaluated {
                    event,
                    rules,
                    records,
                }
            }));
        }
    }
}

/// One event of a piece, evaluated.
pub struct Evaluated {
    /// The event, without its value (`Value::Null`).
    pub event: Decoded,
    /// The rules it matches, in order.
    pub rules: Vec<usize>,
    /// What the correlations keep of it.
    pub records: Result<Vec<Record>, NoTimestamp>,
}
