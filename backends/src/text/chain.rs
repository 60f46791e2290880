//! The commands a target runs before its search to turn regexes it cannot test inline into
//! condition fields (Splunk's `rex`/`eval`, LogPoint's `process regex`/`process eval`).

use std::collections::HashMap;

/// The chain of one query: one step per regex, in the order they were met, and how often each
/// name stem was used.
#[derive(Debug, Default)]
pub struct Chain {
    uses: HashMap<String, u32>,
    steps: Vec<Step>,
}

/// The two commands of one regex: the match that captures a group, then the test that turns
/// the capture into a condition field. Neither has its leading `| `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub capture: String,
    pub flag: String,
}

impl Chain {
    /// Counts a use of `stem` and returns the suffix that keeps names made from it distinct:
    /// empty at its first use, then `2`, `3`, …
    pub fn suffix(&mut self, stem: &str) -> String {
        let n = self.uses.entry(stem.to_string()).or_insert(0);
        *n += 1;
        if *n == 1 {
            String::new()
        } else {
            n.to_string()
        }
    }

    /// Appends the step of one regex.
    pub fn push(&mut self, capture: String, flag: String) {
        self.steps.push(Step { capture, flag });
    }

    /// No regex needed the chain.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}
