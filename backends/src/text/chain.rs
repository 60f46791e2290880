//! The commands a target runs before its search to turn regexes it cannot test inline into
//! condition fields (Splunk's `rex`/`eval`, LogPoint's `process regex`/`process eval`).

use std::collections::HashMap;

/// The chain of one query: its commands in the order their regexes were met, and how often each
/// name stem was used.
#[derive(Debug, Default)]
pub struct Chain {
    uses: HashMap<String, u32>,
    commands: Vec<String>,
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

    /// Appends a command (without its leading `| `).
    pub fn push(&mut self, command: String) {
        self.commands.push(command);
    }

    /// No regex needed the chain.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The commands, in order.
    pub fn commands(&self) -> &[String] {
        &self.commands
    }
}
