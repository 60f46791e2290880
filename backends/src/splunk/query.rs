//! One condition as a complete SPL query: the search, the `rex` chain, deferred commands and the
//! `| table` of the rule's fields.
//!
//! Layouts, as pySigma-backend-splunk writes them:
//! - plain: `search`
//! - deferred: `search\n| regex f="re"\n| where 'a'='b'` (`*` when the search is empty)
//! - rex chain: `hoisted\n| rex …\n| eval …\n| search rest` (then any deferred commands), where
//!   `hoisted` is the leading run of top-level `field=value` terms, which need no regex and so
//!   can filter events before the `rex` commands run (`*` when there is none: pySigma leaves
//!   it empty, and SPL rejects a search that starts with `| rex`).

use super::leaf::SplunkLeaves;
use super::tokens::SPLUNK;
use crate::text::{Renderer, literal};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Expr, Rule, Value};

/// Between the search and each pipeline command.
const PIPE: &str = "\n| ";

/// The query for one condition of `rule`.
pub fn query(rule: &Rule, condition: &Expr) -> Result<String, Diagnostic> {
    let mut leaves = SplunkLeaves::new(rule);
    let conjuncts = Renderer::new(&SPLUNK, &mut leaves).conjuncts(condition)?;

    let mut out = if leaves.chain.is_empty() {
        let search = join(conjuncts.iter().filter_map(|(_, t)| t.as_deref()));
        if search.is_empty() {
            "*".to_string()
        } else {
            search
        }
    } else {
        let split = conjuncts
            .iter()
            .position(|(e, t)| t.is_some() && !hoistable(e))
            .unwrap_or(conjuncts.len());
        let hoisted = join(conjuncts[..split].iter().filter_map(|(_, t)| t.as_deref()));
        // A search cannot start with a pipe: `*` stands for "every event", as in pySigma's
        // deferred-only queries.
        let hoisted = if hoisted.is_empty() {
            "*".to_string()
        } else {
            hoisted
        };
        let rest = join(conjuncts[split..].iter().filter_map(|(_, t)| t.as_deref()));
        format!(
            "{hoisted}{PIPE}{}{PIPE}search {rest}",
            leaves.chain.commands().join(PIPE)
        )
    };
    for command in &leaves.deferred {
        out.push_str(PIPE);
        out.push_str(command);
    }
    if !rule.meta.fields.is_empty() {
        out.push_str(" | table ");
        out.push_str(&rule.meta.fields.join(","));
    }
    Ok(out)
}

fn join<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts.collect::<Vec<_>>().join(SPLUNK.and)
}

/// A top-level term written `field=value` that can run before the `rex` chain.
fn hoistable(expr: &Expr) -> bool {
    let Expr::Match(m) = expr else { return false };
    let Some(field) = m.field.as_deref() else {
        return false;
    };
    literal::field(&SPLUNK, field) == field
        && matches!(
            m.value,
            Value::Str(_) | Value::Num(_) | Value::Bool(_) | Value::Cidr(_) | Value::Exists(true)
        )
}
