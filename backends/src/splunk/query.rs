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
use super::names;
use super::tokens::SPLUNK;
use crate::Query;
use crate::text::{Renderer, name_error};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Expr, Rule, Value};

/// The query for one condition of `rule`.
pub fn query(rule: &Rule, condition: &Expr) -> Result<Query, Diagnostic> {
    let mut leaves = SplunkLeaves::new(rule);
    let conjuncts = Renderer::new(&SPLUNK, &mut leaves).conjuncts(condition)?;
    let mut query = if leaves.chain.is_empty() {
        Query::search_only(or_every_event(join(
            conjuncts.iter().filter_map(|(_, t)| t.as_deref()),
        )))
    } else {
        let split = conjuncts
            .iter()
            .position(|(e, t)| t.is_some() && !hoistable(e))
            .unwrap_or(conjuncts.len());
        let hoisted = join(conjuncts[..split].iter().filter_map(|(_, t)| t.as_deref()));
        let rest = join(conjuncts[split..].iter().filter_map(|(_, t)| t.as_deref()));
        let mut deferred: Vec<String> = leaves
            .chain
            .steps()
            .iter()
            .flat_map(|step| [step.capture.clone(), step.flag.clone()])
            .collect();
        deferred.push(format!("search {rest}"));
        Query {
            // A search cannot start with a pipe: `*` stands for "every event", as in pySigma's
            // deferred-only queries.
            main: or_every_event(hoisted),
            deferred,
            table: None,
            lines: Vec::new(),
        }
    };
    query.deferred.append(&mut leaves.deferred);
    query.table = table(rule)?;
    Ok(query)
}

/// `*` for an empty search.
fn or_every_event(search: String) -> String {
    if search.is_empty() {
        "*".to_string()
    } else {
        search
    }
}

/// The rule's `fields` as the list of a closing `table` command, or the error at the first
/// name that cannot be written there.
fn table(rule: &Rule) -> Result<Option<String>, Diagnostic> {
    if rule.meta.fields.is_empty() {
        return Ok(None);
    }
    let mut names = Vec::with_capacity(rule.meta.fields.len());
    for name in &rule.meta.fields {
        names.push(names::table(name).map_err(|e| {
            name_error(
                &rule.source,
                rule.meta.span_of("fields", name).unwrap_or(rule.span),
                name,
                e,
                "a Splunk `table` command",
            )
        })?);
    }
    Ok(Some(names.join(",")))
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
    names::term(field).as_deref() == Ok(field)
        && matches!(
            m.value,
            Value::Str(_) | Value::Num(_) | Value::Bool(_) | Value::Cidr(_) | Value::Exists(true)
        )
}
